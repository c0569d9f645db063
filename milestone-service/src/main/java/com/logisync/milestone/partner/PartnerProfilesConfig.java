package com.logisync.milestone.partner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trading-partner profiles, under {@code logisync.partners.<partnerId>.*}: which channels a partner
 * may use, which X12 ids are its own, which carriers (as the TMS names them) it reports for, its
 * default time zone and how long it may stay silent. The partner id is the token's {@code partner}
 * claim (or subject), or the webhook URL's partner once its signature has been checked.
 */
@ConfigMapping(prefix = "logisync.partners")
public interface PartnerProfilesConfig {

    @WithParentName
    Map<String, Profile> profiles();

    interface Profile {
        /** The partner's display name. */
        Optional<String> name();

        /** The channels the partner may report through. */
        @WithDefault("REST")
        Set<Channel> channels();

        /** The carriers (as the TMS names them in its dispatch answer) this partner reports for: its PODs count for billing. */
        Optional<List<String>> carriers();

        /** Where the partner is, for local times no location resolves (IANA zone). */
        Optional<String> timeZone();

        /** The longest silence expected from the partner before operators are alerted. */
        Optional<Duration> maxSilence();

        X12 x12();

        Webhook webhook();
    }

    interface X12 {
        /** ISA05: the interchange id qualifier of the partner's EDI id. */
        @WithDefault("ZZ")
        String qualifier();

        /** ISA06: the partner's interchange sender id. */
        Optional<String> id();

        /** GS02 application sender codes the partner may use (default: its ISA06 id). */
        Optional<List<String>> gsIds();

        /** Whether the partner may send test interchanges (ISA15 = T); they are acknowledged, never used. */
        @WithDefault("false")
        boolean allowTest();

        /**
         * Where the partner's 214 carries the POD signer of a D1: NONE, K1 (a K1 remark in the status's
         * LX loop, after {@link #podSignerPrefix()}), or N1:&lt;entity code&gt; (N1-02 of that N1 loop).
         */
        @WithDefault("NONE")
        String podSigner();

        /** The text before the signer's name in a K1 remark, e.g. {@code SIGNED BY}. */
        Optional<String> podSignerPrefix();

        /** The partner's own AT7-01 codes for a partial delivery (none in the 4010 list; PA or CB where used). */
        Optional<List<String>> partialDeliveryCodes();
    }

    interface Webhook {
        /** Which vendor payload shape the partner's TMS webhooks have. */
        Optional<com.logisync.milestone.webhook.WebhookFormat> format();

        /** The HMAC-SHA256 key shared with the partner for webhooks. */
        Optional<String> secret();
    }

    enum Channel {
        REST, X12, WEBHOOK
    }
}
