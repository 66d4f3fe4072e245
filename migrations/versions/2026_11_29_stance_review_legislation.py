"""stance review: batches, evidence fields, the legislative record, dashboard indexes

Revision ID: 9d1e7c3a5b20
Revises: 5b0d1e5c0a13
Create Date: 2026-11-29 21:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "9d1e7c3a5b20"
down_revision: str | None = "5b0d1e5c0a13"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Stances approved before this revision: each pair's latest approved one becomes current.
CURRENT_FROM_REVIEWS = """
INSERT INTO current_stance (official_id, demand_id, stance_id, position)
SELECT official_id, demand_id, id, position FROM (
    SELECT s.official_id, s.demand_id, s.id, s.position, ROW_NUMBER() OVER (
        PARTITION BY s.official_id, s.demand_id
        ORDER BY s.evidence_date DESC NULLS LAST, s.recorded_at DESC, s.id DESC
    ) AS ranking
    FROM stance s JOIN stance_review r ON r.stance_id = s.id AND r.approved
) ranked WHERE ranking = 1
"""


def upgrade() -> None:
    op.create_table(
        "stance_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_ref", sa.String(length=40), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("undone_at", app.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user.id"], name=op.f("fk_stance_batch_created_by_id_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stance_batch")),
    )
    with op.batch_alter_table("stance_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stance_batch_source_ref"), ["source_ref"], unique=False
        )

    op.create_table(
        "legislative_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("record_date", sa.Date(), nullable=True),
        sa.Column("dossier_ref", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legislative_record")),
        sa.UniqueConstraint("uid", name=op.f("uq_legislative_record_uid")),
    )
    op.create_table(
        "legislative_act",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("actor_ref", sa.String(length=20), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("acted_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["legislative_record.id"],
            name=op.f("fk_legislative_act_record_id_legislative_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legislative_act")),
        sa.UniqueConstraint(
            "record_id", "actor_ref", name="uq_legislative_act_record_id_actor_ref"
        ),
    )
    with op.batch_alter_table("legislative_act", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_legislative_act_actor_ref"), ["actor_ref"], unique=False
        )

    with op.batch_alter_table("stance", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendees", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("source_ref", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("batch_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_stance_batch_id_stance_batch"), "stance_batch", ["batch_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_stance_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(
            "ix_stance_demand_id_recorded_at", ["demand_id", "recorded_at"], unique=False
        )

    op.create_table(
        "current_stance",
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("stance_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["demand_id"], ["demand.id"], name=op.f("fk_current_stance_demand_id_demand")
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["official.id"], name=op.f("fk_current_stance_official_id_official")
        ),
        sa.ForeignKeyConstraint(
            ["stance_id"], ["stance.id"], name=op.f("fk_current_stance_stance_id_stance")
        ),
        sa.PrimaryKeyConstraint("official_id", "demand_id", name=op.f("pk_current_stance")),
    )
    with op.batch_alter_table("current_stance", schema=None) as batch_op:
        batch_op.create_index(
            "ix_current_stance_demand_id_position", ["demand_id", "position"], unique=False
        )
    op.execute(CURRENT_FROM_REVIEWS)
    with op.batch_alter_table("stance_review", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stance_review_reviewed_at"), ["reviewed_at"], unique=False
        )
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.create_index(
            "ix_letter_official_id_status_created_at",
            ["official_id", "status", "created_at"],
            unique=False,
        )
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.create_index(
            "ix_reply_official_id_received_at",
            ["official_id", "received_at", "letter_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("reply", schema=None) as batch_op:
        batch_op.drop_index("ix_reply_official_id_received_at")
    with op.batch_alter_table("letter", schema=None) as batch_op:
        batch_op.drop_index("ix_letter_official_id_status_created_at")
    with op.batch_alter_table("stance_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stance_review_reviewed_at"))
    with op.batch_alter_table("current_stance", schema=None) as batch_op:
        batch_op.drop_index("ix_current_stance_demand_id_position")
    op.drop_table("current_stance")
    with op.batch_alter_table("stance", schema=None) as batch_op:
        batch_op.drop_index("ix_stance_demand_id_recorded_at")
        batch_op.drop_index(batch_op.f("ix_stance_batch_id"))
        batch_op.drop_constraint(batch_op.f("fk_stance_batch_id_stance_batch"), type_="foreignkey")
        batch_op.drop_column("batch_id")
        batch_op.drop_column("source_ref")
        batch_op.drop_column("attendees")
    with op.batch_alter_table("legislative_act", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_legislative_act_actor_ref"))
    op.drop_table("legislative_act")
    op.drop_table("legislative_record")
    with op.batch_alter_table("stance_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stance_batch_source_ref"))
    op.drop_table("stance_batch")
