"""The shared spaCy pipeline: line breaks start sentences before the parser runs."""

from __future__ import annotations

from movegraph.extractors.nlp import COUNTRY_NAMES, LINE_SENTENCES, load_pipeline


def test_a_line_break_starts_a_sentence_so_a_heading_stays_out_of_the_item_below() -> None:
    nlp = load_pipeline()
    assert nlp.pipe_names.index(LINE_SENTENCES) < nlp.pipe_names.index("parser")
    doc = nlp("Armed conflicts and attacks\n2026 Lebanon war\n"
              "Israel deploys the 98th Division to southern Lebanon, raising the force there to five divisions.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[-1].startswith("Israel deploys") and "Armed conflicts and attacks" in sentences[0]
    assert not any("war" in s and "Israel" in s for s in sentences)


def test_sentences_within_a_line_are_still_the_parser_s() -> None:
    doc = load_pipeline()("Then they left for Paris. And came back.\n\nHe said so.")
    assert [s.text.strip() for s in doc.sents] == ["Then they left for Paris.", "And came back.", "He said so."]


def test_a_country_name_the_tagger_misses_below_a_heading_is_still_a_place() -> None:
    nlp = load_pipeline()
    assert nlp.pipe_names.index(COUNTRY_NAMES) == nlp.pipe_names.index("ner") + 1
    doc = nlp("Foreign relations of Bosnia and Herzegovina, Foreign relations of Slovenia\n"
              "Slovenia bars Bosnian Serb separatist leader Milorad Dodik from entering the country.")
    assert [(e.text, e.label_) for e in doc.ents if e.text == "Slovenia"] == [("Slovenia", "GPE")] * 2
    assert ("Milorad Dodik", "PERSON") in [(e.text, e.label_) for e in doc.ents]  # the tagger's own stand
