package io.storefrontsync.sandbox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names {@code docs/OPERATIONS.md} documents for one service, as Prometheus exports them, so the metrics
 * tests check the document and not a copy of it: a metric renamed in the code or in the document fails the build.
 *
 * <p>Reads the "Metrics" table: the rows after the {@code | **<service>** |} row up to the next service's row;
 * each row's first cell is a backticked name with optional labels ({@code gateway_outbox_backlog},
 * {@code storefront_jobs_total{event}}); a timer written {@code name_{count,sum,max}{labels}} stands for its three
 * exported series.
 */
public final class DocumentedMetrics {

    private static final Pattern ROW_NAME = Pattern.compile("^\\| `([a-z_:][a-z0-9_:]*?)(_\\{([a-z,]+)})?(\\{[^`]*})?`");
    private static final Pattern SERVICE_ROW = Pattern.compile("^\\| \\*\\*([a-z-]+)\\*\\* \\|");

    private DocumentedMetrics() {
    }

    /** The names documented for {@code service} ({@code oauth-gateway} or {@code sync-worker}), in document order. */
    public static List<String> of(String service) {
        return of(operationsDoc(), service);
    }

    static List<String> of(Path document, String service) {
        List<String> names = new ArrayList<>();
        boolean inService = false;
        try {
            for (String line : Files.readAllLines(document)) {
                Matcher serviceRow = SERVICE_ROW.matcher(line);
                if (serviceRow.find()) {
                    inService = serviceRow.group(1).equals(service);
                    continue;
                }
                if (!line.startsWith("|")) {
                    inService = false;
                    continue;
                }
                Matcher name = ROW_NAME.matcher(line);
                if (inService && name.find()) {
                    if (name.group(3) == null) {
                        names.add(name.group(1));
                    } else {
                        for (String suffix : name.group(3).split(",")) {
                            names.add(name.group(1) + "_" + suffix);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (names.isEmpty()) {
            throw new IllegalStateException("no metrics documented for " + service + " in " + document);
        }
        return names;
    }

    /** {@code docs/OPERATIONS.md} of the repository, found from any module's working directory. */
    static Path operationsDoc() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path doc = dir.resolve("docs/OPERATIONS.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("docs/OPERATIONS.md not found above " + Path.of("").toAbsolutePath());
    }
}
