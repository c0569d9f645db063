package com.logisync.serviceview.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Map;
import java.util.Optional;

/**
 * The customer a caller is limited to. A customer-portal user's token carries a {@code customer}
 * claim: it sees that customer's shipments and tasks only, in every query and lookup; another
 * customer's shipment is answered as if it did not exist. Agents' tokens carry no such claim.
 */
@RequestScoped
public class CustomerScope {

    private final SecurityIdentity identity;

    public CustomerScope(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The customer the token is limited to, if any. */
    public Optional<String> customer() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(Roles.CUSTOMER_CLAIM);
            String value = claim instanceof jakarta.json.JsonString s ? s.getString()
                    : claim == null ? null : claim.toString();
            return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
        }
        return Optional.empty();
    }

    /** Whether the caller may see this customer's data. */
    public boolean allows(String customerId) {
        return customer().map(c -> c.equals(customerId)).orElse(true);
    }

    /** 403 when the token is limited to another customer than the one asked for. */
    public void require(String customerId) {
        customer().filter(c -> !c.equals(customerId)).ifPresent(c -> {
            throw new ProblemException(403, "customer-scope", "Not allowed",
                    "This token is limited to customer " + c, null, Map.of("customerId", c));
        });
    }

    /** 403 for a customer-portal token: the operation is for agents only. */
    public void requireAgent() {
        customer().ifPresent(c -> {
            throw new ProblemException(403, "customer-scope", "Not allowed",
                    "Customer-portal tokens may read, not change, service tasks", null, Map.of("customerId", c));
        });
    }
}
