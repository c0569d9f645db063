package com.logisync.milestone.partner;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Who may report what. The reporting partner is always the authenticated one (the token's
 * {@code partner} claim, else its subject); a body naming another partner is refused, never believed.
 */
@ApplicationScoped
public class PartnerProfiles {

    /**
     * By partner id, case-insensitively: environment variables (LOGISYNC_PARTNERS_SWIFT_CHANNELS, the
     * Kubernetes way to set them) cannot carry a key's case, so "swift" and "SWIFT" are one partner.
     */
    private final Map<String, PartnerProfile> profiles = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, PartnerProfilesConfig.Profile> configured = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    public PartnerProfiles(PartnerProfilesConfig config) {
        config.profiles().forEach((id, p) -> {
            profiles.putIfAbsent(id, PartnerProfile.of(id.toUpperCase(java.util.Locale.ROOT), p));
            configured.putIfAbsent(id, p);
        });
    }

    /** A partner's configuration as written (webhook secrets included: for the webhook channel only). */
    public Optional<PartnerProfilesConfig.Profile> configuration(String partnerId) {
        return Optional.ofNullable(partnerId == null ? null : configured.get(partnerId));
    }

    /** The partner a token speaks for: its {@code partner} claim, else its subject; null for none. */
    public static String partnerOf(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return null;
        }
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String partner = partnerClaim(jwt);
            if (!partner.isBlank()) {
                return partner;
            }
        }
        return identity.getPrincipal() == null ? null : identity.getPrincipal().getName();
    }

    /** Tokens' partner claims ("" for none) by the token's exact text; at most {@value #MAX_TOKENS}. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> PARTNER_CLAIMS =
            new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_TOKENS = 10_000;

    /**
     * The token's {@code partner} claim, "" when it has none. Read once per token: smallrye-jwt looks a claim's
     * name up among the standard claims ({@code Claims.valueOf}) and throws and catches an
     * {@code IllegalArgumentException} for every custom one, on every read (1.5 % of milestone-service's CPU on
     * single reports, read twice per request: the rate limit and the channel check; docs/benchmarks.md). Keyed
     * by the token's exact text, signature included, as the verified tokens are ({@code VerifiedTokens}): another
     * token, even one character apart, is read afresh.
     */
    static String partnerClaim(JsonWebToken jwt) {
        String raw = jwt.getRawToken();
        if (raw == null) {
            return read(jwt);
        }
        String known = PARTNER_CLAIMS.get(raw);
        if (known == null) {
            known = read(jwt);
            if (PARTNER_CLAIMS.size() >= MAX_TOKENS) {
                PARTNER_CLAIMS.clear();
            }
            PARTNER_CLAIMS.put(raw, known);
        }
        return known;
    }

    private static String read(JsonWebToken jwt) {
        Object claim = jwt.getClaim(Roles.PARTNER_CLAIM);
        String partner = claim instanceof jakarta.json.JsonString s ? s.getString() : claim == null ? null : claim.toString();
        return partner == null ? "" : partner;
    }

    public Optional<PartnerProfile> find(String partnerId) {
        return Optional.ofNullable(partnerId == null ? null : profiles.get(partnerId));
    }

    public List<PartnerProfile> all() {
        return List.copyOf(profiles.values());
    }

    /**
     * The authenticated partner, after checking that it may use the channel: a partner with a profile
     * only through the channels it lists; one without a profile through REST only.
     */
    public String requireChannel(SecurityIdentity identity, PartnerProfilesConfig.Channel channel) {
        String partner = partnerOf(identity);
        if (partner == null) {
            throw new ProblemException(403, "partner-unknown", "Forbidden",
                    "The token names no partner (no partner claim and no subject)", null, Map.of());
        }
        Set<PartnerProfilesConfig.Channel> allowed = find(partner).map(PartnerProfile::channels)
                .orElse(Set.of(PartnerProfilesConfig.Channel.REST));
        if (!allowed.contains(channel)) {
            throw new ProblemException(403, "channel-not-allowed", "Forbidden", "Partner " + partner
                    + " may not report through " + channel + (find(partner).isEmpty() ? " (it has no trading-partner profile)"
                            : " (its profile allows " + allowed + ")"),
                    null, Map.of("partnerId", partner));
        }
        return partner;
    }

    /**
     * 403 naming both partners: identity comes from the token, a body or an envelope may only repeat it.
     * Every channel answers a forged partner with this one problem.
     */
    public static ProblemException mismatch(String authenticated, List<String> reported, String detail,
            List<com.logisync.runtime.rest.Problem.FieldError> errors) {
        return new ProblemException(403, "partner-mismatch", "Partner does not match the token", detail, errors,
                Map.of("authenticatedPartner", String.valueOf(authenticated), "reportedPartners", reported));
    }

    /**
     * A partner's profile as configured, in the shape {@code GET /api/v1/partners} shows it
     * ({@code maxSilence} as an ISO-8601 duration, e.g. {@code PT4H}).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record PartnerProfile(String partnerId, String name, Set<PartnerProfilesConfig.Channel> channels,
            List<String> carriers, String timeZone, String maxSilence, X12 x12, String webhookFormat) {

        @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "PartnerX12Profile")
        public record X12(String qualifier, String id, List<String> gsIds, boolean allowTest, String podSigner,
                String podSignerPrefix, List<String> partialDeliveryCodes) {
        }

        static PartnerProfile of(String id, PartnerProfilesConfig.Profile p) {
            PartnerProfilesConfig.X12 x = p.x12();
            X12 x12 = x.id().isEmpty() ? null : new X12(x.qualifier(), x.id().get(),
                    x.gsIds().orElse(List.of(x.id().get())), x.allowTest(), x.podSigner(),
                    x.podSignerPrefix().orElse(null), x.partialDeliveryCodes().orElse(List.of()));
            return new PartnerProfile(id, p.name().orElse(id), Set.copyOf(p.channels()), p.carriers().orElse(List.of()),
                    p.timeZone().orElse(null), p.maxSilence().map(Duration::toString).orElse(null), x12,
                    p.webhook().format().map(Enum::name).orElse(null));
        }

        /** Whether this partner reports for the carrier the TMS dispatched the load to. */
        public boolean reportsFor(String carrier) {
            return carrier != null && carriers.stream().anyMatch(c -> c.equalsIgnoreCase(carrier.trim()));
        }
    }
}
