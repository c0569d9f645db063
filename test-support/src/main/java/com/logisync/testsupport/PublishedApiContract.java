package com.logisync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks every service's published API passes; each service runs them with a subclass
 * ({@code ApiContractTest}) on its running application, with real tokens from {@link TestTokens}.
 */
public abstract class PublishedApiContract {

    /** Paths authenticated by HMAC rather than a bearer token (partner webhooks). */
    protected Set<String> hmacPaths() {
        return Set.of();
    }

    /**
     * Claims the tokens of admitted roles carry, where the service decides by more than the role (the
     * milestone channels: a carrier reports as its own partner, and the examples name one).
     */
    protected java.util.Map<String, Object> callerClaims() {
        return java.util.Map.of();
    }

    @Test
    void everyOperationAnswers401WithoutAToken403WithAWrongRoleAndServesItsOwnRoles() {
        List<String> violations = ApiSecurityCheck.violations(hmacPaths(), callerClaims());
        assertThat(violations).as("operations of the OpenAPI document whose access rule is wrong").isEmpty();
        assertThat(ApiSecurityCheck.operations()).as("the check walked the service's operations").hasSizeGreaterThan(1);
    }

    @Test
    void healthMetricsAndTheContractNeedNoToken() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void everyOperationIsDescribedWithItsErrorsAsProblemJson() {
        JsonNode doc = ApiSecurityCheck.document();
        assertThat(doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText())
                .isEqualTo("bearer");
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!Set.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                return;
            }
            String what = op.getKey().toUpperCase() + " " + path.getKey();
            assertThat(op.getValue().path("summary").asText("")).as("summary of %s", what).isNotBlank();
            op.getValue().path("responses").fields().forEachRemaining(r -> {
                if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
                    assertThat(r.getValue().path("content").has("application/problem+json"))
                            .as("%s answers %s as problem+json", what, r.getKey()).isTrue();
                    JsonNode media = r.getValue().path("content").path("application/problem+json");
                    assertThat(media.has("example") || media.has("examples"))
                            .as("%s shows an example of its %s", what, r.getKey()).isTrue();
                    // Each example is a real answer of that status, of a type the catalogue (ProblemType) has.
                    media.path("examples").fields().forEachRemaining(ex -> {
                        JsonNode value = ex.getValue().path("value");
                        assertThat(value.path("status").asInt()).as("%s %s example %s", what, r.getKey(), ex.getKey())
                                .isEqualTo(Integer.parseInt(r.getKey()));
                        assertThat(value.path("type").asText()).isEqualTo("urn:logisync:problem:" + ex.getKey());
                    });
                }
            });
            JsonNode body = op.getValue().path("requestBody").path("content");
            body.fields().forEachRemaining(media -> assertThat(media.getValue().has("examples")
                    || media.getValue().has("example") || media.getValue().path("schema").has("example")
                    || hasFieldExamples(doc, media.getValue().path("schema")))
                    .as("%s shows an example of its %s body", what, media.getKey()).isTrue());
            if (!hmacPaths().contains(path.getKey())) {
                assertThat(op.getValue().path("responses").has("401")).as("%s documents 401", what).isTrue();
                assertThat(op.getValue().path("responses").has("403")).as("%s documents 403", what).isTrue();
            }
        }));
    }

    /** A request schema whose properties carry examples shows its example field by field. */
    private static boolean hasFieldExamples(JsonNode doc, JsonNode schema) {
        JsonNode s = schema.has("$ref") ? doc.at(schema.get("$ref").asText().substring(1)) : schema;
        if (s.path("properties").isEmpty()) {
            return false;
        }
        java.util.concurrent.atomic.AtomicBoolean all = new java.util.concurrent.atomic.AtomicBoolean(true);
        s.path("properties").forEach(p -> {
            if (!p.has("example") && !p.has("examples") && !p.has("$ref") && !p.has("enum")) {
                all.set(false);
            }
        });
        return all.get();
    }

    /** Names a client generator turns into types: generic ones collide across documents and say nothing. */
    private static final Set<String> GENERIC_SCHEMA_NAMES = Set.of("Item", "Items", "Status", "Page", "Summary", "Line",
            "Check", "Entry", "State", "Outcome", "Keys", "Band", "Lane", "Window", "Action", "Task", "Data", "Result",
            "Request", "Response", "Snapshot", "Stuck", "Document", "Pod", "Position", "Billing", "Route", "Charge",
            "Decision", "Resolution", "Transaction", "Invoice", "X12");

    @Test
    void everyOperationHasAUniqueVerbNounOperationIdAndATag() {
        JsonNode doc = ApiSecurityCheck.document();
        java.util.Map<String, String> seen = new java.util.HashMap<>();
        List<String> problems = new java.util.ArrayList<>();
        doc.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!Set.of("get", "put", "post", "delete", "patch").contains(op.getKey())) {
                return;
            }
            String what = op.getKey().toUpperCase() + " " + path.getKey();
            String id = op.getValue().path("operationId").asText("");
            if (!id.matches("[a-z]+[A-Z][A-Za-z0-9]*")) {
                problems.add(what + ": operationId '" + id + "' is not verbNoun");
            }
            String before = seen.put(id, what);
            if (before != null) {
                problems.add(what + ": operationId '" + id + "' is also " + before);
            }
            if (op.getValue().path("tags").isEmpty()) {
                problems.add(what + ": no tag");
            }
            op.getValue().path("responses").fields().forEachRemaining(r -> {
                if (r.getValue().path("description").asText("").isBlank()) {
                    problems.add(what + ": response " + r.getKey() + " has no description (OpenAPI requires one)");
                }
            });
            if (op.getKey().equals("get") && op.getValue().path("responses").has("409")) {
                problems.add(what + ": a read answers 409");
            }
        }));
        assertThat(problems).isEmpty();
    }

    @Test
    void schemaNamesAreUniqueAndMeaningful() {
        List<String> bad = new java.util.ArrayList<>();
        ApiSecurityCheck.document().path("components").path("schemas").fieldNames().forEachRemaining(name -> {
            if (name.matches(".*\\d$") || GENERIC_SCHEMA_NAMES.contains(name)) {
                bad.add(name);
            }
        });
        assertThat(bad).as("schema names a generated client would get wrong (a clash numbered by the scanner, or a"
                + " generic name): give the type @Schema(name = ...)").isEmpty();
    }

    @Test
    void theServedContractIsTheCommittedOne() throws Exception {
        assertThat(OpenApiContract.differenceFromCommitted()).isNull();
    }

    @Test
    void theContractBreaksNothingOfTheLastReleaseUnlessItsMajorVersionWasRaised() throws Exception {
        JsonNode baseline = OpenApiContract.read(OpenApiContract.BASELINE);
        JsonNode current = OpenApiContract.parse(OpenApiContract.served());
        List<String> breaking = OpenApiContract.breakingChanges(baseline, current);
        if (OpenApiContract.major(current) > OpenApiContract.major(baseline)) {
            return; // a new major version may break; the baseline is replaced when it is released
        }
        assertThat(breaking).as("changes that break clients of the released contract " + OpenApiContract.BASELINE
                + " (raise the API's major version on purpose to allow them)").isEmpty();
    }
}
