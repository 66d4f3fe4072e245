"""supporters, their letter requests, rate counters; public campaigns

Revision ID: 7c4e2a9d5f31
Revises: 3f6a2c8d9e41
Create Date: 2026-12-02 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "7c4e2a9d5f31"
down_revision: str | None = "3f6a2c8d9e41"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supporter_rate_counter",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("window_start", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", "window_start", name=op.f("pk_supporter_rate_counter")),
    )
    op.create_table(
        "supporter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("send_consent_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("send_consent_version", sa.String(length=40), nullable=False),
        sa.Column("news_consent", sa.Boolean(), nullable=False),
        sa.Column("news_consent_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("news_consent_version", sa.String(length=200), nullable=False),
        sa.Column("unsubscribed_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_active_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("anonymised_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporter")),
        sa.UniqueConstraint("email", name=op.f("uq_supporter_email")),
    )
    with op.batch_alter_table("supporter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supporter_last_active_at"), ["last_active_at"], unique=False
        )

    op.create_table(
        "supporter_action",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("supporter_id", sa.Integer(), nullable=True),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("postcode", sa.String(length=10), nullable=False),
        sa.Column("lead_demand_id", sa.Integer(), nullable=True),
        sa.Column("detailed", sa.Boolean(), nullable=False),
        sa.Column("constituent", sa.Boolean(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reminded_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("surveyed_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("survey_answer", sa.String(length=20), nullable=False),
        sa.Column("survey_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"], ["campaign.id"], name=op.f("fk_supporter_action_campaign_id_campaign")
        ),
        sa.ForeignKeyConstraint(
            ["lead_demand_id"],
            ["demand.id"],
            name=op.f("fk_supporter_action_lead_demand_id_demand"),
        ),
        sa.ForeignKeyConstraint(
            ["supporter_id"],
            ["supporter.id"],
            name=op.f("fk_supporter_action_supporter_id_supporter"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporter_action")),
        sa.UniqueConstraint("nonce", name=op.f("uq_supporter_action_nonce")),
    )
    with op.batch_alter_table("supporter_action", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supporter_action_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            "ix_supporter_action_status_created_at", ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supporter_action_supporter_id"), ["supporter_id"], unique=False
        )

    op.create_table(
        "supporter_letter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("letter_id", sa.Integer(), nullable=True),
        sa.Column("email_key", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["supporter_action.id"],
            name=op.f("fk_supporter_letter_action_id_supporter_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["letter_id"], ["letter.id"], name=op.f("fk_supporter_letter_letter_id_letter")
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["official.id"], name=op.f("fk_supporter_letter_official_id_official")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supporter_letter")),
        sa.UniqueConstraint("letter_id", name=op.f("uq_supporter_letter_letter_id")),
    )
    with op.batch_alter_table("supporter_letter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_supporter_letter_action_id"), ["action_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_supporter_letter_email_key"), ["email_key"], unique=False
        )
        batch_op.create_index(
            "ix_supporter_letter_official_id_created_at",
            ["official_id", "created_at"],
            unique=False,
        )

    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_public", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("targeting", sa.String(length=10), nullable=False, server_default="own")
        )


def downgrade() -> None:
    with op.batch_alter_table("campaign", schema=None) as batch_op:
        batch_op.drop_column("targeting")
        batch_op.drop_column("is_public")

    with op.batch_alter_table("supporter_letter", schema=None) as batch_op:
        batch_op.drop_index("ix_supporter_letter_official_id_created_at")
        batch_op.drop_index(batch_op.f("ix_supporter_letter_email_key"))
        batch_op.drop_index(batch_op.f("ix_supporter_letter_action_id"))

    op.drop_table("supporter_letter")
    with op.batch_alter_table("supporter_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supporter_action_supporter_id"))
        batch_op.drop_index("ix_supporter_action_status_created_at")
        batch_op.drop_index(batch_op.f("ix_supporter_action_campaign_id"))

    op.drop_table("supporter_action")
    with op.batch_alter_table("supporter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supporter_last_active_at"))

    op.drop_table("supporter")
    op.drop_table("supporter_rate_counter")
