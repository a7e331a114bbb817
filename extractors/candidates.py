"""Candidate finders: plain functions from text (+ rule data) to ``Candidate`` spans.

The spaCy components in ``components.py`` call these on ``doc.text``; keeping the logic in
functions over strings makes each rule testable alone and keeps the hot path in compiled regexes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .normalize import delatex, fold, name_key, parse_params
from .rules import GazEntry, RuleData

# ------------------------------------------------------------------ records


@dataclass(frozen=True)
class Candidate:
    """A possible entity mention in ``doc.text``: char offsets, end exclusive."""

    start: int
    end: int
    text: str
    type: str | None
    rule: str
    confidence: float
    gaz_id: str | None = None
    family_id: str | None = None
    url: str | None = None
    name: str | None = None  # the name in full where the text is a shortened part: "7B" of "Gemma-2B/7B"


# ------------------------------------------------------------------ URLs
URL_RE = re.compile(
    r"(?:https?:[ ]?//|www\.|(?<![\w.@/])(?:github\.com|gitlab\.com|huggingface\.co|huggingface\.host|hf\.co|"
    r"modelscope\.cn|bitbucket\.org|aka\.ms|bit\.ly|shorturl\.at|tinyurl\.com|git\.io|goo\.gl|t\.ly|rb\.gy|is\.gd)/)"
    r"[^\s<>\"'\[\]{}|\\^`\u201c\u201d\u2018\u2019\u00ab\u00bb\u2026\u2600-\u27bf\U0001f300-\U0001faff]+",
    re.IGNORECASE)  # (code hosts and link shorteners are links without a scheme; typographic quotes, an ellipsis
# or an emoji end a link)
_TRAIL = ".,;:!?)]}>'\"*"
HOST_ALIASES = {"huggingface.host": "huggingface.co", "hf.co": "huggingface.co", "www.github.com": "github.com",
                "www.huggingface.co": "huggingface.co", "www.modelscope.cn": "modelscope.cn"}


def trim_url(url: str) -> str:
    while url and url[-1] in _TRAIL:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def normalize_url(url: str) -> str:
    """Canonical URL: https scheme, known mirror hosts mapped to their origin, no trailing slash."""
    url = re.sub(r"^(https?:) //", r"\1//", url)  # "https: //github.com/...": a space from a PDF's line layout
    u = url if re.match(r"https?://", url, re.I) else "https://" + url
    m = re.match(r"(https?)://([^/]+)(.*)$", u, re.I)
    if not m:
        return u
    host = m.group(2).lower()
    host = HOST_ALIASES.get(host, host)
    if host.startswith("www.") and host not in ("www.",):
        host = host[4:]
    path = m.group(3).rstrip("/")
    if host in ("github.com", "gitlab.com", "huggingface.co", "modelscope.cn") and "#" in path and \
            not path[path.index("#") + 1:].startswith("/"):
        path = path[:path.index("#")].rstrip("/")  # ("#readme": a place on the repository's page, not another
        # one; "#/models/x" is a page of its own on a site that routes by the fragment)
    if host in ("github.com", "gitlab.com") and path.endswith(".git"):
        path = path[:-4]
    return f"https://{host}{path}"


# every URL_RE match holds one of these within its first 24 characters; a scan for them is several times
# cheaper than URL_RE's own (whose alternatives and look-behind defeat the regex engine's fast skip)
_URL_GATE = re.compile(r"://|www\.|\.(?:com|co|host|cn|org|ms|ly|at|io|gl|gy|gd)/", re.IGNORECASE)


def _url_matches(text: str):
    """The matches of ``URL_RE.finditer(text)``, found by running ``URL_RE`` only near a gate hit."""
    pos = 0
    for g in _URL_GATE.finditer(text):
        if g.start() < pos:
            continue
        m = URL_RE.search(text, max(pos, g.start() - 24))
        if m is None:
            return
        yield m
        pos = m.end()


def find_urls(text: str) -> list[Candidate]:
    out = []
    for m in _url_matches(text):
        raw = trim_url(m.group())
        if len(raw) < 8 or "." not in raw:
            continue
        out.append(Candidate(m.start(), m.start() + len(raw), raw, "repo", "url", 0.99, url=normalize_url(raw)))
    return out


# ------------------------------------------------------------------ gazetteer
VARIANT_RE = re.compile(
    r"(?:[\-\s_]?(?:\d+(?:\.\d+)?[BMKT]|\d+x\d+[BMT])(?![A-Za-z0-9]))?"
    r"(?:(?:[\-_]|\s(?=[A-Z]))(?:Instruct|instruct|Chat|chat|Base|base|it|Code|Coder|Math|VL|Vision|Pro|Max|Mini|mini|Plus|Lite|Flash|"
    r"Preview|Large|large|LARGE|BASE|Small|small|Medium|medium|tiny|XL|XXL|xl|xxl|uncased|cased|SFT|DPO|RLHF|v\d+(?:\.\d+)*|"
    r"\d+(?:\.\d+)?[BMKbm]|\d+k|\d{4}-\d\d-\d\d(?!\d|\.\d)|\d{3,8}(?!\d|\.\d)|(?:high|low)(?!-))(?![\w])|-[TSBLHG](?:/\d+)?(?![\w/]))*")
# (7b, 4k context, -0613 snapshots, a reasoning effort: o4-mini-high, not "low-resource"; a vision model's size
# letter and patch size: Swin-T, DeiT-S, ConvNeXt-B, ViT-L/14)


_RUN = re.compile(r"(?<![\w.\-/])(?:[^\W\d_]+|\d+)")
_ONLY_SIZE = re.compile(r"[\-\s_]?(?:\d+(?:\.\d+)?[BMT]|\d+x\d+[BMT])")
_SIZE_NEXT = re.compile(r"[\s\-_]?\d+(?:\.\d+)?[BM]\b")
_CAP_BEFORE = re.compile(r"(?<![.!?:]\s)(?<!^)\b(?!The\b|A\b|An\b|In\b|On\b|For\b)[A-Z][a-z]+\s$")


_NUMBER_NEXT = re.compile(r"[\-\s]?[a-z]?\d")  # "gpt-3.5", "llama 2", "deepseek-r1": a lowercase name with a version
# "roberta-base", "bert-base-uncased", "xlm-roberta-large": a checkpoint id as a model hub spells it
_HUB_SIZE = re.compile(r"(?:-[a-z0-9.]+)*?-(?:base|large|small|medium|tiny|mini|xl|xxl|uncased|cased|\d+(?:\.\d+)?[bm])"
                       r"(?=-|(?!\w))")  # (not "bert-based")


_KIND_OF_USE = re.compile(r"\s+(?:scaling\s+laws?|[Oo]ptimal)\b")
_SIZE_WORD_END = re.compile(r" (large|small)$")
_NOUN_NEXT = re.compile(r"[\s-]+(?:language|vision|multimodal|scale|amounts?|numbers?)\b")


def _hub_id(text: str, end: int, surface: str, rd: RuleData, entry: GazEntry) -> bool:
    """Is a lowercase listed name at ``end`` part of a checkpoint id ("roberta-base", "alpaca-7b")? An everyday
    word ("falcon", "alpaca") counts only with a parameter size: "the falcon-base camp" is no model."""
    m = _HUB_SIZE.match(text, end) or _HUB_SIZE.search(surface)
    if m is None:
        return False
    everyday = any(f.lower() == surface and (f.istitle() or f.islower()) for f in rd.exact_forms[entry.id])
    return not everyday or (m.group()[-1] in "bm" and m.group()[-2].isdigit())


# "GPT-2/3", "Llama 2/3", "GPT-3.5/4": one listed name and the other versions of it after slashes
_VERSION_LIST = re.compile(r"(?<![\w.\-/])([^\W\d_][\w.]*?[\-\s]?)(\d+(?:\.\d+)?)((?:/\d+(?:\.\d+)?)+)(?![\w/])")
_ONE_VERSION = re.compile(r"/(\d+(?:\.\d+)?)")


_DIGIT_SLASH_DIGIT = re.compile(r"\d/\d")
_VERSION_RUN = re.compile(r"[\d./]*")


_LISTABLE = {"model": "model", "dataset": "data", "benchmark": "data"}  # (a list's names are of one kind)


def _version_lists(text: str, rd: RuleData) -> list[Candidate]:
    out, pos = [], 0
    for hit in _DIGIT_SLASH_DIGIT.finditer(text):  # (a scan for "2/3" is far cheaper than the list pattern's own)
        if hit.start() < pos:
            continue
        # (the window ends one character past the run of digits, dots and slashes, where the list's end is tested)
        end = min(len(text), _VERSION_RUN.match(text, hit.end()).end() + 1)
        m = _VERSION_LIST.search(text, max(pos, hit.start() - 40), end)
        if m is None:
            pos = end  # (nothing in the window: the later hits of the same run need no second search)
            continue
        pos = m.end()
        stem = m.group(1)
        names = [stem + m.group(2)] + [stem + v.group(1) for v in _ONE_VERSION.finditer(m.group(3))]
        entries = [rd.lookup(n) for n in names]
        if not all(e is not None and e.type in _LISTABLE and rd.accepts(e.id, n)[0] for e, n in zip(entries, names)) \
                or len({_LISTABLE[e.type] for e in entries}) > 1:
            continue  # only listed models, or listed data ("CIFAR-10/100"): "Top-1/5" is no pair of names
        out.append(Candidate(m.start(), m.end(2), names[0], entries[0].type, "gazetteer", 0.95, gaz_id=entries[0].id,
                             family_id=_family_id(entries[0], rd)))
        for v, e, n in zip(_ONE_VERSION.finditer(text, m.end(2), m.end()), entries[1:], names[1:]):
            out.append(Candidate(v.start(1), v.end(1), v.group(1), e.type, "gazetteer", 0.95, gaz_id=e.id,
                                 family_id=_family_id(e, rd), name=n))
    return out


def find_gazetteer(text: str, rd: RuleData) -> list[Candidate]:
    out = _version_lists(text, rd)
    first, match, lower_first = rd.first_chunks, rd.match_at, rd.lower_first
    last_end = 0
    for run in _RUN.finditer(text):
        word = run.group()
        chunk = word.casefold()
        if run.start() < last_end or chunk not in first or (word == chunk and chunk not in lower_first
                                                             and not _NUMBER_NEXT.match(text, run.end())
                                                             and not _HUB_SIZE.match(text, run.end())):
            continue
        m = match(text, run.start(), chunk)
        while m is not None:
            c = _listed_at(text, m, rd)
            if c is not None:
                out.append(c)
                last_end = c.end
                break
            # not this listed name ("Llama 2 Long" in "Llama 2 long-context", "Falcon 3" in "Falcon 3-bit"):
            # a shorter listed name it begins with may still stand there
            cut = max(m.group().rfind(" "), m.group().rfind("-"), m.group().rfind("_"))
            m = match(text, run.start(), chunk, m.start() + cut) if cut > 0 else None
    return _list_companions(text, out, rd) if out else out


_LIST_NEXT = re.compile(r"(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)(?=[^\W\d_])")
_LIST_PREV = re.compile(r"(?<![\w\-])([^\W\d_][\w\-]*)(?:,\s*(?:and\s+|or\s+)?|\s+(?:and|or|&)\s+)$")
_LIST_END = re.compile(r"\s*(?:[,;.)\]:]|$|(?:and|or)\s|\(|(?:models?|LLMs?|LMs?|datasets?|benchmarks?)\b)")
_KIN = {"model": ("model",), "dataset": ("dataset", "benchmark"), "benchmark": ("dataset", "benchmark")}


def _list_companions(text: str, found: list[Candidate], rd: RuleData) -> list[Candidate]:
    """Listed names written in a case their entry refuses on its own ("Bloom", "boolq") count as members of a
    list of listed names of their kind: "OPT and Bloom", "Hellaswag, arc, boolq and piqa"."""
    taken = {c.start for c in found}
    out, queue = list(found), [c for c in found if c.type in _KIN]
    while queue:
        c = queue.pop()
        starts = []  # (where a member may stand, and whether the list has three or more members there)
        nxt = _LIST_NEXT.match(text, c.end)
        if nxt:
            starts.append((nxt.end(), "," in nxt.group() or text[max(0, c.start - 3):c.start].rstrip().endswith(",")))
        prev = _LIST_PREV.search(text, max(0, c.start - 40), c.start)
        if prev:
            starts.append((prev.start(1), "," in text[prev.end(1):c.start] or text.startswith(",", c.end)))
        for p, long_list in starts:
            if p in taken:
                continue
            word = _RUN.match(text, p)
            chunk = word.group().casefold() if word else ""
            m = rd.match_at(text, p, chunk) if chunk in rd.first_chunks else None
            entry = rd.lookup(m.group()) if m else None
            if entry is None or entry.type not in _KIN[c.type] or rd.is_stop(m.group()) or \
                    rd.accepts(entry.id, m.group())[0] or not _LIST_END.match(text, m.end()) or \
                    (m.group().islower() and not long_list):
                continue  # (a form the entry accepts is found by the main pass, or refused there for a reason;
                # a lowercase word counts only in a list of three or more: "MT-Bench and quality" is no list)
            comp = Candidate(m.start(), m.end(), m.group(), entry.type, "gazetteer-list", 0.8, gaz_id=entry.id,
                             family_id=_family_id(entry, rd))
            taken.add(p)
            out.append(comp)
            queue.append(comp)
    return out


_WORDS_APART = re.compile(r"([a-z]) ([A-Z])")


def _listed_at(text: str, m: re.Match, rd: RuleData) -> Candidate | None:
    """The candidate for a match of the listed names, or None when the text there is not that name."""
    surface = m.group()
    entry = rd.lookup(surface)
    if entry is None or rd.is_stop(surface):
        return None
    ok, exactly = rd.accepts(entry.id, surface)
    if ok and _WORDS_APART.search(surface) and surface not in entry.forms and \
            _WORDS_APART.sub(r"\1\2", surface) in entry.forms:
        return None  # a listed "HumanEval" written as two words is ordinary words ("Human Eval of Summaries", "Real
        # News articles"); written with a hyphen it is the name ("Red-Pajama")
    if not ok and entry.type == "model" and (
            _SIZE_NEXT.match(text, m.end()) if not surface.islower() else _hub_id(text, m.end(), surface, rd, entry)):
        ok = True  # "Zeta 7B", "roberta-base": a listed model's variant
    if not ok:
        return None
    if exactly and surface.istitle() and " " not in surface and (cap := _CAP_BEFORE.search(text, max(0, m.start() - 100), m.start())) \
            and not _is_org(cap.group().strip(), rd):
        return None  # "Nordic Pile": an everyday word inside a longer capitalised name ("Huggingface Zephyr" is
        # the maker's name before the model's)
    size = _SIZE_WORD_END.search(surface)
    if size and _NOUN_NEXT.match(text, m.end()) and \
            any(f.endswith(" " + size.group(1).title()) for f in (entry.name, *entry.aliases)):
        return None  # "the Mistral large language model": a size adjective, not the listed "Mistral Large"
    conf = 0.95 if exactly or not surface.islower() else 0.88
    start, end = m.start(), m.end()
    if entry.type == "model" and _KIND_OF_USE.match(text, end):
        conf = 0.45  # "the Chinchilla scaling law", "Chinchilla optimal": the name describes, no model is meant
    if text.startswith("-", end) and end + 1 < len(text) and text[end + 1].isalnum():
        rest = re.match(r"(?:-[\w.]+)+", text[end:])
        if not (GENERIC_SUFFIX.fullmatch(rest.group()) or VARIANT_RE.match(text, end).end() > end):
            return None  # part of a longer hyphenated name (GPT-2/3, LLaMA-Adapter): left to the name shapes
    if entry.type == "model":
        v = VARIANT_RE.match(text, end)
        if v and v.end() > end:
            longer = text[start:v.end()]
            other = rd.lookup(longer)
            if other is None:
                if entry.params and _ONLY_SIZE.fullmatch(text, end, v.end()) and \
                        parse_params(text[end:v.end()].lstrip(" -_")) == parse_params(entry.params):
                    # "Phi2 2.7B", "TinyLLaMA-1.1B": the listed model at its own (only) size is that model
                    return Candidate(start, v.end(), longer, "model", "gazetteer", conf, gaz_id=entry.id,
                                     family_id=_family_id(entry, rd))
                return Candidate(start, v.end(), longer, "model", "gazetteer-variant", conf - 0.05, family_id=entry.id)
            entry = other
            end = v.end()
            surface = longer
    return Candidate(start, end, surface, entry.type, "gazetteer", conf, gaz_id=entry.id, family_id=_family_id(entry, rd))


def _is_org(word: str, rd: RuleData) -> bool:
    e = rd.lookup(word)
    return e is not None and e.type == "organization"


def _family_id(entry: GazEntry, rd: RuleData) -> str | None:
    if entry.family and entry.family in rd.by_name:
        return rd.by_name[entry.family]
    return None


# ------------------------------------------------------------------ name shapes (names nobody listed)
# a word made of letters (any script), digits, "+" and "^", joined by "-" or "/", that has a capital inside, two
# capitals, a capital and a digit, or a "+": the shapes of GreaseLM, mGPT, GLM-130B, T5, GERNERMED++, GlórIA
_AL = r"[\w\u0300-\u036f+^]"  # letters and digits of any script, combining accents, "+" and "^"
# (the first look-ahead, "a capital or a plus somewhere in the word", is implied by the second but is far cheaper:
# it turns most lowercase words away before the second tries its alternatives at every character)
WORD_RE = re.compile(rf"(?<![\w\u0300-\u036f\-+.^/@])(?=[\w\u0300-\u036f\-.^/]*?[A-Z+])(?=[\w\u0300-\u036f\-+.^/]*?(?:[^\W\d_][A-Z]|\d[A-Z]|[A-Z][A-Z]|[A-Z][\w\-./]*\d|\+|[^\W\d_]-[A-Z]))"
                     rf"[^\W_]{_AL}*(?:\.\d+[BMKbmk]?)*(?:[\-/][^\W_]{_AL}*(?:\.\d+[BMKbmk]?)*)*"
                     r"(?:\+\+|\+)?(?![\w@/])")
GENERIC_SUFFIX = re.compile(r"(?:-(?:based|style|like|powered|generated|specific|aware|driven|guided|centric|only|level|"
                            r"scale|sized|augmented|enhanced|tuned|finetuned|aligned|free|agnostic|related|oriented|"
                            r"trained|pretrained|initialized|initialised|distilled|supervised|"
                            r"compatible|friendly|native|class|grade|equivalent|inspired|derived|assisted|as|and|or|to))+$",
                            re.IGNORECASE)


_FUNCTION_WORDS = frozenset("to of and or for the in on with by via from as at vs a an non pre post self multi".split())


_NON_LETTER = re.compile(r"[^A-Za-z]")
_INNER_CAP = re.compile(r"[^\W\d_A-Z][A-Z]")  # a lowercase letter of any script, then a capital
_DIGIT = re.compile(r"\d")
_NUM_UNIT = re.compile(r"\d+[A-Z]|[\d.,]+[%xX]?|\d+(?:\.\d+)?(?:[BMKTbmkt]|[KMGTP]B|[KMGT]iB|ms|GHz|MHz|fps)|"
                       r"(?:19|20)\d\d[a-z]?|\d+D")
_PART_SPLIT = re.compile(r"[-/]")
_DIGIT_WORD = re.compile(r"\d+[a-z]{3,}")  # "4timesRTX", "3rd": a number glued to an ordinary word
_SIZE_PART = re.compile(r"\d+(?:\.\d+)?[BMT]|\d+x\d+[BMT]")


def _strong_part(part: str) -> bool:
    """A piece of a word that marks a name: an inner capital (GreaseLM, mGPT), an acronym (COCO, GLM),
    or letters and digits together with a capital (T5, GPT4, 130B after a name)."""
    letters = _NON_LETTER.sub("", part)
    if not letters:
        return False
    if _INNER_CAP.search(part):
        return True
    caps = sum(c.isupper() for c in part)
    if caps >= 2 and len(letters) >= 2:
        return True
    return caps >= 1 and bool(_DIGIT.search(part)) and not _NUM_UNIT.fullmatch(part)


def is_name_shaped(w: str, stop=frozenset()) -> bool:
    """Does a (hyphen-joined) word look like a proper name of a model, dataset or method?"""
    if len(w) < 2 or _NUM_UNIT.fullmatch(w) or _DIGIT_WORD.match(w):
        return False
    parts = [p for p in _PART_SPLIT.split(w.rstrip("+")) if p]
    if not parts or any(p.lower() in _FUNCTION_WORDS for p in parts[1:]):
        return False
    for p in parts:
        if _strong_part(p) and fold(p) not in stop and fold(p.rstrip("s")) not in stop:
            return True
    sized = next((i for i, p in enumerate(parts) if i and _SIZE_PART.fullmatch(p)), 0)
    if sized and parts[0][0].isupper() and all(_AFTER_SIZE.fullmatch(p) for p in parts[sized + 1:]):
        return True  # Falcon-40B, Zeta-7B, Zeta-7B-Chat: a capitalised word with a parameter size (and a
        # variant's word: not "Llama-2-7B-low-resource settings")
    if len(parts) == 2 and _WORD_VERSION.fullmatch(w) and parts[0].lower() not in _NOT_VERSIONED:
        return True  # Medusa-2, Sarvam-1: a capitalised word with a version number (not "Top-5", "Stage-2")
    if len(parts) > 1 and parts[0][0].isupper() and _TYPE_TAIL.fullmatch(parts[-1]):
        return True  # AGI-Eval, Tele-Data, Leaner-Instruct: a capitalised word with a kind of data
    return w.endswith("++") and w[0].isupper()


_WORD_VERSION = re.compile(r"[A-Z][a-z]{3,}-\d{1,2}(?:\.\d)?")
_NOT_VERSIONED = frozenset("top stage phase step round level part type table figure section task track day week month "
                           "year version layer block model group class tier grade page chapter item rank epoch turn "
                           "hop shot iteration covid omicron subtask setting cluster split fold baseline player agent "
                           "scenario experiment variant condition case domain language dataset benchmark run trial "
                           "option method approach system team user annotator participant subject patient site region "
                           "category subset partition setup config configuration environment game room scene camera "
                           "sensor channel head expert worker node client server device robot stream view".split())
_AFTER_SIZE = re.compile(r"[A-Z][\w.]*|v\d[\w.]*|\d[\w.]*|it|hf|chat|instruct|base|sft|dpo|rlhf")
_TYPE_TAIL = re.compile(r"Eval|EVAL|Bench|BENCH|Instruct|Pretrain|GLUE|Glue|QA|Arena|Data|Corpus")
_VERSION_AFTER = re.compile(r" (?:[Vv]?\d+(?:\.\d+)+|[Vv]\d+|\d+(?:\.\d+)?[BM]|\d+x\d+[BM]|Large|LARGE|Base|BASE|XL|XXL|Small|"
                            r"Instruct|Chat)(?!\w|\.\d)")


def m_len(text: str, start: int, w: str) -> int:
    """Length of the word at ``start`` (to check a shape candidate was not cut short)."""
    m = WORD_RE.match(text, start)
    return len(m.group()) if m else len(w)


_PLUS_JOIN = re.compile(r"\+[A-Z]")
_PLUS_PART = re.compile(r"[^+]+(?:\+\+$|\+$)?")


def _words(text: str):
    """Name-like words; ``A+B`` (two names joined by a plus) is split, a trailing ``++`` is kept."""
    for m in WORD_RE.finditer(text):
        w, start = m.group(), m.start()
        if "+" in w and _PLUS_JOIN.search(w):
            for part in _PLUS_PART.finditer(w):
                yield start + part.start(), part.group()
        else:
            yield start, w


_PLURAL_ACRONYM = re.compile(r"[\w\-]*[A-Z]s")
_SLASH_NAME = re.compile(r"[A-Z].*/.*[A-Z]")
_PATCH_SIZE = re.compile(r"[A-Z][\w\-]*-[A-Z]/\d{1,3}$")  # "ViT-L/14": a model with its patch size


def _listed_compound(w: str, rd: RuleData) -> bool:
    """A listed model joined by hyphens to a capitalised word: Mental-Alpaca, Llama-3-Physician, Med-PaLM."""
    parts = w.split("-")
    if len(parts) < 2 or not all(p and (p[0].isupper() or p[0].isdigit()) for p in parts):
        return False
    for i in range(1, len(parts)):
        head, tail = "-".join(parts[:i]), "-".join(parts[i:])
        for listed, other in ((head, tail), (tail, head)):
            e = rd.lookup(listed)
            if e is not None and e.type == "model" and other[0].isupper() and not rd.is_stop(other):
                return True
    return False


_CHAT_OF = re.compile(r"([A-Z][a-z]+)-Chat")


def _chat_variant(w: str, text: str) -> bool:
    """"Lemur-Chat" beside "Lemur": the chat variant of a name the text uses on its own (not "Live-Chat logs")."""
    m = _CHAT_OF.fullmatch(w)
    return m is not None and re.search(rf"(?<![\w-]){m.group(1)}(?![\w-])", text) is not None


# a LaTeX command left glued between two words when the math was stripped: "English$\rightarrow$English"
_LATEX_COMMAND = re.compile(r"(?<=[a-z])(?:(?:long)?(?:right|left)arrow|rightleftharpoons|mathbf|mathrm|textbf|"
                            r"emph)(?=[A-Z])")


def _standing_alone(word: str, text: str, seen: dict[str, bool]) -> bool:
    """Does ``word`` stand in ``text`` as a word of its own? (Asked once per word: a long text repeats "LLMs".)"""
    if word not in seen:
        seen[word] = re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None
    return seen[word]


_DECIMAL = re.compile(r" (\d+)\.\d+")


def _score_after(version: str, word: str, rd: RuleData) -> bool:
    """Is the number after a name its score, not its version? "MMLU 68.9, GSM8K 81.2": a two-digit decimal is
    no version, nor is a decimal after a listed benchmark or metric (the versions they have are listed)."""
    d = _DECIMAL.fullmatch(version)
    if d is None:
        return False
    if len(d.group(1)) > 1:
        return True
    entry = rd.lookup(word)
    return entry is not None and entry.type != "model"


def find_name_shapes(text: str, rd: RuleData) -> list[Candidate]:
    out = []
    alone: dict[str, bool] = {}
    words = list(_words(text))
    stop, is_stop = rd.stop, rd.is_stop
    for start, w in words:
        if "-" in w:
            gm = GENERIC_SUFFIX.search(w)
            if gm:
                w = w[: gm.start()]
            w = w.rstrip("-/")
        if w.endswith("'s"):
            w = w[:-2]
        if not (is_name_shaped(w, stop) or _listed_compound(w, rd) or _chat_variant(w, text)) or is_stop(w) or \
                _LATEX_COMMAND.search(w):
            continue  # ("English$\rightarrow$English" with its math stripped is no name)
        # a plural acronym names a class of things (GLMs, PLMs, LLMs), unless its singular is used as a name too
        if w.endswith("s") and _PLURAL_ACRONYM.fullmatch(w) and (is_stop(w[:-1]) or (
                w.endswith("LMs") and not _standing_alone(w[:-1], text, alone))):
            continue  # ("LCLMs", "MM-LLMs": a kind of language model, unless its singular is used as a name)
        if "/" in w and not _SLASH_NAME.search(w) and not _PATCH_SIZE.search(w):
            continue
        if "/" in w:
            parts = w.split("/")
            if len(parts) == 2 and all(p[:1].isalpha() and (is_name_shaped(p, stop) or rd.lookup(p)) for p in parts):
                # "Davinci-003/ChatGPT": two names joined by a slash ("Gemma-2B/7B" stays one word)
                out.append(Candidate(start, start + len(parts[0]), parts[0], None, "name-shape", 0.6))
                s2 = start + len(parts[0]) + 1
                out.append(Candidate(s2, s2 + len(parts[1]), parts[1], None, "name-shape", 0.6))
                continue
        end = start + len(w)
        v = _VERSION_AFTER.match(text, end)
        if v and len(w) == m_len(text, start, w) and not _score_after(v.group(), w, rd):
            end = v.end()
        out.append(Candidate(start, end, text[start:end], None, "name-shape", 0.6))
    if "\\" in text:
        out += _latex_words(text, rd)
    return out


# a word spelled with LaTeX accent commands (T\"ULU, Gl\'orIA, Sabi\'a-65B); the word scan above stops at the backslash
_LATEX_WORD = re.compile(r"(?<![\w\\])[A-Za-z]*(?:\{?\\['\"`^~]\{?[A-Za-z]\}?\}?[A-Za-z]*)+(?:-[\w.]+)*")


def _latex_words(text: str, rd: RuleData) -> list[Candidate]:
    """Name-shaped words once their LaTeX accents are resolved; the candidate keeps the text as written."""
    out = []
    for m in _LATEX_WORD.finditer(text):
        plain = delatex(m.group())
        listed = rd.lookup(plain)
        if (is_name_shaped(plain, rd.stop) or listed is not None and rd.accepts(listed.id, plain)[0]) and \
                not rd.is_stop(plain):  # (T\"ulu is the listed Tülu though no capital marks it)
            end = m.end()
            v = _VERSION_AFTER.match(text, end) or _NUMBER_AFTER.match(text, end)
            if v and (v.re is _VERSION_AFTER or rd.lookup(plain + v.group()) is not None):
                end = v.end()  # "T\\"ULU 2" when "Tulu 2" is listed
            out.append(Candidate(m.start(), end, text[m.start():end], None, "name-shape", 0.6))
    return out


_NUMBER_AFTER = re.compile(r" \d{1,2}(?![\w.])")


# ------------------------------------------------------------------ abbreviations "Long Form (LF)"
_LATEX_TAIL = re.compile(r"(?:~?\\cite\w*\{[^}]*\})*~?$")  # a LaTeX tie or citation before "(SHORT)"
PAREN_RE = re.compile(r"\(\s*(?P<cue>(?:called|named|dubbed|aka|a\.k\.a\.|or)\s+)?([A-Za-z][\w\-+.]{0,20}[\w+])\s*"
                      r"(?:[;,][^)]*)?\)", re.IGNORECASE)
_TITLE_PHRASE = re.compile(r"(?:[A-Z][\w\-]*(?:\s+(?:of|for|with|and|in|on|to|the|via|from|a)?\s*[A-Z][\w\-]*){0,5})\s*$")


def _long_form(before: str, short: str) -> str | None:
    """The run of words ending ``before`` that ``short`` abbreviates: the shortest whose word initials spell it
    ("Proximal Policy Optimization (PPO)", not "Policy Optimization", whose letters merely occur in order), else
    the shortest whose letters occur in order, the first at a word start (Schwartz-Hearst)."""
    letters = [c.lower() for c in short if c.isalnum()]
    if len(letters) < 2 or not short[0].isalpha():
        return None
    words = re.findall(r"[\w'][\w'\-]*", before)
    if not words:
        return None
    max_words = min(len(words), len(letters) + 5, 12)
    for n in range(1, min(len(letters), max_words) + 1):
        if "".join(w[0] for w in " ".join(words[-n:]).replace("-", " ").split()).lower() == "".join(letters):
            return _words_at_end(before, words[-n:])
    for n in range(1, max_words + 1):
        cand_words = words[-n:]
        cand = " ".join(cand_words)
        if cand_words[0][0].lower() != letters[0]:
            continue
        # every letter of the short form appears in order, the first at a word start
        i = len(cand) - 1
        ok = True
        for ch in reversed(letters):
            while i >= 0 and cand[i].lower() != ch:
                i -= 1
            if i < 0:
                ok = False
                break
            i -= 1
        if ok and n >= max(1, len(letters) // 3):
            return _words_at_end(before, cand_words)
    return None


def _words_at_end(before: str, words: list[str]) -> str:
    """The text that the last ``words`` of ``before`` stand in, as written (so offsets stay true)."""
    idx = before.rfind(words[0], 0, len(before) - len(" ".join(words[1:])) if len(words) > 1 else len(before))
    return before[idx:].strip() if idx >= 0 else " ".join(words)


def find_abbreviations(text: str) -> list[tuple[int, int, str, int, int, str]]:
    """``(long_start, long_end, long, short_start, short_end, short)`` for every "Long Form (LF)" pair."""
    pairs = []
    for m in PAREN_RE.finditer(text):
        short = m.group(2)
        if not any(c.isupper() for c in short) or len(short) > 20:
            continue
        if m.group("cue"):  # "Generalized Instruction Tuning (called GLAN)": the Title Case phrase before is the name
            t = _TITLE_PHRASE.search(text, max(0, m.start() - 80), m.start())
            if t and t.group().strip() and " " in t.group().strip():
                lf = t.group().strip()
                pairs.append((t.start(), t.start() + len(lf), lf, m.start(2), m.start(2) + len(short), short))
            continue
        window_start = max(0, m.start() - 120, text.rfind("\n\n", 0, m.start()) + 2)
        before = _LATEX_TAIL.sub("", text[window_start:m.start()].rstrip())  # "Pre-training~\\cite{x}~(MVP)"
        # do not cross a sentence or clause boundary
        cut = max(before.rfind(". "), before.rfind("; "), before.rfind(": "))
        if cut >= 0:
            before = before[cut + 2:]
        lf = _long_form(before, short)
        if not lf or lf.lower() == short.lower():
            continue
        ls = text.rfind(lf, window_start, m.start())
        if ls < 0:
            continue
        pairs.append((ls, ls + len(lf), lf, m.start(2), m.start(2) + len(short), short))
    return pairs


def type_from_words(words: str, rd: RuleData) -> str | None:
    """The entity type a head noun phrase names ("benchmark", "language model", "framework"): the phrase is a
    head, or starts or ends with one (longest head wins)."""
    heads = rd.heads()
    w = fold(words).strip()
    if w in heads:
        return heads[w]
    if w.endswith("s") and w[:-1] in heads:
        return heads[w[:-1]]
    parts = w.replace(",", " ").split()
    for n in (3, 2, 1):
        if len(parts) > n:
            for piece in (" ".join(parts[-n:]), " ".join(parts[:n])):
                if piece in heads:
                    return heads[piece]
                if piece.endswith("s") and piece[:-1] in heads:
                    return heads[piece[:-1]]
    return None


def type_from_suffix(name: str, rd: RuleData) -> str | None:
    for pattern, typ in rd.suffix_types:
        if pattern.search(name):
            return typ
    return None


def with_type(c: Candidate, typ: str, rule: str, conf: float) -> Candidate:
    return replace(c, type=typ, rule=f"{c.rule}+{rule}", confidence=conf)



def type_from_part(name: str, rd: RuleData) -> str | None:
    """A name built on a listed name takes its type: AfriMMLU (MMLU), GeneGPT (GPT), CodeBERTER (BERT)."""
    key = name_key(name)
    # a three-letter piece counts as a hyphenated part or as capitals glued to a lowercase letter: GeneGPT on
    # GPT, Grounded-SAM and MediSAM on SAM, but not GDPR on DPR or NL4OPT on OPT
    whole = {name_key(p) for p in name.split("-")}
    if len(name) > 3 and name[-3:].isupper() and name[-4].islower():
        whole.add(name_key(name[-3:]))
    if len(name) > 3 and name[:3].isupper() and name[3].islower():
        whole.add(name_key(name[:3]))
    for n in range(len(key) - 1, 2, -1):
        for piece in (key[:n], key[-n:]):
            eid = rd.by_key.get(piece)
            if eid and rd.entries[eid].type in ("model", "benchmark", "dataset") and (n > 3 or piece in whole):
                return rd.entries[eid].type
    parts = name.split("-")
    for part in parts[1:-1]:  # DMaS-LLaMa-Lite: a listed model between two capitalised parts
        e = rd.lookup(part) if len(part) >= 3 else None
        if e is not None and e.type == "model" and all(p[:1].isupper() or p[:1].isdigit() for p in parts):
            return "model"
    return None
