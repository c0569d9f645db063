package com.logisync.milestone.partner;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Profiles set the Kubernetes way, as environment variables, are read as the documentation says. */
class PartnerProfilesConfigTest {

    @Test
    void aProfileFromEnvironmentVariablesIsThePartnerWhateverTheCase() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(Map.of(
                        "LOGISYNC_PARTNERS_SWIFT_CHANNELS", "REST,X12",
                        "LOGISYNC_PARTNERS_SWIFT_CARRIERS", "Swift Haulage",
                        "LOGISYNC_PARTNERS_SWIFT_X12_ID", "SWFT",
                        "LOGISYNC_PARTNERS_SWIFT_X12_POD_SIGNER", "K1",
                        "LOGISYNC_PARTNERS_SWIFT_X12_POD_SIGNER_PREFIX", "SIGNED BY"), 300))
                .withMapping(PartnerProfilesConfig.class)
                .build();
        PartnerProfiles profiles = new PartnerProfiles(config.getConfigMapping(PartnerProfilesConfig.class));

        PartnerProfiles.PartnerProfile swift = profiles.find("SWIFT").orElseThrow();
        assertThat(swift.partnerId()).isEqualTo("SWIFT");
        assertThat(swift.channels()).isEqualTo(Set.of(PartnerProfilesConfig.Channel.REST, PartnerProfilesConfig.Channel.X12));
        assertThat(swift.carriers()).isEqualTo(List.of("Swift Haulage"));
        assertThat(swift.reportsFor("swift haulage")).isTrue();
        assertThat(swift.x12().id()).isEqualTo("SWFT");
        assertThat(swift.x12().podSigner()).isEqualTo("K1");
        assertThat(swift.x12().podSignerPrefix()).isEqualTo("SIGNED BY");
        assertThat(swift.x12().gsIds()).isEqualTo(List.of("SWFT"));
        assertThat(profiles.find("swift")).isPresent();
        assertThat(profiles.find("ROADWISE")).isEmpty();
    }
}
