package com.logisync.milestone;

import com.logisync.testsupport.JwtTestResource;
import com.logisync.testsupport.KafkaTestResource;
import com.logisync.testsupport.PostgresTestResource;
import com.logisync.testsupport.PublishedApiContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Set;

/**
 * The published API of milestone-service: every operation's access rule (401, 403, its own roles) walked
 * from the running service's OpenAPI document, the document itself equal to the committed
 * src/main/openapi/openapi.yaml, and nothing in it breaking src/main/openapi/baseline.yaml.
 */
@QuarkusTest
@WithTestResource(JwtTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PostgresTestResource.class)
class ApiContractTest extends PublishedApiContract {

    /** Partner webhooks are signed with HMAC instead of a bearer token. */
    @Override
    protected Set<String> hmacPaths() {
        return Set.of("/api/v1/webhooks/{partnerId}");
    }

    /** A carrier reports as its own partner: the examples are SWIFT's (REST partnerId, X12 sender SWFT). */
    @Override
    protected java.util.Map<String, Object> callerClaims() {
        return java.util.Map.of("partner", "SWIFT");
    }
}
