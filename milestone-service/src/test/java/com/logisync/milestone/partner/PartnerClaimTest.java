package com.logisync.milestone.partner;

import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import jakarta.json.Json;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The reporting partner is the token's: its claim, read once per token text, else its subject. */
class PartnerClaimTest {

    /** A verified token as the principal: its exact text, subject and claims; counts the partner claim's reads. */
    private static final class Token implements JsonWebToken {
        final String raw;
        final String subject;
        final Map<String, Object> claims;
        final AtomicInteger partnerReads = new AtomicInteger();

        Token(String raw, String subject, Map<String, Object> claims) {
            this.raw = raw;
            this.subject = subject;
            this.claims = claims;
        }

        @Override
        public String getName() {
            return subject;
        }

        @Override
        public Set<String> getClaimNames() {
            return claims.keySet();
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T getClaim(String name) {
            if ("raw_token".equals(name)) {
                return (T) raw;
            }
            if ("partner".equals(name)) {
                partnerReads.incrementAndGet();
            }
            return (T) claims.get(name);
        }
    }

    private static String partnerOf(Token token) {
        return PartnerProfiles.partnerOf(QuarkusSecurityIdentity.builder().setPrincipal(token).build());
    }

    @Test
    void eachTokenTextIsReadOnceAndTwoTokensNeverShareAPartner() {
        Token swift = new Token("eyJ.swift-" + System.nanoTime() + ".sig", "tms-client", Map.of("partner", Json.createValue("SWIFT")));
        assertEquals("SWIFT", partnerOf(swift));
        assertEquals("SWIFT", partnerOf(swift));
        assertEquals("SWIFT", partnerOf(swift));
        assertEquals(1, swift.partnerReads.get(), "the claim is read once for the token's text");

        // Another token, one character apart and naming another partner: read afresh, its own partner.
        Token other = new Token(swift.raw.substring(0, swift.raw.length() - 1) + "h", "tms-client",
                Map.of("partner", Json.createValue("ACME")));
        assertEquals("ACME", partnerOf(other));
        assertEquals(1, other.partnerReads.get());
        assertEquals("SWIFT", partnerOf(swift));
    }

    @Test
    void withoutAPartnerClaimTheSubjectReportsAndWithoutATextTheClaimIsReadEachTime() {
        Token subjectOnly = new Token("eyJ.subject-" + System.nanoTime() + ".sig", "BENCH", Map.of());
        assertEquals("BENCH", partnerOf(subjectOnly));
        assertEquals("BENCH", partnerOf(subjectOnly));
        assertEquals(1, subjectOnly.partnerReads.get());

        Token blank = new Token("eyJ.blank-" + System.nanoTime() + ".sig", "carrier-7", Map.of("partner", Json.createValue(" ")));
        assertEquals("carrier-7", partnerOf(blank));

        Token noText = new Token(null, "tms", Map.of("partner", "NORAW"));
        assertEquals("NORAW", partnerOf(noText));
        assertEquals("NORAW", partnerOf(noText));
        assertEquals(2, noText.partnerReads.get(), "nothing to key it by: read each time");

        assertNull(PartnerProfiles.partnerOf(null));
    }
}
