package com.logisync.milestone.edi;

import com.logisync.milestone.config.EdiConfig;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.milestone.service.LocationZones;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Coordinates resolve zones through the bundled boundaries (loaded in the background, nothing downloaded). */
class LocationZonesTest {

    private static final EdiConfig ON = new EdiConfig() {
        public String receiverQualifier() {
            return "ZZ";
        }

        public String receiverId() {
            return "LOGISYNC";
        }

        public boolean coordinateZones() {
            return true;
        }
    };

    @Test
    void coordinatesResolveTheZoneWhereAStateIsSplitAndEnRouteLocalTimesUseThem() throws X12Rejected {
        LocationZones zones = new LocationZones(ON);
        // Nothing is loaded until coordinates are first asked about; that first call falls back (empty).
        assertThat(zones.coordinatesReady()).isFalse();
        assertThat(zones.at(31.76, -106.49)).as("before the boundaries are loaded").isEmpty();
        await().atMost(Duration.ofSeconds(90)).until(zones::coordinatesReady);
        assertThat(zones.at(31.7619, -106.4850)).contains(ZoneId.of("America/Denver")); // El Paso
        assertThat(zones.at(29.7604, -95.3698)).contains(ZoneId.of("America/Chicago")); // Houston
        assertThat(zones.at(30.4213, -87.2169)).contains(ZoneId.of("America/Chicago")); // Pensacola
        assertThat(zones.at(35.9606, -83.9207)).contains(ZoneId.of("America/New_York")); // Knoxville
        assertThat(zones.at(47.5615, -52.7126)).contains(ZoneId.of("America/St_Johns"));

        // An en-route status with only coordinates (MS1-04/05, DDDMMSS): the reporting location's zone.
        List<String> body = List.of("B10*PRO-LZ*BOL-LZ*SWFT", "LX*1", "AT7*X6*NS***20261202*2300*LT",
                "MS1****1062906*0314543*W*N");
        X12Status214.Result r = X12Status214.map(new X12Status214.Context("SWIFT", X12Status214Test.profile("NONE", null),
                zones), X12Reader.read(X12Samples.interchange('*', '>', '~', "000000801", List.of(body)))
                .groups().get(0).transactions().get(0));
        MilestoneRequest m = r.milestones().get(0);
        assertThat(m.localTimeZone()).isEqualTo("America/Denver");
    }
}
