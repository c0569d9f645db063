package com.logisync.billing.client;

import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;

/**
 * The ERP invoicing adapter. A few quick retries ride out a blip; a longer outage opens the circuit
 * and leaves the case for the durable retry in {@code InvoiceWorker}. Every call of one rating
 * revision carries the same idempotency key, so a retry after a lost answer returns the invoice ERP
 * already issued instead of issuing a second one. 4xx (except 408/429) is a rejection; anything else
 * is "try again later".
 */
@ApplicationScoped
public class ErpInvoicing {

    private final ErpInvoiceApi api;

    public ErpInvoicing(@RestClient ErpInvoiceApi api) {
        this.api = api;
    }

    /** ERP's invoice id for the request, issuing it if ERP has none under that key yet. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 300, jitter = 100, abortOn = ErpRejectedException.class)
    @ExponentialBackoff
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 10, delayUnit = ChronoUnit.SECONDS,
            skipOn = ErpRejectedException.class)
    public Uni<String> issue(String idempotencyKey, ErpInvoiceApi.InvoiceRequest request) {
        return api.issue(idempotencyKey, request)
                .map(created -> {
                    if (created == null || created.invoiceId() == null || created.invoiceId().isBlank()) {
                        throw new ErpUnavailableException("ERP answered without an invoice id", null);
                    }
                    return created.invoiceId();
                })
                .onFailure(f -> !(f instanceof ErpUnavailableException)).transform(ErpInvoicing::classify);
    }

    static Throwable classify(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                String body = wae.getResponse().hasEntity() ? wae.getResponse().readEntity(String.class) : "";
                return new ErpRejectedException("ERP rejected the invoice with " + status
                        + (body.isBlank() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body)));
            }
            return new ErpUnavailableException("ERP answered " + status, failure);
        }
        return new ErpUnavailableException("ERP unreachable: " + failure.getMessage(), failure);
    }
}
