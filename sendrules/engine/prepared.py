"""A standard prepared for deciding: what the engine derives from a compiled standard, built once.

``PreparedStandard(standard)`` holds the compiled standard (``dsl.ir.CompiledStandard``) and
everything both backends would otherwise rebuild for each decision:

* ``validator``  -- the journey validator (pydantic models built from the pack's vocabulary);
* ``rules``      -- each rule with its conditions compiled into small functions
                    (``engine.conditions``) and the parameters it reads;
* indexes by name: ``event_type(name)``, ``parameter(name)``, ``rules_by_trigger_type``.

The ``DecisionService`` prepares each standard it resolves once and keeps it for its lifetime
(``DecisionService.prepared(standard)``); backends take a ``PreparedStandard``. There is no
module-level cache anywhere in the engine: whoever holds the prepared standard owns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import assert_never

from sendrules.dsl import ir
from sendrules.engine.conditions import Predicate, compile_condition
from sendrules.engine.journey import JourneyValidator


@dataclass(frozen=True, slots=True)
class PreparedRule:
    """A rule with its conditions compiled (``always true`` where the rule has none)."""

    rule: ir.Rule
    trigger_condition: Predicate
    requirement_conditions: tuple[Predicate, ...]
    expectation_condition: Predicate
    exclusion_conditions: tuple[Predicate, ...]
    check: Predicate
    #: The parameters the rule reads: (in its trigger condition, in its other conditions,
    #: in its deadline); see ``ir.rule_parameters``.
    parameters: ir.RuleParameters
    #: (language 3) the condition of ``exempt TYPE where ...`` (None: no condition).
    exemption_condition: Predicate | None = None
    #: (language 3) the condition of a run's ``where`` (None: every event takes part).
    run_condition: Predicate | None = None


def prepare_rule(rule: ir.Rule) -> PreparedRule:
    return PreparedRule(
        rule,
        compile_condition(rule.trigger.match.condition),
        tuple(compile_condition(requirement.match.condition) for requirement in rule.requirements),
        compile_condition(_expectation_condition(rule.expectation)),
        tuple(compile_condition(exclusion.match.condition) for exclusion in rule.exclusions),
        compile_condition(rule.check),
        ir.rule_parameters(rule),
        exemption_condition=(
            compile_condition(rule.exemption.condition)
            if rule.exemption is not None and rule.exemption.condition is not None
            else None
        ),
        run_condition=(
            compile_condition(rule.run.condition)
            if rule.run is not None and rule.run.condition is not None
            else None
        ),
    )


def _expectation_condition(expectation: ir.Expectation | None) -> ir.Condition | None:
    match expectation:
        case ir.ExpectAfter() | ir.ExpectBefore():
            return expectation.condition
        case ir.ExpectResponse() | ir.ExpectBound() | None:
            return None
        case _:
            assert_never(expectation)


class PreparedStandard:
    """A compiled standard with what the engine derives from it. Immutable after construction,
    so it is safe to share between threads."""

    def __init__(self, standard: ir.CompiledStandard) -> None:
        self.standard = standard
        self.validator = JourneyValidator(standard)
        self.rules: tuple[PreparedRule, ...] = tuple(prepare_rule(rule) for rule in standard.rules)
        #: Each rule's compiled conditions, by rule id.
        self.prepared_rule: dict[str, PreparedRule] = {prepared.rule.id: prepared for prepared in self.rules}
        self._event_types = {event_type.name: event_type for event_type in standard.event_types}
        self._parameters = {parameter.name: parameter for parameter in standard.parameters}
        by_type: dict[str, list[ir.Rule]] = {}
        for rule in standard.rules:
            for name in rule.trigger.match.types:
                by_type.setdefault(name, []).append(rule)
        #: Which rules each event type can trigger, in the standard's rule order.
        self.rules_by_trigger_type: dict[str, tuple[ir.Rule, ...]] = {
            name: tuple(rules) for name, rules in by_type.items()
        }

    @property
    def sha256(self) -> str:
        return self.standard.sha256

    @property
    def reference(self) -> str:
        return self.standard.reference

    def event_type(self, name: str) -> ir.EventType | None:
        return self._event_types.get(name)

    def parameter(self, name: str) -> ir.DatedParameter | None:
        return self._parameters.get(name)

    def __repr__(self) -> str:
        return f"PreparedStandard({self.reference}, sha256 {self.sha256[:12]})"
