package com.logisync.milestone.edi;

import com.logisync.contracts.security.Roles;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.milestone.service.BatchIngestion;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;

/** X12 214 shipment status interchanges from carriers and EDI networks. */
@jakarta.annotation.security.RolesAllowed({Roles.CARRIER})
@Path("/api/v1/edi/x12")
@Tag(name = "EDI", description = "X12 214 shipment status")
public class X12Resource {

    private static final Logger LOG = Logger.getLogger(X12Resource.class);

    private final BatchIngestion ingestion;
    private final com.logisync.milestone.ratelimit.PartnerRateLimits limits;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public X12Resource(BatchIngestion ingestion, com.logisync.milestone.ratelimit.PartnerRateLimits limits,
            io.quarkus.security.identity.SecurityIdentity identity) {
        this.limits = limits;
        this.identity = identity;
        this.ingestion = ingestion;
    }

    @org.eclipse.microprofile.openapi.annotations.parameters.RequestBody(required = true, content = @org.eclipse.microprofile.openapi.annotations.media.Content(
            mediaType = "application/edi-x12", 
            examples = @org.eclipse.microprofile.openapi.annotations.media.ExampleObject(name = "one 214 with a delivery",
                    value = "ISA*00*          *00*          *02*SWFT           *ZZ*LOGISYNC       *270111*1542*U*00401*000000101*0*P*>~GS*QM*SWFT*LOGISYNC*20270111*1542*101*X*004010~ST*214*0001~B10*PRO-55123*BOL-1001*SWFT~LX*1~AT7*D1*NS***20270111*1542*LT~MS1*HOUSTON*TX~SE*6*0001~GE*1*101~IEA*1*000000101~")))
    @POST
    @Consumes({ "application/edi-x12", MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive an X12 214 interchange",
            description = "Separators are taken from ISA. Every AT7 status becomes a canonical milestone; a re-sent"
                    + " status (even in a new interchange) is a DUPLICATE. Each transaction is acknowledged: accepted,"
                    + " or rejected with its reasons and none of its statuses used. A broken interchange or group"
                    + " envelope rejects the whole interchange (400) and nothing of it is published.")
    @APIResponse(responseCode = "200", description = "One acknowledgement per transaction",
            content = @Content(schema = @Schema(implementation = X12Acknowledgement.class)))
    @APIResponse(responseCode = "429", description = "The partner is over its request rate; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Unreadable interchange or broken envelope; every reason is listed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<X12Acknowledgement> receive(String body) {
        limits.acquire(identity);
        X12Interchange interchange;
        try {
            interchange = X12Reader.read(body);
        } catch (X12Rejected e) {
            LOG.warnf("Rejected an X12 interchange: %s", e.getMessage());
            throw new ProblemException(400, "x12-rejected", "Interchange rejected",
                    "The interchange was rejected whole: " + e.getMessage(),
                    e.reasons().stream().map(r -> new Problem.FieldError("interchange", "x12-envelope", r)).toList(),
                    null);
        }
        String partner = interchange.senderId();
        List<Object[]> acks = new ArrayList<>();
        List<MilestoneRequest> accepted = new ArrayList<>();
        for (X12Interchange.Group group : interchange.groups()) {
            for (X12Interchange.Transaction tx : group.transactions()) {
                X12Status214.Result result = X12Status214.map(partner, tx);
                acks.add(new Object[] { group, tx, result, accepted.size() });
                accepted.addAll(result.milestones());
            }
        }
        return ingestion.ingest(accepted).map(outcomes -> {
            List<X12Acknowledgement.TransactionAck> out = new ArrayList<>();
            int ok = 0;
            for (Object[] a : acks) {
                X12Interchange.Group group = (X12Interchange.Group) a[0];
                X12Interchange.Transaction tx = (X12Interchange.Transaction) a[1];
                X12Status214.Result result = (X12Status214.Result) a[2];
                int from = (Integer) a[3];
                boolean rejected = !result.errors().isEmpty();
                ok += rejected ? 0 : 1;
                List<MilestoneAccepted> mine = outcomes.subList(from, from + result.milestones().size());
                out.add(new X12Acknowledgement.TransactionAck(group.controlNumber(), tx.controlNumber(),
                        rejected ? X12Acknowledgement.Status.REJECTED : X12Acknowledgement.Status.ACCEPTED,
                        result.errors(), List.copyOf(mine)));
            }
            LOG.infof("X12 interchange %s from %s: %d transaction(s) accepted, %d rejected, %d status(es)",
                    interchange.controlNumber(), partner, ok, out.size() - ok, outcomes.size());
            return new X12Acknowledgement(partner, interchange.controlNumber(), ok, out.size() - ok, out);
        });
    }
}
