"""spaCy components of the extraction pipeline, each a factory added by name.

A paper is one ``Doc`` of ``title + "\\n\\n" + abstract``. The components run in this order and
write only what they declare:

- ``kg_sentences``: sentence starts, and where the abstract starts -> ``token.is_sent_start``,
  ``doc._.kg_abstract_start``
- ``kg_urls``: repository / project URLs -> ``doc._.kg_candidates``
- ``kg_gazetteer``: curated names with aliases and canonical ids -> ``doc._.kg_candidates``
- ``kg_name_shapes``: names nobody listed (shapes, type cues, "Long Form (LF)" pairs) -> ``doc._.kg_candidates``,
  ``doc._.kg_abbreviations``
- ``kg_resolver``: one mention per span, typed and keyed -> ``doc._.kg_mentions``, ``doc.spans["kg"]``
- ``kg_relations``: introduces / evaluated_on / outperforms / based_on with evidence -> ``doc._.kg_relations``
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from spacy.language import Language
import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from .candidates import (_FUNCTION_WORDS, _PLURAL_ACRONYM, Candidate, _family_id, find_abbreviations, is_name_shaped, find_gazetteer, find_name_shapes,
                         find_urls, type_from_part, type_from_suffix, type_from_words, with_type)
from .normalize import fold, name_key, strip_variant
from .rules import RuleData, load_rule_data

for _name, _default in (("kg_text", None), ("kg_candidates", None), ("kg_abbreviations", None), ("kg_mentions", None),
                        ("kg_relations", None), ("kg_abstract_start", 0)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

FIELD_SEP = "\n\n"


def token_starts(doc: Doc):
    """Character offset of every token, as one array (``Doc.char_span`` scans the tokens on each call)."""
    return doc.to_array("IDX")


def doc_text(doc: Doc) -> str:
    """The Doc's text. ``Doc.text`` rebuilds the string from every token on each access, so the tokenizer
    wrapper (``TextKeepingTokenizer``) stores it once in ``doc._.kg_text``."""
    t = doc._.kg_text
    return doc.text if t is None else t


class TextKeepingTokenizer:
    """Wraps a spaCy tokenizer and keeps the input string on the Doc (``doc._.kg_text``)."""

    def __init__(self, tokenizer) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        doc._.kg_text = text
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # rules, vocab, to_bytes ... of the wrapped tokenizer
        if name == "tokenizer":
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


@dataclass(frozen=True)
class MentionSpan:
    """A resolved mention: offsets into ``doc.text``, type, identity key and how it was found."""

    start: int
    end: int
    text: str
    type: str
    key: str
    rule: str
    confidence: float
    gaz_id: str | None = None
    family_id: str | None = None
    url: str | None = None
    long_form: str | None = None
    name: str | None = None  # the name in full where the text is a shortened part: "7B" of "Gemma-2B/7B"


@dataclass(frozen=True)
class RelationSpan:
    """``subject predicate object`` over mention keys (``"#paper"`` is the paper), with the sentence span."""

    subject: str
    predicate: str
    object: str
    sent_start: int
    sent_end: int
    rule: str
    confidence: float


DATAISH = ("dataset", "benchmark")  # the types of data: lineage and evaluation join them to each other
DATA_TYPES = frozenset(DATAISH)


class _RuleComponent:
    """Base for components that need the rule data; loaded once at construction (or ``initialize``)."""

    def __init__(self, nlp: Language, name: str, data_dir: str | None = None) -> None:
        self.name = name
        self.data_dir = data_dir
        self.rd: RuleData = load_rule_data(data_dir)

    def initialize(self, get_examples=None, nlp=None, data_dir: str | None = None) -> None:
        if data_dir:
            self.data_dir = data_dir
        self.rd = load_rule_data(self.data_dir)

    @staticmethod
    def _add(doc: Doc, cands: list[Candidate]) -> None:
        if doc._.kg_candidates is None:
            doc._.kg_candidates = []
        doc._.kg_candidates.extend(cands)


# ------------------------------------------------------------------ kg_sentences
_BOUNDARY = re.compile(r"(?<=[.!?])(?<!\bal\.)(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\betc\.)(?<!\bvs\.)(?<!\bFig\.)"
                       r"(?<!\bEq\.)(?<!\bSec\.)(?<!\bNo\.)(?<!\bcf\.)(?<!\bapprox\.)(?<!\bresp\.)"
                       r"[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def sentence_starts(text: str, abstract_start: int) -> list[int]:
    """Character offsets where sentences start: the title, the abstract, and after ``. ! ?`` followed by a
    capital or a digit (not after e.g., i.e., et al., Fig. ...)."""
    starts = {0}
    if abstract_start:
        starts.add(abstract_start)
    starts.update(m.end() for m in _BOUNDARY.finditer(text))
    return sorted(p for p in starts if p < len(text))


@Language.factory("kg_sentences", assigns=["doc._.kg_text", "doc._.kg_abstract_start", "token.is_sent_start"])
def make_sentences(nlp: Language, name: str):
    """Sentence boundaries and the title/abstract split, found on the text with one regex scan (the
    sentencizer's per-token loop costs as much as tokenising)."""
    def kg_sentences(doc: Doc) -> Doc:
        if doc._.kg_text is None:  # a Doc made without the text-keeping tokenizer
            doc._.kg_text = doc.text
        text = doc._.kg_text
        cut = text.find(FIELD_SEP)
        a0 = cut + len(FIELD_SEP) if cut >= 0 else 0
        doc._.kg_abstract_start = a0
        if len(doc) == 0:
            return doc
        # every token's SENT_START in one array call (setting tokens one by one rescans the Doc each time)
        flags = np.full((len(doc), 1), -1, dtype="int64")
        first = np.searchsorted(token_starts(doc), np.array(sentence_starts(text, a0)), side="left")
        flags[first[first < len(doc)], 0] = 1
        flags[0, 0] = 1
        doc.from_array([SENT_START], flags.astype("uint64"))
        return doc
    return kg_sentences


# ------------------------------------------------------------------ kg_urls
@Language.factory("kg_urls", assigns=["doc._.kg_candidates"])
def make_urls(nlp: Language, name: str):
    def kg_urls(doc: Doc) -> Doc:
        _RuleComponent._add(doc, find_urls(doc_text(doc)))
        return doc
    return kg_urls


# ------------------------------------------------------------------ kg_gazetteer
@Language.factory("kg_gazetteer", assigns=["doc._.kg_candidates"], default_config={"data_dir": None})
def make_gazetteer(nlp: Language, name: str, data_dir: str | None):
    return GazetteerComponent(nlp, name, data_dir)


class GazetteerComponent(_RuleComponent):
    def __call__(self, doc: Doc) -> Doc:
        self._add(doc, find_gazetteer(doc_text(doc), self.rd))
        return doc


# ------------------------------------------------------------------ kg_name_shapes
@Language.factory("kg_name_shapes", assigns=["doc._.kg_candidates", "doc._.kg_abbreviations"],
                  default_config={"data_dir": None})
def make_name_shapes(nlp: Language, name: str, data_dir: str | None):
    return NameShapeComponent(nlp, name, data_dir)


_HEAD_AFTER = re.compile(r"^[\s\-]+((?:[A-Za-z][\w\-]*\s+){0,2}[A-Za-z][\w\-]*)")
_APPOS = re.compile(r"^\s*(?:\([^)]{0,40}\)\s*)?(?:,|\s-|\s--|\s\u2013|\s\u2014|\u2014|\()?\s*(?:(?:is|are|was|as)\s+)?"
                    r"(?:a|an|the|our)\s+([^,.;:()]{0,90})")
# a list of names set beside one kind, without an article: "A and B, openly accessible language models"
_LIST_APPOS = re.compile(r"((?:\s*(?:,|,?\s+and|,?\s+or)\s+[A-Z][\w\-.+]*){0,4})\s*,\s+(?:(?:two|three|four|five|both|all)\s+)?"
                         r"(?!(?:a|an|as|which|that|who|whose|respectively|and|or|but|while|with|where|when|in|on|for|to|by|from|of|at|we|"
                         r"it|they|this|these|those|its|their|our|etc|e\.g|i\.e)\b)([a-z][^,.;:()]{0,90})")
# "Compared to A and B, language models ...": a list in a sentence's opening phrase, before its subject
_OPENER = re.compile(r"(?:^|[.!?]\s+|\n)(?:compared|after|before|on|in|for|unlike|across|using|with|beyond|like|besides|"
                     r"following|given|despite|among|through|by|from|apart|similar|relative|over|under|when|while|as|"
                     r"to|beside|via|against|except)\b[^.!?\n]*$", re.IGNORECASE)
_LIST_BEFORE = re.compile(r"[A-Z][\w\-.+]*(?:,|,?\s+and|,?\s+or)\s+$")
_NAMING = re.compile(r"(?:called|named|dubbed|termed|coined|namely|known as|referred to as|we call|we name|we dub|we term)"
                     r"(?:\s+as)?\s*[:,]?\s*[\"'\u201c]?$",
                     re.IGNORECASE)
_LIST_INTRO = re.compile(r"(?<![A-Za-z])([A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*)?)\s*(?:,?\s*(?:such as|including|like|e\.g\.,?|"
                         r"namely|i\.e\.,?)|\(|:|,|\u2014|--)\s*(?:the\s+)?$", re.IGNORECASE)
# "GEC datasets across multiple domains (A, B, ...)": a lowercase head, a short phrase, then the list
_LIST_INTRO_PP = re.compile(r"(?<![A-Za-z])([a-z][\w\-]*(?:\s+[a-z][\w\-]*)?)\s+(?:across|from|in|of|for|over)\s+"
                            r"(?:[\w\-]+\s+){0,2}?[\w\-]+\s*\(\s*$")
_CAP_HEAD = re.compile(r" (Benchmark|Dataset|Corpus|Challenge|Suite|Leaderboard|Arena|Collection|Treebank)(?: \d{4})?\b")
_EVAL_ON = re.compile(r"\b(?:[Oo]n|[Aa]cross)\s+(?:the\s+)?(?:[\w\-.]+\s*(?:\([^()]{0,30}\))?\s*(?:,|and|,\s*and|/)\s*)*$")
_OPENING_ON = re.compile(r"(?:^|[.!?]\s+|\n)(?:On|Across)\s+(?:the\s+)?(?:[\w\-.]+\s*(?:,|and|,\s*and|/)\s*)*$")
# what a model is trained on is data: "trained on X-1M", "pre-trained on A and B"
_TRAINED_ON = re.compile(r"\b(?:train(?:s|ed|ing)?|pre-?train(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing)|learn(?:s|ed|t)?)\s+"
                         r"(?:[\w\-]+\s+){0,3}?on\s+(?:the\s+)?(?:[\w\-.]+\s*(?:,|and|,\s*and|/)\s*)*$",
                         re.IGNORECASE)
_HARDWARE = re.compile(r"GPU|TPU|NPU|IPU|Cluster|Pod|Cloud", re.IGNORECASE)  # ("trained on TPUv4 pods")
_HARDWARE_AFTER = re.compile(r"\s+(?:pods?|GPUs?|TPUs?|chips?|nodes?|machines?|cards?|clusters?|hardware|for\s+\w+\s+"
                             r"(?:days?|hours?|weeks?))\b", re.IGNORECASE)
# the systems a result is compared with: "compared with A and B", "relative to A (Kong et al., 2023)", "over A"
# (not a sentence's opening "Compared to A and B, ...", which compares anything; not "longer instances than A")
_COMPARED_WITH = re.compile(r"\b(?:(?<![.!?]\s)(?<!^)compared\s+(?:with|to)|(?<=[Ww]e\s)compare|relative\s+to|versus|vs\.?|"
                            r"(?:better|higher|stronger|more\s+accurate|lower\s+error)\s+(?:[\w\-@%]+\s+){0,3}?than|"
                            r"(?:improv\w*|gains?|advantages?|wins?)(?:\s+[\w\-@%.+]+){0,6}?\s+(?:over|against)|"
                            r"outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|beat(?:s|ing)?|baselines?\s+(?:such\s+as|"
                            r"like|including))\s+(?:the\s+|strong\s+|prior\s+|existing\s+|baselines?\s+(?:such\s+as\s+)?){0,2}"
                            r"(?:[\w\-.+]+\s*(?:\([^()]{0,40}\))?\s*(?:,|and|or|,\s*and|,\s*or)\s*)*$")
_EVAL_WORD = re.compile(r"experiment|evaluat|result|benchmark|accuracy|performance|\btest|score|state-of-the-art|"
                        r"outperform|achiev|recall|F1|improv|surpass|error rate|BLEU|ROUGE|precision|perplexity|pass@|"
                        r"exact match|\bWER\b", re.IGNORECASE)
# where a verb of introduction stands: the patterns below that open on one are tried there only (one scan for
# all of them instead of one per pattern)
_INTRO_VERB = re.compile(r"\b(?:introduce|present|propose|release|develop|design|devise)s?\b")
_INTRO_NAME = re.compile(r"\b(?:introduce|introduces|present|presents|propose|proposes|release|releases|develop|"
                         r"develops)\s+(?:the\s+)?([A-Z][\w\-]*[a-z0-9][\w\-]*(?:[ \t]+[A-Z][\w\-]*){0,2})"
                         r"(?=\s*(?:,\s*(?:a|an|the|our)\b|\(|:|--|\u2014)|(?P<end>\s*(?:,\s*(?:which|that|(?:distill|"
                         r"fine-tun|instruction-tun|train|initiali[sz]|adapt|deriv|obtain)ed)\b|\.(?:\s|$))))")
# (a name that only ends its clause is one word, no plural: not "we introduce Gaussian Processes, which ...")
_PLAIN_PLURAL = re.compile(r"[a-z]s$")
# "we propose an Adaptive Bad-case Sampling module", "we introduce a Warmup-Stable-Decay (WSD) learning rate
# scheduler", "using a novel Token Type Classification objective": a capitalised phrase between an article after a
# verb of introduction (or "a novel") and the kind of thing it is
_KIND_BODY = (r"([A-Z](?=[\w\-]*[a-z])[\w\-]*(?:\s+(?:(?:of|for|and|to|with)\s+)?[A-Z](?=[\w\-]*[a-z])[\w\-]*){0,4})"
              r"(?:\s+\([A-Z][\w\-]*\))?\s+(?:[a-z\-]+\s+){0,2}?(module|strategy|objective|scheduler|algorithm|method|"
              r"technique|approach|framework|mechanism|loss|paradigm|procedure|model|dataset|benchmark|corpus)\b")
_INTRO_KIND = re.compile(r"\b(?:introduce|present|propose|develop|design|devise)s?\s+(?:a|an)\s+(?:(?:novel|new|simple|"
                         r"effective|general)\s+)?" + _KIND_BODY)
_NOVEL_KIND = re.compile(r"\b(?:[Aa]n?|[Oo]ur)\s+(?:novel|new|proposed)\s+" + _KIND_BODY)
# the paper speaking of itself, not of others' work, in the sentence around a position
_OWN_VOICE = re.compile(r"\b(?:[Ww]e|[Oo]ur|[Tt]his (?:paper|work|study|report))\b")
_OTHERS_WORK = re.compile(r"\bet al\.|\b(?:[Pp]rior|[Pp]revious|[Ee]xisting|[Rr]ecent|[Ee]arlier) (?:work|works|studies|"
                          r"methods|approaches|research)\b")


def _own_voice(text: str, pos: int) -> bool:
    """Does the text around ``pos`` (its line, within 150 characters either side) speak of the paper's own work
    and not of others' ("Smith et al. introduced a new ...")?"""
    s0 = max(text.rfind("\n", 0, pos) + 1, pos - 150, 0)
    e = text.find("\n", pos)
    s1 = min(len(text) if e < 0 else e, pos + 150)
    return bool(_OWN_VOICE.search(text, s0, s1)) and not _OTHERS_WORK.search(text, s0, s1)
_OUR_KIND_PAREN = re.compile(r"\b[Oo]ur\s+(?:(?!(?:target|test|evaluation|held-out|heldout|teacher|base|baseline|reference|"
                             r"previous|prior|original|earlier|student|backbone|downstream|validation)\b)[\w\-]+\s+){0,3}?"
                             r"(model|method|approach|framework|algorithm|dataset|corpus|benchmark)\s*"
                             r"\(([A-Z][\w\-]*[a-z0-9][\w\-]*)[;,)]")
# "we introduce knowledge inheritance to accelerate ...", "we propose Density sampling, which ...": a process the
# paper names in plain words right after a verb of introduction
_WE_BEFORE = re.compile(r"\b(?:[Ww]e|[Tt]his (?:paper|work|study))\s+(?:first\s+|also\s+|further\s+|then\s+)?$")
_NOT_MODIFIERS = frozenset("both results experiments experiment evaluation analysis study studies use usage effect "
                           "effects impact role benefits".split())
_PROPOSED_PROCESS = re.compile(r"\b(?:propose|introduce|present|devise)s?\s+"
                               r"(?!(?:a|an|the|our|this|these|its|their|two|three|several|novel|new|some|such|to|that|how)\b)"
                               r"((?:[A-Za-z][\w\-]*\s+){0,3}?(?=[A-Za-z])[\w\-]*?(?:[Tt]raining|[Tt]uning|[Ll]earning|[Mm]odell?ing|[Pp]rompting|"
                               r"[Dd]ecoding|[Pp]runing|[Ss]ampling|[Mm]erging|[Ee]diting|[Dd]istillation|[Ii]nheritance|[Ff]orgetting|"
                               r"[Aa]lignment|[Aa]ugmentation|[Ss]teering|[Ss]caling|[Rr]egularization|[Oo]ptimization|[Aa]daptation)\b)"
                               r"(?=\s*(?:[,.;(]|\s(?:to|that|which|for|as|by|where|with|and|in)\b))")
_INTRO_KIND_NAME = re.compile(r"\b(?:introduce|present|propose|develop|design|devise)s?\s+(?:a|an)\s+(?:[\w\-]+\s+){0,4}?"
                              r"(algorithm|method|technique|approach|framework|model|dataset|benchmark|corpus|toolkit|system|"
                              r"library|suite|tool|platform|agent|pipeline),\s+"
                              r"([A-Z][\w\-]*[a-z0-9][\w\-]*(?:[ \t]+[A-Z][\w\-]*){0,2})(?=[,.;]|\s+\()")
_KIND_NAMED_LOWER = re.compile(r"\b(method|approach|technique|strategy|framework|algorithm|objective|module|mechanism|"
                               r"model|dataset|benchmark),?\s+(?:named|called|dubbed|termed)\s+"
                               r"([a-z][\w\-]*(?:\s+(?!(?:to|which|that|for|and|in|on|with|by|as|of|is|are)\b)"
                               r"[a-z][\w\-]*){0,3})(?=\s+(?:to|which|that|for|and|in|on|with|by|as)\b|\s*[,.;:(])")
_MODIFIER_TAIL = re.compile(r"-(?:based|style|like|inspired|driven|aware|guided|enhanced|augmented)$", re.IGNORECASE)
_KIND_TYPE = {"model": "model", "dataset": "dataset", "corpus": "dataset", "benchmark": "benchmark"}
_SIZE_WORD = re.compile(r"\d+(?:\.\d+)?[BMK]|v?\d+(?:\.\d+)*", re.IGNORECASE)
_TITLE_PARTS = re.compile(r"(?:(?!\s+and\s+)[^&+,])+")
_FUNCTION_TAIL = re.compile(r"(?<=\S)\s+(?:for|of|on|in|with|to|via|and)$")
_SURVEY = re.compile(r"\b(?:survey|review|overview|tutorial|recent advances|primer|position paper|perspectives?)\b",
                     re.IGNORECASE)
_GENERIC_TAIL = re.compile(r"(?<=\S)\s+(?:(?:Large\s+)?Language\s+Models?|LLMs?|Models?|Framework|Datasets)$")
_INTRO_BEFORE = re.compile(r"\b(?:(?:we|paper|work|report|study)\b[^.;]{0,40}|(?:,\s*)?and\s+(?:then\s+|also\s+)?)"
                           r"\b(?:introduce|present|propose|release|develop|build|design|devise|introduces|presents|"
                           r"proposes|releases)\s+(?:a\s+|an\s+|the\s+)?(?:new\s+|novel\s+)?$", re.IGNORECASE)
_INTRO_ENDS = ("introduce", "present", "propose", "release", "develop", "build", "design", "devise", "introduces",
               "presents", "proposes", "releases", " a", " an", " the", "new", "novel")
# "refer to the resulting model as X", "we name it as X": a naming cue that puts the kind before the name
REFER_AS = re.compile(r"\b(?:refer(?:s|red)?\s+to|call(?:s|ed)?|nam(?:e|es|ed)|dub(?:s|bed)?|term(?:s|ed)?)\s+"
                      r"(?:it|them|this|these|(?:the|this|our)\s+(?:resulting\s+|final\s+|new\s+)?"
                      r"([\w\-]+(?:\s+[\w\-]+)?))\s+as\s*[\"'\u201c]?$", re.IGNORECASE)
_NAMED_BEFORE = re.compile(r"(?:called|named|dubbed|termed|coined|we (?:call|name|dub|term))\s+(?:as\s+)?[\"'\u201c]?")
_NAMING_WORDS = ("called", "named", "dubbed", "termed", "coined", "we call", "we name", "we dub", "we term")
_ACRONYM = re.compile(r"[A-Z]{2,5}s?")  # "an LLM programming workflow (LPW)": an acronym inside a lowercase phrase
_COMMA_A = re.compile(r",\s+an?\s")
_WORD_END = re.compile(r"(?<![\w\-])([A-Z][\w\-]*[a-z0-9][\w\-]*)\s*$")
_SENTENCE_START = re.compile(r"(?:[.!?:]\s*|\n\s*)$")
_DATA_HEADS = ("benchmark", "dataset", "corpus", "leaderboard", "test set", "challenge")
_CAP_HEADS = ("Corpus", "Treebank", "Dataset", "Benchmark")


def _word_char(text: str, i: int, joiners: str = "_") -> bool:
    """Is the character at ``i`` part of a word (letters, digits and ``joiners``)? False outside the text."""
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] in joiners)


def _anchored(rx: re.Pattern, text: str, starts: list[int]):
    """The matches of ``rx`` that start at one of ``starts``, left to right and not overlapping (as ``finditer``
    gives them, for a pattern that can only start at one of those places)."""
    end = 0
    for p in starts:
        if p >= end:
            m = rx.match(text, p)
            if m is not None:
                end = max(m.end(), p + 1)
                yield m


def _non_overlapping(matches):
    end = -1
    for m in matches:
        if m.start() >= end:
            end = max(m.end(), m.start() + 1)
            yield m


def _head_words(text: str):
    """Starts of the words benchmark(s), dataset(s), ... in ``text`` (plain substring scans: a regex alternation
    of these words is several times slower)."""
    found = []
    for w in _DATA_HEADS:
        i = text.find(w)
        while i >= 0:
            j = i + len(w)
            k = j + (1 if text.startswith("s", j) else 0)
            if not _word_char(text, i - 1) and not _word_char(text, k):
                found.append(i)
            i = text.find(w, j)
    return sorted(found)


_ONE_WORD_BEFORE = re.compile(r"\b[Tt]he\s+([A-Z][a-z]{2,})\s+$")
# the adjective of a language, people or place ("Bengali", "Persian", "Danish", "Japanese", "Icelandic"), or an
# ordinary adjective ("Medical", "Extended", "Comparable"): no data's one-word name
_PEOPLE_WORD = re.compile(r"(?:ese|ish|ian|ean|ican|ic|i|ch|ek|ing|al|ed|ive|ous|ful|less|able|ible|ary)$")
# words that name a kind or a state of data, and languages the endings above miss
_DATA_ADJECTIVES = frozenset("test full hard easy small large big new old main public private open clean noisy real raw "
                             "base final same whole entire standard general common popular synthetic training validation "
                             "dev development target source held extra mini tiny toy sample unlabeled labeled combined "
                             "mixed merged urdu hebrew welsh tamil telugu kannada malayalam yoruba igbo hausa zulu xhosa "
                             "sinhala khmer lao malay tagalog basque catalan galician latin farsi pashto uzbek kazakh "
                             "quechua maori yiddish esperanto sanskrit odia wolof twi kinyarwanda luganda shona lingala "
                             "tigrinya afrikaans slovak".split())
_TITLED_BEFORE = re.compile(r"\bthe\s+((?:[A-Z][\w\-]*\s+){1,3}(?:[A-Z][\w\-]*|[Vv]\d+(?:\.\d+)?|\d+(?:\.\d+)?))\s+$")
_CAP_PHRASE_HEAD = re.compile(r"(?<![\w\-])((?:[A-Z][a-z]+\s+){2,3}(?:Corpus|Treebank|Dataset|Benchmark))\b")
_NOT_NAME_START = frozenset("The A An This These That Our Their Its Each Every Both Such Any New Large Small Existing "
                            "Current Previous Popular Public Standard Several Many Most Other Few Multiple".split())
_REFER_WORDS = ("refer", "call", "nam", "dub", "term")
_AS_NAME = re.compile(r"\bas\s+[\"'\u201c]?([A-Z][\w\-+]*)")
# a multi-word name that ends in a training or inference process names a method: "... Fine-tuning",
# "Retrieval-Augmented Language Modeling", "Instruction Pre-Training" (not "... Language Understanding", a task)
_PROCESS_TAIL = re.compile(r"\s(?:[\w]+-)*(?:[Tt]raining|[Tt]uning|[Ll]earning|[Mm]odell?ing|[Pp]rompting|[Dd]ecoding|"
                           r"[Pp]runing|[Ss]ampling|[Mm]erging|[Ee]diting|[Ee]ncoding|[Mm]asking|[Rr]outing|[Bb]oosting|"
                           r"[Cc]aching|[Qq]uantizing|[Dd]istilling|[Pp]ooling|[Pp]acking|[Ff]iltering|[Rr]anking|"
                           r"[Pp]ropagation|[Dd]istillation|[Aa]ugmentation|[Oo]ptimization|[Rr]egularization|[Aa]lignment|"
                           r"[Ii]nterpolation|[Qq]uantization|[Ss]parsification|[Ii]nitiali[sz]ation|[Nn]ormalization|"
                           r"[Ss]teering|[Ii]nheritance)$")


_KIND_COMMA = re.compile(r",\s*the\s+$")
_VERB_AFTER_SCORES = re.compile(r"\s*(?:\d|(?:higher|lower|better|worse|above|below|well|poorly|best|highest|top|"
                                r"first|only|up to|over|comparably|competitively|significantly|consistently)\b)",
                                re.IGNORECASE)
_SLOGAN = re.compile(r"n['\u2019]t\b|[?!]", re.IGNORECASE)
_COINED = ("introduced-word", "named-phrase", "title-name")
# the confidence of a coined name's type guessed from nothing (a title that says no kind: "Marlin: Technical
# Report" gives a method); any cue's type wins over it
GUESS = 0.6
_NAMING_ENDS = ("called", "named", "dubbed", "termed", "coined", "namely", "known as", "referred to as", "we call",
                "we name", "we dub", "we term", ":", ",", "named as", "called as", "termed as")
_PLURAL_NAMELY = re.compile(r"\b[a-z][\w\-]*s,?\s*namely\s*$")
_LIST_ENDS = ("such as", "including", "like", "e.g.", "e.g.,", "namely", "i.e.", "i.e.,", "(", ":", ",", "the", "\u2014",
              "--")
_PLURAL_NAME = re.compile(r"[\w\-]*[A-Z]s")
_STRONG_CONTEXT = frozenset({"head-noun", "apposition", "naming-cue", "introduced-name", "own-head", "head-before"})
_ARTICLES = frozenset("a an the our novel new".split())
_OWN_HEAD = re.compile(r"\b(?:our|the proposed|a new|a novel|this)\s+((?:[\w\-]+\s+){0,2}?[\w\-]+)\s*,\s*$", re.IGNORECASE)
_QUANTITY_NOUNS = frozenset("set suite family series collection pair number variety range group class".split())
_TITLE_PROCESS = re.compile(r"((?:[A-Z][\w\-]*\s+(?:of\s+|for\s+)?){1,3}[A-Z][\w\-]*)"
                            r"(?=\s+(?:for|in|with|via|on|to|as|Enables|Improves|Makes)\b|\s*:)")
def _initials(name: str) -> str:
    """First letters of a name's words and hyphen-joined parts, lowercased: "Knowledge-Injected Curriculum" -> "kic"."""
    return "".join(w[0] for w in re.split(r"[\s\-]+", name) if w).lower()


def _coined_in(text: str, a0: int, phrase: str) -> bool:
    """Does the abstract present ``phrase`` as its own ("this paper introduces patch-level training", "Source-Aware
    Training (SAT)"), not as a technique it uses ("we apply adversarial training")?"""
    low, key = text.lower(), phrase.lower()
    i = low.find(key, a0)
    while i >= 0:
        if _INTRO_BEFORE.search(text, max(a0, i - 80), i) or _ABBR_AFTER.match(text, i + len(key)):
            return True
        i = low.find(key, i + 1)
    return False


_ABBR_AFTER = re.compile(r"\s*\([A-Z][\w\-]*\)")
_TITLE_OPENERS = frozenset("a an the beyond towards toward on rethinking revisiting understanding exploring".split())
# (not Generation, Retrieval, Inference, Synthesis: they end method names as often, "Retrieval-Augmented
# Generation", "Stochastic Variational Inference")
_TASK_TAIL = re.compile(r"\b(?:[Rr]epair|[Ee]ngineering|[Aa]nswering|[Pp]roving|[Ss]ummari[sz]ation|[Tt]ranslation|"
                        r"[Rr]ecognition|[Cc]lassification|[Uu]nderstanding|[Rr]easoning|[Dd]etection|[Ee]xtraction|"
                        r"[Pp]arsing|[Ll]inking|[Tt]racking|[Ll]abeling|[Ll]abelling)$")
_DATA_WORD = re.compile(r"\b(?:[Bb]enchmark|[Dd]ataset|[Cc]orpus|[Ee]valuation|[Ss]uite|[Ss]et|[Cc]hallenge|[Tt]est)\b")
_DATA_AFTER = re.compile(r"[\s\-]+(?:data|dataset|datasets|corpus|corpora|instructions|samples|examples|responses|"
                         r"outputs|text|texts|pairs|conversations|dialogues)\b", re.IGNORECASE)
_TUNE_BEFORE = re.compile(r"\b(?:fine-?tun(?:e|es|ed|ing)|finetun(?:e|es|ed|ing)|pre-?train(?:s|ed|ing)?|"
                          r"distill(?:s|ed|ing)?|instruction-tun(?:e|es|ed|ing))\s+(?:the\s+|a\s+|an\s+)?"
                          r"(?:pre-?trained\s+|base\s+|original\s+)?$", re.IGNORECASE)
# a name said to be made from a model by training it: whatever is fine-tuned, distilled or initialised is a model
# ("X is a fine-tuned version of B", "X, fine-tuned from B", "X is trained on top of B"; not "adapted from",
# which a dataset can be)
_MADE_FROM_AFTER = re.compile(
    r"\s*,?\s*(?:(?:is|was|has\s+been)\s+)?(?:(?:a|an|the)\s+(?:[\w.\-]+\s+){0,3}?)?(?:"
    r"(?:fine-?tuned|finetuned|instruction-tuned|quantized|continually\s+pre-?trained)\s+"
    r"(?:version|variant|checkpoint)\s+of|(?:LoRA\s+)?fine-?tune\s+of|continual\s+pre-?training\s+of|"
    r"(?:fine-?tuned|finetuned|instruction-tuned|initiali[sz]ed|continually\s+pre-?trained|further\s+"
    r"(?:pre-?)?trained)\s+(?:from|on|upon)|trained\s+on\s+top\s+of)\b", re.IGNORECASE)
_ADAPTED_FROM_AFTER = re.compile(r"\s*,?\s*(?:(?:is|was|has\s+been)\s+)?(?:adapted|distilled)\s+from\s+(?:the\s+)?"
                                 r"([A-Z][\w.]*(?:-[\w.]+)*(?: \d[\w.]*)?)(?!\s+(?:data|dataset|corpus|benchmark|"
                                 r"responses|outputs|generations)\b)|"
                                 r"\s+(?:is|was)\s+(?:a|an)\s+([A-Z][\w.]*(?:-[\w.]+)*(?: \d[\w.]*)?)\s+"
                                 r"(?:derivative|variant|fine-?tune)\b(?!\s+(?:data|dataset|corpus|benchmark)\b)")
_VARIANT_OF = re.compile(r"(?:[\w\-]+\s+){0,3}?(?:version|variant|extension|adaptation|subset|derivative|translation)s?"
                         r"\s+of\s+(?:the\s+)?(.+)")


def _listed_type(phrase: str, rd) -> str | None:
    """The type of the listed name that opens ``phrase`` ("Natural Questions with ...": benchmark)."""
    words = phrase.split()
    for n in range(min(4, len(words)), 0, -1):
        e = rd.lookup(" ".join(words[:n]).rstrip(",.;"))
        if e is not None:
            return e.type
    return None


_STOP_WORDS = frozenset("that which who for with of to on in by from using via and or but while whereas where".split())
_LONG_NAME = re.compile(r"(?:[A-Z][\w\-]*|of|for|with|and|in|on|to|the|via|from|as|a)"
                        r"(?:[ \t]+(?:[A-Z][\w\-]*|of|for|with|and|in|on|to|the|via|from|as|a)){0,6}")


def head_exact(phrase: str, rd) -> str | None:
    """The type of a phrase that is exactly one head noun ("benchmark", "language model", "test set")."""
    key = phrase.lower()
    for typ, heads in rd.cues["type_heads"].items():
        if key in heads:
            return typ
    return None


def first_head(phrase: str, rd) -> str | None:
    """The type named by the first head noun in a phrase, read left to right, stopping at a clause word."""
    words = re.findall(r"[\w\-]+", phrase)
    for i, w in enumerate(words):
        if w.lower() in _QUANTITY_NOUNS and i + 1 < len(words) and words[i + 1].lower() == "of":
            continue  # "a set of language models", "a suite of benchmarks": the noun after "of" says the type
        if w.lower() == "of" and i and words[i - 1].lower() in _QUANTITY_NOUNS:
            continue
        if w.lower() in ("and", "or") and 0 < i < len(words) - 1 and words[i + 1].lower() not in _ARTICLES \
                and words[i + 1].lower() not in _STOP_WORDS:
            continue  # "a training and inference scheme": joined modifiers before one head
        if w.lower() in _STOP_WORDS:
            break
        for n in (3, 2, 1):
            typ = type_from_words(" ".join(words[i:i + n]), rd) if i + n <= len(words) else None
            if typ and (n > 1 or words[i].lower() != "data"):
                return typ
    return None


# a title's rest opening on a verb in -ing (not a noun in -ing, nor an adjective such as "Streaming Speech Models")
_GERUND_OPENING = re.compile(r"\s*(?!(?:Training|Learning|Modeling|Modelling|Pretraining|Pre-training|Reasoning|Understanding|"
                             r"Benchmarking|Evaluating|Assessing|Measuring|Testing|Probing|Streaming|Thinking|Evolving|"
                             r"Coding|Planning|Speaking|Talking|Listening|Reading|Writing|Computing|Embedding|Matching)\b)"
                             r"[A-Z][a-z]+ing\s")


def title_type(title_rest: str, rd=None) -> str:
    """What a title says its paper is about: the head of its opening noun phrase ("A Model-Agnostic Framework
    for ...": method), a way of doing something when it opens on a verb in -ing ("Enhancing Reasoning in LLMs
    via ...": method), else the type whose keyword comes first ("Benchmarking Models on ...": benchmark), else a
    method."""
    chunk = re.match(r"\s*([^,.;:?!]*?)(?:\s+(?:for|with|of|in|on|to|via|from|by)\b|[,.;:?!]|$)", title_rest)
    if chunk and len(chunk.group(1).split()) <= 5 and _PROCESS_TAIL.search(chunk.group(1)) \
            and not re.match(r"[A-Za-z]+ing\b", chunk.group(1)):
        return "method"  # "X: Sparse Pre-training and Dense Fine-tuning for LLMs" (not "X: Scaling Language Modeling")
    m = _TITLE_NP.match(title_rest) if rd is not None else None
    if m:
        typ = first_head(title_rest[m.end():], rd)
        if typ:
            return typ
    if _GERUND_OPENING.match(title_rest):
        return "method"  # "X: Enhancing Multilingual Reasoning in LLMs via ...": a way of doing something
    hits = [(m.start(), t) for rx, t in _TITLE_TYPE for m in [rx.search(title_rest)] if m]
    return min(hits)[1] if hits else "method"


def _shouting(title: str) -> bool:
    """A title in capitals throughout ("ZORRO-7B: A SMALL MODEL"), where every word has the shape of a name."""
    return not any(c.islower() for c in title) and len(_CAPS_WORD.findall(title)) >= 3


_CAPS_WORD = re.compile(r"[^\W\d_]{2,}")


def _spelled_as_in_abstract(cands: list[Candidate], text: str, a0: int, rd) -> list[Candidate]:
    """In a title in capitals, the names are those of its lead-in before a colon ("ZORRO-7B: A ...",
    "MEDALPACA AND MEDBENCH: ...") and those the abstract writes as names too, each spelled as the abstract
    spells it ("ZORRO-7B" is the abstract's "Zorro-7B"; "SMALL" is no name, nor is the abstract's "small")."""
    colon = text.find(":", 0, a0)
    out = []
    for c in cands:
        if c.start >= a0:
            out.append(c)
            continue
        abstract = text[a0:]
        spelled = next((m.group() for m in re.finditer(rf"(?<![\w-]){re.escape(c.text)}(?![\w-])", abstract,
                                                       re.IGNORECASE)
                        if is_name_shaped(m.group(), rd.stop) or rd.lookup(m.group()) is not None), None)
        if spelled is not None:
            out.append(replace(c, name=spelled) if spelled != c.text and c.name is None else c)
        elif 0 <= colon and c.end <= colon and not rd.is_stop(c.text) and c.text.casefold() not in _FUNCTION_WORDS \
                and len(text[:colon].split()) <= 3:  # ("EFFICIENT REASONING WITH SMALL MODELS: ..." names nothing)
            out.append(c)  # (the lead-in before the colon names the paper's own work, in any case)
    return out


class NameShapeComponent(_RuleComponent):
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        rd = self.rd
        a0 = doc._.kg_abstract_start
        title = text[:a0] if a0 else ""
        title_rest = title[title.find(":") + 1:]
        abbrevs = find_abbreviations(text)
        doc._.kg_abbreviations = abbrevs
        long_of = {(s, e): lf for (_, _, lf, s, e, _) in abbrevs}
        out = []
        cands = find_name_shapes(text, rd) + self._long_names(doc, abbrevs)
        if a0 and _shouting(title):
            cands = _spelled_as_in_abstract(cands, text, a0, rd)
        for c in doc._.kg_candidates or []:
            if c.rule.startswith("gazetteer") and c.type in ("benchmark", "dataset"):
                cands.append(c)
        extended = []
        for c in cands:
            h = _CAP_HEAD.match(text, c.end)
            if h:
                typ = head_exact(h.group(1), rd)
                if typ in ("benchmark", "dataset"):
                    extended.append(Candidate(c.start, h.end(), text[c.start:h.end()], typ, "name+head", 0.8))
        # "Automated Program Repair (APR)", "Knowledge-based question answering (KBQA)": a short form spelled out
        # as a task names that task wherever it stands, also in "an APR benchmark" or "KBQA tasks"
        tasks = {f for (ls, _, lf, _, se, sf) in abbrevs if _TASK_TAIL.search(lf) and not _DATA_WORD.search(lf)
                 and not _INTRO_BEFORE.search(text, max(0, ls - 80), ls) and not _APPOS.match(text, se + 1)
                 for f in (lf, sf)}  # (not one the paper introduces: "we present X (ABBR), a benchmark")
        for c in cands + extended:
            if c.rule.startswith("gazetteer"):
                continue
            if tasks and c.text in tasks:
                out.append(with_type(c, "task", "abbreviation-task", 0.85))
                continue
            if c.type is not None:
                out.append(c)
                continue
            typ, rule, conf = self._context_type(text, c, long_of.get((c.start, c.end)), title_rest)
            if typ and _PLURAL_NAME.fullmatch(c.text) and rule not in _STRONG_CONTEXT:
                typ = None  # "PTMs", "WCNs": a plural acronym names a class of things unless a cue says otherwise
            elif typ and len(c.text) <= 3 and rule not in _STRONG_CONTEXT and \
                    not (rule == "list-head" and typ in DATAISH and
                         _DATA_LIST_BEFORE.search(text, max(0, c.start - 90), c.start)):
                typ = None  # "DE", "HMM", "TM": a short acronym needs a cue to be a name ("four datasets: SMD,
                # MSL, ..." is one)
            elif typ and c.rule == "long-form" and rule not in _STRONG_CONTEXT | {"abbreviation-head"}:
                typ = None  # "Computer Vision (CV)": a spelled-out phrase is typed by a cue, not by how it ends
            out.append(with_type(c, typ, rule, conf) if typ else c)
        for c in self._repeats(text, out):  # a later use can carry its own cue ("a multilingual LLM named X")
            typ, rule, conf = self._context_type(text, c, None, title_rest)
            out.append(with_type(c, typ, rule, conf) if typ else c)
        self._add(doc, out)
        return doc

    @staticmethod
    def _repeats(text: str, cands: list[Candidate]) -> list[Candidate]:
        """Later uses of a plain-word name the paper gave ("refer to the model as Furina ... Furina beats X"):
        only name shapes are found everywhere by their form, so a coined plain word is looked up again."""
        out = []
        seen = {(c.start, c.end) for c in cands}
        for name in {c.text for c in cands if c.rule.startswith(_COINED) and c.type is not None}:
            i = text.find(name)
            while i >= 0:  # a plain substring scan: one regex per coined name would be compiled per paper
                j = i + len(name)
                # a hyphen glues too: "Furina" is not found inside "Furina-X"
                if not _word_char(text, i - 1, "_-") and not _word_char(text, j, "_-") and (i, j) not in seen:
                    seen.add((i, j))
                    out.append(Candidate(i, j, name, None, "repeat", 0.6))
                i = text.find(name, j)
        return out

    def _long_names(self, doc: Doc, abbrevs) -> list[Candidate]:
        """Multi-word names: a title's name before its colon, Title Case long forms of abbreviations, and
        Title Case phrases right after "called"/"named"/"dubbed"."""
        text, rd = doc_text(doc), self.rd
        out = []
        a0 = doc._.kg_abstract_start
        title = text[:a0].rstrip() if a0 else ""
        colon = title.find(":")
        if 0 < colon:
            m = re.match(r"\s*(?:Introducing\s+)?", title)
            s = m.end()
            prefix = title[s:colon]
            if _SURVEY.search(title[colon + 1:]) or _SLOGAN.search(prefix):
                prefix = ""  # (a survey's lead-in names no new thing; "Reuse, Don't Retrain" is a slogan)
            for part in _TITLE_PARTS.finditer(prefix):  # "ARBERT & MARBERT", "FooLM and BarLM", "X+Y"
                whole = part.group().strip()
                name, skip = _FUNCTION_TAIL.sub("", _GENERIC_TAIL.sub("", whole)), 0  # "MetaTool Benchmark for LLMs"
                if name != whole and name.startswith("The "):
                    name, skip = name[4:], 4  # "The FineWeb Datasets": FineWeb
                if name and self._title_name_ok(name):
                    ps = s + part.start() + (len(part.group()) - len(part.group().lstrip())) + skip
                    typ = "method" if _PROCESS_TAIL.search(name) else title_type(title[colon + 1:], rd)
                    last = rd.lookup(re.split(r"[-\s]", name)[-1]) if re.search(r"[-\s]", name) else None
                    if last is not None and last.type == "model":
                        typ = "model"  # "UMLS-KGI-BERT: Data-Centric ...": a name ending in a listed model is one
                    # the title naming what it is is evidence; the fallback ("method") is a weak guess
                    conf = 0.74 if _TITLE_SAYS.search(title[colon + 1:]) else GUESS
                    out.append(Candidate(ps, ps + len(name), name, typ, "title-name", conf))
        lead = _TITLE_PROCESS.match(title) if title and colon != 0 and not _SURVEY.search(title) else None
        if lead and (colon < 0 or lead.end(1) < colon) and self._process_name_ok(lead.group(1)) \
                and _coined_in(text, a0, lead.group(1)):
            # "Patch-Level Training for Large Language Models": a title that opens on a named training process
            out.append(Candidate(0, lead.end(1), lead.group(1), "method", "title-process", 0.74))
        for (ls, le, lf, ss, se, sf) in abbrevs:
            words = lf.split()
            content = [w for w in words if w.lower() not in _STOP_WORDS and w.lower() not in ("a", "the", "as")]
            if len(words) >= 2 and content and all(w[0].isupper() for w in content) and not rd.is_stop(lf):
                out.append(Candidate(ls, le, lf, None, "long-form", 0.7))
            elif len(words) >= 2 and content and content[-1][0].islower() \
                    and all(w[0].islower() or _ACRONYM.fullmatch(w) for w in content) and not rd.is_stop(lf) \
                    and rd.lookup(lf) is None and type_from_words(words[-1], rd) in (None, "method") \
                    and _INTRO_BEFORE.search(text, max(0, ls - 80), ls):
                # "we propose grammar-aligned decoding (GAD)": a lowercase expansion the paper proposes is its method
                out.append(Candidate(ls, le, lf, "method", "proposed-phrase", 0.72))
        verbs = [m.start() for m in _INTRO_VERB.finditer(text)]
        kinds = sorted([*_anchored(_INTRO_KIND, text, verbs), *_NOVEL_KIND.finditer(text)], key=lambda m: m.start())
        for m in _non_overlapping(kinds):  # "we propose an Adaptive Bad-case Sampling module"
            name = m.group(1)
            novel = m.re is _NOVEL_KIND  # "a novel X objective": the paper's own only when it speaks of itself
            if novel and (re.search(r"\s[a-z]", text[m.end(1):m.start(2)]) or not _own_voice(text, m.start())):
                continue  # ("a novel Human-LLM collaborative filtering mechanism": the capitalised words modify)
            # "a Warmup-Stable-Decay (WSD) learning rate scheduler", "a Knowledge-Injected Curriculum Pretraining
            # framework (KICP)": a short form after the name or after its kind
            ab = _ABBR_AFTER.match(text, m.end(1)) or _ABBR_AFTER.match(text, m.end(2))
            short = ab.group().strip(" ()") if ab else ""
            short = short if short and _initials(name).startswith(short.lower()) else ""
            if " " not in name and not (short or is_name_shaped(name, rd.stop)):
                continue  # "a new Chinese-English dataset", "a novel Vision-Language model": descriptive words
            if not _MODIFIER_TAIL.search(name) and not rd.is_stop(name) and rd.lookup(name) is None:
                typ = _KIND_TYPE.get(m.group(2).lower(), "method")
                out.append(Candidate(m.start(1), m.end(1), name, typ, "novel-kind" if novel else "named-kind", 0.8))
                if short:
                    abbrevs.append((m.start(1), m.end(1), name, ab.end() - 1 - len(short), ab.end() - 1, short))
        for m in _OUR_KIND_PAREN.finditer(text):  # "Trained on our self-built dataset (Xdata), which ..."
            name = m.group(2)
            if not rd.is_stop(name) and rd.lookup(name) is None:
                out.append(Candidate(m.start(2), m.end(2), name, _KIND_TYPE.get(m.group(1).lower(), "method"),
                                     "own-kind", 0.78))
        for m in _anchored(_PROPOSED_PROCESS, text, verbs):  # "we introduce knowledge inheritance to accelerate ..."
            name = m.group(1)
            if _WE_BEFORE.search(text, max(0, m.start() - 24), m.start()) and self._process_phrase_ok(name):
                out.append(Candidate(m.start(1), m.end(1), name, "method", "proposed-phrase", 0.7))
        for m in _anchored(_INTRO_KIND_NAME, text, verbs):  # "we introduce an online data sampling algorithm, Skill-It"
            name = m.group(2)
            if not rd.is_stop(name) and name.split()[0].lower() not in _STOP_WORDS and rd.lookup(name) is None:
                out.append(Candidate(m.start(2), m.end(2), name, _KIND_TYPE.get(m.group(1).lower(), "method"),
                                     "named-kind", 0.78))
        for m in _anchored(_INTRO_NAME, text, verbs):  # "we introduce Scylla, a ...", "This work introduces Salamandra"
            name = m.group(1)
            if m.group("end") is not None and (" " in name or _PLAIN_PLURAL.search(name)):
                continue
            if not rd.is_stop(name) and name.split()[0].lower() not in _STOP_WORDS:
                out.append(Candidate(m.start(1), m.end(1), name, None, "introduced-word", 0.66))
        # each of the next three scans starts from a rarer literal and looks back (cheaper than a forward scan
        # from every capitalised word, every "the", every "as")
        for c in _COMMA_A.finditer(text):  # "evaluations on Poeta, a suite of 14 Portuguese datasets"
            m = _WORD_END.search(text, max(0, c.start() - 60), c.start())
            if m is None:
                continue
            name, start = m.group(1), m.start(1)
            if _SENTENCE_START.search(text, max(0, start - 3), start) or start == 0 or \
                    rd.is_stop(name) or name.lower() in _STOP_WORDS or name.endswith("ly"):
                continue
            ap = _APPOS.match(text[m.end(1):m.end(1) + 120])
            if ap and first_head(ap.group(1), rd):
                out.append(Candidate(start, m.end(1), name, None, "defined-word", 0.64))
        a0 = doc._.kg_abstract_start or 0
        for h in _head_words(text):  # "the Natural Instructions V2 benchmark"
            m = _TITLED_BEFORE.search(text, max(0, h - 90), h)
            if m:
                out.append(Candidate(m.start(1), m.end(1), m.group(1), None, "titled-head", 0.66))
            elif h > a0 and (m := _ONE_WORD_BEFORE.search(text, max(a0, h - 40), h)) and self._one_word_ok(m.group(1)):
                # "the Iris dataset", "the Enron corpus": one capitalised word (abstracts only: a title capitalises
                # every word) that is no language or people ("the Bengali dataset") and no everyday word
                out.append(Candidate(m.start(1), m.end(1), m.group(1), None, "titled-head", 0.66))
        for m in (_CAP_PHRASE_HEAD.finditer(text, a0) if any(text.find(h, a0) >= 0 for h in _CAP_HEADS) else ()):
            # "the British National Corpus"
            words = m.group(1).split()  # (abstracts only: titles capitalise every word)
            if words[0] not in _NOT_NAME_START and not any(rd.is_stop(w) for w in words[:-1]):
                out.append(Candidate(m.start(1), m.end(1), m.group(1), head_exact(words[-1], rd), "titled-head", 0.7))
        low = text.lower()
        if any(w in low for w in _REFER_WORDS):
            for m in _AS_NAME.finditer(text):  # "refer to the resulting model as Furina"
                if REFER_AS.search(text, max(0, m.start() - 80), m.start(1)) and not rd.is_stop(m.group(1)):
                    out.append(Candidate(m.start(1), m.end(1), m.group(1), None, "introduced-word", 0.66))
        naming = any(w in text for w in _NAMING_WORDS)  # (both scans below need one of these words)
        for m in _NAMED_BEFORE.finditer(text) if naming else ():
            lm = _LONG_NAME.match(text, m.end())
            if lm:
                name = re.sub(r"(?:\s+(?:of|for|with|and|in|on|to|the|via|from|as|a))+$", "", lm.group())
                head, _, last = name.rpartition(" ")
                caps = "".join(ch for ch in last if ch.isupper()).lower()
                if " " in head and len(caps) >= 2 and _initials(head) == caps:
                    # "which we call Pathways Language Model PaLM": the name and its short form
                    s0 = lm.start() + len(head) + 1
                    abbrevs.append((lm.start(), lm.start() + len(head), head, s0, s0 + len(last), last))
                    name = head
                if len(name.split()) >= 2:
                    out.append(Candidate(lm.start(), lm.start() + len(name), name, None, "named-phrase", 0.72))
        for m in _KIND_NAMED_LOWER.finditer(text) if naming else ():  # "a method named copying penalty to ..."
            name = m.group(2)
            if not rd.is_stop(name) and rd.lookup(name) is None:
                typ = _KIND_TYPE.get(m.group(1).lower(), "method")
                out.append(Candidate(m.start(2), m.end(2), name, typ, "naming-cue", 0.8))
        return out

    @property
    def _generic_processes(self) -> frozenset:
        return frozenset(fold(x) for x in self.rd.cues.get("generic_processes", ()))

    def _process_phrase_ok(self, phrase: str) -> bool:
        """A process named in plain words ("knowledge inheritance", "Density sampling"): modifiers that are not
        function words, verbs in -ing or listed names, and not a technique everyone uses ("data augmentation")."""
        rd = self.rd
        words = phrase.split()
        if rd.is_stop(phrase) or rd.lookup(phrase) is not None or fold(phrase) in self._generic_processes:
            return False
        for i, w in enumerate(words[:-1]):
            if w.lower() in _STOP_WORDS or w.lower() in _NOT_MODIFIERS or (w.endswith("ing") and "-" not in w) or \
                    rd.lookup(w) is not None or (i > 0 and w[0].isupper()):
                return False
        return not any(rd.lookup(w) is not None for w in re.split(r"[-\s]", phrase))

    def _process_name_ok(self, name: str) -> bool:  # (used for title lead-ins and title openings)
        """A title's opening phrase names a process of its own: capitalised words ending in a process noun,
        none before the last a listed name or an everyday opener ("Beyond Fine-tuning", "LLM Post-Training"), and
        the whole not listed ("In-Context Learning")."""
        words = name.split()
        return len(words) >= 2 and _PROCESS_TAIL.search(name) is not None and self.rd.lookup(name) is None \
            and not self.rd.is_stop(name) and not any(self.rd.lookup(w) or w.lower() in _GENERIC_TITLE
                                                      or w.lower() in _TITLE_OPENERS for w in words[:-1])

    def _one_word_ok(self, word: str) -> bool:
        """May one capitalised word before "dataset"/"benchmark"/"corpus" be the data's name?"""
        return not (self.rd.is_stop(word) or word in _NOT_NAME_START or _PEOPLE_WORD.search(word)
                    or word.lower() in _STOP_WORDS or word.lower() in _DATA_ADJECTIVES)

    def _title_name_ok(self, name: str) -> bool:
        """A title's lead-in is a name when it is short and not a slogan ("Think Big, Generate Quick")."""
        words = name.split()
        if not (1 <= len(words) <= 3) or not name[0].isupper() or re.search(r"[?,()!]", name):
            return False
        if self.rd.is_stop(name) or re.search(r"\b(?:survey|review|tutorial|overview|position|perspective|primer|report)\b",
                                              name, re.I):
            return False
        if len(words) > 1 and (words[0].endswith("ing") or words[0].lower() in _STOP_WORDS):
            return False
        if len(words) > 1 and self.rd.lookup(words[0]) is not None and not _SIZE_WORD.fullmatch(words[-1]):
            return False  # "ChatGPT Beyond English": a listed name followed by a phrase is about that name
        if len(words) > 1 and not any(is_name_shaped(w, self.rd.stop) for w in words) and not head_exact(words[-1], self.rd) \
                and not self._process_name_ok(name):
            return False  # "Planning-Driven Programming": a multi-word lead-in needs a name-like word
        return not all(self.rd.is_stop(w) or w.lower() in _STOP_WORDS or w.lower() in _GENERIC_TITLE for w in words)

    def _context_type(self, text: str, c: Candidate, long_form: str | None,
                      title_rest: str = "") -> tuple[str | None, str, float]:
        rd = self.rd
        after = text[c.end:c.end + 120]
        m = _HEAD_AFTER.match(after)
        if m:
            words = m.group(1).split()
            for n in range(len(words), 0, -1):
                typ = head_exact(" ".join(words[:n]), rd)
                if typ and n == 1 and words[0].lower() == "tasks" and (
                        not _EVAL_WORD.search(text, max(0, c.start - 160), c.end + 60) or
                        re.fullmatch(r"[A-Z]{2,3}", c.text)):
                    continue  # "trained for OpenMP tasks", "standard RC tasks": a group of tasks; "evaluated on
                    # bAbI tasks": a benchmark
                if typ and n == 1 and words[0].lower() in ("scores", "score") and \
                        _VERB_AFTER_SCORES.match(text, c.end + m.start(1) + len(words[0])):
                    continue  # "ZorbLM scores higher than GPT-4": a verb, not "the MMLU scores"
                if typ and not (n == 1 and words[0].lower() in ("data",)):
                    return typ, "head-noun", 0.82
        if _MADE_FROM_AFTER.match(after):
            return "model", "made-from", 0.85  # "X is fine-tuned from ...": what is fine-tuned is a model
        m = _ADAPTED_FROM_AFTER.match(after)
        base = m and (m.group(1) or m.group(2))
        if base and (listed := rd.lookup(base) or rd.lookup(strip_variant(base))) is not None and \
                listed.type == "model":
            return "model", "made-from", 0.85  # "X is adapted from Mistral-7B": made from a model, a model
        m = _APPOS.match(after)
        if m:
            v = _VARIANT_OF.match(m.group(1))
            typ = _listed_type(v.group(1), rd) if v else first_head(m.group(1), rd)
            if typ:  # ("X, a harder variant of Natural Questions": of the kind of what it varies)
                return typ, "apposition", 0.8
        before = text[max(0, c.start - 100):c.start]
        m = _LIST_APPOS.match(after)
        if m and (m.group(1) or _LIST_BEFORE.search(before)) and not _OPENER.search(before):
            typ = first_head(m.group(2), rd)  # "We introduce A and B, openly accessible language models"
            if typ:
                return typ, "apposition", 0.78
        tail = before[-24:].rstrip(" \"'\u201c").lower()
        if tail.endswith(_NAMING_ENDS) and _NAMING.search(before) and not _PLURAL_NAMELY.search(before):
            # ("four benchmarks, namely A, B and C" is a list, typed by its head below; the kind named is in
            # the same field: "A new method ...\n\nWe propose a new model, namely X" names a model)
            m = re.search(r"\b(?:a|an|the|our)\s+([^,.;:()\n]{0,80}?)\s*,?\s*"
                          r"(?:called|named|dubbed|termed|coined|namely|"
                          r"known as|referred to as|(?:(?:which|that)\s+)?we\s+(?:call|name|dub|term))(?:\s+as)?\s*[:,]?\s*"
                          r"[\"'\u201c]?$",
                          before, re.IGNORECASE)
            typ = first_head(m.group(1), rd) if m else None
            if typ:
                return typ, "naming-cue", 0.85
        m = REFER_AS.search(before[-80:]) if tail.endswith("as") else None
        if m:  # "refer to the resulting model as X"
            typ = type_from_words(m.group(1), rd) if m.group(1) else title_type(title_rest, rd)
            if typ:
                return typ, "naming-cue", 0.85
        near = _KIND_COMMA.sub("", before[-64:])  # "a novel language model, the X": the kind set before the name
        words = near[-60:].split()[-5:]
        if len(words) >= 2 and words[-1].islower():
            typ = head_exact(" ".join(words[-2:]), rd) or head_exact(words[-1], rd)
            if typ and any(w.lower() in _ARTICLES for w in words[:-1]):
                return typ, "head-before", 0.8  # "a novel approach FnCTOD"
        m = _OWN_HEAD.search(before[-60:]) if tail.endswith(",") else None
        if m:
            typ = type_from_words(m.group(1), rd)
            if typ:
                return typ, "own-head", 0.8  # "Our method, X", "the proposed model, X"
        if tail.endswith(_LIST_ENDS):
            for rx, span in ((_LIST_INTRO, 60), (_LIST_INTRO_PP, 80)):
                m = rx.search(before[-span:])
                typ = type_from_words(m.group(1), rd) if m else None
                if typ:
                    return typ, "list-head", 0.74
        if _PROCESS_TAIL.search(long_form or (c.text if c.rule in ("long-form", "named-phrase") else "")):
            return "method", "abbreviation-head", 0.8  # "Sparse Pre-training and Dense Fine-tuning (SPDF)"
        if long_form:
            content = [w for w in long_form.split() if w.lower() not in _STOP_WORDS]
            if content and not any(w[0].isupper() for w in content):
                return None, "", c.confidence  # "closed-book QA (CBQA)": a lowercase expansion names a concept
            head = re.split(r"\s+(?:of|for|with|in|on|via)\s+", long_form)[0]  # "Holistic Evaluation of LMs"
            typ = type_from_words(head.split()[-1], rd) or type_from_words(head, rd) or type_from_words(long_form, rd)
            if typ:
                return typ, "abbreviation-head", 0.78
        if _TRAINED_ON.search(before[-90:]) and not _TUNE_BEFORE.search(before[-50:]) and \
                not _HARDWARE.search(c.text) and not _HARDWARE_AFTER.match(text, c.end):
            return "dataset", "trained-on", 0.72  # (before the name's form: "trained on HowTo-1M" is data)
        bare = _SPACED_VERSION.sub("", c.text)  # "ZorbGPT V2" is typed as "ZorbGPT" is
        typ = type_from_suffix(bare, rd) if not (bare.isupper() and len(bare) <= 5) else None
        if typ:  # (a short all-capital acronym ends in "LM" or "QA" by chance: CALM, KBQA)
            return typ, "name-suffix", 0.72
        typ = type_from_part(bare, rd)
        if typ:
            return typ, "name-part", 0.7
        if _TUNE_BEFORE.search(before[-50:]) and not _DATA_AFTER.match(text, c.end):
            return "model", "tuned-object", 0.7  # "we fine-tune MPNet on ...": what is fine-tuned is a model
        if _EVAL_ON.search(before[-90:]) and (_EVAL_WORD.search(text, max(0, c.start - 160), c.start) or (
                _OPENING_ON.search(before[-90:]) and _EVAL_WORD.search(text, c.end, c.end + 100))):
            # ("On A and B, it improves accuracy": a sentence opening on the data may say what was measured after
            # it; not "based on X and improves accuracy")
            return "benchmark", "evaluated-on-list", 0.66
        if _COMPARED_WITH.search(before[-100:]):
            return "model", "compared-with", 0.64  # "compared with SASRec and GRU4Sess": systems compared
        if tail.endswith(_INTRO_ENDS) and _INTRO_BEFORE.search(before):
            # (the kind the title says, else a guess that gives way to any cue: "We introduce Marlin. Marlin, a
            # Llama-2-based chat model, ..." is a model though "Marlin: Technical Report" says no kind)
            return title_type(title_rest, rd), "introduced-name", 0.66 if _TITLE_SAYS.search(title_rest) else GUESS
        return None, "", c.confidence


_GENERIC_TITLE = frozenset("large language model models llm llms small multimodal vision neural pre-trained pretrained "
                           "learning towards toward beyond efficient open foundation generative".split())


# ------------------------------------------------------------------ kg_resolver
@Language.factory("kg_resolver", assigns=["doc._.kg_mentions", "doc.spans"], default_config={"data_dir": None})
def make_resolver(nlp: Language, name: str, data_dir: str | None):
    return ResolverComponent(nlp, name, data_dir)


_RULE_RANK = {"url": 4, "gazetteer": 3, "gazetteer-variant": 3}
_TITLE_TYPE = (
    (re.compile(r"\bbenchmark|\bleaderboard|\bevaluation (?:suite|set|framework)|\barena\b|\btest suite", re.I), "benchmark"),
    (re.compile(r"\bdataset|\bcorpus|\bcorpora\b|\bdata\b(?! (?:science|analysis|efficien|augmentation|selection|"
                r"synthesis|generation|contamination|mixing|pruning))|\binstruction (?:data|set)", re.I), "dataset"),
    (re.compile(r"\bmodel|\bLLMs?\b|\bLMs?\b|\bchatbot|\bassistant|\btransformer|\bencoder|\bagent\b", re.I), "model"),
)
_TITLE_NP = re.compile(r"\s*(?:A|An|The)\s+")
_TITLE_SAYS = re.compile("|".join(rx.pattern for rx, _ in _TITLE_TYPE), re.IGNORECASE)


_LOWER_UPPER = re.compile(r"[a-z][A-Z]")
_DATA_LIST_AFTER = re.compile(r"(?:\s*(?:,|,?\s*and|,?\s*or)\s*[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*)?){0,4}\s+"
                              r"(?:datasets?|corpus|corpora)\b")
_WEAK_TYPING = ("+name-suffix", "+name-part", "+list-member")  # typed by the name's form, not by a cue
_DATA_LIST_BEFORE = re.compile(r"(?:\b(?:datasets|corpora)\b(?:(?!\b(?:LLMs?|LMs?|models?)\b)[^.;:]){0,50}?|"
                               r"\b(benchmarks),?\s*)"  # (benchmarks: the list right after the word; "five
                               # benchmarks, outperforming baselines such as Mistral" lists no benchmark)
                               r"(?:namely|such as|including|like|e\.g\.,?|i\.e\.,?|:|\u2014|--|\()\s*"
                               r"(?:[A-Z][\w\-/]*\s*(?:,|,?\s*and|,?\s*or)\s*){0,4}$")  # ("datasets\u2014A, B\u2014")
_LIST_SEP = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:,|,?\s*(?:and|or)|/|;)\s*(?:the\s+)?")


_SIZE = r"(?:\d+x)?\d+(?:\.\d+)?[BMT]"  # parameter counts ("8K/30K" are data splits or context lengths)
_SIZE_LIST = re.compile(rf"(.*?[^\W\d_].*?)({_SIZE})((?:/{_SIZE})+)", re.IGNORECASE)
_ONE_SIZE = re.compile(rf"/({_SIZE})", re.IGNORECASE)


GENERIC_CONFIDENCE = 0.45  # below the default --min-confidence (0.5): kept out of the output unless asked for
_NAMED_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9]{0,2}[A-Z][A-Za-z0-9]{0,4}s?")  # SFT, ICL, PEFT, MoE, KD, SSMs
_KIND_WORD_TAIL = re.compile(r"\s+(?:Benchmark|Dataset|Corpus|Suite|Model|Framework)$")
_SPACED_VERSION = re.compile(r" [Vv]?\d+(?:\.\d+)*$")
VERSION_SUFFIX = re.compile(r"(?:[\s\-_]?[Vv]?\d+(?:\.\d+)?|\+\+?)")  # what makes "CosyVoice 2", "GERNERMED++"
_VERSION_TAIL = re.compile(VERSION_SUFFIX.pattern + "$")


def _split_sizes(c: Candidate) -> list[Candidate]:
    """One name per size of a size list: "Gemma-2B/7B" is Gemma-2B and ("7B") Gemma-7B."""
    # (a name typed as data by its context keeps its slash: "Flickr8K/30K")
    m = _SIZE_LIST.fullmatch(c.text) if "/" in c.text and c.type in (None, "model", "method") and c.gaz_id is None \
        else None
    if m is None:
        return [c]
    stem = m.group(1)  # a name with a parameter size is a model's
    first = replace(c, end=c.start + m.end(2), text=c.text[:m.end(2)], type="model", rule=c.rule + "+size-list")
    parts = [first]
    for s in _ONE_SIZE.finditer(c.text, m.end(2)):
        parts.append(replace(first, start=c.start + s.start(1), end=c.start + s.end(1), text=s.group(1),
                             name=stem + s.group(1), gaz_id=None))
    return parts


def _redefines(entry, long_form: str) -> bool:
    """Does a text's expansion of a listed short form name something else? Only when the entry's name or an
    alias is an expansion and the text's expansion is none of the entry's names."""
    expansions = [a for a in (entry.name, *entry.aliases) if " " in a.strip()]
    if not expansions:
        return False
    key = _loose_phrase(long_form)
    return key not in {_loose_phrase(n) for n in (entry.name, *entry.aliases)}


_BRITISH = ((re.compile(r"(?<=[aeiou])lling$"), "ling"), (re.compile(r"(?<=[aeiou])lled$"), "led"),
            (re.compile(r"isation$"), "ization"), (re.compile(r"is(e|ed|es|ing)$"), r"iz\1"))


def _loose_phrase(text: str) -> str:
    """A phrase's words with British spellings and plurals made alike: "Masked Language Modelling" and
    "masked language modeling", "Large Language Models" and "large language model" are one expansion."""
    out = []
    for w in re.findall(r"[^\W_]+", fold(text)):
        for rx, rep in _BRITISH:
            w = rx.sub(rep, w)
        if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
            w = w[:-1]
        out.append(w)
    return " ".join(out)


def singular_key(text: str) -> str:
    """Identity key of a name, a plural made singular: ``ClassiNets`` = ``ClassiNet``, ``SCNs`` = ``SCN``."""
    if len(text) > 3 and text.endswith("s") and not text.endswith(("ss", "us", "is", "os")) and (text[-2].isupper() or
                                                                            _LOWER_UPPER.search(text)):
        return name_key(text[:-1])
    return name_key(text)


_DERIVED = ("+same-name", "+list-member", "+alias-type")
_GUESSED = ("title-name", "introduced-name")


def entity_type(ms: list[MentionSpan]) -> str:
    """The type over an entity's mentions: the type with the most cue weight (summed confidence) among the
    mentions a cue typed itself; a type copied from another mention ("same-name") does not vote twice."""
    own = [m for m in ms if not m.rule.endswith(_DERIVED)] or ms
    cued = [m for m in own if not (m.confidence == GUESS and m.rule.endswith(_GUESSED))]
    own = cued or own  # a type guessed for a coined name gives way to one a cue gives
    weight: dict[str, float] = {}
    for m in own:
        weight[m.type] = weight.get(m.type, 0.0) + m.confidence
    order = [m.type for m in own]
    return max(weight, key=lambda t: (round(weight[t], 6), -order.index(t)))


class ResolverComponent(_RuleComponent):
    """Keeps one candidate per span, fills types from abbreviations, titles and lists, and keys each mention."""

    def __call__(self, doc: Doc) -> Doc:
        rd = self.rd
        text = doc_text(doc)
        # by start; then longest, curated, typed and most confident first (the first of equal spans is kept)
        cands = sorted(doc._.kg_candidates or [], key=lambda c: (c.start, -(c.end - c.start), -_RULE_RANK.get(c.rule, 0),
                                                                c.type is None, -c.confidence))
        a0 = doc._.kg_abstract_start
        title_end = a0 - len(FIELD_SEP) if a0 else 0
        chosen: list[Candidate] = []
        for c in cands:
            if a0 and c.start < a0 and c.end > title_end:
                continue  # runs from the title into the abstract: no single field holds it
            # candidates come by start, and the chosen ones do not overlap: only the last can clash
            k = chosen[-1] if chosen and c.start < chosen[-1].end else None
            if k is None:
                chosen.append(c)
            elif (c.end - c.start) > (k.end - k.start) and not (k.rule in _RULE_RANK and c.type is None):
                # prefer the longer span unless the shorter is curated and the longer is only a shape guess
                chosen[-1] = c
        chosen = [p for c in chosen for p in _split_sizes(c)]
        abbrevs = doc._.kg_abbreviations or []
        chosen = self._type_from_aliases(chosen, abbrevs)
        chosen = self._type_from_title(doc, chosen)
        chosen = self._type_from_lists(text, chosen)
        chosen = [self._data_listed(text, c) for c in chosen]
        mentions = []
        long_by_short = {(s, e): lf for (_, _, lf, s, e, _) in abbrevs}
        for c in chosen:
            if c.gaz_id is None and c.type != "repo":
                full = c.name or c.text
                entry = rd.lookup(full)
                if entry is None and full.endswith("s") and len(full) >= 4 and full[-2].isupper():
                    entry = rd.lookup(full[:-1])  # "BERTs", "GPTs": the plural of a listed name
                    full = full[:-1] if entry is not None and entry.type == "model" else full
                if entry is not None and rd.accepts(entry.id, full)[0]:  # "SPARROW" is not the listed "Sparrow"
                    c = replace(c, gaz_id=entry.id, type=entry.type, family_id=c.family_id or _family_id(entry, rd))
            if c.type is None:
                continue
            key = c.url if c.type == "repo" else (c.gaz_id and "gaz:" + c.gaz_id) or singular_key(c.name or c.text)
            mentions.append(MentionSpan(c.start, c.end, c.text, c.type, key, c.rule, c.confidence,
                                        gaz_id=c.gaz_id, family_id=c.family_id, url=c.url,
                                        long_form=long_by_short.get((c.start, c.end)), name=c.name))
        mentions = self._merge_abbreviations(mentions, abbrevs, rd)
        mentions = self._name_with_its_kind(mentions)
        mentions = self._one_type_per_entity(mentions)
        mentions = self._versions_take_the_type(mentions)
        mentions = self._generic_unless_named(mentions, rd)
        doc._.kg_mentions = mentions
        idx = token_starts(doc)
        starts = np.searchsorted(idx, [m.start for m in mentions], side="right") - 1
        ends = np.searchsorted(idx, [m.end for m in mentions], side="left")
        spans = []
        for m, first, last in zip(mentions, starts.tolist(), ends.tolist()):  # "expand" alignment
            if max(first, 0) < last:
                spans.append(Span(doc, max(first, 0), last, label=m.type))
        doc.spans["kg"] = spans
        return doc

    @staticmethod
    def _generic_unless_named(mentions: list[MentionSpan], rd) -> list[MentionSpan]:
        """A general technique or architecture the gazetteer lists ("instruction tuning", "Transformer", "LSTM")
        is no named entity, so its mentions fall below the output threshold; a technique the paper names by an
        acronym ("in-context learning (ICL)", "SFT") is one."""
        generic = {m.key for m in mentions if m.gaz_id and rd.entries[m.gaz_id].generic}
        if not generic:
            return mentions
        named = {m.key for m in mentions if m.key in generic and rd.entries[m.gaz_id].name[:1].islower()
                 and _NAMED_ACRONYM.fullmatch(m.text)}
        return [replace(m, confidence=min(m.confidence, GENERIC_CONFIDENCE))
                if m.key in generic and m.key not in named else m for m in mentions]

    @staticmethod
    def _name_with_its_kind(mentions: list[MentionSpan]) -> list[MentionSpan]:
        """"MetaTool Benchmark" in the title and "MetaTool" in the abstract are one entity: a name followed by
        the capitalised word for its kind is that name."""
        keys = {m.name or m.text: m.key for m in mentions if m.gaz_id is None}
        remap = {}
        for m in mentions:
            k = _KIND_WORD_TAIL.search(m.text) if m.gaz_id is None and not m.name else None
            if k and keys.get(m.text[:k.start()], m.key) != m.key:
                remap[m.key] = keys[m.text[:k.start()]]
        if not remap:
            return mentions
        return [replace(m, key=remap[m.key]) if m.key in remap else m for m in mentions]

    @staticmethod
    def _versions_take_the_type(mentions: list[MentionSpan]) -> list[MentionSpan]:
        """A new version of a name the paper types is of that type: "GERNERMED++" (a title that reads as a
        method) beside "our first GERNERMED model", "VoxNova 2" beside "VoxNova, a speech model"."""
        first: dict[str, MentionSpan] = {}
        for m in mentions:
            first.setdefault(m.key, m)
        by_text = {m.name or m.text: m for m in first.values() if m.type in ("model", "dataset", "benchmark")}
        retype = {}
        for m in first.values():
            if m.gaz_id is None and not m.name and m.type in ("method", "model", "dataset", "benchmark"):
                v = _VERSION_TAIL.search(m.text)
                b = by_text.get(m.text[:v.start()]) if v and v.start() > 1 else None
                if b is not None and b.key != m.key and b.type != m.type:
                    retype[m.key] = b.type
        if not retype:
            return mentions
        return [replace(m, type=retype[m.key]) if m.key in retype else m for m in mentions]

    @staticmethod
    def _one_type_per_entity(mentions: list[MentionSpan]) -> list[MentionSpan]:
        """Every mention of an entity takes the entity's type (the vote over its mentions), so the relation
        rules see the type the output will carry: the title's "Marco-LLM: ... Training for ..." reads as a
        method, but "a multilingual LLM named Marco-LLM" makes the entity a model."""
        by_key: dict[str, list[MentionSpan]] = {}
        for m in mentions:
            by_key.setdefault(m.key, []).append(m)
        typ = {k: entity_type(ms) for k, ms in by_key.items()
               if len(types := {m.type for m in ms}) > 1 and not types <= DATA_TYPES}  # (a benchmark's mention
        # in an evaluation sentence stays a benchmark mention though the paper calls it a dataset elsewhere)
        if not typ:
            return mentions
        return [replace(m, type=typ[m.key]) if m.key in typ else m for m in mentions]

    @staticmethod
    def _merge_abbreviations(mentions: list[MentionSpan], abbrevs, rd) -> list[MentionSpan]:
        """A short form and its long form name one entity: they share one identity key. A listed one wins,
        unless the text spells the short form out as something else than the listed expansion: "the Graph
        Language Model (GLM)" is not the listed GLM (General Language Model), in this paper."""
        if not abbrevs:
            return mentions
        key_at = {(m.start, m.end): m for m in mentions}
        remap: dict[str, MentionSpan] = {}
        gone: set[str] = set()
        for (ls, le, lf, ss, se, sf) in abbrevs:
            lm, sm = key_at.get((ls, le)), key_at.get((ss, se))
            if lm is None:
                plural = sf.endswith("s") and _PLURAL_ACRONYM.fullmatch(sf) is not None
                entry = rd.lookup(sf[:-1] if plural else sf)
                if entry is not None and _redefines(entry, lf):
                    # "Generative Language Models (GLMs) ... GLM": not the listed GLM in this paper; as the short
                    # form of a class of things ("GLMs") it names nothing, else it is the paper's own name
                    for m in mentions:
                        if m.gaz_id == entry.id and m.text in (sf, sf[:-1] if plural else sf):
                            if plural:
                                gone.add(m.key)
                            else:
                                remap[m.key] = replace(m, key=singular_key(sf), gaz_id=None, family_id=None)
                    continue
                if sm is not None and not plural and sm.gaz_id is None and sm.type == "task" and entry is None \
                        and rd.lookup(lf) is None and sm.key != singular_key(lf):
                    # "software engineering (SE)": the short form spelled out is known by what it stands for,
                    # so it is one entity with "Software Engineering (SE)" in another paper
                    remap[sm.key] = replace(sm, key=singular_key(lf))
                    continue
            if lm is None or sm is None or lm.key == sm.key or lm.type == "repo" or sm.type == "repo":
                continue
            keep, drop = (sm, lm) if sm.gaz_id and not lm.gaz_id else (lm, sm)
            if keep is sm and _redefines(rd.entries[sm.gaz_id], lm.text):
                keep, drop = replace(lm, gaz_id=None, family_id=None), sm
            remap[drop.key] = keep
        if not remap and not gone:
            return mentions
        out = []
        for m in mentions:
            if m.key in gone:
                continue
            k = remap.get(m.key)
            out.append(replace(m, key=k.key, type=k.type, gaz_id=k.gaz_id, family_id=k.family_id) if k else m)
        return out

    @staticmethod
    def _data_listed(text: str, c: Candidate) -> Candidate:
        """A model's name in a list of data is the data: "on Alpaca, GPT4All and Chat-Doctor datasets", "datasets
        ..., namely Alpaca", "benchmarks, including FLAN, MMLU" (the instruction collection, not the model)."""
        if c.type != "model" or not (c.rule.startswith("gazetteer") or c.rule.endswith(_WEAK_TYPING)):
            return c
        if _DATA_LIST_AFTER.match(text, c.end):
            return with_type(c, "dataset", "data-list", 0.9)
        before = _DATA_LIST_BEFORE.search(text, max(0, c.start - 90), c.start)
        if before is None:
            return c
        return with_type(c, "benchmark" if before.group(1) else "dataset", "data-list", 0.9)

    def _spelled_as_listed(self, text: str) -> bool:
        """False for a spelling the gazetteer refuses for the listed name it folds to ("MAth" of "MARIO: MAth
        Reasoning" is not the listed MATH, so it does not take MATH's type)."""
        entry = self.rd.lookup(text)
        return entry is None or self.rd.accepts(entry.id, text)[0]

    def _type_from_aliases(self, chosen: list[Candidate], abbrevs) -> list[Candidate]:
        """An untyped short form takes the type of its long form, and the other way round."""
        typed_keys = {name_key(c.text): c.type for c in chosen if c.type}
        out = []
        for c in chosen:
            if c.type is None:
                for (ls, le, lf, ss, se, sf) in abbrevs:
                    if name_key(sf) == name_key(c.text) and typed_keys.get(name_key(lf)):
                        c = with_type(c, typed_keys[name_key(lf)], "alias-type", 0.75)
                        break
                else:
                    if name_key(c.text) in typed_keys and self._spelled_as_listed(c.text):
                        c = with_type(c, typed_keys[name_key(c.text)], "same-name", min(0.8, c.confidence + 0.15))
            out.append(c)
        return out

    def _type_from_title(self, doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """``Name: A Benchmark for ...`` -- the name before the colon takes the type its title describes."""
        a0 = doc._.kg_abstract_start
        title = doc_text(doc)[:a0].strip() if a0 else ""
        colon = title.find(":")
        if colon <= 0:
            return chosen
        typ = title_type(title[colon + 1:], self.rd)
        lead = _GENERIC_TAIL.sub("", re.sub(r"^\s*(?:Introducing|The)\s+", "", title[:colon]).strip())
        short = len(re.split(r"\s+(?:and|&)\s+|\s*[&+,]\s*", lead)) > 1 or len(lead.split()) <= 4
        out = []
        for c in chosen:
            if c.start < colon and c.type is None and (short or c.start == 0):
                # (not inside a long lead-in: "Mean BERTs make erratic language teachers: ...")
                c = with_type(c, typ, "title-name", 0.75)
            out.append(c)
        return out

    def _type_from_lists(self, text: str, chosen: list[Candidate]) -> list[Candidate]:
        """In ``A, B and C`` an untyped member takes the type shared by its typed neighbours."""
        out = list(chosen)
        for i, c in enumerate(out):
            if c.type is not None:
                continue
            neigh = []
            for j in (i - 1, i + 1, i - 2, i + 2):
                if 0 <= j < len(out) and out[j].type in ("benchmark", "dataset", "model"):
                    lo, hi = sorted((out[j], c), key=lambda x: x.start)
                    gap = text[lo.end:hi.start]
                    if _LIST_SEP.fullmatch(gap):
                        neigh.append(out[j].type)
            if neigh:
                out[i] = with_type(c, max(neigh, key=neigh.count), "list-member", 0.62)  # ties: nearest first
        return out


# ------------------------------------------------------------------ kg_relations
@Language.factory("kg_relations", assigns=["doc._.kg_relations"], default_config={"data_dir": None})
def make_relations(nlp: Language, name: str, data_dir: str | None):
    from .relations import RelationComponent
    return RelationComponent(nlp, name, data_dir)
