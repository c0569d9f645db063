package com.logisync.ordersync.client;

import com.logisync.contracts.event.OrderReleased;
import com.logisync.contracts.model.DispatchReference;
import com.logisync.contracts.model.OrderLine;
import com.logisync.contracts.model.Stop;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.math.BigDecimal;
import java.time.temporal.ChronoUnit;

/**
 * The modern REST TMS. A few quick retries ride out a blip; a longer outage opens the circuit and
 * leaves the order pending for the durable retry in {@code DispatchHandoff}. 4xx (except 408/429)
 * is a rejection; everything else is "try again later". Idempotency keys: the shipment id for the
 * load, {@code <shipmentId>:amendment-<n>} for an update, {@code <shipmentId>:cancel} for the cancellation.
 * Every operation has its own timeout, quick retries with exponential backoff and circuit breaker
 * (the class-level fault-tolerance annotations apply to each method separately).
 */
@Timeout(value = 5, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 2, delay = 200, jitter = 100, abortOn = TmsRejectedException.class)
@ExponentialBackoff
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 10, delayUnit = ChronoUnit.SECONDS,
        skipOn = TmsRejectedException.class)
@ApplicationScoped
public class RestTmsAdapter implements DispatchPlatform {

    public static final String SYSTEM = "REST_TMS";

    private final TmsRestApi api;

    public RestTmsAdapter(@RestClient TmsRestApi api) {
        this.api = api;
    }

    @Override
    public String system() {
        return SYSTEM;
    }

    @Override
    public Uni<DispatchReference> createLoad(OrderReleased order) {
        return api.createLoad(order.correlation().shipmentId(), toRequest(order)).map(RestTmsAdapter::reference)
                .onFailure().transform(RestTmsAdapter::classify);
    }

    @Override
    public Uni<DispatchReference> updateLoad(String loadId, int amendment, OrderReleased order) {
        return api.updateLoad(loadId, order.correlation().shipmentId() + ":amendment-" + amendment, toRequest(order)).map(RestTmsAdapter::reference)
                .onFailure().transform(RestTmsAdapter::classify);
    }

    @Override
    public Uni<Void> cancelLoad(String loadId, String shipmentId, String reason) {
        return api.cancelLoad(loadId, shipmentId + ":cancel", new TmsRestApi.CancelRequest(reason)).replaceWithVoid()
                .onFailure().transform(RestTmsAdapter::classify);
    }

    private static DispatchReference reference(TmsRestApi.LoadCreated r) {
        return new DispatchReference(r.loadId(), r.routeId(), r.carrier(), r.driver(), r.vehicle(), r.plannedPickup(),
                r.plannedDelivery(), SYSTEM);
    }

    private static Throwable classify(Throwable failure) {
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                String body = wae.getResponse().hasEntity() ? wae.getResponse().readEntity(String.class) : "";
                return new TmsRejectedException("TMS rejected the request with " + status
                        + (body.isBlank() ? "" : ": " + abbreviate(body)));
            }
            return new TmsUnavailableException("TMS answered " + status, failure);
        }
        return new TmsUnavailableException("TMS unreachable: " + failure.getMessage(), failure);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    private static TmsRestApi.LoadRequest toRequest(OrderReleased order) {
        Stop pickup = order.stops().get(0);
        Stop delivery = order.stops().get(order.stops().size() - 1);
        int pieces = order.lines().stream().mapToInt(OrderLine::pieces).sum();
        BigDecimal weight = order.lines().stream().map(OrderLine::weightKg).reduce(BigDecimal.ZERO, BigDecimal::add);
        boolean hazmat = order.lines().stream().anyMatch(OrderLine::hazmat);
        return new TmsRestApi.LoadRequest(order.correlation().shipmentId(), order.correlation().orderId(),
                order.correlation().customerId(), order.serviceLevel(), pieces, weight, hazmat, stop(pickup),
                stop(delivery));
    }

    private static TmsRestApi.StopPayload stop(Stop s) {
        return new TmsRestApi.StopPayload(s.type().name(), s.name(), s.address().city(), s.address().country(),
                s.zoneId(), s.window().start(), s.window().end());
    }
}
