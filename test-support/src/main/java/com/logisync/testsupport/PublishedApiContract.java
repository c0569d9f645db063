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
                    assertThat(r.getValue().path("content").path("application/problem+json").has("example"))
                            .as("%s shows an example of its %s", what, r.getKey()).isTrue();
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
