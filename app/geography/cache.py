"""Finished lookup answers kept per process, valid while the data behind them is unchanged.

The data's version (the geography's content hash and the latest change to any official, both
indexed) is read again at most once a second, by the first request after that second: an import
made by another process is seen within a second, and the answers in between cost no database
round trip — on the hottest public route that check was most of the work. Officials are ended or
updated, never deleted, and every write stamps `updated_at`.
"""

import time
from collections.abc import Callable
from typing import Generic, TypeVar

from sqlalchemy import Connection

# Plain SQL on purpose: skipping the statement cache and result processing of a Core select
# halves the cost of this check.
VERSION_SQL = (
    "SELECT (SELECT content_hash FROM geography_version WHERE id = 1),"
    " (SELECT max(updated_at) FROM official)"
)
MAX_ENTRIES = 20_000
RECHECK_AFTER_SECONDS = 1.0

Answer = TypeVar("Answer")


class AnswerCache(Generic[Answer]):
    """Answers by query key; emptied whenever the data version moves."""

    def __init__(
        self,
        *,
        recheck_after: float = RECHECK_AFTER_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._recheck_after = recheck_after
        self._clock = clock
        self._checked_at = -float("inf")
        self._version: tuple[object, ...] | None = None
        self._answers: dict[tuple[str, ...], Answer] = {}

    def recent(self, key: tuple[str, ...]) -> Answer | None:
        """The answer kept for `key` while the version was checked less than a second ago."""
        if self._clock() - self._checked_at >= self._recheck_after:
            return None
        return self._answers.get(key)

    def get(self, connection: Connection, key: tuple[str, ...]) -> Answer | None:
        """The answer kept for `key`, after checking that the data has not changed since."""
        version = tuple(connection.exec_driver_sql(VERSION_SQL).one())
        self._checked_at = self._clock()
        if version != self._version:
            self._answers = {}
            self._version = version
        return self._answers.get(key)

    def put(self, key: tuple[str, ...], answer: Answer) -> None:
        if len(self._answers) >= MAX_ENTRIES:
            self._answers = {}
        self._answers[key] = answer
