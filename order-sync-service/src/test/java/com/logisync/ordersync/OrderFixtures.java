package com.logisync.ordersync;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Realistic ERP orders for tests: windows a few days ahead of now. */
final class OrderFixtures {

    private OrderFixtures() {
    }

    static String order(String orderId) {
        OffsetDateTime pickup = OffsetDateTime.now(ZoneOffset.ofHours(-6)).plusDays(2).truncatedTo(ChronoUnit.HOURS);
        return order(orderId, pickup, pickup.plusDays(1), 1200);
    }

    static String order(String orderId, OffsetDateTime pickupStart, OffsetDateTime deliveryStart, int weightKg) {
        return """
                {
                  "orderId": "%s",
                  "customerId": "CUST-ACME",
                  "serviceLevel": "LTL_STANDARD",
                  "lines": [{"pieces": 4, "weightKg": %d, "hazmat": false, "description": "palletised auto parts"}],
                  "stops": [
                    {"type": "PICKUP", "name": "Acme DC Dallas", "locationCode": "USDAL",
                     "address": {"line1": "100 Commerce St", "city": "Dallas", "region": "TX", "postalCode": "75201", "country": "US"},
                     "zoneId": "America/Chicago",
                     "window": {"start": "%s", "end": "%s"}},
                    {"type": "DELIVERY", "name": "Globex Store 17", "locationCode": "USHOU",
                     "address": {"line1": "9 Main St", "city": "Houston", "region": "TX", "postalCode": "77002", "country": "US"},
                     "zoneId": "America/Chicago",
                     "window": {"start": "%s", "end": "%s"}}
                  ],
                  "references": {"poNumbers": ["PO-7781"], "bol": "BOL-%s"}
                }
                """.formatted(orderId, weightKg, pickupStart, pickupStart.plusHours(4), deliveryStart,
                deliveryStart.plusHours(4), orderId);
    }

    static final String CUSTOMER = """
            {"name": "Acme Manufacturing", "status": "ACTIVE", "creditHold": false, "timeZone": "America/Chicago",
             "servicePreferences": {"delayThresholdMinutes": 60, "notificationContacts": ["ops@acme.example"]},
             "erpVersion": 1}
            """;

    static final String CONTRACT = """
            {"customerId": "CUST-ACME", "validFrom": "2026-01-01",
             "lanes": [{"originRegion": "US-TX", "destinationRegion": "US", "linehaulRate": 1450.00, "currency": "USD",
                        "serviceLevels": ["LTL_STANDARD", "FTL"], "minDeliveryWindowMinutes": 60, "maxWeightKg": 20000}],
             "accessorialRates": {"DET": 85.00, "LFT": 75.00},
             "freeDetentionMinutes": 120, "detentionCap": 340.00,
             "fuelSurcharge": {"tableVersion": "FSC-2026-1", "bands": [{"fromPrice": 3.00, "toPrice": 4.00, "percentOfLinehaul": 18.5}]},
             "hazmatAllowed": false, "erpVersion": 1}
            """;

    /** ERP's customer and contract for the fixture orders (idempotent: the same version again is a no-op). */
    static void seedMasterData() {
        seedCustomer("CUST-ACME");
    }

    /** A customer like Acme, with its own contract {@code CTR-<customerId>}. */
    static void seedCustomer(String customerId) {
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON).body(CUSTOMER)
                .put("/api/v1/customers/" + customerId).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
        io.restassured.RestAssured.given().contentType(io.restassured.http.ContentType.JSON)
                .body(CONTRACT.replace("CUST-ACME", customerId))
                .put("/api/v1/contracts/" + ("CUST-ACME".equals(customerId) ? "CTR-ACME-2026" : "CTR-" + customerId)).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    /** The fixture order for another customer. */
    static String orderFor(String customerId, String orderId) {
        return order(orderId).replace("\"CUST-ACME\"", "\"" + customerId + "\"");
    }

    static String loadCreated(String loadId) {
        return """
                {"loadId": "%s", "routeId": "RT-9", "carrier": "Swift Haulage", "driver": "D. Ortiz",
                 "vehicle": "TRK-221", "plannedPickup": "2026-12-01T14:00:00Z", "plannedDelivery": "2026-12-02T16:00:00Z"}
                """.formatted(loadId);
    }
}
