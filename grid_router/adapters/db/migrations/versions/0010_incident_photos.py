"""photo references (现场照片) of reports and actions, for the incident page

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_photos",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column(
            "action_id",
            sa.String(length=128),
            nullable=True,
            comment="the action that carried it; null: the report",
        ),
        sa.Column(
            "action", sa.String(length=32), nullable=False, comment="REPORT, or the action's code"
        ),
        sa.Column(
            "position",
            sa.Integer(),
            nullable=False,
            comment="its place among the message's photos",
        ),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column(
            "sha256",
            sa.String(length=64),
            nullable=True,
            comment="lower-case hex SHA-256 of the bytes (null: none sent, or not one)",
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["incidents.event_id"],
            name="fk_incident_photos_event_id_incidents",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_incident_photos"),
    )
    op.create_index("ix_incident_photos_event_id", "incident_photos", ["event_id"])
    op.create_index("ix_incident_photos_sha256", "incident_photos", ["sha256"])


def downgrade() -> None:
    op.drop_table("incident_photos")
