"""API tokens (stored hashed) and idempotency keys of the HTTP API

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.String(length=36), nullable=False, comment="uuid4"),
        sa.Column(
            "prefix",
            sa.String(length=8),
            nullable=False,
            comment="8 hex digits: grt_<prefix>_<secret>",
        ),
        sa.Column(
            "token_hash", sa.String(length=64), nullable=False, comment="SHA-256 of the token"
        ),
        sa.Column("name", sa.String(length=128), nullable=False, comment="who holds the token"),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column(
            "unit_code",
            sa.String(length=12),
            nullable=True,
            comment="unit of a dispatcher or verifier",
        ),
        sa.Column(
            "grids",
            sa.JSON(),
            nullable=False,
            comment="grid and community codes of a grid worker",
        ),
        sa.Column("rate_per_minute", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "last_used_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="updated at most once a minute",
        ),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("token_id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_prefix", "api_tokens", ["prefix"], unique=True)
    op.create_table(
        "idempotency_keys",
        sa.Column(
            "token_id",
            sa.String(length=36),
            sa.ForeignKey(
                "api_tokens.token_id",
                ondelete="CASCADE",
                name="fk_idempotency_keys_token_id_api_tokens",
            ),
            nullable=False,
        ),
        sa.Column(
            "key", sa.String(length=255), nullable=False, comment="the caller's Idempotency-Key"
        ),
        sa.Column(
            "body_sha256",
            sa.String(length=64),
            nullable=False,
            comment="SHA-256 of the request body",
        ),
        sa.Column(
            "event_id",
            sa.String(length=64),
            nullable=False,
            comment="what the first request created",
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("token_id", "key", name="pk_idempotency_keys"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_index("ix_api_tokens_prefix", table_name="api_tokens")
    op.drop_table("api_tokens")
