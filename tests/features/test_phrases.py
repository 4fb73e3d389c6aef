"""The phrases: each step of the shipped scenarios matches exactly one phrase, the phrase list
in the docs is the one the phrasebook and the generic steps give, and names and dates are read
as documented."""

from __future__ import annotations

import re
from datetime import date

import pytest

from sendrules.engine.library import StandardsLibrary
from sendrules.scenarios import bundled_features
from sendrules.scenarios.features import read_feature_file
from sendrules.scenarios.runner import pack_phrasebook
from sendrules.scenarios.steps import (
    PHRASES,
    ScenarioFailure,
    ScenarioJourney,
    matching_phrases,
    parse_date,
    phrase_list_markdown,
)
from tests.features.helpers import ROOT


@pytest.fixture(scope="module")
def phrasebook():
    return pack_phrasebook(StandardsLibrary(), "send-ap")[0]


def _shipped_steps():
    for path in sorted(bundled_features().rglob("*.feature")):
        for scenario in read_feature_file(path, path.name).scenarios:
            for step in scenario.steps:
                yield f"{path.name}:{step.line}", step.kind, step.text


def test_every_example_matches_exactly_its_own_phrase(phrasebook):
    for generic in PHRASES:
        assert [p for p, _ in matching_phrases(generic.keyword, generic.example, phrasebook)] == [generic]
    for pack_phrase in phrasebook.phrases:
        assert [p for p, _ in matching_phrases("Given", pack_phrase.example, phrasebook)] == [pack_phrase]


def test_every_shipped_step_matches_exactly_one_phrase(phrasebook):
    steps = list(_shipped_steps())
    assert len(steps) > 1000
    problems = [
        f"{where}: {keyword} {text} -> {len(matching_phrases(keyword, text, phrasebook))} phrases"
        for where, keyword, text in steps
        if len(matching_phrases(keyword, text, phrasebook)) != 1
    ]
    assert not problems, "\n".join(problems)


def test_the_generic_phrases_know_no_event_type(phrasebook):
    """Every Given phrase about an event lives in the pack: the generic ones are the child, the
    school calendar and "an event "<type>" on …"."""
    event_types = {pack_phrase.event_type for pack_phrase in phrasebook.phrases}
    assert len(event_types) == 67
    source = (ROOT / "sendrules" / "scenarios" / "steps.py").read_text(encoding="utf-8")
    source = source.replace('an event "final_plan_issued" on 23 May 2025', "").replace(
        'the "final_plan_issued" event', ""
    )  # the example of the generic "an event" phrase
    assert [name for name in sorted(event_types) if f'"{name}"' in source] == []
    assert [p.example for p in PHRASES if p.keyword == "Given"] == [
        "a child born on 14 March 2015",
        "school closed from 7 April 2025 to 22 April 2025",
        "school closed on 20 May 2025",
        'an event "final_plan_issued" on 23 May 2025',
    ]


@pytest.mark.parametrize("document", ["docs/features.md", "features/README.md"])
def test_the_phrase_list_in_the_docs_is_generated_from_the_phrases(document, phrasebook):
    text = (ROOT / document).read_text(encoding="utf-8")
    start, end = "<!-- phrases: start -->\n", "<!-- phrases: end -->"
    assert start in text and end in text, f"{document} has no generated phrase list"
    listed = text.split(start, 1)[1].split(end, 1)[0]
    assert listed.strip() == phrase_list_markdown(phrasebook).strip(), (
        f"{document} is out of date: replace its phrase list with the output of "
        "python -m sendrules.scenarios.phrasebook"
    )


@pytest.mark.parametrize(
    "text, day",
    [
        ("6 January 2025", date(2025, 1, 6)),
        ("Monday 6 January 2025", date(2025, 1, 6)),
        ("29 February 2024", date(2024, 2, 29)),
    ],
)
def test_dates_are_read_as_people_write_them(text, day):
    assert parse_date(text) == day


@pytest.mark.parametrize(
    "text, message",
    [
        ("Sunday 6 January 2025", "6 January 2025 is a Monday, not a Sunday"),
        ("29 February 2025", '"29 February 2025" is not a real date'),
        ("2025-01-06", 'is not a date written like "6 January 2025"'),
    ],
)
def test_wrong_dates_are_explained(text, message):
    with pytest.raises(ScenarioFailure, match=re.escape(message)):
        parse_date(text)


def test_events_are_named_by_noun_and_ordinal(phrasebook):
    journey = ScenarioJourney("send-ap@1.1.0", None, phrasebook)
    journey.add("review_meeting", date(2025, 5, 12))
    journey.add("advice_requested", date(2025, 2, 17), advice="social_care")
    journey.add("review_meeting", date(2026, 5, 12))
    journey.add("exclusion", date(2025, 5, 19), category="suspension", school_days=8)
    assert journey.find("the first review meeting")["id"] == "e1"
    assert journey.find("the second review meeting")["id"] == "e3"
    assert journey.find("the 2nd review meeting")["id"] == "e3"
    assert journey.find("the last review meeting")["id"] == "e3"
    assert journey.find("the social care advice request")["id"] == "e2"
    assert journey.find("the advice request")["id"] == "e2"
    assert journey.find("the suspension")["id"] == journey.find("the exclusion")["id"] == "e4"
    assert journey.find('the second "review_meeting" event')["id"] == "e3"
    assert journey.name_of("e3") == "the second review meeting (e3)"
    assert journey.name_of("e2") == "the social care advice request (e2)"
    with pytest.raises(
        ScenarioFailure, match='"the review meeting" is ambiguous: this scenario has 2 events'
    ):
        journey.find("the review meeting")
    with pytest.raises(ScenarioFailure, match='there is no "the third review meeting"'):
        journey.find("the third review meeting")
