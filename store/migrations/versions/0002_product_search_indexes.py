"""Search indexes on products: the latest update (catalog change check) and the order without words.

`IF NOT EXISTS`: a database created by `create_all` after these indexes joined the models, but before
migrations, already has them and is stamped at 0001 like the older ones.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """ix_products_updated (updated_at) and ix_products_rating (rating DESC, name, id)."""
    op.create_index("ix_products_updated", "products", ["updated_at"], if_not_exists=True)
    op.create_index("ix_products_rating", "products", [sa.text("rating DESC"), "name", "id"], if_not_exists=True)


def downgrade() -> None:
    """Drop both indexes."""
    op.drop_index("ix_products_rating", table_name="products")
    op.drop_index("ix_products_updated", table_name="products")
