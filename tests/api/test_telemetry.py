"""The service sends nothing about requests to OpenTelemetry.

FastAPI (0.165 and later) traces requests and records validation failures "including the
original input values" through any OpenTelemetry providers the process has, and adds OTLP
exporters when FASTAPI_OTEL_AUTO_CONFIGURE=true. Request bodies here are children's journeys,
so the service turns that off. The control test shows that the same providers do record a plain
FastAPI app's requests, so the main test can fail.
"""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from opentelemetry import _logs, trace
from opentelemetry.sdk._logs import LoggerProvider
from opentelemetry.sdk._logs.export import InMemoryLogRecordExporter, SimpleLogRecordProcessor
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@pytest.fixture
def recorded(monkeypatch):
    """Global tracer and logger providers that keep what they receive, as a deployment with an
    OpenTelemetry SDK would have. The globals can be set once per process, so later tests in
    the same process add their own processors to the providers already set."""
    monkeypatch.setenv("FASTAPI_OTEL_AUTO_CONFIGURE", "false")
    spans, logs = InMemorySpanExporter(), InMemoryLogRecordExporter()
    if not isinstance(trace.get_tracer_provider(), TracerProvider):
        trace.set_tracer_provider(TracerProvider())
    if not isinstance(_logs.get_logger_provider(), LoggerProvider):
        _logs.set_logger_provider(LoggerProvider())
    trace.get_tracer_provider().add_span_processor(SimpleSpanProcessor(spans))
    _logs.get_logger_provider().add_log_record_processor(SimpleLogRecordProcessor(logs))
    yield spans, logs
    spans.shutdown()
    logs.shutdown()


def test_the_providers_record_a_plain_fastapi_app(recorded):
    spans, logs = recorded
    app = FastAPI()

    @app.post("/echo")
    def echo(number: int) -> int:
        return number

    with TestClient(app) as client:
        client.post("/echo?number=1")
        client.post("/echo?number=not-a-number")
    assert spans.get_finished_spans(), "the control app should be traced"


def test_the_service_sends_no_spans_or_logs(service, recorded):
    spans, logs = recorded
    service.decide()
    service.decide(journey={"child": {"id": "CH-PRIVATE-1"}, "events": [{"id": "e1", "type": "nonsense"}]})
    service.client.post(
        "/v1/decisions",
        content=b'{"journey": "CH-PRIVATE-2"',
        headers=service.headers("caseworker") | {"Content-Type": "application/json"},
    )
    service.client.get("/v1/decisions/nope", headers=service.headers("caseworker"))
    assert spans.get_finished_spans() == ()
    assert logs.get_finished_logs() == ()
