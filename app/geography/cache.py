"""Finished lookup answers kept per process, valid while the data behind them is unchanged.

Every read first checks one cheap version (the geography's content hash and the latest change
to any official, both indexed), so an import made by another process is seen at once.
Officials are ended or updated, never deleted, and every write stamps `updated_at`.
"""

from typing import Generic, TypeVar

from sqlalchemy import Connection

# Plain SQL on purpose: it runs on every request, and skipping the statement cache and result
# processing of a Core select halves the cost of this check.
VERSION_SQL = (
    "SELECT (SELECT content_hash FROM geography_version WHERE id = 1),"
    " (SELECT max(updated_at) FROM official)"
)
MAX_ENTRIES = 20_000

Answer = TypeVar("Answer")


class AnswerCache(Generic[Answer]):
    """Answers by query key; emptied whenever the data version moves."""

    def __init__(self) -> None:
        self._version: tuple[object, ...] | None = None
        self._answers: dict[tuple[str, ...], Answer] = {}

    def get(self, connection: Connection, key: tuple[str, ...]) -> Answer | None:
        """The answer kept for `key`, if the data has not changed since."""
        version = tuple(connection.exec_driver_sql(VERSION_SQL).one())
        if version != self._version:
            self._answers = {}
            self._version = version
        return self._answers.get(key)

    def put(self, key: tuple[str, ...], answer: Answer) -> None:
        if len(self._answers) >= MAX_ENTRIES:
            self._answers = {}
        self._answers[key] = answer
