package com.logisync.serviceview.edi;

import com.logisync.serviceview.notify.CustomerEvent;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The interchanges LogiSync writes, byte for byte: the envelope (fixed-width ISA, version 4010 or 5010,
 * control numbers in ISA13/GS06/ST02 and again in IEA/GE/SE), the 214's status and reason codes and the
 * 210's lines in cents. (The milestone service's own X12 reader reads the 214 back: X12RoundTripTest.)
 */
class X12OutboundTest {

    private static final EdiProfile ACME_4010 = new EdiProfile("ZZ", "LOGISYNC", "ZZ", "ACMEEDI", "004010", "P", "SWFT");

    static CustomerEvent delay() {
        return new CustomerEvent("ev-1", "shipment.delayed", "SHIPMENT", "ACT", Instant.parse("2026-12-02T15:42:00Z"),
                Instant.parse("2026-12-02T15:43:00Z"), null, null, null, "DELAYED", "SHP-1", "CUST-ACME",
                new CustomerEvent.References("ORD-1001", List.of("PO-4411"), List.of("BOL-1001"), List.of("PRO-991"), "LD-1"),
                new CustomerEvent.LocalTime("2026-12-02T09:42:00", "America/Chicago", "STOP"),
                new CustomerEvent.Place("I-80 MM 112", null, "Joliet", "IL", "US", 2, "DELIVERY"),
                new CustomerEvent.Why("WEATHER", "AO", "X12-1651", "snow on I-80"), null, null, null);
    }

    static CustomerEvent invoice() {
        Instant issued = Instant.parse("2026-12-03T10:00:05Z");
        return new CustomerEvent("invoice:SHP-1:rating-1", "invoice.issued", "SHIPMENT", "ACT", issued, issued, null,
                "ISSU", "INV", null, "SHP-1", "CUST-ACME",
                new CustomerEvent.References("ORD-1001", List.of("PO-4411"), List.of("BOL-1001"), List.of(), "LD-1"),
                null, null, null, null, null, new CustomerEvent.Invoice("INV-2026-0042", "USD", new BigDecimal("1320.00"),
                        issued, List.of(
                                new CustomerEvent.Line("LINEHAUL", "Chicago - Joliet", new BigDecimal("412"), "MI",
                                        new BigDecimal("2.50"), new BigDecimal("1030.00"), "PM"),
                                new CustomerEvent.Line("FUEL_SURCHARGE", "Fuel 12.5%", BigDecimal.ONE, "EA", null,
                                        new BigDecimal("128.75"), null),
                                new CustomerEvent.Line("DETENTION", "Detention 2 h", new BigDecimal("2"), "HR",
                                        new BigDecimal("80.625"), new BigDecimal("161.25"), "PH"))));
    }

    @Test
    void a214ForACarriersDelayWithItsReason() {
        assertThat(X12Outbound.status214(ACME_4010, 42, delay(), Instant.parse("2026-12-02T15:43:10Z"))).isEqualTo("""
                ISA*00*          *00*          *ZZ*LOGISYNC       *ZZ*ACMEEDI        *261202*1543*U*00401*000000042*0*P*:~
                GS*QM*LOGISYNC*ACMEEDI*20261202*1543*42*X*004010~
                ST*214*0042~
                B10*PRO-991*BOL-1001*SWFT~
                L11*ORD-1001*OQ~
                L11*PO-4411*PO~
                L11*LD-1*LO~
                LX*1~
                AT7*SD*AO***20261202*1542*UT~
                L11*2*QN~
                MS1*Joliet*IL*US~
                K1*snow on I-80~
                SE*11*0042~
                GE*1*42~
                IEA*1*000000042~
                """);
    }

    @Test
    void a210In5010LineByLineInCents() {
        EdiProfile test5010 = new EdiProfile("ZZ", "LOGISYNC", "ZZ", "ACMEEDI", "005010", "T", null);
        assertThat(X12Outbound.invoice210(test5010, 43, invoice(), Instant.parse("2026-12-03T10:01:00Z"))).isEqualTo("""
                ISA*00*          *00*          *ZZ*LOGISYNC       *ZZ*ACMEEDI        *261203*1001*^*00501*000000043*0*T*:~
                GS*IM*LOGISYNC*ACMEEDI*20261203*1001*43*X*005010~
                ST*210*0043~
                B3**INV-2026-0042*BOL-1001*PP**20261203*132000****LGSY~
                C3*USD~
                N9*OQ*ORD-1001~
                N9*PO*PO-4411~
                N9*BM*BOL-1001~
                N1*BT*CUST-ACME~
                LX*1~
                L1*1*2.5*PM*103000****400****LINEHAUL Chicago - Joliet~
                LX*2~
                L1*2**FR*12875****FUE****FUEL_SURCHARGE Fuel 12.5%~
                LX*3~
                L1*3*80.625*PH*16125****DET****DETENTION Detention 2 h~
                L3*****132000~
                SE*15*0043~
                GE*1*43~
                IEA*1*000000043~
                """);
    }

    @Test
    void statusCodesFollowTheInboundMappingBackwards() {
        assertThat(X12Outbound.STATUS).containsEntry("DELIVERED", "D1").containsEntry("DEPARTED_PICKUP", "AF")
                .containsEntry("REFUSED", "A7").containsEntry("DELIVERY_ATTEMPTED", "AH");
        assertThat(X12Outbound.REASON).containsEntry("MECHANICAL", "AI").containsEntry("DAMAGE", "AK");
        assertThat(X12Outbound.cents(new BigDecimal("80.625"))).isEqualTo("8063");
        // A status X12 has no code for is not written (the delivery says why).
        CustomerEvent pod = new CustomerEvent("e", "shipment.pod_received", "SHIPMENT", "ACT", Instant.EPOCH, Instant.EPOCH,
                null, null, null, "POD_RECEIVED", "SHP-1", null, null, null, null, null, null, null, null);
        assertThat(X12Outbound.statusCode(pod)).isNull();
        assertThatThrownBy(() -> X12Outbound.status214(ACME_4010, 1, pod, Instant.EPOCH))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("POD_RECEIVED");
    }
}
