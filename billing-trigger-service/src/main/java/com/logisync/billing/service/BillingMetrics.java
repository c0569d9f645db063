package com.logisync.billing.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;

/**
 * The two cycle times the business watches, as histograms in /q/metrics:
 * {@code logisync_billing_delivered_to_eligible_seconds} (delivery event time → every billing rule
 * met) and {@code logisync_billing_eligible_to_invoiced_seconds} (→ ERP's invoice id recorded), the
 * invoice cycle time. Buckets span a second to a month: a POD can take weeks to arrive.
 */
@ApplicationScoped
public class BillingMetrics {

    private final Timer deliveredToEligible;
    private final Timer eligibleToInvoiced;
    private final Timer podToInvoiced;
    private final MeterRegistry registry;

    public BillingMetrics(MeterRegistry registry) {
        this.registry = registry;
        deliveredToEligible = histogram(registry, "logisync.billing.delivered.to.eligible",
                "From the delivery (event time) until every billing rule is met");
        eligibleToInvoiced = histogram(registry, "logisync.billing.eligible.to.invoiced",
                "From billing-eligible until ERP's invoice is recorded (the invoice cycle time)");
        podToInvoiced = histogram(registry, "logisync.billing.pod.to.invoiced",
                "From the proof of delivery's arrival until ERP's invoice is recorded");
        // Every outcome at zero from the start: the alert's increase() sees the first FAILED only if the series exists.
        for (String outcome : java.util.List.of("ISSUED", "REJECTED", "FAILED", "UNAVAILABLE")) {
            io.micrometer.core.instrument.Counter.builder("logisync.billing.invoice.answers")
                    .description("ERP's answers to invoice requests, by what they did").tag("outcome", outcome)
                    .register(registry);
        }
    }

    private static Timer histogram(MeterRegistry registry, String name, String description) {
        return Timer.builder(name).description(description).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofDays(31))
                .register(registry);
    }

    /**
     * {@code logisync_billing_invoice_answers_total{outcome}}: what ERP's answers to invoice requests
     * did: ISSUED, REJECTED (refused, asked again), FAILED (refused for the last time: a clerk must act),
     * UNAVAILABLE (no answer: retried with backoff).
     */
    public void invoiceAnswer(String outcome) {
        io.micrometer.core.instrument.Counter.builder("logisync.billing.invoice.answers")
                .description("ERP's answers to invoice requests, by what they did").tag("outcome", outcome)
                .register(registry).increment();
    }

    public void eligible(Instant deliveredAt, Instant eligibleAt) {
        record(deliveredToEligible, deliveredAt, eligibleAt);
    }

    public void invoiced(Instant eligibleAt, Instant podReceivedAt, Instant invoicedAt) {
        record(eligibleToInvoiced, eligibleAt, invoicedAt);
        record(podToInvoiced, podReceivedAt, invoicedAt);
    }

    private static void record(Timer timer, Instant from, Instant to) {
        if (from != null && to != null) {
            // A delivery stamped by a device clock running ahead would be negative: count it as instant.
            Duration d = Duration.between(from, to);
            timer.record(d.isNegative() ? Duration.ZERO : d);
        }
    }
}
