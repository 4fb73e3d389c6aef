"""`sendrules import sen2`: a synthetic SEN2 person-level return, built from the specification's
modules, turned into journeys."""

from __future__ import annotations

import json
import re
from datetime import date

from typer.testing import CliRunner

from sendrules.api.cli import app
from sendrules.cohort import sen2
from sendrules.engine.journey import JourneyValidator

RETURN = """<?xml version="1.0" encoding="UTF-8"?>
<Message>
  <Header>
    <CollectionDetails><Collection>SEN2</Collection><Year>2025</Year><ReferenceDate>2025-01-16</ReferenceDate></CollectionDetails>
    <Source><SourceLevel>L</SourceLevel><LEA>202</LEA></Source>
  </Header>
  <Persons>
    <Person>
      <Surname>Invented</Surname><Forename>Child</Forename><PersonBirthDate>2014-02-03</PersonBirthDate>
      <GenderCurrent>1</GenderCurrent><UPN>A123456789012</UPN>
      <Requests>
        <Request>
          <ReceivedDate>2024-01-08</ReceivedDate><RYA>0</RYA>
          <RequestOutcomeDate>2024-02-12</RequestOutcomeDate><RequestOutcome>Y</RequestOutcome>
          <Assessment>
            <AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>2024-04-15</AssessmentOutcomeDate>
            <Week20>1</Week20>
            <NamedPlan><StartDate>2024-05-20</StartDate><PB>0</PB></NamedPlan>
          </Assessment>
          <ActivePlans>
            <ReviewMeeting>2025-01-10</ReviewMeeting><ReviewOutcome>M</ReviewOutcome>
            <PlacementDetail><URN>100123</URN><EntryDate>2023-09-04</EntryDate><PlacementRank>1</PlacementRank></PlacementDetail>
            <PlacementDetail><URN>100999</URN><EntryDate>2019-09-04</EntryDate><LeavingDate>2023-07-21</LeavingDate></PlacementDetail>
            <SENNeed><SENtypeRank>1</SENtypeRank><SENtype>ASD</SENtype></SENNeed>
          </ActivePlans>
        </Request>
      </Requests>
    </Person>
    <Person>
      <PersonBirthDate>2010-11-30</PersonBirthDate>
      <Requests>
        <Request>
          <ReceivedDate>2024-03-04</ReceivedDate>
          <RequestOutcomeDate>2024-04-08</RequestOutcomeDate><RequestOutcome>N</RequestOutcome>
        </Request>
        <Request>
          <ReceivedDate>2024-09-02</ReceivedDate><RequestOutcome>Q</RequestOutcome>
        </Request>
      </Requests>
    </Person>
    <Person>
      <PersonBirthDate>2004-05-05</PersonBirthDate>
      <Requests><Request><ReceivedDate>2019-05-01</ReceivedDate><RequestOutcome>Y</RequestOutcome>
        <RequestOutcomeDate>2019-06-01</RequestOutcomeDate>
        <Assessment><AssessmentOutcome>Y</AssessmentOutcome><AssessmentOutcomeDate>2019-08-01</AssessmentOutcomeDate>
          <NamedPlan><StartDate>2019-09-01</StartDate><CeaseDate>2024-07-31</CeaseDate><CeaseReason>3</CeaseReason></NamedPlan>
        </Assessment></Request></Requests>
    </Person>
    <Person><Surname>No birth date</Surname></Person>
  </Persons>
</Message>
"""


def test_a_return_becomes_journeys_with_each_field_mapped(tmp_path, library):
    path = tmp_path / "sen2.xml"
    path.write_text(RETURN)
    draft = library.resolve("send-ap@2.0.0-draft", date(2025, 6, 1))
    result = sen2.read_return(path, {event.name for event in draft.event_types})
    assert result.persons == 4 and result.local_authority == "202"
    first, second, third = result.journeys
    assert first["child"] == {
        "id": "SEN2-202-2025-000001",
        "date_of_birth": "2014-02-03",
        "local_authority": "202",
    }
    assert [(event["type"], event["date"]) for event in first["events"]] == [
        ("school_registered", "2023-09-04"),
        ("assessment_requested", "2024-01-08"),
        ("assessment_decision", "2024-02-12"),
        ("plan_decision", "2024-04-15"),
        ("final_plan_issued", "2024-05-20"),
        ("review_meeting", "2025-01-10"),
    ]
    assert first["events"][0]["school"] == "100123", "the placement that has ended is not the current school"
    assert "Invented" not in json.dumps(result.journeys) and "A123456789012" not in json.dumps(
        result.journeys
    )
    assert [event.get("outcome") for event in second["events"] if event["type"] == "assessment_decision"] == [
        "not_assess"
    ]
    assert any("RequestOutcome 'Q' is not a known code" in note for note in result.notes)
    assert ("plan_ceased", "2024-07-31", "3") in [
        (e["type"], e["date"], e.get("reason")) for e in third["events"]
    ]
    assert any("no valid PersonBirthDate" in note for note in result.notes)
    validator = JourneyValidator(draft)
    for journey in result.journeys:
        validator.validate(journey)


def test_events_the_vocabulary_lacks_are_left_out_with_a_note(tmp_path):
    path = tmp_path / "sen2.xml"
    path.write_text(RETURN)
    out = tmp_path / "journeys.jsonl"
    result = CliRunner().invoke(
        app, ["import", "sen2", str(path), "--output", str(out), "--standards", "send-ap@1.1.0"]
    )
    assert result.exit_code == 0, result.output
    journeys = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(journeys) == 3
    assert not any(
        event["type"] == "school_registered" for journey in journeys for event in journey["events"]
    )
    assert "school_registered is not in the vocabulary" in result.stderr


def test_a_keyed_pseudonym_links_the_same_child_across_returns(tmp_path):
    path = tmp_path / "sen2.xml"
    path.write_text(RETURN)
    one = sen2.read_return(path, pseudonym_key=b"secret").journeys[0]["child"]["id"]
    again = sen2.read_return(path, pseudonym_key=b"secret").journeys[0]["child"]["id"]
    other = sen2.read_return(path, pseudonym_key=b"another").journeys[0]["child"]["id"]
    assert one == again != other and "A123456789012" not in one


def test_not_a_return(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text("<Message><Header/></Message>")
    result = CliRunner().invoke(app, ["import", "sen2", str(path)])
    assert result.exit_code == 2 and "no Person records" in result.stderr
    path.write_text("not xml <")
    assert CliRunner().invoke(app, ["import", "sen2", str(path)]).exit_code == 2


def test_every_element_is_either_mapped_or_listed_as_not_mapped():
    elements = set(re.findall(r"<([A-Za-z0-9]+)>", RETURN))
    structural = {
        "Message",
        "Header",
        "CollectionDetails",
        "Collection",
        "Year",
        "ReferenceDate",
        "Source",
        "SourceLevel",
        "Persons",
        "Person",
        "Requests",
        "Request",
        "Assessment",
        "NamedPlan",
        "ActivePlans",
        "PlacementDetail",
        "SENNeed",
    }
    assert elements - structural <= set(sen2.MAPPING) | set(sen2.UNMAPPED)
