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
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * The legacy TMS product. Its vocabulary is mapped here and nowhere else: {@code ACK}/{@code DUP}
 * are success, {@code NAK} is a rejection, {@code BUSY} (and any 5xx or timeout) is "try again
 * later". It dedupes on the client reference, which is our shipment id, so a retried booking never
 * creates a second trip; revising with the same content and voiding twice are harmless.
 * Every operation has its own timeout, quick retries with exponential backoff and circuit breaker
 * (the class-level fault-tolerance annotations apply to each method separately).
 */
@Timeout(value = 8, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 2, delay = 300, jitter = 100, abortOn = TmsRejectedException.class)
@ExponentialBackoff
@CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 10, delayUnit = ChronoUnit.SECONDS,
        skipOn = TmsRejectedException.class)
@ApplicationScoped
public class LegacyTmsAdapter implements DispatchPlatform {

    public static final String SYSTEM = "LEGACY_TMS";
    static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmm");
    private static final BigDecimal LBS_PER_KG = new BigDecimal("2.20462");

    private final LegacyTmsApi api;

    public LegacyTmsAdapter(@RestClient LegacyTmsApi api) {
        this.api = api;
    }

    @Override
    public String system() {
        return SYSTEM;
    }

    @Override
    public Uni<DispatchReference> createLoad(OrderReleased order) {
        return api.book(toShipment(order)).map(r -> reference(r, "booking"))
                .onFailure().transform(LegacyTmsAdapter::classify);
    }

    @Override
    public Uni<DispatchReference> updateLoad(String loadId, int amendment, OrderReleased order) {
        return api.revise(order.correlation().shipmentId(), toShipment(order)).map(r -> reference(r, "revision"))
                .onFailure().transform(LegacyTmsAdapter::classify);
    }

    @Override
    public Uni<Void> cancelLoad(String loadId, String shipmentId, String reason) {
        return api.voidShipment(shipmentId, new LegacyTmsApi.VoidRequest(reason)).map(r -> {
            check(r, "void");
            return (Void) null;
        }).onFailure().transform(LegacyTmsAdapter::classify);
    }

    /** The legacy answer as our dispatch reference, or the failure its result code means. */
    static DispatchReference reference(LegacyTmsApi.Reply r, String what) {
        check(r, what);
        return new DispatchReference(r.tripNo(), r.routeCode(), r.carrierName(), r.driverName(), r.tractorNo(),
                instant(r.pickupEta()), instant(r.deliveryEta()), SYSTEM);
    }

    private static void check(LegacyTmsApi.Reply r, String what) {
        String result = r == null || r.result() == null ? "" : r.result().trim().toUpperCase();
        switch (result) {
            case "ACK", "DUP" -> {
            }
            case "NAK" -> throw new TmsRejectedException("Legacy TMS refused the " + what + ": " + r.reasonCode()
                    + " " + (r.reasonText() == null ? "" : r.reasonText()));
            case "BUSY" -> throw new TmsUnavailableException("Legacy TMS is busy", null);
            default -> throw new TmsUnavailableException("Legacy TMS answered an unknown result '" + result + "'", null);
        }
    }

    private static Throwable classify(Throwable failure) {
        if (failure instanceof TmsRejectedException || failure instanceof TmsUnavailableException) {
            return failure;
        }
        if (failure instanceof WebApplicationException wae) {
            int status = wae.getResponse().getStatus();
            if (status >= 400 && status < 500 && status != 408 && status != 429) {
                return new TmsRejectedException("Legacy TMS rejected the request with HTTP " + status);
            }
            return new TmsUnavailableException("Legacy TMS answered HTTP " + status, failure);
        }
        return new TmsUnavailableException("Legacy TMS unreachable: " + failure.getMessage(), failure);
    }

    static LegacyTmsApi.Shipment toShipment(OrderReleased order) {
        Stop pickup = order.stops().get(0);
        Stop delivery = order.stops().get(order.stops().size() - 1);
        int pieces = order.lines().stream().mapToInt(OrderLine::pieces).sum();
        BigDecimal kg = order.lines().stream().map(OrderLine::weightKg).reduce(BigDecimal.ZERO, BigDecimal::add);
        long lbs = kg.multiply(LBS_PER_KG).setScale(0, RoundingMode.HALF_UP).longValueExact();
        boolean hazmat = order.lines().stream().anyMatch(OrderLine::hazmat);
        return new LegacyTmsApi.Shipment(order.correlation().shipmentId(), order.correlation().customerId(),
                order.serviceLevel(), pieces, lbs, hazmat ? "Y" : "N", point(pickup), point(delivery));
    }

    private static LegacyTmsApi.Point point(Stop s) {
        return new LegacyTmsApi.Point(s.name(), s.address().city(), s.address().country(), s.zoneId(),
                stamp(s.window().start()), stamp(s.window().end()));
    }

    private static String stamp(Instant t) {
        return t == null ? null : STAMP.format(t.atOffset(ZoneOffset.UTC));
    }

    static Instant instant(String stamp) {
        if (stamp == null || stamp.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(stamp.trim(), STAMP).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
