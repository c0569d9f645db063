package com.logisync.runtime.security;

import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.tracing.TraceContexts;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;

/**
 * An anonymous call to an API is answered 401 before anything else is looked at: without this, the
 * router would first answer a wrong content type (415) or an unknown path (404), telling a stranger
 * what the API accepts. Paths authenticated otherwise (partner webhooks, by HMAC) are listed in
 * {@code logisync.security.anonymous-paths}.
 */
public class AnonymousFirst {

    private final List<String> anonymousPaths;
    private final CurrentIdentityAssociation identities;

    public AnonymousFirst(@ConfigProperty(name = "logisync.security.anonymous-paths", defaultValue = "/api/v1/webhooks/")
            List<String> anonymousPaths, CurrentIdentityAssociation identities) {
        this.anonymousPaths = anonymousPaths;
        this.identities = identities;
    }

    /** Authenticates (a bad token fails here, as 401) and refuses the anonymous; the rest goes on as usual. */
    @ServerRequestFilter(preMatching = true)
    public Uni<Response> refuseAnonymous(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return null;
        }
        for (String open : anonymousPaths) {
            if (path.startsWith(open)) {
                return null;
            }
        }
        return identities.getDeferredIdentity().map(identity -> identity.isAnonymous() ? unauthenticated(path) : null);
    }

    private static Response unauthenticated(String path) {
        return Response.status(401).type(Problem.MEDIA_TYPE).header("WWW-Authenticate", "Bearer")
                .entity(new Problem(Problem.TYPE_PREFIX + "unauthenticated", "Authentication required", 401,
                        "This API needs a valid bearer token (JWT) from LogiSync's identity provider", path,
                        TraceContexts.currentTraceId(), null, null))
                .build();
    }
}
