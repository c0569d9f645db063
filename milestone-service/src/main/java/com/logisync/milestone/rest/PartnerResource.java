package com.logisync.milestone.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.milestone.partner.PartnerProfiles;
import com.logisync.runtime.rest.ProblemException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The trading-partner profiles in force (from configuration; webhook secrets are never shown). */
@RolesAllowed({Roles.OPS})
@Path("/api/v1/partners")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Partners", description = "Trading-partner profiles")
public class PartnerResource {

    private final PartnerProfiles partners;

    public PartnerResource(PartnerProfiles partners) {
        this.partners = partners;
    }

    @GET
    @Operation(operationId = "listPartners", summary = "List the trading-partner profiles",
            description = "Per partner: the channels it may report through, its X12 ids (ISA qualifier and id, GS ids),"
                    + " whether it may send test interchanges, where its 214 carries the POD signer, the carriers it"
                    + " reports for (whose PODs count for billing), its default time zone and the longest silence"
                    + " expected from it. Webhook partners show their payload format, never their secret.")
    @APIResponse(responseCode = "200", description = "Every profile, by partner id")
    public List<PartnerProfiles.PartnerProfile> list() {
        return partners.all();
    }

    @GET
    @Path("/{partnerId}")
    @Operation(operationId = "getPartner", summary = "Read one trading-partner profile")
    @APIResponse(responseCode = "200", description = "The profile")
    @APIResponse(responseCode = "404", description = "No profile for this partner")
    public PartnerProfiles.PartnerProfile get(@PathParam("partnerId") String partnerId) {
        return partners.find(partnerId).orElseThrow(() -> ProblemException.notFound("Trading-partner profile", partnerId));
    }
}
