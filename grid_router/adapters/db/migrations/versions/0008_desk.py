"""dispatch desk: browser sessions, reminders (催办), the needs_triage flag of incidents

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(
            sa.Column(
                "needs_triage",
                sa.Boolean(),
                nullable=False,
                server_default=sa.text("false"),
                comment="a person must confirm the category (graded II/I and routed while unsure)",
            )
        )
    op.create_table(
        "desk_sessions",
        sa.Column(
            "session_hash",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the cookie value",
        ),
        sa.Column("token_id", sa.String(length=36), nullable=False),
        sa.Column(
            "csrf",
            sa.String(length=64),
            nullable=False,
            comment="the CSRF token of this session's forms",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["api_tokens.token_id"],
            name="fk_desk_sessions_token_id_api_tokens",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("session_hash", name="pk_desk_sessions"),
    )
    op.create_index("ix_desk_sessions_token_id", "desk_sessions", ["token_id"])
    op.create_table(
        "desk_reminders",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=12), nullable=False, comment="the unit reminded"),
        sa.Column(
            "sender", sa.String(length=128), nullable=False, comment="who sent it: role:unit/name"
        ),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_desk_reminders"),
    )
    op.create_index("ix_desk_reminders_unit_code_at", "desk_reminders", ["unit_code", "at"])
    op.create_index("ix_desk_reminders_event_id", "desk_reminders", ["event_id"])


def downgrade() -> None:
    op.drop_table("desk_reminders")
    op.drop_table("desk_sessions")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("needs_triage")
