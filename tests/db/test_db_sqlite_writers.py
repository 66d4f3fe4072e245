"""Concurrent writers on one SQLite file: BEGIN IMMEDIATE keeps them from failing or mixing."""

import threading

from sqlalchemy import func, select

from app.db import build_engine, unit_of_work
from app.users.models import LoginAttempt

ITERATIONS = 50


def test_two_read_then_write_threads_never_hit_database_is_locked(make_migrated_url) -> None:  # type: ignore[no-untyped-def]
    url = make_migrated_url("sqlite")
    engine = build_engine(url)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def writer(name: str) -> None:
        start.wait()
        try:
            for _ in range(ITERATIONS):
                with unit_of_work(engine) as session:
                    seen = session.scalar(select(func.count(LoginAttempt.id))) or 0
                    session.add(LoginAttempt(email=f"{seen}@{name}", ip=name))
        except BaseException as exc:  # collected: a thread's exception would otherwise vanish
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("a", "b")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert failures == []
        with unit_of_work(engine) as session:
            emails = session.scalars(select(LoginAttempt.email)).all()
    finally:
        engine.dispose()
    # Each transaction saw every earlier commit: the counts read are 0..99, each exactly once.
    assert sorted(int(email.split("@")[0]) for email in emails) == list(range(2 * ITERATIONS))
