package com.logisync.testsupport;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

/**
 * Bearer tokens for tests, signed (RS256) with a key pair made for this JVM only: no key is ever
 * committed. {@link JwtTestResource} gives the services the public half and the issuer.
 */
public final class TestTokens {

    public static final String ISSUER = "https://auth.logisync.test";
    private static final KeyPair KEYS = generate();

    private TestTokens() {
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key, PEM-encoded, as {@code mp.jwt.verify.publickey} takes it. */
    public static String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(KEYS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** A token for {@code subject} with these roles, valid for 5 minutes. */
    public static String token(String subject, String... roles) {
        return token(subject, Map.of(), roles);
    }

    /** A token with extra claims (a customer-portal user's {@code customer}, a carrier's {@code partner}). */
    public static String token(String subject, Map<String, Object> claims, String... roles) {
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(roles)).expiresIn(300);
        claims.forEach(b::claim);
        return b.sign(KEYS.getPrivate());
    }

    /** A token signed by some other key: well-formed, but not from our issuer's key. */
    public static String forgedToken(String subject, String... roles) {
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(roles)).expiresIn(300).sign(generate().getPrivate());
    }

    /** A token of our key that expired an hour ago. */
    public static String expiredToken(String subject, String... roles) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER).subject(subject).groups(Set.of(roles)).issuedAt(now - 7200).expiresAt(now - 3600)
                .sign(KEYS.getPrivate());
    }
}
