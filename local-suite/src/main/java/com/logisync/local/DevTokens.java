package com.logisync.local;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The local suite's own identity provider: a key pair made on the first run in
 * {@code .logisync/jwt/} (never in the repository), whose public half the services trust, and
 * short-lived development tokens signed with the private half ({@code ./logisync token <role>}).
 */
public final class DevTokens {

    public static final String ISSUER = "https://auth.logisync.local";
    /** Development tokens live this long. */
    public static final long LIFETIME_SECONDS = 3600;

    private final Path dir;

    public DevTokens(SuiteSettings settings) {
        this.dir = settings.home().resolve("jwt");
    }

    /** The public key file the services verify tokens with; created with the key pair if missing. */
    public Path publicKey() {
        ensureKeys();
        return dir.resolve("public.pem");
    }

    /** A token for these roles; {@code claims} may narrow it (a customer-portal user's {@code customer}). */
    public String token(String subject, Map<String, Object> claims, String... roles) {
        ensureKeys();
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).subject(subject).upn(subject).groups(Set.of(roles))
                .expiresIn(LIFETIME_SECONDS);
        claims.forEach(b::claim);
        return b.sign(privateKey());
    }

    /** The token the launcher, the sample journey and the benchmarks call the services with: every role. */
    /** The carrier of the sample journeys: the local suite's trading partner SWIFT (REST and X12). */
    public String carrierToken() {
        return token("swift-tms", Map.of("partner", LocalSuite.SAMPLE_CARRIER), "carrier");
    }

    public String suiteToken() {
        return token("logisync-suite", Map.of(), "erp", "carrier", "billing-clerk", "service-agent", "ops");
    }

    /** {@code ./logisync token <role> [customer=<id>] [partner=<id>]}: prints one token. */
    public static void main(SuiteSettings settings, String[] args) {
        if (args.length < 2) {
            System.err.println("usage: ./logisync token <role>[,<role>...] [customer=<customerId>] [partner=<partnerId>]");
            System.exit(2);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2 || !Set.of("customer", "partner").contains(kv[0])) {
                System.err.println("unknown argument " + args[i] + " (customer=<id> or partner=<id>)");
                System.exit(2);
            }
            claims.put(kv[0], kv[1]);
        }
        String subject = claims.containsKey("partner") ? (String) claims.get("partner") : "dev-" + args[1].split(",")[0];
        System.out.println(new DevTokens(settings).token(subject, claims, args[1].split(",")));
    }

    private synchronized void ensureKeys() {
        Path pub = dir.resolve("public.pem");
        Path priv = dir.resolve("private.pem");
        if (Files.exists(pub) && Files.exists(priv)) {
            return;
        }
        try {
            Files.createDirectories(dir);
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            KeyPair keys = g.generateKeyPair();
            Files.writeString(priv, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.writeString(pub, pem("PUBLIC KEY", keys.getPublic().getEncoded()), StandardCharsets.US_ASCII);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot create the development key pair in " + dir, e);
        }
    }

    private PrivateKey privateKey() {
        try {
            String pem = Files.readString(dir.resolve("private.pem"), StandardCharsets.US_ASCII)
                    .replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the development key in " + dir, e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
