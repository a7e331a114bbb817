"""Relation rules over one paper's resolved mentions, sentence by sentence.

- ``introduces``: the name before a title's colon; names right after "we introduce/present/propose";
  names after "called/named/dubbed"; "X, a new ..." appositions.
- ``evaluated_on``: benchmarks (and datasets in evaluation, not training, sentences).
- ``outperforms``: "A outperforms/surpasses/beats B" (passive flipped; "our model"/"it" resolved to the
  paper's own new entity; negated claims dropped).
- ``based_on``: fine-tuned from / built on / initialised from / variant of patterns over entity slots.
- ``has_repository``: every URL in the paper.
Every relation keeps the sentence it came from, the rule that fired and a confidence.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc  # noqa: F401

from kg.errors import RuleDataError

from .components import (_SURVEY, DATAISH, REFER_AS, VERSION_SUFFIX, MentionSpan, RelationSpan, _RuleComponent,
                         doc_text)
from .candidates import VARIANT_RE
from .normalize import SIZE_RE, name_key, parse_params
from .rules import required_literals, word_trie

PAPER = "#paper"
MODELISH = ("model", "method")
EVALUABLE = ("benchmark", "dataset")
INTRODUCIBLE = ("model", "dataset", "benchmark", "method")
_TECH_REPORT = re.compile(r"\b(?:technical report|tech report)\b", re.IGNORECASE)
_BLOCKERS = re.compile(r"such as|including|\blike\b|e\.g\.|\bthan\b|compar|outperform|surpass|based on|built on|out of|"
                       r"fine-?tun|\busing\b|\buses\b|leverag|\bfrom\b|\bwith\b|\bvia\b|\bover\b|\bto\b|\bby\b|\bon\b|"
                       r"\bagainst\b|\bversus\b|\bvs\b", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[;:]|\bwhile\b|\bwhereas\b|\bbut\b|\balthough\b|\bwhich\b|\bwho\b|, and (?:it|we|our)\b",
                         re.IGNORECASE)
_OBJECT_CONTEXT = re.compile(r"\b(?:to|than|with|over|against|matches|match|rivals|rival|like|as|of|vs\.?|versus|"
                             r"including|from|on|by|using|uses|use|via|outperforms?|surpass(?:es)?|beats?|exceeds?)"
                             r"\s+(?:the\s+)?$",
                             re.IGNORECASE)


# a mention in a sentence is replaced by a slot \ue000<index>\ue001 (private-use characters, removed from the text
# first) so that patterns can speak of "an entity" and give back which one
SLOT_OPEN, SLOT_CLOSE = "\ue000", "\ue001"
SLOT = r"\ue000(\d+)\ue001"
_STYLE_LIST = re.compile(r"\ue000(?P<B>\d+)\ue001[- ](?:based|style|like)\s+(?:[\w\-]+\s+){0,3}?(?:models?|LLMs?|LMs?|"
                         r"variants?|encoders?|decoders?)\s*(?:\(\s*|,\s*|:\s*|named\s+|called\s+|dubbed\s+)"
                         r"(?P<list>\ue000\d+\ue001(?:\s*(?:,|and|or|,\s*and)\s*\ue000\d+\ue001)*)", re.IGNORECASE)
# words that start a lineage statement: a substring test for any of them gates the scan, and the scan is one
# character trie after a word boundary, so the regex engine skips ahead on first letters
_BASED_STEMS = ("based", "built", "fine-tun", "finetun", "fine tun", "tuned", "trained from", "initiali",
                "variant", "version", "extension", "extend", "adapt", "style", "like", "derive", "distill", "continu",
                "on top", "backbone", "base model", "starting point", "starting from", "starting with", "resulting",
                "yielding", "filter", "extracted", "sampled", "subsampl", "subset", "portion of", "translat",
                "deduplicat", "clean", "augment", "converted", "repurpos", "re-annotat", "reannotat", "inherit",
                "constructed from", "collected from", "curated from", "created from", "compiled from", "drawn from",
                "powered by", "powering", "special case", "architecture of", "further pre", "compress", "prun",
                "architecture", "instruction-tun", "merg", "descendant", "derivative", "build", "develop", "trained on",
                "trained with", "starts from", "started from", "quantiz", "obtained by", "foundation", "further train",
                "encoder", "decoder", "insert", "integrat", "incorporat", "plug", "inject", "counterpart", "transfers",
                "ports", "localiz", "localis", "to form", "to create", "to construct", "obtain", "to compose",
                "to assemble", "same architecture", "result of", "product of", "outcome of", "pruned", "upcycl",
                "sparsif", "start from", "starting checkpoint", "applied to", "yields", "produces", "warm-start",
                "tower")
# stems that only the patterns for the paper's own model use ("we compress B", "the B architecture"): a sentence
# opened to lineage by one of these alone skips the other patterns
_OWN_ONLY_STEMS = ("further pre", "compress", "prun", "architecture")
# "A adopts / uses the B architecture": an architecture taken over by a named model opens every pattern
_ADOPTED_ARCHITECTURE = re.compile(r"\b(?:adopt|use|follow|inherit|share|reuse|employ)(?:s|d|ed)?\s+(?:the\s+|an?\s+)?"
                                   r"(?:same\s+)?(?:modified\s+)?(?:\S+\s+){1,4}?(?:model\s+)?architecture\b",
                                   re.IGNORECASE)
_SIZE_ONLY = re.compile(r"[\s\-_]?(?:\d+(?:\.\d+)?[BMKT]|\d+x\d+[BM]|[Ll]arge|LARGE|[Bb]ase|BASE|[Ss]mall|[Mm]edium|"
                        r"XL|XXL|xl|xxl)")
_KIND_APPOS_PATTERN = re.compile(r"\{A\}\(\?:, \| \\\(\)")  # the lineage patterns that start that way
_KIND_APPOS = re.compile(r", an? |\s?\(an? ")  # "PICARD (a T5 model ...)": a name set beside its kind
_BASED_HINT = re.compile(r"\b(?:" + word_trie(_BASED_STEMS) + ")", re.IGNORECASE)


_OTHERS_BEFORE = re.compile(r"\b(?:unlike|in contrast to|contrary to|compared (?:to|with)|prior work|previous work|"
                            r"existing (?:work|works|methods|approaches|models)|et al\.)", re.IGNORECASE)
_MADE_N_LIST = re.compile(r"\b(?:train|develop|release|build|built|obtain|produce|create|present|introduce|pre-?train)\w*"
                          r"\s+(?:two|three|four|five|six|seven|eight|\d+)\s+(?:new\s+)?(?:[\w\-]+\s+)?"
                          r"(?:models|variants|checkpoints|LLMs|versions)\s*[:,]\s*$", re.IGNORECASE)
_MADE_NOUNS = (" models", " variants", " checkpoints", " llms", " versions")
_OTHERS_MADE = re.compile(r"\b(?:prior|previous|earlier|existing|other|they|their)\b", re.IGNORECASE)  # not ours
# the gap between two members of such a list, an aside on the first allowed: "A, with 109M parameters, and B"
_MEMBER_GAP = re.compile(r"(?:\s*\([^()]{0,40}\))?(?:,\s+(?:with|of)\s[^,;:()]{1,40})?(?:,|,?\s+and|;)\s+(?:the\s+)?")
_RESULTING_LIST = re.compile(r"\b(?:resulting(?:\s+in)?|yielding|producing)\s+(?:(?:two|three|four|five|six|\d+)\s+)?"
                             r"(?:new\s+)?(?:models|variants|checkpoints|LLMs)\s*[:,]?\s*$", re.IGNORECASE)
_UNDER_TERMS = re.compile(r"\bunder\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)  # the terms a release is under
_MODIFIER_AFTER = re.compile(r"[- ](?:based|style|like|inspired|derived)\b")  # "BERT-style models": not the new one
# "GNN-based baselines", "MLM-pretrained models": a kind of system, not the one named ("GPT-4 based on human
# judgments" still names GPT-4)
_KIND_SUFFIX = re.compile(r"-(?:based|style|like|inspired|derived|pre-?trained|trained|tuned)\b")
_ON_WORD = re.compile(r"\b(?:on|across|over)\b", re.IGNORECASE)
_NO_HITS: tuple[list, list[int]] = ([], [])


def _variant_rest(rest: str) -> bool:
    """Is what follows a base name a size or variant suffix ("-7B", " XL", "-Instruct", "-v2", "++")?"""
    if rest in ("+", "++"):
        return True  # "RETRO++" on "RETRO"
    return bool(rest) and not rest[0].isalnum() and VARIANT_RE.fullmatch(rest) is not None


# "Our best fine-tuned models, A and B, ...", "our method (A)": names set beside the paper's own models
_OWN_LIST = re.compile(r"\b(?:our|the proposed)\s+(?:[\w\-]+\s+){0,3}?(?:models?|LLMs?|methods?|approach|framework|"
                       r"system|variants?|agents?)\s*(?:,|\(|:|named|called|dubbed)\s*"
                       r"(?:[^,.;()]{1,40}?(?:,|,?\s+and|,?\s+or)\s*){0,4}$", re.IGNORECASE)


def _compound_of(a: str, b: str) -> bool:
    """Is name ``a`` name ``b`` joined to another word: ``X-b`` or ``b-X``, or capitalised words before a
    multi-word name? (A name glued into a word, "CharBERT", "WaveletGPT", borrows a brand more often than a
    model: on the development set it was wrong more often than right, so it does not count.)"""
    if len(b) < 3 or len(a) <= len(b) + 1 or not b[0].isupper():
        return False
    if a.startswith(b + "-") or a.endswith("-" + b):
        return True
    stem, _, size = b.rpartition("-")
    if stem and _SIZE_ONLY.fullmatch("-" + size) and a.startswith(stem + "-") and \
            not _SIZE_ONLY.fullmatch(a[len(stem):]):
        return True  # "GPTJ-Chat" on "GPTJ-6B": a tuned variant of the sized model it is named after
    if a.startswith(b) and b[-1].isdigit() and len(a) == len(b) + 1 and a[-1].isupper():
        return True  # "UL2R" on "UL2"
    head = a[:-len(b)]
    if a.endswith(" " + b) and (" " in b or b.isupper()):
        # "Head-Adaptive Rotary Position Encoding" on "Rotary Position Encoding": capitalised words before a
        # multi-word name
        return all(w[:1].isupper() for w in head.split())
    return False


def _distinct(ms: list[MentionSpan]) -> list[MentionSpan]:
    """Drop a name that is part of another one in the list ("Paramanu" beside "Gyan AI Paramanu")."""
    keys = [m.key for m in ms]
    return [m for m in ms if not any(m.key != k and m.key in k for k in keys)]


def _size(m: MentionSpan) -> float | None:
    return parse_params(m.name or m.text) if m.type == "model" else None


def _size_stem(m: MentionSpan) -> str | None:
    """The name without its size: "Zorb-7B" -> "zorb" (None when the name has no size)."""
    name = m.name or m.text
    sm = SIZE_RE.search(name)
    return name_key(name[:sm.start()] + name[sm.end():]) if sm and m.type == "model" else None


_FINE_TUNED = re.compile(r"fine-?tun|finetun|instruction[- ]tun")


def _fine_tuned(a: MentionSpan, b: MentionSpan, stated: str) -> bool:
    """Is the lineage stated a model fine-tuned from a model ("A, fine-tuned from B", "we fine-tune B to obtain
    A"), not only built on, a variant of or initialised from it?"""
    return a.type == b.type == "model" and _FINE_TUNED.search(stated) is not None


def _lineage(a: MentionSpan, b: MentionSpan) -> bool:
    """Can ``a`` be based on ``b``? A model on a model, a method on a method, a dataset or benchmark on another;
    a model "pre-trained with" a method or "trained on" a dataset, or a method "for fine-tuning" a model, is
    not lineage."""
    if a.key == b.key:
        return False
    if a.type in DATAISH:
        return b.type in DATAISH  # "A, a Python version of the B benchmark": data made from data
    return a.type in MODELISH and a.type == b.type


# "we apply our strategies to the", "we fine-tune the", "initialised from": the base named in the sentence before
_MADE_FROM_BEFORE = re.compile(r"\b(?:appl(?:y|ies|ied)\s+[^.;]{0,40}?\bto|fine-?tun\w*|finetun\w*|continu\w*\s+pre-?train\w*"
                               r"(?:\s+of)?|further\s+(?:pre-?)?train\w*|adapt\w*|initiali[sz]\w*\s+(?:from|with)|built\s+on|"
                               r"based\s+on|start\w*\s+(?:from|with)|prun(?:e|es|ed|ing)|distill(?:s|ed|ing)?|extend(?:s|ed|ing)?|"
                               r"compress(?:es|ed|ing)?|quantiz(?:e|es|ed|ing)|align(?:s|ed|ing)?)\s+(?:the\s+|a\s+|an\s+)?"
                               r"(?:[\w\-]+\s+)?$", re.IGNORECASE)
_MADE_KIND = (r"(?:resulting|pruned|distilled|merged|extended|compressed|fine-tuned|tuned|adapted|aligned|quantized) "
              r"(?:model|LLM|checkpoint|student|policy)")
_RESULTING = re.compile(rf"\s*(?:The|Our) {_MADE_KIND},?\s*(?:(?:released|named|called)(?: as)?\s+)?")
_AS_WE_NAME = re.compile(rf",\s*as we (?:name|call) the {_MADE_KIND}\b")  # "A, as we name the pruned model, ..."
_FAMILY_AFTER = re.compile(r"\s*(?:\([^()]{0,30}\)\s*)?,\s*(?:an?|the)\s+(?:[\w\-]+\s+)?(?:family|suite|series|collection)\s+of\b")
def _is_family(text: str, name: str) -> bool:
    """Is ``name`` set beside "a family / suite / series of ..." somewhere in the text?"""
    i = text.find(name)
    while i >= 0:
        if _FAMILY_AFTER.match(text, i + len(name)):
            return True
        i = text.find(name, i + 1)
    return False


_COMPARED = r"\b(?:[Cc]ompared (?:to|with)|[Rr]elative to|[Ii]n comparison (?:to|with))"
_COMPARED_GATE = re.compile(_COMPARED + r"\b")
_COMPARED_BEFORE = re.compile(_COMPARED + r"\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}?$")
# "Compared to B, the previous state of the art, A ...": an apposition may follow B
_COMMA_GAP = re.compile(r"\s*(?:\([^()]{0,40}\)\s*)?(?:,\s*(?:the|a|an)\s+[^,;.()]{1,60}?)?,\s*(?:the\s+|our\s+)?"
                        r"(?:[\w\-]+\s+){0,2}?")
_GAIN_WORD = re.compile(r"\b(?:gains?|improv\w*|outperform\w*|surpass\w*|boost\w*|(?:better|higher|superior|stronger)\s+"
                        r"(?:[\w\-]+\s+){0,2}?(?:accuracy|performance|scores?|results?|quality))\b", re.IGNORECASE)
_NEG_WORD = re.compile(r"\b(?:not|no|never|cannot|fails?\s+to|without)\b", re.IGNORECASE)
_WORSE_WORD = re.compile(r"\b(?:worse|lower accuracy|drops?|degrad\w*|los(?:es|s))\b", re.IGNORECASE)
_NAME_THE_KIND = re.compile(r"\b(?:we|We)\s+(?:name|call|dub|term)\s+(?:the|this|our)\s+(?:resulting\s+|final\s+|new\s+)?"
                            r"(?:[\w\-]+\s+)?(?:model|dataset|benchmark|method|framework|system|LLM|policy|checkpoint|"
                            r"student|corpus|collection)s?\s+[\"'\u201c]?$")
# a name in brackets after the kind of thing a sentence says is released: "The dataset (Pixelwise-3M) and model
# are released", "8k synthetic dialogues (ClarifyTune) ... we release them"
_KIND_PAREN_BEFORE = re.compile(r"\b(?:dataset|corpus|data|benchmark|model|checkpoint|dialogues|conversations|examples|"
                                r"pairs|instructions|collection|mixture|suite)\s*\(\s*$", re.IGNORECASE)
_RELEASED = re.compile(r"\b(?:release[sd]?|releasing|open-sourced?|publicly available|will be (?:made )?available)\b",
                       re.IGNORECASE)
_MODIFIER_USE = re.compile(r"[\w\-]*[- ](?:level|like|style|quality|accuracy|scores?|performance|results?)\b",
                           re.IGNORECASE)  # ("yields ZorbNet-level accuracy", "obtaining ZorbQA accuracy of 81%")
# a new name given as what the paper's making results in: "MAPO produces Tamarack-7B", "..., obtaining Veritas-8B",
# "the extended model, released as X", "releasing it as X"
_MADE_AS = re.compile(r"\b(?:produces|yields|yielding|producing|obtaining|resulting\s+in|results\s+in|"
                      r"released\s+as|releasing\s+(?:it|them)\s+as|release\s+(?:it|them)\s+as)\s+$", re.IGNORECASE)
_OUR_KIND_BEFORE = re.compile(r"\bour\s+(?:proposed\s+)?(?:model|method|approach|framework|system|benchmark|dataset)\s+$")
_OUR_BEFORE = re.compile(r"\bour\s+(?:(?!(?:on|with|against|to|than|over|from|in|for|and|or|of|by|at|as|first|previous|"
                         r"earlier|prior|original|old|former)\s)[\w\-]+\s+){0,3}$", re.IGNORECASE)  # (not "our first X model")
_ITEM_END = re.compile(r"\s*(?:[,;:).]|\(|$|and\b)")
_ENUM_OPEN = re.compile(r"\s*:\s*(?:\(1\)|1\)|\(i\)|\(a\))")
# "our proposed X", "the newly proposed X", "X, our new model, ...": the paper's own
_PROPOSED_BEFORE = re.compile(r"\b(?:our|the)\s+(?:newly\s+)?(?:proposed|novel)\s+$", re.IGNORECASE)
_OUR_KIND_AFTER = re.compile(r",\s+our\s+(?:[\w\-]+\s+){0,2}?(?:model|method|approach|framework|system|benchmark|"
                             r"dataset|LLM|agent|corpus|tool|algorithm)(?=\s*(?:[,.;(]|$))")  # (a closed apposition)
_CONTRAST_BEFORE = re.compile(r"\b(?:compared\s+(?:to|with)|unlike|than|versus|vs\.?|against)\s+(?:[\w\-]+\s+)?$",
                              re.IGNORECASE)
_KIND_NEXT = re.compile(r"\s+(?:models?|LLMs?|datasets?|benchmarks?|framework|method|approach|system)\b")
_NEW_LIST_BEFORE = re.compile(r"\bnew\s+(?:[\w\-]+\s+){0,2}?(?:benchmarks|datasets|models|corpora)\s*(?:,|:|\()\s*"
                              r"(?:[^,.;:()]{1,40}?(?:,|,?\s+and)\s*){0,4}$", re.IGNORECASE)
_EXAMPLE_WORDS = re.compile(r"\b(?:such as|including|like|e\.g\.|among them|for example|for instance)", re.IGNORECASE)
_ALIAS_PAREN = re.compile(rf"{SLOT}\s*\(({SLOT})\)")
_BRACKETED = re.compile(rf"\s*\(({SLOT})\)")


# a name in the possessive before a model name: its maker ("Mistral's Mistral-7B", "Meta’s Llama-2-7B")
_POSSESSIVE = re.compile(r"['’]s\s+")


def _makers_name(text: str, m, ms) -> bool:
    """Is ``m`` a maker's name in the possessive before a model it makes ("Mistral's Mistral-7B")? Not before
    anything else: "GPT-4's MMLU accuracy" still names GPT-4 as the one compared with."""
    p = _POSSESSIVE.match(text, m.end)
    return p is not None and any(o.start == p.end() and o.type in MODELISH for o in ms)


# from a name to a comparison verb: an apposition describing the name ("A, a B-based model, outperforms")
_APPOSITION_TO_CUE = re.compile(r",\s*(?:a|an|the|our|its)\s[^,;()]{1,100},\s*(?:[a-z]+ly\s+)?")


_NOUN_USE_AFTER = re.compile(r"\s+of\b")
_NAME_NEXT = re.compile(r"\s+(?:[a-z]+ly\s+)?(?:only\s+|just\s+)?(?:by\s+)?(?:the\s+)?[A-Z0-9]")
# "C performs worse than", "C trails": a name right before a cue is its subject ("B and even surpasses" is not)
_VERB_BETWEEN = re.compile(r"\s+(?!(?:and|or|but|while|then|nor)\b)(?:[a-z]+\s+){0,2}")
_BY_AFTER = re.compile(r"\s+(?:only\s+|closely\s+|just\s+)?by\b")
_WHICH_AFTER = re.compile(r"\s*,?\s*(?:which|who|that)\b")
# an evaluation others made: "prior work that evaluates only on", "existing models are typically evaluated on"
_OTHERS_EVAL = re.compile(r"\b(?:unlike|prior|previous|existing|earlier|most|many)\s+(?:[\w\-]+\s+){0,2}?"
                          r"(?:work|works|studies|research|methods|models|approaches|LLMs|systems|papers)\b"
                          r"[^.;,]{0,80}?\b(?:evaluat\w*|tested|test|benchmarked)\b", re.IGNORECASE)
_WE = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)


def _others_evaluation(text: str, s0: int, at: int) -> bool:
    """Does the clause that names data at ``at`` speak of others' evaluation, with no "we" or "our" since?"""
    o = _OTHERS_EVAL.search(text, s0, at)
    return o is not None and "," not in text[o.end():at] and not _WE.search(text, o.start(), at)


def _unslot(text: str) -> str:
    return text.replace(SLOT_OPEN, " ").replace(SLOT_CLOSE, " ")


# what wraps a name without being part of the sentence around it: quotes, emphasis (**X**, `X`, <b>X</b>), an
# emoji before it, a link's target after it ([X](url)), footnote marks (X†, X¹), a space left before a comma
_OPEN_WRAP = re.compile(r"(?:<(?:b|i|em|strong|code|tt|u)>|\*\*?|[“\"‘«`\[{]|_(?=$)|"
                        r"[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?\s*)+$", re.IGNORECASE)
_CLOSE_WRAP = re.compile(r"^(?:</(?:b|i|em|strong|code|tt|u)>|<sup>[^<>]{0,8}</sup>|\*\*?|\]\([^()\s]{0,300}\)|"
                         r"[”\"»`\]}†‡§¹²³⁴⁵⁶⁷⁸⁹⁰]|_|[’'](?![a-z]))*(?:\s+(?=[,.;:]))?", re.IGNORECASE)


def _unwrapped(gap: str, after_name: bool) -> str:
    """The words between two names (or a name and the sentence's end) without what wraps the names: the
    patterns read "We introduce “A”, a model fine-tuned from **B**." as "We introduce A, a model fine-tuned
    from B."."""
    if after_name:
        gap = _CLOSE_WRAP.sub("", gap, count=1)
    return _OPEN_WRAP.sub("", gap, count=1)


def _lowered(pattern: str) -> re.Pattern:
    """A case-insensitive pattern as a case-sensitive one for lowercased text. Safe only without an uppercase
    escape (\\S, \\W, ...): such a pattern is refused, since lowercasing would change its meaning."""
    if re.search(r"\\[A-Z]", pattern):
        raise RuleDataError(f"cues.json: lineage pattern {pattern!r} uses an uppercase escape",
                            "write [^\\s] for \\S (the patterns run on lowercased text)")
    return re.compile(pattern.lower().replace("(?p<a>", "(?P<A>").replace("(?p<b>", "(?P<B>"))


def _gate(cues: list[str]) -> tuple[str, ...]:
    """Words of which one must occur for any of ``cues`` to match: the longest word of each cue."""
    return tuple(sorted({max(c.lower().split(), key=len) for c in cues}))


def _any_in(stems: tuple[str, ...], text: str) -> bool:
    return any(w in text for w in stems)


def cased_copy(rx: re.Pattern) -> re.Pattern:
    """A case-sensitive copy of a case-insensitive cue regex, to run on lowercased text (several times faster:
    the regex engine can skip ahead on literal first characters). Lowercasing the pattern is safe only when it
    has no uppercase escape such as \\W or \\S; otherwise the pattern itself is returned."""
    return rx if re.search(r"\\[A-Z]", rx.pattern) else re.compile(rx.pattern.lower())


def _within(hits: tuple[list, list[int]], sent: tuple[int, int]) -> list:
    """The matches that start inside ``sent``, found by bisection over their sorted starts."""
    matches, starts = hits
    return matches[bisect_left(starts, sent[0]):bisect_left(starts, sent[1])]


# "outperforms ... using X / with X": X is a tool of the comparison, not an opponent ("the results of X" is one)
_TOOL_CONTEXT = re.compile(r"\b(?:on|in|using|with)\s+(?:the\s+)?$")
_PLURAL_REF = re.compile(r"\b(?:models|methods|approaches|systems|frameworks)\b", re.IGNORECASE)
# "experiments on A and B show that X outperforms": A is not the subject ("models that outperform" is a
# relative clause and keeps its subject)
_THAT_CLAUSE = re.compile(r"\b(?:show|shows|showed|shown|demonstrate|demonstrates|demonstrated|find|finds|found|reveal|"
                          r"reveals|indicate|indicates|suggest|suggests|observe|observes|confirm|confirms|verify|"
                          r"verifies|prove|proves|note|notes)\b", re.IGNORECASE)


def _reports_on(text: str, start: int, end: int) -> bool:
    """Does a reporting verb between a name and a comparison start a clause of its own ("results on A show
    (that) X outperforms")? Not when the name is the verb's subject and no "that" follows ("A demonstrates a
    5% improvement over B")."""
    m = _THAT_CLAUSE.search(text, start, end)
    if m is None:
        return False
    return bool(text[start:m.start()].strip()) or text[m.end():m.end() + 6].strip().startswith("that")


# "A, B and C outperform": every name of a list that ends right before the cue is a subject
_SUBJECT_LIST_SEP = re.compile(r"\s*(?:,|,?\s+and|,?\s+or|/)\s*")
# what may stand between the names of a title's lead-in ("ARBERT & MARBERT", "Introducing A and B")
_LEAD_GLUE = re.compile(r"[\s,&+/]*(?:(?:and|with|Introducing)[\s,&+/]*)*", re.IGNORECASE)
_ENABLES_IT = re.compile(r"\b(?:enabl|allow|help|mak|lead|caus|empower)\w*\s+(?:it|them)\s+to\s+(?:\w+ly\s+)?$",
                         re.IGNORECASE)
# "we propose a RAG method": a listed name used for a kind of thing (the new thing itself is unnamed)
_KIND_AFTER = re.compile(r"(?:\s*\([^()]{1,40}\))?[\s\-]+(?:[a-z\-]+\s+){0,2}?(?:framework|method|approach|architecture|"
                         r"models?|LLMs?|LMs?|benchmark|system|layer|technique|pipeline|paradigm|strategy|algorithm|"
                         r"module|mechanism|procedure)\b")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the first)\s+(?:[\w\-]+\s+){0,2}$", re.IGNORECASE)
# what follows the paper's own model's name in the name of one of its versions ("MiniCPM-DPO", "MiniCPM 2")
_OWN_VARIANT = re.compile(r"[\-\s]?(?:[A-Z0-9][\w.]*)(?:-[\w.]+)*")
# "outperforms Med-PaLM, a prompt-tuned version of Flan-PaLM": the base of an opponent is no opponent
_LINEAGE_BEFORE = re.compile(r"\b(?:(?:version|variant|extension) of|(?:based|built) on|(?:tuned|trained|initiali[sz]ed|"
                             r"distilled|derived) from)\s+(?:the\s+)?$", re.IGNORECASE)
# "experiments on four datasets, namely A, B, ...": "namely" lists what is used, names nothing new
_USED_LIST = re.compile(r"\b(?:on|across|over|using|with|from)\s+(?:the\s+)?(?:[\w\-]+\s+){0,3}?[\w\-]+s,?\s*namely\s*"
                        r"(?:[^\s,;]+\s*(?:,|,?\s*and|,?\s*or)\s*){0,6}$", re.IGNORECASE)
def _own_subject(own: list):
    """The paper's own model a pronoun or "our model" stands for: the first introduced, unless that is the title's
    short name and exactly one introduced model is a sized or named version of it ("Marginalia: ..." releasing
    Marginalia-8B: "it beats B" is Marginalia-8B)."""
    first = own[0]
    versions = [m for m in own[1:] if m.key != first.key and m.type == "model" and
                m.text.startswith((first.text + "-", first.text + " "))]
    return versions[0] if "title" in first.rule and len({m.key for m in versions}) == 1 else first


# a sentence opening on a test bed: "With A, B and C, X outperforms ...", "On BenchY with A and B, X beats ...":
# the models listed there host the comparison and win nothing
_OPENING_PREP = re.compile(r"\s*(?:With|On|Using|Across|Under|For(?! instance| example)|Given|Applied to|When applied to)\b")


def _opening_list_end(text: str, s0: int, ms: list) -> int:
    """Where the test-bed phrase a sentence opens with ends (``s0`` when it opens on none)."""
    m = _OPENING_PREP.match(text, s0)
    if m is None:
        return s0
    first = next((i for i, x in enumerate(ms) if x.start >= m.end()), None)
    if first is None or ms[first].start - m.end() > 60 or "," in text[m.end():ms[first].start]:
        return s0  # ("On average, A outperforms B": no test bed)
    j = first  # (the list "A, B and C" ends at the member after "and"; its members are of one type)
    while j + 1 < len(ms) and ms[j + 1].type == ms[first].type and \
            (sep := _SUBJECT_LIST_SEP.fullmatch(text, ms[j].end, ms[j + 1].start)):
        j += 1
        if re.search(r"\b(?:and|or)\b", sep.group()):
            break
    comma = text.find(",", ms[j].end, ms[j].end + 80)
    if comma < 0 or _VERB_IN_BED.search(text, ms[j].end, comma):
        return s0  # ("Across all benchmarks A outperforms B, while ...": the comma ends a clause, not a test bed)
    return comma


_VERB_IN_BED = re.compile(r"\b(?:outperform|surpass|beat|exceed|improv|achiev|reach|lag|trail|fall|match|rival|"
                          r"obtain|score|perform|show|is|are|was|were)\w*", re.IGNORECASE)
# a win the sentence takes back: "the gains over B are within noise", "... is not significant"
_HEDGE_AFTER = re.compile(r"^[^,;]*?\b(?:are|is|were|was|remain|remains)\s+(?:\w+\s+)?(?:within\s+(?:noise|the\s+margin|"
                          r"error)|not\s+(?:statistically\s+)?significant|marginal|negligible)\b", re.IGNORECASE)
# (the gain itself taken back, in the clause that states it: not "..., while its overhead is negligible")
_GAIN_CUE = re.compile(r"gains?|improvements?|advantages?|margins?", re.IGNORECASE)
_PLUS_BEFORE = re.compile(r"\+\s*$")  # "MAC-SQL + GPT-4": the backbone of a system, not the system compared


# "A solves 61% of cases, compared with 43% for B", "71.4%, versus 23.0% for B": two figures set side by side
_VS_GATE = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.)\s+\d", re.IGNORECASE)
_FIGURE = r"(\d+(?:\.\d+)?)\s*%?"
_THEIR_FIGURE = re.compile(rf"\b(?:compared\s+(?:with|to)|versus|vs\.)\s+{_FIGURE}(?:\s*(?:,|and)\s*\d+(?:\.\d+)?\s*%?)*"
                           r"\s+(?:for|with|by|of|from)\s+(?:the\s+)?$", re.IGNORECASE)
_OUR_FIGURE = re.compile(rf"{_FIGURE}[^\d;]{{0,80}}$")
# figures where less is better: the fewer errors, the lower the latency, the better
_LESS_IS_BETTER = re.compile(r"\b(?:error|WER|CER|perplexity|latency|loss|FID|toxic|harm|hallucinat|cost|memory|"
                             r"seconds|ms\b|violation|failure|unsafe)", re.IGNORECASE)


def _numbers_compared(text: str, sent: tuple[int, int], ms: list, add) -> None:
    """A figure of A set beside a figure of B ("A reaches 36.7%, compared with 28.8% for B"): the better figure
    wins (the lower one for errors, latency and the like)."""
    s0, s1 = sent
    for k, b in enumerate(ms):
        if b.type not in MODELISH or k == 0:
            continue
        theirs = _THEIR_FIGURE.search(text, max(s0, b.start - 90), b.start)
        if theirs is None:
            continue
        ours = _OUR_FIGURE.search(text, s0, theirs.start())
        named = [m for m in ms[:k] if m.type in MODELISH and m.key != b.key and m.end <= ours.start()] if ours else []
        if not named:
            continue
        a, x, y = named[-1], float(ours.group(1)), float(theirs.group(1))
        if x == y:
            continue
        win, loss = (a, b) if (x > y) != bool(_LESS_IS_BETTER.search(text, s0, s1)) else (b, a)
        add(win.key, "outperforms", loss.key, sent, "figures-compared", 0.66)


_RESPECTIVELY = re.compile(r"\b(?:respectively|corresponding)\b", re.IGNORECASE)


def _list_after(text: str, ms: list, i: int, skip=()) -> list[int]:
    """The indices of the names listed right after name ``i`` ("A1, A2 and A3"), up to one in ``skip``."""
    out = []
    while i + 1 < len(ms) and i + 1 not in skip and _SUBJECT_LIST_SEP.fullmatch(text, ms[i].end, ms[i + 1].start):
        i += 1
        out.append(i)
    return out


# a claim the sentence doubts or asks about: "we find no evidence that A outperforms B", "whether A beats B"
_HEDGE = re.compile(r"\b(?:no evidence (?:that|of)|whether)\b[^,;:]*$", re.IGNORECASE)
_ENUM_MARK = re.compile(r"(?<!\S)(?:\(?(?:[1-9]|i{1,3}|iv|v)\)|\([a-h]\))\s")  # "1) ", "(2) ", "iii) ", "(b) "
# "outperforms X on/across/for ...": what follows the preposition is the setting, not an opponent ("models
# fine-tuned on ..." still describes one)
_SCOPE_PREP = re.compile(r"(?<!tuned )(?<!trained )(?<!based )(?<!built )\b(?:on|across|for|at|under)\b", re.IGNORECASE)
_PASSIVE = re.compile(r"\b(?:is|are|was|were|be|being|been)\s+(?:(?:\w+ly|still|also|even|only|further|often)\s+)?$",
                      re.IGNORECASE)
_TRAIN_CUE = re.compile(r"\b(?:train|trained|training|pre-?train\w*|fine-?tun\w*|instruction[- ]tun\w*|adapt|corpus|"
                        r"collected|curated|built from|distill\w*)\b", re.IGNORECASE)


# "on the RedPajama dataset to continually pre-train a 3B LM": data used for training, named before the purpose
_TRAIN_AFTER = re.compile(r"(?:\s+(?:dataset|corpus|data))?\s+(?:to\s+(?:\w+\s+)?(?:train|pre-?train|fine-?tune|"
                          r"instruction-tune|adapt)\b|for\s+(?:continued\s+|continual\s+)?(?:pre-?training|fine-?tuning|"
                          r"training|instruction[- ]tuning)\b(?!\s+(?:efficiency|cost|costs|speed|time|performance|"
                          r"stability|results|settings|experiments|methods)\b))", re.IGNORECASE)


# "we train on", "pre-trained only on the": the data named next is trained on; "the MedQA training set" ("when
# fine-tuned on the GLUE benchmarks" is how a benchmark of fine-tuning evaluates)
_TRAINED_ON_BEFORE = re.compile(r"\b(?:train(?:ed|ing|s)?|pre-?train\w*|instruction[- ]tun\w*)\s+"
                                r"(?:(?!(?:and|or|with|then|evaluat\w*|test\w*|assess\w*|benchmark\w*)\b)[\w\-]+\s+)"
                                r"{0,3}?on\s+(?:the\s+)?$", re.IGNORECASE)
_TRAIN_SPLIT_AFTER = re.compile(r"\s+(?:training|train)\s+(?:set|split|data)\b", re.IGNORECASE)


class RelationComponent(_RuleComponent):
    def __init__(self, nlp: Language, name: str, data_dir: str | None = None) -> None:
        super().__init__(nlp, name, data_dir)
        self._compile()

    def initialize(self, get_examples=None, nlp=None, data_dir: str | None = None) -> None:
        super().initialize(get_examples, nlp, data_dir)
        self._compile()

    def _compile(self) -> None:
        c = self.rd.cues
        self._cased: dict[str, re.Pattern] = {}
        alt = word_trie
        self.intro_re = re.compile(rf"\b(?:{alt(c['intro_subjects'])})\b[^.;]{{0,60}}?\b(?:{alt(c['intro_verbs'])})\b",
                                   re.IGNORECASE)
        self.naming_re = re.compile(rf"(?<!so-)\b(?:{alt(c['naming_cues'])})\s*(?:as\s+)?[:,]?\s*[\"'\u201c]?$", re.IGNORECASE)
        self.new_appos_re = re.compile(rf"\s*(?:\([^)]{{0,30}}\)\s*)?,?\s+(?:(?:is|are)\s+)?(?:a|an)\s+(?:[\w\-]+\s+){{0,3}}?"
                                       rf"(?:{alt(c['new_markers'])})\b", re.IGNORECASE)
        self.eval_re = self.rd.words_re("eval_cues")
        # a cue can only match where its longest word occurs: a cheap substring gate before each scan
        self.naming_gate = _gate(c["naming_cues"])
        self.out_words = frozenset(w.lower() for w in c["outperform_cues"])
        self.loss_words = frozenset(w.lower() for w in c.get("loss_cues", ()))  # "A lags behind B": B wins
        self.out_gate = tuple(sorted(set(_gate(c["outperform_cues"] + c.get("loss_cues", [])))
                                     | {"than", "superior", "relative to", "compared"}))  # (and the patterns')
        self.naming_word_re = re.compile(rf"\b(?:{alt(c['naming_cues'])})\b", re.IGNORECASE)
        self.out_re = re.compile(rf"\b(?:{alt(c['outperform_cues'] + c.get('loss_cues', []))}|"
                                 rf"{'|'.join(c.get('outperform_patterns', []))})\b", re.IGNORECASE)
        self.neg_re = re.compile(rf"(?:{alt(c['negations'])})\s+(?:\w+\s+){{0,2}}$", re.IGNORECASE)
        self.self_re = re.compile(rf"\b(?:{alt(c['self_refs'])})\b|\bour\b[^.;]{{0,40}}\b(?:models?|methods?|approach|framework|system)\b",
                                  re.IGNORECASE)
        self.own_re = re.compile(r"\b(?:we|our|this (?:work|paper)|named|called|dubbed)\b", re.IGNORECASE)
        # ("the comparable-size B" is an adjective before the name, no break)
        self.break_re = re.compile(rf"\b(?:{alt(c['comparison_breaks'])})(?![\w\-])", re.IGNORECASE)
        def slots(p: str) -> re.Pattern:
            """A lineage pattern with its two name slots, compiled to run on the lowercased sentence (several
            times faster than a case-insensitive match; every lineage pattern is case-insensitive)."""
            p = p.replace("{A}", SLOT.replace("(", "(?P<A>", 1)).replace("{B}", SLOT.replace("(", "(?P<B>", 1))
            p = p.replace("{N}", SLOT.replace("(", "(?:", 1))  # another name ("by {N} B": "by instruction-tuning B")
            return _lowered(p)
        merging = c.get("based_on_merge_patterns", [])  # "by merging B1 and B2": every listed base counts
        patterns = c["based_on_patterns"] + merging
        self.based_res = [slots(p) for p in patterns]
        self.based_kind_res = [slots(p) for p in patterns if _KIND_APPOS_PATTERN.match(p)]
        # patterns that open on the making ("fine-tune B ... to obtain A"), not on either name
        self.based_made = {rx for p, rx in zip(patterns, self.based_res) if not p.startswith(("{A}", "{B}"))}
        self.based_merge = set(self.based_res[len(c["based_on_patterns"]):])
        self.based_implicit = [slots(p) for p in c["based_on_implicit"]]
        self.based_self = [slots(p) for p in c.get("based_on_self", [])]  # "It is fine-tuned from B"
        # for each lineage pattern, strings one of which the sentence must contain for it to match at all
        self.gates = {rx: None if (g := required_literals(rx.pattern)) is None else frozenset(g)
                      for rx in (*self.based_res, *self.based_implicit, *self.based_self)}
        # every gate string, looked up once per sentence
        self.gate_strings = tuple(sorted({x for g in self.gates.values() if g for x in g}))

    def _hits(self, rx: re.Pattern, text: str, low: str | None) -> tuple[list, list[int]]:
        """Every match of a cue regex in the text, with the sorted list of their starts."""
        if low is None:
            matches = list(rx.finditer(text))
        else:
            fast = self._cased.get(rx.pattern)
            if fast is None:
                fast = self._cased[rx.pattern] = cased_copy(rx)
            matches = list(fast.finditer(text if fast is rx else low))
        return matches, [m.start() for m in matches]

    # -------------------------------------------------------------- main
    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        mentions: list[MentionSpan] = doc._.kg_mentions or []
        sents = [(s.start_char, s.end_char) for s in doc.sents]
        rels: list[RelationSpan] = []
        seen: set[tuple[str, str, str]] = set()

        def add(s: str, p: str, o: str, sent: tuple[int, int], rule: str, conf: float) -> None:
            if s == o or (s, p, o) in seen:
                return
            seen.add((s, p, o))
            rels.append(RelationSpan(s, p, o, sent[0], sent[1], rule, conf))

        a0 = doc._.kg_abstract_start
        introduced: list[MentionSpan] = []

        def intro(m: MentionSpan, sent, rule, conf) -> None:
            if m.type not in INTRODUCIBLE or (m.gaz_id and m.type == "method" and m.text.islower() and rule != "title-name"):
                return  # a generic listed technique ("instruction tuning") is used, not introduced
            if m.key not in {x.key for x in introduced}:
                introduced.append(m)
            add(PAPER, "introduces", m.key, sent, rule, conf)

        by_sent = []
        m_starts = [m.start for m in mentions]  # mentions come sorted by start
        for sent in sents:
            by_sent.append((sent, mentions[bisect_left(m_starts, sent[0]):bisect_left(m_starts, sent[1])]))
        # cue positions over the whole text, once (a regex call per sentence costs more than the work)
        low = text.lower()
        if len(low) != len(text):  # a rare character whose lowercase is longer: search the text as it is
            low = None
        folded = low if low is not None else text.lower()
        intro_at = self._hits(self.intro_re, text, low)
        eval_at = self._hits(self.eval_re, text, low)
        # a substring test is far cheaper than a scan: skip scans whose cue words cannot occur
        out_at = self._hits(self.out_re, text, low) if _any_in(self.out_gate, folded) else _NO_HITS
        based_at = self._hits(_BASED_HINT, text, low) if _any_in(_BASED_STEMS, folded) else _NO_HITS
        naming_at = self._hits(self.naming_word_re, text, low) if _any_in(self.naming_gate, folded) else _NO_HITS

        # ---- introduces
        title = text[:a0] if a0 else ""
        colon = title.find(":")
        # (once per paper, not once per sentence of the title: a pasted-in title can be long)
        named_lead = colon > 0 and not _SURVEY.search(title, colon)  # "MME-Survey: A Comprehensive Survey on ..."
        report = not named_lead and _TECH_REPORT.search(title) is not None
        for sent, ms in by_sent:
            if sent[0] < a0 or not a0:
                if named_lead:
                    lead = [m for m in ms if m.end <= colon]
                    rest = title[:colon]
                    for m in lead:
                        rest = rest.replace(m.text, " ")
                    whole = _LEAD_GLUE.fullmatch(rest) is not None
                    for m in lead:
                        if whole or m.gaz_id is None:  # "LLaMA Beyond English: ...": a study of a listed model
                            intro(m, sent, "title-name", 0.88)
                elif report and ms:
                    intro(ms[0], sent, "title-report", 0.8)
                for m in ms:
                    if m.start == 0 and "title-process" in m.rule:  # "Patch-Level Training for LLMs"
                        intro(m, sent, "title-name", 0.8)
            for im in _within(intro_at, sent):
                vend = im.end()
                trains = im.group().lower().endswith(("train", "trained"))
                # (only names within 160 characters of the verb count: a blocker further on changes nothing,
                # and searching to the end of a long sentence from every verb would be quadratic)
                block = _BLOCKERS.search(text, vend, min(sent[1], vend + 180))
                limit = block.start() if block else sent[1]
                for m in ms:
                    if m.start < vend or m.start >= min(limit, vend + 160):
                        continue
                    if _MODIFIER_AFTER.match(text, m.end):
                        continue
                    gap = text[vend:m.start]
                    if m.gaz_id is not None and (trains or _LINEAGE_BEFORE.search(text, max(vend, m.start - 40), m.start)):
                        continue  # "we train T5-Base from scratch", "we introduce A, a version of BIG-bench"
                    if "named-kind" not in m.rule and _KIND_AFTER.match(text, m.end) and \
                            _ARTICLE_BEFORE.search(text, max(vend, m.start - 40), m.start):
                        continue  # "we propose a RAG method", "an extensible MoE architecture": the new one is unnamed
                    if text.endswith("(", 0, m.start) and text.startswith(")", m.end) and \
                            _KIND_AFTER.match(text, m.end + 1):
                        continue  # "an in-context learning (ICL) framework": the bracketed short form likewise
                    if m.gaz_id is not None and (text.endswith("of ", 0, m.start) or text.endswith("of the ", 0, m.start)):
                        continue  # "we propose a new taxonomy of MoE"
                    if _UNDER_TERMS.search(text, max(vend, m.start - 12), m.start):
                        continue  # "we release the models under the PhysioNet Credentialed Health Data license"
                    if m.gaz_id is None or len(gap) <= 30:
                        intro(m, sent, "intro-verb", 0.82 if m.gaz_id is None else 0.75)
            if ":" in text[sent[0]:sent[1]]:  # "we release: (1) A, ...; (2) B, ...": every enumerated item
                for im in _within(intro_at, sent):
                    if _ENUM_OPEN.match(text, im.end()):
                        for m in ms:
                            if m.start <= im.end():
                                continue
                            e = _ENUM_MARK.search(text, max(sent[0], m.start - 6), m.start)
                            if e is not None and e.end() == m.start and _ITEM_END.match(text, m.end):
                                # the item's name right after its number, and the item's head ("(2) GPT-4 outputs
                                # on the mixture" releases outputs, not GPT-4)
                                intro(m, sent, "enumerated", 0.8)
            named = bool(_within(naming_at, sent))
            sent_low = text[sent[0]:sent[1]].lower()
            own_sent = "our " in sent_low or "proposed" in sent_low  # a cheap gate before _OWN_LIST
            for m in ms:
                before = text[max(sent[0], m.start - 40):m.start] if named else ""
                if named and self.naming_re.search(before) and \
                        not _USED_LIST.search(text, max(sent[0], m.start - 80), m.start):
                    intro(m, sent, "naming-cue", 0.86)
                elif m.gaz_id is None and _NAME_THE_KIND.search(text, max(sent[0], m.start - 60), m.start):
                    intro(m, sent, "naming-cue", 0.84)  # "we name the resulting model X"
                elif "novel-kind" in m.rule or "own-kind" in m.rule:
                    intro(m, sent, "own-kind", 0.74)  # "using a novel Token Type Classification objective", "our
                    # self-built dataset (Xdata)": found where the paper speaks of its own
                elif m.gaz_id is None and text.endswith("as ", 0, m.start) and \
                        REFER_AS.search(text, max(sent[0], m.start - 80), m.start):
                    intro(m, sent, "naming-cue", 0.8)
                elif m.gaz_id is None and self.new_appos_re.match(text, m.end, sent[1]):
                    intro(m, sent, "new-apposition", 0.78)
                elif m.gaz_id is None and m.type in INTRODUCIBLE and m.type != "method" and \
                        _KIND_PAREN_BEFORE.search(text, max(sent[0], m.start - 40), m.start) and \
                        _RELEASED.search(text, sent[0], sent[1]) and not _OTHERS_BEFORE.search(text, sent[0], m.start):
                    intro(m, sent, "released-kind", 0.74)  # "The dataset (Pixelwise-3M) and model are released"
                elif m.gaz_id is None and m.type == "model" and not _MODIFIER_USE.match(text, m.end) and \
                        _MADE_AS.search(text, max(sent[0], m.start - 30), m.start) and \
                        (self.own_re.search(text, sent[0], m.start) or
                         any(x.key in {i.key for i in introduced} for x in ms if x.end <= m.start) or
                         any(x.gaz_id is not None and x.type == "model" for x in ms if x.end <= m.start)):
                    intro(m, sent, "made-as", 0.74)  # (what the paper, its method, or a listed base makes)
                elif m.gaz_id is None and m.type in MODELISH and own_sent and \
                        _OWN_LIST.search(text, max(sent[0], m.start - 90), m.start):
                    intro(m, sent, "own-apposition", 0.74)
                elif m.gaz_id is None and own_sent and (
                        _OUR_KIND_BEFORE.search(text, max(sent[0], m.start - 40), m.start) or
                        _PROPOSED_BEFORE.search(text, max(sent[0], m.start - 30), m.start) or
                        (_OUR_KIND_AFTER.match(text, m.end) and
                         not _CONTRAST_BEFORE.search(text, max(sent[0], m.start - 40), m.start)) or
                        (_OUR_BEFORE.search(text, max(sent[0], m.start - 50), m.start) and _KIND_NEXT.match(text, m.end))):
                    intro(m, sent, "own-apposition", 0.74)  # "our method IC-DST", "our multilingual mParamanu model"
                elif "new" in sent_low and self.own_re.search(text, sent[0], sent[1]) and \
                        (nl := _NEW_LIST_BEFORE.search(text, max(sent[0], m.start - 120), m.start)) and \
                        not _EXAMPLE_WORDS.search(text, nl.start(), sent[1]):
                    intro(m, sent, "new-list", 0.74)  # "two new benchmarks, MBPP and MathQA-Python" (not examples)
            if "result" in sent_low or "yield" in sent_low or any(w in sent_low for w in _MADE_NOUNS):
                # "..., resulting four models: A, B, C and D", "to train two models: A, with 109M parameters, and B"
                listed = None
                for m in ms:
                    if m.type in MODELISH and m.gaz_id is None and (
                            _RESULTING_LIST.search(text, max(sent[0], m.start - 60), m.start) or
                            ((made := _MADE_N_LIST.search(text, max(sent[0], m.start - 60), m.start)) and
                             not _OTHERS_MADE.search(text, sent[0], made.start())) or
                            (listed is not None and _MEMBER_GAP.fullmatch(text, listed.end, m.start))):
                        if self.own_re.search(text, sent[0], sent[1]):
                            intro(m, sent, "made-from", 0.72)
                        listed = m
        own_names = [m for m in introduced if m.type == "model"]
        if own_names:  # "MiniCPM-DPO", "MiniCPM-128K": the versions of the paper's own model are its own too
            for sent, ms in by_sent:
                for m in ms:
                    if m.type == "model" and any(m.key != a.key and m.text.startswith(a.text) and
                                                 _OWN_VARIANT.fullmatch(m.text, len(a.text)) for a in own_names):
                        intro(m, sent, "own-variant", 0.7)
        intro_keys = {m.key for m in introduced}

        # ---- evaluated_on, outperforms, based_on, has_repository
        made: list[tuple[MentionSpan, tuple[int, int]]] = []  # models the paper made from another one
        for sent, ms in by_sent:
            s0, s1 = sent
            if not ms:
                continue
            # (a comparison reports a result: "A beats B on X" is an evaluation on X, unless it is others' result:
            # "prior work showed that A beats B on X")
            has_eval = bool(_within(eval_at, sent)) or (bool(_within(out_at, sent)) and
                                                         not _OTHERS_BEFORE.search(text, s0, s1))
            prev, evaluated_here = None, set()  # (the data this sentence says the paper is evaluated on)
            for m in ms:
                if m.type == "repo":
                    add(PAPER, "has_repository", m.key, sent, "url", 0.95)
                elif m.type == "benchmark" and (has_eval or m.key in intro_keys):
                    if m.key not in intro_keys and _LINEAGE_BEFORE.search(text, max(s0, m.start - 40), m.start) and \
                            any(x.key in intro_keys and x.type in DATAISH and x.end <= m.start for x in ms):
                        continue  # "we introduce FIN-bench, a version of BIG-bench": the base, not a test bed
                    if m.key not in intro_keys and (_TRAINED_ON_BEFORE.search(text, max(s0, m.start - 50), m.start)
                                                    or _TRAIN_SPLIT_AFTER.match(text, m.end)):
                        continue  # "we train on MedQA and evaluate on PubMedQA": training data, not a test bed
                    if m.key not in intro_keys and _others_evaluation(text, s0, m.start):
                        continue  # "unlike prior work that evaluates only on MMLU, we ...": not this paper's
                    add(PAPER, "evaluated_on", m.key, sent, "benchmark-in-eval" if has_eval else "own-benchmark",
                        0.8 if has_eval else 0.6)
                    evaluated_here.add(m.key)
                elif m.type == "dataset" and has_eval and m.key not in intro_keys:
                    pre = text[max(s0, m.start - 60):m.start]
                    if not _TRAIN_AFTER.match(text, m.end) and (
                            (not _TRAIN_CUE.search(pre) and _ON_WORD.search(pre)) or
                            # "on A, B, C and D": each, when the one before is evaluated on in this sentence
                            (prev is not None and prev.key in evaluated_here and
                             _SUBJECT_LIST_SEP.fullmatch(text, prev.end, m.start))):
                        add(PAPER, "evaluated_on", m.key, sent, "dataset-in-eval", 0.6)
                        evaluated_here.add(m.key)
                prev = m
            cues = _within(out_at, sent)
            if cues:
                self._outperforms(text, sent, ms, introduced, add, cues)
            elif len(ms) >= 2 and _COMPARED_GATE.search(text, s0, s1):
                self._compared_to(text, sent, ms, add)
            if len(ms) >= 2 and _VS_GATE.search(text, s0, s1):
                _numbers_compared(text, sent, ms, add)
            hints = _within(based_at, sent)
            if hints:
                own_only = all(h.group().lower() in _OWN_ONLY_STEMS for h in hints) and \
                    not _ADOPTED_ARCHITECTURE.search(text, s0, s1)
                if not own_only:
                    pats = self.based_res
                else:  # the own model's patterns, and "PICARD (a T5 model ...)" where that form occurs
                    pats = self.based_kind_res if any(_KIND_APPOS.match(text, m.end) for m in ms) else ()
                made += self._based_on(text, sent, ms, add, introduced, pats, own_only)
            elif any(_KIND_APPOS.match(text, m.end) for m in ms):  # "PICARD (a T5 model ...)": its patterns only
                self._based_on(text, sent, ms, add, (), self.based_kind_res)
        made += self._resulting(text, by_sent, add)
        for m, sent in made:  # "we fine-tune LLaMA on ToolBench and obtain ToolLLaMA": the paper made ToolLLaMA
            intro(m, sent, "made-from", 0.72)
        self._variants(by_sent, add, introduced)
        doc._.kg_relations = rels
        return doc

    # -------------------------------------------------------------- outperforms
    def _outperforms(self, text, sent, ms, introduced, add, cues) -> None:
        s0, s1 = sent
        used_as_object: set[str] = set()
        bed = _opening_list_end(text, s0, ms)  # (the test bed's models are no subjects)
        for n, cm in enumerate(cues):
            pre = text[s0:cm.start()]
            if self.neg_re.search(pre) or _HEDGE.search(pre) or (
                    _GAIN_CUE.match(cm.group()) and _HEDGE_AFTER.search(text, cm.end(), s1)):
                continue
            passive = bool(_PASSIVE.search(pre)) and cm.group().lower().endswith("ed")
            loss = " ".join(cm.group().lower().split()) in self.loss_words  # "A trails B": B wins
            if loss and (_NOUN_USE_AFTER.match(text, cm.end()) or
                         cm.group().lower().startswith("trail") and not _NAME_NEXT.match(text, cm.end())):
                continue  # "reasoning trails of tokens", "long trails, and ...": a noun
            if loss and _BY_AFTER.match(text, cm.end()):
                loss = passive = False  # "A leads, trailed by B", "A is trailed only by B": A wins
            passive = passive != loss  # (the winner is named after the cue: a passive win, or a loss)
            stop = s1
            for rx in (_CLAUSE_END, self.break_re, _SCOPE_PREP):
                b = rx.search(text, cm.end(), stop)
                if b:
                    stop = b.start()
            if n + 1 < len(cues):
                stop = min(stop, cues[n + 1].start())
            objs = [m for m in ms if cm.end() <= m.start < stop and m.type in MODELISH
                    and not _TOOL_CONTEXT.search(text, max(s0, m.start - 12), m.start)
                    and not _LINEAGE_BEFORE.search(text, max(s0, m.start - 40), m.start)
                    and not _KIND_SUFFIX.match(text, m.end)  # "surpass GNN-based baselines": a kind of system
                    and not _makers_name(text, m, ms)  # "Mistral's Mistral-7B": the maker's name
                    and not _PLUS_BEFORE.search(text, max(s0, m.start - 3), m.start)
                    and not (n + 1 < len(cues) and _VERB_BETWEEN.fullmatch(text, m.end, cues[n + 1].start()))]
            # ("A beats B, and C performs worse than B": C is the next comparison's subject, not A's opponent)
            before = [m for m in ms if bed <= m.start and m.end <= cm.start() and m.type in MODELISH
                      and m.key not in used_as_object
                      and not _OBJECT_CONTEXT.search(text[max(s0, m.start - 16):m.start])]
            subj = before[-1] if before else None
            if loss:  # "A outperforms B, which trails C", "..., and C performs worse than B": the loser named
                # in this clause, since the previous cue (an earlier object only where "which" takes it up)
                since = cues[n - 1].end() if n else s0
                near = [m for m in ms if since <= m.start and m.end <= cm.start() and m.type in MODELISH and
                        (m.key not in used_as_object or _WHICH_AFTER.match(text, m.end) or
                         _VERB_BETWEEN.fullmatch(text, m.end, cm.start()))]  # ("and C performs worse than B")
                if near:
                    subj = near[-1]
                    before = [subj]
            if subj is not None and len(before) > 1:
                # "A, a B-based model, outperforms C": the name the apposition describes is the subject
                head = next((m for m in reversed(before[:-1]) if m.end <= subj.start
                             and _APPOSITION_TO_CUE.fullmatch(text, m.end, cm.start())), None)
                if head is not None:
                    subj = head
            if subj is not None and _ENUM_MARK.search(text, subj.end, cm.start()):
                # "A 1) rivals B ..., 3) matches C and D ..., and 4) outperforms E": the numbered claims share the
                # subject named before the first number ("(1) A rivals B and (2) outperforms C": or just after it)
                first = _ENUM_MARK.search(text, s0, cm.start())
                lead = [m for m in before if m.end <= first.start()]
                subj = lead[-1] if lead else next((m for m in before if m.start >= first.end()), subj)
            if subj is not None and (self.self_re.search(text[subj.end:cm.start()])
                                     or _reports_on(text, subj.end, cm.start())):
                subj = None  # "... on A and B show that X outperforms": A is not the subject
            if subj is None and _ENABLES_IT.search(pre):
                # "bringing a boost to A and enabling it to outperform B": "it" is the A just named
                named = [m for m in ms if m.end <= cm.start() and m.type in MODELISH]
                subj = named[-1] if named else None
            subjects = [subj] if subj is not None else []
            if subj is not None:
                k = ms.index(subj)
                while k > 0 and ms[k - 1].type in MODELISH and ms[k - 1].start >= bed and \
                        _SUBJECT_LIST_SEP.fullmatch(text, ms[k - 1].end, ms[k].start) and \
                        not (loss and ms[k - 1].key in used_as_object):  # ("A beats B, and C trails D": not B)
                    k -= 1
                    subjects.insert(0, ms[k])
            if not subjects and introduced:
                ref = self.self_re.search(pre)
                if ref is not None and ref.group().lower() == "we" and cm.group().lower() not in self.out_words:
                    last = None
                    for last in self.self_re.finditer(pre):
                        pass
                    if last.group().lower() == "we" and _THAT_CLAUSE.search(pre, last.end()):
                        ref = None  # "we show that pre-training ... reaches better performance than B"
                # "pre-training on this corpus reaches better performance than B": a comparative phrase with no
                # name before it needs "our model" or the like to speak of the paper's own
                if ref or (not any(m.end <= cm.start() for m in ms) and cm.group().lower() in self.out_words):
                    own = [m for m in introduced if m.type in MODELISH]
                    # "our models outperform ...": every model the paper introduces; "our model": the first
                    if ref and _PLURAL_REF.search(ref.group()):
                        # "our models" is the family the paper introduces, else every model it introduces
                        family = [m for m in own if _is_family(text, m.text)]
                        subjects = family[:1] or _distinct(own)
                    else:
                        subjects = [_own_subject(own)] if own else []
            if subjects and objs:  # "A, B models tuned on ... that outperform B": the B compared against
                obj_keys = {o.key for o in objs}  # is not a subject (it appears before the cue as A's kind)
                subjects = [sj for sj in subjects if sj.key not in obj_keys]
            if not subjects or not objs:
                continue
            conf = 0.8 if subj is not None else 0.68
            for o in objs:
                used_as_object.add(o.key)
                for sj in subjects:
                    if o.key == sj.key:
                        continue
                    a, b = (o, sj) if passive else (sj, o)
                    add(a.key, "outperforms", b.key, sent, "outperform-cue" + ("-passive" if passive else ""), conf)

    def _compared_to(self, text, sent, ms, add) -> None:
        """"Compared to B, A achieves a 10% gain", "Relative to B, A improves accuracy by 4%": the name after
        the comma outperforms the one compared against, when a word of improvement follows it."""
        for i, b in enumerate(ms[:-1]):
            a = ms[i + 1]
            if b.type not in MODELISH or a.type != b.type or not _COMPARED_BEFORE.search(text, max(sent[0], b.start - 30), b.start):
                continue
            if not _COMMA_GAP.fullmatch(text, b.end, a.start):
                continue
            tail = text[a.end:min(sent[1], a.end + 80)]
            gain = _GAIN_WORD.search(tail)
            if gain and not _NEG_WORD.search(tail, 0, gain.start()) and not _WORSE_WORD.search(tail):
                add(a.key, "outperforms", b.key, sent, "compared-to", 0.7)

    # -------------------------------------------------------------- based_on
    @staticmethod
    def _resulting(text, by_sent, add) -> list:
        """"We apply our strategies to the Llama-3-8B model. The resulting model, Llama-3-Physician, ...": a
        sentence that opens on "the resulting model, A" continues the one before, whose only model is A's base.
        Gives back the new models so made."""
        made = []
        for i in range(1, len(by_sent)):
            (s0, _), ms = by_sent[i]
            if not ms or ms[0].type != "model" or not (_RESULTING.fullmatch(text, s0, ms[0].start) or (
                    not text[s0:ms[0].start].strip() and _AS_WE_NAME.match(text, ms[0].end))):
                continue
            a = ms[0]
            (p0, _), prev = by_sent[i - 1]
            bases = {m.key for m in prev if m.type == "model" and m.key != a.key
                     and _MADE_FROM_BEFORE.search(text, max(p0, m.start - 60), m.start)}
            if len(bases) == 1:
                add(a.key, "based_on", bases.pop(), by_sent[i][0], "resulting-model", 0.62)
                if a.gaz_id is None:
                    made.append((a, by_sent[i][0]))
        return made

    @staticmethod
    def _variants(by_sent, add, introduced) -> None:
        """Lineage written in the names themselves.

        - A sized or tuned variant of a model named earlier is based on it: "mGPT XL" on "mGPT",
          "Llama3-8B-Instruct" on "Llama3-8B" (the base's name followed by a size or variant word; a base
          named only after the variant is a short back-reference, not a base, except for a new version of
          the paper's own: "CosyVoice 2" on "CosyVoice"; a size alone counts only for the paper's own models:
          "BERT-Large" named in passing is one size of BERT, not a new model).
        - A new model or method whose name is another one's joined to a word is based on it: "Mental-Alpaca"
          on "Alpaca", "LoRA-GGPO" on "LoRA", "In-Context RALM" on "RALM", "UL2R" on "UL2" (only for what the
          paper introduces: "Alpaca-LoRA" used as a baseline is left alone)."""
        first: dict[str, tuple] = {}
        own = {m.key for m in introduced}
        for sent, ms in by_sent:
            for m in ms:
                if m.type in MODELISH and m.key not in first:
                    first[m.key] = (m, sent)

        def own_version(a, b) -> bool:  # "CosyVoice 2", the paper's new version of "CosyVoice"
            return a.key in own and VERSION_SUFFIX.fullmatch(a.text[len(b.text):]) is not None

        for a, sent in first.values():
            if a.type != "model":
                continue
            low = a.text.lower()
            bases = [b for b, _ in first.values() if b.type in MODELISH and b.key != a.key
                     and len(b.text) < len(a.text) and low.startswith(b.text.lower())
                     and (_variant_rest(a.text[len(b.text):]) or own_version(a, b))
                     and (b.start < a.start or own_version(a, b))]
            if bases:
                b = max(bases, key=lambda x: len(x.text))  # the nearest base: Llama-3-8B, not Llama-3
                if _SIZE_ONLY.fullmatch(a.text[len(b.text):]) and (
                        (a.key not in own and b.key not in own) or (a.gaz_id and b.gaz_id)):
                    continue  # "PaLM 540B", "BERT-Large" named in passing, or a listed size of a listed family
                    # (the family link says it): one size of a known family
                add(a.key, "based_on", b.key, sent, "variant-of", 0.66)
        texts: dict[str, set[str]] = {}  # every spelling of a name: "Retrieval-Augmented Language Modeling", "RALM"
        for _, ms in by_sent:
            for m in ms:
                texts.setdefault(m.key, set()).add(m.text)
                if m.long_form:  # "HARPE" spelled out: "Head-Adaptive Rotary Position Encoding"
                    texts[m.key].add(m.long_form)
        for a in introduced:
            if a.key not in first:
                continue
            for b, _ in first.values():
                if _lineage(a, b) and any(_compound_of(x, y) for x in texts[a.key] for y in texts[b.key]):
                    add(a.key, "based_on", b.key, first[a.key][1], "compound-of", 0.62)

    def _scan(self, rx: re.Pattern, low: str, present: frozenset):
        """The matches of a lineage pattern in the lowercased sentence, skipped at once when none of the
        strings every match contains occurs in it (``present``: the gate strings the sentence holds)."""
        g = self.gates[rx]
        return rx.finditer(low) if g is None or not present.isdisjoint(g) else ()

    def _based_on(self, text, sent, ms, add, introduced, patterns, own_only=False) -> list:
        """Lineage stated in one sentence. Gives back the new models the sentence says the authors made from
        another one ("we fine-tune B ... and obtain A")."""
        made: list = []

        def lineage(a, b, stated: str, sent, rule: str, conf: float) -> None:
            add(a.key, "based_on", b.key, sent, rule, conf)  # and the narrower statement where it holds
            if _fine_tuned(a, b, stated):
                add(a.key, "fine_tuned_from", b.key, sent, rule, conf)

        if not ms or (own_only and not patterns and not (any(m.type in MODELISH for m in introduced)
                                                         and self.own_re.search(text, sent[0], sent[1]))):
            return made
        s0, s1 = sent
        parts, pos = [], s0
        sizes: dict[int, list[int]] = {}  # slot -> the other sizes of its size list ("Gemma-2B/7B")
        head = -1
        for i, m in enumerate(ms):
            if m.name and head >= 0 and text[pos:m.start] == "/":
                sizes.setdefault(head, []).append(i)  # one slot for the whole list
                pos = m.end
                continue
            head = i
            parts.append(_unslot(_unwrapped(text[pos:m.start], i > 0)))
            parts.append(f"{SLOT_OPEN}{i}{SLOT_CLOSE}")
            pos = m.end
        parts.append(_unslot(_CLOSE_WRAP.sub("", text[pos:s1], count=1) if ms else text[pos:s1]))
        # "A (A-short), based on B", "Label Supervised LLaMA (LS-LLaMA), based on B": the bracketed name stands
        # for the phrase before it
        slotted = _BRACKETED.sub(r" \1", _ALIAS_PAREN.sub(r"\2", "".join(parts)))
        found = False
        low = slotted.lower()  # the patterns are compiled for lowercased text
        present = frozenset(x for x in self.gate_strings if x in low)
        for rx in patterns:
            for bm in self._scan(rx, low, present):
                ai, bi = int(bm.group("A")), int(bm.group("B"))
                subjects = [ai]
                while subjects[0] > 0 and \
                        _SUBJECT_LIST_SEP.fullmatch(text, ms[subjects[0] - 1].end, ms[subjects[0]].start):
                    subjects.insert(0, subjects[0] - 1)  # "A1, A2, and A3 based on B": every listed name
                if ai > bi:  # "fine-tune B ..., yielding A1, A2 and A3": the names listed after the first too
                    subjects += _list_after(text, ms, ai)
                    subjects = sorted(set(subjects))
                paired = [] if rx in self.based_merge else [bi, *_list_after(text, ms, bi, subjects)]
                if 1 < len(paired) == len(subjects) and (ai > bi or _RESPECTIVELY.search(text, s0, s1)):
                    # "fine-tune B1, B2 and B3 ..., yielding A1, A2 and A3", "A1 and A2, fine-tuned from B1 and
                    # B2 respectively": each name on the base in its place
                    pairs = list(zip((ms[i] for i in subjects), (ms[j] for j in paired)))
                else:
                    bases = [ms[bi]]
                    if rx in self.based_merge:  # "by merging B1 and B2": every listed base
                        while bi + 1 < len(ms) and bi + 1 != ai and \
                                _SUBJECT_LIST_SEP.fullmatch(text, ms[bi].end, ms[bi + 1].start):
                            bi += 1
                            bases.append(ms[bi])
                    subjects = [j for i in subjects for j in (i, *sizes.get(i, ()))]
                    bases = [x for b in bases for x in (b, *(ms[j] for j in sizes.get(ms.index(b), ())))]
                    if len(bases) > 1 and any(_size(b) for b in bases):
                        # "utilizing Gemma-2B/7B as the backbone, Zorb-2B ... and Zorb-7B": each size on its size
                        stem = _size_stem(ms[ai])
                        subjects += [i for i, m in enumerate(ms) if i not in subjects and stem and _size(m)
                                     and _size_stem(m) == stem]
                    pairs = [(a, b) for a in (ms[i] for i in subjects)
                             for b in ([b for b in bases if _size(b) and _size(b) == _size(a)] or bases)]
                for a, b in pairs:
                    if _lineage(a, b):
                        lineage(a, b, bm.group(), sent, "based-on-pattern", 0.75)
                        found = True
                        if rx in self.based_made and a.gaz_id is None and a.type == "model" and \
                                self.own_re.search(text, s0, s1) and (a, sent) not in made:
                            made.append((a, sent))
        for bm in () if own_only else _STYLE_LIST.finditer(low):
            b = ms[int(bm.group("B"))]
            for a_slot in re.findall(SLOT, bm.group("list")):
                a = ms[int(a_slot)]
                if _lineage(a, b):
                    add(a.key, "based_on", b.key, sent, "based-on-style-list", 0.7)
                    found = True
        own = [m for m in introduced if m.type in MODELISH]
        if found or not own:
            return made
        for rx in self.based_self:  # "It is fine-tuned from B", "Built on B, our model ...": the paper's own
            for bm in self._scan(rx, low, present):
                b = ms[int(bm.group("B"))]
                if _lineage(own[0], b) and b.key not in {m.key for m in own}:
                    lineage(own[0], b, bm.group(), sent, "based-on-own", 0.66)
                    found = True
        if found or not self.own_re.search(text, s0, s1):
            return made
        for rx in self.based_implicit:
            for bm in self._scan(rx, low, present):
                if _OTHERS_BEFORE.search(text, s0, ms[int(bm.group("B"))].start):
                    continue  # "Unlike prior work, which uses a Whisper encoder, we ...": someone else's base
                bases = [int(bm.group("B"))]
                while bases[-1] + 1 < len(ms) and \
                        _SUBJECT_LIST_SEP.fullmatch(text, ms[bases[-1]].end, ms[bases[-1] + 1].start):
                    bases.append(bases[-1] + 1)  # "we further pretrain GPT-J and LLaMA": every listed base
                for b in (ms[i] for i in bases):
                    if _lineage(own[0], b) and b.key not in {m.key for m in own}:
                        lineage(own[0], b, bm.group(), sent, "based-on-own", 0.62)
        return made
