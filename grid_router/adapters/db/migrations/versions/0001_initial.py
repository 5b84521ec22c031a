"""initial schema: incidents, transitions, work orders, inbox, outbox

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "inbox",
        sa.Column(
            "message_id",
            sa.String(length=128),
            nullable=False,
            comment="event/action id, or topic/partition/offset for undecodable messages",
        ),
        sa.Column("topic", sa.String(length=255), nullable=False),
        sa.Column("partition", sa.Integer(), nullable=False),
        sa.Column("offset", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False, comment="APPLIED or DEADLETTER"),
        sa.Column("consumed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("message_id", name=op.f("pk_inbox")),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "incidents",
        sa.Column(
            "event_id", sa.String(length=64), nullable=False, comment="UUID chosen by the submitter"
        ),
        sa.Column("version", sa.Integer(), nullable=False, comment="grows by one per transition"),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("category_code", sa.String(length=32), nullable=False),
        sa.Column("category_name", sa.String(length=64), nullable=False),
        sa.Column("subcategory_code", sa.String(length=64), nullable=True),
        sa.Column("severity", sa.String(length=4), nullable=False),
        sa.Column(
            "level", sa.String(length=16), nullable=False, comment="level currently responsible"
        ),
        sa.Column(
            "unit_code", sa.String(length=12), nullable=False, comment="unit currently responsible"
        ),
        sa.Column("unit_name", sa.String(length=128), nullable=False),
        sa.Column("department", sa.String(length=128), nullable=True),
        sa.Column("grid_code", sa.String(length=15), nullable=True),
        sa.Column("community_code", sa.String(length=12), nullable=True),
        sa.Column("street_code", sa.String(length=9), nullable=True),
        sa.Column("district_code", sa.String(length=6), nullable=True),
        sa.Column("locate_method", sa.String(length=16), nullable=False),
        sa.Column("locate_detail", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("external_ref", sa.String(length=128), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("reporter_id", sa.String(length=64), nullable=False),
        sa.Column("reporter_role", sa.String(length=32), nullable=False),
        sa.Column(
            "reporter_name",
            sa.String(length=128),
            nullable=True,
            comment="personal data: masked in views",
        ),
        sa.Column(
            "reporter_phone",
            sa.String(length=32),
            nullable=True,
            comment="personal data: masked in views",
        ),
        sa.Column("report_count", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_incidents")),
    )
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incidents_external_ref",
            ["source", "external_ref"],
            unique=False,
            sqlite_where=sa.text("external_ref IS NOT NULL"),
            postgresql_where=sa.text("external_ref IS NOT NULL"),
        )
        batch_op.create_index("ix_incidents_unit_state", ["unit_code", "state"], unique=False)

    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column(
            "destination",
            sa.String(length=255),
            nullable=False,
            comment="Kafka topic or bridge name",
        ),
        sa.Column(
            "kind",
            sa.String(length=16),
            nullable=False,
            comment="'kafka' (bridges add their own kinds)",
        ),
        sa.Column("event_id", sa.String(length=64), nullable=True),
        sa.Column("key", sa.LargeBinary(), nullable=True),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    op.create_table(
        "incident_transitions",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column(
            "version", sa.Integer(), nullable=False, comment="incident version after this step"
        ),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column(
            "actor",
            sa.String(length=128),
            nullable=False,
            comment="who: system:router, unit:<code>, …",
        ),
        sa.Column("from_level", sa.String(length=16), nullable=True),
        sa.Column("from_unit", sa.String(length=12), nullable=True),
        sa.Column("to_level", sa.String(length=16), nullable=True),
        sa.Column("to_unit", sa.String(length=12), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["incidents.event_id"],
            name=op.f("fk_incident_transitions_event_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_transitions")),
    )
    with op.batch_alter_table("incident_transitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_transitions_event_version", ["event_id", "version"], unique=True
        )

    op.create_table(
        "work_orders",
        sa.Column("work_order_id", sa.String(length=80), nullable=False),
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("unit_code", sa.String(length=12), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False, comment="ACTION or INFO_COPY"),
        sa.Column("reason", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("(true)"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["incidents.event_id"],
            name=op.f("fk_work_orders_event_id_incidents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("work_order_id", name=op.f("pk_work_orders")),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.create_index("ix_work_orders_event", ["event_id"], unique=False)
        batch_op.create_index("ix_work_orders_unit_active", ["unit_code", "active"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("work_orders", schema=None) as batch_op:
        batch_op.drop_index("ix_work_orders_unit_active")
        batch_op.drop_index("ix_work_orders_event")

    op.drop_table("work_orders")
    with op.batch_alter_table("incident_transitions", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_transitions_event_version")

    op.drop_table("incident_transitions")
    op.drop_table("outbox")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_incidents_unit_state")
        batch_op.drop_index(
            "ix_incidents_external_ref",
            sqlite_where=sa.text("external_ref IS NOT NULL"),
            postgresql_where=sa.text("external_ref IS NOT NULL"),
        )

    op.drop_table("incidents")
    op.drop_table("inbox")
