"""supporter invitations to a campaign; one-click unsubscribe URL on outbox e-mails

Revision ID: 8e5f4a6b7c89
Revises: 8b2e1d3c4f56
Create Date: 2026-11-30 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db

revision: str = "8e5f4a6b7c89"
down_revision: str | None = "8b2e1d3c4f56"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "supporter_invitation",
        sa.Column("supporter_id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("sent_at", app.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["campaign.id"],
            name=op.f("fk_supporter_invitation_campaign_id_campaign"),
        ),
        sa.ForeignKeyConstraint(
            ["supporter_id"],
            ["supporter.id"],
            name=op.f("fk_supporter_invitation_supporter_id_supporter"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "supporter_id", "campaign_id", name=op.f("pk_supporter_invitation")
        ),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("list_unsubscribe", sa.String(length=500), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("list_unsubscribe")
    op.drop_table("supporter_invitation")
