package com.logisync.milestone.webhook;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * The webhook signature: {@code X-LogiSync-Signature: sha256=<hex>} where hex is
 * HMAC-SHA256(secret, timestamp + "." + body) and timestamp is {@code X-LogiSync-Timestamp}
 * (Unix seconds). Signing the timestamp with the body is what makes a stale or replayed request
 * detectable: changing the timestamp breaks the signature.
 */
public final class WebhookSignature {

    public static final String TIMESTAMP_HEADER = "X-LogiSync-Timestamp";
    public static final String SIGNATURE_HEADER = "X-LogiSync-Signature";
    private static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    public static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** Constant-time comparison, so response timing does not leak how much of a guess was right. */
    public static boolean matches(String secret, String timestamp, String body, String presented) {
        if (presented == null) {
            return false;
        }
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, presented.trim().toLowerCase().getBytes(StandardCharsets.UTF_8));
    }
}
