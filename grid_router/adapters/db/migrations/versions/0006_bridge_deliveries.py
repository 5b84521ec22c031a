"""bridge deliveries in the outbox: status (pending or parked) and the next attempt's time

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column(
                "status",
                sa.String(length=16),
                nullable=False,
                server_default=sa.text("'pending'"),
                comment="pending, or parked after too many failed attempts (bridges)",
            )
        )
        batch.add_column(
            sa.Column(
                "next_attempt_at",
                sa.DateTime(timezone=True),
                nullable=True,
                comment="a bridge delivery waits until then (backoff)",
            )
        )
        batch.create_index("ix_outbox_destination_id", ["destination", "id"])


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_index("ix_outbox_destination_id")
        batch.drop_column("next_attempt_at")
        batch.drop_column("status")
