"""The ``kg`` command line: a thin shell over ``kg/commands/*``.

It parses flags, loads the configuration (defaults < config file < flags) and runs one subcommand.
A ``KGError`` (a user mistake) becomes one line on stderr and exit code 2 -- never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__, commands
from .config import load_config
from .errors import InputError, KGError


def _discover():
    mods = []
    for info in pkgutil.iter_modules(commands.__path__):
        mod = importlib.import_module(f"{commands.__name__}.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            mods.append(mod)
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def build_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="kg",
        description="Build a knowledge graph of the LLM literature from paper listings, offline.",
        epilog="Run 'kg COMMAND --help' for the options of one command. With no input, build and extract "
               "use the bundled sample corpus (five Hugging Face daily-papers pages).")
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    parser.add_argument("--config", metavar="FILE", help="TOML config file (default: ./kg.toml if present)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    table = {}
    for mod in _discover():
        p = sub.add_parser(mod.NAME, help=mod.HELP, description=getattr(mod, "DESCRIPTION", mod.HELP),
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        mod.add_arguments(p)
        # --config after the command too (kg extract --config x.toml); there it wins over one given before it
        p.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS,
                       help="TOML config file (default: ./kg.toml if present); may also go before the command")
        table[mod.NAME] = mod
    return parser, table


def main(argv: list[str] | None = None) -> int:
    parser, table = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        config = load_config(args.config)
        return int(table[args.command].run(args, config) or 0)
    except KGError as exc:
        print(f"kg {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a path the user gave that cannot be written or read: their mistake, one line
        if isinstance(exc, BrokenPipeError):
            return 0
        print(f"kg {args.command}: error: {_os_error(exc)}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as exc:
        print(f"kg {args.command}: error: {InputError(f'a file given is not UTF-8 text ({exc.reason} at byte {exc.start})', 're-save it as UTF-8')}",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def _os_error(exc: OSError) -> InputError:
    where = exc.filename2 or exc.filename or "a path"  # (a rename's target is the path the user gave)
    fix = {IsADirectoryError: "give a file path, not a folder",
           NotADirectoryError: "a part of the path is a file, not a folder: check the path",
           FileExistsError: "give a folder path where no file stands", FileNotFoundError: "check that its folder exists",
           PermissionError: "choose a place you may write to, or change its permissions"}
    hint = next((h for kind, h in fix.items() if isinstance(exc, kind)), "check the path")
    return InputError(f"{where}: {exc.strerror or exc}", hint)


if __name__ == "__main__":
    sys.exit(main())
