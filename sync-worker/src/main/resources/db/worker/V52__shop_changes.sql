-- Issue #14, second slice: one patch job applies every kind of change webhooks announced for a shop, not only
-- products. The pending changes table becomes shop_changes: one row per changed resource (its GID, which names
-- its type, so the primary key stays (shop, resource_id)), with the kind of change; duplicates and bursts still
-- collapse into the row, and `version` still lets a patch forget only what it read.
ALTER TABLE product_changes RENAME TO shop_changes;
ALTER TABLE shop_changes RENAME COLUMN product_id TO resource_id;
ALTER TABLE shop_changes RENAME CONSTRAINT product_changes_pkey TO shop_changes_pkey;
ALTER SEQUENCE product_changes_version RENAME TO shop_changes_version;
ALTER TABLE shop_changes ALTER COLUMN version SET DEFAULT nextval('shop_changes_version');
-- product: re-read or delete the product; inventory: re-read the product owning the inventory item (resource_id is
-- the level's GID, gid://shopify/InventoryLevel/<location>?inventory_item_id=<item>); collection, discount: re-read
-- the node (null: gone) and patch the stored part; shop: re-read the shop's metadata (resource_id 'shop').
ALTER TABLE shop_changes ADD COLUMN kind text NOT NULL DEFAULT 'product'
    CHECK (kind IN ('product', 'inventory', 'collection', 'discount', 'shop'));
ALTER TABLE shop_changes ALTER COLUMN kind DROP DEFAULT;
