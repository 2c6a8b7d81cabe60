package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.json.CanonicalJson;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.common.validation.UserId;
import io.storefrontsync.worker.shopify.ShopDocuments;
import io.storefrontsync.worker.shopify.ShopifyApiException;
import io.vertx.mutiny.sqlclient.Cursor;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Turns a downloaded catalog JSONL into {@code worker.shop_products}: one row per product with its
 * canonical JSON (the bytes it has inside {@code shop_products.json}) and their SHA-256.
 *
 * <p>Memory stays bounded by a batch, whatever the catalog's size:
 * <ol>
 *   <li>the file is read line by line (Jackson parses one line at a time, on a worker thread) and each
 *       line goes, with its {@code id} and {@code __parentId}, into {@code worker.bulk_lines}, 1,000 lines
 *       per statement. Shopify writes a child after its parent but, with {@code groupObjects: false},
 *       anywhere later, after other parents' children: nothing is joined while reading;</li>
 *   <li>once the whole file is staged, one transaction deletes the shop's rows and walks a cursor over the
 *       staged products, each with its children collected by the {@code (run_id, parent_id)} index, builds
 *       every product ({@link BulkProductJoiner}, canonical bytes on a worker thread) and inserts the rows,
 *       batch after batch. A line that is not JSON (a download cut mid-line) or a child without its product
 *       fails before that transaction: the stored rows stay as they were.</li>
 * </ol>
 * The staged lines are deleted afterwards whatever happened; lines a crashed read left are deleted by a
 * later read once a day old.
 */
@ApplicationScoped
public class BulkCatalogReader {

    private static final Logger LOG = Logger.getLogger(BulkCatalogReader.class);
    static final int STAGE_BATCH = 1000;
    static final int PRODUCT_BATCH = 200;

    private final Pool pool;
    private final ShopProducts shopProducts;

    public BulkCatalogReader(Pool pool, ShopProducts shopProducts) {
        this.pool = pool;
        this.shopProducts = shopProducts;
    }

    /**
     * What a file gave: how many products the shop's rows now hold, and each collection's product ids (the
     * products' {@code collections} lines, {@link #memberships}).
     */
    public record Read(long products, Map<String, List<String>> members) {
    }

    /**
     * @param locations the shop's locations, in the order of the query's aliases
     */
    public Uni<Read> replaceShopProducts(ShopDomain shop, UserId user, Path jsonl, List<ObjectNode> locations) {
        UUID run = UUID.randomUUID();
        BulkProductJoiner joiner = new BulkProductJoiner(locations);
        return pool.query("DELETE FROM worker.bulk_lines WHERE staged_at < now() - interval '1 day'").execute()
                .chain(() -> stage(run, jsonl))
                .invoke(lines -> LOG.debugf("%s: staged %d bulk lines", shop, lines))
                .call(lines -> analyze())
                .call(lines -> checkNoOrphans(run))
                .chain(lines -> memberships(run))
                .chain(members -> replace(run, shop, user, joiner).map(products -> new Read(products, members)))
                .eventually(() -> pool.preparedQuery("DELETE FROM worker.bulk_lines WHERE run_id = $1")
                        .execute(Tuple.of(run)).onFailure().recoverWithNull());
    }

    /**
     * Each collection's product ids, from the lines {@code {"id": collection, "__parentId": product}} of the products'
     * {@code collections} connection ({@link BulkCatalogQuery}); in no particular order (the document sorts them by
     * id). One statement, grouped in PostgreSQL: a 10,000-product store has some 15,000 such lines.
     */
    Uni<Map<String, List<String>>> memberships(UUID run) {
        return pool.preparedQuery("""
                        SELECT id, array_agg(parent_id ORDER BY line_no) AS products FROM worker.bulk_lines
                        WHERE run_id = $1 AND parent_id IS NOT NULL AND id LIKE 'gid://shopify/Collection/%'
                        GROUP BY id""")
                .execute(Tuple.of(run))
                .map(rows -> {
                    Map<String, List<String>> members = new HashMap<>();
                    rows.forEach(row -> members.put(row.getString("id"), List.of(row.getArrayOfStrings("products"))));
                    return members;
                });
    }

    // ---- staging -----------------------------------------------------------------------------------

    private record StagedLine(long lineNo, String id, String parentId, String body) {
    }

    private Uni<Long> stage(UUID run, Path jsonl) {
        return Uni.createFrom().item(() -> open(jsonl)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(reader -> {
                    long[] lineNo = {0};
                    return Multi.createBy().repeating()
                            .uni(() -> reader, in -> Uni.createFrom().item(() -> readBatch(in, lineNo))
                                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                            .until(List::isEmpty)
                            .onItem().transformToUniAndConcatenate(batch -> insertLines(run, batch).replaceWith(batch.size()))
                            .collect().with(java.util.stream.Collectors.summingLong(Integer::longValue))
                            .eventually(() -> close(reader));
                });
    }

    private static BufferedReader open(Path jsonl) {
        try {
            return Files.newBufferedReader(jsonl, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void close(BufferedReader reader) {
        try {
            reader.close();
        } catch (IOException e) {
            LOG.debugf("closing a bulk file: %s", e.getMessage());
        }
    }

    /** Up to {@link #STAGE_BATCH} lines, parsed for their ids; empty at the end of the file. */
    private static List<StagedLine> readBatch(BufferedReader in, long[] lineNo) {
        List<StagedLine> batch = new ArrayList<>(STAGE_BATCH);
        try {
            String line;
            while (batch.size() < STAGE_BATCH && (line = in.readLine()) != null) {
                lineNo[0]++;
                if (line.isEmpty()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = CanonicalJson.parse(line);
                } catch (IllegalArgumentException e) {
                    throw new ShopifyApiException.Transient("bulk file line " + lineNo[0]
                            + " is not one JSON object (a download cut mid-line?): " + e.getMessage());
                }
                JsonNode id = node.get("id");
                if (!node.isObject() || id == null || !id.isTextual()) {
                    throw new ShopifyApiException("bulk file line " + lineNo[0] + " has no id");
                }
                JsonNode parent = node.get(BulkProductJoiner.PARENT_ID);
                batch.add(new StagedLine(lineNo[0], id.asText(), parent == null ? null : parent.asText(), line));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return batch;
    }

    private Uni<Void> insertLines(UUID run, List<StagedLine> batch) {
        Long[] lineNos = new Long[batch.size()];
        String[] ids = new String[batch.size()];
        String[] parents = new String[batch.size()];
        String[] bodies = new String[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            lineNos[i] = batch.get(i).lineNo();
            ids[i] = batch.get(i).id();
            parents[i] = batch.get(i).parentId();
            bodies[i] = batch.get(i).body();
        }
        return pool.preparedQuery("""
                        INSERT INTO worker.bulk_lines (run_id, line_no, id, parent_id, body)
                        SELECT $1, * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[])""")
                .execute(Tuple.of(run, lineNos, ids, parents, bodies))
                .replaceWithVoid();
    }

    /**
     * Fresh planner statistics for the lines just staged. Without them the orphan check and the join are planned
     * on what the table held before (often nothing): measured on a 100,000-product store (600,000 lines, bench/
     * BULK-RESULTS.md), the orphan check then ran for minutes where it takes seconds once the table is analyzed.
     */
    private Uni<Void> analyze() {
        return pool.query("ANALYZE worker.bulk_lines").execute().replaceWithVoid();
    }

    /** A child whose product is not in the file: the file is not what the query asks for. */
    private Uni<Void> checkNoOrphans(UUID run) {
        return pool.preparedQuery("""
                        SELECT c.id, c.parent_id FROM worker.bulk_lines c
                        WHERE c.run_id = $1 AND c.parent_id IS NOT NULL AND NOT EXISTS (
                            SELECT 1 FROM worker.bulk_lines p WHERE p.run_id = c.run_id AND p.id = c.parent_id AND p.parent_id IS NULL)
                        LIMIT 1""")
                .execute(Tuple.of(run))
                .invoke(rows -> {
                    if (rows.size() > 0) {
                        Row orphan = rows.iterator().next();
                        throw new ShopifyApiException("bulk line " + orphan.getString("id") + " names a parent "
                                + orphan.getString("parent_id") + " that is not a product of the file");
                    }
                })
                .replaceWithVoid();
    }

    // ---- the shop's rows ---------------------------------------------------------------------------

    private Uni<Long> replace(UUID run, ShopDomain shop, UserId user, BulkProductJoiner joiner) {
        return pool.withTransaction(conn -> shopProducts.deleteShop(conn, shop)
                .chain(() -> conn.prepare("""
                        SELECT p.body, ARRAY(SELECT c.body FROM worker.bulk_lines c
                                             WHERE c.run_id = p.run_id AND c.parent_id = p.id ORDER BY c.line_no) AS children
                        FROM worker.bulk_lines p
                        WHERE p.run_id = $1 AND p.parent_id IS NULL"""))
                .chain(statement -> {
                    Cursor cursor = statement.cursor(Tuple.of(run));
                    return Multi.createBy().repeating().uni(() -> cursor, c -> c.read(PRODUCT_BATCH))
                            .whilst(rows -> cursor.hasMore())
                            .onItem().transformToUniAndConcatenate(rows -> build(rows, joiner)
                                    .chain(products -> shopProducts.insert(conn, shop, user, products)))
                            .collect().with(java.util.stream.Collectors.summingLong(Integer::longValue))
                            .eventually(() -> cursor.close().onFailure().recoverWithNull());
                }));
    }

    /** Parsing and canonical bytes are CPU work: a worker thread's, not the event loop's. */
    private static Uni<List<ShopProducts.ProductRow>> build(RowSet<Row> rows, BulkProductJoiner joiner) {
        List<Row> batch = new ArrayList<>(rows.size());
        rows.forEach(batch::add);
        return Uni.createFrom().item(() -> {
            List<ShopProducts.ProductRow> products = new ArrayList<>(batch.size());
            for (Row row : batch) {
                ObjectNode product = (ObjectNode) CanonicalJson.parse(row.getString("body"));
                List<ObjectNode> children = new ArrayList<>();
                for (String child : row.getArrayOfStrings("children")) {
                    children.add((ObjectNode) CanonicalJson.parse(child));
                }
                byte[] canonical = ShopDocuments.canonicalProduct(joiner.join(product, children));
                products.add(ShopProducts.ProductRow.of(product, canonical));
            }
            return products;
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
