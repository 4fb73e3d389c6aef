"""Deciding a request and recording the decision, in one step.

The decision is made through the ordinary ``DecisionService`` code path, with the standard
pinned to the exact version (and content) the request resolved to; the recorded entry holds
that decision, its canonical request (encrypted), the child's pseudonym and, the first time a
standards version is used, the text of its files.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, replace

from sendrules.engine.decision import Decision
from sendrules.engine.request import DecisionRequest
from sendrules.engine.service import DecisionService

from sendrules.decisionlog.crypto import Pseudonymiser, RequestCipher
from sendrules.decisionlog.standards_store import texts_of
from sendrules.decisionlog.store import AccessRecord, AppendResult, Clock, DecisionLog, NewEntry, utc_now


@dataclass(frozen=True)
class Recorded:
    decision: Decision
    result: AppendResult
    decision_dict: dict  # the decision as recorded (rendered once: messages are written lazily)


class Recorder:
    """Decides requests with ``service`` and records each decision in ``log``."""

    def __init__(
        self,
        log: DecisionLog,
        service: DecisionService,
        pseudonymiser: Pseudonymiser,
        cipher: RequestCipher,
        clock: Clock = utc_now,
    ) -> None:
        self.log = log
        self.service = service
        self.pseudonymiser = pseudonymiser
        self.cipher = cipher
        self.clock = clock

    def decide(
        self, request: DecisionRequest, backend: str = "reference", access: AccessRecord | None = None
    ) -> Recorded:
        """Decide ``request`` and record it; returns after the entry is committed. ``access``
        (who asked, with the decision id filled in here) is recorded in the same transaction."""
        decision, rendered, committed = self.submit(request, backend, access)
        return Recorded(decision, committed.result(), rendered)

    def submit(
        self, request: DecisionRequest, backend: str = "reference", access: AccessRecord | None = None
    ) -> tuple[Decision, dict, Future[AppendResult]]:
        """Decide ``request`` now and queue its entry for the log: the decision, the decision as
        it will be recorded, and a future that completes once the entry is committed. Nothing
        may be reported to the caller as logged before that future completes."""
        decision, entry = self.prepare(request, backend)
        if access is not None:
            access = replace(access, decision_id=decision.decision_id)
        return decision, entry.decision, self.log.submit(entry, clock=self.clock, access=access)

    def prepare(self, request: DecisionRequest, backend: str = "reference") -> tuple[Decision, NewEntry]:
        """Decide ``request`` and build its log entry (rendered decision, child's pseudonym,
        sealed request, and the standards' texts if the log lacks them), without recording it."""
        self.service.backend(backend)  # an unknown backend is reported before anything else
        standard = self.service.library.resolve(request.standards, request.as_of)
        # with the service's own prepared standard (built at start-up by the HTTP service), not a
        # second copy: the first decision of each worker used to build every journey validator again
        decision, journey = self.service.decide_with_standard(standard, request, backend)
        # decision.request_json: the exact bytes input_sha256 was computed over
        return decision, self.entry_for(
            standard, decision.to_dict(), decision.request_json, decision.decision_id, journey.child.id
        )

    def entry_for(
        self, standard, decision: dict, request_json: bytes, decision_id: str, child_id: str
    ) -> NewEntry:
        """The log entry of a decision made elsewhere (the HTTP service's decider process):
        its rendered ``decision``, canonical request, id and child's id, under ``standard``."""
        texts = None if self.log.has_standards(standard.sha256) else texts_of(self.service.library, standard)
        return NewEntry(
            decision=decision,
            child_pseudonym=self.pseudonymiser.pseudonym(child_id),
            pseudonym_key=self.pseudonymiser.key_id,
            sealed_request=self.cipher.encrypt(request_json, decision_id),
            standards=texts,
        )
