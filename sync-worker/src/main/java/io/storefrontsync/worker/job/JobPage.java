package io.storefrontsync.worker.job;

import java.util.List;

/**
 * {@code GET /jobs}: one page of a user's jobs, newest first; {@code nextCursor} is passed as {@code cursor} for the
 * next page and is null on the last one.
 */
public record JobPage(List<JobView> jobs, String nextCursor) {
}
