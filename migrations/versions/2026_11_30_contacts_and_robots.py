"""contact overrides, bouncing addresses, auto-replies and bounces among replies

Revision ID: 8b2e1d3c4f56
Revises: 8d4e3f5a6b78
Create Date: 2026-11-30 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "8b2e1d3c4f56"
down_revision: str | None = "8d4e3f5a6b78"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_override",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("source_date", sa.Date(), nullable=True),
        sa.Column("imported_value", sa.Text(), nullable=False),
        sa.Column("set_by_id", sa.Integer(), nullable=True),
        sa.Column("set_by_label", sa.String(length=200), nullable=False),
        sa.Column("set_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"], ["official.id"], name=op.f("fk_contact_override_official_id_official")
        ),
        sa.ForeignKeyConstraint(
            ["set_by_id"], ["user.id"], name=op.f("fk_contact_override_set_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_override")),
        sa.UniqueConstraint("official_id", "field", name="uq_contact_override_official_id_field"),
    )
    with op.batch_alter_table("contact_override", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_override_official_id"), ["official_id"], unique=False
        )
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("bounce_address", sa.String(length=254), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("bounced_at", app.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("bounce_diagnostic", sa.Text(), nullable=False, server_default="")
        )
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.String(length=20), nullable=False, server_default="reply")
        )
        batch_op.add_column(
            sa.Column("delivery_status", sa.String(length=20), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("diagnostic", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.drop_column("diagnostic")
        batch_op.drop_column("delivery_status")
        batch_op.drop_column("kind")
    with op.batch_alter_table("official", schema=None) as batch_op:
        batch_op.drop_column("bounce_diagnostic")
        batch_op.drop_column("bounced_at")
        batch_op.drop_column("bounce_address")
    with op.batch_alter_table("contact_override", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_override_official_id"))
    op.drop_table("contact_override")
