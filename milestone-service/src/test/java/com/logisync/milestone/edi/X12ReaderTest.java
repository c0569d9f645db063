package com.logisync.milestone.edi;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.contracts.model.StopType;
import com.logisync.milestone.rest.MilestoneRequest;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class X12ReaderTest {

    private static final List<String> DELIVERY = X12Samples.delivery("PRO-88123", "BOL-1001");

    static final X12Status214.Context SWIFT = new X12Status214.Context("SWIFT", X12Status214Test.profile("NONE", null), null);

    private static List<MilestoneRequest> milestones(String x12) throws X12Rejected {
        X12Interchange interchange = X12Reader.read(x12);
        List<MilestoneRequest> out = new ArrayList<>();
        for (X12Interchange.Transaction tx : interchange.groups().get(0).transactions()) {
            X12Status214.Result r = X12Status214.map(SWIFT, tx);
            assertThat(r.errors()).isEmpty();
            out.addAll(r.milestones());
        }
        return out;
    }

    @Test
    void aDeliveryLoopWithSeveralStatusesBecomesCanonicalMilestones() throws X12Rejected {
        X12Interchange interchange = X12Reader.read(X12Samples.interchange('*', '>', '~', "000000905", List.of(DELIVERY)));
        assertThat(interchange.senderId()).isEqualTo("SWFT");
        assertThat(interchange.controlNumber()).isEqualTo("000000905");
        assertThat(interchange.groups()).singleElement().satisfies(g -> {
            assertThat(g.functionalId()).isEqualTo("QM");
            assertThat(g.controlNumber()).isEqualTo("4501");
        });

        List<MilestoneRequest> m = milestones(X12Samples.interchange('*', '>', '~', "000000905", List.of(DELIVERY)));
        assertThat(m).extracting(MilestoneRequest::milestone).containsExactly(MilestoneType.ARRIVED_DELIVERY,
                MilestoneType.DELIVERED, MilestoneType.DEPARTED_DELIVERY);
        MilestoneRequest delivered = m.get(1);
        assertThat(delivered.references().pro()).isEqualTo("PRO-88123");
        assertThat(delivered.references().bol()).isEqualTo("BOL-1001");
        assertThat(delivered.references().po()).isEqualTo("PO-7781");
        assertThat(delivered.eventTime()).isNull();
        assertThat(delivered.localEventTime()).isEqualTo(LocalDateTime.parse("2026-12-02T15:30:00"));
        assertThat(delivered.location().name()).isEqualTo("HOUSTON, TX");
        assertThat(delivered.location().stopSequence()).isEqualTo(2);
        assertThat(delivered.location().stopType()).isEqualTo(StopType.DELIVERY);
        assertThat(delivered.sourceStatusCode()).isEqualTo("D1");
        // The event id is namespaced by the authenticated partner, never by what the interchange says.
        assertThat(delivered.eventId()).isEqualTo("X12_214:SWIFT:PRO-88123/D1/202612021530/S2");
        // LT at a place in Houston: the city resolves the zone (no coordinates lookup in this unit test).
        assertThat(delivered.localTimeZone()).isEqualTo("America/Chicago");
        // MS1 longitude/latitude as DDDMMSS with direction codes: 95°22'12" W, 29°45'36" N.
        MilestoneRequest departed = m.get(2);
        assertThat(departed.location().longitude()).isEqualTo(-95.37);
        assertThat(departed.location().latitude()).isEqualTo(29.76);
        assertThat(departed.localEventTime()).isEqualTo(LocalDateTime.parse("2026-12-02T15:45:00"));
    }

    @Test
    void theSeparatorsAreTheOnesIsaDeclares() throws X12Rejected {
        String unusual = X12Samples.interchange('|', '^', '\'', "000000906", List.of(DELIVERY));
        assertThat(unusual).doesNotContain("*").doesNotContain("~");
        X12Interchange interchange = X12Reader.read(unusual);
        assertThat(interchange.elementSeparator()).isEqualTo('|');
        assertThat(interchange.segmentTerminator()).isEqualTo('\'');
        assertThat(milestones(unusual)).extracting(MilestoneRequest::eventId)
                .isEqualTo(milestones(X12Samples.interchange('*', '>', '~', "000000905", List.of(DELIVERY)))
                        .stream().map(MilestoneRequest::eventId).toList());
    }

    @Test
    void severalTransactionsAreReadAndAReSentFileKeepsItsEventIds() throws X12Rejected {
        List<String> pickup = List.of("B10*PRO-2*BOL-2*SWFT", "LX*1", "AT7*X3*NS***20261201*0800*CT",
                "AT7*AF*NS***20261201*0935*UT", "AT7***AB*NS*20261202*1400", "MS1*DALLAS*TX");
        String first = X12Samples.interchange('*', ':', '~', "000000910", List.of(DELIVERY, pickup));
        String resent = X12Samples.interchange('*', ':', '~', "000000977", List.of(DELIVERY, pickup));
        List<MilestoneRequest> m = milestones(first);
        assertThat(m).hasSize(6);
        assertThat(m.subList(3, 6)).extracting(MilestoneRequest::milestone).containsExactly(MilestoneType.ARRIVED_PICKUP,
                MilestoneType.DEPARTED_PICKUP, MilestoneType.APPOINTMENT_SET);
        assertThat(m.get(3).eventTime()).isEqualTo(OffsetDateTime.parse("2026-12-01T08:00-06:00"));
        assertThat(m.get(4).eventTime()).isEqualTo(OffsetDateTime.parse("2026-12-01T09:35Z"));
        assertThat(m.get(5).classifier()).isEqualTo(Classifier.PLANNED);
        assertThat(m.get(5).location().stopType()).isEqualTo(StopType.DELIVERY);
        assertThat(milestones(resent)).extracting(MilestoneRequest::eventId)
                .isEqualTo(m.stream().map(MilestoneRequest::eventId).toList());
    }

    @Test
    void aTransactionWithOnlyAnUnknownStatusCodeIsRejectedAndTheOthersAreNot() throws X12Rejected {
        List<String> unknown = List.of("B10*PRO-3*BOL-3*SWFT", "LX*1", "AT7*ZZ*NS***20261201*0800");
        X12Interchange interchange = X12Reader.read(X12Samples.interchange('*', '>', '~', "000000911",
                List.of(unknown, DELIVERY)));
        List<X12Interchange.Transaction> txs = interchange.groups().get(0).transactions();
        X12Status214.Result bad = X12Status214.map(SWIFT, txs.get(0));
        assertThat(bad.milestones()).isEmpty();
        assertThat(bad.isRejected()).isTrue();
        assertThat(bad.messages()).containsExactly(
                "AT7 in LX 1 (segment 6): AT7-01 'ZZ' is not a known shipment status code",
                "None of the transaction's statuses can be used");
        assertThat(bad.errors()).singleElement().satisfies(e -> {
            assertThat(e.segmentTag()).isEqualTo("AT7");
            assertThat(e.position()).isEqualTo(4); // ST is 1, B10 2, LX 3
            assertThat(e.elementReference()).isEqualTo("1650");
            assertThat(e.elementCode()).isEqualTo("7");
            assertThat(e.badValue()).isEqualTo("ZZ");
        });
        assertThat(X12Status214.map(SWIFT, txs.get(1)).milestones()).hasSize(3);
    }

    @Test
    void aWrongSegmentCountRejectsTheTransaction() throws X12Rejected {
        String x12 = X12Samples.interchange('*', '>', '~', "000000912", List.of(DELIVERY))
                .replace("SE*13*0001", "SE*12*0001");
        X12Interchange.Transaction tx = X12Reader.read(x12).groups().get(0).transactions().get(0);
        assertThat(tx.errors()).contains("SE01 says 12 segment(s), the transaction has 13");
        assertThat(X12Status214.map(SWIFT, tx).milestones()).isEmpty();
    }

    @Test
    void aBrokenEnvelopeRejectsTheWholeInterchange() {
        String good = X12Samples.interchange('*', '>', '~', "000000913", List.of(DELIVERY));
        assertThatThrownBy(() -> X12Reader.read(good.replace("IEA*1*000000913", "IEA*1*000000999")))
                .isInstanceOf(X12Rejected.class)
                .satisfies(e -> assertThat(((X12Rejected) e).reasons())
                        .contains("IEA02 000000999 does not match ISA13 000000913"));
        assertThatThrownBy(() -> X12Reader.read(good.replace("GE*1*4501", "GE*2*4501")))
                .isInstanceOf(X12Rejected.class)
                .satisfies(e -> assertThat(((X12Rejected) e).reasons())
                        .contains("GE01 says 2 transaction(s), group 4501 has 1"));
        assertThatThrownBy(() -> X12Reader.read("UNB+UNOA:1+SENDER+RECEIVER'"))
                .isInstanceOf(X12Rejected.class).hasMessageContaining("ISA");
        assertThatThrownBy(() -> X12Reader.read(good.substring(0, good.indexOf("GE*"))))
                .isInstanceOf(X12Rejected.class);
    }

    @Test
    void degreesMinutesSecondsBecomeSignedDecimals() {
        assertThat(X12Status214.degrees("0952212", "W", 'W')).isEqualTo(-95.37);
        assertThat(X12Status214.degrees("294536", "N", 'S')).isEqualTo(29.76);
        assertThat(X12Status214.degrees("12x", "N", 'S')).isNull();
    }
}
