"""room for sealed (encrypted) TOTP secrets

Revision ID: 8c3d2e1f0a97
Revises: 8a1f0c2b3d45
Create Date: 2026-11-30 05:00:00

Secrets enrolled before this revision stay readable as they are and are sealed at their next
use. Going back down unseals every secret with the app's key (PLAIDOYER_SECRET_KEY), because the
code of the previous revision reads them in clear.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.config import get_settings
from app.security import SEALED_PREFIX, unseal

revision: str = "8c3d2e1f0a97"
down_revision: str | None = "8a1f0c2b3d45"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USERS = sa.table("user", sa.column("id", sa.Integer), sa.column("totp_secret", sa.String))


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=64), type_=sa.String(length=255)
        )


def downgrade() -> None:
    connection = op.get_bind()
    sealed = connection.execute(
        sa.select(USERS.c.id, USERS.c.totp_secret).where(
            USERS.c.totp_secret.startswith(SEALED_PREFIX)
        )
    ).all()
    if sealed:
        key = get_settings().session_secret()
        for user_id, stored in sealed:
            secret = unseal(key, stored)
            if secret is None:
                raise RuntimeError(
                    f"Secret TOTP du compte {user_id} illisible avec la clé actuelle "
                    "(PLAIDOYER_SECRET_KEY) : retour en arrière impossible sans la clé d'origine."
                )
            connection.execute(
                sa.update(USERS).where(USERS.c.id == user_id).values(totp_secret=secret)
            )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.alter_column(
            "totp_secret", existing_type=sa.String(length=255), type_=sa.String(length=64)
        )
