-- Issue #13, first slice: a whole-catalog read through a Shopify bulk operation.

-- The lines of one bulk operation's JSONL while it is read (BulkCatalogReader). Children come after
-- their parent but anywhere later in the file, so they are joined to products here, by parent id, once
-- the whole file is in, instead of in memory. Disposable: unlogged (not worth WAL), deleted after each
-- read; rows an interrupted read left behind are deleted by the next read once they are a day old.
CREATE UNLOGGED TABLE bulk_lines (
    run_id     uuid        NOT NULL,
    line_no    bigint      NOT NULL,
    id         text        NOT NULL,
    parent_id  text,
    body       text        NOT NULL,
    staged_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, line_no)
);
CREATE INDEX bulk_lines_parent_idx ON bulk_lines (run_id, parent_id);
CREATE INDEX bulk_lines_id_idx ON bulk_lines (run_id, id);

-- One row per product per shop: the product's canonical JSON, exactly the bytes it has inside
-- shop_products.json, and their SHA-256. Replaced per shop in one transaction after a complete read;
-- ShopProductsAssembler streams shop_products.json from these rows, and single-product patches (#10)
-- will update them. text, not jsonb: jsonb would reorder keys and lose the canonical bytes.
CREATE TABLE shop_products (
    shop            text        NOT NULL,
    product_id      text        NOT NULL,
    user_id         uuid        NOT NULL,
    canonical_json  text        NOT NULL,
    sha256          text        NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop, product_id)
);
