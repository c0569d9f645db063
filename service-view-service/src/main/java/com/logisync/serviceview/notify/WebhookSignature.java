package com.logisync.serviceview.notify;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Signatures in the shape of the Standard Webhooks convention: the secret is {@code whsec_} and the
 * base64 of its key bytes; the signed content is {@code <webhook-id>.<webhook-timestamp>.<body>}; the
 * {@code webhook-signature} header is {@code v1,} and the base64 of its HMAC-SHA256. A receiver checks
 * it with the same secret, rejects a timestamp more than a few minutes off, and dedupes on the id.
 */
public final class WebhookSignature {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignature() {
    }

    /** A new secret: 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** Whether the secret has the convention's shape: {@code whsec_} and 24 to 64 bytes in base64. */
    public static boolean valid(String secret) {
        try {
            int n = key(secret).length;
            return n >= 24 && n <= 64;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The {@code webhook-signature} header value. */
    public static String sign(String secret, String id, long timestampSeconds, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key(secret), "HmacSHA256"));
            byte[] signature = mac.doFinal((id + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return "v1," + Base64.getEncoder().encodeToString(signature);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether one of the space-separated signatures of the header is the right one (what a receiver does). */
    public static boolean verify(String secret, String id, String timestamp, String body, String header) {
        if (header == null || timestamp == null) {
            return false;
        }
        String expected = sign(secret, id, Long.parseLong(timestamp), body);
        for (String candidate : header.split(" ")) {
            if (java.security.MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                    expected.getBytes(StandardCharsets.UTF_8))) {
                return true;
            }
        }
        return false;
    }

    private static byte[] key(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("no secret");
        }
        return Base64.getDecoder().decode(secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret);
    }
}
