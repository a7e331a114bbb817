"""Sources: paper listings in, ``Paper`` records (and ``Skip`` notes) out.

One reader per format, registered by name in ``READERS``: Hugging Face daily-papers page
text (both layouts), JSON Lines, JSON arrays (incl. the daily-papers API shape), CSV/TSV,
and arXiv API Atom XML. ``read_sources`` walks files, directories (recursively) and stdin
(``-``), sniffs formats, merges the same paper listed twice, and keeps input order.
Bad input never raises: every unusable record becomes a ``Skip`` with ``file:line`` and why
(an Atom entry's line is the line of its ``<entry>`` tag). A byte that is not UTF-8 costs only the line or
record holding it (a whole XML document; a file that is mostly not text is one ``Skip``).

Text is cleaned as it is read (``clean_chars``): each lone surrogate (e.g. from a JSON ``"\\ud800"`` escape)
becomes U+FFFD and each control character other than tab, newline and CR (C0 controls, DEL) becomes a space,
one character for one, before whitespace runs are collapsed as in any text. Mention offsets index this cleaned
text, and no later stage (spaCy, UTF-8 output, XML exports) meets those characters.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Iterator, Union
from xml.parsers import expat

from .jsonl import json_error
from .records import Paper, Skip
from .store import LOCK_NAME

Item = Union[Paper, Skip]
Reader = Callable[[str, str], Iterator[Item]]

ARXIV_RE = re.compile(r"(?<![\d.])(\d{4}\.\d{4,5})(?:v\d+)?(?![\d])")
OLD_ARXIV_RE = re.compile(r"\b([a-z\-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?\b")
_ARXIV = r"(\d{4}\.\d{4,5}|[a-z\-]+(?:\.[A-Z]{2})?/\d{7})"
ARXIV_URL_RE = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|huggingface\.(?:co|host)/papers/|hf\.co/papers/|"
                          r"10\.48550/(?i:arxiv)\.)"  # (the DOI arXiv gives every paper: 10.48550/arXiv.2401.01234)
                          + _ARXIV + r"(?!\d)")
ARXIV_ID_RE = re.compile(r"(?i:arxiv:)?\s*" + _ARXIV + r"(?:v\d+)?")
BAD_CHARS_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


MAX_RECORD_CHARS = 1_000_000


class Note(Skip):
    """A warning about a record that was kept (not skipped): printed as ``file:line: reason``."""

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def normalize_title(title: str) -> str:
    """Lowercase, NFKC, every run of non-alphanumerics collapsed to one space."""
    t = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", " ", t).strip()


def title_id(title: str) -> str:
    """A stable paper id from the normalised title (used when no arXiv id is known). A title with no letters or
    digits (emoji only, punctuation) is hashed as written, so two such titles do not share an id."""
    key = normalize_title(title) or unicodedata.normalize("NFC", title.strip())
    return "t" + hashlib.sha1(key.encode("utf-8", "replace")).hexdigest()[:12]


def find_arxiv_id(*values: str | None) -> str | None:
    """The bare arXiv id (``2401.01234``, ``hep-th/9901001``) of the first value that is one: with or without
    ``arXiv:`` and a version suffix, or an arxiv.org abs/pdf or huggingface.co (.host, hf.co) papers URL."""
    for v in values:
        if not v:
            continue
        m = ARXIV_URL_RE.search(v) or ARXIV_ID_RE.fullmatch(v.strip())
        if m:
            return m.group(1)
    return None


def clean_chars(s: str) -> str:
    """Each lone surrogate becomes U+FFFD, each control character but tab/newline/CR a space (same length)."""
    return BAD_CHARS_RE.sub(lambda m: "\ufffd" if m.group() >= "\ud800" else " ", s)


# a byte that is not UTF-8, as ``decode`` keeps it (a lone surrogate U+DC80..U+DCFF): the reader skips the line or
# record holding one and keeps the rest (text decoded as UTF-8 never holds such a character; a JSON escape
# "\udce9" is six characters until it is parsed)
RAW_BYTE_RE = re.compile("[\udc80-\udcff]")
NOT_UTF8_FIX = "re-save the file as UTF-8"


def bad_byte(s: str, start: int = 0, end: int | None = None) -> tuple[int, int] | None:
    """``(offset, byte)`` of the first byte in ``s[start:end]`` that is not UTF-8, or None."""
    m = RAW_BYTE_RE.search(s, start, len(s) if end is None else end)
    return (m.start(), ord(m.group()) - 0xDC00) if m else None


def _line_col(text: str, offset: int) -> str:
    return f"line {text.count(chr(10), 0, offset) + 1}, column {offset - text.rfind(chr(10), 0, offset)}"


# a line broken after a hyphen inside a word or a name ("fine-\ntuned", "Llama-\n2-7B", text copied from a PDF or
# wrapped in a CSV cell): the hyphen stays, the line break goes; and a link broken after a slash
_HYPHEN_BREAK_RE = re.compile(r"(?<=[^\W_])-[ \t]*\r?\n\s*(?=[^\W_])")
# (a link's path goes on in the next line when the next line starts with more path: "foo/bar", not "We ...")
_SLASH_BREAK_RE = re.compile(r"/[ \t]*\r?\n[ \t]*(?=(?P<more>[\w.\-~%]+/)?[a-z0-9][\w.\-~%]*)")
# a code host's link that names only an owner so far: the repository's name is the next line's word
# ("https://github.com/zorb-lab/⏎zorb."; not "https://zorro-ai.github.io/⏎We release")
_OWNER_ONLY_RE = re.compile(r"(?:github\.com|gitlab\.com|huggingface\.co|hf\.co|modelscope\.cn)/[\w.\-]+$",
                            re.IGNORECASE)
_LINK_START_RE = re.compile(r"(?:https?://|www\.)\S*$")


def clean_text(s: str) -> str:
    """``clean_chars``, then join lines broken after a hyphen in a word or a slash in a link, then collapse
    whitespace runs (incl. the other newlines inside a field) to one space."""
    s = clean_chars(s)
    if "\n" in s:
        s = _HYPHEN_BREAK_RE.sub("-", s)
        if "/" in s:
            s = _join_broken_links(s)
    return re.sub(r"\s+", " ", s).strip()


def _join_broken_links(s: str) -> str:
    """A link broken into lines after a slash, put together where the next line goes on with its path."""
    parts, pos = [], 0
    for m in _SLASH_BREAK_RE.finditer(s):
        lo = max(0, m.start() - 2048)  # (a link is not longer than that: the look back stays bounded)
        word_start = max(s.rfind(" ", lo, m.start()), s.rfind("\n", lo, m.start()), s.rfind("\t", lo, m.start()),
                         lo - 1) + 1
        link = _LINK_START_RE.match(s, word_start, m.start())
        if link and (m.group("more") or _OWNER_ONLY_RE.search(link.group())):
            parts.append(s[pos:m.start() + 1])
            pos = m.end()
    return "".join(parts) + s[pos:] if parts else s


def make_paper(*, title: str, abstract: str, source: str, id: str | None = None, url: str | None = None,
               authors: Iterable[str] = (), published: str | None = None, arxiv: str | None = None) -> Item:
    """Build a ``Paper`` or a ``Skip`` explaining what is missing.

    The id is the one given, except that an arXiv id in any form (``arXiv:2401.01234v2``, an arxiv.org or
    huggingface.co/papers URL) becomes the bare arXiv id; with no id given, the arXiv id of the URL, else the
    title id. A paper's own (non-arXiv) id is kept even when its URL names an arXiv id.
    """
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
    given = clean_text(str(id)) if id is not None else ""
    url = clean_text(url) if url else None
    arxiv = find_arxiv_id(given, url) or (find_arxiv_id(arxiv) if arxiv else None)
    pid = find_arxiv_id(given) or given or arxiv or title_id(title)
    return Paper(id=pid, title=title, abstract=abstract, source=source, url=url or None,
                 authors=tuple(a for a in (clean_text(str(x)) for x in authors) if a),
                 published=clean_text(published) if published else None, arxiv_id=arxiv)


# ---------------------------------------------------------------- HF daily-papers page text
CHROME_RE = re.compile(
    r"^(new|subscribe|get trending papers in your email inbox( once a day)?!?|by ?ak and the research community"
    r"|daily papers|(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(, \d{4})?"
    # a paper card's own lines: who submitted it, its upvotes (a count of up to three digits, or 1.2k), its
    # author and comment counts, its date (a title such as "1984", "3.5" or "7 Authors" stays a title)
    r"|submitted by \S+|(▲|upvote) ?[\d,.]+k?|\d{1,3}|\d+(\.\d)?k|upvote|(?-i:· ?\d+ authors?|\d+ authors|\d+ comments?)"
    r"|published on (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2}(, \d{4})?)$",
    re.IGNORECASE)


# what the page reader takes for an abstract: this long and this many sentences, or this long whatever it holds
MIN_ABSTRACT_CHARS, MIN_ABSTRACT_SENTENCES, LONG_ABSTRACT_CHARS = 120, 2, 300


def _is_abstract_line(line: str) -> bool:
    if len(line) >= LONG_ABSTRACT_CHARS:
        return True
    sentences = len(re.findall(r"[.!?](?:\s+|$)", line))
    return (len(line) >= MIN_ABSTRACT_CHARS and line.endswith((".", ")", "!", "?", '"'))
            and sentences >= MIN_ABSTRACT_SENTENCES)


def _reads_like_sentences(line: str) -> bool:
    """Too short for an abstract, but written like one: four words or more ending with a full stop (a title seldom
    ends so)."""
    return line.endswith((".", '."', ".)")) and len(line.split()) >= 4


def _page_units(text: str) -> Iterator[tuple[int, str]]:
    """The page's titles and abstracts with their line numbers: one per line where a line holds a whole field
    (both layouts of the page), and one per block of lines between blank lines where the page text was
    wrapped (a title on two lines, an abstract broken into lines of 80 characters)."""
    block: list[tuple[int, str]] = []
    # (only a page laid out in blocks between blank lines has blocks to join: in the one-line-per-field layout
    # the whole page is one block, and a line without an abstract after it is named on its own)
    in_blocks = bool(re.search(r"\S[^\S\n]*\n[^\S\n]*\n[^\S\n]*\S", text))

    def flush() -> Iterator[tuple[int, str]]:
        if in_blocks and len(block) > 1 and not any(_is_abstract_line(line) for _, line in block):
            yield block[0][0], "\n".join(line for _, line in block)  # (made one line as fields are read)
        else:
            yield from block
        block.clear()

    for lineno, raw in enumerate(lines(text), 1):
        line = raw.strip()
        if re.match(r"Subscribe(?=[A-Z0-9\"'(])", line):  # the page's button text glued to the first title
            line = line[len("Subscribe"):].strip()
        if not line:
            yield from flush()
        elif not CHROME_RE.match(line):
            block.append((lineno, line))
    yield from flush()


def read_hf_page(text: str, name: str) -> Iterator[Item]:
    """Read a Hugging Face daily-papers page copied as text (either layout)."""
    pending: tuple[int, str] | None = None  # (line number, title)
    # the unit after a title that is no abstract but may be its abstract (one too short, or one holding a byte that
    # is not UTF-8): the next unit says which (an abstract after it makes it a title)
    follow: tuple[int, str] | None = None
    for lineno, line in _page_units(text):
        if _is_abstract_line(line):
            if follow is not None:
                yield _unpaired(name, pending)
                pending, follow = follow, None
            if pending is None:
                yield Skip(f"{name}:{lineno}", "abstract without a title on the line(s) before it")
            else:
                yield _page_paper(name, pending, (lineno, line))
                pending = None
        elif pending is not None and follow is None and (_reads_like_sentences(line) or bad_byte(line)):
            follow = (lineno, line)
        else:
            if pending is not None:
                yield _unpaired(name, pending, follow)
            pending, follow = (lineno, line), None
    if pending is not None:
        yield _unpaired(name, pending, follow)


def _not_utf8(name: str, units: list[tuple[int, str]]) -> Skip | None:
    """A page's paper (its title, and the unit after it) holding a byte that is not UTF-8, skipped whole."""
    for lineno, unit in units:
        bad = bad_byte(unit)
        if bad:
            what = f"lines {units[0][0]} and {units[1][0]}" if len(units) > 1 else "this line"
            return Skip(f"{name}:{lineno}", f"not UTF-8 (byte 0x{bad[1]:02x} at column {bad[0] + 1}); the paper of "
                                            f"{what} was not read; {NOT_UTF8_FIX}")
    return None


def _page_paper(name: str, title: tuple[int, str], abstract: tuple[int, str]) -> Item:
    return _not_utf8(name, [title, abstract]) or \
        make_paper(title=title[1], abstract=abstract[1], source=f"{name}:{title[0]}")


def _unpaired(name: str, title: tuple[int, str], follow: tuple[int, str] | None = None) -> Skip:
    """Why a title on a page makes no paper; ``follow`` is the unit after it, read as no abstract."""
    bad = _not_utf8(name, [title] + ([follow] if follow else []))
    if bad:
        return bad
    where = f"{name}:{title[0]}"
    if follow is None:
        return Skip(where, f"title {title[1][:60]!r} has no abstract after it")
    return Skip(where, f"title {title[1][:60]!r} has no abstract after it: line {follow[0]}: {follow[1][:40]!r} looks "
                       f"like an abstract shorter than the page reader accepts ({MIN_ABSTRACT_CHARS} characters and "
                       f"{MIN_ABSTRACT_SENTENCES} sentences, or {LONG_ABSTRACT_CHARS} characters); give such "
                       "listings as JSON Lines or CSV with title and abstract")


# ---------------------------------------------------------------- JSON / JSONL
class _Num(str):
    """A JSON number kept as written (an id ``2401.10010`` must not become the float ``2401.1001``)."""


_DECODER = json.JSONDecoder(parse_float=_Num, parse_int=_Num, parse_constant=_Num)


def _loads(s: str) -> object:
    """``json.loads`` with numbers as ``_Num`` text; nesting too deep for Python is a ``JSONDecodeError`` too."""
    try:
        return _DECODER.decode(s)
    except RecursionError:
        start = len(s) - len(s.lstrip())
        raise json.JSONDecodeError("nested too deeply", s, start) from None


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not isinstance(value, _Num)


def _from_obj(obj: object, source: str) -> Item:
    if not isinstance(obj, dict):
        return Skip(source, f"expected a paper object, got {_kind(obj)}")
    if "entities" in obj and "relations" in obj and isinstance(obj.get("paper"), dict):
        return Skip(source, "a kg extraction record (what kg extract writes), not a listing -- "
                            "build from such records with kg build --extractions FILE")
    if isinstance(obj.get("paper"), dict):  # daily-papers API shape
        inner = dict(obj["paper"])
        for k in ("title", "summary"):
            inner.setdefault(k, obj.get(k))
        obj = inner
    title = obj.get("title") or obj.get("display_name") or ""
    abstract = obj.get("abstract") or obj.get("summary") or ""
    if not abstract and isinstance(obj.get("abstract_inverted_index"), dict):
        abstract = _uninvert(obj["abstract_inverted_index"])  # (OpenAlex gives the abstract word by position)
    if not _is_text(title) or not _is_text(abstract):
        return Skip(source, "'title' and 'abstract' must be strings")
    pid = _scalar(obj.get("id")) or _scalar(obj.get("arxiv_id")) or _scalar(obj.get("paper_id"))
    external = obj.get("externalIds") if isinstance(obj.get("externalIds"), dict) else {}
    ids = obj.get("ids") if isinstance(obj.get("ids"), dict) else {}
    # (Semantic Scholar's externalIds.ArXiv; an arXiv DOI, as OpenAlex gives it)
    arxiv = find_arxiv_id(_scalar(external.get("ArXiv")), _scalar(obj.get("doi")), _scalar(ids.get("doi")))
    if arxiv and pid is None:
        pid = arxiv  # (a record's own id stays its id; the arXiv id is known beside it)
    url = next((v.strip() for v in (obj.get("url"), obj.get("link")) if _is_text(v) and v.strip()), None)
    if not url and find_arxiv_id(pid):
        url = f"https://arxiv.org/abs/{find_arxiv_id(pid)}"
    published = (_scalar(obj.get("published")) or _scalar(obj.get("publishedAt")) or _scalar(obj.get("date"))
                 or _scalar(obj.get("publicationDate")) or _scalar(obj.get("publication_date")))
    authors = obj.get("authors")
    if authors is None and isinstance(obj.get("authorships"), list):  # OpenAlex
        authors = [a["author"].get("display_name") for a in obj["authorships"]
                   if isinstance(a, dict) and isinstance(a.get("author"), dict)]
    return make_paper(title=title, abstract=abstract, source=source, id=pid, url=url,
                      authors=_authors(authors), published=published, arxiv=arxiv)


def _uninvert(index: dict) -> str:
    """An abstract from an inverted index (word -> its positions), as OpenAlex gives it."""
    at: dict[int, str] = {}
    for word, places in index.items():
        if isinstance(places, list):
            for i in places:  # (numbers are read as the text of the number)
                if isinstance(i, (int, str)) and not isinstance(i, bool) and str(i).isdigit() and int(i) < 100_000:
                    at[int(i)] = str(word)
    return " ".join(at[i] for i in sorted(at))


_KINDS = {bool: ("true or false", "true/false values"), type(None): ("null", "nulls"), list: ("a list", "lists"),
          dict: ("an object", "objects"), _Num: ("a number", "numbers"), str: ("a string", "strings")}


def _kind(value: object, plural: bool = False) -> str:
    """What a JSON value is, in words: "a number", "null" (``plural``: "numbers", "nulls")."""
    return _KINDS.get(type(value), (type(value).__name__,) * 2)[plural]


def _scalar(value: object) -> str | None:
    """A field that should hold one string: strings and numbers are kept (as text), anything else is ignored."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (str, int, float)):
        return str(value).strip() or None
    return None


_ONE_SURNAME_FIRST = re.compile(r"[^\W\d][\w'\-]*(?: [^\W\d][\w'\-]*)?, (?:[A-Z]\.? ?){1,3}|[^\W\d][\w'\-]*, [A-Z][a-z]+")


def _authors(value: object) -> list[str]:
    """Author names from a string ("A, B and C"; "Doe, Jane; Roe, Rick" as reference managers write them), a
    list of strings, or a list of ``{"name": ...}`` objects."""
    if _is_text(value):
        if ";" in value or _ONE_SURNAME_FIRST.fullmatch(value.strip()):
            return [a.strip() for a in value.split(";") if a.strip()]  # (each name written surname first)
        return [a.strip() for a in re.split(r",| and ", value) if a.strip()]
    if not isinstance(value, list):
        return []
    names = []
    for a in value:
        name = a.get("name") if isinstance(a, dict) else a
        if _is_text(name) and name.strip():
            names.append(name)
    return names


def lines(text: str) -> list[str]:
    """Physical lines: split on newline only (``str.splitlines`` also breaks on U+2028, U+0085, form feeds...,
    which JSON strings and abstracts may hold)."""
    return [line[:-1] if line.endswith("\r") else line for line in text.split("\n")]


def read_jsonl(text: str, name: str) -> Iterator[Item]:
    """One JSON object per line. Text that is one JSON array (in a .jsonl file) is read as JSON."""
    if text.lstrip().startswith("[") and _sniff(text) == ("json", True):
        yield from read_json(text, name)
        return
    for lineno, line in enumerate(lines(text), 1):
        if not line.strip():
            continue
        bad = bad_byte(line)
        if bad:
            yield Skip(f"{name}:{lineno}", f"not UTF-8 (byte 0x{bad[1]:02x} at column {bad[0] + 1}); {NOT_UTF8_FIX}")
            continue
        try:
            obj = _loads(line)
        except json.JSONDecodeError as exc:
            yield Skip(f"{name}:{lineno}", json_error(exc))
            continue
        yield _from_obj(obj, f"{name}:{lineno}")


def _is_jsonl(text: str, exc: json.JSONDecodeError) -> bool:
    """Whether text that is not one JSON document is JSON Lines: it starts with an object that ends before the
    error ("Extra data"), or at least half of its lines that start with '{' are whole objects (the first line
    may be the broken one)."""
    if not text.lstrip().startswith("{"):
        return False
    if exc.msg == "Extra data":
        return True
    whole = [_is_object(line) for line in lines(text) if line.lstrip().startswith("{")]
    return sum(whole) * 2 >= len(whole)


def _is_object(line: str) -> bool:
    try:
        return isinstance(_loads(line), dict)
    except json.JSONDecodeError:
        return False


_WS = " \t\r\n"


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WS:
        i += 1
    return i


def _array_starts(text: str, i: int) -> list[int]:
    """Offsets of the elements of the (valid) JSON array whose ``[`` is at ``text[i]``."""
    starts: list[int] = []
    i = _skip_ws(text, i + 1)
    while text[i] != "]":
        starts.append(i)
        _, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    return starts


def _member_starts(text: str, i: int) -> dict[str, int]:
    """Offset of each member's value in the (valid) JSON object whose ``{`` is at ``text[i]`` (last one wins,
    as in ``json.loads``)."""
    starts: dict[str, int] = {}
    i = _skip_ws(text, i + 1)
    while text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, _skip_ws(text, i) + 1)  # past ':'
        starts[key] = i
        _, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    return starts


def read_json(text: str, name: str) -> Iterator[Item]:
    """One JSON document: an array of papers, an object holding one under "papers"/"data"/"items"/"records"/"results",
    or a single paper object. Text that is JSON Lines (one object per line) is read as JSON Lines."""
    try:
        data = _loads(text)
    except json.JSONDecodeError as exc:
        if _is_jsonl(text, exc):
            yield from read_jsonl(text, name)
            return
        yield Skip(f"{name}:{exc.lineno}", f"{json_error(exc)}; nothing read from it")
        return
    top = _skip_ws(text, 0)
    where: int | str | None = top  # offset of the array of papers, the member holding it, or None: one paper
    if isinstance(data, dict):
        key = next((k for k in ("papers", "data", "items", "records", "results") if isinstance(data.get(k), list)),
                   None)  # ("results": an OpenAlex or Semantic Scholar API answer)
        if key is not None and any(k in data for k in ("abstract", "summary", "paper")):
            key = None  # (one paper with a list of its own results; a reading list's own title is no paper)
        data, where = ([data], None) if key is None else (data[key], key)
    if not isinstance(data, list):
        yield Skip(f"{name}:1", "expected a JSON array of paper objects")
        return
    try:  # locate each paper object for file:line reporting
        if where is None:
            starts = [top]
        else:
            starts = _array_starts(text, _member_starts(text, top)[where] if isinstance(where, str) else where)
    except (ValueError, IndexError, KeyError, RecursionError):  # not expected for text that parsed
        starts = []
    first_bad = bad_byte(text)
    if first_bad and len(starts) < len(data):  # (where each record is, unknown: the document is not read)
        yield Skip(f"{name}:{text.count(chr(10), 0, first_bad[0]) + 1}",
                   f"not UTF-8 (byte 0x{first_bad[1]:02x} at {_line_col(text, first_bad[0])}); nothing read from it; "
                   f"{NOT_UTF8_FIX}")
        return

    def label(n: int) -> str:  # (which value of the document is meant: "items[0]", "[3]")
        return f"{where}[{n}]" if isinstance(where, str) else f"[{n}]"

    def not_papers(run: list[int], line: int) -> Skip:
        if len(run) == 1:
            return Skip(f"{name}:{line}", f"{label(run[0])}: expected a paper object, got {_kind(data[run[0]])}")
        kinds = " and ".join(dict.fromkeys(_kind(data[i], plural=True) for i in run))
        return Skip(f"{name}:{line}", f"{label(run[0])} to {label(run[-1])} ({len(run)} values): expected paper "
                                      f"objects, got {kinds}")

    line, at = 1, 0  # (lines counted on from the previous record: counting from the top each time is quadratic)
    run: list[int] = []  # values that are not objects, on one line: said in one warning
    run_line = 0
    for n, obj in enumerate(data):
        if n < len(starts) and starts[n] >= at:
            line, at = line + text.count("\n", at, starts[n]), starts[n]
        here = line if n < len(starts) else 1
        if run and (isinstance(obj, dict) or here != run_line):
            yield not_papers(run, run_line)
            run = []
        if not isinstance(obj, dict):
            run.append(n)
            run_line = here
            continue
        # (a record that ends before the first bad byte holds none; the others are parsed again to find where they
        # end; the line is counted on from the record's own, not from the top: once per record from the top is
        # quadratic)
        before_bad = not first_bad or (n + 1 < len(starts) and starts[n + 1] <= first_bad[0])
        bad = None if before_bad else bad_byte(text, starts[n], _DECODER.raw_decode(text, starts[n])[1])
        if bad:
            col = bad[0] - text.rfind("\n", 0, bad[0])
            yield Skip(f"{name}:{here}", f"not UTF-8 (byte 0x{bad[1]:02x} at line "
                                         f"{here + text.count(chr(10), starts[n], bad[0])}, column {col}); "
                                         f"{NOT_UTF8_FIX}")
            continue
        yield _from_obj(obj, f"{name}:{here}")
    if run:
        yield not_papers(run, run_line)


# ---------------------------------------------------------------- CSV / TSV
CSV_DELIMITERS = ",\t;"


# column names of reference managers' and bibliographic databases' exports, read as ours: Zotero ("Abstract
# Note", "Author", "Url"), IEEE Xplore ("Document Title", "PDF Link"), Web of Science ("Article Title", and its
# tags TI, AB, AU, DI), Scopus ("Authors", "Link")
COLUMN_ALIASES = {"abstract note": "abstract", "ab": "abstract", "document title": "title",
                  "article title": "title", "ti": "title", "author": "authors", "au": "authors",
                  "author full names": "authors", "af": "authors", "pdf link": "link", "di": "doi",
                  "publication date": "published", "publication year": "published"}


def column_name(name: str | None) -> str:
    """A column's name as read: trimmed, lowercased, and an export's name for one of ours made ours."""
    n = (name or "").strip().lower()
    return COLUMN_ALIASES.get(n, n)


def _header_ok(names: Iterable[str]) -> bool:
    names = {column_name(n) for n in names}
    return "title" in names and bool({"abstract", "summary"} & names)


def csv_delimiter(text: str) -> str | None:
    """The delimiter (comma, tab or semicolon) that makes the first line a header with 'title' and 'abstract' (or
    'summary') columns; if several do, the one ``csv.Sniffer`` prefers; None if none does."""
    first = next((line for line in lines(text[:65536]) if line.strip()), "")
    fits = [d for d in CSV_DELIMITERS if _header_ok(_cells(first, d))]
    if len(fits) > 1:
        try:
            sniffed = csv.Sniffer().sniff(text[:4096], delimiters=CSV_DELIMITERS).delimiter
        except csv.Error:
            sniffed = None
        return sniffed if sniffed in fits else fits[0]
    return fits[0] if fits else None


def _cells(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []


class _Lines:
    """The lines of a CSV text for ``csv.reader``, remembering the line a row starts on (blank lines make no
    row, and a quoted cell may span lines) and whether the text is read to its end."""

    def __init__(self, text: str) -> None:
        self._lines = iter(io.StringIO(text, newline=""))
        self._left = len(text)
        self.count = 0
        self.row_start = 0
        self._marked = False

    @property
    def at_end(self) -> bool:
        return self._left == 0

    def mark(self) -> None:
        """The next non-blank line starts a row."""
        self._marked = True

    def __iter__(self) -> "_Lines":
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        self._left -= len(line)
        if self._marked and line.strip("\r\n"):
            self.row_start, self._marked = self.count, False
        return line


def _unclosed_quote(cells: Iterable[object], text: str, last_line: int) -> int | None:
    """The line where a quote opens that is never closed, or None. Such a cell runs to the end of the text over
    several lines, and the text ends with it rather than with a closing quote."""
    tail = text.rstrip()
    for cell in cells:
        if isinstance(cell, str) and "\n" in cell and tail.endswith(cell.replace('"', '""').rstrip()):
            return last_line - cell.count("\n") + cell.endswith("\n")
    return None


def _bad_cell(row: dict) -> str | None:
    """Why a CSV row cannot be read: a cell holding a byte that is not UTF-8 (the cell named), or None."""
    for key, value in row.items():
        for cell in value if key is None else [value]:
            bad = bad_byte(cell) if isinstance(cell, str) else None
            if bad:
                where = f"the '{key}' cell" if key is not None else "a cell past the header's columns"
                return f"not UTF-8 (byte 0x{bad[1]:02x} in {where}); {NOT_UTF8_FIX}"
    return None


def read_csv(text: str, name: str, delimiter: str | None = None) -> Iterator[Item]:
    if delimiter is None:
        delimiter = csv_delimiter(text)
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=CSV_DELIMITERS).delimiter
        except csv.Error:
            delimiter = ","
    # no cell can be longer than the text: a huge row is then read whole and reported by make_paper with its
    # size, instead of a csv.Error that loses the rest of the file
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    again: str | None = text
    while again is not None:  # (read again past a quote that is never closed)
        again = yield from _csv_rows(again, name, delimiter)


def _csv_rows(text: str, name: str, delimiter: str) -> Iterator[Item]:
    """The rows of a CSV text. A quote that is never closed is skipped with its row, and the text is returned with
    the lines up to that row blanked, to be read again (line numbers stay as they are); else None."""
    src = _Lines(text)
    reader = csv.DictReader(src, delimiter=delimiter)
    try:
        fields = {column_name(f): f for f in reader.fieldnames or []}
    except csv.Error as exc:
        yield Skip(f"{name}:1", f"malformed CSV header ({exc})")
        return None
    header_lines = src.count
    bad = bad_byte("".join(reader.fieldnames or []))
    if bad:
        yield Skip(f"{name}:1", f"not UTF-8 (byte 0x{bad[1]:02x} in the header); nothing read from it; {NOT_UTF8_FIX}")
        return None
    if not _header_ok(fields):
        yield Skip(f"{name}:1", f"CSV header needs 'title' and 'abstract' (or 'summary') columns, has {sorted(fields)}")
        return None
    while True:
        src.mark()
        seen = src.count
        try:
            row = next(reader)
        except StopIteration:
            return None
        except csv.Error as exc:
            if src.count == seen:  # no progress: the reader cannot go on
                yield Skip(f"{name}:{src.count}", f"malformed CSV ({exc}); the rest of the file was not read")
                return None
            yield Skip(f"{name}:{src.row_start}", f"malformed CSV row ({exc})")
            continue
        lineno = src.row_start
        cells = [v for k, v in row.items() if k is not None] + list(row.get(None) or [])
        opened = _unclosed_quote(cells, text, src.count) if src.at_end and src.count > lineno else None
        if opened is not None:
            yield Skip(f"{name}:{opened}", "a quote opened on this line is never closed: its row was not read, and "
                                           "the lines after it were read as rows (not as one cell); close the quote, "
                                           "or write a quote inside a cell as \"\"")
            rows = io.StringIO(text, newline="").readlines()
            return "".join(rows[:header_lines]) + "\n" * (opened - header_lines) + "".join(rows[opened:])
        bad = _bad_cell(row)
        if bad:
            yield Skip(f"{name}:{lineno}", bad)
            continue
        if None in row:
            if any(cell.strip() for cell in row[None] if isinstance(cell, str)):
                yield Skip(f"{name}:{lineno}", "row has more cells than the header")
                continue
            del row[None]  # empty cells after the last column, as spreadsheets export them: nothing is lost
        obj = {k.strip().lower(): v for k, v in row.items() if k}  # our own column names first
        for k, v in row.items():  # an export's names fill what ours leave empty
            if k and column_name(k) != k.strip().lower() and v not in (None, "") and not obj.get(column_name(k)):
                obj[column_name(k)] = v
        yield _from_obj(obj, f"{name}:{lineno}")


# ---------------------------------------------------------------- arXiv Atom
ATOM = "{http://www.w3.org/2005/Atom}"


def parse_xml(text: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """An ``ElementTree`` root and the line each ``entry`` element starts on; raises ``expat.ExpatError``."""
    parser = expat.ParserCreate(namespace_separator="}")
    builder = ET.TreeBuilder()
    where: dict[ET.Element, int] = {}

    def start(tag: str, attrs: dict[str, str]) -> None:
        el = builder.start("{" + tag if "}" in tag else tag, attrs)
        if tag.endswith("entry"):
            where[el] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end("{" + tag if "}" in tag else tag)
    parser.CharacterDataHandler = builder.data
    parser.Parse(text, True)
    return builder.close(), where


def _all_text(el: ET.Element | None) -> str:
    """The element's whole text, markup inside it dropped (``<title>A <b>B</b></title>`` is "A B")."""
    return "".join(el.itertext()) if el is not None else ""


def _child(el: ET.Element, tag: str) -> ET.Element | None:
    """The first ``tag`` child, in the Atom namespace or in none."""
    found = el.find(ATOM + tag)
    return el.find(tag) if found is None else found


def read_atom(text: str, name: str) -> Iterator[Item]:
    bad = bad_byte(text)
    if bad:  # (an XML document is read whole)
        yield Skip(f"{name}:{text.count(chr(10), 0, bad[0]) + 1}",
                   f"not UTF-8 (byte 0x{bad[1]:02x} at {_line_col(text, bad[0])}); nothing read from it; "
                   f"{NOT_UTF8_FIX}")
        return
    try:
        root, where = parse_xml(text)
    except expat.ExpatError as exc:
        yield Skip(f"{name}:{exc.lineno}", f"malformed XML ({exc}); nothing read from it")
        return
    entries = root.findall(f"{ATOM}entry") or root.findall("entry")
    if not entries:
        yield Skip(f"{name}:1", "no Atom <entry> elements found")
    for entry in entries:
        source = f"{name}:{where.get(entry, 1)}"
        try:
            title, abstract, url, published = (_all_text(_child(entry, t)).strip()
                                               for t in ("title", "summary", "id", "published"))
            authors = [_all_text(_child(a, "name")) for a in entry.findall(f"{ATOM}author") + entry.findall("author")]
        except RecursionError:
            yield Skip(source, "entry is nested too deeply")
            continue
        if "arxiv.org/api/errors" in url:  # the API's answer to a bad request is an entry titled "Error"
            yield Skip(source, f"an arXiv API error, not a paper: {' '.join(abstract.split())[:120] or title}")
            continue
        yield make_paper(title=title, abstract=abstract, source=source, id=find_arxiv_id(url), url=url or None,
                         authors=authors, published=published or None)


# ---------------------------------------------------------------- BibTeX and RIS
_BIB_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
_BIB_FIELD = re.compile(r"\s*([A-Za-z][\w\-:.]*)\s*=\s*")
# braces that only keep a word's case ("{BERT}: Pre-training of ...", "{{GPT}-4}"), not a command's argument
_CASE_BRACES = re.compile(r"(?<![\\A-Za-z_^])\{([^{}\\]*)\}")  # (not x_{i}, x^{2})


_BRACE_OR_ESCAPE = re.compile(r"\\.|[{}]", re.DOTALL)
_BIB_KEY = re.compile(r"\s*([^,\s{}()]*)\s*,")
_BIB_WORD = re.compile(r"[\w\-:.]+")
_NEXT_ENTRY = re.compile(r"^\s*@", re.MULTILINE)


def _bib_value(text: str, i: int, strings: dict[str, str], limit: int | None = None) -> tuple[str, int]:
    """One field value at ``i``: ``{...}`` (nested), ``"..."``, a number or a ``@string`` name, joined by ``#``;
    returns (value, index after it). Raises ValueError where the entry is broken."""
    parts = []
    limit = len(text) if limit is None else limit
    while True:
        i = _skip_ws(text, i)
        if i >= limit:
            raise ValueError("the entry ends inside a field")
        c = text[i]
        if c == "{":
            depth, j = 0, -1
            for b in _BRACE_OR_ESCAPE.finditer(text, i, limit):  # (from brace to brace, not char by char)
                if b.group() == "{":
                    depth += 1
                elif b.group() == "}":
                    depth -= 1
                    if depth == 0:
                        j = b.start()
                        break
            if j < 0:
                raise ValueError("a '{' is never closed")
            parts.append(text[i + 1:j])
            i = j + 1
        elif c == '"':
            depth, j = 0, i + 1
            while j < limit and not (text[j] == '"' and depth == 0 and text[j - 1] != "\\"):
                depth += (text[j] == "{") - (text[j] == "}")
                j += 1
            if j >= limit:
                raise ValueError("a '\"' is never closed")
            parts.append(text[i + 1:j])
            i = j + 1
        else:
            m = _BIB_WORD.match(text, i)
            if not m:
                raise ValueError(f"unexpected {c!r} where a field value should be")
            parts.append(strings.get(m.group().lower(), m.group()))
            i = m.end()
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == "#":
            i += 1
            continue
        return "".join(parts), i


def _unbrace(value: str) -> str:
    """A title or abstract as read from BibTeX: the braces that only keep case taken away, innermost first."""
    for _ in range(8):
        new = _CASE_BRACES.sub(r"\1", value)
        if new == value:
            break
        value = new
    return value


def _bib_fields(text: str, i: int, kind: str, close: str, strings: dict[str, str],
                limit: int) -> tuple[dict[str, str], int]:
    """An entry's fields from ``i`` (just after its opening brace) to its closing one, read no further than
    ``limit``; returns (fields, index after the entry). Raises ValueError where the entry is broken."""
    fields: dict[str, str] = {}
    if kind != "string":
        key = _BIB_KEY.match(text, i)
        if key is None:
            raise ValueError("no citation key and comma after the entry's opening brace")
        i = key.end()
    while True:
        i = _skip_ws(text, i)
        if i >= limit:
            raise ValueError(f"the entry has no closing {close!r}")
        if text[i] == close:
            return fields, i + 1
        f = _BIB_FIELD.match(text, i)
        if f is None:
            raise ValueError(f"expected 'field = value' at {text[i:i + 20]!r}")
        value, i = _bib_value(text, f.end(), strings, limit)
        fields.setdefault(f.group(1).lower(), value)  # (a field given twice: the first, as BibTeX reads)
        i = _skip_ws(text, i)
        if i < len(text) and text[i] == ",":
            i += 1


def read_bibtex(text: str, name: str) -> Iterator[Item]:
    """BibTeX (a reference manager's or arXiv's export): one paper per entry with a title and an abstract;
    ``eprint`` (with ``archivePrefix = arXiv``), an arXiv DOI, URL or journal line give the arXiv id."""
    strings: dict[str, str] = {}
    pos, found = 0, 0
    counted, line = 0, 1  # (lines are counted from the last entry on: a large file is read in one pass)
    while True:
        m = _BIB_ENTRY.search(text, pos)
        if m is None:
            break
        kind = m.group(1).lower()
        line += text.count("\n", counted, m.start())
        counted = m.start()
        source = f"{name}:{line}"
        close = "}" if m.group(2) == "{" else ")"
        i = m.end()
        if kind in ("comment", "preamble"):
            try:
                _, i = _bib_value(text, m.end() - 1, strings) if m.group(2) == "{" else ("", m.end())
            except ValueError:
                i = m.end()
            pos = max(i, m.end())
            continue
        nxt = _NEXT_ENTRY.search(text, m.end())
        limit = nxt.start() if nxt else len(text)  # (a broken entry is read no further than the next one)
        i0 = i
        try:
            try:
                fields, i = _bib_fields(text, i0, kind, close, strings, limit)
            except ValueError:
                if limit == len(text):
                    raise
                # ("abstract = {... written as⏎@user mentions ...}": an @ at a line's start inside a field;
                # read on, a bounded stretch further)
                fields, i = _bib_fields(text, i0, kind, close, strings, min(len(text), limit + 100_000))
        except ValueError as exc:
            found += 1
            yield Skip(source, f"malformed BibTeX entry ({exc}); the entry was not read")
            pos = limit  # go on at the next entry
            continue
        pos = i
        if kind == "string":
            strings.update({k: v for k, v in fields.items()})
            continue
        found += 1
        bad = next(((k, b) for k, v in fields.items() for b in [bad_byte(v)] if b), None)
        if bad:
            yield Skip(source, f"not UTF-8 (byte 0x{bad[1][1]:02x} in its '{bad[0]}'); the entry was not read; "
                               f"{NOT_UTF8_FIX}")
            continue
        eprint = fields.get("eprint", "")
        arxiv = find_arxiv_id(eprint) if "arxiv" in fields.get("archiveprefix", "arxiv").lower() else None
        arxiv = arxiv or find_arxiv_id(fields.get("doi"), fields.get("url"))
        if arxiv is None:
            j = re.search(r"arxiv:\s*" + _ARXIV, fields.get("journal", "") + " " + fields.get("note", ""), re.I)
            arxiv = j.group(1) if j else None
        authors = [a for a in re.split(r"\s+and\s+", fields.get("author", "").replace("\n", " ")) if a.strip()]
        yield make_paper(title=_unbrace(fields.get("title", "")), abstract=_unbrace(fields.get("abstract", "")),
                         source=source, id=arxiv, url=fields.get("url") or None,
                         authors=[_unbrace(a) for a in authors], published=fields.get("year") or None)
    if not found:
        yield Skip(f"{name}:1", "no BibTeX entries (@article{...}, @misc{...}) found")


_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
_RIS_FIELDS = {"TI": "title", "T1": "title", "AB": "abstract", "N2": "abstract", "AU": "authors", "A1": "authors",
               "DO": "doi", "UR": "url", "PY": "published", "Y1": "published", "DA": "published"}


def read_ris(text: str, name: str) -> Iterator[Item]:
    """RIS (Scopus, Web of Science, Zotero, EndNote exports): one paper per record from ``TY`` to ``ER``."""
    record: dict[str, list[list[str]]] | None = None  # field -> its values, each a list of lines
    start, last, found, orphan = 0, None, 0, False
    for lineno, raw in enumerate(lines(text), 1):
        m = _RIS_LINE.match(raw.lstrip("\ufeff").rstrip())  # (files joined by cat keep their byte-order marks)
        if m is None:
            if record is not None and last is not None and raw.strip():
                record[last][-1].append(raw.strip())  # a value continued on the next line
            continue
        tag, value = m.group(1), m.group(2).strip()
        if tag == "TY":
            if record is not None:
                yield Note(f"{name}:{start}", "RIS record has no 'ER  -' line before the next 'TY  -'; read as "
                                              "ending there")
                found += 1
                yield _ris_paper(record, f"{name}:{start}")
            record, start, last, orphan = {}, lineno, None, False
        elif tag == "ER":
            if record is not None:
                found += 1
                yield _ris_paper(record, f"{name}:{start}")
            record, last = None, None
        elif record is not None:
            key = _RIS_FIELDS.get(tag)
            if key:
                record.setdefault(key if key != "abstract" or tag == "AB" else "abstract2", []).append([value])
                last = key if key != "abstract" or tag == "AB" else "abstract2"
            else:
                last = None
        elif not orphan:
            orphan = True  # (once per run of such lines)
            yield Skip(f"{name}:{lineno}", f"RIS field '{tag}' outside a record (no 'TY  -' line before it); "
                                           "its record was not read")
    if record is not None:
        found += 1
        yield _ris_paper(record, f"{name}:{start}")
    if not found and not orphan:
        yield Skip(f"{name}:1", "no RIS records ('TY  - ...' to 'ER  -') found")


def _ris_paper(record: dict[str, list[list[str]]], source: str) -> Item:
    bad = next((b for values in record.values() for v in values for line in v for b in [bad_byte(line)] if b), None)
    if bad:
        return Skip(source, f"not UTF-8 (byte 0x{bad[1]:02x}); the record was not read; {NOT_UTF8_FIX}")

    def first(key: str) -> str | None:
        values = record.get(key)
        return "\n".join(values[0]) if values else None  # (continued lines are joined as fields are read)

    abstract = record.get("abstract") or record.get("abstract2") or []  # AB, else N2 (not both: often the same)
    return make_paper(title=first("title") or "", abstract="\n".join("\n".join(v) for v in abstract),
                      source=source, id=find_arxiv_id(first("doi"), first("url")), url=first("url"),
                      authors=["\n".join(v) for v in record.get("authors", [])], published=first("published"))


READERS: dict[str, Reader] = {
    "hf-page": read_hf_page,
    "jsonl": read_jsonl,
    "json": read_json,
    "csv": read_csv,
    "tsv": lambda text, name: read_csv(text, name, "\t"),
    "atom": read_atom,
    "bibtex": read_bibtex,
    "ris": read_ris,
}
EXTENSIONS = {".txt": "hf-page", ".md": "hf-page", ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json",
              ".csv": "csv", ".tsv": "tsv", ".xml": "atom", ".atom": "atom", ".bib": "bibtex", ".bibtex": "bibtex",
              ".ris": "ris"}
# read from directories: a README.md next to the listings is not a listing (a .md file named on its own is read)
DIR_EXTENSIONS = frozenset(EXTENSIONS) - {".md"}


def _sniff(text: str) -> tuple[str, bool]:
    """``(format, sure)``; not sure when the text starts like JSON or XML but does not parse as such (a page
    title may start with '[' or '<')."""
    head = text.lstrip()
    if head.startswith(("[", "{")):
        try:
            _loads(head)
            return "json", True
        except json.JSONDecodeError as exc:
            return ("jsonl", True) if _is_jsonl(head, exc) else ("json", False)
    if head.startswith("<"):
        try:
            parse_xml(head)
            return "atom", True
        except expat.ExpatError:
            return "atom", False
    if csv_delimiter(head) is not None:
        return "csv", True
    if re.match(r"@\s*[A-Za-z]+\s*[{(]", head):
        return "bibtex", True
    if re.match(r"TY  - ", head):
        return "ris", True
    return "hf-page", True


def sniff_format(text: str) -> str:
    """The reader for text of unknown format (stdin, files without a known extension)."""
    return _sniff(text)[0]


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode(data: bytes, name: str) -> tuple[str | None, Skip | None]:
    """Bytes to text (UTF-8, or UTF-16/32 with a byte-order mark), or a Skip saying why it cannot be read."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)  # the codec drops the BOM
            except UnicodeDecodeError as exc:
                line = data[: exc.start].decode(encoding, "replace").count("\n") + 1
                return None, Skip(f"{name}:{line}", f"not valid {encoding.upper()} (at byte offset {exc.start}); "
                                                    "re-save the file as UTF-8")
            return (text, None) if text.strip() else (None, Skip(f"{name}:1", "file is empty"))
    if not data.strip():
        return None, Skip(f"{name}:1", "file is empty")
    sample = data[:8192]
    if b"\x00" in sample:
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        if min(odd, even) == 0 and max(odd, even) > len(sample) // 4:  # ASCII text as UTF-16
            return None, Skip(f"{name}:1", "file looks like UTF-16 without a byte-order mark; re-save it as UTF-8")
        return None, Skip(f"{name}:1", "file looks binary (NUL bytes); give a text listing")
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        first = exc.start
    # some bytes are not UTF-8: each is kept as a lone surrogate, and the readers skip only the lines or records
    # that hold one; a file that is mostly not text is one warning, not one per line
    text = data.decode("utf-8-sig", "surrogateescape")
    odd = len(BAD_CHARS_RE.findall(text))  # (those bytes, and control characters)
    if odd * 4 > len(text):
        line = data[:first].count(b"\n") + 1
        return None, Skip(f"{name}:{line}", f"not UTF-8 text: {odd * 100 // len(text)}% of it is binary or in another "
                                            f"encoding (first at byte 0x{data[first]:02x}, offset {first}); "
                                            "give a listing saved as UTF-8 text")
    return text, None


def read_text(text: str, name: str, fmt: str | None = None) -> Iterator[Item]:
    """Read text in ``fmt``, or in the sniffed format. Text that starts like JSON or XML but does not parse is
    read as page text if that finds papers, else the parse error is reported."""
    if fmt is None:
        fmt, sure = _sniff(RAW_BYTE_RE.sub("\ufffd", text))  # (the XML parser takes no lone surrogate)
        if not sure:
            page = list(read_hf_page(text, name))
            if any(isinstance(item, Paper) for item in page):
                yield from page
                return
    yield from READERS[fmt](text, name)


def _scan(path: Path, seen: set[tuple[int, int]]) -> tuple[list[os.DirEntry], Skip | None]:
    """The entries of a directory in name order, or why it is not read (unreadable, or already read)."""
    try:
        st = path.stat()
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError as exc:
        return [], Skip(display_name(path), f"cannot read directory ({exc.strerror})")
    if (st.st_dev, st.st_ino) in seen:
        # (nothing is lost: a note, not a skipped record)
        return [], Note(display_name(path), "links to a directory already read; not read again")
    seen.add((st.st_dev, st.st_ino))
    return entries, None


def _is_build_output(path: Path) -> bool:
    """Is ``path`` a folder ``kg build`` writes (it holds a store with kg's lock file)?"""
    try:
        return (path / "store" / LOCK_NAME).is_file()
    except OSError:  # (a folder that cannot be read is reported when it is scanned)
        return False


def _walk(root: Path) -> Iterator[Path | Skip]:
    """Listing files under ``root`` in path order. Hidden files and directories are left out; symlinked
    directories are followed, each real directory read once (no loops)."""
    seen: set[tuple[int, int]] = set()
    entries, skip = _scan(root, seen)
    if skip:
        yield skip
    stack = [iter(entries)]
    while stack:
        e = next(stack[-1], None)
        if e is None:
            stack.pop()
            continue
        if e.name.startswith("."):
            continue
        path = Path(e.path)
        try:
            is_dir, is_file, is_link = e.is_dir(), e.is_file(), e.is_symlink()
        except OSError as exc:
            yield Skip(display_name(path), f"cannot read ({exc.strerror})")
            continue
        if is_dir:
            if _is_build_output(path):  # "kg build ." must not read its own outputs back
                yield Note(display_name(path), "left out: a kg build output folder (name its files to read them)")
                continue
            entries, skip = _scan(path, seen)
            if skip:
                yield skip
            stack.append(iter(entries))
        elif path.suffix.lower() in DIR_EXTENSIONS:
            if is_file:
                yield path
            elif is_link:
                yield Skip(display_name(path), "broken symbolic link")


def _sample_dir() -> Path:
    return Path(str(resources.files("kg") / "data" / "sample"))


def display_name(path: Path) -> str:
    """How a file is named in ``file:line`` sources: as given, except the bundled corpus, which is named
    ``sample/<file>`` so outputs do not depend on where the package is installed. Bytes of a file name that are
    not UTF-8 show as U+FFFD."""
    try:
        if path.resolve().parent == _sample_dir().resolve():
            return f"sample/{path.name}"
    except OSError:
        pass
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def bundled_corpus() -> list[Path]:
    """The sample corpus shipped inside the package (five daily-papers pages)."""
    return sorted(p for p in _sample_dir().iterdir() if p.name.endswith(".txt"))


@dataclass
class ReadResult:
    """``skips`` holds every record not used, and ``Note``s about records kept (e.g. a repeated id)."""

    papers: list[Paper] = field(default_factory=list)
    skips: list[Skip] = field(default_factory=list)
    duplicates: list[Skip] = field(default_factory=list)
    records: int = 0

    @property
    def warnings(self) -> list[Skip]:
        return self.skips


def _read_stdin(stream: io.TextIOBase | None, fmt: str | None) -> Iterator[Item]:
    if stream is None:  # started with stdin closed
        yield Skip("<stdin>", "stdin is closed; nothing to read")
        return
    try:
        data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    except (OSError, ValueError) as exc:
        yield Skip("<stdin>", f"cannot read stdin ({getattr(exc, 'strerror', None) or exc})")
        return
    text, skip = decode(data, "<stdin>")
    if skip:
        yield skip
    else:
        yield from read_text(text, "<stdin>", fmt)


def iter_items(inputs: Iterable[str], fmt: str | None = None, stdin: io.TextIOBase | None = None) -> Iterator[Item]:
    for spec in inputs:
        if spec == "-":
            yield from _read_stdin(stdin or sys.stdin, fmt)
            continue
        path = Path(spec)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except OSError as exc:
            yield Skip(display_name(path), f"cannot access ({exc.strerror})")
            continue
        if not exists:
            yield Skip(display_name(path), "no such file or directory")
            continue
        found = list(_walk(path)) if is_dir else [path]
        if is_dir and not any(isinstance(f, Path) for f in found):
            found.append(Skip(display_name(path),
                              f"directory has no listing files ({', '.join(sorted(DIR_EXTENSIONS))})"))
        for f in found:
            if isinstance(f, Skip):
                yield f
                continue
            name = display_name(f)
            try:
                data = f.read_bytes()
            except OSError as exc:
                yield Skip(name, f"cannot read file ({exc.strerror})")
                continue
            text, skip = decode(data, name)
            if skip:
                yield skip
                continue
            by_name = EXTENSIONS.get(f.suffix.lower())
            if by_name == "hf-page" and not fmt and csv_delimiter(text) is not None:
                by_name = "csv"  # (a .txt export that is a table: Web of Science's tab-delimited "savedrecs.txt")
            yield from read_text(text, name, fmt or by_name)


def merge(a: Paper, b: Paper) -> Paper:
    """Two listings of one paper: keep the first, fill what it lacks from the second. The id is the listing's
    own id (a record's ``id``, or the arXiv id of its link) whichever listing has it, so a record keeps its ``id``;
    else the arXiv id if either knows it; else the title id. (Two different own ids are two papers: never merged.)"""
    arxiv = a.arxiv_id or b.arxiv_id
    own = [p.id for p in (a, b) if p.id != title_id(p.title)]
    pid = own[0] if own else (arxiv or a.id)
    return replace(a, id=pid, abstract=a.abstract if len(a.abstract) >= len(b.abstract) else b.abstract,
                   url=a.url or b.url, authors=a.authors or b.authors, published=a.published or b.published,
                   arxiv_id=arxiv)


def _different_ids(a: Paper, b: Paper) -> bool:
    """Two records with the same title are different papers when both carry their own, different ids."""
    return a.id != b.id and a.id != title_id(a.title) and b.id != title_id(b.title)


def read_sources(inputs: Iterable[str], fmt: str | None = None, stdin: io.TextIOBase | None = None) -> ReadResult:
    """Read every input; one ``Paper`` per distinct paper, in first-seen order.

    Two records are one paper (merged by ``merge``) when they share an id (their own or their arXiv id) and a
    title, or share a title and do not carry different ids of their own. Records that share an id but not a
    title are never merged: the later one is kept as its own paper under its title id, with a ``Note``.
    """
    res = ReadResult()
    by_id: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for item in iter_items(inputs, fmt, stdin):
        if isinstance(item, Skip):
            res.skips.append(item)
            continue
        res.records += 1
        key_t = normalize_title(item.title)
        shared = next((k for k in (item.id, item.arxiv_id) if k in by_id), None)
        idx = by_id.get(shared) if shared else None
        claimed, note = item, None
        if idx is not None and title_id(res.papers[idx].title) != title_id(item.title):
            other = res.papers[idx]
            note = (f"id {shared!r} is also given to a different paper at {other.source} ({other.title[:60]!r}); "
                    "not merged with it")
            item = replace(item, id=title_id(item.title))
            idx = by_id.get(item.id)  # listed before without an id of its own
        if idx is None and key_t in by_title and not _different_ids(res.papers[by_title[key_t]], claimed):
            idx = by_title[key_t]
        if note:
            res.skips.append(Note(item.source, note + ("" if idx is not None else f"; kept with id {item.id}")))
        if idx is not None:
            first = res.papers[idx]
            merged = merge(first, item)
            if by_id.setdefault(merged.id, idx) != idx:  # another paper has that id: keep this one's
                merged = replace(merged, id=first.id)
            res.papers[idx] = merged
            for k in (item.id, item.arxiv_id):
                if k:
                    by_id.setdefault(k, idx)
            res.duplicates.append(Skip(item.source, f"same paper as {first.source} (id {merged.id}); merged"))
            continue
        for k in (item.id, item.arxiv_id):
            if k:
                by_id.setdefault(k, len(res.papers))
        if key_t:
            by_title.setdefault(key_t, len(res.papers))
        res.papers.append(item)
    return res
