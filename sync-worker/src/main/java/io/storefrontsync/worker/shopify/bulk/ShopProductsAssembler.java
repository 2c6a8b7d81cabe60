package io.storefrontsync.worker.shopify.bulk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.storefrontsync.common.validation.ShopDomain;
import io.storefrontsync.worker.shopify.ShopDocuments;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Writes {@code shop_products.json} to a temporary file from the shop's {@code worker.shop_products} rows,
 * hashing it as it goes, without ever holding the catalog: byte for byte what {@code ShopDocuments.of}
 * gives for the same store. The canonical document's keys are sorted, so it reads
 * {@code {"collections":[…],"discounts":[…],"products":[…]}}: the two short lists first (canonical as
 * {@code ShopDocuments} makes them), then every product's stored bytes in {@code ShopDocuments}' order
 * (by id: shorter first, then lexically, which is {@code length(product_id), product_id COLLATE "C"} for
 * the ASCII of a gid), read by a cursor {@value #BATCH} rows at a time. File writes run on a worker thread.
 */
@ApplicationScoped
public class ShopProductsAssembler {

    private static final Logger LOG = Logger.getLogger(ShopProductsAssembler.class);

    static final int BATCH = 500;

    private final Pool pool;
    private final ShopProducts shopProducts;

    public ShopProductsAssembler(Pool pool, ShopProducts shopProducts) {
        this.pool = pool;
        this.shopProducts = shopProducts;
    }

    /** The document in a temporary file the caller deletes; its SHA-256 and size. */
    public record Assembled(Path file, String sha256, long size, long products) {

        /** Removes the temporary file once the document is written (or its write failed); never throws. */
        public boolean deleteQuietly() {
            try {
                return Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.debugf("temporary document %s not deleted: %s", file, e.getMessage());
                return false;
            }
        }
    }

    public Uni<Assembled> assemble(ShopDomain shop, List<ObjectNode> discounts, List<ObjectNode> collections) {
        return Uni.createFrom().item(() -> new ShopCatalogParts.Parts(
                        new String(ShopDocuments.canonicalList(discounts), StandardCharsets.UTF_8),
                        new String(ShopDocuments.canonicalList(collections), StandardCharsets.UTF_8), "[]"))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(parts -> assemble(shop, parts));
    }

    /** The same from the stored parts ({@link ShopCatalogParts}, canonical already): what a patch writes. */
    public Uni<Assembled> assemble(ShopDomain shop, ShopCatalogParts.Parts parts) {
        return Uni.createFrom().item(() -> Output.open(parts.discountsJson(), parts.collectionsJson()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(output -> pool.withTransaction(conn -> shopProducts.inDocumentOrder(conn, shop)
                                .chain(cursor -> Multi.createBy().repeating().uni(() -> cursor, c -> c.read(BATCH))
                                        .whilst(rows -> cursor.hasMore())
                                        .onItem().transformToUniAndConcatenate(rows -> output.append(rows))
                                        .collect().last()
                                        .eventually(() -> cursor.close().onFailure().recoverWithNull())))
                        .chain(() -> Uni.createFrom().item(output::finish).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                        .onFailure().invoke(output::discard));
    }

    /** The file being written and its running digest; used by one assembly at a time, batch after batch. */
    private static final class Output {
        private final Path file;
        private final MessageDigest digest;
        private final CountingStream counted;
        private final OutputStream out;
        private long products;

        private Output(Path file, MessageDigest digest, CountingStream counted, OutputStream out) {
            this.file = file;
            this.digest = digest;
            this.counted = counted;
            this.out = out;
        }

        static Output open(String discounts, String collections) {
            try {
                Path file = Files.createTempFile("storefront-shop-products-", ".json");
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                CountingStream counted = new CountingStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
                Output output = new Output(file, digest, counted, new DigestOutputStream(counted, digest));
                output.write("{\"collections\":");
                output.write(collections);
                output.write(",\"discounts\":");
                output.write(discounts);
                output.write(",\"products\":[");
                return output;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is not available in this JVM", e);
            }
        }

        Uni<Long> append(RowSet<Row> rows) {
            List<String> batch = new ArrayList<>(rows.size());
            rows.forEach(row -> batch.add(row.getString("canonical_json")));
            return Uni.createFrom().item(() -> {
                try {
                    for (String product : batch) {
                        if (products++ > 0) {
                            write(",");
                        }
                        write(product);
                    }
                    return products;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
        }

        Assembled finish() {
            try {
                write("]}");
                out.close();
                return new Assembled(file, HexFormat.of().formatHex(digest.digest()), counted.count, products);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void discard() {
            try {
                out.close();
            } catch (IOException ignored) {
                // the file goes anyway
            }
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary file the OS cleans
            }
        }

        private void write(String text) throws IOException {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
