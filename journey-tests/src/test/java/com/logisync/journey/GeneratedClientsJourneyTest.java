package com.logisync.journey;

import com.logisync.client.billing.api.BillingCasesApi;
import com.logisync.client.billing.api.FuelIndexApi;
import com.logisync.client.billing.model.BillingCaseView;
import com.logisync.client.billing.model.BillingStatus;
import com.logisync.client.billing.model.CaseAccessorial;
import com.logisync.client.billing.model.ClerkDecision;
import com.logisync.client.billing.model.FuelIndexRequest;
import com.logisync.client.milestone.api.MilestonesApi;
import com.logisync.client.milestone.model.AcceptanceOutcome;
import com.logisync.client.milestone.model.Location;
import com.logisync.client.milestone.model.MilestoneRequest;
import com.logisync.client.milestone.model.MilestoneType;
import com.logisync.client.milestone.model.PodReport;
import com.logisync.client.milestone.model.ShipmentKeys;
import com.logisync.client.ordersync.api.MasterDataApi;
import com.logisync.client.ordersync.api.OrdersApi;
import com.logisync.client.ordersync.model.AccountStatus;
import com.logisync.client.ordersync.model.AddressRequest;
import com.logisync.client.ordersync.model.ContractRequest;
import com.logisync.client.ordersync.model.CustomerRequest;
import com.logisync.client.ordersync.model.DeliveryWindow;
import com.logisync.client.ordersync.model.FuelBand;
import com.logisync.client.ordersync.model.FuelTable;
import com.logisync.client.ordersync.model.LaneRequest;
import com.logisync.client.ordersync.model.OrderLine;
import com.logisync.client.ordersync.model.OrderReferences;
import com.logisync.client.ordersync.model.OrderRequest;
import com.logisync.client.ordersync.model.OrderStatus;
import com.logisync.client.ordersync.model.OrderView;
import com.logisync.client.ordersync.model.StopRequest;
import com.logisync.client.ordersync.model.StopType;
import com.logisync.client.serviceview.api.CaseViewApi;
import com.logisync.client.serviceview.model.ShipmentCaseView;
import com.logisync.client.serviceview.model.ShipmentPage;
import com.logisync.local.DevTokens;
import com.logisync.local.LocalSuite;
import com.logisync.local.SuiteSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An API consumer's journey with nothing but the Java clients the OpenAPI Generator makes from the four
 * committed contracts (module api-clients): ERP's master data and an order, the carrier's reports, the
 * agent's lookup, a clerk's accessorial decision, the invoice. Every request and answer goes through the
 * generated models, so a contract that does not say what the service really sends fails here.
 */
class GeneratedClientsJourneyTest {

    private static final ZoneId CHICAGO = ZoneId.of("America/Chicago");
    private static LocalSuite suite;
    private static DevTokens tokens;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = FreshSuite.create("clients", false);
        suite.up();
        tokens = new DevTokens(suite.settings());
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.down();
        }
    }

    private static String url(String service) {
        return suite.settings().url(service);
    }

    private static String bearer(String subject, Map<String, Object> claims, String role) {
        return "Bearer " + tokens.token(subject, claims, role);
    }

    private static com.logisync.client.ordersync.ApiClient orderSync(String authorization) {
        com.logisync.client.ordersync.ApiClient c = new com.logisync.client.ordersync.ApiClient();
        c.updateBaseUri(url(SuiteSettings.ORDER_SYNC));
        c.setRequestInterceptor(b -> b.header("Authorization", authorization));
        return c;
    }

    private static com.logisync.client.milestone.ApiClient milestones(String authorization) {
        com.logisync.client.milestone.ApiClient c = new com.logisync.client.milestone.ApiClient();
        c.updateBaseUri(url(SuiteSettings.MILESTONE));
        c.setRequestInterceptor(b -> b.header("Authorization", authorization));
        return c;
    }

    private static com.logisync.client.billing.ApiClient billing(String authorization) {
        com.logisync.client.billing.ApiClient c = new com.logisync.client.billing.ApiClient();
        c.updateBaseUri(url(SuiteSettings.BILLING));
        c.setRequestInterceptor(b -> b.header("Authorization", authorization));
        return c;
    }

    private static com.logisync.client.serviceview.ApiClient serviceView(String authorization) {
        com.logisync.client.serviceview.ApiClient c = new com.logisync.client.serviceview.ApiClient();
        c.updateBaseUri(url(SuiteSettings.SERVICE_VIEW));
        c.setRequestInterceptor(b -> b.header("Authorization", authorization));
        return c;
    }

    /** Asks until the answer satisfies {@code done} (a generated client's ApiException counts as not yet). */
    private static <T> T await(String what, Callable<T> ask, Predicate<T> done) throws Exception {
        return Poll.until(what, Duration.ofSeconds(90), ask, done);
    }

    private static String isoWeek(ZonedDateTime t) {
        return "%d-W%02d".formatted(t.get(IsoFields.WEEK_BASED_YEAR), t.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    @Test
    void aShipmentGoesFromReleaseToInvoiceWithTheGeneratedClientsOnly() throws Exception {
        String erp = bearer("erp-generated", Map.of(), "erp");
        String clerk = bearer("clerk-generated", Map.of(), "billing-clerk");

        // ERP's master data: a customer, and a contract whose rate card has no detention.
        MasterDataApi masterData = new MasterDataApi(orderSync(erp));
        masterData.putCustomer("CUST-GEN", new CustomerRequest().name("Generated Goods").status(AccountStatus.ACTIVE)
                .creditHold(false).timeZone("America/Chicago").erpVersion(1L));
        masterData.putContract("CTR-GEN-1", new ContractRequest().customerId("CUST-GEN").validFrom(LocalDate.of(2026, 1, 1))
                .addLanesItem(new LaneRequest().originRegion("US-TX").destinationRegion("US")
                        .linehaulRate(new BigDecimal("1200.00")).currency("USD").addServiceLevelsItem("LTL_STANDARD")
                        .maxWeightKg(new BigDecimal("20000")))
                .putAccessorialRatesItem("LFT", new BigDecimal("75.00")).freeDetentionMinutes(120)
                .detentionCap(new BigDecimal("340.00"))
                .fuelSurcharge(new FuelTable().tableVersion("FSC-GEN-1").addBandsItem(new FuelBand()
                        .fromPrice(new BigDecimal("3.00")).toPrice(new BigDecimal("4.00"))
                        .percentOfLinehaul(new BigDecimal("10.0"))))
                .hazmatAllowed(false).erpVersion(1L));
        assertThat(masterData.getCustomer("CUST-GEN").getName()).isEqualTo("Generated Goods");

        ZonedDateTime pickup = LocalDate.now(CHICAGO).plusDays(1).atTime(8, 0).atZone(CHICAGO);
        ZonedDateTime delivery = pickup.plusDays(1);
        FuelIndexApi fuel = new FuelIndexApi(billing(clerk));
        for (ZonedDateTime week : List.of(ZonedDateTime.now(CHICAGO), pickup, delivery)) {
            fuel.putFuelIndex(isoWeek(week), new FuelIndexRequest().pricePerGallon(new BigDecimal("3.612"))
                    .source("generated clients"));
        }

        // ERP releases the order; the TMS stand-in dispatches it.
        String orderId = "ORD-GEN-" + System.currentTimeMillis();
        OrdersApi orders = new OrdersApi(orderSync(erp));
        AddressRequest dallas = new AddressRequest().line1("100 Commerce St").city("Dallas").region("TX")
                .postalCode("75201").country("US");
        AddressRequest houston = new AddressRequest().line1("9 Main St").city("Houston").region("TX")
                .postalCode("77002").country("US");
        OrderRequest order = new OrderRequest().orderId(orderId).customerId("CUST-GEN").serviceLevel("LTL_STANDARD")
                .addLinesItem(new OrderLine().pieces(4).weightKg(new BigDecimal("1200")).hazmat(false)
                        .description("palletised parts"))
                .addStopsItem(new StopRequest().type(StopType.PICKUP).name("Gen DC Dallas").locationCode("USDAL")
                        .address(dallas).zoneId("America/Chicago").window(new DeliveryWindow()
                                .start(pickup.toOffsetDateTime()).end(pickup.plusHours(4).toOffsetDateTime())))
                .addStopsItem(new StopRequest().type(StopType.DELIVERY).name("Gen Store 9").locationCode("USHOU")
                        .address(houston).zoneId("America/Chicago").window(new DeliveryWindow()
                                .start(delivery.toOffsetDateTime()).end(delivery.plusHours(9).toOffsetDateTime())))
                .references(new OrderReferences().addPoNumbersItem("PO-GEN-1").bol("BOL-" + orderId));
        OrderView released = orders.releaseOrder(order, "rel-" + orderId);
        String shipmentId = released.getShipmentId();
        assertThat(shipmentId).startsWith("SHP-");
        // A retry under the same Idempotency-Key replays the first answer; without a key the same order again
        // is the service's own repeat answer, 200 with the order: both have their schema, parsed by the client.
        var retried = orders.releaseOrderWithHttpInfo(order, "rel-" + orderId);
        assertThat(retried.getStatusCode()).isEqualTo(201);
        assertThat(retried.getHeaders().get("idempotent-replayed")).containsExactly("true");
        assertThat(retried.getData().getShipmentId()).isEqualTo(shipmentId);
        var again = orders.releaseOrderWithHttpInfo(order, null);
        assertThat(again.getStatusCode()).isEqualTo(200);
        assertThat(again.getData().getShipmentId()).isEqualTo(shipmentId);
        OrderView dispatched = await("the order dispatched", () -> orders.getOrder(orderId),
                o -> o.getStatus() == OrderStatus.DISPATCHED);
        String loadId = dispatched.getDispatch().getLoadId();
        assertThat(loadId).startsWith("LD-");

        // The carrier reports by the load it knows (milestone-service parks a report until it has learned the load
        // from the orders topic): arrival, departure four hours later, then the delivery with its POD. The stay earns detention, which this contract has no rate for: it waits for a clerk.
        MilestonesApi carrier = new MilestonesApi(milestones(bearer("swift-tms", Map.of("partner", LocalSuite.SAMPLE_CARRIER),
                "carrier")));
        Location store = new Location().name("Gen Store 9").locationCode("USHOU");
        OffsetDateTime arrived = delivery.plusMinutes(15).toOffsetDateTime();
        OffsetDateTime delivered = delivery.plusHours(3).plusMinutes(50).toOffsetDateTime();
        OffsetDateTime departed = delivery.plusHours(4).toOffsetDateTime();
        assertThat(carrier.reportMilestone(new MilestoneRequest().sourceEventId("gen-arr-" + loadId)
                .partnerId(LocalSuite.SAMPLE_CARRIER).milestone(MilestoneType.ARRIVED_DELIVERY).eventTime(arrived)
                .references(new ShipmentKeys().loadId(loadId)).location(store), "gen-arr-" + loadId).getOutcome())
                .isIn(AcceptanceOutcome.RECORDED, AcceptanceOutcome.PARKED);
        carrier.reportMilestone(new MilestoneRequest().sourceEventId("gen-dep-" + loadId).partnerId(LocalSuite.SAMPLE_CARRIER)
                .milestone(MilestoneType.DEPARTED_DELIVERY).eventTime(departed)
                .references(new ShipmentKeys().loadId(loadId)).location(store), "gen-dep-" + loadId);
        assertThat(carrier.reportMilestone(new MilestoneRequest().sourceEventId("gen-pod-" + loadId)
                .partnerId(LocalSuite.SAMPLE_CARRIER).milestone(MilestoneType.DELIVERED).eventTime(delivered)
                .references(new ShipmentKeys().loadId(loadId)).location(store)
                .pod(new PodReport().signedBy("R. Roe").signedAt(delivered).documentRef("POD-" + loadId)), "gen-pod-" + loadId).getOutcome())
                .isIn(AcceptanceOutcome.RECORDED, AcceptanceOutcome.PARKED); // parked until the load is learned

        // The agent finds the shipment by the customer's BOL, and in the customer's list.
        CaseViewApi agent = new CaseViewApi(serviceView(bearer("agent-generated", Map.of(), "service-agent")));
        ShipmentCaseView view = await("the delivery on the case view", () -> agent.lookupShipmentCase("BOL-" + orderId),
                v -> v.getPod() != null);
        // The departure after the delivery is the furthest the shipment got (status precedence).
        assertThat(view.getStatus()).isEqualTo(com.logisync.client.serviceview.model.MilestoneType.DEPARTED_DELIVERY);
        assertThat(view.getShipmentId()).isEqualTo(shipmentId);
        assertThat(view.getOrderId()).isEqualTo(orderId);
        assertThat(view.getPod().getSignedBy()).isEqualTo("R. Roe");
        ShipmentPage list = agent.listShipments("CUST-GEN", null, 10, null, null);
        assertThat(list.getItems()).extracting(s -> s.getShipmentId()).containsExactly(shipmentId);
        assertThat(list.getNextCursor()).isNull();

        // The clerk decides the detention: rejected (absorbed), recorded under the clerk's token.
        BillingCasesApi cases = new BillingCasesApi(billing(clerk));
        BillingCaseView waiting = await("the detention waiting for a clerk", () -> cases.getBillingCase(shipmentId),
                b -> b.getAccessorials().stream().anyMatch(a -> "PENDING".equals(a.getStatus())));
        CaseAccessorial detention = waiting.getAccessorials().stream().filter(a -> "PENDING".equals(a.getStatus()))
                .findFirst().orElseThrow();
        assertThat(detention.getAccessorialId()).startsWith("DETENTION:" + shipmentId);
        assertThat(detention.getReason()).contains("not in the contract's rate card");
        assertThat(waiting.getStatus()).isEqualTo(BillingStatus.OPEN);
        BillingCaseView decided = cases.rejectAccessorial(detention.getAccessorialId(), shipmentId,
                new ClerkDecision().reason("detention absorbed: not in the contract"), "reject-" + detention.getAccessorialId());
        CaseAccessorial rejected = decided.getAccessorials().stream()
                .filter(a -> a.getAccessorialId().equals(detention.getAccessorialId())).findFirst().orElseThrow();
        assertThat(rejected.getStatus()).isEqualTo("REJECTED");
        assertThat(rejected.getDecidedBy()).isEqualTo("clerk-generated");

        // The invoice: linehaul 1200.00 plus the 10 % fuel surcharge of the 3.00-4.00 band, no detention.
        BillingCaseView invoiced = await("the invoice", () -> cases.getBillingCase(shipmentId),
                b -> b.getStatus() == BillingStatus.INVOICED);
        assertThat(invoiced.getInvoice().getInvoiceId()).startsWith("INV-");
        assertThat(invoiced.getInvoice().getCurrency()).isEqualTo("USD");
        assertThat(invoiced.getInvoice().getTotal()).isEqualByComparingTo("1320.00");
        ShipmentCaseView billed = await("the invoice on the case view", () -> agent.getShipmentCase(shipmentId),
                v -> v.getBilling() != null && "INVOICED".equals(v.getBilling().getState()));
        assertThat(billed.getBilling().getInvoiceId()).isEqualTo(invoiced.getInvoice().getInvoiceId());
        assertThat(billed.getBilling().getTotal()).isEqualByComparingTo("1320.00");
    }
}
