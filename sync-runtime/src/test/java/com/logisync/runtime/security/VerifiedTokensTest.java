package com.logisync.runtime.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTest {

    /** Accepts "good-<exp>[#n]" until its exp and refuses anything else, counting its checks. */
    static final class CountingFactory extends JWTCallerPrincipalFactory {
        final List<String> checked = new ArrayList<>();
        long now;

        @Override
        public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
            checked.add(token);
            if (!token.startsWith("good-")) {
                throw new ParseException("bad signature");
            }
            long exp = Long.parseLong(token.substring(5).split("#")[0]);
            if (now >= exp) {
                throw new ParseException("expired");
            }
            JwtClaims claims = new JwtClaims();
            claims.setSubject(token);
            claims.setExpirationTime(NumericDate.fromSeconds(exp));
            return new DefaultJWTCallerPrincipal(token, "JWT", claims);
        }
    }

    private final CountingFactory checks = new CountingFactory();
    private final JWTAuthContextInfo rules = new JWTAuthContextInfo();
    private long second = 1_000;
    private final VerifiedTokens tokens = new VerifiedTokens(checks, new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            checks.now = second;
            return Instant.ofEpochSecond(second);
        }
    });

    @Test
    void aVerifiedTokenIsCheckedOnceUntilItExpiresThenRefused() throws Exception {
        JWTCallerPrincipal first = tokens.parse("good-1060", rules);
        second = 1_059;
        assertThat(tokens.parse("good-1060", rules)).isSameAs(first);
        assertThat(checks.checked).containsExactly("good-1060");

        second = 1_060;
        assertThatThrownBy(() -> tokens.parse("good-1060", rules)).isInstanceOf(ParseException.class)
                .hasMessage("expired");
        assertThat(checks.checked).containsExactly("good-1060", "good-1060");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void refusedTokensAreNeverRememberedAndEveryCharacterCounts() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> tokens.parse("forged-1060", rules)).isInstanceOf(ParseException.class);
        }
        tokens.parse("good-1060#a", rules);
        tokens.parse("good-1060#b", rules);
        tokens.parse("good-1060#a", rules);
        assertThat(checks.checked).containsExactly("forged-1060", "forged-1060", "forged-1060", "good-1060#a",
                "good-1060#b");
        assertThat(tokens.size()).isEqualTo(2);
    }

    @Test
    void aTokenCheckedUnderOtherRulesIsCheckedAgain() throws Exception {
        tokens.parse("good-1060", rules);
        tokens.parse("good-1060", new JWTAuthContextInfo());
        assertThat(checks.checked).containsExactly("good-1060", "good-1060");
    }

    @Test
    void atMostTenThousandTokensAreHeldAndExpiredOnesGoFirst() throws Exception {
        for (int i = 0; i < VerifiedTokens.MAX_TOKENS - 1; i++) {
            tokens.parse("good-1010#" + i, rules);
        }
        tokens.parse("good-5000#long-lived", rules);
        assertThat(tokens.size()).isEqualTo(VerifiedTokens.MAX_TOKENS);

        second = 1_020; // the 9,999 short-lived ones have expired
        tokens.parse("good-5000#new", rules);
        assertThat(tokens.size()).isEqualTo(2);
        int before = checks.checked.size();
        tokens.parse("good-5000#long-lived", rules);
        assertThat(checks.checked).hasSize(before);
    }
}
