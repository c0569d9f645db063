package com.logisync.milestone.edi;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The 997, 999 and TA1 that go back to a partner, segment by segment, and readable by an X12 reader. */
class X12FunctionalAckTest {

    private static final X12FunctionalAck.Receiver SELF = new X12FunctionalAck.Receiver("ZZ", "LOGISYNC");
    private static final LocalDateTime NOW = LocalDateTime.parse("2026-12-02T16:05:00");
    private static final X12SegmentError UNKNOWN_STATUS = new X12SegmentError("AT7", 4, "8", 1, "1650", "7", "ZZ",
            "AT7-01 'ZZ' is not a known shipment status code");

    private static X12Interchange.Header header(String version, boolean ta1) {
        return new X12Interchange.Header("ZZ", "SWFT", "ZZ", "LOGISYNC", "261202", "1600", version, "000001001", ta1,
                "P", '>');
    }

    private static List<String> segments(String x12) {
        return x12.lines().map(l -> l.endsWith("~") ? l.substring(0, l.length() - 1) : l).toList();
    }

    @Test
    void a997ReportsEachTransactionAndTheSegmentAndElementInError() throws X12Rejected {
        X12FunctionalAck.GroupOutcome group = new X12FunctionalAck.GroupOutcome("QM", "4501", "004010", false, null, List.of(
                new X12FunctionalAck.TransactionOutcome("214", "0001", "A", null, List.of()),
                new X12FunctionalAck.TransactionOutcome("214", "0002", "E", null, List.of(UNKNOWN_STATUS)),
                new X12FunctionalAck.TransactionOutcome("214", "0003", "R", "4", List.of())));
        String x12 = X12FunctionalAck.write(header("00401", false), SELF, "17", NOW, '*', '>', '~', "A", null, List.of(group));
        assertThat(segments(x12)).containsExactly(
                "ISA*00*          *00*          *ZZ*LOGISYNC       *ZZ*SWFT           *261202*1605*U*00401*000000017*0*P*>",
                "GS*FA*LOGISYNC*SWFT*20261202*1605*17*X*004010",
                "ST*997*0001",
                "AK1*QM*4501",
                "AK2*214*0001",
                "AK5*A",
                "AK2*214*0002",
                "AK3*AT7*4**8",
                "AK4*1*1650*7*ZZ",
                "AK5*E*5",
                "AK2*214*0003",
                "AK5*R*4",
                "AK9*P*3*3*2",
                "SE*12*0001",
                "GE*1*17",
                "IEA*1*000000017");
        // What we write, an X12 reader reads back with every envelope count and control number right.
        X12Interchange back = X12Reader.read(x12);
        assertThat(back.groups()).singleElement().satisfies(g -> {
            assertThat(g.functionalId()).isEqualTo("FA");
            assertThat(g.transactions()).singleElement().satisfies(t -> {
                assertThat(t.type()).isEqualTo("997");
                assertThat(t.errors()).isEmpty();
            });
        });
    }

    @Test
    void a999For5010UsesTheImplementationSegments() throws X12Rejected {
        X12FunctionalAck.GroupOutcome group = new X12FunctionalAck.GroupOutcome("QM", "4502", "005010", true, null, List.of(
                new X12FunctionalAck.TransactionOutcome("214", "0001", "E", null, List.of(UNKNOWN_STATUS))));
        String x12 = X12FunctionalAck.write(header("00501", false), SELF, "18", NOW, '*', ':', '~', "A", null, List.of(group));
        assertThat(segments(x12)).containsExactly(
                "ISA*00*          *00*          *ZZ*LOGISYNC       *ZZ*SWFT           *261202*1605*^*00501*000000018*0*P*:",
                "GS*FA*LOGISYNC*SWFT*20261202*1605*18*X*005010X231A1",
                "ST*999*0001*005010X231A1",
                "AK1*QM*4502*005010",
                "AK2*214*0001*005010",
                "IK3*AT7*4**8",
                "IK4*1*1650*7*ZZ",
                "IK5*E*5",
                "AK9*E*1*1*1",
                "SE*8*0001",
                "GE*1*18",
                "IEA*1*000000018");
        assertThat(X12Reader.read(x12).groups().get(0).transactions().get(0).errors()).isEmpty();
    }

    @Test
    void aTa1AnswersTheInterchangeAndAnUnsupportedGroupIsRefusedWhole() {
        X12FunctionalAck.GroupOutcome notQm = new X12FunctionalAck.GroupOutcome("IN", "77", "004010", false, "1", List.of());
        String x12 = X12FunctionalAck.write(header("00401", true), SELF, "19", NOW, '*', '>', '~', "A", "000", List.of(notQm));
        assertThat(segments(x12)).containsSubsequence(
                "TA1*000001001*261202*1600*A*000",
                "GS*FA*LOGISYNC*SWFT*20261202*1605*19*X*004010",
                "AK1*IN*77",
                "AK9*R*0*0*0*1");
        String rejected = X12FunctionalAck.write(header("00401", false), SELF, "20", NOW, '*', '>', '~', "R", "025", List.of());
        assertThat(segments(rejected)).containsExactly(
                "ISA*00*          *00*          *ZZ*LOGISYNC       *ZZ*SWFT           *261202*1605*U*00401*000000020*0*P*>",
                "TA1*000001001*261202*1600*R*025",
                "IEA*0*000000020");
    }
}
