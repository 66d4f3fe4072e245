"""Row counts and an order-free checksum per table, equal on SQLite and PostgreSQL."""

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, select

from app.models import Base


@dataclass(frozen=True)
class TableSum:
    table: str
    rows: int
    checksum: str


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


def table_sum(connection: Connection, table: Table) -> TableSum:
    """Each row's values are hashed; the sorted row hashes are hashed again (order-free)."""
    row_hashes = sorted(
        hashlib.sha256(
            json.dumps([_plain(value) for value in row], sort_keys=True, default=str).encode()
        ).digest()
        for row in connection.execute(select(table))
    )
    return TableSum(
        table=table.name,
        rows=len(row_hashes),
        checksum=hashlib.sha256(b"".join(row_hashes)).hexdigest(),
    )


def database_sums(connection: Connection) -> list[TableSum]:
    """A sum for every table the models declare, in dependency order."""
    return [table_sum(connection, table) for table in Base.metadata.sorted_tables]
