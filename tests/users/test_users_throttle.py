"""Sign-in throttling a stranger cannot turn against a colleague: hard limits per (account,
address) and per address, growing capped delays per account, none for a known browser."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.config import Settings
from app.db import utcnow
from app.users.models import LoginAttempt, Role
from app.users.throttle import account_delay
from tests.factories import PASSWORD, add_user
from tests.routes import csrf_of

WRONG = "pas-le-bon-mot-de-passe"


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """Small limits, so that a test reaches them in a few attempts."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path,
        login_max_failures=3,
        login_ip_max_failures=5,
        login_delay_max_seconds=30,
    )


def attempt(
    app: FastAPI, email: str, password: str, ip: str, cookies: dict[str, str] | None = None
):  # type: ignore[no-untyped-def]
    """One sign-in through the form, from a browser at this address (with its cookies)."""
    with TestClient(app, base_url="http://127.0.0.1", client=(ip, 50000)) as browser:
        browser.cookies.update(cookies or {})
        token = csrf_of(browser.get("/connexion").text)
        form = {"email": email, "password": password, "csrf_token": token}
        return browser.post("/connexion", data=form, follow_redirects=False)


def throttled(response, reason: str = "") -> bool:  # type: ignore[no-untyped-def]
    text = response.text
    return (
        response.status_code == 429
        and "Trop de tentatives de connexion" in text
        and (reason in text)
    )


def add_failures(session: Session, email: str, ips: list[str], seconds_ago: float = 0) -> None:
    at = utcnow() - timedelta(seconds=seconds_ago)
    session.add_all(LoginAttempt(email=email, ip=ip, created_at=at) for ip in ips)
    session.flush()


def test_delays_grow_then_stop_at_the_cap(settings: Settings) -> None:
    delays = [account_delay(n, settings=settings) for n in range(12)]
    assert delays == [0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30]


def test_one_account_from_one_address_is_stopped_there_only(app: FastAPI, session: Session) -> None:
    add_user(session, role=Role.staff, email="cible@test.fr")
    for _ in range(3):
        assert attempt(app, "cible@test.fr", WRONG, "10.1.0.1").status_code == 400
    refused = attempt(app, "cible@test.fr", PASSWORD, "10.1.0.1")
    assert throttled(refused, "pour ce compte")
    assert 'lang="fr"' in refused.text and "Traceback" not in refused.text
    # The account itself is only slowed down: once its short delay is over, elsewhere works.
    session.execute(update(LoginAttempt).values(created_at=utcnow() - timedelta(seconds=5)))
    assert attempt(app, "cible@test.fr", PASSWORD, "10.1.0.2").status_code == 303


def test_one_address_is_stopped_for_every_account(app: FastAPI, session: Session) -> None:
    add_user(session, role=Role.staff, email="membre@test.fr")
    for number in range(5):
        assert attempt(app, f"inconnu{number}@test.fr", WRONG, "10.2.0.1").status_code == 400
    # Same answer for a known account (even with its right password) and an unknown one.
    assert throttled(attempt(app, "membre@test.fr", PASSWORD, "10.2.0.1"), "cette adresse")
    assert throttled(attempt(app, "personne@test.fr", WRONG, "10.2.0.1"), "cette adresse")
    assert attempt(app, "membre@test.fr", PASSWORD, "10.2.0.2").status_code == 303


def test_failures_from_everywhere_slow_an_account_down_without_locking_it(
    app: FastAPI, session: Session
) -> None:
    add_user(session, role=Role.staff, email="collegue@test.fr")
    # A stranger, from many addresses: 20 failures, the last one just now.
    add_failures(session, "collegue@test.fr", [f"203.0.113.{n}" for n in range(20)])
    refused = attempt(app, "collegue@test.fr", PASSWORD, "10.3.0.1")
    assert throttled(refused, "secondes")
    # The cap (30 s, less what a loaded machine took since the last failure), not 15 minutes.
    wait = re.search(r"Réessayez dans (\d+) secondes", refused.text)
    assert wait is not None and 20 <= int(wait.group(1)) <= 30
    session.execute(update(LoginAttempt).values(created_at=utcnow() - timedelta(seconds=31)))
    assert attempt(app, "collegue@test.fr", PASSWORD, "10.3.0.1").status_code == 303


def test_a_browser_that_signed_in_before_skips_the_accounts_delays(
    app: FastAPI, session: Session
) -> None:
    add_user(session, role=Role.staff, email="habitue@test.fr")
    first = attempt(app, "habitue@test.fr", PASSWORD, "10.4.0.1")
    assert first.status_code == 303
    device = {"plaidoyer_device": first.cookies["plaidoyer_device"]}
    add_failures(session, "habitue@test.fr", [f"203.0.113.{n}" for n in range(20)])
    assert throttled(attempt(app, "habitue@test.fr", PASSWORD, "10.4.0.9"), "secondes")
    assert attempt(app, "habitue@test.fr", PASSWORD, "10.4.0.1", cookies=device).status_code == 303
    # The cookie names the account it was given for, and only that one.
    add_user(session, role=Role.staff, email="voisin@test.fr")
    add_failures(session, "voisin@test.fr", [f"203.0.113.{n}" for n in range(20)])
    assert throttled(attempt(app, "voisin@test.fr", PASSWORD, "10.4.0.1", cookies=device))
    forged = {"plaidoyer_device": device["plaidoyer_device"][:-2] + "xx"}
    assert throttled(attempt(app, "habitue@test.fr", PASSWORD, "10.4.0.1", cookies=forged))
