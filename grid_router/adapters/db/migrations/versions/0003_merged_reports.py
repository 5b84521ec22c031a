"""repeated reports merge into the open incident they repeat; bursts link their reports

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(
            sa.Column(
                "merged_into",
                sa.String(length=64),
                nullable=True,
                comment="event id of the open incident this report repeated",
            )
        )
        batch.create_index("ix_incidents_grid_category", ["grid_code", "category_code"])
        batch.add_column(
            sa.Column(
                "burst_id",
                sa.String(length=64),
                nullable=True,
                comment="event id of the burst incident (突发聚集) this report belongs to",
            )
        )
        batch.create_index(
            "ix_incidents_district_subcategory", ["district_code", "subcategory_code"]
        )


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_index("ix_incidents_district_subcategory")
        batch.drop_column("burst_id")
        batch.drop_index("ix_incidents_grid_category")
        batch.drop_column("merged_into")
