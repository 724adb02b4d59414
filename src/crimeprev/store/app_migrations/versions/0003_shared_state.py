"""State the app's workers share: papers being made, and sign-in attempts by address.

With more than one worker process, a paper started by one is followed by whichever serves the next
request, and the sign-in limit counts every worker's attempts.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "paper_jobs",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user", sa.String(80), nullable=False),
        sa.Column("as_of", sa.String(7), nullable=False),
        sa.Column("formats", sa.String(40), nullable=False),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("stage", sa.String(80), nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True)),
        sa.Column("error", sa.Text),
        sa.Column("files", sa.JSON),
        sa.Column("warnings", sa.JSON),
    )
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("address", sa.String(64), nullable=False, index=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
    )


def downgrade() -> None:
    op.drop_table("sign_in_attempts")
    op.drop_table("paper_jobs")
