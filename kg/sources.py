"""Sources: paper listings in, ``Paper`` records (and ``Skip`` notes) out.

One reader per format, registered by name in ``READERS``: Hugging Face daily-papers page
text (both layouts), JSON Lines, JSON arrays (incl. the daily-papers API shape), CSV/TSV,
and arXiv API Atom XML. ``read_sources`` walks files, directories (recursively) and stdin
(``-``), sniffs formats, merges the same paper listed twice, and keeps input order.
Bad input never raises: every unusable record becomes a ``Skip`` with ``file:line`` and why.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union

from .records import Paper, Skip

Item = Union[Paper, Skip]
Reader = Callable[[str, str], Iterator[Item]]

ARXIV_RE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
OLD_ARXIV_RE = re.compile(r"\b([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
ARXIV_URL_RE = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|huggingface\.(?:co|host)/papers/|hf\.co/papers/)"
                          r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})")


MAX_RECORD_CHARS = 1_000_000


def normalize_title(title: str) -> str:
    """Lowercase, NFKC, every run of non-alphanumerics collapsed to one space."""
    t = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", " ", t).strip()


def title_id(title: str) -> str:
    """A stable paper id from the normalised title (used when no arXiv id is known). A title with no letters or
    digits (emoji only, punctuation) is hashed as written, so two such titles do not share an id."""
    key = normalize_title(title) or unicodedata.normalize("NFC", title.strip())
    return "t" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


def find_arxiv_id(*values: str | None) -> str | None:
    for v in values:
        if not v:
            continue
        m = ARXIV_URL_RE.search(v)
        if m:
            return m.group(1)
        v = v.strip()
        m = re.fullmatch(r"(?:arxiv:|arXiv:)?(\d{4}\.\d{4,5})(?:v\d+)?", v)
        if m:
            return m.group(1)
        m = re.fullmatch(r"(?:arxiv:|arXiv:)?([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", v)
        if m:
            return m.group(1)
    return None


def clean_text(s: str) -> str:
    """Collapse whitespace runs (incl. newlines inside a field) to one space."""
    return re.sub(r"\s+", " ", s).strip()


def make_paper(*, title: str, abstract: str, source: str, id: str | None = None, url: str | None = None,
               authors: Iterable[str] = (), published: str | None = None) -> Item:
    """Build a ``Paper`` or a ``Skip`` explaining what is missing."""
    title = clean_text(title or "")
    abstract = clean_text(abstract or "")
    if not title and not abstract:
        return Skip(source, "record has neither a title nor an abstract")
    if not title:
        return Skip(source, "record has an abstract but no title (add a 'title')")
    if not abstract:
        return Skip(source, f"paper {title[:60]!r} has no abstract (add an 'abstract' or 'summary')")
    if len(title) + len(abstract) > MAX_RECORD_CHARS:
        return Skip(source, f"paper {title[:60]!r} is {len(title) + len(abstract):,} characters long, over the "
                            f"{MAX_RECORD_CHARS:,} a title and abstract may have (give the abstract, not the full text)")
    arxiv = find_arxiv_id(url, id)
    pid = (str(id).strip() if id not in (None, "") else None) or arxiv or title_id(title)
    return Paper(id=pid, title=title, abstract=abstract, source=source, url=url or None,
                 authors=tuple(a for a in (clean_text(str(x)) for x in authors) if a),
                 published=published or None, arxiv_id=arxiv)


# ---------------------------------------------------------------- HF daily-papers page text
CHROME_RE = re.compile(
    r"^(new|subscribe|get trending papers in your email inbox( once a day)?!?|by ?ak and the research community"
    r"|daily papers|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(, \d{4})?)$",
    re.IGNORECASE)


def _is_abstract_line(line: str) -> bool:
    if len(line) >= 300:
        return True
    sentences = len(re.findall(r"[.!?](?:\s+|$)", line))
    return len(line) >= 120 and line.endswith((".", ")", "!", "?", '"')) and sentences >= 2


def read_hf_page(text: str, name: str) -> Iterator[Item]:
    """Read a Hugging Face daily-papers page copied as text (either layout)."""
    pending: tuple[int, str] | None = None  # (line number, title)
    for lineno, raw in enumerate(lines(text), 1):
        line = raw.strip()
        if re.match(r"Subscribe(?=[A-Z0-9\"'(])", line):  # the page's button text glued to the first title
            line = line[len("Subscribe"):].strip()
        if not line or CHROME_RE.match(line):
            continue
        if _is_abstract_line(line):
            if pending is None:
                yield Skip(f"{name}:{lineno}", "abstract without a title on the line(s) before it")
            else:
                yield make_paper(title=pending[1], abstract=line, source=f"{name}:{pending[0]}")
                pending = None
        else:
            if pending is not None:
                yield Skip(f"{name}:{pending[0]}", f"title {pending[1][:60]!r} has no abstract after it")
            pending = (lineno, line)
    if pending is not None:
        yield Skip(f"{name}:{pending[0]}", f"title {pending[1][:60]!r} has no abstract after it")


# ---------------------------------------------------------------- JSON / JSONL
def _from_obj(obj: object, source: str) -> Item:
    if not isinstance(obj, dict):
        return Skip(source, f"expected a JSON object, got {type(obj).__name__}")
    if isinstance(obj.get("paper"), dict):  # daily-papers API shape
        inner = dict(obj["paper"])
        for k in ("title", "summary"):
            inner.setdefault(k, obj.get(k))
        obj = inner
    title = obj.get("title") or ""
    abstract = obj.get("abstract") or obj.get("summary") or ""
    if not isinstance(title, str) or not isinstance(abstract, str):
        return Skip(source, "'title' and 'abstract' must be strings")
    pid = _scalar(obj.get("id")) or _scalar(obj.get("arxiv_id")) or _scalar(obj.get("paper_id"))
    url = next((v.strip() for v in (obj.get("url"), obj.get("link")) if isinstance(v, str) and v.strip()), None)
    if not url and find_arxiv_id(pid):
        url = f"https://arxiv.org/abs/{find_arxiv_id(pid)}"
    published = _scalar(obj.get("published")) or _scalar(obj.get("publishedAt")) or _scalar(obj.get("date"))
    return make_paper(title=title, abstract=abstract, source=source, id=pid, url=url,
                      authors=_authors(obj.get("authors")), published=published)


def _scalar(value: object) -> str | None:
    """A field that should hold one string: strings and numbers are kept (as text), anything else is ignored."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip() or None
    return None


def _authors(value: object) -> list[str]:
    """Author names from a string ("A, B and C"), a list of strings, or a list of ``{"name": ...}`` objects."""
    if isinstance(value, str):
        return [a for a in re.split(r",|;| and ", value) if a.strip()]
    if not isinstance(value, list):
        return []
    names = []
    for a in value:
        name = a.get("name") if isinstance(a, dict) else a
        if isinstance(name, str) and name.strip():
            names.append(name)
    return names


def lines(text: str) -> list[str]:
    """Physical lines: split on newline only (``str.splitlines`` also breaks on U+2028, U+0085, form feeds...,
    which JSON strings and abstracts may hold)."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def read_jsonl(text: str, name: str) -> Iterator[Item]:
    for lineno, line in enumerate(lines(text), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(f"{name}:{lineno}", f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _from_obj(obj, f"{name}:{lineno}")


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def read_json(text: str, name: str) -> Iterator[Item]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        yield Skip(f"{name}:{exc.lineno}", f"malformed JSON ({exc.msg} at column {exc.colno}); nothing read from it")
        return
    if isinstance(data, dict):
        for key in ("papers", "data", "items", "records"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            data = [data]
    if not isinstance(data, list):
        yield Skip(f"{name}:1", "expected a JSON array of paper objects")
        return
    # locate each top-level object for file:line reporting
    decoder = json.JSONDecoder()
    starts: list[int] = []
    i = text.find("[")
    if i >= 0:
        i += 1
        while len(starts) < len(data):
            while i < len(text) and text[i] in " \t\r\n,":
                i += 1
            if i >= len(text) or text[i] == "]":
                break
            try:
                _, end = decoder.raw_decode(text, i)
            except json.JSONDecodeError:
                break
            starts.append(i)
            i = end
    for n, obj in enumerate(data):
        line = _line_of(text, starts[n]) if n < len(starts) else 1
        yield _from_obj(obj, f"{name}:{line}")


# ---------------------------------------------------------------- CSV / TSV
def read_csv(text: str, name: str, delimiter: str | None = None) -> Iterator[Item]:
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",\t;").delimiter
        except csv.Error:
            delimiter = ","
    csv.field_size_limit(max(csv.field_size_limit(), 2 * MAX_RECORD_CHARS))  # abstracts can exceed 128 KiB
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    except csv.Error as exc:
        yield Skip(f"{name}:1", f"malformed CSV header ({exc})")
        return
    if "title" not in fields or not ({"abstract", "summary"} & fields.keys()):
        yield Skip(f"{name}:1", f"CSV header needs 'title' and 'abstract' (or 'summary') columns, has {sorted(fields)}")
        return
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # the csv module cannot resume after this: name where reading stopped
            yield Skip(f"{name}:{reader.line_num}", f"malformed CSV ({exc}); the rest of the file was not read")
            return
        lineno = reader.line_num
        if None in row:
            yield Skip(f"{name}:{lineno}", "row has more cells than the header")
            continue
        obj = {k.strip().lower(): v for k, v in row.items() if k}
        yield _from_obj(obj, f"{name}:{lineno}")


# ---------------------------------------------------------------- arXiv Atom
ATOM = "{http://www.w3.org/2005/Atom}"


def read_atom(text: str, name: str) -> Iterator[Item]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        yield Skip(f"{name}:{exc.position[0]}", f"malformed XML ({exc}); nothing read from it")
        return
    entries = root.findall(f"{ATOM}entry") or root.findall("entry")
    if not entries:
        yield Skip(f"{name}:1", "no Atom <entry> elements found")
    for n, entry in enumerate(entries, 1):
        def get(tag: str) -> str:
            el = entry.find(ATOM + tag)
            if el is None:
                el = entry.find(tag)
            return (el.text or "") if el is not None else ""
        authors = [clean_text(a.findtext(f"{ATOM}name") or a.findtext("name") or "")
                   for a in entry.findall(f"{ATOM}author") + entry.findall("author")]
        url = get("id") or None
        yield make_paper(title=get("title"), abstract=get("summary"), source=f"{name}:entry {n}",
                         id=find_arxiv_id(url), url=url, authors=authors,
                         published=get("published") or None)


READERS: dict[str, Reader] = {
    "hf-page": read_hf_page,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "tsv": lambda text, name: read_csv(text, name, "\t"),
    "atom": read_atom,
}
EXTENSIONS = {".txt": "hf-page", ".md": "hf-page", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
              ".csv": "csv", ".tsv": "tsv", ".xml": "atom", ".atom": "atom"}


def sniff_format(text: str) -> str:
    head = text.lstrip()[:2000]
    if head.startswith("<"):
        return "atom"
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        first = lines(head)[0].strip()
        try:
            json.loads(first)
            return "jsonl"
        except json.JSONDecodeError:
            return "json"
    first = lines(head)[0].lower() if head else ""
    if "title" in first and ("abstract" in first or "summary" in first) and ("," in first or "\t" in first):
        return "tsv" if "\t" in first else "csv"
    return "hf-page"


def decode(data: bytes, name: str) -> tuple[str | None, Skip | None]:
    """Bytes to text, or a Skip saying why the file cannot be read as text."""
    if not data.strip():
        return None, Skip(f"{name}:1", "file is empty")
    if b"\x00" in data[:8192]:
        return None, Skip(f"{name}:1", "file looks binary (NUL bytes); give a text listing")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, Skip(f"{name}:{line}", f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                                            "re-save the file as UTF-8")


def read_text(text: str, name: str, fmt: str | None = None) -> Iterator[Item]:
    fmt = fmt or sniff_format(text)
    yield from READERS[fmt](text, name)


def _iter_files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        for p in sorted(path.rglob("*")):
            if p.is_file() and p.suffix.lower() in EXTENSIONS and not p.name.startswith("."):
                yield p
    else:
        yield path


def _sample_dir() -> Path:
    return Path(str(resources.files("kg") / "data" / "sample"))


def display_name(path: Path) -> str:
    """How a file is named in ``file:line`` sources: as given, except the bundled corpus, which is named
    ``sample/<file>`` so outputs do not depend on where the package is installed."""
    try:
        if path.resolve().parent == _sample_dir().resolve():
            return f"sample/{path.name}"
    except OSError:
        pass
    return str(path)


def bundled_corpus() -> list[Path]:
    """The sample corpus shipped inside the package (five daily-papers pages)."""
    return sorted(p for p in _sample_dir().iterdir() if p.name.endswith(".txt"))


@dataclass
class ReadResult:
    papers: list[Paper] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    duplicates: list[Skip] = field(default_factory=list)
    records: int = 0

    @property
    def warnings(self) -> list[Skip]:
        return self.skips


def iter_items(inputs: Iterable[str], fmt: str | None = None, stdin: io.TextIOBase | None = None) -> Iterator[Item]:
    for spec in inputs:
        if spec == "-":
            stream = stdin or sys.stdin
            data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
            text, skip = decode(data, "<stdin>")
            if skip:
                yield skip
            else:
                yield from read_text(text, "<stdin>", fmt)
            continue
        path = Path(spec)
        if not path.exists():
            yield Skip(f"{spec}:0", "no such file or directory")
            continue
        files = list(_iter_files(path))
        if path.is_dir() and not files:
            yield Skip(f"{spec}:0", f"directory has no listing files ({', '.join(sorted(EXTENSIONS))})")
        for f in files:
            try:
                data = f.read_bytes()
            except OSError as exc:
                yield Skip(f"{f}:0", f"cannot read file ({exc.strerror})")
                continue
            name = display_name(f)
            text, skip = decode(data, name)
            if skip:
                yield skip
                continue
            yield from read_text(text, name, fmt or EXTENSIONS.get(f.suffix.lower()))


def merge(a: Paper, b: Paper) -> Paper:
    """Two listings of one paper: keep the first, fill what it lacks from the second."""
    return replace(a, abstract=a.abstract if len(a.abstract) >= len(b.abstract) else b.abstract,
                   url=a.url or b.url, authors=a.authors or b.authors, published=a.published or b.published,
                   arxiv_id=a.arxiv_id or b.arxiv_id)


def _different_ids(a: Paper, b: Paper) -> bool:
    """Two records with the same title are different papers when both carry their own, different ids."""
    return a.id != b.id and a.id != title_id(a.title) and b.id != title_id(b.title)


def read_sources(inputs: Iterable[str], fmt: str | None = None, stdin: io.TextIOBase | None = None) -> ReadResult:
    """Read every input; one ``Paper`` per distinct paper, in first-seen order."""
    res = ReadResult()
    by_id: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for item in iter_items(inputs, fmt, stdin):
        if isinstance(item, Skip):
            res.skips.append(item)
            continue
        res.records += 1
        key_t = normalize_title(item.title)
        idx = by_id.get(item.id)
        if idx is None and key_t in by_title and not _different_ids(res.papers[by_title[key_t]], item):
            idx = by_title[key_t]
        if idx is not None:
            first = res.papers[idx]
            res.papers[idx] = merge(first, item)
            res.duplicates.append(Skip(item.source, f"same paper as {first.source} (id {first.id}); merged"))
            continue
        by_id[item.id] = len(res.papers)
        if key_t:
            by_title.setdefault(key_t, len(res.papers))
        res.papers.append(item)
    return res
