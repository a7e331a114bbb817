"""Name normalisation shared by the gazetteer, the resolver and the evaluator.

``name_key`` folds the spelling, case, hyphen and spacing variants of one name to one key
(Llama3-8B = Llama-3-8B = LLaMA 3 8B -> ``llama38b``) while keeping different things apart
(GPT-4 vs GPT-4 Turbo, Llama 2 vs Llama 3). ``parse_params`` reads parameter sizes (7B, 8x7B, 350M).
"""
from __future__ import annotations

import html
import re
import unicodedata
from typing import NamedTuple

_THE = re.compile(r"^the\s+")
_BILLION = re.compile(r"(?<=\d)\s*(?:billion)\b")
_SEP = re.compile(r"[\s\-_\u2010-\u2015/]+|'(?=\d\d(?!\d))")  # (WMT'14 is WMT14)
_CHUNK = re.compile(r"[^\W\d_]+|\d+|[^\w\s]", re.UNICODE)
# (a "k" after a model name is its context length, "GPT-4-32k", "MiniCPM-128K": no parameter size)
SIZE_RE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s?([BMT])(?![a-zA-Z])|(?<![\w.])(\d+)x(\d+(?:\.\d+)?)([BMT])(?![a-zA-Z])",
                     re.IGNORECASE)
_MULT = {"m": 1e6, "b": 1e9, "t": 1e12}
# a Latin letter (ASCII, Latin-1, Latin Extended-A/B) and the combining marks after it: "TÜLU" = "Tulu", while
# Cyrillic and Greek letters keep their marks (Й is not И)
_LATIN_MARKS = re.compile(r"([A-Za-z\u00c0-\u024f])[\u0300-\u036f]+")


# LaTeX accent commands as abstracts exported from LaTeX carry them: T\"ULU, Gl\'orIA, {\'a}
LATEX_ACCENT = re.compile(r"\{?\\(['\"`^~])\{?([A-Za-z])\}?\}?")
_COMBINING = {"'": "\u0301", '"': "\u0308", "`": "\u0300", "^": "\u0302", "~": "\u0303"}


def delatex(text: str) -> str:
    """Letters written with LaTeX accent commands as the accented letters: ``T\\"ULU`` -> ``TÜLU``."""
    if "\\" not in text:
        return text
    return unicodedata.normalize("NFC", LATEX_ACCENT.sub(lambda m: m.group(2) + _COMBINING[m.group(1)], text))


def fold(text: str) -> str:
    """NFKC + casefold, with typographic dashes and quotes made plain and LaTeX accents resolved."""
    t = unicodedata.normalize("NFKC", delatex(text) if "\\" in text else text)
    t = t.replace("\u2019", "'").replace("\u2018", "'")
    return t.casefold()


def strip_latin_marks(text: str) -> str:
    """Accents dropped from Latin letters only: ``Tülu`` -> ``Tulu``, ``Sabiá`` -> ``Sabia``; ``Й`` stays."""
    if text.isascii():
        return text
    return unicodedata.normalize("NFC", _LATIN_MARKS.sub(r"\1", unicodedata.normalize("NFD", text)))


def name_key(name: str) -> str:
    """The canonical-identity key of a name: folded, Latin accents dropped, separators removed, ``the`` dropped
    at the start (``TÜLU 2`` = ``Tulu-2`` -> ``tulu2``)."""
    t = strip_latin_marks(fold(name).strip())
    if t.startswith("the"):
        t = _THE.sub("", t)
    if "billion" in t:
        t = _BILLION.sub("b", t)
    return _SEP.sub("", t).strip(".,;:")


def chunks(name: str) -> list[str]:
    """Alphabetic runs, digit runs and single symbols of a folded name (used to build matchers)."""
    return _CHUNK.findall(_SEP.sub(" ", fold(name)))


def parse_params(name: str) -> float | None:
    """Parameter count written in a name: ``Llama-2-7B`` -> 7e9, ``Tele-FLM-1T`` -> 1e12, ``Mixtral 8x7B`` ->
    5.6e10 (what the name says; a listed model's own count is in the gazetteer). A context length is no size:
    ``GPT-4-32k`` -> None."""
    m = SIZE_RE.search(name)
    if not m:
        return None
    if m.group(1):
        return float(m.group(1)) * _MULT[m.group(2).lower()]
    return int(m.group(3)) * float(m.group(4)) * _MULT[m.group(5).lower()]


def strip_variant(name: str) -> str:
    """Drop size, context-length and release suffixes: ``Llama-3-8B-Instruct`` -> ``Llama-3``, ``GPT-4-32k`` ->
    ``GPT-4``."""
    # a size follows a separator or a lowercase letter ("Mistral7B"); after a capital it is part of the name
    # ("AT5B", "T5") and no size
    base = re.sub(r"(?:[\s\-_]|(?<=[a-z]))(?:\d+(?:\.\d+)?[BMKTbmkt]|\d+[xX]\d+[BMTbmt])(?![a-zA-Z]).*$", "", name)
    base = re.sub(r"[\s\-_](?:instruct|chat|base|it|hf|sft|dpo|rlhf|preview)$", "", base, flags=re.IGNORECASE)
    return base.strip(" -_")


# ------------------------------------------------------------------ the text the rules read
# Abstracts exported from LaTeX (arXiv listings) carry markup around names: \textsc{Zorro}, {\sc OwlBench},
# Llama~2, HumanEval~\cite{x}, \url{https://...}, $\sim$; text copied from web pages writes GPT-4o with a
# non-breaking hyphen. The rules read a view of the text with the markup taken out and the hyphens plain, and
# an index from each character of the view to its place in the text as read, so offsets are reported in the
# text as read.
_STYLE_ARG = re.compile(r"\\(?:text(?:sc|bf|it|tt|rm|sf|sl|up|md|normal)?|emph|underline|mbox|url|"
                        r"math(?:rm|bf|it|sf|tt|cal|bb)|operatorname|boldsymbol|bm)\s*\{")
_STYLE_GROUP = re.compile(r"\{\\(?:sc|bf|it|tt|em|rm|sf|sl|scshape|bfseries|itshape|ttfamily|sffamily|rmfamily|"
                          r"upshape|mdseries|normalfont)(?![A-Za-z])\s*")
_HREF = re.compile(r"\\href\s*\{")
_DROPPED = re.compile(r"~?\\(?:cite[a-zA-Z]*|ref|eqref|autoref|cref|Cref|label)\s*(?:\[[^\]\n]{0,80}\]\s*)*"
                      r"\{[^{}\n]{0,300}\}")
# inline math made only of symbols and symbol commands: $\sim$, $>$, $\times$, $\rightarrow$ (math with a
# number or a letter of its own, $1.3$B, $k$, stays as written)
_SYMBOL_MATH = re.compile(r"\$(?:\s*(?:\\[A-Za-z]+|[<>=+\-*/|:;!.,^_{}~]))+\s*\$")
# a number set as math ("a $1.3$B model"): the number without its dollars
_NUMBER_MATH = re.compile(r"\$(\d+(?:\.\d+)?)\$")
# an escaped special character (5\%, Q\&A, code\_llama): the character without its backslash
_ESCAPED = re.compile(r"\\(?=[%&_#])")
# LaTeX's discretionary hyphen, a place a word may break: "Lla\-ma"
_DISCRETIONARY = re.compile(r"\\-(?=\w)")
# Markdown emphasis with underscores around a name: "_GPT-4o_" ("code_llama" and "__init__" stay)
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\])_(?=[^\W_])[^\s_]+(?:\s[^\s_]+){0,4}(?<=[^\W_]|[.)\]])_(?!\w)")
# a tie between two words (not in a URL, not the accent command \~o)
_TIE = re.compile(r"(?<=[\w.,;:)\]}'])~(?=[\w\\(\[{$])")
_URLISH = re.compile(r"(?:https?://|www\.)\S+")


_BRACE_OR_LINE = re.compile(r"\\[{}]|[{}\n]")


def _closing_brace(text: str, i: int) -> int:
    """The index of the ``}`` that closes a group opened just before ``i``, or -1 (none in the same line or
    the next 300 characters)."""
    depth = 0
    for m in _BRACE_OR_LINE.finditer(text, i, min(len(text), i + 300)):
        c = m.group()
        if c == "{":
            depth += 1
        elif c == "}":
            if depth == 0:
                return m.start()
            depth -= 1
        elif c == "\n":
            return -1
    return -1


# characters a name is written with in text copied from web pages and PDFs: the hyphen (U+2010) and the
# non-breaking hyphen (U+2011) of "GPT\u20114o" read as "-", and so do the figure dash, the en dash and the minus
# sign between two letters or digits ("GPT\u20134o", "Llama\u22122"); ligatures are their letters
# ("\ufb01ne-tuned"); the soft hyphen and zero-width spaces that only mark where a line may break are taken out
# ("Lla\u00adma"), and so are footnote marks glued to a word ("GPT-4o\u00b9", "Zorro\u2020", "Zorro*:")
_HYPHENS = {"\u2010": "-", "\u2011": "-"}
_DASH_BETWEEN = re.compile(r"(?<=[^\W_])[\u2012\u2013\u2212](?=[^\W_])")
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
              "\ufb06": "st"}
_INVISIBLE = frozenset("\u00ad\u200b\u2060\ufeff")
_FOOTNOTE_MARK = re.compile(r"(?<=[^\W_])(?:[\u00b9\u00b2\u00b3\u2070\u2074-\u2079\u2020\u2021]+|\*+(?![\w*]))")
# verbs of the relation cues written apart: "out-performs" (a line broken after its hyphen), "fine tuned"
_OUT_HYPHEN = re.compile(r"(?<![\w-])[Oo]ut(-)(?=perform)")
_FINE_SPACE = re.compile(r"(?<![\w-])[Ff]ine( )(?=tun(?:ed|ing|es?)\b)")
# an HTML character reference left in scraped or twice-escaped text: "GPT-4o &amp; Mistral", "Llama&nbsp;2"
_HTML_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_VIEW_NEEDED = re.compile("ut-perform|ine tun|[_\uff01-\uff5e\\\\~$&*\u00ad\u00b9\u00b2\u00b3\u200b\u2010-\u2013\u2020\u2021\u2060\u2070-\u2079"
                          "\u2212\ufb00-\ufb06\ufeff]")


class Spans(NamedTuple):
    """Where each character of a reading view comes from in the text as read: ``starts[i]`` to ``ends[i]``
    (one character, or the whole of what it stands for: ``&alpha;`` for "α", ``$\\to$`` for " ")."""

    starts: list[int]
    ends: list[int]

    def span(self, s: int, e: int) -> tuple[int, int]:
        """The text as read behind the view's characters ``s`` to ``e`` (end exclusive)."""
        return self.starts[s], self.ends[e - 1]


# LaTeX macros papers define for words they write often: read as those words
_WORD_MACROS = {"eg": "e.g.", "ie": "i.e.", "etal": "et al.", "etc": "etc.", "vs": "vs.", "wrt": "w.r.t.",
                "cf": "cf."}
# a macro without an argument ("\\methodname", "{\\ours}"), and the braces or space that end it
_MACRO = re.compile(r"\{?\\([A-Za-z]{2,30})(?![A-Za-z\[])(?!\{[^}])(?:\{\}|\}|\\ )?")
# where a paper's own name stands: after a verb of introduction or a naming word ("we propose \\ours,",
# "a novel approach, \\methodname,", "named ``\\growlength''")
_OWN_NAME_BEFORE = re.compile(r"\b(?:propose|proposes|present|presents|introduce|introduces|develop|develops|"
                              r"call|called|name|named|dub|dubbed|term|termed|release|releases)\b[^.;]{0,40}$",
                              re.IGNORECASE)
# the name a title leads with ("SwitchGPT: Adapting ..."), one word
_TITLE_LEAD = re.compile(r"\s*([^\W\d_][\w\-.+]{1,39})\s*:")


def own_macros(title: str, abstract: str) -> dict[str, str]:
    """The macros an abstract uses for its paper's own name, read as the name its title leads with: a macro
    spelled as that name ("\\growlength" for GrowLength) or one set where a paper names what it brings ("we
    propose a novel approach, \\methodname, ..."). Other unknown macros stay as written."""
    lead = _TITLE_LEAD.match(title)
    if lead is None or "\\" not in abstract:
        return {}
    name = lead.group(1)
    found: dict[str, str] = {}
    for m in _MACRO.finditer(abstract):
        macro = m.group(1)
        if macro.lower() in _WORD_MACROS or macro in found:
            continue
        if macro.casefold() == re.sub(r"[\W_]", "", name).casefold() or \
                _OWN_NAME_BEFORE.search(abstract, max(0, m.start() - 60), m.start()):
            found[macro] = name
    return found


def reading_views(title: str, abstract: str) -> tuple[tuple[str, Spans | None], tuple[str, Spans | None]]:
    """The reading views of a paper's title and of its abstract, which reads the paper's own-name macros."""
    return reading_view(title), reading_view(abstract, own_macros(title, abstract))


def reading_view(text: str, macros: dict[str, str] | None = None) -> tuple[str, Spans | None]:
    """The text the rules read, and where each of its characters comes from in ``text`` (None when each
    character stands at its own place): LaTeX markup around words taken out (``We introduce \\textsc{Zorro},
    tuned from Llama~2~\\cite{x}.`` reads as ``We introduce Zorro, tuned from Llama 2.``), Unicode hyphens
    and dashes inside names read as "-", ligatures and fullwidth forms as their letters, HTML character
    references decoded, soft hyphens, zero-width spaces and footnote marks taken out. Accent commands
    (``T\\"ULU``) stay: names are read through them where they are compared."""
    if _VIEW_NEEDED.search(text) is None:
        return text, None
    out: list[str | None] = list(text)  # per character of the text: what the view has for it
    width: dict[int, int] = {}  # where one view character stands for several of the text: how many

    def drop(s: int, e: int) -> None:
        out[s:e] = [None] * (e - s)

    def replace_run(s: int, e: int, by: str) -> None:
        out[s:e] = [by] + [None] * (e - s - 1)
        width[s] = e - s

    if not text.isascii():
        for i, c in enumerate(text):
            if c in _HYPHENS:
                out[i] = _HYPHENS[c]
            elif c in _INVISIBLE:
                out[i] = None
            elif c in _LIGATURES:
                out[i] = _LIGATURES[c]
            elif "\uff01" <= c <= "\uff5e":
                out[i] = chr(ord(c) - 0xFEE0)  # fullwidth forms: "ＧＰＴ－４ｏ" is GPT-4o
        for m in _DASH_BETWEEN.finditer(text):
            out[m.start()] = "-"
    if "*" in text or not text.isascii():
        for m in _FOOTNOTE_MARK.finditer(text):
            drop(m.start(), m.end())
    for m in _OUT_HYPHEN.finditer(text):
        out[m.start(1)] = None
    for m in _FINE_SPACE.finditer(text):
        out[m.start(1)] = "-"
    if "&" in text:
        for m in _HTML_REF.finditer(text):
            decoded = html.unescape(m.group())
            if decoded in _HYPHENS or decoded in "\u2012\u2013\u2212" and \
                    text[m.start() - 1:m.start()].isalnum() and text[m.end():m.end() + 1].isalnum():
                decoded = "-"  # ("Llama&#8209;2")
            elif decoded.isspace():
                decoded = " "  # ("Llama&nbsp;2")
            if decoded != m.group():
                replace_run(m.start(), m.end(), decoded)
    if "\\" in text:
        for m in _MACRO.finditer(text):  # ("\\eg" is "e.g."; "\\methodname" the paper's own name, where known)
            word = _WORD_MACROS.get(m.group(1).lower()) or (macros or {}).get(m.group(1))
            if word:  # ("\\ours\\ is": the control space that ends the macro is a space)
                replace_run(m.start(), m.end(), word + " " if text.startswith("\\ ", m.end() - 2) else word)
        for m in _DROPPED.finditer(text):
            drop(m.start(), m.end())
        for pattern in (_STYLE_ARG, _STYLE_GROUP):
            for m in pattern.finditer(text):
                close = _closing_brace(text, m.end())
                if close >= 0:
                    drop(m.start(), m.end())
                    drop(close, close + 1)
        for m in _HREF.finditer(text):  # \href{URL}{words}: the URL, then the words
            mid = _closing_brace(text, m.end())
            if mid >= 0 and text.startswith("{", mid + 1):
                close = _closing_brace(text, mid + 2)
                if close >= 0:
                    drop(m.start(), m.end())
                    replace_run(mid, mid + 2, " ")
                    drop(close, close + 1)
        for m in _ESCAPED.finditer(text):
            out[m.start()] = None
        for m in _DISCRETIONARY.finditer(text):
            drop(m.start(), m.end())
    if "_" in text:
        for m in _UNDERSCORE_EMPHASIS.finditer(text):
            out[m.start()] = out[m.end() - 1] = None
    if "$" in text:
        for m in _NUMBER_MATH.finditer(text):
            out[m.start()] = out[m.end() - 1] = None
        for m in _SYMBOL_MATH.finditer(text):
            s, e = m.start(), m.end()
            if s > 0 and e < len(text) and not text[s - 1].isspace() and not text[e].isspace():
                replace_run(s, e, " ")  # ("English$\rightarrow$German": two words)
            else:
                drop(s, e)
    if "~" in text:
        in_url = bytearray(len(text))
        for m in _URLISH.finditer(text):
            in_url[m.start():m.end()] = b"\x01" * (m.end() - m.start())
        for m in _TIE.finditer(text):
            if out[m.start()] is not None and not in_url[m.start()]:
                out[m.start()] = " "
    if not width and all(c is not None and len(c) == 1 for c in out):
        return "".join(out), None
    starts, ends = [], []
    for i, c in enumerate(out):
        if c:
            end = i + width.get(i, 1)
            for _ in c:  # (a ligature's letters all stand for it)
                starts.append(i)
                ends.append(end)
    return "".join(c for c in out if c), Spans(starts, ends)
