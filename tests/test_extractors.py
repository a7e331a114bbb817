"""Extraction: entities, canonical names, relations and their evidence, on small hand-written abstracts."""
from __future__ import annotations

import json
import unicodedata

import pytest

from extractors import PIPE_NAMES, build_nlp
from extractors.candidates import URL_RE, _url_matches, find_urls, normalize_url
from extractors.normalize import name_key, parse_params, strip_variant
from extractors.rules import load_rule_data
from kg.errors import RuleDataError


def ents(ext, typ=None):
    return {e.name for e in ext.entities if typ is None or e.type == typ}


def rels(ext, pred):
    """Pairs of one relation; ``based_on`` includes its narrower ``fine_tuned_from`` (the guidelines' based_on)."""
    preds = (pred, "fine_tuned_from") if pred == "based_on" else (pred,)
    return {(r.subject, r.object) for r in ext.relations if r.predicate in preds}


def rels_objects(ext, pred):
    return {r.object for r in ext.relations if r.predicate == pred}


def test_pipeline_is_blank_english_plus_named_factories():
    nlp = build_nlp()
    assert nlp.lang == "en" and nlp.pipe_names == list(PIPE_NAMES)
    for name in PIPE_NAMES[1:]:
        meta = nlp.get_pipe_meta(name)
        assert meta.assigns, f"{name} declares what it assigns"
    # nothing trained is loaded: no vectors, and every component comes from this project's own factories
    assert nlp.vocab.vectors.shape[0] == 0
    assert all(nlp.get_pipe_meta(n).factory == n for n in nlp.pipe_names)


@pytest.mark.parametrize("a,b", [("Llama3-8B", "Llama-3-8B"), ("Llama-3-8B", "LLaMA 3 8B"), ("GPT-4", "gpt4"),
                                 ("The Pile", "the pile"), ("BIG-Bench Hard", "BIG Bench Hard"),
                                 ("TÜLU 2", "Tulu-2"), ('T\\"ULU 2', "Tulu 2"), ("Sabiá-65B", "Sabia 65B")])
def test_name_key_folds_variants(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a,b", [("GPT-4", "GPT-4 Turbo"), ("Llama 2", "Llama 3"), ("GPT-3.5", "GPT-35"),
                                 ("Qwen2", "Qwen2.5"), ("हिन्दी", "हिन्द"), ("Йога", "Иога"),
                                 ("Ελληνικά", "Ελληνικα")])
def test_name_key_keeps_different_things_apart(a, b):
    assert name_key(a) != name_key(b)


def test_params_and_variants():
    assert parse_params("Llama-2-7B") == 7e9
    assert parse_params("Mixtral 8x7B") == 56e9
    assert parse_params("OPT-350M") == 350e6
    assert parse_params("GPT-4") is None
    assert strip_variant("Llama-3-8B-Instruct") == "Llama-3"
    assert strip_variant("Mistral7B") == "Mistral" and strip_variant("OPT-1.3b") == "OPT"
    assert strip_variant("Zorbtral-8X7B") == strip_variant("Zorbtral-8x7B") == "Zorbtral"
    assert strip_variant("AT5B") == "AT5B"  # after a capital, digits and B are part of the name, not a size
    assert parse_params("Tele-FLM-1T") == 1e12 and strip_variant("Tele-FLM-1T") == "Tele-FLM"
    # a "k" after a model's name is its context length: no parameter count, but still a variant of the model
    assert parse_params("GPT-4-32k") is None and parse_params("MiniCPM-128K") is None
    assert strip_variant("GPT-4-32k") == "GPT-4"


def test_entity_parameter_counts(extract_one):
    ext = extract_one("T", "We compare Mixtral 8x7B, Phi2 2.7B, TinyLLaMA-1.1B, GPT-4-32k and Zorblat-1T with Phi-2. "
                           "Instruction datasets, namely Alpaca, are used.")
    by = {e.name: e for e in ext.entities}
    assert by["Mixtral 8x7B"].params == 46.7e9  # the listed count, not 8 x 7B read off the name
    assert by["GPT-4-32k"].params is None and by["Zorblat-1T"].params == 1e12
    # the listed model at its only size is that model, one entity with the sized spelling as an alias
    assert by["Phi-2"].params == 2.7e9 and "Phi2 2.7B" in by["Phi-2"].aliases and "Phi2 2.7B" not in by
    assert by["TinyLlama"].params == 1.1e9 and by["TinyLlama"].family is None
    assert by["Alpaca"].type == "dataset" and by["Alpaca"].params is None  # no model's size on a dataset


def test_the_gpt_series_has_no_size_of_its_own(extract_one):
    ext = extract_one("T", "GPT-style models such as OpenAI GPT and GPT-2 are compared.")
    by = {e.name: e for e in ext.entities}
    assert by["GPT-1"].params == 117e6 and by["GPT-1"].family == "GPT" and "OpenAI GPT" in by["GPT-1"].aliases
    rd = load_rule_data()
    assert rd.lookup("GPT").params is None


def test_spellings_compare_without_latin_accents():
    rd = load_rule_data()
    assert rd.accepts("tulu-2-sft-mixture", "Tülu V2 Mix")[0]  # listed as "Tulu V2 Mix"
    assert rd.accepts("tulu", "Tülu") == (True, True) and rd.accepts("tulu", 'T\\"ulu')[0]
    assert not rd.accepts("tulu", "tulu")[0]  # an everyday word still needs its listed case


def test_a_model_name_in_a_list_of_benchmarks_is_a_benchmark(extract_one):
    ext = extract_one("T", "We fine-tune Llama 2 and report results on held-out benchmarks, including FLAN, MMLU and BBH.")
    assert "FLAN" in ents(ext, "benchmark") and "Llama 2" in ents(ext, "model")
    flan = next(e for e in ext.entities if e.name == "FLAN")
    assert flan.gazetteer_id is None and flan.family is None  # not the listed FLAN model, nor of its family
    # the list must follow the word: baselines named after "benchmarks" stay models
    for text in ("ZorbLM sets a new state of the art on five benchmarks, outperforming strong baselines such as "
                 "Mistral and Llama 2.", "On standard benchmarks ZorbLM beats open competitors, including Llama 2."):
        assert "Llama 2" in ents(extract_one("T", text), "model"), text


@pytest.mark.parametrize("name", ["ZorbGPT V2", "ZorbLM V2", "ZorbLM 2.5"])
def test_a_version_written_apart_keeps_the_type_the_name_ending_gives(extract_one, name):
    ext = extract_one("T", f"We train {name} and evaluate it on GSM8K.")
    assert name in ents(ext, "model"), ents(ext)


@pytest.mark.parametrize("name", ["ZorbNet V2", "ZorbNet v3", "ZorbNet V2.5", "ZorbNet 2.5"])
def test_a_version_written_apart_belongs_to_the_name(extract_one, name):
    ext = extract_one("T", f"Our QuilloLM model outperforms {name}, a strong language model, on ChemBench.")
    assert name in ents(ext, "model") and not any(e.startswith(("V", "v")) for e in ents(ext)), ents(ext)


def test_a_listed_model_with_a_word_of_the_paper_is_its_variant(extract_one):
    ext = extract_one("T", "We release GLM-4-Air and Bloomz-Doctor, two chat models, and compare them with "
                           "Zorb-Doctor and BERT-based models.")
    fams = {e.name: e.family for e in ext.entities if e.type == "model"}
    assert fams.get("GLM-4-Air") == "GLM-4" and fams.get("Bloomz-Doctor") == "BLOOMZ", fams
    assert fams.get("Zorb-Doctor") is None  # no listed model in it


def test_a_family_is_a_model_family(extract_one):
    ext = extract_one("MT-Ladder: A Model-Agnostic Framework Boosting LLM-based Machine Translation",
                      "We train MT-Ladder-2B and MT-Ladder-7B using Gemma-2B/7B as the backbone.")
    by = {e.name: e for e in ext.entities}
    assert by["MT-Ladder"].type == "method" and by["MT-Ladder-7B"].type == "model"
    assert by["MT-Ladder-7B"].family is None and by["Gemma 7B"].family == "Gemma"


def test_a_plural_short_form_spelled_out_as_something_else_is_not_the_listed_name(extract_one):
    ext = extract_one("T", "Recent Generative Language Models (GLMs) are strong. We test pre-trained GLM knowledge "
                           "of BERT.")
    assert "GLM" not in ents(ext) and "GLMs" not in ents(ext) and "BERT" in ents(ext, "model")


def test_a_british_spelling_of_a_listed_expansion_is_no_redefinition(extract_one):
    ext = extract_one("T", "We pretrain with Masked Language Modelling (MLM) and compare MLM with "
                           "next-token prediction.")
    rd = load_rule_data()
    listed = rd.lookup("MLM")
    assert listed is not None and listed.name in ents(ext), ents(ext)


def test_a_model_fine_tuned_from_a_model_says_so(extract_one):
    ext = extract_one("T", "We introduce Zeta-7B, a chat model fine-tuned from Llama 2. ZetaData, a dataset "
                           "filtered from The Pile, is released. Our Zorb-7B is built on Mistral 7B.")
    tuned = {(r.subject, r.object) for r in ext.relations if r.predicate == "fine_tuned_from"}
    based = {(r.subject, r.object) for r in ext.relations if r.predicate == "based_on"}
    assert tuned == {("Zeta-7B", "Llama 2")}, ext.relations
    assert ("Zeta-7B", "Llama 2") in based  # the contract's based_on holds every lineage pair
    assert any(a == "Zorb-7B" for a, b in based), based  # built on: based_on only


def test_a_refused_spelling_takes_no_type_from_the_listed_name(extract_one):
    ext = extract_one("MARIO: MAth Reasoning with code Interpreter Output", "We evaluate MARIO on MATH and GSM8K.")
    assert "MAth" not in ents(ext) and "MATH" in ents(ext, "benchmark")


def test_an_unlisted_variant_names_its_family_in_plain_letters(extract_one):
    ext = extract_one("T", "We release Sabi\\'a-65B and Zorblat-13B, two open models for Portuguese.")
    fams = {e.name: e.family for e in ext.entities if e.type == "model"}
    assert fams.get("Zorblat-13B") == "Zorblat", fams
    assert any(f == "Sabiá" for f in fams.values()), fams


def test_urls_trimmed_and_hosts_normalised():
    text = ("Code: https://github.com/THUDM/GLM-130B. Weights at https://huggingface.host/THUDM}, see "
            "(https://example.org/page), and www.modelscope.cn/models/x;")
    found = {c.text: c.url for c in find_urls(text)}
    assert found == {"https://github.com/THUDM/GLM-130B": "https://github.com/THUDM/GLM-130B",
                     "https://huggingface.host/THUDM": "https://huggingface.co/THUDM",
                     "https://example.org/page": "https://example.org/page",
                     "www.modelscope.cn/models/x": "https://modelscope.cn/models/x"}
    assert normalize_url("http://hf.co/org/model/") == "https://huggingface.co/org/model"


def test_link_shorteners_without_a_scheme_are_links():
    found = {c.text: c.url for c in find_urls("Demo at aka.ms/zorbdemo. Code: bit.ly/3xYz; not data.at/x or "
                                              "foo.aka.ms/y")}
    assert found == {"aka.ms/zorbdemo": "https://aka.ms/zorbdemo", "bit.ly/3xYz": "https://bit.ly/3xYz"}


@pytest.mark.parametrize("text", [
    "see www.x.org/a and github.com/a/b, https://hf.co/x}. huggingface.host/u/v and gitlab.com/g/h",
    "no link here at all, only e.g. foo.com and a://b",
    "https://a.io/x https://b.io/y www.c.io/z bitbucket.org/q modelscope.cn/m/n hf.co/o/p",
    "two glued:https://github.com/a/bhttps://github.com/c/d and mail x@github.com/y",
    "x" * 30 + "huggingface.co/org/model" + " " + "github.com/" * 3,
    "short links aka.ms/a, shorturl.at/b and tinyurl.com/c; x.aka.ms/d is no short link",
])
def test_url_scan_near_gates_finds_what_a_full_scan_finds(text):
    assert [(m.start(), m.group()) for m in _url_matches(text)] == [(m.start(), m.group()) for m in URL_RE.finditer(text)]


def test_one_entity_per_canonical_name(extract_one):
    ext = extract_one("A study", "We compare Llama3-8B, Llama-3-8B and LLaMA 3 8B with GPT-4 and GPT-4 Turbo. "
                                  "Llama 2 is older than Llama 3.")
    models = [e for e in ext.entities if e.type == "model"]
    names = [e.name for e in models]
    assert len(names) == len(set(names))
    llama38 = [e for e in models if name_key(e.name) == "llama38b"]
    assert len(llama38) == 1 and len(llama38[0].mentions) == 3
    assert llama38[0].params == 8e9 and llama38[0].family
    assert {"GPT-4", "GPT-4 Turbo"} <= set(names)
    assert len({name_key(n) for n in names} & {"llama2", "llama3"}) == 2


def test_mention_offsets_index_the_fields(extract_one):
    title = "FooLM: A Small Model"
    abstract = "We introduce FooLM, a language model. FooLM outperforms GPT-2 on MMLU and GSM8K."
    ext = extract_one(title, abstract)
    assert {"FooLM", "GPT-2", "MMLU", "GSM8K"} <= ents(ext) and len(ext.relations) >= 4  # (the loops check something)
    assert {m.field for e in ext.entities for m in e.mentions} == {"title", "abstract"}
    for e in ext.entities:
        for m in e.mentions:
            src = title if m.field == "title" else abstract
            assert src[m.start:m.end] == m.text
    for r in ext.relations:
        src = title if r.evidence.field == "title" else abstract
        assert src[r.evidence.start:r.evidence.end] == r.evidence.text


def test_new_names_and_relations(extract_one):
    ext = extract_one(
        "ZetaBench: Measuring Reasoning",
        "We present ZetaBench, a new benchmark for multi-step reasoning. We also release Zeta-7B, a language model "
        "fine-tuned from Mistral-7B. Experiments on ZetaBench, GSM8K and MATH show that Zeta-7B outperforms "
        "Llama-2-13B and Vicuna-13B, while it is outperformed by GPT-4. Code: https://github.com/zeta/zeta.")
    assert "ZetaBench" in ents(ext, "benchmark")
    assert "Zeta-7B" in ents(ext, "model")
    intro = {o for _, o in rels(ext, "introduces")}
    assert {"ZetaBench", "Zeta-7B"} <= intro
    evald = {o for _, o in rels(ext, "evaluated_on")}
    assert {"ZetaBench", "GSM8K", "MATH"} <= evald
    outp = rels(ext, "outperforms")
    assert {("Zeta-7B", "llama213b"), ("Zeta-7B", "vicuna13b")} <= {(a, name_key(b)) for a, b in outp}, outp
    assert any(a == "GPT-4" and b == "Zeta-7B" for a, b in outp), outp  # passive flipped
    assert ("Zeta-7B", "Mistral 7B") in rels(ext, "based_on") or any(
        a == "Zeta-7B" and name_key(b) == "mistral7b" for a, b in rels(ext, "based_on"))
    assert ("p1", "https://github.com/zeta/zeta") in rels(ext, "has_repository")
    for r in ext.relations:
        assert 0 < r.confidence <= 1 and r.rule


def test_lineage_written_in_names(extract_one):
    ext = extract_one(
        "QuokkaLM: Small Models that Reason",
        "We present QuokkaLM, a family of language models, and release QuokkaLM-1.3B and QuokkaLM XL. Our best "
        "fine-tuned models, Mental-Alpaca and Vega-LLaMA, outperform GPT-3.5. Later, QuokkaLM beats OPT.")
    models = ents(ext, "model")
    assert {"QuokkaLM-1.3B", "QuokkaLM XL", "Mental-Alpaca"} <= models, models  # the decimal size stays in the name
    based = rels(ext, "based_on")
    assert ("QuokkaLM-1.3B", "QuokkaLM") in based and ("QuokkaLM XL", "QuokkaLM") in based  # variants of an earlier base
    assert ("Mental-Alpaca", "Alpaca") not in based  # Alpaca is not named in the text
    intro = {o for _, o in rels(ext, "introduces")}
    assert {"Mental-Alpaca", "Vega-LLaMA"} <= intro, intro  # "our ... models, A and B"


def test_lowercase_versioned_names_and_subject_lists(extract_one):
    ext = extract_one("Prompt2Model: Deployable Models", "Prompt2Model trains models that outperform gpt-3.5-turbo. Mental-Alpaca and "
                                 "Mental-FLAN-T5 surpass llama-2-7b, but the word llama alone is an animal.")
    assert {name_key("GPT-3.5 Turbo"), "llama27b"} <= {name_key(n) for n in ents(ext, "model")}, ents(ext, "model")
    outp = {(a, name_key(b)) for a, b in rels(ext, "outperforms")}
    assert ("Prompt2Model", name_key("GPT-3.5 Turbo")) in outp, outp  # "models that outperform" keeps its subject
    assert {a for a, _ in outp if a != "Prompt2Model"} == {"Mental-Alpaca", "Mental-FLAN-T5"}, outp
    assert all(name_key(n) != "llama" for n in ents(ext, "model"))


def test_back_reference_is_not_a_base(extract_one):
    ext = extract_one("A study", "We test Olmo 1B and Gemma 2B with noise. Later on, Olmo performs worse than Gemma.")
    assert not rels(ext, "based_on")


def test_backbone_and_obtain_cues(extract_one):
    ext = extract_one(
        "Tools for models",
        "We fine-tune LLaMA on ToolBench and obtain ToolLLaMA. By utilizing Gemma-2B as the backbone, "
        "Ladder-2B refines translations. We present InvestLM, tuned on LLaMA-65B, for finance.")
    based = {(a, name_key(b)) for a, b in rels(ext, "based_on")}
    assert {("ToolLLaMA", "llama"), ("Ladder-2B", "gemma2b"), ("InvestLM", "llama65b")} <= based, based


def test_lineage_in_appositions_and_data_lineage(extract_one):
    ext = extract_one(
        "Lineage in RETRO",
        "We train QW-LLaMA-Lite, a fully open source, 1.7-billion-parameter, LLaMA-based model. We test PICARDO "
        "(a T5 model for parsing). We evaluate Label Supervised LLaMA (LS-LLaMA), based on LLaMA-2-7B. "
        "The QuuxQA-Python dataset, a Python version of the QuuxQA benchmark, is released. Finally, we introduce "
        "a simple variant of the model, RETRO++, which improves on RETRO.")
    based = {(a, name_key(b)) for a, b in rels(ext, "based_on")}
    assert ("QW-LLaMA-Lite", "llama") in based, based  # "a ... B-based model" beside the name
    assert ("PICARDO", "t5") in based, based  # "(a B model ...)"
    assert any(a in ("LS-LLaMA", "Label Supervised LLaMA") and b == "llama27b" for a, b in based), based
    assert ("QuuxQA-Python", "quuxqa") in based, based  # data made from data
    assert ("RETRO++", "retro") in based, based
    # lineage never joins a model to data, in either direction
    types = {e.name: e.type for e in ext.entities}
    data = ("dataset", "benchmark")
    assert all((types[a] in data) == (types[b] in data) for a, b in rels(ext, "based_on"))


def test_coined_names_and_pronoun_subjects(extract_one):
    ext = extract_one(
        "Scripts",
        "Using Glot500-m, an mPLM pretrained on 500 languages, as our source model, we fine-tune it and refer to "
        "the resulting model as Furina. We show that Furina outperforms the original Glot500-m. A new method "
        "brings a boost to Mistral-7B and enables it to outperform GPT-4.")
    assert {"Furina", "Glot500-m"} <= ents(ext, "model"), ents(ext)  # "refer to ... model as X"; "an mPLM"
    assert "Furina" in {o for _, o in rels(ext, "introduces")}
    assert len([e for e in ext.entities if e.name == "Furina"][0].mentions) == 2  # the coined word, found again
    outp = {(a, name_key(b)) for a, b in rels(ext, "outperforms")}
    assert ("Furina", "glot500m") in outp, outp
    assert any(name_key(a) == "mistral7b" and b == "gpt4" for a, b in outp), outp  # "enables it to outperform"


def test_local_expansion_shadows_a_listed_abbreviation(extract_one):
    ext = extract_one("Graph Language Models",
                      "We introduce a novel language model, the Graph Language Model (GLM), for graphs. GLM beats GNNs.")
    glm = [e for e in ext.entities if "GLM" in (e.name, *e.aliases)]
    assert len(glm) == 1 and glm[0].name == "Graph Language Model" and glm[0].type == "model", glm
    assert glm[0].gazetteer_id is None  # not the listed GLM (General Language Model)
    assert "Graph Language Model" in {o for _, o in rels(ext, "introduces")}
    ext = extract_one("Adapters", "We use Low-Rank Adaptation (LoRA) on Llama 2.")
    assert [e.gazetteer_id for e in ext.entities if e.name == "LoRA"] == ["lora"]  # the listed expansion


def test_a_short_form_is_spelled_out_by_the_words_whose_initials_it_is(extract_one):
    from extractors.candidates import find_abbreviations
    text = "We tune it with Zany Zebra Optimization (ZZO) and plain Gradient Descent (GD)."
    # the letters of ZZO occur in order in "Zebra Optimization" already: the initials decide
    assert {p[2] for p in find_abbreviations(text)} == {"Zany Zebra Optimization", "Gradient Descent"}
    ext = extract_one("RL for LLMs", "The report examines novel approaches like Proximal Policy Optimization (PPO).")
    assert [e.gazetteer_id for e in ext.entities if e.name == "PPO"] == ["ppo"], ext.entities  # the listed expansion


def test_a_task_spelled_out_is_one_entity_across_papers():
    from kg.pipeline import extract
    from kg.records import Paper
    papers = [Paper(id="a", title="Bugs", abstract="LLMs help with zebra code repair (ZCR). ZCR tasks are hard.",
                    source="t:1"),
              Paper(id="b", title="More bugs", abstract="We study Zebra Code Repair (ZCR) tasks.", source="t:2")]
    exts = list(extract(papers))
    names = [{e.name for e in x.entities if "ZCR" in (e.name, *e.aliases)} for x in exts]
    assert names[0] == names[1] and len(names[0]) == 1, names  # one node, not "ZCR" beside "Zebra Code Repair"
    assert [e.type for x in exts for e in x.entities if e.name in names[0]] == ["task", "task"]


def test_title_lead_and_training_are_not_always_introductions(extract_one):
    ext = extract_one("LLaMA Beyond English: An Empirical Study on Transfer",
                      "We study LLaMA. As part of our experiments, we train T5-Base and T5-Large models from scratch.")
    assert not rels(ext, "introduces")
    ext = extract_one("GLM-130B: An Open Bilingual Pre-trained Model", "We introduce GLM-130B, a bilingual model.")
    assert {o for _, o in rels(ext, "introduces")} == {"GLM-130B"}


def test_process_names_and_which_we_call(extract_one):
    ext = extract_one("SPDF: Sparse Pre-training and Dense Fine-tuning for Large Language Models",
                      "We propose Sparse Pre-training and Dense Fine-tuning (SPDF). We translate FineWeb-Edu into "
                      "French, resulting in a final 300B-token dataset, which we call TransWeb-Edu. We use MIMIC III "
                      "and IV.")
    spdf = [e for e in ext.entities if "Sparse Pre-training and Dense Fine-tuning" in (e.name, *e.aliases)]
    assert spdf and spdf[0].type == "method", spdf  # a process noun ends the name (and the title's lead-in)
    assert "TransWeb-Edu" in ents(ext, "dataset"), ents(ext)  # "a ... dataset, which we call X"
    assert "IV" not in ents(ext)  # a roman numeral is not a name


def test_lineage_cues_from_a_fourth_batch(extract_one):
    ext = extract_one(
        "Aurora-M: An Open Multilingual Model",
        "Continually pretrained from StarCoderPlus on 435 billion additional tokens, Aurora-M surpasses 2 trillion "
        "tokens. We introduce HyperCLOVA, a Korean variant of 82B GPT-3 trained on Korean text. We also merge "
        "WizardLM and WizardMath based on Llama 2. We introduce FineWeb-Edu, a 1.3-trillion token collection of "
        "educational text filtered from FineWeb.")
    based = {(name_key(a), name_key(b)) for a, b in rels(ext, "based_on")}
    assert {("auroram", "starcoderplus"), ("hyperclova", "gpt3"), ("wizardlm", "llama2"), ("wizardmath", "llama2"),
            ("finewebedu", "fineweb")} <= based, based


def test_defined_words_and_titled_heads(extract_one):
    ext = extract_one(
        "Data",
        "Few-shot evaluations on Poeta, a suite of 14 Portuguese datasets, look good. We create Tele-Data, a "
        "comprehensive dataset of telecom text. In our evaluation of the Natural Instructions V2 benchmark, we "
        "improve. We evaluate on GEC datasets across multiple domains (CoNLL-2014, BEA-2019 and GMEG-wiki). "
        "Recently, a new method appeared.")
    data = ents(ext, "benchmark") | ents(ext, "dataset")
    assert {"Poeta", "Tele-Data", "CoNLL-2014", "BEA-2019", "GMEG-wiki"} <= data, data
    assert any("Natural Instructions V2" in (e.name, *e.aliases) for e in ext.entities if e.type in ("benchmark", "dataset"))
    assert "Recently" not in ents(ext)  # a sentence-initial word before ", a" is no name


def test_new_apposition_introduces(extract_one):
    ext = extract_one("Questions", "Results on MegaQA, a new benchmark for question answering, are shown.")
    assert "MegaQA" in {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")


def test_fine_tuned_on_does_not_end_the_comparison(extract_one):
    ext = extract_one("Exams", "GPT-4 outperforms earlier models (GPT-3.5) as well as models fine-tuned on medical "
                               "knowledge (Med-PaLM). GPT-4 outperforms BERT on MMLU and PaLM.")
    outp = {(a, name_key(b)) for a, b in rels(ext, "outperforms")}
    assert ("GPT-4", "medpalm") in outp and ("GPT-4", name_key("GPT-3.5")) in outp, outp
    assert ("GPT-4", "palm") not in outp  # after "on MMLU" comes the setting, not an opponent


def test_a_size_named_in_passing_is_no_lineage(extract_one):
    ext = extract_one("Reading", "We compare with BERT and RoBERTa. Our model beats BERT-Large and RoBERTa-Large.")
    assert not rels(ext, "based_on")
    ext = extract_one("QuokkaLM: Small Models", "We present QuokkaLM, a family of models. QuokkaLM-7B is the largest.")
    assert ("QuokkaLM-7B", "QuokkaLM") in rels(ext, "based_on")  # a size of the paper's own model


def test_lineage_from_versions_spellings_and_resulting_models(extract_one):
    ext = extract_one("VoxNova 2: Streaming Speech Models", "We present VoxNova 2. It improves on VoxNova, a speech synthesis model.")
    assert ("VoxNova 2", "VoxNova") in rels(ext, "based_on")  # the paper's new version of a model named later
    ext = extract_one("Retrieval", "Retrieval-Augmented Language Modeling (RALM) helps. We propose a simple method "
                                   "called In-Context RALM that prepends documents.")
    assert any(a == "In-Context RALM" for a, _ in rels(ext, "based_on")), rels(ext, "based_on")
    ext = extract_one("Transfer", "We translate FineWeb-Edu, a web dataset, into French, resulting in a final "
                                  "300B-token dataset, which we call TransWeb-Edu.")
    assert ("TransWeb-Edu", "FineWeb-Edu") in rels(ext, "based_on"), rels(ext, "based_on")


def test_improvement_over_and_the_base_of_an_opponent(extract_one):
    ext = extract_one("Plans", "Mistral-7B demonstrates up to a 5.6% improvement over Falcon-7B on HumanEval. GPT-4 "
                               "outperforms Med-PaLM, a prompt-tuned version of Flan-PaLM 540B.")
    outp = {(name_key(a), name_key(b)) for a, b in rels(ext, "outperforms")}
    assert ("mistral7b", "falcon7b") in outp, outp  # "an improvement over B"
    assert ("gpt4", "medpalm") in outp and not any(b.startswith("flanpalm") for _, b in outp), outp


def test_surveys_bases_and_title_articles(extract_one):
    ext = extract_one("MME-Survey: A Comprehensive Survey on Evaluation of Multimodal LLMs", "We review MMLU.")
    assert not rels(ext, "introduces")  # a survey's lead-in names the survey, nothing new
    ext = extract_one("FinGPT: Models", "For model evaluation, we introduce FIN-bench, a version of BIG-bench.")
    intro = {o for _, o in rels(ext, "introduces")}
    assert "BIG-bench" not in intro and any("FIN" in o for o in intro), intro
    ext = extract_one("The FineWeb Datasets: Decanting the Web", "We introduce FineWeb, a dataset.")
    assert "The FineWeb Datasets" not in ents(ext) and "FineWeb" in ents(ext, "dataset")
    title = [m for e in ext.entities for m in e.mentions if m.field == "title"]
    assert title and all(ext.paper.title[m.start:m.end] == m.text for m in title)  # offsets after "The "


def test_task_groups_are_not_benchmarks(extract_one):
    ext = extract_one("Code", "QuuxLM is trained for OpenMP tasks and helps APR tasks.")
    assert not {"OpenMP", "APR"} & (ents(ext, "benchmark") | ents(ext, "dataset")), ents(ext)
    ext = extract_one("Code", "We evaluate QuuxLM on the bAbI-X tasks and report accuracy.")
    assert "bAbI-X" in ents(ext, "benchmark")  # in an evaluation, "X tasks" names a benchmark


def test_short_acronyms_do_not_end_in_a_type(extract_one):
    ext = extract_one("Bias", "Unlike REALM, QuuxLM is strong. We study KBQA and CALM as problems.")
    assert "QuuxLM" in ents(ext, "model")  # a suffix types a longer name
    assert not {"KBQA", "CALM"} & ents(ext), ents(ext)  # a short all-capital acronym ends in QA or LM by chance


def test_listed_models_named_as_data_and_expansion_heads(extract_one):
    ext = extract_one("Chat", "We leverage instruction-following datasets from open projects, namely Alpaca, GPT4All and "
                              "Chat-Doctor. Pretraining datasets for open LLMs like Llama 3 are closed. We build "
                              "SciInstruct for training, and test on Context-Aware LAnguage Modeling Evaluation for "
                              "Portuguese (CALAME-PT).")
    assert {"Alpaca", "GPT4All"} <= ents(ext, "dataset"), ents(ext)
    assert "Llama 3" in ents(ext, "model")  # "like" belongs to "LLMs" here
    assert "SciInstruct" in ents(ext, "dataset")  # a CamelCase "...Instruct" names data; "-Instruct" a model
    calame = [e for e in ext.entities if "CALAME-PT" in (e.name, *e.aliases)]
    assert calame and calame[0].type == "benchmark", calame  # the head before "for": Evaluation


def test_kinds_are_not_introduced_but_own_versions_are(extract_one):
    ext = extract_one("MiniLM-X: Small Language Models", "We propose a RAG method for retrieval. We propose an "
                      "in-context learning (ICL) framework for tracking. MiniLM-X-DPO and MiniLM-X-128K do well.")
    intro = {o for _, o in rels(ext, "introduces")}
    assert {"MiniLM-X", "MiniLM-X-DPO", "MiniLM-X-128K"} <= intro, intro  # versions of the paper's own model
    assert not any(name_key(o) in ("rag", "icl", "incontextlearning", "retrievalaugmentedgeneration")
                   for o in intro), intro  # kinds of things, not their names


def test_latex_accents_in_names(extract_one):
    ext = extract_one("Portuguese", 'We introduce Gl\\\'orIA, a robust Portuguese decoder LLM. We also release T\\"ULU-X, '
                                    'a model. Gl\\\'orIA beats GPT-2.')
    names = ents(ext, "model")
    assert {"GlórIA", "TÜLU-X"} <= names, names  # shown with the accented letters
    glo = [e for e in ext.entities if e.name == "GlórIA"][0]
    assert all(ext.paper.abstract[m.start:m.end] == m.text for m in glo.mentions)  # offsets index the text as read
    assert "Gl\\\'orIA" in glo.aliases and len(glo.mentions) == 2
    assert name_key("Gl\\\'orIA") == name_key("GlórIA")
    assert not {"ULU-X", "orIA"} & ents(ext)


@pytest.mark.parametrize("raw,view", [
    ("We introduce \\textsc{Zorro}, tuned from Llama~2~\\cite{touvron2023}.",
     "We introduce Zorro, tuned from Llama 2."),
    ("{\\sc OwlBench} and \\href{https://a.org/b}{our site}.", "OwlBench and https://a.org/b our site."),
    ("$\\sim$5\\% on English$\\rightarrow$German", "5% on English German"),
    ("a $1.3$B model, $k$ shots, T\\\"ULU and V\\~oro", "a 1.3B model, $k$ shots, T\\\"ULU and V\\~oro"),
    ("$k$ shots, T\\\"ULU and V\\~oro, \\$5", None),  # math with a letter, accents and an escaped dollar stay
    ("5\\% on Q\\&A with code\\_llama", "5% on Q&A with code_llama"),
    ("see https://x.org/~user/a~b and a~b", "see https://x.org/~user/a~b and a b"),
    ("\\textbf{A \\emph{B} C} \\textsc{open", "A B C \\textsc{open"),  # (an unclosed group is left as it is)
    ("plain text, no markup", None),
    ("see \\eg{} and \\ie\\ this, \\etal", "see e.g. and i.e. this, et al."),
    ("GPT\u20114o and Lla\u00adma\u200b 3", "GPT-4o and Llama 3"),
    ("_GPT-4o_ and _Llama 2_, code_llama, __init__, Lla\\-ma, \uff27\uff30\uff34\uff0d\uff14\uff4f",
     "GPT-4o and Llama 2, code_llama, __init__, Llama, GPT-4o"),
])
def test_reading_view_reads_through_markup(raw, view):
    from extractors.normalize import reading_view
    got, index = reading_view(raw)
    assert got == (raw if view is None else view)
    if view is None:
        assert index is None
    else:  # each character of the view comes from its place in the text as read (a tie or a dropped
        # symbol between two words reads as a space); no index when nothing was taken out
        index = index.starts if index is not None else list(range(len(raw)))
        assert len(index) == len(got) and index == sorted(index)
        assert all(raw[i] == c or c in " -" or c in unicodedata.normalize("NFKC", raw[i]) or raw[i] in "\\&$"
               for i, c in zip(index, got))  # (a macro, a character reference or math stands for its word)


def test_names_in_latex_markup(extract_one):
    title = "\\textsc{Zorro}: a small model"
    abstract = ("We introduce \\textsc{Zorro}, a 7B model fine-tuned from Llama~2~\\cite{touvron2023}. "
                "\\textsc{Zorro} outperforms Claude~3 Opus on {\\sc OwlBench} by $\\sim$5\\%. "
                "Code: \\url{https://github.com/foo/zorro}. We further introduce T\\\"ulu-Z, a model.")
    ext = extract_one(title, abstract)
    assert ("p1", "Zorro") in rels(ext, "introduces"), ext.relations  # not hidden by \textsc{...}
    assert ("Zorro", "Llama 2") in rels(ext, "based_on")  # "Llama~2" is Llama 2, not LLaMA
    assert ("Zorro", "Claude 3 Opus") in rels(ext, "outperforms")
    assert "OwlBench" in ents(ext, "benchmark") and "https://github.com/foo/zorro" in ents(ext, "repo")
    for e in ext.entities:  # every mention's text is the text as read at its offsets, markup and all
        for m in e.mentions:
            assert (title if m.field == "title" else abstract)[m.start:m.end] == m.text
    assert "Llama~2" in [m.text for e in ext.entities if e.name == "Llama 2" for m in e.mentions]
    for r in ext.relations:  # and every sentence of evidence, with the markup that opens it
        ev = r.evidence
        assert (title if ev.field == "title" else abstract)[ev.start:ev.end] == ev.text
    outp = [r for r in ext.relations if r.predicate == "outperforms"][0]
    assert outp.evidence.text.startswith("\\textsc{Zorro} outperforms"), outp.evidence.text


@pytest.mark.parametrize("hyphen", ["\u2010", "\u2011"])
def test_names_written_with_unicode_hyphens_or_soft_hyphens(extract_one, hyphen):
    h = hyphen  # (web pages write "GPT-4o" with a non-breaking hyphen; PDFs leave soft hyphens inside words)
    abstract = (f"We introduce Zorro{h}7B, fine{h}tuned from Llama{h}2{h}7B. Zorro{h}7B outperforms GPT{h}4o "
                f"and Lla\u00adma 3 on MMLU{h}Pro.")
    ext = extract_one("Zorro", abstract)
    assert ("p1", "Zorro-7B") in rels(ext, "introduces"), ext.entities
    assert ("Zorro-7B", "Llama-2-7B") in rels(ext, "based_on")
    assert {("Zorro-7B", "GPT-4o"), ("Zorro-7B", "Llama 3")} <= rels(ext, "outperforms")
    assert ("p1", "MMLU-Pro") in rels(ext, "evaluated_on")
    for e in ext.entities:  # mentions are the text as read
        assert all(abstract[m.start:m.end] == m.text for m in e.mentions)
    assert [m.text for e in ext.entities if e.name == "Llama 3" for m in e.mentions] == ["Lla\u00adma 3"]


@pytest.mark.parametrize("abstract", [
    "We introduce “Zorro-7B”, a model fine-tuned from ‘Llama-2-7B’.",  # quotes
    "We introduce **Zorro-7B**, a model fine-tuned from `Llama-2-7B`.",  # Markdown
    "We introduce <b>Zorro-7B</b>, a model fine-tuned from <i>Llama-2-7B</i>.",  # HTML tags left in
    "We introduce Zorro-7B\u2020, a model fine-tuned from \U0001f999 Llama-2-7B.",  # a footnote mark, an emoji
    "We introduce Zorro-7B\u00b9 , a model ﬁne-tuned from Llama−2−7B.",  # a ligature, minus signs
    "We introduce Zorro-7B, a model fine tuned from Llama&#8209;2&#8209;7B.",  # "fine tuned", HTML references
])
def test_lineage_read_through_what_wraps_the_names(extract_one, abstract):
    ext = extract_one("Zorro-7B: a small model", abstract)
    assert rels(ext, "based_on") == {("Zorro-7B", "Llama-2-7B")}, (ext.entities, ext.relations)
    assert ents(ext, "model") == {"Zorro-7B", "Llama-2-7B"}
    for e in ext.entities:
        assert all(abstract[m.start:m.end] == m.text for m in e.mentions if m.field == "abstract")


def test_comparisons_read_through_dashes_entities_and_footnote_marks(extract_one):
    abstract = ("We introduce Zorro-7B. Zorro-7B out-performs GPT\u20134o\u00b9, Mistral\u20127B &amp; "
                "Llama&nbsp;2&nbsp;7B on MMLU*.")
    ext = extract_one("Zorro-7B", abstract)
    assert {o for _, o in rels(ext, "outperforms")} == {"GPT-4o", "Mistral 7B", "Llama-2-7B"}, ext.relations
    assert ("p1", "MMLU") in rels(ext, "evaluated_on")
    gpt = [e for e in ext.entities if e.name == "GPT-4o"][0]
    assert [m.text for m in gpt.mentions] == ["GPT\u20134o"]  # the text as read; the mark is not in the name


def test_a_character_reference_is_whole_in_offsets(extract_one):
    abstract = "We introduce Zorro-7B, a small model.&#160;Zorro-7B outperforms PanGu-&alpha; and PixArt-&Sigma;."
    ext = extract_one("Zorro", abstract)
    texts = {m.text for e in ext.entities for m in e.mentions}
    assert {"PanGu-&alpha;", "PixArt-&Sigma;"} <= texts, texts  # the end of a mention is the end of "&alpha;"
    outp = [r for r in ext.relations if r.predicate == "outperforms"]
    assert outp and all(r.evidence.text.startswith("Zorro-7B outperforms") for r in outp)  # not "#160;Zorro..."


def test_the_subject_of_a_comparison_is_the_name_an_apposition_describes(extract_one):
    ext = extract_one("Zorro", "Zorro-7B, a Llama-2-7B-based model, outperforms GPT-4o. Kestrel-13B, a model tuned "
                               "from Llama-2-13B, consistently beats Mistral-7B.")
    assert rels(ext, "outperforms") == {("Zorro-7B", "GPT-4o"), ("Kestrel-13B", "Mistral 7B")}, ext.relations


def test_a_makers_name_in_the_possessive_is_no_opponent(extract_one):
    ext = extract_one("Zorro", "We introduce Zorro-7B. Zorro-7B outperforms OpenAI's GPT-4o and Mistral's Mistral-7B.")
    assert rels(ext, "outperforms") == {("Zorro-7B", "GPT-4o"), ("Zorro-7B", "Mistral 7B")}, ext.relations
    ext = extract_one("Zorro", "We introduce Zorro-7B. Zorro-7B outperforms GPT-4's MMLU accuracy and surpasses "
                               "Llama 2's GSM8K score.")  # a model's result in the possessive is that model's
    assert rels(ext, "outperforms") == {("Zorro-7B", "GPT-4"), ("Zorro-7B", "Llama 2")}, ext.relations


def test_a_title_in_capitals_names_only_what_the_abstract_names(extract_one):
    ext = extract_one("ZORRO-7B: A SMALL MODEL FOR EVERY DEVICE",
                      "We introduce Zorro-7B, a model fine-tuned from Llama-2-7B.")
    assert ents(ext) == {"Zorro-7B", "Llama-2-7B"}, ents(ext)  # no SMALL, EVERY, DEVICE: every word is in capitals
    assert ("p1", "Zorro-7B") in rels(ext, "introduces")  # spelled as the abstract spells it
    ext = extract_one("KESTREL: AN OPEN MODEL", "We train a small model on public data.")
    assert ents(ext) == {"KESTREL"}, ents(ext)  # the lead-in before the colon is a name in any case
    ext = extract_one("ZORRO-7B: A SMALL MODEL", "We introduce Zorro-7B, a small open model.")
    assert ents(ext) == {"Zorro-7B"}, ents(ext)  # the abstract's "small" is no name


@pytest.mark.parametrize("name,sentence,base", [
    ("Hoopoe", "Hoopoe is a fine-tuned version of Falcon-40B.", "Falcon-40B"),
    ("Quokka-Med", "Quokka-Med is adapted from Mistral-7B to the clinical domain.", "Mistral 7B"),
    ("Gannet", "Gannet is trained on top of Llama-3-8B with reasoning traces.", "Llama-3-8B"),
    ("Marlin", "Marlin, a Llama-2-based chat model, supports tool use.", "Llama 2"),
    ("Kea", "Kea is a Qwen2-7B derivative specialised for chemistry.", "Qwen2-7B"),
    ("Plover", "Plover, distilled from Llama-2-70B, runs on a phone.", "Llama-2-70B"),
    ("Takahe", "Takahe is a LoRA fine-tune of Llama-2-7B on legal texts.", "Llama-2-7B"),
])
def test_lineage_of_a_name_whose_title_says_no_kind(extract_one, name, sentence, base):
    # "X: Technical Report" names no kind, and a coined name's type is then a guess ("method"); the sentence
    # saying what X was made from is the cue that it is a model, and its lineage is kept
    ext = extract_one(f"{name}: Technical Report", f"We introduce {name}. {sentence}")
    assert (name, base) in rels(ext, "based_on"), (ext.entities, ext.relations)
    assert [e.type for e in ext.entities if e.name == name] == ["model"]


@pytest.mark.parametrize("abstract", [
    "We present Wren, distilled from Llama-3-8B with a token-level objective. Wren outperforms Gemma-2B on MMLU.",
    "We release Wren, which is fine-tuned from Llama-3-8B. Wren outperforms Gemma-2B on MMLU.",
    "In this paper we introduce Wren. Wren is distilled from Llama-3-8B and outperforms Gemma-2B on MMLU.",
])
def test_a_plain_word_introduced_without_a_kind_or_a_title_lead_in(extract_one, abstract):
    # no name shape, no "a ... model" after it and no "Wren:" title: the verb of introduction with the name
    # ending its clause (a full stop, "which", a participle of making) is the cue, and the lineage types it
    ext = extract_one("Small models distilled", abstract)
    assert ("p1", "Wren") in rels(ext, "introduces"), (ext.entities, ext.relations)
    assert ("Wren", "Llama-3-8B") in rels(ext, "based_on")
    assert [e.type for e in ext.entities if e.name == "Wren"] == ["model"]


@pytest.mark.parametrize("abstract", [
    "We present Bayesian inference for sparse models.",
    "In Section 3 we introduce Theorem 2. It bounds the error.",
    "We present Table 1, which lists the results.",
])
def test_a_capitalised_word_after_a_verb_of_introduction_is_not_always_a_name(extract_one, abstract):
    ext = extract_one("A note on sparse models", abstract)
    assert rels(ext, "introduces") == set(), (ext.entities, ext.relations)


@pytest.mark.parametrize("title,abstract,name,kind", [
    ("HalluBench: A Benchmark for Hallucination", "We introduce HalluBench, a benchmark for hallucination. HalluBench is "
     "built on LLaVA-1.5 responses. We evaluate ten models on HalluBench.", "HalluBench", "benchmark"),
    ("ShareCap: A Captioning Dataset", "We introduce ShareCap, a captioning dataset. ShareCap, distilled from GPT-4V, "
     "has 1M captions.", "ShareCap", "dataset"),
    ("FlowMix", "We propose FlowMix, a parameter-efficient fine-tuning method. FlowMix uses Llama-2-7B as its "
     "backbone.", "FlowMix", "method"),
])
def test_what_a_thing_is_made_from_does_not_override_its_stated_kind(extract_one, title, abstract, name, kind):
    ext = extract_one(title, abstract)
    assert [e.type for e in ext.entities if e.name == name] == [kind]


def test_a_loss_is_a_win_for_the_other(extract_one):
    ext = extract_one("Tern-2B", "We introduce Tern-2B. Tern-2B underperforms Llama-2-7B on knowledge tasks. "
                                 "Tern-2B lags behind GPT-4, falls short of Claude 3 Opus and trails Mistral-7B. "
                                 "Tern-2B outperforms Phi-2 and performs comparably to Gemma-2B.")
    assert rels(ext, "outperforms") == {("Llama-2-7B", "Tern-2B"), ("GPT-4", "Tern-2B"), ("Claude 3 Opus", "Tern-2B"),
                                        ("Mistral 7B", "Tern-2B"), ("Tern-2B", "Phi-2")}, ext.relations
    ext = extract_one("Tern-2B", "We introduce Tern-2B. Tern-2B does not lag behind GPT-4. GPT-4 is no worse than "
                                 "Llama-2-7B. GPT-4 hardly underperforms Llama-2-7B. GPT-4 leaves long reasoning trails, "
                                 "and Llama-2-7B trails of tokens are shorter.")
    assert not rels(ext, "outperforms"), ext.relations  # (a negated loss, or "trails" as a noun, states no win)
    ext = extract_one("A study", "On MMLU, GPT-4 leads, trailed by Llama-2-7B and Mistral-7B. GPT-4 is trailed only "
                                 "by Claude 2.")
    assert rels(ext, "outperforms") == {("GPT-4", "Llama-2-7B"), ("GPT-4", "Mistral 7B"), ("GPT-4", "Claude 2")}
    ext = extract_one("A study", "GPT-4 outperforms Llama-2-7B, which trails Mistral-7B on MMLU. Falcon-40B achieves "
                                 "better accuracy than Llama-2-13B, and Gemma-7B performs worse than Llama-2-13B.")
    assert rels(ext, "outperforms") == {("GPT-4", "Llama-2-7B"), ("Mistral 7B", "Llama-2-7B"),
                                        ("Falcon-40B", "Llama-2-13B"), ("Llama-2-13B", "Gemma 7B")}, ext.relations
    ext = extract_one("Zorb", "We introduce Zorb-7B. Zorb-7B outperforms comparably sized models such as Llama-2-7B.")
    assert rels(ext, "outperforms") == {("Zorb-7B", "Llama-2-7B")}  # "comparably sized" ends no list


def test_the_papers_own_evaluation_beside_others(extract_one):
    ext = extract_one("A study", "We evaluate Zorb on MMLU and other benchmarks, reporting gains on GSM8K and HumanEval. "
                                 "Unlike prior work that evaluates only on English, Zorb is evaluated on MATH.")
    assert {o for _, o in rels(ext, "evaluated_on")} == {"MMLU", "GSM8K", "HumanEval", "MATH"}, ext.relations


def test_evaluation_others_made_is_not_the_papers(extract_one):
    ext = extract_one("Wren", "We introduce Wren. Unlike prior work that evaluates only on MMLU, we focus on open-ended "
                              "generation. Existing models are typically evaluated on GSM8K, which is saturated. "
                              "We validate Wren on MT-Bench and AlpacaEval.")
    assert {o for _, o in rels(ext, "evaluated_on")} == {"MT-Bench", "AlpacaEval"}, ext.relations


def test_a_reasoning_effort_is_a_variant_of_the_listed_model(extract_one):
    ext = extract_one("Owl", "We adapt Llama-2-7B-low-resource settings. Owl-7B outperforms o3-mini-high, "
                             "o4-mini-high and o4-mini-low.")
    assert {o for _, o in rels(ext, "outperforms")} == {"o3-mini-high", "o4-mini-high", "o4-mini-low"}
    assert {e.family for e in ext.entities if e.name.startswith("o4-mini-")} == {"o4-mini"}
    assert "Llama-2-7B" in ents(ext, "model")  # ("low-resource" is no effort)


def test_a_vision_models_size_letter_is_a_variant_of_the_listed_model(extract_one):
    ext = extract_one("Backbones compared", "We fine-tune Swin-T and DeiT-S on ImageNet-1K and compare with "
                                            "ConvNeXt-B, BEiT-L and ViT-H. The Swin Transformer backbone is strong.")
    fams = {e.name: e.family for e in ext.entities if e.type == "model"}
    assert fams == {"Swin-T": "Swin Transformer", "DeiT-S": "DeiT", "ConvNeXt-B": "ConvNeXt", "BEiT-L": "BEiT",
                    "ViT-H": "ViT", "Swin Transformer": None}, fams
    ext = extract_one("A study", "We compare GPT-J with GPT-4. Plan A and plan B-S are two options.")
    assert ents(ext) == {"GPT-J", "GPT-4"}, ents(ext)  # a listed longer name wins; a size letter needs a model


def test_links_end_at_typographic_quotes_and_lose_page_anchors(extract_one):
    ext = extract_one("Zorro", "Code: “https://github.com/foo/zorro”. See https://github.com/foo/zorro#readme "
                               "and https://huggingface.co/foo/zorro-7b\U0001f680 or https://github.com/foo/zorro…")
    assert ents(ext, "repo") == {"https://github.com/foo/zorro", "https://huggingface.co/foo/zorro-7b"}
    ext = extract_one("Zorro", "See https://modelscope.cn/#/models/damo/ofa_large/summary and "
                               "https://modelscope.cn/#/models/damo/ofa_base/summary.")
    assert len(ents(ext, "repo")) == 2  # a site that routes by the fragment: each its own page


def test_a_papers_own_name_macro_reads_as_its_title_name(extract_one):
    title = "SwitchLM: Adapting Language Models"
    abstract = ("We propose a novel model, \\methodname, fine-tuned from Llama-2-7B. \\methodname outperforms GPT-4 "
                "\\eg on MMLU, coupled with the \\attname mechanism.")
    ext = extract_one(title, abstract)
    assert ("SwitchLM", "Llama-2-7B") in rels(ext, "based_on") and ("SwitchLM", "GPT-4") in rels(ext, "outperforms")
    own = [e for e in ext.entities if e.name == "SwitchLM"][0]
    assert [m.text for m in own.mentions if m.field == "abstract"] == ["\\methodname", "\\methodname"]
    assert all(abstract[m.start:m.end] == m.text for m in own.mentions if m.field == "abstract")
    assert not any("attname" in e.name for e in ext.entities)  # a macro not where a paper names its work stays
    from extractors.normalize import own_macros
    assert own_macros("GrowLength: Faster Pretraining", "a method named ``\\growlength'' that") == \
        {"growlength": "GrowLength"}
    assert own_macros("A Study of Things", "we propose \\methodname") == {}  # (no name leads the title)


def test_a_listed_name_spelled_with_a_latex_accent(extract_one):
    ext = extract_one("Instruction tuning", 'We further introduce T\\"ulu, our best instruction-tuned model suite. '
                                            'A 65B T\\"ulu is released.')
    assert ("p1", "Tulu") in rels(ext, "introduces"), ext.entities  # the listed Tülu, lowercase after its accent
    tulu = [e for e in ext.entities if e.name == "Tulu"][0]
    assert [m.text for m in tulu.mentions] == ['T\\"ulu', 'T\\"ulu']


def test_a_name_glued_into_a_word_is_no_lineage(extract_one):
    ext = extract_one("WaveletGPT: Wavelets Meet Large Language Models", "We present WaveletGPT, a model. We compare "
                      "with GPT and BERT. We release CharBERT, a character-aware model, and Med-BERT, a model.")
    based = rels(ext, "based_on")
    assert ("WaveletGPT", "GPT") not in based and ("CharBERT", "BERT") not in based, based
    assert ("Med-BERT", "BERT") in based, based  # joined by a hyphen, the compound still names its base


def test_classical_learners_are_listed_methods(extract_one):
    ext = extract_one("Regression", "Claude 3 outperforms many supervised methods such as AdaBoost, SVM, Random Forest, "
                                    "KNN, or Gradient Boosting.")
    methods = ents(ext, "method")
    assert {"AdaBoost", "Support Vector Machine", "Random Forest", "k-Nearest Neighbors", "Gradient Boosting"} <= methods
    assert {b for a, b in rels(ext, "outperforms") if a == "Claude 3"} >= {"Support Vector Machine", "Random Forest"}


def test_kind_tails_and_capitalised_corpus_names(extract_one):
    ext = extract_one("An Open Corpus for Everyone", "We evaluate on AGI-Eval and Leaner-Eval and train on Leaner-Pretrain. "
                      "Models trained on the British National Corpus do well.")
    data = ents(ext, "benchmark") | ents(ext, "dataset")
    assert {"AGIEval", "Leaner-Eval", "Leaner-Pretrain", "British National Corpus"} <= data, data
    assert "Open Corpus" not in ents(ext)  # a title capitalises every word


def test_two_names_joined_by_a_slash(extract_one):
    ext = extract_one("Models", "QuokkaLM outperforms GPT-4/ChatGPT and Gemma-2B/7B on MMLU.")
    models = ents(ext, "model")
    assert {"GPT-4", "ChatGPT"} <= models and "GPT-4/ChatGPT" not in models, models
    assert {b for _, b in rels(ext, "outperforms")} >= {"GPT-4", "ChatGPT"}
    gemma = [e for e in ext.entities if e.name.startswith("Gemma")]
    assert {parse_params(e.name) for e in gemma} == {2e9, 7e9}, models  # one model per size of "Gemma-2B/7B"
    assert not any("7B" == a or "/" in a for e in ext.entities for a in e.aliases) and "7B" not in models


def test_size_lists_are_split_and_paired_by_size(extract_one):
    ext = extract_one("Zorb", "We introduce Zorb-7B/13B, fine-tuned from Llama-2-7B/13B. By utilizing Quokka-2B/9B "
                              "as the backbone, Wren-2B lifts scores, and Wren-9B can further enhance them.")
    assert {"Zorb-7B", "Zorb-13B"} <= rels_objects(ext, "introduces"), ext.relations
    lineage = {(name_key(a), name_key(b)) for a, b in rels(ext, "based_on")}
    assert {("zorb7b", "llama27b"), ("zorb13b", "llama213b"), ("wren2b", "quokka2b"),
            ("wren9b", "quokka9b")} <= lineage, lineage
    assert ("zorb7b", "llama213b") not in lineage and ("wren2b", "quokka9b") not in lineage, lineage
    zorb13 = next(e for e in ext.entities if e.name == "Zorb-13B")
    assert [m.text for m in zorb13.mentions] == ["13B"] and zorb13.type == "model"  # the offsets stay on the text


def test_net_names_are_models(extract_one):
    ext = extract_one("Vision", "We train GraphoNet and PolyNet-2 on images. The Net effect is small.")
    assert {"GraphoNet", "PolyNet-2"} <= ents(ext, "model"), ents(ext)
    assert "Net" not in ents(ext)


def test_a_proposed_lowercase_technique_is_a_method(extract_one):
    ext = extract_one("Decoding", "We propose grammar-aligned decoding (GAD), a sampling algorithm. Closed-book question "
                                  "answering (CBQA) is hard.")
    gad = [e for e in ext.entities if "GAD" in (e.name, *e.aliases)]
    assert gad and gad[0].type == "method" and "grammar-aligned decoding" in (gad[0].name, *gad[0].aliases), gad
    assert gad[0].name in {o for _, o in rels(ext, "introduces")}
    cbqa = [e for e in ext.entities if "CBQA" in (e.name, *e.aliases)]  # a task, not proposed here
    assert all(e.type == "task" for e in cbqa) and not {e.name for e in cbqa} & {o for _, o in rels(ext, "introduces")}


def test_powered_by_is_lineage(extract_one):
    ext = extract_one("LML", 'This paper proposes a new concept called "Language Model Learning (LML)" powered by a new '
                             'method called "Data-Augmented Prediction (DAP)".')
    assert any(name_key(a) in ("lml", "languagemodellearning") and name_key(b) in ("dap", "dataaugmentedprediction")
               for a, b in rels(ext, "based_on")), rels(ext, "based_on")


def test_type_cues_and_abbreviations(extract_one):
    ext = extract_one(
        "Data for all",
        "The QuuxQA dataset and the Blorp benchmark are used. Our method, Frobnicated Gradient Descent (FGD), "
        "is compared with a framework called OmniTune. We evaluate on ArcTic-Eval.")
    assert "QuuxQA" in ents(ext, "dataset")
    assert "OmniTune" in ents(ext, "method")
    assert "ArcTic-Eval" in ents(ext, "benchmark")
    fgd = [e for e in ext.entities if "FGD" in (e.name, *e.aliases)]
    assert fgd and "Frobnicated Gradient Descent" in (fgd[0].name, *fgd[0].aliases)


def test_type_follows_the_strongest_cue_over_mentions(extract_one):
    # the title's lead-in would say model ("Customizing LLMs"), the apposition says framework: the cue wins
    ext = extract_one("Zorbit: Customizing LLMs by Creating Toolsets",
                      "We present Zorbit, a general tool creation and retrieval framework for LLMs. Zorbit helps.")
    assert "Zorbit" in ents(ext, "method") and "Zorbit" not in ents(ext, "model")
    # "A <adjective> Framework ...": the head of the title's opening noun phrase, not the word "Model-Agnostic"
    ext = extract_one("Quillo: A Model-Agnostic Framework Boosting LLM-based Translation",
                      "Quillo refines drafts. Quillo-2B uses Gemma-2B as the backbone.")
    assert "Quillo" in ents(ext, "method")
    assert ("Quillo-2B", "Quillo") in rels(ext, "based_on")  # a sized instance of the framework
    # joined modifiers before one head: "a training and inference scheme"
    ext = extract_one("Swapping adapters", "We introduce AdapterSwop, a training and inference scheme that "
                                           "organizes knowledge.")
    assert "AdapterSwop" in ents(ext, "method")


def test_generic_phrases_are_not_entities(extract_one):
    ext = extract_one("Large Language Models: A Survey",
                      "Large language models (LLMs) and NLP systems are everywhere. This survey reviews LLMs, "
                      "their training data and state-of-the-art methods. Results matter.")
    assert not ents(ext, "model") and not ents(ext, "benchmark") and not ents(ext, "dataset")


def test_negated_comparison_is_dropped(extract_one):
    ext = extract_one("X", "FooLM-7B does not outperform GPT-4 on MMLU.")
    assert not rels(ext, "outperforms")


def test_extract_cli_contract(tmp_path, capsys):
    from kg.cli import main
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "paper-1", "title": "FooLM: Small",
                               "abstract": "We introduce FooLM-7B, a language model that outperforms GPT-2."}) + "\n"
                   + "{broken\n")
    assert main(["extract", str(src), "-o", "-", "--no-progress"]) == 0
    out, err = capsys.readouterr()
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 1
    row = rows[0]
    assert row["paper"]["id"] == "paper-1" and {"id", "title", "source"} <= row["paper"].keys()
    e = row["entities"][0]
    assert {"name", "type", "confidence", "mentions"} <= e.keys()
    assert {"text", "field", "start", "end"} <= e["mentions"][0].keys()
    r = row["relations"][0]
    assert {"subject", "predicate", "object", "confidence", "evidence"} <= r.keys()
    assert "in.jsonl:2: skipped: malformed JSON" in err


def test_extract_cli_no_usable_input_is_one_line(tmp_path, capsys):
    from kg.cli import main
    bad = tmp_path / "empty.csv"
    bad.write_text("")
    assert main(["extract", str(bad), "-o", str(tmp_path / "o.jsonl"), "--no-progress"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("kg extract: error: E002") and "Traceback" not in "\n".join(err)


def test_rule_data_errors_name_file_and_line(tmp_path):
    (tmp_path / "gazetteer.jsonl").write_text('{"id": "a", "name": "A", "type": "model"}\n{oops\n')
    with pytest.raises(RuleDataError, match=r"gazetteer.jsonl:2"):
        load_rule_data(str(tmp_path))
    (tmp_path / "gazetteer.jsonl").write_text('{"id": "a", "name": "A", "type": "model", "case": "upper"}\n')
    with pytest.raises(RuleDataError, match=r"gazetteer.jsonl:1: unknown case 'upper'"):
        load_rule_data(str(tmp_path))


def test_gazetteer_is_large_and_consistent():
    rd = load_rule_data()
    by_type = {}
    for e in rd.entries.values():
        by_type[e.type] = by_type.get(e.type, 0) + 1
    assert len(rd.entries) >= 500 and by_type["model"] >= 200 and by_type["benchmark"] >= 100
    for e in rd.entries.values():
        assert not e.family or e.family in rd.by_name, e
    assert not any(rd.is_stop(e.name) for e in rd.entries.values())


def test_gazetteer_file_is_sorted_and_spellings_are_unique():
    """Three of the checks extractors/data/README.md asks for: lines sorted by type and name, unique ids, and
    one entry per spelling."""
    from extractors.normalize import name_key
    from extractors.rules import DATA_DIR
    rows = [json.loads(line) for line in (DATA_DIR / "gazetteer.jsonl").read_text(encoding="utf-8").splitlines()]
    order = [(r["type"], r["name"]) for r in rows]
    assert order == sorted(order), [a for a, b in zip(order, order[1:]) if a > b][:5]
    assert len({r["id"] for r in rows}) == len(rows)
    owner: dict[str, str] = {}
    clashes = [(f, r["id"], owner[name_key(f)]) for r in rows for f in [r["name"], *r.get("aliases", [])]
               if owner.setdefault(name_key(f), r["id"]) != r["id"]]
    assert not clashes, clashes


def test_workers_give_the_same_result(sample_papers):
    from kg.config import Config
    from kg.pipeline import extract
    papers = sample_papers[:300]
    one = [e.to_json() for e in extract(papers, Config(workers=1))]
    two = [e.to_json() for e in extract(papers, Config(workers=2))]
    assert one == two


def test_no_mention_crosses_from_title_into_abstract(extract_one):
    for title, abstract, expected in [("A model called FooLM", "Bar Baz is a new language model.", {"FooLM"}),
                                      ("Towards Retrieval", "Augmented Generation (RAG) helps. We use GPT-4.",
                                       {"GPT-4"})]:
        ext = extract_one(title, abstract)
        assert expected <= ents(ext), ents(ext)  # (the loop below checks something)
        for e in ext.entities:
            assert "\n" not in e.name
            for m in e.mentions:
                assert (title if m.field == "title" else abstract)[m.start:m.end] == m.text


def test_slot_characters_in_text_are_harmless(extract_one):
    ext = extract_one("FooNet: a model", "We fine-tune \ue0007\ue001 and \u27e67\u27e7 based on Llama-2 models.")
    assert "FooNet" in ents(ext)


def test_list_typing_does_not_depend_on_hash_seed():
    import os
    import subprocess
    import sys
    code = ("from kg.pipeline import extract; from kg.records import Paper; "
            "e = next(extract([Paper(id='x', title='T', abstract='We compare GPT-4, ZorbQX and MMLU in this study.', "
            "source='s')])); print(sorted((x.name, x.type) for x in e.entities))")
    runs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                             env={**os.environ, "PYTHONHASHSEED": seed}) for seed in ("1", "2")]  # (side by side)
    outs = {p.communicate()[0] for p in runs}
    assert len(outs) == 1 and "ZorbQX" in outs.pop()


def test_long_abstract_is_processed(extract_one):
    base = "We introduce FooLM-7B, a language model fine-tuned from Llama-2-7B. It outperforms GPT-3.5 on MMLU. "
    ext = extract_one("Long", base * 2000)
    assert {"FooLM-7B", "MMLU"} <= ents(ext)
    assert all(m.end <= len(base) * 2000 for e in ext.entities for m in e.mentions)


def test_names_in_other_scripts_and_glued_numbers(extract_one):
    ext = extract_one("GlórIA: A Generative Model for Portuguese", "We present GlórIA, a language model. It runs on 4timesRTX cards.")
    assert "GlórIA" in ents(ext, "model")
    assert not any("times" in n for n in ents(ext))


def test_our_models_stands_for_every_introduced_model(extract_one):
    ext = extract_one("FooLM and BarLM: Two Models",
                      "We introduce FooLM-7B and BarLM-13B, two language models. Our models outperform Llama-2-13B.")
    assert {"FooLM", "BarLM"} <= ents(ext, "model")
    winners = {a for a, b in rels(ext, "outperforms") if name_key(b) == "llama213b"}
    assert {"FooLM-7B", "BarLM-13B"} <= winners


def test_kind_before_we_call_and_powering(extract_one):
    ext = extract_one("Zorbl", "We continue the pretraining of the multilingual BLOOM model on Finnish, resulting in a "
                               "176 billion parameter model we call ZORBLA. OpenAI's GPT-4 powering ChatGPT leads.")
    assert "ZORBLA" in ents(ext, "model")
    assert ("ZORBLA", "BLOOM") in rels(ext, "based_on")
    assert ("ChatGPT", "GPT-4") in rels(ext, "based_on")


def test_acronym_inside_a_proposed_lowercase_phrase(extract_one):
    ext = extract_one("Plans", "We propose an LLM planning workflow (LPW) for code. LPW improves Pass@1.")
    assert "LLM planning workflow" in ents(ext, "method"), ents(ext)


def test_latex_name_with_listed_version_number(extract_one):
    ext = extract_one("Tulu 2 notes", 'We release T\\"ULU 2, LLAMA-2 models finetuned on a mixture.')
    assert ("Tulu 2", "Llama 2") in rels(ext, "based_on"), rels(ext, "based_on")


def test_implicit_lineage_of_own_model_from_pretraining_and_compression(extract_one):
    ext = extract_one("Quokka: Portuguese Models",
                      "We present Quokka. We further pretrain GPT-J and LLaMA models on Portuguese texts.")
    assert {("Quokka", "GPT-J"), ("Quokka", "LLaMA")} <= rels(ext, "based_on"), rels(ext, "based_on")
    ext = extract_one("Zebrin: compact models", "We introduce Zebrin. We use this guide to compress the Nemotron-4 "
                                                "family of LLMs by a factor of 2-4x.")
    assert ("Zebrin", "Nemotron-4") in rels(ext, "based_on"), rels(ext, "based_on")


def test_resulting_model_continues_the_sentence_before(extract_one):
    ext = extract_one("Stable pretraining", "We apply our strategies to the Llama-3-8B model. The resulting model, "
                                            "Llama-3-Medic, performs well. The resulting model, Foo-LM, was tested "
                                            "against GPT-4 and Llama-3-8B.")
    assert ("Llama-3-Medic", "Llama-3-8B") in rels(ext, "based_on"), rels(ext, "based_on")
    assert not any(a == "Foo-LM" for a, _ in rels(ext, "based_on"))  # no model in the sentence before


def test_capitalised_phrase_before_its_kind_is_introduced(extract_one):
    ext = extract_one("Engines", "For targeting, we propose an Adaptive Bad-case Sampling module, which adjusts "
                                 "ratios. For scaling, we introduce a Warmup-Stable-Decay (WSD) learning rate scheduler.")
    assert {"Adaptive Bad-case Sampling", "Warmup-Stable-Decay"} <= ents(ext, "method"), ents(ext)
    assert {"Adaptive Bad-case Sampling", "Warmup-Stable-Decay"} <= {o for _, o in rels(ext, "introduces")}
    # "WSD" spelled out as something else than the listed task is the paper's own
    assert "word sense disambiguation" not in ents(ext)
    ext = extract_one("Kinds", "We propose a GPT-based framework for x. We propose a Bayesian approach.")
    assert not rels(ext, "introduces"), rels(ext, "introduces")
    assert "GPT-based" not in ents(ext) and "Bayesian" not in ents(ext)


def test_title_opening_on_a_named_process(extract_one):
    ext = extract_one("Patch-Level Training for Large Language Models",
                      "This paper introduces patch-level training for LLMs, which cuts training cost.")
    assert "Patch-Level Training" in ents(ext, "method")
    assert "Patch-Level Training" in {o for _, o in rels(ext, "introduces")}
    ext = extract_one("Instruction Pre-Training: Language Models are Supervised Learners",
                      "We propose Instruction Pre-Training, which augments corpora with instructions.")
    assert "Instruction Pre-Training" in {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")
    for title in ("In-Context Learning for Few-Shot Dialogue State Tracking", "Beyond Fine-tuning for Clinical LLMs",
                  "LLM Post-Training: A Deep Dive into Reasoning"):
        assert not rels(extract_one(title, "We study it."), "introduces"), title


def test_own_names_beside_our_and_new_lists(extract_one):
    ext = extract_one("Dialogue states", "Results show that our method IC-DST outperforms fine-tuned systems.")
    assert "IC-DST" in {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")
    ext = extract_one("Indic models", "To avoid the curse of multilinguality in our multilingual mBaramo model, we "
                                      "pretrained on comparable corpora.")
    assert "mBaramo" in {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")
    ext = extract_one("Program synthesis", "We evaluate models on two new benchmarks, QuuxPy and ZorbQA-Python, in "
                                           "the few-shot regime.")
    assert {"QuuxPy", "ZorbQA-Python"} <= {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")


def test_a_model_made_from_another_is_introduced(extract_one):
    ext = extract_one("Tools", "We fine-tune LLaMA on ToolBench and obtain ToolZebraLM. ToolZebraLM is strong.")
    assert ("ToolZebraLM", "LLaMA") in rels(ext, "based_on")
    assert "ToolZebraLM" in {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")


def test_our_models_is_the_family_the_paper_introduces(extract_one):
    ext = extract_one("Quarko: small models", "We present Quarko, a family of novel language models. Our multilingual "
                                              "mQuarko model is one of them. Our models outperform Llama-2-13B.")
    winners = {a for a, b in rels(ext, "outperforms") if name_key(b) == "llama213b"}
    assert winners == {"Quarko"}, rels(ext, "outperforms")


def test_short_form_spelled_out_as_a_task_is_a_task(extract_one):
    ext = extract_one("Repairs", "LLMs do well on Software Engineering (SE) tasks such as Automated Program Repair "
                                 "(APR). We review ChatGPT on a clean APR benchmark.")
    assert {"Automated Program Repair", "Software Engineering"} <= ents(ext, "task"), ents(ext)
    assert not ents(ext, "benchmark")
    # a task-like name the paper itself introduces stays what the text says it is
    ext = extract_one("Long answers", "We present Zorbian Question Answering (ZQA), a benchmark of long questions. "
                                      "Models are evaluated on ZQA.")
    assert "ZQA" not in ents(ext, "task"), ents(ext)


LINEAGE_PHRASINGS = [
 "We present ZorbLM. ZorbLM is fine-tuned from Llama-2-7B on medical dialogues.",
 "We fine-tune Llama-2-7B on medical dialogues to obtain ZorbLM.",
 "We release ZorbLM, a fine-tuned version of Llama-2-7B.",
 "ZorbLM is built upon Llama-2-7B and trained on notes.",
 "ZorbLM is initialized from Llama-2-7B.",
 "Starting from Llama-2-7B, we train ZorbLM on medical notes.",
 "We train ZorbLM by fine-tuning Llama-2-7B on medical notes.",
 "ZorbLM is obtained by fine-tuning Llama-2-7B on medical notes.",
 "ZorbLM uses Llama-2-7B as its backbone.",
 "Built on Llama-2-7B, ZorbLM answers medical questions.",
 "ZorbLM extends Llama-2-7B with a retrieval module.",
 "ZorbLM, which is based on Llama-2-7B, answers questions.",
 "We instruction-tune Llama-2-7B on our data, resulting in ZorbLM.",
 "ZorbLM adopts the architecture of Llama-2-7B.",
 "ZorbLM is trained on top of Llama-2-7B.",
 "ZorbLM is derived from Llama-2-7B.",
 "ZorbLM is a distilled version of Llama-2-7B.",
 "ZorbLM is the instruction-tuned variant of Llama-2-7B.",
 "We continually pretrain Llama-2-7B on medical text, producing ZorbLM.",
 "ZorbLM inherits the weights of Llama-2-7B.",
 "ZorbLM is an improved version of Llama-2-7B.",
 "Based on Llama-2-7B, we develop ZorbLM, a medical assistant.",
 "We build ZorbLM on top of Llama-2-7B.",
 "ZorbLM leverages Llama-2-7B as the base model.",
 "ZorbLM is a LoRA-tuned Llama-2-7B.",
 "We introduce ZorbLM, a 7B model trained from Llama-2-7B.",
 "We further train Llama-2-7B on medical data and name the resulting model ZorbLM.",
 "ZorbLM is a medical model initialized with the weights of Llama-2-7B.",
 "Our model, ZorbLM, is fine-tuned on Llama-2-7B.",
 "We present ZorbLM, which fine-tunes Llama-2-7B on medical dialogues.",
 "ZorbLM, a Llama-2-7B model fine-tuned on medical data, is released.",
 "We develop ZorbLM by continually pre-training Llama-2-7B on 10B tokens.",
 "ZorbLM is trained from the Llama-2-7B checkpoint.",
 "We apply LoRA to Llama-2-7B, yielding ZorbLM.",
 "ZorbLM builds on Llama-2-7B.",
 "ZorbLM is a fine-tune of Llama-2-7B.",
 "ZorbLM (based on Llama-2-7B) answers questions.",
 "We use Llama-2-7B as the base model for ZorbLM.",
 "ZorbLM, built by fine-tuning Llama-2-7B, answers questions.",
 "ZorbLM is a version of Llama-2-7B tuned for medicine.",
 "ZorbLM is a Llama-2-7B model fine-tuned on medical data.",
 "ZorbLM, which is fine-tuned from Llama-2-7B, answers questions.",
 "ZorbLM is obtained by instruction-tuning Llama-2-7B on medical data.",
 "ZorbLM builds upon the Llama-2-7B architecture.",
 "Using Llama-2-7B as the foundation, we develop ZorbLM.",
 "ZorbLM is a Llama-2-7B-based model.",
 "ZorbLM is a LoRA adaptation of Llama-2-7B.",
 "ZorbLM is a quantized Llama-2-7B.",
 "ZorbLM is Llama-2-7B further trained on code.",
 "ZorbLM starts from Llama-2-7B and is trained on medical text.",
 "ZorbLM is a Llama-2-7B variant tuned for medicine.",
 "ZorbLM, a Llama-2-7B derivative, answers questions.",
 "ZorbLM is a descendant of Llama-2-7B.",
 "We build ZorbLM upon Llama-2-7B.",
 "We develop ZorbLM from Llama-2-7B.",
 "We derive ZorbLM from Llama-2-7B by pruning.",
 "We distill Llama-2-7B into ZorbLM.",
 "We initialize ZorbLM from the weights of Llama-2-7B.",
 "ZorbLM fine-tunes Llama-2-7B with LoRA.",
]


@pytest.mark.parametrize("sentence", [
    "ZorbLM is built by merging Llama-2-7B and Mistral-7B.",
    "ZorbLM was created by merging the weights of Llama-2-7B and Mistral-7B.",
    "We merge Llama-2-7B and Mistral-7B into ZorbLM.",
])
def test_a_merged_model_is_based_on_every_model_merged(extract_one, sentence):
    assert {("ZorbLM", "Llama-2-7B"), ("ZorbLM", "Mistral 7B")} <= rels(extract_one("ZorbLM: a model", sentence),
                                                                       "based_on")


@pytest.mark.parametrize("sentence", LINEAGE_PHRASINGS)
def test_common_lineage_phrasings(extract_one, sentence):
    ext = extract_one("ZorbLM: a medical model", sentence)
    assert ("ZorbLM", "Llama-2-7B") in rels(ext, "based_on"), rels(ext, "based_on")


OUTPERFORM_PHRASINGS = [
 "ZorbLM outperforms Llama-2-7B on MMLU.",
 "ZorbLM surpasses Llama-2-7B by 5 points on MMLU.",
 "ZorbLM beats Llama-2-7B on most benchmarks.",
 "ZorbLM significantly outperforms Llama-2-7B.",
 "ZorbLM achieves better results than Llama-2-7B.",
 "ZorbLM performs better than Llama-2-7B on MMLU.",
 "ZorbLM achieves higher accuracy than Llama-2-7B.",
 "Llama-2-7B is outperformed by ZorbLM on MMLU.",
 "Our model, ZorbLM, outperforms Llama-2-7B.",
 "ZorbLM yields a 5% improvement over Llama-2-7B.",
 "Compared to Llama-2-7B, ZorbLM achieves a 10% gain on MMLU.",
 "ZorbLM exceeds the performance of Llama-2-7B.",
 "ZorbLM consistently outperforms strong baselines such as Llama-2-7B.",
 "ZorbLM outperforms existing models, including Llama-2-7B.",
 "On MMLU, ZorbLM outperforms Llama-2-7B by a large margin.",
 "Experiments show that ZorbLM outperforms Llama-2-7B.",
 "ZorbLM matches or outperforms Llama-2-7B.",
 "ZorbLM is superior to Llama-2-7B on MMLU.",
 "ZorbLM improves over Llama-2-7B by 3 points.",
 "ZorbLM surpasses the previous state of the art, Llama-2-7B.",
 "ZorbLM even outperforms the much larger Llama-2-7B.",
 "ZorbLM shows superior performance over Llama-2-7B.",
 "ZorbLM achieves state-of-the-art results, outperforming Llama-2-7B.",
 "Relative to Llama-2-7B, ZorbLM improves accuracy by 4%.",
 "Compared to Llama-2-7B, the previous state of the art, ZorbLM represents a 6-point improvement on MMLU.",
 "ZorbLM obtains a higher score than Llama-2-7B.",
 "ZorbLM outperforms both GPT-3.5 and Llama-2-7B.",
 "ZorbLM achieves results competitive with GPT-4 and outperforms Llama-2-7B.",
 "ZorbLM is better than Llama-2-7B at reasoning.",
 "ZorbLM delivers stronger results than Llama-2-7B.",
 "We release ZorbLM, Llama-2-7B models tuned on our mix that outperform Llama-2-7B.",
]
NOT_OUTPERFORMING = [
 "ZorbLM does not outperform Llama-2-7B.",
 "Llama-2-7B outperforms ZorbLM on MMLU.",
 "ZorbLM performs comparably to Llama-2-7B.",
 "ZorbLM fails to outperform Llama-2-7B on MMLU.",
 "ZorbLM lags behind Llama-2-7B.",
 "Compared to Llama-2-7B, the previous state of the art, ZorbLM has no improvement on MMLU.",
    "We show that pre-training on this corpus reaches better performance than the original Llama-2-7B model.",
]


def test_a_name_compared_against_is_not_also_the_subject(extract_one):
    ext = extract_one("ZorbLM: a model", "We release ZorbLM, Llama-2-7B models tuned on our mix that outperform "
                                         "Llama-2-7B and its chat variant, Llama-2-7B-Chat.")
    wins = rels(ext, "outperforms")
    assert ("ZorbLM", "Llama-2-7B-Chat") in wins and ("Llama-2-7B", "Llama-2-7B-Chat") not in wins


@pytest.mark.parametrize("sentence", OUTPERFORM_PHRASINGS)
def test_common_outperform_phrasings(extract_one, sentence):
    assert ("ZorbLM", "Llama-2-7B") in rels(extract_one("ZorbLM: a model", sentence), "outperforms")


@pytest.mark.parametrize("sentence", NOT_OUTPERFORMING)
def test_statements_that_are_no_win(extract_one, sentence):
    assert ("ZorbLM", "Llama-2-7B") not in rels(extract_one("ZorbLM: a model", sentence), "outperforms")


INTRO_PHRASINGS = [
 "We introduce ZorbLM, a language model for medicine.",
 "We present ZorbLM, a 7B model.",
 "This paper proposes ZorbLM, a new model for medical QA.",
 "In this work, we propose ZorbLM.",
 "We release ZorbLM, an open model.",
 "We develop ZorbLM to answer medical questions.",
 "We propose a novel model, ZorbLM, for medical QA.",
 "We propose a new model called ZorbLM.",
 "We present a model named ZorbLM.",
 "We introduce a family of models, dubbed ZorbLM.",
 "To address this, we propose ZorbLM (Zorb Language Model).",
 "Our model, ZorbLM, answers medical questions.",
 "Here we describe ZorbLM, a medical model.",
 "ZorbLM, a new medical language model, is introduced.",
 "This paper introduces ZorbLM, which answers medical questions.",
 "We build ZorbLM, a medical assistant.",
 "We train ZorbLM, a 7B model, from scratch.",
 "We open-source ZorbLM, a medical model.",
 "In this paper, we present ZorbLM: a medical model.",
 "We call our model ZorbLM.",
 "We name the resulting model ZorbLM.",
 "We refer to our model as ZorbLM.",
 "The proposed model, ZorbLM, answers questions.",
 "We introduce ZorbLM and ZorbLM-Chat, two medical models.",
 "We present ZorbBench, a benchmark for medical QA.",
 "We construct ZorbSet, a dataset of 10K medical questions.",
 "We curate ZorbSet, a high-quality dataset.",
 "We introduce a new benchmark, ZorbBench, for medical QA.",
 "We collect a new dataset called ZorbSet.",
 "To evaluate, we build ZorbBench, a benchmark of 500 tasks.",
]


@pytest.mark.parametrize("sentence", INTRO_PHRASINGS)
def test_common_introduction_phrasings(extract_one, sentence):
    new = "ZorbBench" if "ZorbBench" in sentence else "ZorbSet" if "ZorbSet" in sentence else "ZorbLM"
    ext = extract_one("Medical question answering with language models", sentence)
    assert new in {o for _, o in rels(ext, "introduces")}, rels(ext, "introduces")


EVAL_PHRASINGS = [
 "We evaluate ZorbLM on MMLU and GSM8K.",
 "Experiments on MMLU and GSM8K show strong results.",
 "ZorbLM achieves 70% accuracy on MMLU and GSM8K.",
 "Results on MMLU and GSM8K demonstrate the effectiveness of our approach.",
 "We conduct experiments on MMLU and GSM8K.",
 "ZorbLM sets a new state of the art on MMLU and GSM8K.",
 "We benchmark ZorbLM on MMLU and GSM8K.",
 "Extensive evaluations on MMLU and GSM8K confirm the gains.",
 "On MMLU and GSM8K, ZorbLM outperforms all baselines.",
 "ZorbLM scores 80.1 on MMLU and 70.2 on GSM8K.",
 "We test ZorbLM on two benchmarks, MMLU and GSM8K.",
 "ZorbLM improves accuracy on MMLU and GSM8K by 5 points.",
 "Evaluated on MMLU and GSM8K, ZorbLM is competitive.",
 "Our experiments across MMLU and GSM8K show consistent gains.",
 "ZorbLM reaches 85% on MMLU and 60% on GSM8K.",
]


@pytest.mark.parametrize("sentence", EVAL_PHRASINGS)
def test_common_evaluation_phrasings(extract_one, sentence):
    ext = extract_one("ZorbLM: a model", sentence)
    assert {"MMLU", "GSM8K"} <= {o for _, o in rels(ext, "evaluated_on")}


@pytest.mark.parametrize("sentence", [
    "We train ZorbLM on MMLU and GSM8K.",
    "We apply our framework on the recent ZorbPile dataset to continually pre-train a 3B LM, achieving gains.",
    "It is applied to adapt Llama-2-7B on the ZorbPile corpus, where it improves results.",
])
def test_training_data_is_not_an_evaluation(extract_one, sentence):
    assert not rels(extract_one("ZorbLM: a model", sentence), "evaluated_on")


def test_the_base_of_a_new_benchmark_is_not_an_evaluation(extract_one):
    ext = extract_one("ZorbLM: a Finnish model", "For model evaluation, we introduce ZORB-bench, a version of BIG-bench "
                                                 "with Finnish tasks.")
    assert ("p1", "BIG-bench") not in rels(ext, "evaluated_on") and ("p1", "ZORB-bench") in rels(ext, "evaluated_on")
    ext = extract_one("ZorbLM: a Finnish model", "We evaluate ZorbLM on a version of BIG-bench with Finnish tasks.")
    assert ("p1", "BIG-bench") in rels(ext, "evaluated_on")


def test_pretext_tasks_are_methods_not_benchmarks(extract_one):
    ext = extract_one("ZorbLM: a retriever", "ZorbLM consists of two pretext tasks: ZBAE (Zorb-Based Auto-Encoding) "
                                             "and ZBAR (Zorb-Based Auto-Regression), which improve results.")
    assert not rels(ext, "evaluated_on") and not ents(ext, "benchmark")


MODEL_SPELLINGS = [
    "BERT BASE",
    "BERT-Large",
    "RoBERTa large",
    "GPT-2 medium",
    "T5-11B",
    "T5 XXL",
    "XLM-R Base",
    "mT5-XXL",
    "ELECTRA-small",
    "DistilBERT",
    "ALBERT-xxlarge",
    "DeBERTa-v3-large",
    "bert-base-uncased",
    "roberta-base",
    "xlm-roberta-large",
    "distilbert-base-uncased",
    "bert-large-cased",
    "gemini-1.5-pro-002",
    "gpt-4-0613",
    "Phi-3-mini-4k-instruct",
    "deepseek-coder-6.7b-instruct",
    "alpaca-7b",
    "ViT-L/14",
    "ResNet-152",
    "Longformer",
    "BART-large",
    "GPT-Neo 2.7B",
    "OPT-175B",
    "BERTBASE",
    "RoBERTaLARGE",
    "XLNet-Large",
    "GPT-3 175B",
    "Transformer-XL",
    "Reformer",
    "BigBird",
    "Pegasus",
    "ERNIE 2.0",
    "UniLMv2",
    "mBART-50",
    "ByT5",
    "CANINE",
    "SpanBERT",
    "LUKE",
    "KEPLER",
    "K-BERT",
    "TinyBERT",
    "MobileBERT",
    "ConvBERT",
    "MPNet",
    "CodeBERT",
    "GraphCodeBERT",
    "PLBART",
    "CodeT5",
    "Codex",
    "AlphaCode",
    "InCoder",
    "SantaCoder",
    "BLOOMZ",
    "mT0",
    "T0++",
    "Flan-T5-XXL",
    "UL2",
    "Gopher",
    "Chinchilla",
    "LaMDA",
    "Megatron-Turing NLG",
    "Jurassic-1",
    "GPT-J-6B",
    "Pythia-12B",
    "wav2vec 2.0",
    "HuBERT Large",
    "XLS-R",
]


@pytest.mark.parametrize("name", MODEL_SPELLINGS)
def test_model_names_found_whole(extract_one, name):
    text = f"We fine-tune {name} on the task and compare it with other systems."
    ext = extract_one("Study", text)
    s = text.index(name)
    spans = {(m.start, m.end) for e in ext.entities if e.type == "model" for m in e.mentions if m.field == "abstract"}
    assert (s, s + len(name)) in spans, [(e.name, e.type) for e in ext.entities]


DATA_SPELLINGS = [
    "SQuAD v1.1",
    "SQuAD 2.0",
    "GLUE",
    "SuperGLUE",
    "XNLI",
    "CoNLL-2003",
    "WikiText-103",
    "Penn Treebank",
    "ImageNet-1k",
    "MS MARCO",
    "Natural Questions",
    "TriviaQA",
    "HotpotQA",
    "The Pile",
    "C4",
    "OpenWebText",
    "BookCorpus",
    "CC-News",
    "MNLI",
    "SST-2",
    "QNLI",
    "RTE",
    "CoLA",
    "STS-B",
    "LAMBADA",
    "HellaSwag",
    "WinoGrande",
    "PIQA",
    "ARC-Challenge",
    "BoolQ",
    "MATH",
    "GSM8K",
    "HumanEval",
    "MBPP",
    "BIG-bench",
    "MMLU",
    "TruthfulQA",
    "ShareGPT",
    "P3",
    "xP3",
    "LibriSpeech",
    "Common Voice",
    "COCO",
    "Visual Genome",
    "VQAv2",
    "CIFAR-10",
    "MNIST",
    "WMT14",
    "IWSLT",
    "XSum",
    "CNN/DailyMail",
    "SNLI",
    "MultiNLI",
    "RACE",
    "DROP",
    "QuAC",
    "CoQA",
    "NarrativeQA",
    "WebQuestions",
    "ComplexWebQuestions",
    "FEVER",
    "KILT",
    "BEIR",
    "MTEB",
    "Spider",
    "WikiSQL",
    "APPS",
    "CodeSearchNet",
    "MultiWOZ",
    "PersonaChat",
    "OpenBookQA",
    "SciQ",
    "MedQA",
    "PubMedQA",
    "MedMCQA",
    "AlpacaEval",
    "MT-Bench",
    "Chatbot Arena",
    "HELM",
    "BBH",
    "AGIEval",
    "C-Eval",
    "CMMLU",
    "LongBench",
    "Needle in a Haystack",
    "RULER",
    "GPQA",
    "MMMU",
    "MathVista",
    "SWE-bench",
    "LiveCodeBench",
    "IFEval",
    "Arena-Hard",
    "WildBench",
    "FineWeb",
    "RedPajama",
    "Dolma",
    "RefinedWeb",
    "SlimPajama",
    "ROOTS",
    "OSCAR",
    "mC4",
    "CC-100",
    "Wikipedia",
    "Common Crawl",
    "UltraChat",
    "OpenOrca",
    "Anthropic HH",
    "UltraFeedback",
    "HH-RLHF",
    "Tulu V2 mix",
    "OpenHermes",
]


@pytest.mark.parametrize("name", DATA_SPELLINGS)
def test_data_names_found_whole(extract_one, name):
    text = f"We evaluate our model on {name} and report accuracy."
    ext = extract_one("Study", text)
    s = text.index(name)
    spans = {(m.start, m.end) for e in ext.entities if e.type in ("dataset", "benchmark") for m in e.mentions}
    assert (s, s + len(name)) in spans, [(e.name, e.type) for e in ext.entities]


DATA_LINEAGE_PHRASINGS = [
 "We introduce ZorbQA, a subset of Natural Questions with harder questions.",
 "ZorbQA is a subset of Natural Questions.",
 "ZorbQA is derived from Natural Questions.",
 "ZorbQA, a filtered version of Natural Questions, is released.",
 "ZorbQA is a cleaned version of Natural Questions.",
 "ZorbQA is constructed from Natural Questions.",
 "ZorbQA is built from Natural Questions by removing duplicates.",
 "We build ZorbQA by filtering Natural Questions.",
 "ZorbQA extends Natural Questions with multi-hop questions.",
 "ZorbQA is a multilingual extension of Natural Questions.",
 "We translate Natural Questions into 20 languages, resulting in ZorbQA.",
 "ZorbQA, a translation of Natural Questions into Swahili, is released.",
 "ZorbQA is sampled from Natural Questions.",
 "ZorbQA augments Natural Questions with rationales.",
 "ZorbQA re-annotates Natural Questions with new labels.",
 "Starting from Natural Questions, we create ZorbQA.",
 "ZorbQA is a harder variant of Natural Questions.",
 "ZorbQA repurposes Natural Questions for retrieval.",
]


@pytest.mark.parametrize("sentence", DATA_LINEAGE_PHRASINGS)
def test_common_data_lineage_phrasings(extract_one, sentence):
    ext = extract_one("ZorbQA: a dataset", sentence)
    assert ("ZorbQA", "Natural Questions") in rels(ext, "based_on"), rels(ext, "based_on")


def test_lineage_patterns_refuse_uppercase_escapes():
    from extractors.relations import _lowered
    assert _lowered(r"(?P<A>\d+) based on").match("12 based on")
    with pytest.raises(RuleDataError):
        _lowered(r"(?P<A>\d+)\S+ based on")


def test_long_capitalised_runs_do_not_hang_the_name_rules(extract_one):
    """A run of long capitalised hyphenated words once made a name rule backtrack for minutes."""
    import signal
    words = " ".join(["Uncertainty-Calibrated-Counterfactually-Augmented"] * 6)
    def hang(*_):
        raise TimeoutError("a name rule hangs")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(30)
    try:
        ext = extract_one("Study", f"We propose a {words} thing. We develop an {words} approach.")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert ext.paper.id == "p1"


@pytest.mark.parametrize("sentence", [
    "GPT-4 incurs higher inference latency than Llama 2 on long prompts.",
    "Mistral 7B yields higher perplexity than Llama 2 on code.",
    "Mistral 7B is trained with a higher learning rate than Llama 2.",
    "Vicuna relies on stronger teacher supervision rather than GPT-4 feedback.",
    "Compared with GPT-4, Llama 2 does not improve accuracy on MMLU.",
    "Compared to BERT, RoBERTa shows no improvement on SQuAD.",
    "Compared to GPT-4, Llama 2 has a higher inference latency.",
])
def test_comparisons_that_are_not_wins(extract_one, sentence):
    assert not rels(extract_one("T", sentence), "outperforms")


@pytest.mark.parametrize("title, sentence", [
    ("T", "Starting from GPT-2, we evaluate GPT-3 and OPT on reasoning."),
    ("FooLM-7B: x", "Starting with Llama 2, we benchmark FooLM-7B on MMLU."),
    ("T", "GPT-4 surpasses models obtained by fine-tuning LLaMA on instructions."),
    ("T", "We fine-tune BERT on MNLI, yielding RoBERTa-level accuracy."),
    ("FooNet: x", "We present FooNet. Unlike methods that prune Llama 2, our FooNet is trained from scratch."),
    ("FooNet: x", "We present FooNet. Unlike approaches employing the GPT-2 architecture, our FooNet is recurrent."),
    ("T", "We collect instructions annotated by GPT-4 and train a 7B model from scratch. The resulting model, FooLM, "
          "is strong."),
    ("FooLM: x", "We train FooLM on Llama-2-7B outputs."),
    ("FooLM: x", "We build FooLM on data generated by Llama-2-7B."),
    ("FooLM: x", "FooLM is a Llama-2-7B sized model."),
    ("FooLM: x", "FooLM is a GPT-4 level model that beats Llama-2-7B."),
    ("FooLM: x", "We merge the outputs of Llama-2-7B into one answer with FooLM."),
    ("FooLM: x", "FooLM starts from scratch, unlike Llama-2-7B."),
])
def test_sentences_that_state_no_lineage(extract_one, title, sentence):
    assert not rels(extract_one(title, sentence), "based_on")


@pytest.mark.parametrize("sentence", [
    "We evaluate our approach on the MedQA-X dataset and report accuracy.",
    "We compare our model with strong DeBERTa-Med models on three tasks.",
    "The release of new models, such as GPT-4 and Llama 2, changed the field. We study them.",
    "Many new benchmarks, MMLU and BIG-bench among them, have saturated. We study them.",
])
def test_names_near_our_or_new_that_are_not_introduced(extract_one, sentence):
    assert not rels(extract_one("T", sentence), "introduces")


def test_generic_titles_and_tuned_data_stay_unclaimed(extract_one):
    for title in ("Continual Pre-Training in Low-Resource Languages", "Adversarial Training for Robust Speech Recognition",
                  "Offline Reinforcement Learning via Sequence Modeling", "Zero-Shot Prompting for Code"):
        assert not rels(extract_one(title, "We apply the method to speech. Results improve."), "introduces"), title
    assert not ents(extract_one("T", "Stochastic Variational Inference (SVI) is used for training."), "task")
    assert not ents(extract_one("T", "Training on distilled OpenHermes-X data helps."), "model")
    ext = extract_one("T", "We compare against PICARD (a T5 model) and several pruning baselines.")
    assert ("PICARD", "T5") in rels(ext, "based_on")


OWN_LINEAGE_PHRASINGS = ["We present ZorbLM, a medical assistant. It is fine-tuned from Llama-2-7B on dialogues.",
     "We present ZorbLM, a medical assistant. The model is initialized from Llama-2-7B.",
     "We present ZorbLM, a medical assistant. Our model is built on Llama-2-7B.",
     "We present ZorbLM, a medical assistant. It builds on Llama-2-7B and adds retrieval.",
     "We present ZorbLM, a medical assistant, fine-tuned from Llama-2-7B.",
     "We present ZorbLM, a medical assistant based on Llama-2-7B.",
     "We present ZorbLM. Built upon Llama-2-7B, it answers medical questions.",
     "We present ZorbLM. This model extends Llama-2-7B with retrieval.",
     "We present ZorbLM. We fine-tune it from Llama-2-7B.",
     "We present ZorbLM, which we obtain by fine-tuning Llama-2-7B.",
     ]


@pytest.mark.parametrize("sentence", OWN_LINEAGE_PHRASINGS)
def test_lineage_of_the_papers_own_model_by_reference(extract_one, sentence):
    ext = extract_one("ZorbLM: a medical model", sentence)
    assert ("ZorbLM", "Llama-2-7B") in rels(ext, "based_on"), rels(ext, "based_on")


@pytest.mark.parametrize("sentence", ["We present ZorbLM. It outperforms models fine-tuned from Llama-2-7B.",
       "We present ZorbLM. Unlike models built on Llama-2-7B, it is trained from scratch."])
def test_own_model_is_not_based_on_what_it_is_compared_with(extract_one, sentence):
    assert not rels(extract_one("ZorbLM: a medical model", sentence), "based_on")


def test_lowercase_name_after_a_kind_and_naming_word(extract_one):
    ext = extract_one("Copying", "In response, we propose a simple and effective method named copying penalty to "
                                 "control the copying behaviors.")
    assert "copying penalty" in ents(ext, "method")
    assert "copying penalty" in {o for _, o in rels(ext, "introduces")}
    ext = extract_one("Tagging", "We use a method called named entity recognition for tagging.")
    assert not rels(ext, "introduces")


def test_proposed_lowercase_phrase_after_and_propose(extract_one):
    ext = extract_one("Decoding", "We formalize the problem of constrained decoding for grammars, and propose adaptive "
                                  "sampling with approximate expected futures (ASAp), a decoding algorithm.")
    assert any("ASAp" in (e.name, *e.aliases) and e.type == "method" for e in ext.entities), ext.entities


def test_introductions_refined(extract_one):
    ext = extract_one("Few-shot", "In this paper, we propose a new approach, named as ZEFL, that turns small LMs into "
                                  "few-shot learners.")
    assert {o for _, o in rels(ext, "introduces")} == {"ZEFL"}, rels(ext, "introduces")
    ext = extract_one("T", "The work is a refined successor to our first ZORBNER model, which it outperforms.")
    assert not rels(ext, "introduces")
    ext = extract_one("T", "In this work, we propose a novel Transformer decoding algorithm that uses planning.")
    assert not rels(ext, "introduces")
    ext = extract_one("T", "We first briefly introduce the structure of the MoE layer.")
    assert not rels(ext, "introduces")
    ext = extract_one("T", "We propose a general Knowledge-Injected Curriculum Pretraining framework (KICP) for QA.")
    kicp = [e for e in ext.entities if "KICP" in (e.name, *e.aliases)]
    assert len(kicp) == 1 and kicp[0].name == "Knowledge-Injected Curriculum Pretraining", ext.entities


def test_a_later_cue_types_a_coined_name_and_its_relations_see_that_type(extract_one):
    # the title reads as a method ("... Training for ..."); the abstract names it a model, and the lineage
    # rules for the paper's own model then apply to it
    ext = extract_one("Quorvo-LLM: Bridging Languages via Massive Multilingual Training for Transfer",
                      "We introduced Quorvo-LLM: massive multilingual training for transfer. "
                      "We conducted extensive continual pre-training using the Qwen2 models. "
                      "This effort has resulted in a multilingual LLM named Quorvo-LLM.")
    assert "Quorvo-LLM" in ents(ext, "model")
    assert ("Quorvo-LLM", "Qwen2") in rels(ext, "based_on")
    mention_types = {m.text: e.type for e in ext.entities for m in e.mentions}
    assert mention_types["Quorvo-LLM"] == "model"


def test_a_list_set_beside_a_plural_kind_takes_that_kind(extract_one):
    ext = extract_one("Zorbel: Harmonizing Language and Code for Agents",
                      "We introduce Zorbel and Zorbel-Chat, openly accessible language models for agents.")
    assert {"Zorbel", "Zorbel-Chat"} <= ents(ext, "model")
    assert {("p1", "Zorbel"), ("p1", "Zorbel-Chat")} <= rels(ext, "introduces")
    # ", as well as code and data" describes no list member
    ext = extract_one("Linkzorb: pretraining with links",
                      "We release our pretrained models, LinkZorb and BioLinkZorb, as well as code and data.")
    assert not ents(ext, "dataset") & {"LinkZorb", "BioLinkZorb"}
    # "A and B, a simple approach": one thing described, not a list of that kind
    ext = extract_one("Zorb: long inputs", "We propose ZORB: Zliding-Encoder and Decoder, a simple approach.")
    assert "Zliding-Encoder" not in ents(ext, "method")


def test_the_terms_a_release_is_under_are_not_introduced(extract_one):
    ext = extract_one("Clinical models", "We release the code and the models used under the ZorbNet Credentialed "
                                         "Health Data license.")
    assert ("p1", "ZorbNet") not in rels(ext, "introduces")


def test_gazetteer_covers_models_beyond_llms(extract_one):
    ext = extract_one("A study", "We compare ResNeXt-101, SpanBERT, HiFi-GAN, YOLOv8 and Whisper large-v3 with our "
                                 "detector, which beats them all.")
    models = {e.name: e for e in ext.entities if e.type == "model"}
    assert {"ResNeXt-101", "SpanBERT", "HiFi-GAN", "YOLOv8", "Whisper large-v3"} <= set(models)
    assert models["YOLOv8"].family == "YOLO" and models["Whisper large-v3"].family == "Whisper"
    assert not any(m.text.lower() == "beats" for e in ext.entities for m in e.mentions)


def test_a_name_built_on_a_listed_name_takes_its_type_but_not_on_a_glued_short_alias(extract_one):
    ext = extract_one("Legal risk", "We study GDPR compliance of ZorbGPT and Zorbed-SAM, and compare with DPR.")
    types = {e.name: e.type for e in ext.entities}
    assert types.get("ZorbGPT") == "model" and types.get("Zorbed-SAM") == "model"
    assert "GDPR" not in types or types["GDPR"] != "model"


def test_a_lowercase_everyday_name_is_no_hub_checkpoint(extract_one):
    assert not extract_one("T", "The falcon-base camp and a bert-based tagger.").entities


def test_released_embeddings_and_efficient_transformers_are_models(extract_one):
    ext = extract_one("Embeddings", "We initialise with GloVe and fastText vectors and train Linformer and RetNet.")
    assert {"GloVe", "fastText", "Linformer", "RetNet"} <= ents(ext, "model")


def test_numbered_claims_share_their_subject(extract_one):
    ext = extract_one("ZorbLM: a model", "Evaluations show that ZorbLM 1) rivals GPT-4 on MMLU, 2) matches Llama-2-7B "
                                         "and Mistral-7B on long tasks, and 3) outperforms GPT-3.5 in Chinese.")
    wins = rels(ext, "outperforms")
    assert ("ZorbLM", "GPT-3.5") in wins and not any(a == "Mistral 7B" for a, _ in wins)


def test_a_kind_of_baseline_is_not_an_opponent(extract_one):
    wins = rels(extract_one("ZorbLM: a model", "ZorbLM embeddings surpass both LM- and GNN-based baselines."),
                "outperforms")
    assert not any(b == "GNN" for _, b in wins)
    wins = rels(extract_one("ZorbLM: a model", "ZorbLM consistently outperforms MLM-pretrained models."), "outperforms")
    assert not wins


def test_required_literals_of_a_pattern():
    from extractors.rules import required_literals
    assert required_literals(r"abc(?:def|ghi)") == ("abc",)
    assert required_literals(r"(?:fine-?tuned|trained) from") == (" from",)
    assert required_literals(r"x (?:adapted|distilled)\w* y") == ("adapted", "distilled")
    assert required_literals(r"a?b") is None and required_literals(r"(?:ab)?cd") is None


def test_literal_gates_never_change_the_lineage_found(sample_papers):
    from kg.pipeline import paper_text
    nlp = build_nlp()
    rel = nlp.get_pipe("kg_relations")
    texts = [paper_text(p) for p in sample_papers[:250]]

    def lineage():
        return [[(r.subject, r.object, r.rule) for r in d._.kg_relations if r.predicate == "based_on"]
                for d in nlp.pipe(texts)]
    gated = lineage()
    saved, rel.gates = rel.gates, dict.fromkeys(rel.gates)  # no gate: every pattern runs on every sentence
    try:
        assert lineage() == gated and any(gated)
    finally:
        rel.gates = saved


@pytest.mark.parametrize("sentence, name", [
    ("We evaluate Llama 2 long-context abilities on ZorbQA.", "Llama 2"),
    ("Stable Diffusion 2-stage pipelines are slow.", "Stable Diffusion"),
    ("We study Falcon 3-bit quantization.", "Falcon"),
])
def test_a_shorter_listed_name_stands_where_a_longer_one_is_refused(extract_one, sentence, name):
    assert name in ents(extract_one("T", sentence), "model")


@pytest.mark.parametrize("sentence", [
    "Following Herbert Simon, we study bounded rationality.",
    "The mean age was 54 (SD 1.5) years.",
    "We count sea lion pups on beaches.",
    "Music transformer models generate melodies.",
    "Learning from Instructor Feedback in Online Courses.",
])
def test_ordinary_text_names_no_listed_model(extract_one, sentence):
    assert not ents(extract_one("T", sentence), "model")


def test_a_list_in_a_sentence_opening_is_not_set_beside_the_subject(extract_one):
    ext = extract_one("ZorbQA: a benchmark", "Compared to ZorbQA and QuorVo, language models perform poorly.")
    assert not ents(ext, "model") & {"ZorbQA", "QuorVo"}


def test_more_regressions_found_in_review(extract_one):
    def wins(abstract):
        return rels(extract_one("ZorbLM: a model", abstract), "outperforms")
    assert ("ZorbLM", "GPT-4") in wins("ZorbLM outperforms GPT-4 based on human judgments.")
    assert ("QuorVo-7B", "GPT-3.5") in wins("We find that (1) QuorVo-7B rivals GPT-4 on math and (2) outperforms "
                                            "GPT-3.5 on code.")
    lettered = wins("ZorbLM (a) rivals GPT-4 on MMLU, (b) matches Llama-2-7B and Mistral-7B on long tasks, and "
                    "(c) outperforms GPT-3.5 in Chinese.")
    assert ("ZorbLM", "GPT-3.5") in lettered and ("Mistral 7B", "GPT-3.5") not in lettered
    for abstract in ["We merge Llama-2-7B predictions and Mistral-7B votes into ZorbLM outputs.",
                     "ZorbLM begins with GPT-4 drafting a plan, then executes it.",
                     "We build ZorbLM on GPT-4 judgments of quality.",
                     "We develop ZorbLM from GPT-4 demonstrations.",
                     "ZorbLM is a replacement for BERT models, developed for search."]:
        assert not rels(extract_one("ZorbLM: a model", abstract), "based_on"), abstract
    assert ("ZorbLM", "Llama-2-7B") in rels(extract_one("ZorbLM: a model", "ZorbLM is Llama-2-7B trained on code."),
                                            "based_on")
    for abstract in ["Experiments on ZorbSet for domain adaptation show gains.",
                     "We evaluate ZorbLM on the ZorbSet dataset for fine-tuning efficiency."]:
        assert ("p1", "ZorbSet") in rels(extract_one("ZorbLM: a model", abstract), "evaluated_on"), abstract
    hub = ents(extract_one("T", "We fine-tune bart-large, albert-base-v2 and t5-large."), "model")
    assert {"bart-large", "albert-base-v2"} <= hub
    assert not ents(extract_one("T", "We analyse Live-Chat transcripts and Group-Chat logs."), "model")
    assert "MediSAM" in ents(extract_one("T", "We propose MediSAM for organ segmentation."), "model")


def test_a_size_adjective_before_language_model_is_not_a_listed_tier(extract_one):
    ext = extract_one("T", "We fine-tune the Mistral large language model and compare GPT-4 turbo.")
    assert "Mistral" in ents(ext, "model") and "Mistral Large" not in ents(ext)
    assert "GPT-4 Turbo" in ents(ext, "model")


def test_a_latex_tie_before_a_short_form_and_a_named_methodology(extract_one):
    ext = extract_one("T", "We propose Zorb Vector Pretraining~(ZVP) for generation.")
    assert "Zorb Vector Pretraining" in ents(ext, "method")
    ext = extract_one("T", "To address these issues, we introduce a novel methodology called ZDED, which accelerates "
                           "decoding.")
    assert ("p1", "ZDED") in rels(ext, "introduces") and "ZDED" in ents(ext, "method")


def test_a_novel_capitalised_kind_is_the_papers_own(extract_one):
    ext = extract_one("T", "We train the adapters using a novel Zorb Type Classification objective function (ZTC).")
    assert ("p1", "Zorb Type Classification") in rels(ext, "introduces")
    ext = extract_one("T", "Our benchmark employs a novel Human-LLM collaborative filtering mechanism.")
    assert not rels(ext, "introduces")


def test_a_name_set_off_after_the_kind_it_is(extract_one):
    ext = extract_one("T", "Using our framework, we introduce an online data sampling algorithm, Zkill-It, over mixtures "
                           "of skills.")
    assert ("p1", "Zkill-It") in rels(ext, "introduces") and "Zkill-It" in ents(ext, "method")
    assert not extract_one("T", "We propose a new benchmark, However, it fails.").entities


@pytest.mark.parametrize("sentence, name", [
    ("(1) We introduce zorbic inheritance to accelerate the pre-training process.", "zorbic inheritance"),
    ("To target coverage, we propose Zorb sampling, which models the data distribution.", "Zorb sampling"),
    ("We propose gradient-zorbed decoding (GZD), a decoding algorithm.", "gradient-zorbed decoding"),
])
def test_a_process_named_in_plain_words_after_a_verb_of_introduction(extract_one, sentence, name):
    ext = extract_one("T", sentence)
    assert ("p1", name) in rels(ext, "introduces") and name in ents(ext, "method")


@pytest.mark.parametrize("sentence", [
    "We propose to use zorbic augmentation for this.",
    "We propose a new training scheme for this.",
    "We present our training on ten languages.",
])
def test_no_process_name_where_none_is_given(extract_one, sentence):
    assert not ents(extract_one("T", sentence), "method")


def test_a_name_in_brackets_after_our_kind(extract_one):
    ext = extract_one("T", "Trained on our self-built dataset (Zdata), which balances Chinese and English, the model "
                           "is strong.")
    assert ("p1", "Zdata") in rels(ext, "introduces") and "Zdata" in ents(ext, "dataset")


def test_every_dataset_of_an_evaluation_list(extract_one):
    ext = extract_one("ZorbLM: a corrector", "We evaluate our approach on GEC datasets across multiple domains "
                                             "(ZorbSet-2014, QuorSet-2019, ZorbWiki-x and ZorbWiki-y) and show gains.")
    assert {"ZorbSet-2014", "QuorSet-2019", "ZorbWiki-x", "ZorbWiki-y"} <= {o for _, o in rels(ext, "evaluated_on")}


@pytest.mark.parametrize("sentence", [
    "We present results of multilingual pre-training, which show gains.",
    "We present experiments with instruction tuning, showing gains.",
    "We propose using reinforcement learning to align ZorbLM.",
    "We present both pre-training and fine-tuning, which helps.",
    "We propose data augmentation for low-resource translation.",
    "We propose applying model merging to combine experts.",
])
def test_no_process_name_from_ordinary_phrases(extract_one, sentence):
    ext = extract_one("T", sentence)
    assert not any(r.rule == "proposed-phrase" for e in ext.entities for r in e.mentions)
    assert not [o for _, o in rels(ext, "introduces") if " " in o]


@pytest.mark.parametrize("sentence, introduced", [
    ("Prior work proposed a novel Zorb Fusion module, which we show to be unstable.", False),
    ("Smith et al. (2023) introduced a new Quorv Reasoning benchmark; we find it contaminated.", False),
    ("Existing methods rely on a new Zorb Fusion framework that is costly.", False),
    ("A novel Zorb Fusion module is proposed in this paper.", True),
    ("Our proposed Zorb Fusion module merges views.", True),
])
def test_a_novel_kind_is_the_papers_own_only_in_its_own_voice(extract_one, sentence, introduced):
    names = {o for _, o in rels(extract_one("T", sentence), "introduces")}
    assert bool(names & {"Zorb Fusion", "Quorv Reasoning"}) == introduced


def test_review_of_named_kinds_regressions(extract_one):
    assert not ents(extract_one("T", "We collect a new Chinese-English dataset for translation."), "dataset")
    assert not ents(extract_one("T", "We build a novel Vision-Language model for charts."), "model")
    ext = extract_one("T", "We evaluate on our target dataset (ZorbQA), a public benchmark by Smith et al.")
    assert not rels(ext, "introduces")
    ext = extract_one("T", "Trained on our newly-collected multilingual instruction-following dataset (Zdata), the "
                           "model is strong.")
    assert ("p1", "Zdata") in rels(ext, "introduces")
    assert "Warmup-Stable-Decay" in ents(extract_one("T", "We propose a Warmup-Stable-Decay (WSD) learning rate "
                                                          "scheduler."), "method")
    ext = extract_one("ZorbLM: x", "We evaluate ZorbLM on the ZorbWiki dataset. Accuracy improves when ZorbWiki and "
                                   "QuorvWiki are used for pre-training.")
    assert ("p1", "QuorvWiki") not in rels(ext, "evaluated_on")
    assert "BERT-large" in ents(extract_one("T", "We fine-tune the BERT large language model on ZorbWiki."), "model")
    ext = extract_one("T", "We propose Zorb Vector Pretraining~\\cite{x}~(ZVP) for generation.")
    assert "Zorb Vector Pretraining" in ents(ext, "method")
    assert ("p1", "ZorbBench") in rels(extract_one("T", "We present a new benchmark, ZorbBench."), "introduces")


def test_verbs_of_introduction_in_a_long_sentence_are_not_quadratic(extract_one):
    # (quadratic, this took minutes; benchmarks/extract_bench.py --long measures the cost per character)
    ext = extract_one("T", "we propose " * 2000 + "ZorbNet-7B, a language model.")
    assert "ZorbNet-7B" in ents(ext, "model")


def test_a_model_name_that_only_describes_a_law_is_no_model_mention(extract_one):
    ext = extract_one("T", "We propose a new scaling law that modifies the Chinchilla scaling law, beyond Chinchilla "
                           "optimal ratios.")
    assert "Chinchilla" not in ents(ext)
    assert "Chinchilla" in ents(extract_one("T", "We compare with Chinchilla and Gopher."), "model")


def test_a_plural_kind_of_language_model_is_no_name(extract_one):
    ext = extract_one("T", "We benchmark open-sourced LCLMs and several MM-LLMs on long inputs.")
    assert not ents(ext, "model")
    ext = extract_one("T", "We release ZorbLM in three sizes; the ZorbLMs beat Llama-2-7B.")
    assert "ZorbLM" in ents(ext, "model")


def test_a_called_name_followed_by_its_short_form(extract_one):
    ext = extract_one("T", "We trained a dense Transformer language model, which we call Zorbways Language Model ZaLM. "
                           "We trained ZaLM on TPUs.")
    (e,) = [x for x in ext.entities if "ZaLM" in (x.name, *x.aliases)]
    assert e.type == "model" and {e.name, *e.aliases} >= {"ZaLM", "Zorbways Language Model"}
    assert not any(x.name == "Zorbways Language Model ZaLM" for x in ext.entities)


def test_a_name_ending_in_a_process_is_a_method(extract_one):
    ext = extract_one("Russian adaptation of language models with Learned Zorb Propagation",
                      "To cut the costs we propose Learned Zorb Propagation (LZP).")
    assert "Learned Zorb Propagation" in ents(ext, "method")


@pytest.mark.parametrize("title, typ", [
    ("ZorbAlign: Enhancing Multilingual Reasoning in Large Language Models via Layer Fusion", "method"),
    ("ZorbMoE: Converting Dense Large Language Models to Mixtures of Experts", "method"),
    ("ZorbVox: Streaming Speech Models", "model"),
    ("ZorbLM: A Language Model for Medicine", "model"),
])
def test_a_title_opening_on_a_verb_in_ing_names_a_way_of_doing(extract_one, title, typ):
    name = title.split(":")[0]
    assert name in ents(extract_one(title, "We study it."), typ)


def test_a_listed_three_letter_name_after_a_digit_types_nothing(extract_one):
    ext = extract_one("T", "This benchmark has longer instances than ZL4OPT and ZAMO.")
    assert "ZL4OPT" not in ents(ext, "model")
    assert "ZorbGPT" in ents(extract_one("T", "We compare ZorbGPT with others."), "model")


def test_a_url_with_a_space_after_its_scheme(extract_one):
    ext = extract_one("T", "Our code and models are released at https: //github.com/zorb/ZorbT5 .")
    (repo,) = [e for e in ext.entities if e.type == "repo"]
    assert repo.name == "https://github.com/zorb/ZorbT5" and repo.mentions[0].text == "https: //github.com/zorb/ZorbT5"


def test_the_base_model_named_beside_the_papers_own(extract_one):
    ext = extract_one("ZorbGLM: science", "We present ZorbGLM. Remarkably, ZorbGLM consistently improves both the "
                                          "base model (ChatGLM3-6B-Base) and larger-scale models.")
    assert ("ZorbGLM", "ChatGLM3-6B-Base") in rels(ext, "based_on")


@pytest.mark.parametrize("sentence, base", [
    ("ZorbVLM uses CLIP as its vision encoder.", "CLIP"),
    ("We use CLIP as the vision encoder for ZorbVLM.", "CLIP"),
    ("Using EVA-CLIP as the vision encoder, ZorbVLM answers questions.", "EVA-CLIP"),
])
def test_a_model_built_from_a_listed_encoder(extract_one, sentence, base):
    assert ("ZorbVLM", base) in rels(extract_one("ZorbVLM: a model", sentence), "based_on")


def test_a_listed_encoder_the_papers_own_model_uses(extract_one):
    ext = extract_one("ZorbLLM: speech", "We present ZorbLLM. Leveraging dual encoders, we decouple speech "
                                         "information, utilizing a Whisper encoder to process content.")
    assert ("ZorbLLM", "Whisper") in rels(ext, "based_on")
    ext = extract_one("ZorbLLM: speech", "We present ZorbLLM. Unlike prior work, which uses a Whisper encoder, we "
                                         "train from scratch.")
    assert not rels(ext, "based_on")


def test_a_short_forms_spelled_out_name_built_on_another(extract_one):
    ext = extract_one("T", "We introduce a novel method, Head-Adaptive Zorb Position Encoding (HAZPE), to extend "
                           "context. Our HAZPE uses different Zorb Position Encoding (ZoPE) base values per head.")
    assert ("Head-Adaptive Zorb Position Encoding", "Zorb Position Encoding") in rels(ext, "based_on")
    # the short form as the entity's name: its spelled-out form still shows what it is built on
    ext = extract_one("Breaking the Stage Barrier: A Novel Single-Stage Approach",
                      "In this paper, we introduce a novel single-stage continual pretraining method, Head-Adaptive "
                      "Zorb Position Encoding (HAZPE), to equip LLMs with long context. Our HAZPE leverages different "
                      "Zorb Position Encoding (ZoPE) base frequency values across attention heads.")
    assert ("HAZPE", "Zorb Position Encoding") in rels(ext, "based_on")


def test_models_resulting_from_tuning_listed_bases(extract_one):
    ext = extract_one("Efficient finetuning for a Zorbish chatbot",
                      "We utilize LoRA tuning on two open LLMs: Bloomz (Multilingual) and ZorbJ-6B (Zorbish), "
                      "resulting four models: Bloomz-Chat, Bloomz-Medic, ZorbJ-Chat, ZorbJ-Medic.")
    assert {("p1", n) for n in ("Bloomz-Chat", "Bloomz-Medic", "ZorbJ-Chat", "ZorbJ-Medic")} <= rels(ext, "introduces")
    lineage = rels(ext, "based_on")
    assert {("Bloomz-Medic", "BLOOMZ"), ("ZorbJ-Chat", "ZorbJ-6B"), ("ZorbJ-Medic", "ZorbJ-6B")} <= lineage


@pytest.mark.parametrize("sentence", [
    "We insert our proposed adapters in Llama-2-7B, building ZorbLM, and evaluate it.",
    "We integrate our adapters into Llama-2-7B, yielding ZorbLM.",
])
def test_a_model_built_by_inserting_into_another(extract_one, sentence):
    ext = extract_one("T", sentence)
    assert ("ZorbLM", "Llama-2-7B") in rels(ext, "based_on") and ("p1", "ZorbLM") in rels(ext, "introduces")


def test_a_new_version_takes_the_type_of_its_base(extract_one):
    ext = extract_one("QUOKKANER++: Transfer Learning in Clinical NLP",
                      "This work is a refined successor to our first QUOKKANER model, trained on new notes.")
    types = {e.name: e.type for e in ext.entities}
    assert types.get("QUOKKANER++") == "model" and types.get("QUOKKANER") == "model", types
    assert ("QUOKKANER++", "QUOKKANER") in rels(ext, "based_on")
    ext = extract_one("Pruning", "We propose GradPrune-2, which prunes weights. GradPrune-2 beats magnitude pruning.")
    assert {e.name: e.type for e in ext.entities}.get("GradPrune-2") == "method"  # no base typed in the paper


def test_a_listed_name_written_in_two_words_keeps_the_subject_list(extract_one):
    ext = extract_one("Merging", "We also merge WizardLM, WizardMath, and Code Alpaca based on Llama 2. Results "
                                 "show that: (1) merging helps.")
    assert {("WizardLM", "Llama 2"), ("WizardMath", "Llama 2")} <= rels(ext, "based_on"), rels(ext, "based_on")


def test_a_listed_size_of_a_listed_family_is_no_lineage(extract_one):
    ext = extract_one("PaLM: Scaling Language Modeling", "We introduce PaLM. PaLM 540B achieves strong results.")
    assert not rels(ext, "based_on"), rels(ext, "based_on")  # the gazetteer's family link says it
    ext = extract_one("QuokkaLM: Small Models", "We present QuokkaLM, a family of models. QuokkaLM-7B is the largest.")
    assert ("QuokkaLM-7B", "QuokkaLM") in rels(ext, "based_on")  # an unlisted size of the paper's own family


def test_version_lists_of_listed_models_are_each_version(extract_one):
    ext = extract_one("Survey", "Models such as BERT, GPT-2/3 and Llama 2/3 changed NLP. Top-1/5 accuracy rises.")
    models = ents(ext, "model")
    assert {"GPT-2", "GPT-3", "Llama 2", "Llama 3"} <= models, models
    assert not any(n.startswith("Top") for n in ents(ext)), ents(ext)
    gpt3 = next(e for e in ext.entities if e.name == "GPT-3")
    assert [(m.text, ext.paper.abstract[m.start:m.end]) for m in gpt3.mentions] == [("3", "3")]


def test_a_makers_name_before_a_listed_model(extract_one):
    ext = extract_one("Recipes", "We adopted the recipes of StableLM and Huggingface Zephyr. The Nordic Pile is big.")
    assert "Zephyr" in ents(ext, "model") and "The Pile" not in ents(ext), ents(ext)


def test_listed_names_in_a_case_they_refuse_count_inside_a_list(extract_one):
    ext = extract_one("Pruning", "In two LM series, OPT and Bloom, larger models are robust. Scores on common "
                                 "benchmarks (such as Winogrande, Hellaswag, arc, boolq and piqa) hold. We like BERT "
                                 "and alpaca farming.")
    assert "BLOOM" in ents(ext, "model") and "Alpaca" not in ents(ext), ents(ext)
    assert {"ARC", "BoolQ", "PIQA"} <= rels_objects(ext, "evaluated_on"), ext.relations


def test_a_mixed_case_name_in_title_case_is_an_everyday_word(extract_one):
    ext = extract_one("Zero to Hero: Record Quality with a Star", "We use Palm oil and Yarn. We test PaLM on QuALITY "
                                                                  "with ZeRO, and Llama on MMLU.")
    assert {"PaLM", "LLaMA"} <= ents(ext, "model") and "QuALITY" in ents(ext), ents(ext)
    for e in ext.entities:
        assert all(m.text not in ("Zero", "Record", "Quality", "Star", "Palm", "Yarn") for m in e.mentions), e


def test_spelled_out_methods_match_in_lowercase_only_where_listed_so(extract_one):
    ext = extract_one("Efficient tuning", "We train with proximal policy optimization and fusion-in-decoder "
                                          "readers that use grouped-query attention.")
    assert {"PPO", "Fusion-in-Decoder", "Grouped-Query Attention"} <= ents(ext, "method"), ents(ext)
    ext = extract_one("Open QA", "We answer natural questions in the wild. We propose a simple preference "
                                 "optimization method that improves through self-play fine-tuning. The kv cache grows.")
    assert not ents(ext), ents(ext)  # everyday phrases in lowercase
    ext = extract_one("Early Exit Networks for Efficient Inference", "We predict UPOS and XPOS tags and compare a "
                                                                      "graph autoencoder (GAE) with VGAE.")
    assert not ents(ext, "method") & {"expert iteration", "xPos", "Generalized Advantage Estimation"}, ents(ext)


def test_a_listed_name_opening_on_a_lowercase_word(extract_one):
    ext = extract_one("Activations", "We use squared ReLU activations and xPos position encodings.")
    assert {"squared ReLU", "xPos"} <= ents(ext, "method"), ents(ext)


def test_rule_data_is_loaded_once():
    assert load_rule_data() is load_rule_data()


def test_an_exact_case_entry_is_not_the_everyday_word(extract_one):
    ext = extract_one("TACT: Advancing Complex Reasoning", "How LLMs React to Rotate tasks. We compare ComplEx, "
                                                           "RotatE and ReAct.")
    assert {"ComplEx", "RotatE", "ReAct"} <= ents(ext, "method"), ents(ext)
    assert all(m.text in ("ComplEx", "RotatE", "ReAct") for e in ext.entities if e.gazetteer_id
               for m in e.mentions), [(e.name, [m.text for m in e.mentions]) for e in ext.entities]


def test_a_slogan_before_the_colon_names_nothing(extract_one):
    ext = extract_one("Reuse, Don't Retrain: A Recipe for Continued Pretraining", "We reuse models.")
    assert not ents(ext) and not rels_objects(ext, "introduces"), ents(ext)
    ext = extract_one("Lemur: Harmonizing Natural Language and Code", "We introduce Lemur.")
    assert "Lemur" in rels_objects(ext, "introduces")


@pytest.mark.parametrize("abstract", [
    "Building on HumanEval, we present ZorbEval, which adds more tests.",
    "ZorbBench adapts MMLU to the medical domain.",
    "ZorbQA is a multilingual counterpart of SQuAD.",
    "We sample 1,000 questions from SQuAD to form ZorbQA, a benchmark.",
])
def test_data_lineage_phrasings(extract_one, abstract):
    ext = extract_one("Evaluating reasoning", abstract)
    assert any(a.startswith("Zorb") and b in ("HumanEval", "MMLU", "SQuAD") for a, b in rels(ext, "based_on")), \
        (rels(ext, "based_on"), [(e.name, e.type) for e in ext.entities])


@pytest.mark.parametrize("abstract", [
    "ZorbLM inherits the architecture and weights of Llama-2-7B.",
    "We apply our recipe to Llama-2-7B and obtain ZorbLM.",
    "ZorbLM uses the same architecture as Llama-2-7B.",
    "ZorbLM is obtained by instruction tuning of Llama-2-7B.",
    "ZorbLM is a Llama-2-7B-based medical model.",
    "ZorbLM is the result of fine-tuning Llama-2-7B on medical QA.",
    "ZorbLM is a medical LLM built by fine-tuning Llama-2-7B.",
    "We build ZorbLM on the Llama-2-7B architecture.",
    "ZorbLM adopts the Llama-2-7B architecture.",
    "ZorbLM is built upon the open-source Llama-2-7B.",
    "ZorbLM is a continually pretrained Llama-2-7B.",
    "ZorbLM is a pruned Llama-2-7B.",
    "ZorbLM, a Llama-2-7B fine-tuned on medical data, is released.",
    "ZorbLM is a merge of Llama-2-7B and Mistral-7B.",
    "We upcycle Llama-2-7B into ZorbLM.",
    "ZorbLM upcycles Llama-2-7B into a mixture of experts.",
    "ZorbLM uses the Llama-2-7B architecture.",
    "ZorbLM adopts a modified Llama-2-7B architecture.",
    "ZorbLM is a sparsified Llama-2-7B.",
    "ZorbLM is built on the powerful Llama-2-7B, which we fine-tune.",
])
def test_more_model_lineage_phrasings(extract_one, abstract):
    ext = extract_one("ZorbLM: a medical model", abstract)
    assert ("ZorbLM", "Llama-2-7B") in rels(ext, "based_on"), rels(ext, "based_on")


@pytest.mark.parametrize("abstract", ["ZorbTune adopts the Llama-2-7B architecture.",
                                      "ZorbTune is built upon the open-source Llama-2-7B."])
def test_a_method_using_a_model_is_not_its_variant(extract_one, abstract):
    ext = extract_one("ZorbTune: a fine-tuning method", abstract)
    assert not rels(ext, "based_on"), (rels(ext, "based_on"), [(e.name, e.type) for e in ext.entities])


@pytest.mark.parametrize("abstract", [
    "ZorbLM is trained on the base Llama-2-7B outputs.",
    "ZorbLM is built on the open Llama-2-7B tokenizer.",
    "ZorbLM is fine-tuned with the strong Llama-2-7B feedback.",
    "ZorbLM is trained with the powerful Llama-2-7B as the judge.",
    "ZorbLM is a pretrained Llama-2-7B-like encoder.",
    "ZorbLM is evaluated on tasks where the Llama-2-7B architecture is used.",
])
def test_a_model_named_beside_lineage_words_is_not_the_base(extract_one, abstract):
    ext = extract_one("ZorbLM: a medical model", abstract)
    assert ("ZorbLM", "Llama-2-7B") not in rels(ext, "based_on"), rels(ext, "based_on")


def test_scores_as_a_verb_is_no_benchmark_head(extract_one):
    ext = extract_one("ZorbLM: a medical model", "ZorbLM scores higher than GPT-4. MedBench scores are high.")
    types = {e.name: e.type for e in ext.entities}
    assert types.get("ZorbLM") == "model" and types.get("MedBench") == "benchmark", types
    assert ("ZorbLM", "GPT-4") in rels(ext, "outperforms")


def test_a_benchmark_trained_on_is_no_test_bed(extract_one):
    ext = extract_one("Reasoning", "We train on MedQA and evaluate on PubMedQA. We also use the BoolQ training set "
                                   "and report results on ARC.")
    assert rels_objects(ext, "evaluated_on") == {"PubMedQA", "ARC"}, rels_objects(ext, "evaluated_on")
    ext = extract_one("Pretraining", "ZorbLM outperforms BERT when fine-tuned on the GLUE benchmark.")
    assert "GLUE" in rels_objects(ext, "evaluated_on")  # fine-tuning on a benchmark is how it evaluates


@pytest.mark.parametrize("abstract", ["ZorbLM, our new model, achieves strong results.",
                                      "Our proposed ZorbLM outperforms baselines.",
                                      "Experiments show that the newly proposed ZorbLM is fast."])
def test_the_papers_own_name_by_proposed_or_our_kind(extract_one, abstract):
    assert "ZorbLM" in rels_objects(extract_one("Efficient reasoning", abstract), "introduces")


def test_a_prior_proposed_name_is_not_introduced(extract_one):
    ext = extract_one("Efficient reasoning", "Unlike ZorbLM, a prior model, our approach is fast.")
    assert "ZorbLM" not in rels_objects(ext, "introduces")


def test_title_lead_ins_name_only_names(extract_one):
    ext = extract_one("Mean BERTs make erratic language teachers: the effectiveness of bootstrapping", "We study it.")
    assert not rels_objects(ext, "introduces") and "BERT" in ents(ext, "model"), ext.entities  # a plural of BERT
    ext = extract_one("Building a Dataset for the ZORB Languages: a case study", "We build data.")
    assert not rels_objects(ext, "introduces"), ext.relations  # an acronym inside a long lead-in is no new name
    ext = extract_one("ZorbTool Benchmark for Large Language Models: Deciding Whether to Use Tools",
                      "We present ZorbTool, a benchmark. We evaluate eight LLMs on ZorbTool.")
    assert rels_objects(ext, "introduces") == {"ZorbTool Benchmark"} and len(ents(ext, "benchmark")) == 1, \
        (ext.relations, ents(ext))  # "X Benchmark" and "X" are one benchmark; no dangling "for"


def test_every_item_of_an_enumerated_release_is_introduced(extract_one):
    ext = extract_one("Camels", "Concretely, we release: (1) ZorbMix, an improved data mix; (2) Tulu 2, LLAMA-2 "
                                "models finetuned on the mixture; and (3) ZorbCoder, a code model. We compare with "
                                "(1) GPT-4 and (2) Claude.")
    assert rels_objects(ext, "introduces") == {"ZorbMix", "Tulu 2", "ZorbCoder"}, rels_objects(ext, "introduces")


def test_general_techniques_are_entities_only_when_named_by_an_acronym(extract_one):
    ext = extract_one("Tuning", "We study instruction tuning and in-context learning (ICL) with a Transformer and an "
                                "LSTM. SFT helps, and we compare with chain-of-thought.")
    methods = ents(ext, "method")
    assert {"in-context learning", "supervised fine-tuning", "chain-of-thought"} <= methods, methods
    assert not {"instruction tuning", "Transformer", "LSTM"} & methods, methods


def test_general_techniques_stay_available_below_the_threshold(tmp_path):
    from kg.cli import main
    src = tmp_path / "p.jsonl"
    src.write_text(json.dumps({"id": "p1", "title": "Tuning", "abstract": "We study instruction tuning."}) + "\n")
    for conf, expected in (("0.5", set()), ("0.4", {"instruction tuning"})):
        out = tmp_path / f"o{conf}.jsonl"
        assert main(["extract", str(src), "-o", str(out), "--no-progress", "--min-confidence", conf]) == 0
        rec = json.loads(out.read_text())
        assert {e["name"] for e in rec["entities"]} == expected, rec["entities"]


def test_task_groups_and_latex_remnants_are_not_data(extract_one):
    ext = extract_one("Numbers", "Our model keeps high performance on standard RC tasks and on ZorbQA. Shifts "
                                 "between two corpora (EnglishrightarrowEnglish) are mild.")
    assert not {"RC", "EnglishrightarrowEnglish"} & ents(ext), ents(ext)


def test_more_listed_names(extract_one):
    ext = extract_one("IE", "Our model beats models designed for IE (e.g., UIE and InstructUIE) on notes from "
                            "MIMIC-IV and abstracts from PubMed.")
    assert {"UIE", "InstructUIE"} <= ents(ext, "model") and {"MIMIC-IV", "PubMed"} <= ents(ext, "dataset"), ents(ext)


@pytest.mark.parametrize("text", ["Models such as GPT-2/3 and Llama 2/3/3.1 and GPT-3.5/4, Top-1/5 and 2023/24.",
                                  "x" * 60 + " GPT-2/3", "GPT-2/3/4/3.5 " * 3, "no list 1/2 here, only ratios 3/4",
                                  "Llama 2/3/3.1/3.2/3.3/2/3/3.1/3.2/3.3/2/3/3.1/3.2/3.3 and more", "GPT-2/3B"])
def test_version_list_scan_near_digit_slashes_finds_what_a_full_scan_finds(text):
    from extractors.candidates import _ONE_VERSION, _VERSION_LIST, _version_lists
    rd = load_rule_data()
    full = []
    for m in _VERSION_LIST.finditer(text):
        names = [m.group(1) + m.group(2)] + [m.group(1) + v.group(1) for v in _ONE_VERSION.finditer(m.group(3))]
        entries = [rd.lookup(n) for n in names]
        if all(e is not None and e.type == "model" and rd.accepts(e.id, n)[0] for e, n in zip(entries, names)):
            full.append((m.start(), m.end(2), None))
            full += [(v.start(1), v.end(1), n) for v, n in zip(_ONE_VERSION.finditer(text, m.end(2), m.end()), names[1:])]
    assert [(c.start, c.end, c.name) for c in _version_lists(text, rd)] == full


def test_language_codes_are_no_names(extract_one):
    ext = extract_one("GlórIA", "GlórIA significantly outperforms existing open PT decoder models and EN baselines.")
    assert not {"PT", "EN"} & ents(ext) and not rels(ext, "outperforms"), (ents(ext), ext.relations)


def test_review_regressions_for_this_sessions_rules(extract_one):
    ext = extract_one("T", "Compared with FooNet, our method achieves higher accuracy on MMLU. Unlike BarNet and "
                           "FooNet, our approach is fast. ZorbLM, our new model, is good.")
    assert rels_objects(ext, "introduces") == {"ZorbLM"}, ext.relations  # a baseline beside "our method" is not ours
    ext = extract_one("T", "We train and evaluate on MMLU and GSM8K. We evaluate models trained with RLHF on ARC.")
    assert {"MMLU", "GSM8K", "ARC"} <= rels_objects(ext, "evaluated_on"), ext.relations
    ext = extract_one("T", "We evaluate on Flickr8K/30K and COCO.")
    assert "Flickr8K/30K" in rels_objects(ext, "evaluated_on") and not ents(ext, "model"), ents(ext)
    ext = extract_one("T", "Our model improves MT-Bench and quality. We test on MMLU or race.")
    assert not {"QuALITY", "RACE"} & ents(ext), ents(ext)  # a lowercase word counts only in a longer list
    ext = extract_one("T", "We release: (1) ZorbMix, a data mix; (2) GPT-4 outputs on the mixture; and (3) Llama-2 "
                           "checkpoints.")
    assert rels_objects(ext, "introduces") == {"ZorbMix"}, ext.relations  # items named as ingredients
    ext = extract_one("T", "ZorbLM scores 85.2% on MedQA. We compare GPTs and BERTs on GLUE. We evaluate EmphAssess "
                           "and ZorbBench on MMLU.")
    types = {e.name: e.type for e in ext.entities}
    assert types.get("ZorbLM") == "model" and "ZorbLM" not in rels_objects(ext, "evaluated_on"), types
    assert {"GPT", "BERT"} <= ents(ext, "model") and "EmphAssess" in ents(ext), types
    ext = extract_one("T", "We introduce Zorb-7B/13B, strong models. Zorb-13B is fast.")
    assert {e.name: e.family for e in ext.entities if e.name.startswith("Zorb")} == \
        {"Zorb-7B": "Zorb", "Zorb-13B": "Zorb"}, [(e.name, e.family) for e in ext.entities]


def test_models_listed_after_we_train_n_models_are_introduced(extract_one):
    ext = extract_one("T", "We train two models: ZorbBERT-Base, with 109M parameters, and ZorbBERT-Large with 762M "
                           "parameters. Prior work trained two models: AlphaBERT and BetaBERT.")
    assert rels_objects(ext, "introduces") == {"ZorbBERT-Base", "ZorbBERT-Large"}, ext.relations


def test_second_review_regressions(extract_one):
    ext = extract_one("T", "We train our model on MMLU and evaluate it on GSM8K.")
    assert rels_objects(ext, "evaluated_on") == {"GSM8K"}, ext.relations  # trained on, past an object
    ext = extract_one("T", "Prior work trained two models: AlphaBERT and BetaBERT, which we compare against.")
    assert not rels_objects(ext, "introduces"), ext.relations  # someone else's models
    ext = extract_one("T", "The best results come from ZorbLM, our new model. Experiments over several benchmarks "
                           "show ZorbNet, our model, is best.")
    assert rels_objects(ext, "introduces") == {"ZorbLM", "ZorbNet"}, ext.relations
    ext = extract_one("T", "In addition, our model improves MT-Bench and quality. We evaluate on boolq, piqa, and MMLU.")
    assert rels_objects(ext, "evaluated_on") == {"MT-Bench", "BoolQ", "PIQA", "MMLU"}, ext.relations
    ext = extract_one("T", "We release: (1) ZorbMix, a data mix; and (2) ZorbCoder. It is good.")
    assert rels_objects(ext, "introduces") == {"ZorbMix", "ZorbCoder"}, ext.relations
    ext = extract_one("T", "We train two checkpoints: ZorbBERT-Base, with 109M parameters, and ZorbBERT-Large.")
    assert rels_objects(ext, "introduces") == {"ZorbBERT-Base", "ZorbBERT-Large"}, ext.relations


def test_version_list_scan_is_linear_on_slash_runs():
    from extractors.candidates import _version_lists
    assert _version_lists("1/" * 20000, load_rule_data()) == []  # (one search per run, not one per slash)


def test_names_from_an_earlier_run_give_what_a_first_run_gives():
    """A build that adds to a store passes the store's names back in (``known_names``): a listed entry's own
    name must not become the spelling of a name the gazetteer refused (all-caps "TÜLU" beside the listed
    "Tulu"), or a second build of the same papers would merge two entities the first kept apart."""
    from kg.pipeline import extract
    from kg.records import Paper
    papers = [Paper(id="a", title="Instruction tuning", abstract="We compare Tulu with GPT-4 on MT-Bench.",
                    source="t:1"),
              Paper(id="b", title="Open models", abstract="We fine-tune the TÜLU model and outperform Vicuna.",
                    source="t:2")]
    first = [{(e.name, e.gazetteer_id) for e in x.entities} for x in extract(papers)]
    assert ("TÜLU", None) in first[1] and ("Tulu", "tulu") in first[0], first
    known = {name for ents_ in first for name, _ in ents_}
    assert [{(e.name, e.gazetteer_id) for e in x.entities} for x in extract(papers, known_names=known)] == first


def test_one_capitalised_word_before_a_data_head_is_a_name(extract_one):
    ext = extract_one("A method", "Using the Iris dataset, we first study the method. We also use the Enron corpus. "
                                  "Experiments on the Quibbix benchmark show gains.")
    assert ents(ext, "dataset") == {"Iris", "Enron"} and ents(ext, "benchmark") == {"Quibbix"}, ext.entities
    assert rels_objects(ext, "evaluated_on") == {"Quibbix"}
    # a language, people or place, and a word that is capitalised for no name, are no data's name
    ext = extract_one("A method", "We build the Bengali dataset, the Persian corpus and the Danish benchmark. The "
                                  "Japanese dataset, the Thai corpus and the Greek dataset are small. We study the "
                                  "Following dataset.")
    assert ents(ext) == set(), ext.entities


def test_dated_snapshots_and_point_releases_are_variants_not_aliases(extract_one):
    ext = extract_one("A study", "We compare Mistral-7B-Instruct-v0.1, Mistral-7B-Instruct-v0.2 and "
                                 "Mistral-7B-Instruct, and query gpt-4-0314, gpt-4-0613, gpt-4-1106-preview and GPT-4.")
    fams = {e.name: e.family for e in ext.entities if e.type == "model"}
    assert fams == {"Mistral-7B-Instruct-v0.1": "Mistral-7B-Instruct", "Mistral-7B-Instruct-v0.2": "Mistral-7B-Instruct",
                    "Mistral-7B-Instruct": "Mistral", "gpt-4-0314": "GPT-4", "gpt-4-0613": "GPT-4",
                    "gpt-4-1106-preview": "GPT-4 Turbo", "GPT-4": "GPT"}, fams
    ext = extract_one("A study", "We use gpt-4o-2024-05-13 and gpt-4o-2024-08-06.")  # a date is one suffix
    assert {e.name: e.family for e in ext.entities} == {"gpt-4o-2024-05-13": "GPT-4o", "gpt-4o-2024-08-06": "GPT-4o"}


@pytest.mark.parametrize("written,name", [
    ("CodeLlama-7B", "Code Llama 7B"), ("CodeLlama", "Code Llama"), ("Flash-Attention", "FlashAttention"),
    ("Flash Attention", "FlashAttention"),  # (two words only where the gazetteer lists them so)
    ("Red-Pajama", "RedPajama"), ("CommonCrawl", "Common Crawl"), ("deepseek-r1", "DeepSeek-R1"),
])
def test_listed_names_written_joined_apart_or_in_lowercase(extract_one, written, name):
    ext = extract_one("A study", f"We train with {written} and report results on MMLU.")
    assert [(e.name, [m.text for m in e.mentions]) for e in ext.entities if e.name != "MMLU"] == [(name, [written])]


def test_a_listed_name_spelled_apart_still_ends_at_a_word_boundary(extract_one):
    ext = extract_one("A study", "Human evaluation shows that deep seeking helps; the red pajamas are a joke.")
    assert ents(ext) == set(), ext.entities


@pytest.mark.parametrize("sentence,pair", [
    ("Zorro-7B improves exact-match accuracy by 4.1 points over Llama-3-8B on FinQA.", ("Zorro-7B", "Llama-3-8B")),
    ("Zorro-7B yields gains of 8.2 pass@1 points over CodeLlama-7B.", ("Zorro-7B", "Code Llama 7B")),
    ("Zorro-7B lowers word error rate by 38% relative to Whisper-large-v3.", ("Zorro-7B", "Whisper large-v3")),
    ("Zorro-7B is 11% more accurate than Mistral-7B.", ("Zorro-7B", "Mistral 7B")),
    ("Zorro-7B stays ahead of Gemma-7B on every task.", ("Zorro-7B", "Gemma 7B")),
    ("Zorro-7B edges out Gemma-7B on two benchmarks.", ("Zorro-7B", "Gemma 7B")),
    ("Zorro-7B is preferred over Gemma-7B by human raters.", ("Zorro-7B", "Gemma 7B")),
    ("It outperforms the comparable-size Gemma-7B by five points.", ("Zorro-7B", "Gemma 7B")),
    ("Zorro-7B falls behind Llama-3-70B on GSM8K.", ("Llama-3-70B", "Zorro-7B")),
    ("Zorro-7B falls slightly short of GPT-4o on MMLU.", ("GPT-4o", "Zorro-7B")),
])
def test_more_ways_to_state_a_win_or_a_loss(extract_one, sentence, pair):
    ext = extract_one("Zorro-7B: A Small Model", f"We introduce Zorro-7B, a small model. {sentence}")
    assert rels(ext, "outperforms") == {pair}, ext.relations


@pytest.mark.parametrize("sentence", [
    "We find no evidence that Zorro-7B outperforms Llama-3-8B once both are tuned alike.",
    "A larger Zorro-7B may eventually outperform GPT-4 on rare cases.",
    "Scaling laws suggest that a bigger Zorro-7B would beat Llama-2-13B.",
    "Zorro-7B outperforms every baseline we consider except Gemma-7B.",
])
def test_doubted_hypothetical_and_excepted_wins_are_no_wins(extract_one, sentence):
    ext = extract_one("Zorro-7B: A Small Model", f"We introduce Zorro-7B, a small model. {sentence}")
    assert rels(ext, "outperforms") == set(), ext.relations


@pytest.mark.parametrize("sentence,pairs", [
    ("Zorro-7B is trained in three stages starting from Qwen2-7B: pre-training, tuning and alignment.",
     {("Zorro-7B", "Qwen2-7B")}),
    ("Zorro-7B (continually pre-trained from Qwen2-1.5B on 1.5M files) is fast.", {("Zorro-7B", "Qwen2-1.5B")}),
    ("Applying our recipe to Gemma-2B yields Zorro-7B, which is small.", {("Zorro-7B", "Gemma 2B")}),
    ("Applied to Mistral-7B, the resulting Zorro-7B runs 1.8x faster.", {("Zorro-7B", "Mistral 7B")}),
    ("We further train Mistral-7B on 30B tokens of financial text to obtain Zorro-7B.", {("Zorro-7B", "Mistral 7B")}),
    ("We take the public OLMo-7B checkpoint and continue its pre-training on geology papers, producing Zorro-7B.",
     {("Zorro-7B", "OLMo-7B")}),
    ("We merge Qwen2-Math-7B-Instruct and CodeQwen1.5-7B-Chat into a single model, Zorro-7B.",
     {("Zorro-7B", "Qwen2-Math-7B-Instruct"), ("Zorro-7B", "CodeQwen1.5-7B-Chat")}),
    ("The checkpoint we start from, Qwen2-7B-Instruct, has no agent training.", {("Zorro-7B", "Qwen2-7B-Instruct")}),
    ("Our starting point is DeepSeekMath-7B-RL, which we optimise with step rewards.",
     {("Zorro-7B", "DeepSeekMath-7B-RL")}),
])
def test_more_ways_to_state_lineage(extract_one, sentence, pairs):
    ext = extract_one("Zorro-7B: A Small Model", f"We introduce Zorro-7B, a small model. {sentence}")
    assert {p for p in rels(ext, "based_on") if p[0] == "Zorro-7B"} == pairs, ext.relations


def test_a_subset_in_a_list_of_benchmarks_is_no_lineage(extract_one):
    ext = extract_one("Fathom-8B: Ocean Science", "We introduce Fathom-8B. Experiments across OceanBench, SciQ, "
                                                  "and the earth-science subset of MMLU-Pro show gains. We also build "
                                                  "GeoQA, a subset of MMLU-Pro.")
    assert rels(ext, "based_on") == {("GeoQA", "MMLU-Pro")}, ext.relations


def test_a_score_after_a_benchmark_is_no_version(extract_one):
    ext = extract_one("Zorro-7B Technical Report", "We introduce Zorro-7B, a small model. It obtains the following "
                                                   "scores: MMLU 68.9, GSM8K 81.2, MT-Bench 8.1 and MATH 40.1.")
    assert rels_objects(ext, "evaluated_on") == {"MMLU", "GSM8K", "MT-Bench", "MATH"}, ext.entities
    ext = extract_one("A study", "We compare ZorbLM 2.5 with Qwen 2.5 and InternLM 2.5.")
    assert ents(ext) == {"ZorbLM 2.5", "Qwen2.5", "InternLM2.5"}  # a one-digit version is a version


def test_a_comparison_on_benchmarks_is_an_evaluation_on_them(extract_one):
    ext = extract_one("Zorro-7B: A Small Model", "We introduce Zorro-7B. Zorro-7B beats Gemma-7B on the average of "
                                                 "ARC-Easy, HellaSwag and BoolQ.")
    assert rels_objects(ext, "evaluated_on") == {"ARC-Easy", "HellaSwag", "BoolQ"}, ext.relations


@pytest.mark.parametrize("sentence", [
    "Experiments on four datasets, namely SMD, MSL, SMAP and PSM, show gains.",
    "Experiments on four datasets: SMD, MSL, SMAP and PSM, show gains.",
    "Experiments on four datasets (SMD, MSL, SMAP and PSM) show gains.",
    "Evaluation is conducted on four datasets\u2014SMD, MSL, SMAP and PSM\u2014covering server telemetry.",
])
def test_short_names_listed_after_a_plural_data_head_are_the_data_evaluated_on(extract_one, sentence):
    ext = extract_one("A method for anomaly detection", sentence)
    assert ents(ext, "dataset") == {"SMD", "MSL", "SMAP", "PSM"}, ext.entities
    assert rels_objects(ext, "evaluated_on") == {"SMD", "MSL", "SMAP", "PSM"}
    assert rels(ext, "introduces") == set()  # ("namely" lists what is used; it names nothing new here)
    # a short acronym in brackets after a phrase is its abbreviation, not a list member
    ext = extract_one("A method", "We learn from user-item interaction data in collaborative filtering (CF).")
    assert "CF" not in ents(ext, "dataset")


def test_a_naming_cue_takes_the_kind_from_its_own_field(extract_one):
    ext = extract_one("A new method for anomaly detection", "We propose a new model, namely ZorbNet.")
    assert [(e.name, e.type) for e in ext.entities] == [("ZorbNet", "model")]
    ext = extract_one("A study", "We propose two new benchmarks, namely ZorbQA and QuuxBench.")
    assert rels_objects(ext, "introduces") == {"ZorbQA", "QuuxBench"} and ents(ext, "benchmark") == {"ZorbQA", "QuuxBench"}


@pytest.mark.parametrize("sentence,names", [
    ("We report mixed error rates on ASRU-2019 and SEAME, achieving 6.9% and 14.2%.", {"ASRU-2019", "SEAME"}),
    ("Zorro-7B raises citation precision on ALCE from 51% to 74%.", {"ALCE"}),
])
def test_names_a_metric_is_reported_on_are_benchmarks(extract_one, sentence, names):
    ext = extract_one("Zorro-7B: A Small Model", f"We introduce Zorro-7B. {sentence}")
    assert ents(ext, "benchmark") == names and rels_objects(ext, "evaluated_on") == names, ext.entities


@pytest.mark.parametrize("sentence,bases", [
    ("Its vision tower is initialized from SigLIP-SO400M and its language model is initialized from Gemma-2-9B.",
     {"SigLIP-SO400M", "Gemma 2 9B"}),
    ("Its text encoder is warm-started from Flan-T5-XL, and the decoder is trained from scratch.", {"Flan-T5-XL"}),
    ("We use the weights of Llama-3-8B to initialize the decoder of Zorro-7B.", {"Llama-3-8B"}),
])
def test_a_part_initialised_from_a_model_is_lineage_of_the_whole(extract_one, sentence, bases):
    ext = extract_one("Zorro-7B: A Small Model", f"We introduce Zorro-7B, a vision-language model. {sentence}")
    assert {b for a, b in rels(ext, "based_on") if a == "Zorro-7B"} == bases, ext.relations


def test_lineage_stated_in_the_title(extract_one):
    ext = extract_one("Zorro: A Mistral-7B-Based Agent for Web Tasks", "We introduce Zorro, an agent for web tasks.")
    assert rels(ext, "based_on") == {("Zorro", "Mistral 7B")}, ext.relations


@pytest.mark.parametrize("sentence,pairs", [
    ("We fine-tune three open models (Llama-3-8B, Qwen2-7B, and Gemma-7B) on it, yielding Fennel-L-8B, "
     "Fennel-Q-7B, and Fennel-G-7B.",
     {("Fennel-L-8B", "Llama-3-8B"), ("Fennel-Q-7B", "Qwen2-7B"), ("Fennel-G-7B", "Gemma 7B")}),
    ("Zorb-8B and Zorb-70B are fine-tuned from Llama-3-8B and Llama-3-70B, respectively.",
     {("Zorb-8B", "Llama-3-8B"), ("Zorb-70B", "Llama-3-70B")}),
    ("Zorb-1B and Zorb-3B are initialized from the corresponding Pythia-1.4B and Pythia-2.8B checkpoints.",
     {("Zorb-1B", "Pythia-1.4B"), ("Zorb-3B", "Pythia-2.8B")}),
    ("We fine-tune Llama-3-8B on two mixtures to obtain Zorb-8B-Math and Zorb-8B-Code.",
     {("Zorb-8B-Math", "Llama-3-8B"), ("Zorb-8B-Code", "Llama-3-8B")}),
])
def test_listed_models_made_from_listed_bases_pair_in_order(extract_one, sentence, pairs):
    ext = extract_one("A family of models", sentence)
    assert rels(ext, "based_on") == pairs, ext.relations


def test_a_sized_name_with_a_variant_word_is_name_shaped(extract_one):
    ext = extract_one("A family of models", "We compare Zorb-8B and Zorb-8B-Chat.")  # (not only "Zorb-8B")
    assert ents(ext) == {"Zorb-8B", "Zorb-8B-Chat"} and rels(ext, "based_on") == {("Zorb-8B-Chat", "Zorb-8B")}


def test_an_editions_year_after_an_apostrophe_is_part_of_the_name(extract_one):
    ext = extract_one("A study", "We evaluate on WMT'14 English-German, WMT'16 and CoNLL'03, and on GPT-4's outputs.")
    assert rels_objects(ext, "evaluated_on") == {"WMT14", "WMT16", "CoNLL-2003"}, ext.entities
    assert [m.text for e in ext.entities if e.name == "WMT14" for m in e.mentions] == ["WMT'14"]
    assert "GPT-4" in ents(ext, "model")  # (a possessive stays out of the name)


def test_a_version_list_of_listed_data_is_each_version(extract_one):
    ext = extract_one("A method", "We evaluate on three image classification datasets: CIFAR-10/100 and WOMBAT-10. "
                                  "Top-1/5 accuracy is reported.")
    assert ents(ext, "dataset") == {"CIFAR-10", "CIFAR-100", "WOMBAT-10"}, ext.entities
    assert rels_objects(ext, "evaluated_on") == {"CIFAR-10", "CIFAR-100", "WOMBAT-10"}


@pytest.mark.parametrize("sentence,typed", [
    ("It improves HR@10 by 4% compared with SASRec-X and GRU4Sess.", {"SASRec-X": "model", "GRU4Sess": "model"}),
    ("It improves F1 by 2 points over BiaffNest and SpanNest-L.", {"BiaffNest": "model", "SpanNest-L": "model"}),
    ("On FEMNIST-H and FedShake-2, it improves accuracy by 3 points.",
     {"FEMNIST-H": "benchmark", "FedShake-2": "benchmark"}),
    ("We train on HowToMoment-1M and JailMix-50K and test on it.", {"HowToMoment-1M": "dataset", "JailMix-50K": "dataset"}),
])
def test_unlisted_names_are_typed_by_what_the_sentence_does_with_them(extract_one, sentence, typed):
    ext = extract_one("A method", f"We propose a method. {sentence}")
    assert {e.name: e.type for e in ext.entities if e.name in typed} == typed, ext.entities


def test_a_capital_word_after_on_that_goes_on_is_no_benchmark(extract_one):
    ext = extract_one("Condenser", "The LM prediction CONditions on DENSE Representation. Experiments show gains.")
    assert "DENSE" not in ents(ext), ext.entities


def test_a_size_in_thousands_is_data_not_parameters(extract_one):
    ext = extract_one("A study", "We release JailMix-50K, a set of prompts. Results on JailMix-50K show gains.")
    assert [(e.name, e.type) for e in ext.entities] == [("JailMix-50K", "dataset")]


@pytest.mark.parametrize("abstract,name,base", [
    ("We propose MAPO, a preference method. Starting from the Zephyr-7B-SFT checkpoint, MAPO produces Tamarack-7B.",
     "Tamarack-7B", "Zephyr-7B-SFT"),
    ("We instantiate our method on Llama-3.1-8B-Instruct with 20k prompts, obtaining Veritas-8B.",
     "Veritas-8B", "Llama-3.1-8B-Instruct"),
    ("Training Gemma-2-9B-it with online DPO, we name the resulting policy Sagebrush-9B.", "Sagebrush-9B",
     "Gemma-2-9B-it"),
    ("We fine-tune Phi-3.5-mini-instruct as the controller, releasing it as Weave-Ctrl-3.8B.", "Weave-Ctrl-3.8B",
     "Phi-3.5-mini-instruct"),
    ("Continually pre-training Gemma-2-2B on our corpus produces Harambee-Gemma-2B.", "Harambee-Gemma-2B",
     "Gemma 2 2B"),
])
def test_a_model_named_as_what_the_making_results_in_is_introduced(extract_one, abstract, name, base):
    ext = extract_one("A recipe for small models", abstract)
    assert ("p1", name) in rels(ext, "introduces"), ext.relations
    assert (name, base) in rels(ext, "based_on")


def test_what_a_method_yields_in_general_is_no_new_name(extract_one):
    ext = extract_one("A recipe", "The method yields GPT-4-level accuracy and produces BLEU gains on WMT14.")
    assert rels(ext, "introduces") == set(), ext.relations


@pytest.mark.parametrize("abstract,wins", [
    ("We propose VER, a decoding strategy. With LLaVA-1.5-7B, InstructBLIP-7B and mPLUG-Owl2, VER outperforms VCD "
     "and OPERA.", {("VER", "VCD"), ("VER", "OPERA")}),
    ("We propose Tidewater, a cache policy. On LongBench with Mistral-7B and Llama-3-8B, Tidewater beats H2O and "
     "SnapKV.", {("Tidewater", "H2O"), ("Tidewater", "SnapKV")}),
    ("We introduce Zorro-7B. The gains of Zorro-7B over SimPO-7B are within noise.", set()),
    ("We introduce Zorro-7B. Zorro-7B surpasses StarCoder2-7B, matching DeepSeek-Coder-6.7B and approaching "
     "GPT-4o.", {("Zorro-7B", "StarCoder2-7B")}),
    ("We introduce Zorro-7B. On DocFinQA it is still outperformed by o1-mini.", {("o1-mini", "Zorro-7B")}),
    ("We introduce Zorro-7B. Zorro-7B exceeds MAC-SQL + GPT-4 on Spider.", set()),
])
def test_test_beds_hedges_passives_and_systems_in_comparisons(extract_one, abstract, wins):
    ext = extract_one("A study", abstract)
    assert {p for p in rels(ext, "outperforms") if p[0] != "p1"} == wins, ext.relations


def test_a_pronoun_stands_for_the_one_version_of_the_titles_name(extract_one):
    ext = extract_one("Marginalia: Reading the Margins", "We present Marginalia-8B, a reader model. It beats "
                                                         "Self-RAG-13B on ASQA.")
    assert rels(ext, "outperforms") == {("Marginalia-8B", "Self-RAG-13B")}, ext.relations


def test_a_capitalised_word_with_a_version_number_is_a_name(extract_one):
    ext = extract_one("A study", "We compare Medusa-2 and Sarvam-1 with Qwen-2 on MMLU. Stage-2 training and Top-5 "
                                 "accuracy improve, as Figure-3 shows.")
    assert ents(ext, "model") == {"Medusa-2", "Sarvam-1", "Qwen2"}, ext.entities
    assert rels_objects(ext, "evaluated_on") == {"MMLU"}  # ("we compare ... on X" is an evaluation on X)


def test_a_name_in_brackets_after_the_kind_a_sentence_releases_is_introduced(extract_one):
    ext = extract_one("A study", "We train a model. The dataset (Pixelwise-3M) and model are released.")
    assert rels_objects(ext, "introduces") == {"Pixelwise-3M"}, ext.relations
    for abstract in ["Prior work released a dataset (ZorbSet) last year.",
                     "We evaluate on the popular benchmark (MMLU-Pro), which is released."]:
        assert rels(extract_one("A study", abstract), "introduces") == set(), abstract


@pytest.mark.parametrize("abstract,pair", [
    ("We prune Llama-3.1-8B to 2.7B parameters with structured pruning. Topiary-2.7B, as we name the pruned model, "
     "reaches 60% on MMLU.", ("Topiary-2.7B", "Llama-3.1-8B")),
    ("StretchRoPE extends Llama-2-7B to a 64k context. The extended model, released as Llama-2-7B-Stretch-64K, is "
     "strong.", ("Llama-2-7B-Stretch-64K", "Llama-2-7B")),
])
def test_the_made_model_named_in_the_next_sentence(extract_one, abstract, pair):
    ext = extract_one("A study", abstract)
    assert pair in rels(ext, "based_on") and ("p1", pair[0]) in rels(ext, "introduces"), ext.relations


@pytest.mark.parametrize("title,abstract", [
    ("A study", "Our approach is based on ZeroFuse and improves accuracy."),
    ("A study", "In this tutorial, we introduce Gaussian Processes, which are widely used. We first introduce "
                "Transformers, which changed NLP."),
    ("A study", "We participated in Subtask-1 and Subtask-2 and report results on Subtask-1 and Fold-2."),
    ("A study", "It is robust against ZorbAttack and has high correlation against HumanPref."),
    ("A study", "We train on TPUv4 pods, and the model is trained on ZorbCluster for three days."),
    ("A study", "We evaluate on the Medical dataset, the Financial corpus, the Test dataset and the Full benchmark, and "
                "on the Urdu dataset and the Hebrew corpus."),
    ("A study", "We collect Real News articles and present a Long Bench press study."),
    ("Human Eval of Summaries: A Study", "We study it."),
    ("Deep Speed Control for Autonomous Driving", "We study it."),
    ("A study", "We fine-tune Llama-3-8B with our method, obtaining ZorbQA accuracy of 81.2%. Our method yields "
                "ZorbNet-level accuracy."),
])
def test_ordinary_words_found_in_review_are_no_names(extract_one, title, abstract):
    ext = extract_one(title, abstract)
    assert ents(ext, "model") | ents(ext, "dataset") | ents(ext, "benchmark") <= {"Llama-3-8B", "ZorbQA", "ZorbNet"}, \
        ext.entities  # (a name in "ZorbNet-level accuracy" is mentioned, not introduced)
    assert rels(ext, "introduces") == set() and rels(ext, "evaluated_on") <= {("p1", "ZorbQA")}, ext.relations


@pytest.mark.parametrize("abstract", [
    "We introduce ZorbLM, a 7B language model. ZorbLM outperforms Llama-2-13B on GSM8K, while its inference "
    "overhead is negligible.",
    "On average, ZorbLM outperforms Llama-2-13B by 3.2 points, while being much smaller.",
    "Across all benchmarks ZorbLM outperforms Llama-2-13B, while using fewer parameters.",
])
def test_wins_kept_beside_an_unrelated_clause_or_an_opening_phrase(extract_one, abstract):
    ext = extract_one("ZorbLM: A Small Model", abstract)
    assert ("ZorbLM", "Llama-2-13B") in rels(ext, "outperforms"), ext.relations


@pytest.mark.parametrize("sentence,pair", [
    ("Zorb-8B scores 72.1%, compared with 70.4% for Llama-3-8B-Instruct.", ("Zorb-8B", "Llama-3-8B-Instruct")),
    ("Zorb-8B scores 61.0%, compared with 70.4% for Llama-3-8B-Instruct.", ("Llama-3-8B-Instruct", "Zorb-8B")),
    ("Zorb-8B has a word error rate of 5.1%, versus 7.3% for Whisper-large-v3.", ("Zorb-8B", "Whisper large-v3")),
])
def test_figures_set_side_by_side_say_who_wins(extract_one, sentence, pair):
    ext = extract_one("A study", sentence)
    assert rels(ext, "outperforms") == {pair}, ext.relations
