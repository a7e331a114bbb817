"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over the built graph."""
from __future__ import annotations

import signal
import sys
import threading

from ..server import make_server
from ..store import GraphStore

NAME = "serve"
ORDER = 60
HELP = "serve the built graph as a SPARQL 1.1 endpoint over HTTP (read-only)"
DESCRIPTION = """Serve the store of a build (OUT/store) at http://HOST:PORT/sparql, following the SPARQL 1.1
Protocol: GET ?query=..., POST form (query=...) or POST application/sparql-query. The result format
follows the Accept header: SPARQL JSON (default), XML, CSV, TSV; CONSTRUCT/DESCRIBE as Turtle
(default), N-Triples, RDF/XML or JSON-LD. The endpoint is read-only and offline (SERVICE is refused).
Each query runs in a worker process, at most --max-concurrent at once (a query finding them all busy
waits up to --timeout seconds for one, then gets 503); one that runs over --timeout seconds is stopped
(503). While it runs, kg build refuses to write the same store: stop the server (Ctrl-C, or kill, which
sends SIGTERM), build, and start it again.

examples:
  kg serve                                  # http://127.0.0.1:7878/sparql
  kg serve --port 8890 --out other-build
  curl -H 'Accept: text/csv' --data-urlencode 'query=SELECT * WHERE { ?s ?p ?o } LIMIT 3' \\
       http://127.0.0.1:7878/sparql"""


def add_arguments(p) -> None:
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--out", dest="out_dir", metavar="DIR", default=None,
                   help="directory of the build whose store to serve (default: outputs)")
    p.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS",
                   help="stop a query after this many seconds and answer 503 (default 30; 0: no limit)")
    p.add_argument("--max-concurrent", type=int, default=4, metavar="N",
                   help="queries evaluated at once, one worker process each; more wait up to --timeout seconds "
                        "(30 with --timeout 0) for a free one, then get 503 (default 4)")
    p.add_argument("--verbose", action="store_true", help="log every request on stderr")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (kill, a service manager) stops the server as Ctrl-C does


def run(args, config) -> int:
    config = config.with_overrides(out_dir=args.out_dir)
    with GraphStore(config.store_path, read_only=True) as store:
        config = config.with_overrides(base_iri=store.detect_base(config.base_iri))
        server = make_server(store, args.host, args.port, base=config.base_iri, verbose=args.verbose,
                             timeout=args.timeout, max_concurrent=args.max_concurrent)
        print(f"kg serve: SPARQL endpoint at {server.url} ({len(store)} quads); Ctrl-C to stop",
              file=sys.stderr, flush=True)
        main = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _interrupt) if main else None
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("kg serve: stopped", file=sys.stderr)
        finally:
            server.server_close()  # stops the workers, so the store is no longer in use
            if main:
                signal.signal(signal.SIGTERM, previous)
    return 0
