package com.logisync.testsupport;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The breaking-change rules of {@link OpenApiContract#breakingChanges}, one case each. */
class OpenApiCompatibilityTest {

    private static final String BASELINE = """
            openapi: 3.1.0
            info: {title: t, version: 1.0.0}
            paths:
              /orders:
                post:
                  requestBody:
                    content:
                      application/json:
                        schema: {$ref: '#/components/schemas/OrderRequest'}
                  responses:
                    "201":
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Order'}
                get:
                  parameters:
                    - {name: status, in: query}
                  responses:
                    "200":
                      content:
                        application/json:
                          schema:
                            type: array
                            items: {$ref: '#/components/schemas/Order'}
              /orders/{id}:
                get:
                  responses:
                    "200":
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Order'}
            components:
              schemas:
                OrderRequest:
                  type: object
                  required: [orderId]
                  properties:
                    orderId: {type: string}
                    priority: {type: string, enum: [LOW, HIGH]}
                    weightKg: {type: number}
                Order:
                  type: object
                  properties:
                    orderId: {type: string}
                    status: {type: string}
                    dispatch:
                      type: object
                      properties:
                        loadId: {type: string}
            """;

    private static JsonNode doc(String yaml) throws Exception {
        return OpenApiContract.parse(yaml);
    }

    @Test
    void theSameContractBreaksNothing() throws Exception {
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(BASELINE))).isEmpty();
    }

    @Test
    void addingAPathAnOptionalFieldAndAResponseFieldBreaksNothing() throws Exception {
        String current = BASELINE
                .replace("    weightKg: {type: number}", "    weightKg: {type: number}\n        notes: {type: string}")
                .replace("    status: {type: string}", "    status: {type: string}\n        eta: {type: string}")
                .replace("  /orders/{id}:", "  /orders/{id}/history:\n    get:\n      responses: {}\n  /orders/{id}:");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(current))).isEmpty();
    }

    @Test
    void aRemovedPathOrOperationBreaks() throws Exception {
        String noPath = BASELINE.replace("  /orders/{id}:\n    get:", "  /other:\n    get:");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(noPath))).containsExactly("removed path /orders/{id}");
        String noGet = BASELINE.replace("    get:\n      parameters:", "    delete:\n      parameters:");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(noGet))).containsExactly("removed operation GET /orders");
    }

    @Test
    void aRemovedResponseFieldBreaksEvenWhenNested() throws Exception {
        String current = BASELINE.replace("            loadId: {type: string}\n", "            routeId: {type: string}\n");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(current))).contains(
                "POST /orders 201.dispatch: removed response field loadId",
                "GET /orders 200[].dispatch: removed response field loadId",
                "GET /orders/{id} 200.dispatch: removed response field loadId");
    }

    @Test
    void aNewRequiredRequestFieldOrParameterBreaks() throws Exception {
        String field = BASELINE.replace("required: [orderId]", "required: [orderId, weightKg]");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(field)))
                .containsExactly("POST /orders request: new required field weightKg");
        String param = BASELINE.replace("- {name: status, in: query}",
                "- {name: status, in: query}\n        - {name: customerId, in: query, required: true}");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(param)))
                .containsExactly("GET /orders: new required parameter query:customerId");
    }

    @Test
    void aNarrowedRequestTypeOrEnumBreaks() throws Exception {
        String type = BASELINE.replace("weightKg: {type: number}", "weightKg: {type: integer}");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(type)))
                .containsExactly("POST /orders request.weightKg: type narrowed from number to integer");
        String values = BASELINE.replace("enum: [LOW, HIGH]", "enum: [HIGH]");
        assertThat(OpenApiContract.breakingChanges(doc(BASELINE), doc(values)))
                .containsExactly("POST /orders request.priority: value LOW no longer accepted");
    }

    @Test
    void theMajorVersionIsReadFromInfo() throws Exception {
        assertThat(OpenApiContract.major(doc(BASELINE))).isEqualTo(1);
        assertThat(OpenApiContract.major(doc(BASELINE.replace("version: 1.0.0", "version: 2.0.0")))).isEqualTo(2);
    }
}
