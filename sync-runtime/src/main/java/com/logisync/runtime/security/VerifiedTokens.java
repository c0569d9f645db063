package com.logisync.runtime.security;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers bearer tokens already verified, until they expire: a partner sends the same token with
 * every request for its lifetime, and checking its RSA signature and claims each time was a fifth
 * of milestone-service's CPU on single-event reports. Only a token that passed the full check
 * (signature, issuer, expiry) is remembered, keyed by its exact text (signature included), so a
 * token differing in one character is checked afresh; one at or past its expiry is checked afresh
 * too, and refused by the check. At most {@value #MAX_TOKENS} tokens are held: beyond that the
 * expired ones go and, if that is not enough, all of them. It is the principal factory the bearer
 * check of smallrye-jwt uses (its documented extension point); the checking itself is the standard
 * factory's.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens extends JWTCallerPrincipalFactory {

    static final int MAX_TOKENS = 10_000;

    private record Verified(JWTCallerPrincipal principal, JWTAuthContextInfo checkedWith, long expiresAtSecond) {
    }

    private final JWTCallerPrincipalFactory delegate;
    private final Clock clock;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    public VerifiedTokens() {
        this(new DefaultJWTCallerPrincipalFactory(), Clock.systemUTC());
    }

    VerifiedTokens(JWTCallerPrincipalFactory delegate, Clock clock) {
        this.delegate = delegate;
        this.clock = clock;
    }

    @Override
    public JWTCallerPrincipal parse(String bearerToken, JWTAuthContextInfo authContext) throws ParseException {
        long now = clock.instant().getEpochSecond();
        Verified known = verified.get(bearerToken);
        if (known != null) {
            // Checked against the same rules (the application's one context) and still valid.
            if (now < known.expiresAtSecond() && known.checkedWith() == authContext) {
                return known.principal();
            }
            verified.remove(bearerToken, known);
        }
        JWTCallerPrincipal principal = delegate.parse(bearerToken, authContext);
        long expiresAt = principal.getExpirationTime();
        if (expiresAt > now) {
            remember(bearerToken, new Verified(principal, authContext, expiresAt), now);
        }
        return principal;
    }

    private void remember(String bearerToken, Verified entry, long now) {
        if (verified.size() >= MAX_TOKENS) {
            verified.values().removeIf(v -> v.expiresAtSecond() <= now);
            if (verified.size() >= MAX_TOKENS) {
                verified.clear();
            }
        }
        verified.put(bearerToken, entry);
    }

    int size() {
        return verified.size();
    }
}
