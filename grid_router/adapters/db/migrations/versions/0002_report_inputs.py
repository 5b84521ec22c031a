"""keep the app's category pick and the severity hint, so a report can be re-decided

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(
            sa.Column(
                "app_category_code",
                sa.String(length=32),
                nullable=True,
                comment="category the reporter picked, as sent",
            )
        )
        batch.add_column(
            sa.Column(
                "severity_hint", sa.String(length=4), nullable=True, comment="grade hint, as sent"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("severity_hint")
        batch.drop_column("app_category_code")
