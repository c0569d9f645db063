package com.logisync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;

/**
 * Walks every operation of the running service's own OpenAPI document and checks its access rule:
 * without a token 401, with a token of a role it does not admit 403, with a role it admits neither.
 * An operation that names no role fails the check, so a new endpoint without a rule fails the build.
 * HMAC-authenticated paths (partner webhooks) must answer 401 to any bearer token alone.
 */
public final class ApiSecurityCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

    /** One checked operation: method, path, the roles the document says it admits and the body type it takes. */
    public record Operation(String method, String path, List<String> roles, String bodyType) {

        public Operation(String method, String path, List<String> roles) {
            this(method, path, roles, null);
        }
    }

    private ApiSecurityCheck() {
    }

    /** The operations of the running service's document (every path, every method). */
    public static List<Operation> operations() {
        JsonNode doc = document();
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> m = path.getValue().fields(); m.hasNext(); ) {
                Map.Entry<String, JsonNode> op = m.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                List<String> roles = new ArrayList<>();
                op.getValue().path("security").forEach(req -> req.fields()
                        .forEachRemaining(scheme -> scheme.getValue().forEach(r -> roles.add(r.asText()))));
                Iterator<String> types = op.getValue().path("requestBody").path("content").fieldNames();
                ops.add(new Operation(op.getKey(), path.getKey(), roles, types.hasNext() ? types.next() : null));
            }
        }
        return ops;
    }

    public static JsonNode document() {
        try {
            return JSON.readTree(given().accept("application/json").get("/q/openapi?format=json").asString());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks every operation; answers the violations (empty when all is well), each naming the
     * operation, what was sent and what came back.
     */
    public static List<String> violations(Set<String> hmacPaths) {
        return violations(hmacPaths, Map.of());
    }

    /** As {@link #violations(Set)}, the tokens of admitted roles carrying {@code callerClaims}. */
    public static List<String> violations(Set<String> hmacPaths, Map<String, Object> callerClaims) {
        List<String> problems = new ArrayList<>();
        List<Operation> ops = operations();
        if (ops.isEmpty()) {
            problems.add("the OpenAPI document lists no operation");
        }
        for (Operation op : ops) {
            String what = op.method().toUpperCase() + " " + op.path();
            if (hmacPaths.contains(op.path())) {
                expect(problems, what + " without signature, with a bearer token",
                        call(op, TestTokens.token("someone", "carrier", "ops")), 401);
                continue;
            }
            if (op.roles().isEmpty()) {
                problems.add(what + " names no role in its security requirement");
                continue;
            }
            expect(problems, what + " without a token", call(op, null), 401);
            expect(problems, what + " with a forged token", call(op, TestTokens.forgedToken("mallory",
                    op.roles().toArray(String[]::new))), 401);
            expect(problems, what + " with an expired token", call(op, TestTokens.expiredToken("late",
                    op.roles().toArray(String[]::new))), 401);
            expect(problems, what + " with a role it does not admit", call(op, TestTokens.token("outsider",
                    "no-such-role")), 403);
            for (String role : op.roles()) {
                int status = call(op, TestTokens.token("insider", callerClaims, role)).statusCode();
                if (status == 401 || status == 403) {
                    problems.add(what + " with its own role " + role + " answered " + status);
                }
            }
        }
        return problems;
    }

    private static void expect(List<String> problems, String what, Response r, int status) {
        if (r.statusCode() != status) {
            problems.add(what + ": expected " + status + ", got " + r.statusCode());
        } else if (!r.contentType().startsWith("application/problem+json")) {
            problems.add(what + ": " + status + " without a problem+json body (" + r.contentType() + ")");
        }
    }

    private static Response call(Operation op, String token) {
        String url = op.path().replaceAll("\\{[^}]+}", "X-1");
        RequestSpecification spec = given().redirects().follow(false);
        if (token != null) {
            spec = spec.auth().oauth2(token);
        }
        if (op.method().equals("post") || op.method().equals("put") || op.method().equals("patch")) {
            String type = op.bodyType() == null ? "application/json" : op.bodyType();
            spec = url.contains("/edi/") ? spec.contentType("application/edi-x12").body("ISA*".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    : type.contains("json") ? spec.contentType(type).body("{}")
                    : spec.contentType(type).body("%PDF-".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        return spec.request(op.method().toUpperCase(), url);
    }
}
