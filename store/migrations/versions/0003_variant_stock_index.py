"""An index of variants by stock: a search of products in stock reads what is sold out through it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """ix_variants_stock (stock, product_id)."""
    op.create_index("ix_variants_stock", "variants", ["stock", "product_id"], if_not_exists=True)


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_variants_stock", table_name="variants")
