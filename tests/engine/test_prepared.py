"""The prepared standard and the backend registry: what the DecisionService holds.

A standard is prepared once per service (no module-level cache), backends are found by name
in an explicit registry (nothing registers itself on import), and a backend that cannot be
loaded is refused clearly.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pytest

from sendrules.engine import calendar as cal
from sendrules.engine.errors import InputError
from sendrules.engine.library import StandardsLibrary
from sendrules.engine.request import parse_request
from sendrules.engine.service import DecisionService
from tests.dsl.helpers import copy_pack, edit


def test_a_standard_is_prepared_once_per_service(library):
    standard = library.resolve("send-ap@1.1.0", date(2025, 1, 1))
    service, other = DecisionService(library), DecisionService(library)
    prepared = service.prepared(standard)
    assert service.prepared(standard) is prepared and service.validator_for(standard) is prepared.validator
    assert other.prepared(standard) is not prepared, "no cache shared between services"
    assert service.prepared_standards() == (prepared,)
    assert [rule.rule for rule in prepared.rules] == list(standard.rules)
    assert prepared.parameter("ehc.final_plan_weeks") is standard.parameter("ehc.final_plan_weeks")


def test_each_service_holds_one_instance_of_each_backend_it_uses(library):
    service = DecisionService(library)
    assert service.backend_for("reference") is service.backend_for("reference")
    assert DecisionService(library).backend_for("reference") is not service.backend_for("reference")


def test_an_unknown_backend_is_refused(library):
    with pytest.raises(InputError) as caught:
        DecisionService(library).backend_for("abacus")
    assert caught.value.code == "unknown_backend" and "reference" in caught.value.problems[0].message


def test_a_backend_that_cannot_be_loaded_is_unavailable(library, monkeypatch):
    monkeypatch.setitem(sys.modules, "sendrules.engine.rete", None)  # as if durable-rules were missing
    with pytest.raises(InputError) as caught:
        DecisionService(library).backend_for("rete")
    assert caught.value.code == "backend_unavailable"
    assert "durable-rules" in caught.value.message and "install-durable-rules.sh" in caught.value.message


def test_importing_the_service_loads_no_backend():
    code = (
        "import sys, sendrules.engine.service; "
        "loaded = [name for name in sys.modules if name.startswith(('durable', 'sendrules.engine.rete'))]; "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("backend", ["reference", "rete"])
def test_a_case_may_give_the_later_of_two_due_dates(tmp_path, backend):
    """'the later of' inside 'depending on' is accepted by the checker, so it decides."""
    folder = copy_pack(tmp_path)
    edit(
        folder / "ehc.rules",
        '      "school" -> before 15 February in the year of transfer.transfer_date\n',
        '      "school" -> the later of before 15 February in the year of transfer.transfer_date\n'
        "                  and within 30 weeks of transfer\n",
    )
    service = DecisionService(StandardsLibrary(tmp_path))
    request = parse_request(
        {
            "as_of": "2026-05-01",
            "standards": "send-ap@1.0.0",
            "journey": {
                "child": {"id": "C-1", "date_of_birth": "2015-06-15"},
                "events": [
                    {
                        "id": "t1",
                        "type": "phase_transfer_scheduled",
                        "date": "2025-09-15",
                        "transfer_date": "2026-09-01",
                        "kind": "school",
                    }
                ],
            },
        }
    )
    [finding] = [
        f for f in service.decide(request, backend=backend).findings if f.rule == "ehc.phase_transfer"
    ]
    later = cal.add_weeks(date(2025, 9, 15), 30)
    assert later > date(2026, 2, 14)
    assert (finding.status, finding.due) == ("overdue", later)
    assert finding.message.startswith(
        "Review and amend the plan before a transfer between phases of education: "
        "overdue; no amended_plan_issued by the due date, due "
        f"{later.isoformat()} (the later of 30 weeks of phase_transfer_scheduled t1"
    )
