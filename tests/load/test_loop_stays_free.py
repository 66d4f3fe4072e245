"""A write waiting for the SQLite lock waits in a worker thread, never on the event loop."""

import re
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from live_server import LiveServer, live_server
from sqlalchemy import select, update

from app.demands.models import Demand
from app.officials.models import Official

pytestmark = pytest.mark.load

RFC822 = {"Content-Type": "message/rfc822"}
SENDER = "depute@assemblee-nationale.fr"


def _email(number: int) -> bytes:
    return (
        f"From: {SENDER}\r\nTo: plaidoyer@asso.example\r\n"
        f"Subject: Re: Protection de l'enfance\r\nMessage-ID: <r{number}@client.example>\r\n"
        "Date: Mon, 23 Nov 2026 09:30:00 +0100\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nJe soutiens vos demandes.\r\n"
    ).encode()


def _csrf(html: str) -> str:
    match = re.search(r'<meta name="csrf-token" content="([^"]*)"', html)
    assert match
    return match.group(1)


def _signed_in(server: LiveServer) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=server.base_url, timeout=30)
    form = {
        "email": "charge@test.fr",
        "password": "mot-de-passe-de-charge",
        "csrf_token": _csrf(browser.get("/connexion").text),
    }
    assert browser.post("/connexion", data=form).status_code == 303
    return browser, _csrf(browser.get("/").text)


def test_a_held_write_lock_stalls_neither_the_lookup_nor_the_loop(
    make_migrated_url,  # type: ignore[no-untyped-def]
    tmp_path: Path,
) -> None:
    url = make_migrated_url("sqlite")
    with (
        live_server(url, tmp_path) as server,
        httpx.Client(base_url=server.base_url, timeout=30) as api,
    ):
        staff = server.headers | RFC822
        with server.engine.begin() as connection:  # the sender is known: the reply can be coded
            official_id = server.seeded.official_ids[0]
            connection.execute(
                update(Official).where(Official.id == official_id).values(email=SENDER)
            )
        reply_id = api.post("/api/replies/inbound", content=_email(1), headers=staff).json()[
            "reply"
        ]["id"]
        with server.engine.connect() as connection:
            demand_id = connection.scalar(select(Demand.id).order_by(Demand.number))
        browser, csrf = _signed_in(server)
        api.get("/api/lookup", params={"postcode": "75001"})  # connection and cache warmed up

        locker = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        locker.execute("BEGIN IMMEDIATE")
        try:
            with ThreadPoolExecutor(2) as pool:
                inbound = pool.submit(
                    httpx.post,
                    f"{server.base_url}/api/replies/inbound",
                    content=_email(2),
                    headers=staff,
                    timeout=30,
                )
                coding = {f"demand_{demand_id}": "supportive", "note": "", "csrf_token": csrf}
                coded = pool.submit(browser.post, f"/reponses/{reply_id}/coder", data=coding)
                time.sleep(1.0)  # both now wait for the lock inside the server
                timings = []
                for _ in range(5):
                    started = time.perf_counter()
                    answer = api.get("/api/lookup", params={"postcode": "75001"})
                    timings.append(time.perf_counter() - started)
                    assert answer.headers["content-type"] == "application/json"
                health = api.get("/api/health")
                assert not inbound.done() and not coded.done(), "écritures non retenues"
                locker.execute("ROLLBACK")
                assert inbound.result().status_code == 201, inbound.result().text
                assert coded.result().status_code == 303, coded.result().text
        finally:
            locker.close()
            browser.close()
    assert health.status_code == 200
    assert max(timings) < 0.1, [f"{t * 1000:.0f} ms" for t in timings]
