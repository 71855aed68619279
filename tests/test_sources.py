"""Attributions, source resolution, classification and diversity indices (analysis.measures.sources)."""

from __future__ import annotations

import csv
import math
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.corpus import load_corpus
from analysis.errors import AnalysisError, LexiconError
from analysis.features import build_features
from analysis.measures.sources.indices import side_share
from analysis.measures.sources import (SOURCE_COLUMNS, Registry, RegistryError, SourceScorer, diversity,
                              extract_attributions, gini_simpson, load_registry,
                              resolve_sources, shannon_bits, source_columns, vocabulary)
from analysis.study import Study, load_study, parse_study
from analysis.text import parse_text
from analysis.validation.sources import jaccard

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "fixtures" / "gold_attributions_five.csv"
EMPTY = Registry()
FIVE = load_study(ROOT / "data" / "study.yml")  # the five articles' study
# An invented study: a city council and a union in a labour dispute.
TOWN_TEXT = """
actors:
  council: {label: City council, words: [council, councillor, mayor, city hall]}
  union: {label: Union, words: [union, shop steward, strikers]}
aliases: {city hall: City Council}
"""
TOWN = parse_study(TOWN_TEXT, "town.yml")
COUNTRIES = Study()  # no actors: the sides are the countries


def atts(text: str):
    return extract_attributions(parse_text(text))


def speakers(text: str) -> list[tuple[str, str]]:
    """(source, cue) of every attribution in ``text``, in order."""
    return [(a.source, a.cue) for a in atts(text)]


def rows(text: str, registry: Registry = EMPTY, study: Study = FIVE):
    art = parse_text(text)
    found = extract_attributions(art)
    return found, resolve_sources(art, found, registry, study)


def scored(text: str, study: Study, registry=None):
    """The Scored of ``text`` by a SourceScorer of ``study``."""
    art = parse_text(text)
    return SourceScorer(registry=registry, study=study).score(
        art, np.zeros((5, len(art.sentences)), dtype=int))


# --------------------------------------------------------------------------- kinds


def test_direct_quote():
    (a,) = atts("\u201cWe will not be intimidated,\u201d the interior minister said.")
    assert (a.source, a.cue, a.kind) == ("the interior minister", "said", "direct")
    assert "intimidated" in a.content


def test_indirect_speech():
    (a,) = atts("The minister said that growth could strengthen the partnership.")
    assert (a.source, a.kind) == ("The minister", "indirect")
    assert a.content.startswith("that growth")


def test_according_to():
    (a,) = atts("According to the interior ministry, the attackers used commercial drones.")
    assert (a.source, a.cue, a.kind) == ("the interior ministry", "according to",
                                         "according_to")
    assert "attackers used commercial drones" in a.content


def test_other_speech_act_with_object():
    (a,) = atts("Dar called for sustained, structured engagement on counterterrorism.")
    assert (a.source, a.cue, a.kind) == ("Dar", "called for", "other")


@pytest.mark.parametrize("sentence, source, cue", [
    ("Both delegations stressed the importance of strong institutions.", "Both delegations",
     "stressed"),
    ("The U.S. side emphasized the importance of tactical cooperation.", "The U.S. side",
     "emphasized"),
    ("The United States praised Pakistan's continued success.", "The United States",
     "praised"),
    ("The delegation reaffirmed support, urging a comprehensive approach.", "The delegation",
     "urging"),
    ("Interior Minister Mohsin Naqvi underscored this during the talks.",
     "Interior Minister Mohsin Naqvi", "underscored"),
    ("With analyst Michael Kugelman labelling the talks as landmark, hopes rose.",
     "analyst Michael Kugelman", "labelling"),
    ("Naqvi spoke to reporters, stating that Pakistan stands as a wall against terrorism.",
     "Naqvi", "stating"),
    ("Pakistan briefed the US on recent trends.", "Pakistan", "briefed"),
    ("Pakistan reaffirmed its commitment to sustained engagement.", "Pakistan", "reaffirmed"),
])
def test_cues_of_the_issue(sentence, source, cue):
    found = {(a.source, a.cue) for a in atts(sentence)}
    assert (source, cue) in found


def test_passive_agent_and_no_agent():
    (a,) = atts("The extradition was welcomed by the United States.")
    assert a.source == "the United States"
    assert atts("These challenges were acknowledged as critical.") == []


def test_inanimate_subjects_are_not_sources():
    assert atts("The dialogue highlighted a shift from reactive operations.") == []
    assert atts("It confirms Islamabad's stand on separatist violence.") == []


def test_nested_attribution_is_content():
    found = atts("A joint statement said the United States praised Pakistan's success.")
    assert [(a.source, a.cue) for a in found] == [("A joint statement", "said")]


def test_cue_inside_a_quotation_is_not_an_attribution():
    found = atts("\u201cI think we will win,\u201d the senator said.")
    assert [(a.source, a.cue) for a in found] == [("the senator", "said")]



def test_sentences_left_unparsed_could_give_no_attribution():
    from analysis.measures.sources.extract import candidate_sentences, selective_parse
    from analysis.measures.sources.rules import doc_attributions

    art = parse_text("The statement came late on Friday. \u201cWe will win.\u201d "
                     "\u201cWe will win,\u201d she quipped. The minister said the talks went "
                     "well. According to officials, the deal is done. The report on jobs "
                     "was published in May.")
    body = [s for s in art.sentences if not s.is_heading]
    chosen = [s.sentence_id for s in candidate_sentences(art)]
    # A cue noun alone ("statement", "report") and a quotation without a verb outside it
    # are not parsed; the quipped quotation, the cue verb and "according to" are.
    assert chosen == [body[2].sentence_id, body[3].sentence_id, body[4].sentence_id]
    # The rules find nothing in the sentences left out, parsed all the same.
    found = {s.sentence_id for s, d in zip(body, selective_parse(art, body))
             if doc_attributions(d)}
    assert found == set(chosen)

@pytest.mark.parametrize("text, source", [
    # A quotation over several sentences: the one with the cue opens inside it, and the
    # straight or typewriter mark closes it, so the cue after that mark is outside.
    ("''We need help. Swaps are tricky,'' he said.", "he"),
    ('"We need help. And we are doing it again now," the senator said.', "the senator"),
    ("''We need help. Golf is in trouble,'' he said of it. ''It is hard.''", "he"),
])
def test_quotation_continued_from_an_earlier_sentence(text, source):
    assert [(a.source, a.cue, a.kind) for a in atts(text)] == [(source, "said", "direct")]


def test_cue_inside_a_quotation_continued_from_an_earlier_sentence():
    found = atts("''It was hard. I said no to all of them,'' the coach recalled.")
    assert [(a.source, a.cue) for a in found] == [("the coach", "recalled")]


@pytest.mark.parametrize("sentence, source", [
    # Active whatever the tagger makes of "called" (VBD or VBN): a subject before it makes it
    # a past tense, not a reduced passive (the VBN case, built by hand, is in
    # test_past_participle_tag_after_its_subject_is_a_past_tense).
    ("After the meeting, Ramos called upon Governor Lena Fisk to reopen the bridge.",
     "Ramos"),
    ("Sen. Carla Dunn on Tuesday evening also called upon the E.U. to press Russia.",
     "Sen. Carla Dunn"),
])
def test_past_participle_tag_with_a_subject_is_active(sentence, source):
    assert speakers(sentence) == [(source, "called")]


def test_reduced_passive_participle_has_no_source():
    # The parser gives "emphasized" the subject "a point" and the clause before it as a
    # complement: still a reduced passive, no source.
    assert atts("Civilian casualties remain a painful reminder of the cost of such "
                "operations, a point emphasized in internal discussions.") == []


def test_contracted_has_is_not_a_passive():
    # The parser reads "'s said" as "is said" (nsubjpass + auxpass); a clause after the verb
    # shows it is "has said", so the subject speaks. A real passive still has no source.
    (a,) = atts("He's said he will stay in the race until the convention.")
    assert (a.source, a.cue, a.kind) == ("He", "said", "indirect")
    assert atts("It's said that the bridge will reopen in spring.") == []


@pytest.mark.parametrize("sentence, source, cue", [
    ("Judge Alma Reyes ended a long pause by asking the lawyers two questions.",
     "Judge Alma Reyes", "asking"),
    ("Mr. Hale has won over crowds by promising to cut taxes on small farms.",
     "Mr. Hale", "promising"),
    ("He left the stage after saying that he would win.", "He", "saying"),
])
def test_gerund_after_preposition_takes_the_subject_of_the_verb(sentence, source, cue):
    assert (source, cue) in {(a.source, a.cue) for a in atts(sentence)}


def test_gerund_after_for_is_not_said_by_the_subject():
    found = atts("Ramos criticized Ortega for saying that the economy was fine.")
    assert ("Ramos", "saying") not in {(a.source, a.cue) for a in found}


@pytest.mark.parametrize("sentence, source", [
    ("\u201cThis plan is a disaster in the making,\u201d said Morrow, who said there were "
     "too many open questions.", "Morrow"),
    ('"Sales are up a bit," said Mr. Varga, who noted that rents had fallen.',
     "Mr. Varga"),
])
def test_quotation_before_two_cues_belongs_to_the_first(sentence, source):
    found = atts(sentence)
    assert (source, "direct") in {(a.source, a.kind) for a in found}
    assert not any("\u201c" in a.content or '"' in a.content for a in found
                   if a.source != source)


@pytest.mark.parametrize("text, source", [
    ('The floods changed things. "Safety," said Pell, a longtime city resident.',
     "Pell, a longtime city resident"),
    ('"She fought each of those bills. Each and every one," said Ortega, who had '
     "drafted some of them.", "Ortega"),
])
def test_subject_inside_the_quotation_is_not_the_speaker(text, source):
    assert speakers(text) == [(source, "said")]


@pytest.mark.parametrize("sentence, source, cue, content", [
    ("The mayor, who is not accepting corporate money, fits that profile for many voters, "
     "he added.", "he", "added", "The mayor, who is not accepting corporate money, fits "
     "that profile for many voters"),
    ("The economy is growing, Ramos said.", "Ramos", "said", "The economy is growing"),
])
def test_reported_clause_before_the_cue_is_its_content(sentence, source, cue, content):
    found = [(a.source, a.cue, a.kind, a.content) for a in atts(sentence)]
    assert found == [(source, cue, "indirect", content)]


@pytest.mark.parametrize("sentence, source, cue", [
    ("Other critics pointed to earlier cases of fraud in local elections.",
     "Other critics", "pointed to"),
    ("The senator pointed out the risks of the plan.", "The senator", "pointed out"),
])
def test_clause_only_cue_with_its_listed_particle(sentence, source, cue):
    assert [(a.source, a.cue, a.kind) for a in atts(sentence)] == [(source, cue, "other")]
    # without the particle the cue still needs a clause
    assert atts("The senator pointed a finger at the camera.") == []


def test_clause_only_cue_in_the_passive_with_an_agent():
    found = atts("News of the deal was first reported by the Denver Post.")
    assert [(a.source, a.cue) for a in found] == [("the Denver Post", "reported")]
    assert atts("The bank reported its largest annual loss in 12 years.") == []


@pytest.mark.parametrize("sentence, source, cue", [
    ("On Monday, Ramos issued a statement saying that Okafor was a loyal friend.",
     "Ramos", "saying"),
    ("Her office put out a statement saying the city cannot fund every project.",
     "Her office", "saying"),
    ("Dana Wells, the campaign manager, released a statement confirming it will triple "
     "the budget.", "Dana Wells, the campaign manager", "confirming"),
])
def test_document_issued_by_the_source(sentence, source, cue):
    assert speakers(sentence) == [(source, cue)]


@pytest.mark.parametrize("sentence, source", [
    ("The Ohio governor emailed donors saying that the campaign goes on.",
     "The Ohio governor"),
    ("Maine Sen. Ruth Calder is making a pitch to Florida voters saying a federal rule "
     "limiting fishing is hurting the coast.", "Maine Sen. Ruth Calder"),
    ("Officials saying the plan would fail were ignored.", "Officials"),  # not an object
])
def test_participle_on_an_object_goes_with_the_subject(sentence, source):
    assert speakers(sentence) == [(source, "saying")]


def test_sentence_inside_a_quotation_of_several_sentences():
    # The middle sentence has no quotation mark but lies inside the quotation: its "said"
    # is the quoted speaker's. After the quotation closes, attributions count again.
    text = ('The rally ended late.\n\n"We will win. We said that we are strong. I told them '
            'so," the candidate said. The mayor said it was fine.')
    assert speakers(text) == [("the candidate", "said"),
                                                       ("The mayor", "said")]


@pytest.mark.parametrize("sentence, source", [
    ("Several said they would prefer lower fees.", "Several"),
    ("Most of the farmers said they support the strike.", "Most of the farmers"),
    ("Eight in 10 rural voters say they expect him to win.",
     "Eight in 10 rural voters"),
    ("Since March, at least 4,000 said they would leave.", "at least 4,000"),
])
def test_quantity_of_people_is_a_source(sentence, source):
    assert [a.source for a in atts(sentence)] == [source]


@pytest.mark.parametrize("sentence, source", [
    ("One of her aides, Paul Ruiz, told reporters that she would leave it to voters.",
     "One of her aides, Paul Ruiz"),
    ("About one in four say they would either stay home or are undecided.",
     "About one in four"),
    ("One says China has the most billionaires.", "One"),
    ("By wide margins, those polled say housing should be the top priority.",
     "those polled"),
    ("The farmers were anxious about the harvest; most said they were very anxious.",
     "most"),
])
def test_one_those_and_most_as_speakers(sentence, source):
    assert [a.source for a in atts(sentence)] == [source]


@pytest.mark.parametrize("sentence", [
    "No one called him a liar.",
    "Ortega won among those who said the economy mattered most.",  # a poll group
    "The plan moves from a focus on growth to one that emphasizes health policies.",
])
def test_one_and_those_that_are_not_speakers(sentence):
    assert atts(sentence) == []


@pytest.mark.parametrize("sentence, sources", [
    ("Staff walked investors through a chart that predicted growth in rural areas.", []),
    ("Trade unions ran posters that warn it could hurt jobs.", []),
    ("Pakistan is lucky to work with an entity that has acknowledged its security purpose.",
     ["that"]),
    ("He met voters who said the economy mattered most.", ["who"]),
])
def test_relative_that_speaks_only_for_a_person_or_body(sentence, sources):
    assert [a.source for a in atts(sentence)] == sources


@pytest.mark.parametrize("sentence, source, cue", [
    ("Delgado was eager to point out that few union members shared those views.",
     "Delgado", "point out"),
    ("Younger voters are somewhat more likely to say that Ortega speaks for them.",
     "Younger voters", "say"),
])
def test_infinitive_after_a_predicate_adjective(sentence, source, cue):
    assert speakers(sentence) == [(source, cue)]


@pytest.mark.parametrize("sentence, source, cue", [
    ("\u201cThey have basically camped there for weeks,\u201d added another Iowa "
     "Democrat.", "another Iowa Democrat", "added"),
    ('"How big is that wall?" asked the boy, who was wearing a hat.', "the boy", "asked"),
    # The parser makes the phrase after the cue the subject of the clause that follows it.
    ("''I am better with my hands than I am with my brain,'' said Robin Lane, half joking.",
     "Robin Lane", "said"),
    ('"We should close the store," said the woman, who like many in the town did not give '
     "her name.", "the woman", "said"),
])
def test_inverted_speaker_after_the_quotation(sentence, source, cue):
    assert speakers(sentence) == [(source, cue)]


@pytest.mark.parametrize("sentence, source, cue", [
    # the parser hangs the speaker on the noun before it as an apposition
    ("In an interview with hosts Ana Price and Leo Grant, the Green Party mayoral "
     "candidate stated that Hale's remarks do not help.",
     "the Green Party mayoral candidate", "stated"),
    ("In a statement to the Gazette, his senior legal adviser, Omar Reyes, said: "
     "\u201cGovernor Hale believes that trade is essential.\u201d",
     "his senior legal adviser, Omar Reyes", "said"),
    # ... or takes a number phrase for a modifier of the verb
    ("About 6 in 10 say they want the next governor to have more moderate policies.",
     "About 6 in 10", "say"),
])
def test_speaker_misattached_before_a_verb_without_subject(sentence, source, cue):
    assert speakers(sentence) == [(source, cue)]


@pytest.mark.parametrize("sentence, source", [
    ("\u201cIt's rare for a charity,\u201c said Nora Quist, an attorney with the Civic Law "
     "Project.", "Nora Quist, an attorney with the Civic Law Project"),
    ("\u201cThe truth is that this could cause trouble for him there,\u201c said Ada "
     "Moss, a Republican senator.", "Ada Moss, a Republican senator"),
])
def test_curly_quotation_mark_typed_the_wrong_way_round(sentence, source):
    # The second mark is an opening one in form, but it follows a comma and a quotation is
    # open: it closes the quotation, so the speaker after it is outside.
    assert [(a.source, a.cue, a.kind) for a in atts(sentence)] == [(source, "said", "direct")]


def test_of_several_subjects_the_one_nearest_the_cue_speaks():
    # A misparse with two subjects of "said", the first inside the quotation; built by hand
    # so that the rule is tested whatever the parser makes of the sentence.
    from spacy.tokens import Doc

    from analysis.measures.sources import doc_attributions
    from analysis.text import get_nlp

    words = ["\u201c", "Safety", "first", ",", "\u201d", "Ramos", "said", "."]
    doc = Doc(get_nlp().vocab, words=words,
              spaces=[False, True, False, False, True, True, False, False],
              pos=["PUNCT", "NOUN", "ADV", "PUNCT", "PUNCT", "PROPN", "VERB", "PUNCT"],
              tags=["``", "NN", "RB", ",", "''", "NNP", "VBD", "."],
              lemmas=["\"", "safety", "first", ",", "\"", "Ramos", "say", "."],
              heads=[6, 6, 1, 6, 6, 6, 6, 6],
              deps=["punct", "nsubj", "advmod", "punct", "punct", "nsubj", "ROOT", "punct"])
    assert [(a["source"], a["cue"]) for a in doc_attributions(doc)] == [("Ramos", "said")]


def _doc(words, spaces, pos, tags, lemmas, heads, deps):
    """A parsed Doc built by hand: a rule is tested whatever the parser makes of a sentence."""
    from spacy.tokens import Doc

    from analysis.text import get_nlp

    return Doc(get_nlp().vocab, words=words, spaces=spaces, pos=pos, tags=tags, lemmas=lemmas,
               heads=heads, deps=deps)


def test_past_participle_tag_after_its_subject_is_a_past_tense():
    # "Ortega tweeted." with the tagger's VBN: a subject before it and no auxiliary make it
    # active; a bare participle after its noun stays a reduced passive (no source).
    from analysis.measures.sources import doc_attributions

    doc = _doc(["\u201c", "Fun", "!", "\u201d", "Ortega", "tweeted", "."],
               [False, False, False, True, True, False, False],
               ["PUNCT", "NOUN", "PUNCT", "PUNCT", "PROPN", "VERB", "PUNCT"],
               ["``", "NN", ".", "''", "NNP", "VBN", "."],
               ["\"", "fun", "!", "\"", "Ortega", "tweet", "."],
               [5, 5, 5, 5, 5, 5, 5],
               ["punct", "ccomp", "punct", "punct", "nsubj", "ROOT", "punct"])
    assert [(a["source"], a["cue"]) for a in doc_attributions(doc)] == [("Ortega", "tweeted")]
    doc = _doc(["The", "point", "emphasized", "in", "the", "talks", "was", "trade", "."],
               [True, True, True, True, True, False, True, False, False],
               ["DET", "NOUN", "VERB", "ADP", "DET", "NOUN", "AUX", "NOUN", "PUNCT"],
               ["DT", "NN", "VBN", "IN", "DT", "NNS", "VBD", "NN", "."],
               ["the", "point", "emphasize", "in", "the", "talk", "be", "trade", "."],
               [1, 6, 1, 2, 5, 3, 6, 6, 6],
               ["det", "nsubj", "acl", "prep", "det", "pobj", "ROOT", "attr", "punct"])
    assert doc_attributions(doc) == []
    # The parser may make a summing-up phrase the subject: "..., a point emphasized in ..."
    doc = _doc(["Casualties", "remain", "high", ",", "a", "point", "emphasized", "in", "talks",
                "."],
               [True, True, False, True, True, True, True, True, False, False],
               ["NOUN", "VERB", "ADJ", "PUNCT", "DET", "NOUN", "VERB", "ADP", "NOUN", "PUNCT"],
               ["NNS", "VBP", "JJ", ",", "DT", "NN", "VBN", "IN", "NNS", "."],
               ["casualty", "remain", "high", ",", "a", "point", "emphasize", "in", "talk", "."],
               [1, 6, 1, 6, 5, 6, 6, 6, 7, 6],
               ["nsubj", "ccomp", "acomp", "punct", "det", "nsubj", "ROOT", "prep", "pobj",
                "punct"])
    assert doc_attributions(doc) == []


# --------------------------------------------------------------------------- resolution


def test_one_source_one_entry():
    text = ("Pakistan's Deputy Prime Minister and Foreign Minister Ishaq Dar said the talks "
            "went well. Dar stressed the need for engagement. Ishaq Dar urged patience.")
    found, res = rows(text)
    assert len(found) == 3
    assert {r["canonical_source"] for r in res} == {"Ishaq Dar"}
    assert {r["source_type"] for r in res} == {"government official"}
    assert {r["source_affiliation"] for r in res} == {"pakistan"}


def test_bare_surname_takes_the_fuller_mention_from_elsewhere():
    text = ("LoGerfo met Pakistan's Foreign Minister Ishaq Dar on Tuesday. "
            "Dar called for sustained engagement.")
    found, res = rows(text)
    assert [a.source for a in found] == ["Dar"]
    assert res[0]["canonical_source"] == "Ishaq Dar"
    assert (res[0]["source_type"], res[0]["source_affiliation"]) == ("government official",
                                                                     "pakistan")


def test_pronoun_linked_to_nearest_named_source():
    text = "Interior Minister Mohsin Naqvi said the wall holds. He stressed the cost."
    _, res = rows(text)
    assert [r["mention"] for r in res] == ["name", "pronoun"]
    assert res[1]["canonical_source"] == "Mohsin Naqvi"


def test_unclear_pronoun_stays_unresolved():
    _, res = rows("He said the talks were useful.")
    assert res[0]["mention"] == "unresolved_pronoun"
    assert res[0]["canonical_source"] == ""
    _, res = rows("Analyst Jim Roe said the talks went well. Minister John Doe said they "
                  "did not. He stressed the cost.")
    assert res[2]["mention"] == "unresolved_pronoun"  # two people in reach: not clear


def test_plural_pronoun_links_to_group():
    _, res = rows("Both delegations stressed institutions. They emphasized technology.")
    assert res[1]["mention"] == "pronoun"
    assert res[1]["canonical_source"] == res[0]["canonical_source"] == "Both delegations"


# --------------------------------------------------------------------------- classification


@pytest.mark.parametrize("text, typ, aff", [
    ("Pakistan's Interior Minister Mohsin Naqvi said the wall holds.", "government official",
     "pakistan"),
    ("US officials say such measures will curb funding.", "unnamed/anonymous",
     "united_states"),
    ("Critics argue that the outcomes remain limited.", "unnamed/anonymous", "unknown"),
    ("The U.S. delegation welcomed the evolution.", "diplomat/delegation", "united_states"),
    ("A joint statement from the Pakistani foreign office said talks went well.",
     "joint statement/document", "pakistan"),
    ("Pakistan's Army Chief, General Asim Munir, said the army is ready.",
     "military/security", "pakistan"),
    ("Analyst Jane Roe said the talks were a breakthrough.", "expert/analyst", "unknown"),
    ("Washington declared the group a terrorist organization.", "government official",
     "united_states"),
    ("Officials from Pakistan and the United States pledged cooperation.",
     "unnamed/anonymous", "multiple"),
    ("Jane Roe said the talks were a breakthrough.", "unknown", "unknown"),
])
def test_classification_without_registry(text, typ, aff):
    _, res = rows(text)
    assert (res[0]["source_type"], res[0]["source_affiliation"]) == (typ, aff)
    assert res[0]["classified_by"] == "text"


def test_registry_overrides(tmp_path):
    reg = tmp_path / "sources.csv"
    reg.write_text("name,type,affiliation,note\n"
                   "Jane Roe,civil society,other,a made-up activist\n"
                   "Mohsin Naqvi,,united_states,only the affiliation is overridden\n",
                   encoding="utf-8")
    registry = load_registry(reg, FIVE)
    _, res = rows("Jane Roe said the talks were a breakthrough.", registry)
    assert (res[0]["source_type"], res[0]["source_affiliation"],
            res[0]["classified_by"]) == ("civil society", "other", "registry")
    _, res = rows("Interior Minister Mohsin Naqvi said the wall holds. Naqvi added that "
                  "it would.", registry)
    assert {(r["source_type"], r["source_affiliation"]) for r in res} == {
        ("government official", "united_states")}


def test_shipped_registry_is_valid():
    registry = load_registry(ROOT / "data" / "sources.csv", FIVE)
    assert len(registry) >= 5
    assert registry.lookup(["ishaq dar"]).type == "government official"
    assert {e.affiliation for e in registry.entries} <= set(FIVE.affiliations)
    # the study's registry is the default of load_registry and of the scorer
    assert len(load_registry(study=FIVE)) == len(registry)
    assert len(SourceScorer(study=FIVE)._registry) == len(registry)
    assert len(SourceScorer(study=TOWN)._registry) == 0  # the town study names none


@pytest.mark.parametrize("content, where, what", [
    ("name,kind,affiliation,note\n", "line 1", "header"),
    ("name,type,affiliation,note\nJane Roe,pundit,other,\n", "line 2", "unknown type"),
    ("name,type,affiliation,note\nA,media,other,\nB,media,Mars,\n", "line 3",
     "unknown affiliation 'Mars'"),
    ("name,type,affiliation,note\nA,media,other,\nB,media,Pakistan,\n", "line 3",
     "one of: pakistan, united_states, other, multiple, unknown"),
    ("name,type,affiliation,note\nA,media,other\n", "line 2", "3 fields"),
    ("name,type,affiliation,note\nA,media,other,\na,media,other,\n", "line 3", "already"),
    ("name,type,affiliation,note\n,media,other,\n", "line 2", "empty name"),
])
def test_malformed_registry_names_file_line_problem(tmp_path, content, where, what):
    reg = tmp_path / "my_sources.csv"
    reg.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(reg, FIVE)
    msg = str(err.value)
    assert "my_sources.csv" in msg and where in msg and what in msg
    assert isinstance(err.value, LexiconError) and isinstance(err.value, AnalysisError)
    with pytest.raises(RegistryError):
        SourceScorer(registry=reg, study=FIVE)


@pytest.mark.slow
def test_cli_malformed_registry_exits_2(tmp_path, tiny_corpus):
    from tests.conftest import run_cli

    reg = tmp_path / "bad.csv"
    reg.write_text("name,type,affiliation,note\nX,spy,other,\n", encoding="utf-8")
    res = run_cli("attributions", str(tiny_corpus), "-o", str(tmp_path / "a.csv"),
                  "--registry", str(reg))
    assert res.returncode == 2
    assert "bad.csv, line 2: unknown type 'spy'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


# --------------------------------------------------------------------------- the study


def _affiliations(text: str, study: Study) -> list[tuple[str, str]]:
    _, res = rows(text, study=study)
    return [(r["canonical_source"], r["source_affiliation"]) for r in res]


@pytest.mark.parametrize("text, expected", [
    # a fuller mention elsewhere in the article: "Mayor Ana Ruiz" ties a bare "Ruiz"
    ("Mayor Ana Ruiz met union leaders on Monday. Ruiz said the budget was balanced.",
     [("Ana Ruiz", "council")]),
    ("The shop steward said the strikers would not return.", [("shop steward", "union")]),
    ("Strikers said they would not return.", [("Strikers", "union")]),
    # both sides named: multiple ... unless a modifier before the head decides
    ("Officials of the council and the union said talks would resume.",
     [("Officials of the council and the union", "multiple")]),
    ("The mayor's envoy to the union said a deal was close.",
     [("mayor's envoy to the union", "council")]),
    # a place the study does not list is other; nothing said is unknown
    ("Paris said it would send mediators.", [("Paris", "other")]),
    ("Analyst Jane Roe said the talks were a breakthrough.", [("Jane Roe", "unknown")]),
])
def test_affiliation_follows_the_study(text, expected):
    assert _affiliations(text, TOWN) == expected


def test_study_aliases_join_names_and_win():
    found = _affiliations("City Hall said the budget was balanced. The City Council added "
                          "that cuts were needed.", TOWN)
    assert found == [("City Council", "council")] * 2  # one source, by the study's alias
    v = vocabulary(TOWN)
    assert v.aliases["u.n."] == "United Nations"  # the generic aliases are kept
    assert v.alias_side("City Hall") is None  # "City Council" is no word of an actor
    other = parse_study("actors: {council: {words: [council, city council]}}\n"
                        "aliases: {u.n.: City Council}")
    assert vocabulary(other).aliases["u.n."] == "City Council"  # the study wins
    assert vocabulary(other).alias_side("the U.N.") == "council"
    assert vocabulary(TOWN) is vocabulary(parse_study(TOWN_TEXT, "town.yml"))  # cached


def test_the_other_study_words_mean_nothing_here():
    # the five articles' words are no side of the town study, and the reverse
    assert _affiliations("Pakistan's foreign minister said talks went well.", TOWN) == [
        ("Pakistan's foreign minister", "other")]
    assert _affiliations("The shop steward said the strikers would not return.", FIVE) == [
        ("shop steward", "unknown")]


def shares_of(res) -> dict:
    return {c: v for c, v in res.columns.items() if side_share(c)}


def test_town_scorer_columns_and_shares():
    text = ("Mayor Ana Ruiz said the budget was balanced. The union said it would strike. "
            "Officials of the council and the union said talks would resume. Paris said it "
            "would send mediators. He said the talks were useful.")
    res = scored(text, TOWN)
    affs = [r["source_affiliation"] for r in res.tables["attributions"]]
    assert affs == ["council", "union", "multiple", "other", "unknown"]
    assert res.tables["attributions"][-1]["mention"] == "unresolved_pronoun"
    shares = shares_of(res)
    assert shares == {f"src_share_{k}": 0.2 for k in TOWN.affiliations}
    assert set(res.columns) == set(SourceScorer(study=TOWN).columns())
    assert sum(shares.values()) == pytest.approx(1.0)
    none = scored("The bridge reopened on Monday.", TOWN)
    assert none.columns["src_n_attributions"] == 0
    assert all(math.isnan(v) for v in shares_of(none).values())


def test_countries_without_actors():
    text = ("French officials said the plan was weak. A Kenyan minister said it was fine. "
            "He said more.")
    res = scored(text, COUNTRIES)
    affs = [r["source_affiliation"] for r in res.tables["attributions"]]
    assert affs == ["france", "kenya", "unknown"]
    sc = SourceScorer(study=COUNTRIES)
    assert sc.dynamic_prefix == "src_share_"
    assert "src_share_france" not in sc.columns()  # found in the data, not declared
    third = pytest.approx(1 / 3)
    assert shares_of(res) == {"src_share_france": third, "src_share_kenya": third,
                              "src_share_other": 0.0, "src_share_multiple": 0.0,
                              "src_share_unknown": third}
    # two countries in one phrase, no modifier deciding: multiple
    _, r = rows("Officials from France and Kenya said talks would resume.", study=COUNTRIES)
    assert r[0]["source_affiliation"] == "multiple"
    # a capital-letter abbreviation that NER calls a place is read dotted ("u.k."), not other
    assert _affiliations("UK officials said the plan was weak.", COUNTRIES) == [
        ("UK officials", "united_kingdom")]


def test_scorer_pickles():
    sc = SourceScorer(study=TOWN)
    again = pickle.loads(pickle.dumps(sc))
    assert again.columns() == sc.columns() and again.study == TOWN
    text = "Mayor Ana Ruiz said the budget was balanced. Strikers said they would not return."
    art = parse_text(text)
    idx = np.zeros((5, len(art.sentences)), dtype=int)
    assert again.score(art, idx).tables == sc.score(art, idx).tables
    five = pickle.loads(pickle.dumps(SourceScorer(study=FIVE)))
    assert len(five._registry) == len(load_registry(study=FIVE))


@pytest.mark.parametrize("study, content, line, bad, allowed", [
    (TOWN, "name,type,affiliation,note\nAna Ruiz,,council,\nTom Baker,,strikers,\n",
     "line 3", "'strikers'", "one of: council, union, other, multiple, unknown"),
    # a key of another study is no key of this one
    (TOWN, "name,type,affiliation,note\n# a comment\nA,media,pakistan,\n", "line 3",
     "'pakistan'", "one of: council, union, other, multiple, unknown"),
    # a label is no key
    (TOWN, "name,type,affiliation,note\nA,media,City council,\n", "line 2",
     "'City council'", "council, union"),
    (COUNTRIES, "name,type,affiliation,note\nA,media,france,\nB,media,Frnace,\n", "line 3",
     "'Frnace'", "did you mean france"),
    (COUNTRIES, "name,type,affiliation,note\nA,media,council,\n", "line 2", "'council'",
     "a country key"),
])
def test_registry_affiliation_must_be_a_key_of_the_study(tmp_path, study, content, line, bad,
                                                         allowed):
    reg = tmp_path / "town_sources.csv"
    reg.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryError) as err:
        load_registry(reg, study)
    msg = str(err.value)
    assert "town_sources.csv" in msg and f"{line}:" in msg
    assert f"unknown affiliation {bad}" in msg and allowed in msg
    with pytest.raises(RegistryError):
        SourceScorer(registry=reg, study=study)


def test_registry_keys_of_the_study_are_accepted_and_override(tmp_path):
    reg = tmp_path / "town_sources.csv"
    reg.write_text("name,type,affiliation,note\nJane Roe,civil society,union,an organiser\n",
                   encoding="utf-8")
    res = scored("Analyst Jane Roe said the talks were a breakthrough.", TOWN, registry=reg)
    (row,) = res.tables["attributions"]
    assert (row["source_affiliation"], row["classified_by"]) == ("union", "registry")
    assert res.columns["src_share_union"] == 1.0
    country = tmp_path / "country_sources.csv"
    country.write_text("name,type,affiliation,note\nJane Roe,,south_korea,\n",
                       encoding="utf-8")
    res = scored("Analyst Jane Roe said the talks were a breakthrough.", COUNTRIES,
                 registry=country)
    assert shares_of(res)["src_share_south_korea"] == 1.0


# --------------------------------------------------------------------------- indices


def test_entropy_hand_computed():
    assert shannon_bits([4]) == 0.0
    assert shannon_bits([3, 3]) == pytest.approx(1.0)
    assert shannon_bits([1, 1, 1, 1]) == pytest.approx(2.0)
    assert shannon_bits([1, 3]) == pytest.approx(-(0.25 * math.log2(0.25) + 0.75 * math.log2(0.75)))
    assert math.isnan(shannon_bits([]))
    assert gini_simpson([5]) == 0.0
    assert gini_simpson([2, 2]) == pytest.approx(0.5)


def _row(typ, aff, kind="indirect", key=None, sid=0, mention="name"):
    return {"source_type": typ, "source_affiliation": aff, "kind": kind,
            "key": key or f"{typ}|{aff}", "sentence_id": sid, "mention": mention}


ACTORS = ("council", "union")


def test_diversity_one_source_and_two_equal_types():
    one = diversity([_row("government official", "council", key="ruiz")] * 3, actors=ACTORS)
    assert one["src_entropy"] == 0.0 and one["src_simpson"] == 0.0
    assert (one["src_n_attributions"], one["src_n_unique"], one["src_n_types"]) == (3, 1, 1)
    assert one["src_official_share"] == 1.0 and one["src_share_council"] == 1.0
    assert one["src_share_union"] == one["src_share_unknown"] == 0.0
    two = diversity([_row("government official", "council", kind="direct", sid=0),
                     _row("expert/analyst", "union", sid=1),
                     _row("expert/analyst", "union", sid=1),
                     _row("government official", "council", sid=2)],
                    n_sentences=3, idx=np.random.default_rng(0).integers(0, 3, (200, 3)),
                    actors=ACTORS)
    assert two["src_entropy"] == pytest.approx(1.0)
    assert two["src_simpson"] == pytest.approx(0.5)
    assert two["src_n_unique"] == 2 and two["src_n_types"] == 2
    assert two["src_share_council"] == two["src_share_union"] == 0.5
    assert two["src_direct_quote_share"] == 0.25
    assert 0.0 <= two["src_entropy_lo"] <= two["src_entropy"] <= two["src_entropy_hi"] <= 1.0
    assert set(two) == set(source_columns(ACTORS))


def test_diversity_unresolved_pronoun_and_empty():
    d = diversity([_row("government official", "council", key="ruiz"),
                   _row("unknown", "unknown", key="", mention="unresolved_pronoun")],
                  actors=ACTORS)
    assert d["src_n_attributions"] == 2 and d["src_n_unique"] == 1
    assert d["src_entropy"] == 0.0  # the unresolved one adds no diversity
    assert d["src_share_council"] == 0.5  # ... but is in every share's denominator
    assert d["src_share_unknown"] == 0.5  # ... as unknown
    empty = diversity([], actors=ACTORS)
    assert empty["src_n_attributions"] == 0 and math.isnan(empty["src_entropy"])
    assert all(math.isnan(empty[c]) for c in source_columns(ACTORS) if "share" in c)


def test_source_columns_order():
    cols = source_columns(ACTORS)
    shares = [c for c in cols if side_share(c)]
    assert shares == ["src_share_council", "src_share_union", "src_share_other",
                      "src_share_multiple", "src_share_unknown"]
    # the shares sit where the affiliation shares always were: after the official share
    assert cols.index("src_official_share") + 1 == cols.index("src_share_council")
    assert not {"src_pk_share", "src_us_share", "src_other_share"} & set(cols)
    assert [c for c in SOURCE_COLUMNS if side_share(c)] == [
        "src_share_other", "src_share_multiple", "src_share_unknown"]
    assert SOURCE_COLUMNS[-5:] == ["src_n_female", "src_n_male", "src_share_female",
                                   "src_share_female_lo", "src_share_female_hi"]
    assert SourceScorer(study=TOWN).columns() == cols
    assert SourceScorer(study=COUNTRIES).columns() == SOURCE_COLUMNS


def test_diversity_finds_the_countries_without_actors():
    d = diversity([_row("government official", "france"), _row("media", "kenya"),
                   _row("media", "kenya", key="k2"), _row("media", "multiple")])
    assert (d["src_share_france"], d["src_share_kenya"], d["src_share_multiple"]) == (
        0.25, 0.5, 0.25)
    assert d["src_share_other"] == d["src_share_unknown"] == 0.0
    assert "src_share_germany" not in d  # only the countries of the rows


# --------------------------------------------------------------------------- five articles


@pytest.fixture(scope="module")
def five():
    corpus = load_corpus(ROOT / "data" / "raw")
    fs = build_features(corpus, groups=("sources",), n_resamples=200, study=FIVE)
    return corpus, fs


def test_raw_offsets_index_the_input_files(five):
    corpus, fs = five
    table = fs.tables["attributions"]
    assert len(table) > 0
    raw = dict(zip(corpus["article_id"], corpus["text"]))
    for r in table.itertuples():
        assert raw[r.article_id][r.source_start:r.source_end] == r.source
        assert raw[r.article_id][r.cue_start:r.cue_end] == r.cue


def test_features_are_consistent_with_the_table(five):
    _, fs = five
    table, feats = fs.tables["attributions"], fs.features.set_index("article_id")
    counts = table.groupby("article_id").size()
    for aid, n in counts.items():
        assert feats.loc[aid, "src_n_attributions"] == n
    assert ((feats["src_entropy"] >= 0) | feats["src_entropy"].isna()).all()
    shares = [f"src_share_{k}" for k in FIVE.affiliations]
    assert not {"src_pk_share", "src_us_share", "src_other_share"} & set(feats.columns)
    assert np.allclose(feats.loc[counts.index, shares].sum(axis=1), 1.0, atol=1e-5)
    for aid in counts.index:  # each share is the count of its key over all attributions
        sub = table[table["article_id"] == aid]
        for k in FIVE.affiliations:
            assert feats.loc[aid, f"src_share_{k}"] == pytest.approx(
                (sub["source_affiliation"] == k).mean(), abs=1e-6)
    assert set(table["source_affiliation"]) <= set(FIVE.affiliations)
    ev = fs.evidence[fs.evidence["feature"] == "source"]
    assert len(ev) == len(table)
    for r in ev.itertuples():
        assert r.sentence[r.start:r.end] == r.term


def _gold_scores(table: pd.DataFrame, gold: pd.DataFrame) -> tuple[float, float]:
    """Strict (Jaccard >= 0.5) precision and recall of predicted vs gold source spans,
    one-to-one, within each article, on (source, cue) pairs (a cue must overlap too)."""
    used, tp = set(), 0
    for g in gold.itertuples():
        for i, p in enumerate(table.itertuples()):
            if i in used or p.article_id != g.article_id:
                continue
            if p.cue_start < g.cue_end and g.cue_start < p.cue_end and jaccard(
                    ((p.source_start, p.source_end),),
                    ((g.source_start, g.source_end),)) >= 0.5:
                used.add(i)
                tp += 1
                break
    return tp / len(table), tp / len(gold)


def test_precision_recall_against_hand_gold(five):
    _, fs = five
    table = fs.tables["attributions"]
    gold = pd.read_csv(GOLD, dtype={"article_id": str}, keep_default_na=False)
    assert len(gold) >= 30
    precision, recall = _gold_scores(table, gold)
    assert precision >= 0.90, precision
    assert recall >= 0.80, recall


def test_classification_against_hand_gold(five):
    """Kind, type and affiliation of the gold attributions the extractor found: most agree."""
    _, fs = five
    table = fs.tables["attributions"]
    gold = pd.read_csv(GOLD, dtype={"article_id": str}, keep_default_na=False)
    # the gold fixture spells affiliations as labels; the table has the study's keys
    gold["source_affiliation"] = gold["source_affiliation"].replace(
        {a.label: a.key for a in FIVE.actors})
    m = gold.merge(table, on=["article_id", "cue_start"], suffixes=("_gold", ""))
    assert len(m) >= 25
    assert (m["kind_gold"] == m["kind"]).mean() >= 0.90
    assert (m["source_type_gold"] == m["source_type"]).mean() >= 0.85
    assert (m["source_affiliation_gold"] == m["source_affiliation"]).mean() >= 0.75


def test_gold_fixture_offsets_are_exact():
    corpus = load_corpus(ROOT / "data" / "raw")
    raw = dict(zip(corpus["article_id"], corpus["text"]))
    with GOLD.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            text = raw[r["article_id"]]
            assert text[int(r["source_start"]):int(r["source_end"])] == r["source"]
            assert text[int(r["cue_start"]):int(r["cue_end"])] == r["cue"]


@pytest.mark.slow
def test_deterministic(five):
    corpus, fs = five
    again = build_features(corpus, groups=("sources",), n_resamples=200, study=FIVE)
    pd.testing.assert_frame_equal(fs.features, again.features)
    pd.testing.assert_frame_equal(fs.tables["attributions"], again.tables["attributions"])


# --------------------------------------------------------------------------- validation code


def test_span_matching_rules():
    from analysis.validation.sources import match

    gold = [((0, 10),), ((20, 30),)]
    assert match([((0, 10),)], gold) == (1, 1)
    assert match([((0, 4),)], gold) == (0, 1)  # a word of the source: loose only
    assert match([((0, 10),), ((2, 8),)], gold) == (1, 1)  # one-to-one
    assert jaccard(((0, 4), (6, 10)), ((0, 10),)) == pytest.approx(0.8)  # discontinuous


def test_polnear_evaluation_on_a_written_fixture(tmp_path):
    from analysis.validation.sources import evaluate, read_ann

    root = tmp_path / "polnear_dev"
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    text = ("Senator Jane Roe, a Democrat, said the bill would fail. "
            "The report shows growth. Critics think it is late.\n")
    (root / "text" / "paper_x.txt").write_text(text, encoding="utf-8")

    def ent(k, label, s):
        a = text.index(s)
        return f"T{k}\t{label} {a} {a + len(s)}\t{s}"

    ann = "\n".join([
        ent(1, "Source", "Senator Jane Roe, a Democrat,"), ent(2, "Cue", "said"),
        ent(3, "Content", "the bill would fail"), "E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3",
        ent(4, "Source", "Critics"), ent(5, "Cue", "think"), ent(6, "Content", "it is late"),
        "E2\tAttribution:T5 Source:T4 Cue:T5 Content:T6"]) + "\n"
    (root / "attributions" / "paper_x_ab12.ann").write_text(ann, encoding="utf-8")
    assert len(read_ann(root / "attributions" / "paper_x_ab12.ann")) == 2
    res = evaluate(root)
    c = res["counts"]
    assert (c["files"], c["all_gold"], c["speech_gold"]) == (1, 2, 1)  # "think": no speech cue
    assert c["speech_tp_r_strict"] == 1 and c["all_pred"] == 1
    p, r, f = res["scores"][("speech", "strict")]
    assert (p, r, f) == (1.0, 1.0, 1.0)
    assert res["scores"][("all", "strict")][1] == 0.5
    # the per-article counts add up to the pooled counts (the bootstrap's unit)
    assert len(res["articles"]) == 1
    assert {k: v for k, v in res["articles"][0].items() if v} == {k: v for k, v in c.items() if v}


def test_f1_interval_resamples_articles():
    from analysis.validation.sources import _scores, f1_interval

    good = {"speech_pred": 4, "speech_tp_p_strict": 4, "speech_gold": 4,
            "speech_tp_r_strict": 4}
    poor = {"speech_pred": 4, "speech_tp_p_strict": 1, "speech_gold": 4,
            "speech_tp_r_strict": 1}
    assert f1_interval([good, good, good], "speech", "strict") == (1.0, 1.0)
    lo, hi = f1_interval([good, poor] * 10, "speech", "strict")
    pooled = _scores({k: 10 * (good[k] + poor[k]) for k in good})[("speech", "strict")][2]
    assert pooled == pytest.approx(0.625)
    assert 0.25 < lo < pooled < hi < 1.0
    assert f1_interval([good, poor] * 10, "speech", "strict") == (lo, hi)  # seeded
