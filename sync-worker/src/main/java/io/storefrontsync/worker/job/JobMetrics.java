package io.storefrontsync.worker.job;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code storefront_jobs_total{event=...}}: how many jobs reached each state, as Prometheus counters. */
@ApplicationScoped
public class JobMetrics {

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void enqueued(boolean coalesced) {
        count(coalesced ? "coalesced" : "enqueued");
    }

    /** Events merged into a job by the statement that enqueued their first. */
    void coalesced(int events) {
        if (events > 0) {
            counter("coalesced").increment(events);
        }
    }

    void claimed(int jobs) {
        counter("claimed").increment(jobs);
    }

    void succeeded() {
        count("succeeded");
    }

    /** A running job set down its lease to wait for Shopify (each status check that finds it still running, too). */
    void parked() {
        count("parked");
    }

    /** A running job given back to the queue, unfinished, by this instance's shutdown (no attempt counted). */
    void handedBack() {
        count("handed_back");
    }

    void retried() {
        count("retried");
    }

    void dead() {
        count("dead");
    }

    void cancelled(int jobs) {
        counter("cancelled").increment(jobs);
    }

    void leaseExpired() {
        count("lease_expired");
    }

    private void count(String event) {
        counter(event).increment();
    }

    private Counter counter(String event) {
        return Counter.builder("storefront.jobs").description("Job state transitions").tag("event", event)
                .register(registry);
    }
}
