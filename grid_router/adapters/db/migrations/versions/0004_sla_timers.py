"""SLA clocks: durable timers, the SLA terms kept with each incident, suspension and extensions

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(
            sa.Column(
                "sla_terms",
                sa.JSON(),
                nullable=True,
                comment="the SLA policy in force when filed, kept with the incident",
            )
        )
        batch.add_column(
            sa.Column(
                "suspended_from",
                sa.String(length=16),
                nullable=True,
                comment="state RESUME returns to (挂账)",
            )
        )
        batch.add_column(
            sa.Column(
                "clock_paused",
                sa.JSON(),
                nullable=True,
                comment="what was left of each clock when suspended",
            )
        )
        batch.add_column(
            sa.Column(
                "extensions",
                sa.Integer(),
                nullable=False,
                server_default=sa.text("0"),
                comment="延期 used",
            )
        )
    with op.batch_alter_table("work_orders") as batch:
        batch.add_column(sa.Column("sign_by", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("handle_by", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sla_timers",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column(
            "event_id",
            sa.String(length=64),
            sa.ForeignKey(
                "incidents.event_id",
                ondelete="CASCADE",
                name="fk_sla_timers_event_id_incidents",
            ),
            nullable=False,
        ),
        sa.Column("stage", sa.String(length=8), nullable=False, comment="sign, handle or verify"),
        sa.Column(
            "card", sa.String(length=16), nullable=False, comment="WARNING, BREACH or REMINDER"
        ),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "level",
            sa.String(length=16),
            nullable=False,
            comment="level of the unit held to the clock",
        ),
        sa.Column("unit_code", sa.String(length=12), nullable=False),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="when the clock started",
        ),
        sa.Column(
            "limit_ms",
            sa.BigInteger(),
            nullable=False,
            comment="the limit after scale and extensions",
        ),
        sa.Column(
            "clock", sa.String(length=16), nullable=False, comment="wall_clock or working_time"
        ),
        sa.Column("repeat", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_sla_timers"),
    )
    op.create_index("ix_sla_timers_due_at", "sla_timers", ["due_at"])
    op.create_index("ix_sla_timers_event_id", "sla_timers", ["event_id"])


def downgrade() -> None:
    op.drop_index("ix_sla_timers_event_id", table_name="sla_timers")
    op.drop_index("ix_sla_timers_due_at", table_name="sla_timers")
    op.drop_table("sla_timers")
    with op.batch_alter_table("work_orders") as batch:
        batch.drop_column("handle_by")
        batch.drop_column("sign_by")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("extensions")
        batch.drop_column("clock_paused")
        batch.drop_column("suspended_from")
        batch.drop_column("sla_terms")
