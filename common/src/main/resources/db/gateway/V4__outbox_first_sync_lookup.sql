-- The merchant's status page asks, per shop and per Page, whether its first sync was handed to the worker:
-- the latest app/installed (by shop) or page/connected (by Page) row of the outbox. Partial expression indexes
-- hold only those lifecycle rows, so the lookup never scans the change events.
CREATE INDEX outbox_app_installed_idx ON outbox ((payload ->> 'shop'), id)
    WHERE payload ->> 'topic' = 'app/installed';
CREATE INDEX outbox_page_connected_idx ON outbox ((payload ->> 'pageId'), id)
    WHERE payload ->> 'topic' = 'page/connected';
