package com.logisync.runtime.rest;

import com.fasterxml.jackson.core.exc.StreamReadException;
import io.quarkus.hibernate.validator.runtime.jaxrs.ResteasyReactiveViolationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.logisync.runtime.tracing.TraceContexts;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one error mapping of every service: whatever goes wrong, the client gets problem+json with a
 * stable type. Bad input is a 4xx naming what is wrong; only our own faults are a 500, and those
 * carry a trace id instead of a stack trace.
 */
public class ProblemMappers {

    /**
     * A problem+json answer that tells the caller to send the same request again later: the status
     * (429, 503), the problem type's slug, its extra members, and {@code Retry-After} in seconds.
     */
    public static Response retryLater(int status, String slug, String title, String detail, UriInfo uri,
            java.util.Map<String, Object> extensions, long retryAfterSeconds) {
        Problem p = new Problem(Problem.TYPE_PREFIX + slug, title, status, detail, uri.getPath(),
                TraceContexts.currentTraceId(), null, extensions);
        return Response.status(status).type(Problem.MEDIA_TYPE).header("Retry-After", retryAfterSeconds).entity(p).build();
    }


    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response idempotencyKeyInProgress(IdempotencyKeys.IdempotencyKeyInProgressException e, UriInfo uri) {
        return retryLater(409, "idempotency-key-in-progress", "Request in progress", e.getMessage(), uri, null, 1);
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(new Problem(Problem.TYPE_PREFIX + e.typeSlug(), e.title(), e.status(), e.getMessage(),
                path(uri), TraceContexts.currentTraceId(), e.errors(), e.extensions()));
    }

    /**
     * No token, an expired or forged one, or one from another issuer: 401 with a Bearer challenge.
     * (Authentication is not proactive, so failures reach these mappers; the token is never echoed.)
     */
    @ServerExceptionMapper({io.quarkus.security.UnauthorizedException.class,
            io.quarkus.security.AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e, UriInfo uri) {
        Response r = respond(new Problem(Problem.TYPE_PREFIX + "unauthenticated", "Authentication required", 401,
                "This API needs a valid bearer token (JWT) from LogiSync's identity provider", path(uri),
                TraceContexts.currentTraceId(), null, null));
        return Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build();
    }

    /** A valid token without a role this operation admits (or a customer scope that excludes it). */
    @ServerExceptionMapper(io.quarkus.security.ForbiddenException.class)
    public Response forbidden(io.quarkus.security.ForbiddenException e, UriInfo uri) {
        return respond(new Problem(Problem.TYPE_PREFIX + "forbidden", "Not allowed", 403,
                "The token's roles do not include one this operation admits", path(uri),
                TraceContexts.currentTraceId(), null, null));
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(fieldOf(v), codeOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field))
                .toList();
        String detail = errors.stream().map(fe -> fe.field() + " " + fe.message()).collect(Collectors.joining("; "));
        return respond(new Problem(Problem.TYPE_PREFIX + "validation", "Invalid request", 400, detail, path(uri),
                TraceContexts.currentTraceId(), errors, null));
    }

    /** Quarkus maps its own subclass with a built-in mapper; this one keeps our format. */
    @ServerExceptionMapper
    public Response invalidRequest(ResteasyReactiveViolationException e, UriInfo uri) {
        return invalid(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException e, UriInfo uri) {
        return respond(malformed(e, uri));
    }

    /** Registered at this type because quarkus-rest-jackson has a built-in mapper for it. */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e, UriInfo uri) {
        return respond(malformed(e, uri));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException e, UriInfo uri) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return respond(malformed(json, uri));
        }
        int status = e.getResponse().getStatus();
        String reason = Response.Status.fromStatusCode(status) == null ? "HTTP " + status
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        if (status >= 500) {
            LOG.errorf(e, "Request %s failed with %d", path(uri), status);
        }
        return respond(new Problem(Problem.TYPE_PREFIX + "http-" + status, reason, status,
                status >= 500 ? "The request could not be completed" : e.getMessage(), path(uri),
                TraceContexts.currentTraceId(), null, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, UriInfo uri) {
        if (com.logisync.runtime.messaging.TransientFailures.isTransient(e)) {
            // The database is away, or a lock wait or deadlock lost: nothing was changed, the same call will work.
            LOG.warnf("Request %s failed for a passing reason, answered 503: %s", path(uri), e.toString());
            return Response.status(503).header("Retry-After", "1").type(Problem.MEDIA_TYPE)
                    .entity(new Problem(Problem.TYPE_PREFIX + "temporarily-unavailable", "Service Unavailable", 503,
                            "A passing failure (the database away, a lock lost); nothing was changed: send the same"
                                    + " request again", path(uri), TraceContexts.currentTraceId(), null, null)).build();
        }
        LOG.errorf(e, "Unexpected failure on %s", path(uri));
        return respond(new Problem(Problem.TYPE_PREFIX + "internal-error", "Internal error", 500,
                "The request could not be completed; quote the trace id when reporting it", path(uri),
                TraceContexts.currentTraceId(), null, null));
    }

    /** The violations as field errors, sorted by field: for endpoints that validate items one by one. */
    public static List<Problem.FieldError> fieldErrors(java.util.Set<? extends ConstraintViolation<?>> violations) {
        return violations.stream().map(v -> new Problem.FieldError(fieldOf(v), codeOf(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field)).toList();
    }

    /** What is wrong with a JSON document, as one field error (JSON path, code, message). */
    public static Problem.FieldError fieldError(JsonProcessingException e) {
        Problem p = malformed(e, null);
        return p.errors() == null || p.errors().isEmpty()
                ? new Problem.FieldError("$", "unreadable", p.detail()) : p.errors().get(0);
    }

    /** Whether the failure is the document's syntax (the whole body unreadable), not a value bound to the wrong type. */
    public static boolean isSyntaxError(JsonProcessingException e) {
        return syntaxError(e) != null;
    }

    private static Problem malformed(JsonProcessingException e, UriInfo uri) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String detail;
        StreamReadException syntax = syntaxError(e);
        if (syntax != null) {
            detail = "The body is not valid JSON" + at(syntax) + ": " + syntax.getOriginalMessage();
            errors.add(new Problem.FieldError("$", "malformed-json", syntax.getOriginalMessage()));
        } else if (e instanceof JsonMappingException m) {
            String field = jsonPath(m);
            String code = m instanceof UnrecognizedPropertyException ? "unknown-field"
                    : m instanceof InvalidFormatException ? "invalid-format"
                    : m instanceof MismatchedInputException ? "wrong-type" : "unmappable";
            String message = m instanceof InvalidFormatException f
                    ? "value " + quote(f.getValue()) + " is not a valid " + f.getTargetType().getSimpleName()
                    : m instanceof MismatchedInputException mi && mi.getTargetType() != null
                            ? "expected " + mi.getTargetType().getSimpleName()
                            : m.getOriginalMessage();
            detail = "Field " + field + ": " + message;
            errors.add(new Problem.FieldError(field, code, message));
        } else {
            detail = "The body could not be read" + at(e);
        }
        return new Problem(Problem.TYPE_PREFIX + "malformed-request", "Malformed request", 400, detail, path(uri),
                TraceContexts.currentTraceId(), errors, null);
    }

    /** Jackson wraps a syntax error met while binding into a mapping exception; find it. */
    private static StreamReadException syntaxError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamReadException sre && !(t instanceof MismatchedInputException)) {
                return sre;
            }
        }
        return null;
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String quote(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** A JSON path such as {@code $.stops[1].window.start}. */
    private static String jsonPath(JsonMappingException e) {
        StringBuilder sb = new StringBuilder("$");
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('.').append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /**
     * The property path without the resource method and body parameter names ({@code stops[1].zoneId}),
     * or the parameter's own name for a query or path parameter ({@code size}).
     */
    private static String fieldOf(ConstraintViolation<?> v) {
        StringBuilder sb = new StringBuilder();
        String parameter = null;
        for (Path.Node node : v.getPropertyPath()) {
            if (node.getKind() == ElementKind.PARAMETER) {
                parameter = node.getName();
                continue;
            }
            if (node.getKind() == ElementKind.METHOD) {
                continue;
            }
            if (node.getName() == null) {
                continue;
            }
            if (node.isInIterable() && sb.length() > 0 && node.getIndex() != null) {
                sb.append('[').append(node.getIndex()).append(']');
            }
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(node.getName());
        }
        if (sb.length() > 0) {
            return sb.toString();
        }
        return parameter != null ? parameter : "body";
    }

    private static String codeOf(ConstraintViolation<?> v) {
        String annotation = v.getConstraintDescriptor().getAnnotation().annotationType().getSimpleName();
        return switch (annotation) {
            case "NotNull", "NotBlank", "NotEmpty", "Timed" -> "required";
            default -> annotation.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase();
        };
    }

    private static String path(UriInfo uri) {
        return uri == null ? null : uri.getPath();
    }

    private static Response respond(Problem p) {
        return Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(p).build();
    }
}
