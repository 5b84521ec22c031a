"""work orders by issue time: the supervision board counts this week's orders without reading
every order ever issued

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-09
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_work_orders_created_at", "work_orders", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_work_orders_created_at", table_name="work_orders")
