"""directors: the legislative watch's mark on texts, letters' dates by id for the median delay

Revision ID: 8f6a5b7c8d90
Revises: 7c4e2a9d5f31
Create Date: 2026-11-30 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "8f6a5b7c8d90"
down_revision: str | None = "7c4e2a9d5f31"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("legislative_record", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("watched_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(
            batch_op.f("ix_legislative_record_watched_at"), ["watched_at"], unique=False
        )

    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.create_index("ix_letter_id_created_at", ["id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_id_created_at")
    with op.batch_alter_table("legislative_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legislative_record_watched_at"))
        batch_op.drop_column("watched_at")
