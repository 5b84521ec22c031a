"""bridge cursors: where a bridge's pull poller has read up to (the 12345 hotline's tickets)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bridge_cursors",
        sa.Column(
            "bridge",
            sa.String(length=64),
            nullable=False,
            comment="the bridge's name in the policy",
        ),
        sa.Column(
            "cursor", sa.Text(), nullable=False, comment="the far side's cursor, as it gave it"
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bridge", name="pk_bridge_cursors"),
    )


def downgrade() -> None:
    op.drop_table("bridge_cursors")
