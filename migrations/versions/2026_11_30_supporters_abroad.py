"""room for a country of residence where supporters give their postcode (French people abroad)

Revision ID: 8d5e6f7a8b9c
Revises: 8c3d2e1f0a97
Create Date: 2026-11-30 05:30:00

Going back down keeps the first ten characters of a country name, which the previous revision's
column can hold.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8d5e6f7a8b9c"
down_revision: str | None = "8c3d2e1f0a97"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("supporter", "supporter_action")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "postcode", existing_type=sa.String(length=10), type_=sa.String(length=60)
            )


def downgrade() -> None:
    for table in TABLES:
        rows = sa.table(table, sa.column("postcode", sa.String))
        op.execute(
            sa.update(rows)
            .where(sa.func.length(rows.c.postcode) > 10)
            .values(postcode=sa.func.substr(rows.c.postcode, 1, 10))
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                "postcode", existing_type=sa.String(length=60), type_=sa.String(length=10)
            )
