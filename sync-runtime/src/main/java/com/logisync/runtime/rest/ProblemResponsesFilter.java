package com.logisync.runtime.rest;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Makes every service's published contract say what the service does: each error response is
 * {@code application/problem+json} with the {@link Problem} schema, and each operation that needs a
 * token documents its 401 (no token, or an invalid or expired one) and 403 (no role it admits).
 */
public class ProblemResponsesFilter implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (item.getOperations() != null) {
                item.getOperations().forEach((method, op) -> document(op));
            }
        });
    }

    private static void document(Operation op) {
        if (op.getResponses() == null) {
            op.setResponses(OASFactory.createAPIResponses());
        }
        APIResponses responses = op.getResponses();
        boolean secured = op.getSecurity() != null && !op.getSecurity().isEmpty();
        if (secured) {
            responses.addAPIResponse("401", OASFactory.createAPIResponse()
                    .description("No bearer token, or an invalid, forged or expired one"));
            // An operation that refuses more than a missing role says so in its own 403; keep it, and add the role case.
            APIResponse own = responses.getAPIResponse("403");
            responses.addAPIResponse("403", OASFactory.createAPIResponse().description(own == null || own.getDescription() == null
                    || "Not Allowed".equals(own.getDescription())
                    ? "The token carries no role this operation admits"
                    : "The token carries no role this operation admits; or: " + own.getDescription()));
        }
        if (responses.getAPIResponses() == null) {
            return;
        }
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref("Problem"))
                                .example(example(code))));
            }
        });
    }

    /** What such an answer looks like (the type and detail vary with the case; the shape does not). */
    private static java.util.Map<String, Object> example(String code) {
        int status = Integer.parseInt(code);
        String[] typeTitleDetail = switch (status) {
            case 400 -> new String[] {"validation", "Invalid request", "stops[1].window.end must not be null"};
            case 401 -> new String[] {"unauthenticated", "Authentication required",
                    "This API needs a valid bearer token (JWT) from LogiSync's identity provider"};
            case 403 -> new String[] {"forbidden", "Not allowed",
                    "The token's roles do not include one this operation admits"};
            case 404 -> new String[] {"not-found", "Not found", "No such shipment: SHP-0000"};
            case 409 -> new String[] {"conflict", "Conflict", "The request conflicts with the resource's state"};
            case 413 -> new String[] {"too-large", "Request too large", "The body is over the size limit"};
            case 422 -> new String[] {"business-rules", "Business rules violated", "WINDOW_IN_PAST: the pickup window has passed"};
            case 429 -> new String[] {"rate-limited", "Too many requests",
                    "Partner SWIFT is over its request rate; retry after 2 s"};
            case 503 -> new String[] {"backlog-full", "Ingestion held back", "Publication is behind: 10412 events wait"
                    + " for Kafka (bound 10000); nothing of this request was taken, send it again after 5 s"};
            default -> new String[] {"internal", "Internal error", "Something failed on our side; quote the trace id"};
        };
        java.util.Map<String, Object> example = new java.util.LinkedHashMap<>();
        example.put("type", Problem.TYPE_PREFIX + typeTitleDetail[0]);
        example.put("title", typeTitleDetail[1]);
        example.put("status", status);
        example.put("detail", typeTitleDetail[2]);
        example.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        return example;
    }
}
