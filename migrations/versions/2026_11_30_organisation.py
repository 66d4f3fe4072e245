"""the association's identity (one row) and ministries' postal addresses

Revision ID: 8a1f0c2b3d45
Revises: 8e5f4a6b7c89
Create Date: 2026-11-30 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "8a1f0c2b3d45"
down_revision: str | None = "8e5f4a6b7c89"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("postal_address", sa.Text(), nullable=False),
        sa.Column("signatory_name", sa.String(length=120), nullable=False),
        sa.Column("signatory_title", sa.String(length=120), nullable=False),
        sa.Column("sender_email", sa.String(length=254), nullable=False),
        sa.Column("sender_name", sa.String(length=120), nullable=False),
        sa.Column("reply_domain", sa.String(length=253), nullable=False),
        sa.Column("footer", sa.String(length=200), nullable=False),
        sa.Column("logo", sa.LargeBinary(), nullable=True),
        sa.Column("logo_type", sa.String(length=20), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
    )
    op.create_table(
        "ministry_address",
        sa.Column("body_id", sa.Integer(), nullable=False),
        sa.Column("postal_address", sa.Text(), nullable=False),
        sa.Column("updated_by", sa.String(length=254), nullable=False),
        sa.Column("updated_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["body_id"], ["body.id"], name=op.f("fk_ministry_address_body_id_body")
        ),
        sa.PrimaryKeyConstraint("body_id", name=op.f("pk_ministry_address")),
    )


def downgrade() -> None:
    op.drop_table("ministry_address")
    op.drop_table("organisation")
