"""The HTTP API with the lifespan running (TestClient), a fake publisher and the real SMTP sink."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from notification.config import Settings
from notification.main import create_app
from notification.runtime import BrokerPublisher, Runtime
from tests.support import FakePublisher, SinkThread, record_of, signup, signup_record


@pytest.fixture
def client(settings: Settings, publisher: FakePublisher) -> Iterator[TestClient]:
    def factory(_settings: Settings) -> BrokerPublisher:
        return publisher

    app = create_app(settings, publisher_factory=factory, consume=False)
    with TestClient(app) as test_client:
        yield test_client


def runtime_of(client: TestClient) -> Runtime:
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    assert isinstance(runtime, Runtime)
    return runtime


def test_health_up_when_everything_answers(client: TestClient) -> None:
    answer = client.get("/health")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "status": "UP",
        "checks": {"kafka": {"status": "UP"}, "smtp": {"status": "UP"}, "database": {"status": "UP"}},
    }


def test_health_down_when_broker_unreachable(client: TestClient, publisher: FakePublisher) -> None:
    publisher.failing = True
    answer = client.get("/health")
    assert answer.status_code == 503
    body = answer.json()
    assert body["status"] == "DOWN"
    assert body["checks"]["kafka"]["status"] == "DOWN"
    assert "broker unreachable" in body["checks"]["kafka"]["detail"]
    assert body["checks"]["smtp"] == {"status": "UP"}


def test_health_down_when_smtp_unreachable(client: TestClient, sink: SinkThread) -> None:
    sink.stop()
    body = client.get("/health").json()
    assert body["status"] == "DOWN"
    assert body["checks"]["smtp"]["status"] == "DOWN"


def test_notifications_of_a_user(client: TestClient) -> None:
    runtime = runtime_of(client)
    client.portal.call(runtime.process, signup_record(signup(), event_id="evt-n1"))  # type: ignore[union-attr]
    body = client.get("/api/notifications", params={"user_id": "u-1"}).json()
    assert body["user_id"] == "u-1"
    [sent] = body["notifications"]
    assert (sent["trigger_event_id"], sent["notification_type"], sent["recipient"]) == (
        "evt-n1",
        "welcome",
        "ada@example.com",
    )
    assert client.get("/api/notifications", params={"user_id": "nobody"}).json()["notifications"] == []


def test_validation_error_is_problem_json_naming_the_field(client: TestClient) -> None:
    answer = client.get("/api/notifications")
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    body = answer.json()
    assert body["status"] == 422 and body["title"] == "Unprocessable Entity" and body["type"] == "about:blank"
    assert [error["field"] for error in body["errors"]] == ["user_id"]


def test_unknown_path_is_problem_json(client: TestClient) -> None:
    answer = client.get("/api/nothing-here")
    assert answer.status_code == 404
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["status"] == 404


def test_correlation_id_is_echoed_or_created(client: TestClient) -> None:
    assert client.get("/health", headers={"X-Correlation-ID": "corr-http"}).headers["x-correlation-id"] == "corr-http"
    created = client.get("/health").headers["x-correlation-id"]
    assert len(created) == 36


def test_metrics_count_sends_duplicates_and_dead_letters(client: TestClient) -> None:
    runtime = runtime_of(client)
    welcome = signup_record(signup(), event_id="evt-m1")
    for record in (welcome, welcome, record_of("user-events", signup(), key="u-1", ce_type="x.Unknown")):
        client.portal.call(runtime.process, record)  # type: ignore[union-attr]

    answer = client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    text = answer.text
    assert 'notification_sends_total{outcome="sent",type="welcome"} 1.0' in text
    assert 'notification_sends_total{outcome="duplicate",type="welcome"} 1.0' in text
    assert 'notification_dead_letters_total{reason="unknown-type",topic="user-events.dlq"} 1.0' in text
