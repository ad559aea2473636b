"""Baseline: the schema of the first store release, as its `metadata.create_all` made it.

Databases created before the store used migrations hold exactly these tables (perhaps with the indexes
of 0002 as well); `store.schema.upgrade_schema` stamps them at this revision instead of running it.
Money columns are integers of hundredths (`store.models.Fixed2`). Written out in full, not read from
`store.models`, so that this revision stays what it was when the models change.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# SQLite only: the full-text index of store.search (rowid = products.id). Column order matters to the weights.
FTS_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS products_fts USING fts5("
    "name, brand, category, subcategory, tags, description, "
    "tokenize = 'porter unicode61 remove_diacritics 2')"
)


def _money(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.BigInteger(), nullable=nullable)


def _created_at(name: str = "created_at") -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=False)


def upgrade() -> None:
    """Create every table of the first release, in foreign-key order, and its indexes."""
    op.create_table(
        "products",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("brand", sa.String(120)),
        sa.Column("category", sa.String(120), nullable=False),
        sa.Column("subcategory", sa.String(120)),
        _money("price"),
        sa.Column("currency", sa.String(3), nullable=False),
        _money("rating", nullable=True),
        sa.Column("description", sa.Text()),
        sa.Column("image_url", sa.String(1000)),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        _created_at(),
        _created_at("updated_at"),
        sa.CheckConstraint("price >= 0", name="ck_products_price"),
        sa.UniqueConstraint("sku"),
    )
    op.create_index("ix_products_brand", "products", ["brand"])
    op.create_index("ix_products_category", "products", ["category"])
    op.create_index("ix_products_subcategory", "products", ["subcategory"])

    op.create_table(
        "variants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("color", sa.String(60), nullable=False),
        sa.Column("size", sa.String(30), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.UniqueConstraint("product_id", "color", "size", name="uq_variants_product_color_size"),
        sa.CheckConstraint("stock >= 0", name="ck_variants_stock"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_variants_product", "variants", ["product_id"])

    op.create_table(
        "customers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("name", sa.String(200)),
        _created_at(),
        sa.UniqueConstraint("email"),
    )

    op.create_table(
        "orders",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_number", sa.String(32), nullable=False),
        sa.Column("customer_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("status", sa.String(30), nullable=False),
        _money("subtotal"),
        _money("discount"),
        _money("shipping_cost"),
        _money("total"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("coupon_code", sa.String(64)),
        sa.Column("shipping_address", sa.Text()),
        sa.Column("shipping_method", sa.String(30)),
        sa.Column("carrier", sa.String(60)),
        sa.Column("tracking_number", sa.String(80)),
        sa.Column("estimated_delivery", sa.Date()),
        sa.Column("payment_link", sa.String(500)),
        sa.Column("idempotency_key", sa.String(100)),
        _created_at("placed_at"),
        sa.Column("delivered_at", sa.DateTime()),
        sa.UniqueConstraint("order_number"),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.id"]),
        sa.UniqueConstraint("idempotency_key"),
    )
    op.create_index("ix_orders_email", "orders", ["email"])
    op.create_index("ix_orders_sender_id", "orders", ["sender_id"])

    op.create_table(
        "carts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("coupon_code", sa.String(64)),
        sa.Column("order_id", sa.Integer()),
        _created_at(),
        _created_at("updated_at"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
    )
    op.create_index("ix_carts_sender_id", "carts", ["sender_id"])

    op.create_table(
        "cart_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("cart_id", sa.Integer(), nullable=False),
        sa.Column("variant_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.UniqueConstraint("cart_id", "variant_id", name="uq_cart_items_cart_variant"),
        sa.CheckConstraint("quantity > 0", name="ck_cart_items_quantity"),
        sa.ForeignKeyConstraint(["cart_id"], ["carts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"]),
    )

    op.create_table(
        "coupons",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        _money("value"),
        _money("min_subtotal"),
        sa.Column("starts_at", sa.DateTime()),
        sa.Column("expires_at", sa.DateTime()),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("max_redemptions", sa.Integer()),
        sa.Column("times_redeemed", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(300)),
        sa.CheckConstraint("kind IN ('percent', 'fixed')", name="ck_coupons_kind"),
        sa.CheckConstraint("value >= 0", name="ck_coupons_value"),
        sa.UniqueConstraint("code"),
    )

    op.create_table(
        "order_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer()),
        sa.Column("variant_id", sa.Integer()),
        sa.Column("sku", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("color", sa.String(60), nullable=False),
        sa.Column("size", sa.String(30), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        _money("unit_price"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["product_id"], ["products.id"]),
        sa.ForeignKeyConstraint(["variant_id"], ["variants.id"]),
    )
    op.create_index("ix_order_lines_order_id", "order_lines", ["order_id"])

    op.create_table(
        "order_status_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(30), nullable=False),
        _created_at("at"),
        sa.Column("note", sa.String(300)),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE"),
    )
    op.create_index("ix_order_status_events_order_id", "order_status_events", ["order_id"])

    op.create_table(
        "returns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("return_number", sa.String(32), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _money("refund_amount"),
        _created_at(),
        sa.UniqueConstraint("return_number"),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
    )
    op.create_index("ix_returns_order_id", "returns", ["order_id"])

    op.create_table(
        "return_lines",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("return_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["order_line_id"], ["order_lines.id"]),
    )

    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(255), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _created_at(),
    )
    op.create_index("ix_handoffs_sender_id", "handoffs", ["sender_id"])

    op.create_table(
        "search_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sender_id", sa.String(255)),
        sa.Column("text", sa.Text()),
        sa.Column("filters", sa.JSON(), nullable=False),
        sa.Column("results", sa.Integer(), nullable=False),
        _created_at(),
    )
    op.create_index("ix_search_log_created_at", "search_log", ["created_at"])

    if op.get_context().dialect.name == "sqlite":
        op.execute(FTS_DDL)


def downgrade() -> None:
    """Drop everything the upgrade created (the data goes with it)."""
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS products_fts")
    for table in ("search_log", "handoffs", "return_lines", "returns", "order_status_events", "order_lines",
                  "coupons", "cart_items", "carts", "orders", "customers", "variants", "products"):
        op.drop_table(table)
