-- Issue #14, first slice: a products/* webhook patches one product instead of a full sync.

-- Shopify's updatedAt of each stored product (from its canonical JSON): a patch never replaces a row with an
-- older copy. Null for rows stored before this migration (any copy may replace them).
ALTER TABLE shop_products ADD COLUMN product_updated_at timestamptz;

-- The parts of shop_products.json that are not products, canonical as the document holds them, and the locations
-- the products' inventory aliases are built from: kept by every full sync (paginated or bulk) so a patch assembles
-- the document without refetching them. A shop with a row here has its products in shop_products.
CREATE TABLE shop_catalog_parts (
    shop              text        PRIMARY KEY,
    user_id           uuid        NOT NULL,
    discounts_json    text        NOT NULL,
    collections_json  text        NOT NULL,
    locations_json    text        NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

-- Product changes webhooks announced and no patch has applied yet, one row per product: duplicates and bursts
-- collapse (the newest time wins; a delete is final, Shopify never reuses a product id). `version` changes on
-- every new announcement, so a patch deletes only the rows it read.
CREATE SEQUENCE product_changes_version;
CREATE TABLE product_changes (
    shop         text        NOT NULL,
    product_id   text        NOT NULL,
    changed_at   timestamptz NOT NULL,
    deleted      boolean     NOT NULL,
    version      bigint      NOT NULL DEFAULT nextval('product_changes_version'),
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (shop, product_id)
);

-- A deleted product's id and when it was deleted: an update delivered late (Shopify orders nothing) cannot bring
-- it back. Kept 7 days (webhook retries end long before).
CREATE TABLE product_tombstones (
    shop        text        NOT NULL,
    product_id  text        NOT NULL,
    deleted_at  timestamptz NOT NULL,
    PRIMARY KEY (shop, product_id)
);

-- The patch job: coalesces like a sync; a sync absorbs it, a redaction absorbs both.
ALTER TABLE jobs DROP CONSTRAINT jobs_action_check;
ALTER TABLE jobs ADD CONSTRAINT jobs_action_check CHECK (action IN ('sync', 'redact', 'patch'));
