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
        pruneUnreferencedSchemas(openAPI);
        describeProblemTypes(openAPI);
    }

    private static final String SCHEMA_REF = "#/components/schemas/";

    /**
     * Drops the component schemas no operation reaches: the scanner adds every class that carries a
     * {@code @Schema} annotation (the shared event records, say), and a client generator would make a type
     * of each.
     */
    static void pruneUnreferencedSchemas(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        java.util.Map<String, org.eclipse.microprofile.openapi.models.media.Schema> all = openAPI.getComponents().getSchemas();
        java.util.Set<String> reached = new java.util.HashSet<>();
        java.util.Deque<org.eclipse.microprofile.openapi.models.media.Schema> todo = new java.util.ArrayDeque<>();
        openAPI.getPaths().getPathItems().values().forEach(item -> {
            if (item.getParameters() != null) {
                item.getParameters().forEach(p -> add(todo, p.getSchema()));
            }
            if (item.getOperations() == null) {
                return;
            }
            item.getOperations().values().forEach(op -> {
                if (op.getParameters() != null) {
                    op.getParameters().forEach(p -> add(todo, p.getSchema()));
                }
                if (op.getRequestBody() != null) {
                    content(todo, op.getRequestBody().getContent());
                }
                if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                    op.getResponses().getAPIResponses().values().forEach(r -> {
                        content(todo, r.getContent());
                        if (r.getHeaders() != null) {
                            r.getHeaders().values().forEach(h -> add(todo, h.getSchema()));
                        }
                    });
                }
            });
        });
        while (!todo.isEmpty()) {
            org.eclipse.microprofile.openapi.models.media.Schema s = todo.pop();
            if (s.getRef() != null && s.getRef().startsWith(SCHEMA_REF)) {
                String name = s.getRef().substring(SCHEMA_REF.length());
                if (reached.add(name) && all.containsKey(name)) {
                    add(todo, all.get(name));
                }
            }
            if (s.getProperties() != null) {
                s.getProperties().values().forEach(p -> add(todo, p));
            }
            add(todo, s.getItems());
            add(todo, s.getAdditionalPropertiesSchema());
            add(todo, s.getNot());
            for (java.util.List<org.eclipse.microprofile.openapi.models.media.Schema> list : java.util.Arrays.asList(
                    s.getAllOf(), s.getAnyOf(), s.getOneOf())) {
                if (list != null) {
                    list.forEach(x -> add(todo, x));
                }
            }
        }
        for (String name : new java.util.ArrayList<>(all.keySet())) {
            if (!reached.contains(name)) {
                openAPI.getComponents().removeSchema(name);
            }
        }
    }

    private static void content(java.util.Deque<org.eclipse.microprofile.openapi.models.media.Schema> todo,
            org.eclipse.microprofile.openapi.models.media.Content content) {
        if (content != null && content.getMediaTypes() != null) {
            content.getMediaTypes().values().forEach(m -> add(todo, m.getSchema()));
        }
    }

    private static void add(java.util.Deque<org.eclipse.microprofile.openapi.models.media.Schema> todo,
            org.eclipse.microprofile.openapi.models.media.Schema schema) {
        if (schema != null) {
            todo.push(schema);
        }
    }

    private static void also(APIResponses responses, String code, String description) {
        APIResponse own = responses.getAPIResponse(code);
        responses.addAPIResponse(code, OASFactory.createAPIResponse().description(own == null || own.getDescription() == null
                ? description : own.getDescription() + "; or: " + description)
                .content(own == null ? null : own.getContent()));
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
        boolean idempotent = op.getParameters() != null && op.getParameters().stream()
                .anyMatch(p -> IdempotencyKeys.HEADER.equals(p.getName()));
        if (idempotent) {
            // The answers every operation with an Idempotency-Key has, beside its own 409 and 422.
            also(responses, "409", "A request with the same Idempotency-Key is still being processed"
                    + " (idempotency-key-in-progress; Retry-After says when to ask again)");
            also(responses, "422", "The Idempotency-Key was used for another request (idempotency-key-reused)");
        }
        if (responses.getAPIResponses() == null) {
            return;
        }
        java.util.Set<ProblemType> declared = declaredTypes(op);
        if (idempotent) {
            declared.add(ProblemType.IDEMPOTENCY_KEY_IN_PROGRESS);
            declared.add(ProblemType.IDEMPOTENCY_KEY_REUSED);
        }
        boolean hasInput = op.getRequestBody() != null || (op.getParameters() != null && !op.getParameters().isEmpty());
        responses.getAPIResponses().forEach((code, response) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                int status = Integer.parseInt(code);
                java.util.LinkedHashSet<ProblemType> types = new java.util.LinkedHashSet<>(
                        ProblemType.generic(status, secured, hasInput));
                declared.stream().filter(t -> t.status == status).forEach(types::add);
                org.eclipse.microprofile.openapi.models.media.MediaType media = OASFactory.createMediaType()
                        .schema(OASFactory.createSchema().ref("Problem"));
                if (types.isEmpty()) {
                    media.example(example(code));
                } else {
                    types.forEach(t -> media.addExample(t.slug, OASFactory.createExample().summary(t.meaning)
                            .value(example(t))));
                    USED.get().addAll(types);
                }
                response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media));
            }
        });
    }

    /** The problem types of the document being filtered (the Problem schema lists them with their members). */
    private static final ThreadLocal<java.util.Set<ProblemType>> USED = ThreadLocal.withInitial(java.util.TreeSet::new);

    /** The types an operation names in its {@code x-problem-types} extension (a comma-separated list of slugs). */
    private static java.util.Set<ProblemType> declaredTypes(Operation op) {
        java.util.Set<ProblemType> types = new java.util.LinkedHashSet<>();
        Object names = op.getExtensions() == null ? null : op.getExtensions().get(PROBLEM_TYPES);
        // The scanner puts a method's @Extension on its responses as well: it belongs to the operation only.
        if (op.getResponses() != null && op.getResponses().getExtensions() != null
                && op.getResponses().getExtensions().containsKey(PROBLEM_TYPES)) {
            names = names != null ? names : op.getResponses().getExtensions().get(PROBLEM_TYPES);
            op.getResponses().removeExtension(PROBLEM_TYPES);
            op.addExtension(PROBLEM_TYPES, names);
        }
        if (names != null) {
            for (String slug : names.toString().split("\\s*,\\s*")) {
                if (!slug.isBlank()) {
                    types.add(ProblemType.of(slug.trim()).orElseThrow(() -> new IllegalStateException(
                            "Operation " + op.getOperationId() + " names problem type '" + slug + "', which is not in ProblemType")));
                }
            }
        }
        return types;
    }

    public static final String PROBLEM_TYPES = "x-problem-types";

    /** One entry of a problem's {@code errors}, its members in the order the service writes them. */
    private static java.util.Map<String, Object> fieldError(String field, String code, String message) {
        java.util.Map<String, Object> e = new java.util.LinkedHashMap<>();
        e.put("field", field);
        e.put("code", code);
        e.put("message", message);
        return e;
    }

    /** A real answer of that type, as the service sends it. */
    private static java.util.Map<String, Object> example(ProblemType t) {
        java.util.Map<String, Object> example = new java.util.LinkedHashMap<>();
        example.put("type", t.type());
        example.put("title", t.title);
        example.put("status", t.status);
        example.put("detail", t.exampleDetail);
        example.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        if (t == ProblemType.VALIDATION) {
            example.put("errors", java.util.List.of(fieldError("limit", "invalid", "must be 1 to 500")));
        }
        if (t == ProblemType.BUSINESS_RULE_VIOLATION) {
            example.put("errors", java.util.List.of(fieldError("stops[0].window", "WINDOW_IN_PAST",
                    "the pickup window has passed")));
        }
        example.putAll(t.members);
        return example;
    }

    /**
     * The Problem schema says which types this document's operations answer with, and has a property for
     * each member one of them carries, so a generated client reads {@code currentVersion} or
     * {@code shipmentIds} without a map.
     */
    private static void describeProblemTypes(OpenAPI openAPI) {
        java.util.Set<ProblemType> used = USED.get();
        USED.remove();
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null
                || !openAPI.getComponents().getSchemas().containsKey("Problem") || used.isEmpty()) {
            return;
        }
        org.eclipse.microprofile.openapi.models.media.Schema problem = openAPI.getComponents().getSchemas().get("Problem");
        StringBuilder text = new StringBuilder("An RFC 9457 problem. `type` is one of (status, then the members it"
                + " carries beyond type, title, status, detail, instance, traceId and errors):");
        java.util.Map<String, String> carriedBy = new java.util.TreeMap<>();
        for (ProblemType t : used) {
            text.append("\n- `").append(t.type()).append("` (").append(t.status).append("): ").append(t.meaning);
            if (!t.members.isEmpty()) {
                text.append("; ").append(String.join(", ", t.members.keySet().stream().map(m -> "`" + m + "`").toList()));
            }
            t.members.forEach((member, value) -> {
                carriedBy.merge(member, t.slug, (a, b) -> a + ", " + b);
                if (problem.getProperties() == null || !problem.getProperties().containsKey(member)) {
                    problem.addProperty(member, memberSchema(value));
                }
            });
        }
        carriedBy.forEach((member, slugs) -> problem.getProperties().get(member).description("Carried by " + slugs));
        problem.description(text.toString());
    }

    private static org.eclipse.microprofile.openapi.models.media.Schema memberSchema(Object value) {
        org.eclipse.microprofile.openapi.models.media.Schema s = OASFactory.createSchema();
        if (value instanceof Integer || value instanceof Long) {
            return s.addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.INTEGER).format("int64");
        }
        if (value instanceof java.util.List<?>) {
            return s.addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.ARRAY)
                    .items(OASFactory.createSchema().addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING));
        }
        return s.addType(org.eclipse.microprofile.openapi.models.media.Schema.SchemaType.STRING);
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
