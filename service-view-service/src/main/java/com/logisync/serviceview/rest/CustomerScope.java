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

    /** What a customer id looks like; anything else in the claim is refused, never read as "no customer". */
    private static final java.util.regex.Pattern CUSTOMER_ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    /**
     * The customer the token is limited to, if any. Fails closed: a {@code customer} claim that is
     * present but blank, not a string or not a customer id is 403, never agent-wide visibility.
     */
    public Optional<String> customer() {
        if (identity.getPrincipal() instanceof JsonWebToken jwt && jwt.getClaimNames() != null
                && jwt.getClaimNames().contains(Roles.CUSTOMER_CLAIM)) {
            Object claim = jwt.getClaim(Roles.CUSTOMER_CLAIM);
            String value = claim instanceof jakarta.json.JsonString s ? s.getString()
                    : claim instanceof String s ? s : null;
            if (value == null || !CUSTOMER_ID.matcher(value).matches()) {
                throw new ProblemException(403, "customer-claim-invalid", "Not allowed",
                        "The token's customer claim is present but is not a customer id; the token is refused",
                        null, Map.of());
            }
            return Optional.of(value);
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
