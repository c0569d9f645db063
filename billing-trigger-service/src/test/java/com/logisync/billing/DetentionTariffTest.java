package com.logisync.billing;

import com.logisync.billing.model.BillingAccessorial;
import com.logisync.billing.model.BillingCase;
import com.logisync.billing.model.BillingStop;
import com.logisync.billing.model.BillingStopEvent;
import com.logisync.billing.service.DetentionTariff;
import com.logisync.billing.service.DetentionTariff.Assessment;
import com.logisync.billing.service.DetentionTariff.Stay;
import com.logisync.billing.service.StopDetention;
import com.logisync.contracts.masterdata.Contract;
import com.logisync.contracts.model.StopType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Detention per stop as tariffs define it: clock from the later of arrival and appointment, free time, cap per stop. */
class DetentionTariffTest {

    /** 120 free minutes, DTU 85.00 and DTL 75.00 per started hour, at most 340.00 per stop. */
    private static final Contract CONTRACT = new Contract("CTR-1", "CUST-ACME", LocalDate.parse("2026-01-01"), null,
            List.of(new Contract.Lane("US", "US", new BigDecimal("1000.00"), "USD", List.of("LTL_STANDARD"), 0,
                    new BigDecimal("20000"))),
            Map.of("DTU", new BigDecimal("85.00"), "DTL", new BigDecimal("75.00")), 120, new BigDecimal("340.00"),
            null, false, 1);

    private static Instant t(String hhmm) {
        return Instant.parse("2026-12-02T" + hhmm + ":00Z");
    }

    private static Assessment assess(StopType type, String appointment, String arrived, String departed) {
        return DetentionTariff.assess(new Stay(2, type, appointment == null ? null : t(appointment), t(arrived),
                t(departed)), CONTRACT, RoundingMode.HALF_UP);
    }

    @Test
    void anEarlyTruckWaitsOnItsOwnTimeTheClockStartsAtTheAppointment() {
        // Arrived 12:00 for a 14:00 appointment, left 17:30: 210 min on the clock, 90 billable, 2 hours.
        Assessment a = assess(StopType.DELIVERY, "14:00", "12:00", "17:30");
        assertThat(a.billableMinutes()).isEqualTo(90);
        assertThat(a.hours()).isEqualTo(2);
        assertThat(a.amount()).isEqualByComparingTo("170.00");
        assertThat(a.chargeCode()).isEqualTo("DTU");
        assertThat(a.evidence()).contains("clock from 2026-12-02T14:00:00Z (arrived early)")
                .contains("210 min on the clock, 120 free, 90 billable");
    }

    @Test
    void aLateTruckIsOnTheClockFromItsArrival() {
        // Appointment 14:00, arrived 15:00, left 18:01: 181 min, 61 billable, 2 started hours at the pickup rate.
        Assessment a = assess(StopType.PICKUP, "14:00", "15:00", "18:01");
        assertThat(a.chargeCode()).isEqualTo("DTL");
        assertThat(a.billableMinutes()).isEqualTo(61);
        assertThat(a.amount()).isEqualByComparingTo("150.00");
        assertThat(a.capped()).isFalse();
    }

    @Test
    void withinTheFreeTimeOrLeavingBeforeTheAppointmentIsNoCharge() {
        assertThat(assess(StopType.DELIVERY, "14:00", "14:00", "16:00").chargeable()).isFalse();
        assertThat(assess(StopType.DELIVERY, "14:00", "11:00", "13:30").billableMinutes()).isZero();
        // Without an appointment the clock starts at arrival: 121 min, 1 billable, one started hour.
        assertThat(assess(StopType.DELIVERY, null, "10:00", "12:01").amount()).isEqualByComparingTo("85.00");
    }

    @Test
    void theCapBoundsOneStopsCharge() {
        // 14:00 to 20:00: 360 min, 240 billable, 4 hours x 85 = 340.00, exactly the cap.
        Assessment atCap = assess(StopType.DELIVERY, "14:00", "14:00", "20:00");
        assertThat(atCap.amount()).isEqualByComparingTo("340.00");
        assertThat(atCap.capped()).isFalse();
        // One more minute: 5 started hours, 425.00, capped at 340.00.
        Assessment capped = assess(StopType.DELIVERY, "14:00", "14:00", "20:01");
        assertThat(capped.hours()).isEqualTo(5);
        assertThat(capped.amount()).isEqualByComparingTo("340.00");
        assertThat(capped.capped()).isTrue();
        assertThat(capped.evidence()).endsWith(", capped at 340.00");
    }

    @Test
    void aZeroDecimalCurrencyIsRoundedToWholeUnits() {
        Contract yen = new Contract("CTR-JP", "CUST-JP", LocalDate.parse("2026-01-01"), null,
                List.of(new Contract.Lane("JP", "JP", new BigDecimal("150000"), "JPY", List.of("LTL_STANDARD"), 0,
                        new BigDecimal("20000"))), Map.of("DTU", new BigDecimal("4250.5")), 60, null, null, false, 1);
        Assessment a = DetentionTariff.assess(new Stay(2, StopType.DELIVERY, null, t("10:00"), t("12:30")), yen,
                RoundingMode.HALF_UP);
        // 150 min, 90 billable, 2 started hours x 4,250.5 = 8,501.0 -> 8,501 yen.
        assertThat(a.amount()).isEqualByComparingTo("8501");
        assertThat(a.amount().scale()).isZero();
    }

    private static BillingStop stop(int seq, StopType type, String appointment) {
        BillingStop s = new BillingStop();
        s.stopId = "SHP-1:" + seq;
        s.shipmentId = "SHP-1";
        s.stopSequence = seq;
        s.stopType = type.name();
        s.windowStart = appointment == null ? null : t(appointment);
        return s;
    }

    private static BillingStopEvent event(String id, int seq, StopType type, String kind, String at) {
        BillingStopEvent e = new BillingStopEvent();
        e.eventId = id;
        e.shipmentId = "SHP-1";
        e.stopSequence = seq;
        e.stopType = type.name();
        e.kind = kind;
        e.at = t(at);
        return e;
    }

    @Test
    void aMultiDropLoadIsMeasuredPerStopNeverAcrossTheDrivingBetweenDrops() {
        List<BillingStop> stops = List.of(stop(1, StopType.PICKUP, "08:00"), stop(2, StopType.DELIVERY, "12:00"),
                stop(3, StopType.DELIVERY, "16:00"));
        List<BillingStopEvent> events = List.of(
                event("a2", 2, StopType.DELIVERY, BillingStopEvent.ARRIVAL, "12:00"),
                event("d2", 2, StopType.DELIVERY, BillingStopEvent.DEPARTURE, "13:00"),
                event("a3", 3, StopType.DELIVERY, BillingStopEvent.ARRIVAL, "16:00"),
                event("d3", 3, StopType.DELIVERY, BillingStopEvent.DEPARTURE, "19:00"));
        List<Stay> stays = StopDetention.stays(stops, events);
        // Stop 2: 60 min, nothing; stop 3: 180 min, 60 billable (not 12:00 to 19:00 = 300 billable).
        assertThat(stays).extracting(Stay::stopSequence).containsExactly(2, 3);
        assertThat(stays.stream().map(s -> DetentionTariff.assess(s, CONTRACT, RoundingMode.HALF_UP).billableMinutes()))
                .containsExactly(0L, 60L);
    }

    @Test
    void aReportWithoutItsStopBelongsToTheLastDeliveryAndAVoidedOneDoesNotCount() {
        List<BillingStop> stops = List.of(stop(1, StopType.PICKUP, null), stop(2, StopType.DELIVERY, null),
                stop(3, StopType.DELIVERY, null));
        BillingStopEvent wrong = event("d3-wrong", 0, StopType.DELIVERY, BillingStopEvent.DEPARTURE, "23:00");
        wrong.voided = true;
        List<BillingStopEvent> events = List.of(event("a3", 0, StopType.DELIVERY, BillingStopEvent.ARRIVAL, "16:00"),
                event("d3", 0, StopType.DELIVERY, BillingStopEvent.DEPARTURE, "19:00"), wrong);
        assertThat(StopDetention.stays(stops, events)).containsExactly(
                new Stay(3, StopType.DELIVERY, null, t("16:00"), t("19:00")));
    }

    @Test
    void aCorrectionRecomputesTheChargeUntilItIsBilledAndAStayWithoutDetentionWithdrawsIt() {
        BillingCase b = new BillingCase();
        b.shipmentId = "SHP-1";
        List<BillingAccessorial> created = new ArrayList<>();
        StopDetention.apply(b, CONTRACT, RoundingMode.HALF_UP,
                List.of(new Stay(2, StopType.DELIVERY, t("14:00"), t("14:00"), t("17:30"))), List.of(), created);
        assertThat(created).singleElement().satisfies(a -> {
            assertThat(a.accessorialId).isEqualTo("DETENTION:SHP-1:2");
            assertThat(a.quantity).isEqualByComparingTo("90");
            assertThat(a.status).isEqualTo("APPROVED");
            assertThat(a.decidedBy).isEqualTo("AUTO");
        });
        BillingAccessorial charge = created.get(0);

        // The departure corrected to 18:30: 150 billable minutes.
        boolean changed = StopDetention.apply(b, CONTRACT, RoundingMode.HALF_UP,
                List.of(new Stay(2, StopType.DELIVERY, t("14:00"), t("14:00"), t("18:30"))), List.of(charge),
                new ArrayList<>());
        assertThat(changed).isTrue();
        assertThat(charge.quantity).isEqualByComparingTo("150");

        // Corrected again, to 15:00: within the free time, the charge is withdrawn (decided, never billed).
        StopDetention.apply(b, CONTRACT, RoundingMode.HALF_UP,
                List.of(new Stay(2, StopType.DELIVERY, t("14:00"), t("14:00"), t("15:00"))), List.of(charge),
                new ArrayList<>());
        assertThat(charge.status).isEqualTo(StopDetention.WITHDRAWN);

        // Billed at 150 minutes: a later correction no longer changes it (the case view flags it for a person).
        charge.status = "APPROVED";
        charge.quantity = new BigDecimal("150");
        charge.billedIn = "SHP-1:rating-1";
        assertThat(StopDetention.apply(b, CONTRACT, RoundingMode.HALF_UP,
                List.of(new Stay(2, StopType.DELIVERY, t("14:00"), t("14:00"), t("15:00"))), List.of(charge),
                new ArrayList<>())).isFalse();
        assertThat(charge.quantity).isEqualByComparingTo("150");
        assertThat(charge.status).isEqualTo("APPROVED");
    }
}
