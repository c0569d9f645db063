package com.logisync.milestone.edi;

import com.logisync.contracts.milestone.Classifier;
import com.logisync.contracts.milestone.MilestoneType;
import com.logisync.milestone.partner.PartnerProfiles.PartnerProfile;
import com.logisync.milestone.partner.PartnerProfilesConfig;
import com.logisync.milestone.rest.MilestoneRequest;
import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The 214 mapping as carriers really send it: every status code, reasons, time codes, POD signers. */
class X12Status214Test {

    static PartnerProfile profile(String podSigner, String prefix, String... partialCodes) {
        return new PartnerProfile("SWIFT", "Swift Haulage", Set.of(PartnerProfilesConfig.Channel.X12),
                List.of("Swift Haulage"), "America/Chicago", null,
                new PartnerProfile.X12("ZZ", "SWFT", List.of("SWFT"), false, podSigner, prefix, List.of(partialCodes)),
                null);
    }

    private static X12Status214.Result map(X12Status214.Context context, List<String> body) throws X12Rejected {
        String x12 = X12Samples.interchange('*', '>', '~', "000000700", List.of(body));
        return X12Status214.map(context, X12Reader.read(x12).groups().get(0).transactions().get(0));
    }

    private static X12Status214.Result map(List<String> body) throws X12Rejected {
        return map(new X12Status214.Context("SWIFT", profile("NONE", null), null), body);
    }

    private static MilestoneRequest one(String at7) throws X12Rejected {
        X12Status214.Result r = map(List.of("B10*PRO-7*BOL-7*SWFT", "LX*1", at7));
        assertThat(r.messages()).isEmpty();
        return r.milestones().get(0);
    }

    @Test
    void everyCommonStatusCodeHasACanonicalMeaning() throws X12Rejected {
        Map<String, MilestoneType> expected = Map.ofEntries(Map.entry("XB", MilestoneType.DISPATCHED),
                Map.entry("AJ", MilestoneType.OUT_FOR_DELIVERY), Map.entry("AV", MilestoneType.ARRIVED_TERMINAL),
                Map.entry("AM", MilestoneType.LOADING_COMPLETED), Map.entry("A3", MilestoneType.EXCEPTION),
                Map.entry("AI", MilestoneType.EXCEPTION), Map.entry("J1", MilestoneType.IN_TRANSIT),
                Map.entry("R1", MilestoneType.IN_TRANSIT), Map.entry("S1", MilestoneType.ARRIVED_DELIVERY),
                Map.entry("B6", MilestoneType.ARRIVED_TERMINAL), Map.entry("C1", MilestoneType.DEPARTED_TERMINAL),
                Map.entry("K1", MilestoneType.IN_TRANSIT), Map.entry("CA", MilestoneType.EXCEPTION));
        for (Map.Entry<String, MilestoneType> e : expected.entrySet()) {
            MilestoneRequest m = one("AT7*" + e.getKey() + "*NS***20261201*0800*CT");
            assertThat(m.milestone()).as(e.getKey()).isEqualTo(e.getValue());
            assertThat(m.sourceStatusCode()).isEqualTo(e.getKey());
        }
        assertThat(one("AT7*B6*NS***20261201*0800*CT").classifier()).isEqualTo(Classifier.ESTIMATED);
        assertThat(one("AT7*C1*NS***20261201*0800*CT").classifier()).isEqualTo(Classifier.ESTIMATED);
        assertThat(one("AT7*A3*NS***20261201*0800*CT").reason().code()).isEqualTo("RETURNED_TO_SHIPPER");
        assertThat(one("AT7*AI*NS***20261201*0800*CT").reason().code()).isEqualTo("RECONSIGNED");
        assertThat(one("AT7*K1*NS***20261201*0800*CT").reason().code()).isEqualTo("CUSTOMS");
        assertThat(X12Status214.statusCodes()).contains("X3", "X8", "CP", "AF", "X6", "X4", "P1", "X1", "X5", "D1",
                "CD", "AG", "X2", "SD", "A9", "AH", "AP", "A7");
    }

    @Test
    void aCarrierCancellationIsAnExceptionOnTheLoadNeverTheShipmentsCancellation() throws X12Rejected {
        MilestoneRequest m = one("AT7*CA*NS***20261201*0800*CT");
        assertThat(m.milestone()).isEqualTo(MilestoneType.EXCEPTION);
        assertThat(m.milestone().movesStatus()).isFalse();
        assertThat(m.reason().code()).isEqualTo("CARRIER_CANCELLED");
    }

    @Test
    void partialDeliveryCodesComeFromThePartnersProfile() throws X12Rejected {
        List<String> body = List.of("B10*PRO-7*BOL-7*SWFT", "LX*1", "AT7*PA*NS***20261201*0800*CT");
        assertThat(map(body).isRejected()).isTrue();
        X12Status214.Result r = map(new X12Status214.Context("SWIFT", profile("NONE", null, "PA", "CB"), null), body);
        assertThat(r.milestones()).singleElement().satisfies(m -> {
            assertThat(m.milestone()).isEqualTo(MilestoneType.DELIVERY_NOT_COMPLETED);
            assertThat(m.reason().code()).isEqualTo("PARTIAL_DELIVERY");
        });
    }

    @Test
    void reasonCodesMapToCanonicalReasonsWithTheirCodeList() throws X12Rejected {
        MilestoneRequest weather = one("AT7*SD*AO***20261201*0800*CT");
        assertThat(weather.reason().code()).isEqualTo("WEATHER");
        assertThat(weather.reason().sourceCode()).isEqualTo("AO");
        assertThat(weather.reason().sourceCodeList()).isEqualTo("X12-1651");
        assertThat(one("AT7*SD*AK***20261201*0800*CT").reason().code()).isEqualTo("DAMAGE");
        assertThat(one("AT7*SD*ZQ***20261201*0800*CT").reason().code()).isEqualTo("OTHER");
        assertThat(one("AT7*X6*NS***20261201*0800*CT").reason()).isNull();
        // An appointment's reason is AT7-04, the same element 1651; NA (normal appointment) is like NS.
        assertThat(one("AT7***AB*NA*20261202*1400*CT").reason()).isNull();
        MilestoneRequest moved = one("AT7***AB*AD*20261202*1400*CT");
        assertThat(moved.reason().code()).isEqualTo("CUSTOMER_REQUESTED_FUTURE_DELIVERY");
        assertThat(moved.reason().sourceCodeList()).isEqualTo("X12-1651");
        // A damage status keeps its own canonical reason and says which reason code came with it.
        MilestoneRequest damaged = one("AT7*A9*AI***20261201*0800*CT");
        assertThat(damaged.reason().code()).isEqualTo("DAMAGE");
        assertThat(damaged.reason().sourceCode()).isEqualTo("AI");
    }

    @Test
    void everyTimeCodeFamilyResolvesToItsOffset() throws X12Rejected {
        Map<String, String> expected = Map.ofEntries(Map.entry("UT", "2026-12-01T08:00Z"),
                Map.entry("01", "2026-12-01T08:00+01:00"), Map.entry("12", "2026-12-01T08:00+12:00"),
                Map.entry("13", "2026-12-01T08:00-12:00"), Map.entry("24", "2026-12-01T08:00-01:00"),
                Map.entry("ES", "2026-12-01T08:00-05:00"), Map.entry("ED", "2026-12-01T08:00-04:00"),
                Map.entry("ET", "2026-12-01T08:00-05:00"), Map.entry("CT", "2026-12-01T08:00-06:00"),
                Map.entry("MT", "2026-12-01T08:00-07:00"), Map.entry("PT", "2026-12-01T08:00-08:00"),
                Map.entry("AS", "2026-12-01T08:00-09:00"), Map.entry("AD", "2026-12-01T08:00-08:00"),
                Map.entry("AT", "2026-12-01T08:00-09:00"), Map.entry("HS", "2026-12-01T08:00-10:00"),
                Map.entry("HT", "2026-12-01T08:00-10:00"), Map.entry("TS", "2026-12-01T08:00-04:00"),
                Map.entry("TD", "2026-12-01T08:00-03:00"), Map.entry("TT", "2026-12-01T08:00-04:00"),
                Map.entry("NS", "2026-12-01T08:00-03:30"), Map.entry("ND", "2026-12-01T08:00-02:30"),
                Map.entry("NT", "2026-12-01T08:00-03:30"));
        for (Map.Entry<String, String> e : expected.entrySet()) {
            assertThat(one("AT7*X6*NS***20261201*0800*" + e.getKey()).eventTime()).as(e.getKey())
                    .isEqualTo(OffsetDateTime.parse(e.getValue()));
        }
        // Zone codes follow daylight saving: Eastern Time in July is UTC-4.
        assertThat(one("AT7*X6*NS***20260701*0800*ET").eventTime()).isEqualTo(OffsetDateTime.parse("2026-07-01T08:00-04:00"));
    }

    @Test
    void aStatusWithoutATimeOrWithAnUnknownTimeCodeIsAnErrorAndTheOthersStay() throws X12Rejected {
        X12Status214.Result r = map(List.of("B10*PRO-7*BOL-7*SWFT", "LX*1", "AT7*X1*NS***20261201",
                "AT7*D1*NS***20261201*1530*CT", "AT7*CD*NS***20261201*1600*QQ", "AT7*ZZ*NS***20261201*1600*CT"));
        assertThat(r.isRejected()).isFalse();
        assertThat(r.milestones()).extracting(MilestoneRequest::milestone).containsExactly(MilestoneType.DELIVERED);
        assertThat(r.errors()).extracting(X12SegmentError::position, X12SegmentError::elementPosition,
                X12SegmentError::elementReference, X12SegmentError::elementCode).containsExactly(
                org.assertj.core.groups.Tuple.tuple(4, 6, "337", "1"),
                org.assertj.core.groups.Tuple.tuple(6, 7, "623", "7"),
                org.assertj.core.groups.Tuple.tuple(7, 1, "1650", "7"));
        assertThat(r.messages().get(0)).contains("AT7-06 (time) is missing");
    }

    @Test
    void localTimesOnACoastToCoastLoadResolveInTheReportingLocationsZone() throws X12Rejected {
        X12Status214.Result r = map(List.of("B10*PRO-8*BOL-8*SWFT",
                "LX*1", "AT7*AF*NS***20261201*0600*LT", "MS1*JACKSONVILLE*FL",
                "LX*2", "AT7*X6*NS***20261201*2200", "MS1*PENSACOLA*FL",
                "LX*3", "AT7*X6*NS***20261202*1400*LT", "MS1*HOUSTON*TX",
                "LX*4", "AT7*X6*NS***20261202*2300*LT", "MS1*EL PASO*TX",
                "LX*5", "AT7*X6*NS***20261203*1500*LT", "MS1*PHOENIX*AZ",
                "LX*6", "AT7*X1*NS***20261204*0700*LT", "MS1*LOS ANGELES*CA",
                "LX*7", "AT7*X6*NS***20261204*0900*LT"));
        assertThat(r.milestones()).extracting(MilestoneRequest::localTimeZone).containsExactly("America/New_York",
                "America/Chicago", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles", null);
        assertThat(r.milestones().get(3).localEventTime()).isEqualTo(LocalDateTime.parse("2026-12-02T23:00:00"));
        assertThat(com.logisync.milestone.service.LocationZones.of("El Paso", "tx")).contains(ZoneId.of("America/Denver"));
        assertThat(com.logisync.milestone.service.LocationZones.of("Dallas", "TX")).contains(ZoneId.of("America/Chicago"));
        assertThat(com.logisync.milestone.service.LocationZones.of("Kenora", "ON")).contains(ZoneId.of("America/Winnipeg"));
        assertThat(com.logisync.milestone.service.LocationZones.of("Springfield", "XX")).isEmpty();
    }

    @Test
    void theProfileSaysWhereThePodSignerIs() throws X12Rejected {
        List<String> body = List.of("B10*PRO-9*BOL-9*SWFT", "N1*CN*GLOBEX STORE 17", "N1*RD*M ALVAREZ",
                "LX*1", "AT7*D1*NS***20261201*1530*CT", "K1*SIGNED BY: J DOE*DOCK 4");
        assertThat(map(body).milestones().get(0).pod()).isNull();
        MilestoneRequest.Pod byRemark = map(new X12Status214.Context("SWIFT", profile("K1", "SIGNED BY"), null), body)
                .milestones().get(0).pod();
        assertThat(byRemark.signedBy()).isEqualTo("J DOE DOCK 4");
        MilestoneRequest.Pod byParty = map(new X12Status214.Context("SWIFT", profile("N1:RD", null), null), body)
                .milestones().get(0).pod();
        assertThat(byParty.signedBy()).isEqualTo("M ALVAREZ");
        // A D1 whose loop has no such remark carries no signer: it cannot prove the delivery.
        List<String> unsigned = List.of("B10*PRO-9*BOL-9*SWFT", "LX*1", "AT7*D1*NS***20261201*1530*CT", "K1*DOCK 4");
        assertThat(map(new X12Status214.Context("SWIFT", profile("K1", "SIGNED BY"), null), unsigned)
                .milestones().get(0).pod()).isNull();
    }

    @Test
    void aFiftyTenGroupIsReadLikeFortyTen() throws X12Rejected {
        String x12 = X12Samples.interchange('*', '>', '~', "000000701", List.of(X12Samples.delivery("PRO-5", "BOL-5")))
                .replace("*00401*", "*00501*").replace("*X*004010", "*X*005010");
        X12Interchange interchange = X12Reader.read(x12);
        assertThat(interchange.groups().get(0).is5010()).isTrue();
        List<MilestoneRequest> out = new ArrayList<>();
        for (X12Interchange.Transaction tx : interchange.groups().get(0).transactions()) {
            out.addAll(X12Status214.map(X12ReaderTest.SWIFT, tx).milestones());
        }
        assertThat(out).extracting(MilestoneRequest::milestone).containsExactly(MilestoneType.ARRIVED_DELIVERY,
                MilestoneType.DELIVERED, MilestoneType.DEPARTED_DELIVERY);
    }
}
