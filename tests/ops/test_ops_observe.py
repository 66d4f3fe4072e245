"""Request ids, JSON log lines without personal data, and /metrics for loopback or a token."""

import json
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from ops_support import Server, populate
from pydantic import SecretStr
from sqlalchemy import Engine, text

from app.config import Settings
from app.main import create_app
from app.ops.logs import mask_emails

SUPPORTER = "jeanne.soutien@exemple.org"


def metrics_client(database_url: str, tmp_path: Path, host: str) -> TestClient:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, metrics_token=SecretStr("jeton-metriques")
    )
    return TestClient(create_app(settings), base_url="http://127.0.0.1", client=(host, 40000))


def metric_writers(data_dir: Path) -> set[str]:
    """The processes that wrote request counters in multiprocess mode (one file each)."""
    return {path.stem.rsplit("_", 1)[-1] for path in (data_dir / "metrics").glob("counter_*.db")}


def sample(body: str, series: str) -> float:
    """The value of one series in a Prometheus text body (0 when absent)."""
    for line in body.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_only_from_loopback_or_with_the_token(database_url: str, tmp_path: Path) -> None:
    with metrics_client(database_url, tmp_path, "203.0.113.7") as remote:
        assert remote.get("/metrics").status_code == 403
        bad = {"Authorization": "Bearer autre-chose"}
        assert remote.get("/metrics", headers=bad).status_code == 403
        good = {"Authorization": "Bearer jeton-metriques"}
        assert remote.get("/metrics", headers=good).status_code == 200
        remote.app.state.engine.dispose()  # type: ignore[attr-defined]
    with metrics_client(database_url, tmp_path, "127.0.0.1") as local:
        response = local.get("/metrics")
        local.app.state.engine.dispose()  # type: ignore[attr-defined]
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")


def test_metrics_report_requests_letters_outbox_and_replies(
    fresh_url: str, fresh_engine: Engine, tmp_path: Path
) -> None:
    populate(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(text("UPDATE letter SET status = 'sent'"))
        conn.execute(
            text(
                "UPDATE outbox_message SET status = 'failed',"
                " last_error = '550 5.1.1 <' || to_address || '> : destinataire inconnu'"
                " WHERE id IN (SELECT min(id) FROM outbox_message)"
            )
        )
        conn.execute(text("UPDATE reply SET channel = 'email'"))
    with metrics_client(fresh_url, tmp_path, "127.0.0.1") as local:
        before = local.get("/metrics").text
        for _ in range(3):
            assert local.get("/api/health").status_code == 200
        assert local.get("/api/officials/999999").status_code == 404
        body = local.get("/metrics").text
        local.app.state.engine.dispose()  # type: ignore[attr-defined]
    lines = set(body.splitlines())
    # Counters belong to the process, which other tests share: compare with before.
    health = 'plaidoyer_http_requests_total{method="GET",route="/api/health",status="200"}'
    assert sample(body, health) - sample(before, health) == 3
    missing = (
        'plaidoyer_http_requests_total{method="GET",route="/api/officials/{official_id}",'
        'status="404"}'
    )
    assert sample(body, missing) - sample(before, missing) == 1
    assert any(
        line.startswith('plaidoyer_http_request_duration_seconds_bucket{le="0.5",method="GET"')
        for line in lines
    )
    assert 'plaidoyer_letters{status="sent"} 7.0' in lines
    assert 'plaidoyer_outbox_messages{status="failed"} 1.0' in lines
    assert 'plaidoyer_outbox_errors{smtp_code="550"} 1.0' in lines
    assert 'plaidoyer_replies{channel="email"} 7.0' in lines
    assert any(line.startswith("plaidoyer_outbox_oldest_pending_age_seconds ") for line in lines)
    assert "@" not in body


def test_emails_are_masked_in_any_log_field() -> None:
    event = {"event": f"550 5.1.1 <{SUPPORTER}>: user unknown", "n": 3}
    assert mask_emails(None, "warning", event) == {
        "event": "550 5.1.1 <<adresse masquée>>: user unknown",
        "n": 3,
    }


def test_json_logs_request_ids_and_shared_metrics_over_two_processes(
    fresh_url: str, tmp_path: Path
) -> None:
    server = Server(
        database_url=fresh_url,
        data_dir=tmp_path,
        workers=2,
        env={"PLAIDOYER_LOG_FORMAT": "json"},
    ).start()
    try:
        with httpx.Client(base_url=server.url, timeout=10) as http:
            mine = http.get("/api/health", headers={"X-Request-ID": "lb-0123456789"})
            assert mine.headers["x-request-id"] == "lb-0123456789"
            fresh = http.get("/api/health", headers={"X-Request-ID": "<script>"})
            assert len(fresh.headers["x-request-id"]) == 32
            http.get("/api/lookup", params={"postcode": "75011"})
            http.post("/connexion", data={"email": SUPPORTER, "password": "x"})
            # New connections until both processes have served some (the kernel picks which).
            for _ in range(300):
                http.get("/api/health", headers={"Connection": "close"})
                if len(metric_writers(tmp_path)) == 2:
                    break
            metrics = http.get("/metrics").text
    finally:
        server.stop()
    records = [json.loads(line) for line in server.log_lines() if line.startswith("{")]
    requests = [record for record in records if record["event"] == "requête"]
    assert len(requests) >= 5
    assert all(len(record["request_id"]) >= 8 for record in requests)
    assert {"lb-0123456789", fresh.headers["x-request-id"]} <= {r["request_id"] for r in requests}
    assert {"/api/lookup", "/connexion"} <= {r["route"] for r in requests}
    everything = server.log_path.read_text()
    assert SUPPORTER not in everything
    assert "75011" not in everything
    # Two processes served the health checks; /metrics adds both processes' counts.
    health = 'plaidoyer_http_requests_total{method="GET",route="/api/health",status="200"}'
    logged = sum(1 for r in requests if r["route"] == "/api/health" and r["status"] == 200)
    assert logged >= 3
    assert sample(metrics, health) == logged
    assert len(metric_writers(tmp_path)) == 2


def test_liveness_answers_without_the_database(tmp_path: Path) -> None:
    gone = Settings(database_url=f"sqlite:///{tmp_path}/absent/plaidoyer.db", data_dir=tmp_path)
    with TestClient(create_app(gone), raise_server_exceptions=False) as local:
        response = local.get("/api/live")
        assert response.status_code == 200 and response.json() == {"status": "ok"}
        assert response.headers["X-Request-ID"] and response.headers["X-Content-Type-Options"]
        assert local.get("/api/health").status_code >= 500
