package com.logisync.milestone.edi;

import com.logisync.contracts.security.Roles;
import com.logisync.milestone.partner.PartnerProfiles;
import com.logisync.milestone.partner.PartnerProfilesConfig;
import com.logisync.milestone.ratelimit.PartnerRateLimits;
import com.logisync.milestone.repository.X12InterchangeLog;
import com.logisync.milestone.rest.MilestoneAccepted;
import com.logisync.milestone.rest.MilestoneRequest;
import com.logisync.milestone.service.BatchIngestion;
import com.logisync.milestone.service.LocationZones;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import com.logisync.milestone.config.EdiConfig;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * X12 214 shipment status interchanges from carriers and EDI networks. The sender is the partner of
 * the caller's token: the interchange's ISA05/ISA06 and every GS02 must be that partner's ids in its
 * trading-partner profile, and ISA08/GS03 LogiSync's own. The answer is a 997 (4010) or 999 (5010)
 * in X12 syntax for a client that accepts {@code application/edi-x12}, with a TA1 when ISA14 asks
 * for one or the envelope is broken; JSON otherwise.
 */
@RolesAllowed({Roles.CARRIER})
@Path("/api/v1/edi/x12")
@Tag(name = "EDI", description = "X12 214 shipment status")
public class X12Resource {

    private static final Logger LOG = Logger.getLogger(X12Resource.class);
    public static final String X12 = "application/edi-x12";

    /** Holds ingestion back while publication is behind (admission control). */
    private final com.logisync.runtime.outbox.OutboxBacklog backlog;
    private final BatchIngestion ingestion;
    private final PartnerRateLimits limits;
    private final SecurityIdentity identity;
    private final PartnerProfiles partners;
    private final LocationZones zones;
    private final X12InterchangeLog log;
    private final X12FunctionalAck.Receiver self;

    public X12Resource(BatchIngestion ingestion, PartnerRateLimits limits, SecurityIdentity identity,
            PartnerProfiles partners, LocationZones zones, X12InterchangeLog log, EdiConfig edi,
            com.logisync.runtime.outbox.OutboxBacklog backlog) {
        this.backlog = backlog;
        this.ingestion = ingestion;
        this.limits = limits;
        this.identity = identity;
        this.partners = partners;
        this.zones = zones;
        this.log = log;
        this.self = new X12FunctionalAck.Receiver(edi.receiverQualifier(), edi.receiverId());
    }

    @RequestBody(required = true, content = @Content(mediaType = X12, examples = @ExampleObject(name = "one 214 with a delivery",
            value = "ISA*00*          *00*          *ZZ*SWFT           *ZZ*LOGISYNC       *270111*1542*U*00401*000000101*0*P*>~GS*QM*SWFT*LOGISYNC*20270111*1542*101*X*004010~ST*214*0001~B10*PRO-55123*BOL-1001*SWFT~LX*1~AT7*D1*NS***20270111*1542*LT~MS1*HOUSTON*TX~K1*SIGNED BY J DOE~SE*7*0001~GE*1*101~IEA*1*000000101~")))
    @POST
    @Consumes({ X12, MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM })
    @Produces({ MediaType.APPLICATION_JSON, X12 })
    @org.eclipse.microprofile.openapi.annotations.extensions.Extension(name = "x-problem-types", value = "x12-rejected,x12-receiver,partner-unknown,channel-not-allowed,x12-profile-missing,x12-test-not-allowed,x12-control-number-reused,rate-limited,backlog-full")
    @Operation(operationId = "receiveX12Interchange", summary = "Receive an X12 214 interchange",
            description = "Separators are taken from ISA. The sender (ISA05/ISA06, every GS02) must belong to the"
                    + " trading-partner profile of the caller's token, the receiver (ISA08, GS03) must be LogiSync."
                    + " Every AT7 status becomes a canonical milestone; a re-sent status (even in a new interchange)"
                    + " is a DUPLICATE; an unknown status is reported without losing the valid ones beside it."
                    + " Each transaction is acknowledged: accepted, accepted with errors, or rejected with its"
                    + " reasons. With Accept: application/edi-x12 the answer is a 997 (4010) or 999 (5010), with a TA1"
                    + " when ISA14 is 1 or the envelope is broken. A test interchange (ISA15 T) is acknowledged and"
                    + " never used. An ISA13 sent again with the same content is answered again (duplicate); with"
                    + " other content it is refused.")
    @APIResponse(responseCode = "200", description = "One acknowledgement per transaction",
            content = { @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = X12Acknowledgement.class)),
                    @Content(mediaType = X12, schema = @Schema(type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING,
                            description = "A 997 or 999 interchange, with a TA1 when ISA14 asks for one")) })
    @APIResponse(responseCode = "429", description = "The partner is over its request rate; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "Publication is behind and did not catch up within the longest"
            + " wait (admission control): nothing was taken; Retry-After says when to send again",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Unreadable interchange, broken envelope or wrong receiver; every"
            + " reason is listed (a TA1 in X12 syntax for a client that accepts it)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "403", description = "The interchange's sender is not the caller's partner, the partner"
            + " may not send X12, or it may not send test interchanges",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "409", description = "The ISA13 control number was already used by this sender for"
            + " other content",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> receive(@HeaderParam(HttpHeaders.ACCEPT) String accept, String body) {
        String partner = partners.requireChannel(identity, PartnerProfilesConfig.Channel.X12);
        PartnerProfiles.PartnerProfile profile = partners.find(partner).orElseThrow();
        if (profile.x12() == null) {
            throw forbidden("x12-profile-missing", "Partner " + partner + " has no X12 ids in its trading-partner profile",
                    partner);
        }
        limits.acquire(partner);
        boolean x12Answer = accept != null && accept.contains(X12);
        X12Interchange interchange;
        try {
            interchange = X12Reader.read(body);
        } catch (X12Rejected e) {
            X12Interchange.Header header = X12Reader.rawHeader(body);
            if (header != null) {
                checkSender(partner, profile, header, List.of());
            }
            LOG.warnf("Rejected an X12 interchange from %s: %s", partner, e.getMessage());
            if (x12Answer && header != null) {
                return answerTa1(partner, header, "R", "024", body);
            }
            throw new ProblemException(400, "x12-rejected", "Interchange rejected",
                    "The interchange was rejected whole: " + e.getMessage(),
                    e.reasons().stream().map(r -> new Problem.FieldError("interchange", "x12-envelope", r)).toList(),
                    null);
        }
        X12Interchange.Header header = interchange.header();
        checkSender(partner, profile, header, interchange.groups());
        List<String> receiverErrors = receiverErrors(interchange);
        if (!receiverErrors.isEmpty()) {
            if (x12Answer) {
                return answerTa1(partner, header, "R", "008", body);
            }
            throw new ProblemException(400, "x12-receiver", "Interchange not addressed to LogiSync",
                    String.join("; ", receiverErrors), receiverErrors.stream()
                            .map(r -> new Problem.FieldError("interchange", "x12-receiver", r)).toList(), null);
        }
        if (header.test() && !profile.x12().allowTest()) {
            throw forbidden("x12-test-not-allowed", "Partner " + partner + " may not send test interchanges (ISA15 T)",
                    partner);
        }
        String sha = sha256(body);
        return backlog.admit().chain(() -> Panache.withSession(() -> log.find(header.senderId(), header.controlNumber()))).chain(previous -> {
            if (previous != null && !previous.contentSha256().equals(sha)) {
                LOG.warnf("Refused interchange %s from %s: control number already used for other content",
                        header.controlNumber(), partner);
                if (x12Answer) {
                    return answerTa1(partner, header, "R", "025", body);
                }
                throw ProblemException.conflict("x12-control-number-reused", "Interchange control number "
                        + header.controlNumber() + " was already used by sender " + header.senderId()
                        + " for other content; every interchange needs its own ISA13",
                        Map.of("interchangeControlNumber", header.controlNumber()));
            }
            return process(partner, profile, interchange, previous != null, sha, x12Answer);
        });
    }

    /** One transaction's place in the answer. */
    private record Planned(X12Interchange.Group group, X12Interchange.Transaction tx, X12Status214.Result result,
            int from) {
    }

    private Uni<Response> process(String partner, PartnerProfiles.PartnerProfile profile, X12Interchange interchange,
            boolean duplicate, String sha, boolean x12Answer) {
        X12Interchange.Header header = interchange.header();
        X12Status214.Context context = new X12Status214.Context(partner, profile, zones);
        List<Planned> planned = new ArrayList<>();
        List<MilestoneRequest> milestones = new ArrayList<>();
        List<X12FunctionalAck.GroupOutcome> groups = new ArrayList<>();
        for (X12Interchange.Group group : interchange.groups()) {
            if (!"QM".equals(group.functionalId())) {
                // A group of another kind is not ours to read: refused whole (AK9 code 1, not supported).
                groups.add(new X12FunctionalAck.GroupOutcome(group.functionalId(), group.controlNumber(), group.version(),
                        group.is5010(), "1", List.of()));
                continue;
            }
            for (X12Interchange.Transaction tx : group.transactions()) {
                X12Status214.Result result = X12Status214.map(context, tx);
                planned.add(new Planned(group, tx, result, milestones.size()));
                if (!header.test()) {
                    milestones.addAll(result.milestones());
                }
            }
        }
        Instant now = Instant.now();
        return ingestion.ingest(milestones)
                .chain(outcomes -> Panache.withTransaction(() -> log.nextAckControl(partner).call(ack ->
                        log.remember(partner, header.senderId(), header.controlNumber(), sha, header.test(), ack, now)))
                        .map(ack -> answer(partner, interchange, planned, groups, outcomes, ack, duplicate, x12Answer, now)));
    }

    private Response answer(String partner, X12Interchange interchange, List<Planned> planned,
            List<X12FunctionalAck.GroupOutcome> refusedGroups, List<MilestoneAccepted> outcomes, String ack,
            boolean duplicate, boolean x12Answer, Instant now) {
        X12Interchange.Header header = interchange.header();
        List<X12Acknowledgement.TransactionAck> json = new ArrayList<>();
        List<X12FunctionalAck.GroupOutcome> groups = new ArrayList<>(refusedGroups);
        int accepted = 0;
        for (X12Interchange.Group group : interchange.groups()) {
            List<X12FunctionalAck.TransactionOutcome> txs = new ArrayList<>();
            for (Planned p : planned) {
                if (p.group() != group) {
                    continue;
                }
                X12Status214.Result r = p.result();
                X12Acknowledgement.Status status = r.isRejected() ? X12Acknowledgement.Status.REJECTED
                        : r.errors().isEmpty() ? X12Acknowledgement.Status.ACCEPTED
                        : X12Acknowledgement.Status.ACCEPTED_WITH_ERRORS;
                accepted += r.isRejected() ? 0 : 1;
                List<MilestoneAccepted> mine = header.test() ? List.of()
                        : outcomes.subList(p.from(), p.from() + r.milestones().size());
                json.add(new X12Acknowledgement.TransactionAck(group.controlNumber(), p.tx().controlNumber(), status,
                        r.messages(), List.copyOf(mine)));
                txs.add(new X12FunctionalAck.TransactionOutcome(p.tx().type(), p.tx().controlNumber(),
                        switch (status) {
                            case ACCEPTED -> "A";
                            case ACCEPTED_WITH_ERRORS -> "E";
                            case REJECTED -> "R";
                        }, r.rejectCode(), r.errors()));
            }
            if ("QM".equals(group.functionalId())) {
                groups.add(new X12FunctionalAck.GroupOutcome(group.functionalId(), group.controlNumber(),
                        group.version(), group.is5010(), null, txs));
            } else {
                // Refused whole (AK9 code 1 in X12): the JSON answer names each of its transactions too.
                for (X12Interchange.Transaction tx : group.transactions()) {
                    json.add(new X12Acknowledgement.TransactionAck(group.controlNumber(), tx.controlNumber(),
                            X12Acknowledgement.Status.REJECTED, List.of("GS01 '" + group.functionalId()
                                    + "' is not QM: only shipment status (214) groups are read"), List.of()));
                }
            }
        }
        LOG.infof("X12 interchange %s from %s%s: %d transaction(s) accepted, %d rejected, %d status(es)%s",
                header.controlNumber(), partner, header.test() ? " (test)" : "", accepted, json.size() - accepted,
                outcomes.size(), duplicate ? ", a repeat of an interchange already received" : "");
        if (x12Answer) {
            String text = X12FunctionalAck.write(header, self, ack, LocalDateTime.ofInstant(now, ZoneOffset.UTC),
                    interchange.elementSeparator(), header.componentSeparator(), interchange.segmentTerminator(),
                    "A", header.ackRequested() ? "000" : null, groups);
            return Response.ok(text, X12).build();
        }
        return Response.ok(new X12Acknowledgement(partner, header.senderId(), header.controlNumber(), accepted,
                json.size() - accepted, header.test() ? Boolean.TRUE : null, duplicate ? Boolean.TRUE : null, ack, json),
                MediaType.APPLICATION_JSON).build();
    }

    /** A TA1 alone: the interchange was refused before any group was read. */
    private Uni<Response> answerTa1(String partner, X12Interchange.Header header, String status, String note, String body) {
        return Panache.withTransaction(() -> log.nextAckControl(partner)).map(ack -> {
            char e = body.stripLeading().charAt(3);
            char s = segmentTerminator(body);
            String text = X12FunctionalAck.write(header, self, ack, LocalDateTime.now(ZoneOffset.UTC), e,
                    header.componentSeparator(), s, status, note, List.of());
            return Response.status(400).type(X12).entity(text).build();
        });
    }

    private static char segmentTerminator(String body) {
        String t = body.stripLeading();
        return t.length() > 105 ? t.charAt(105) : '~';
    }

    /** The interchange and every group must come from the caller's own partner ids: nothing is used otherwise. */
    private static void checkSender(String partner, PartnerProfiles.PartnerProfile profile, X12Interchange.Header header,
            List<X12Interchange.Group> groups) {
        PartnerProfiles.PartnerProfile.X12 x12 = profile.x12();
        List<String> wrong = new ArrayList<>();
        if (!x12.id().equals(header.senderId()) || !x12.qualifier().equals(header.senderQualifier())) {
            wrong.add("ISA05/ISA06 " + header.senderQualifier() + "/" + header.senderId() + " is not partner " + partner
                    + "'s " + x12.qualifier() + "/" + x12.id());
        }
        for (X12Interchange.Group g : groups) {
            if (g.senderCode() == null || !x12.gsIds().contains(g.senderCode())) {
                wrong.add("GS02 " + g.senderCode() + " of group " + g.controlNumber() + " is not one of partner " + partner
                        + "'s " + x12.gsIds());
            }
        }
        if (!wrong.isEmpty()) {
            LOG.warnf("Refused an X12 interchange: the token speaks for %s, %s", partner, wrong);
            throw PartnerProfiles.mismatch(partner, List.of(String.valueOf(header.senderId())), "The token speaks for partner "
                    + partner + "; " + String.join("; ", wrong) + ". Nothing of the interchange was used.",
                    wrong.stream().map(w -> new Problem.FieldError("interchange", "partner-mismatch", w)).toList());
        }
    }

    private List<String> receiverErrors(X12Interchange interchange) {
        List<String> errors = new ArrayList<>();
        X12Interchange.Header h = interchange.header();
        if (!self.id().equals(h.receiverId()) || !self.qualifier().equals(h.receiverQualifier())) {
            errors.add("ISA07/ISA08 " + h.receiverQualifier() + "/" + h.receiverId() + " is not LogiSync's "
                    + self.qualifier() + "/" + self.id());
        }
        for (X12Interchange.Group g : interchange.groups()) {
            if (!self.id().equals(g.receiverCode())) {
                errors.add("GS03 " + g.receiverCode() + " of group " + g.controlNumber() + " is not LogiSync's " + self.id());
            }
        }
        return errors;
    }

    private static ProblemException forbidden(String slug, String detail, String partner) {
        return new ProblemException(403, slug, "Forbidden", detail, null, Map.of("partnerId", partner));
    }

    private static String sha256(String body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(body.strip().getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
