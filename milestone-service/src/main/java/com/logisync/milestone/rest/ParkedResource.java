package com.logisync.milestone.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.contracts.security.Roles;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.rest.Paging;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Reports milestone-service keeps waiting: for their order (UNMATCHED), or for ops (AMBIGUOUS). */
@RolesAllowed({Roles.OPS})
@Path("/api/v1/ops/milestones/parked")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Operations", description = "What milestone-service keeps waiting")
public class ParkedResource {

    /** One parked report: what it carried, and for an ambiguous one the shipments its keys name. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ParkedReport(String eventId, String status, String partnerId, List<String> keys,
            List<String> candidates, Instant receivedAt) {
    }

    public record ParkedPage(List<ParkedReport> items, String nextCursor) {
    }

    private static final String PAGE = "select event_id, status, partner_id, ref_keys, candidates, received_at"
            + " from parked_milestone where status = $1 and (received_at, event_id) > ($2, $3)"
            + " order by received_at, event_id limit $4";

    @GET
    @Operation(operationId = "listParkedReports", summary = "List parked reports",
            description = "AMBIGUOUS: the report's keys name several shipments (a PO split over loads), so it was"
                    + " attached to none; the candidates are listed. UNMATCHED: no shipment with its keys is known yet;"
                    + " it is recorded when the order arrives. EXPIRED: UNMATCHED longer than logisync.parking.expire-after"
                    + " (14 days); never released to a later order. Oldest first, paged with limit and cursor.")
    @APIResponse(responseCode = "200", description = "A page of parked reports")
    @APIResponse(responseCode = "400", description = "Unknown status, a limit outside 1-500 or a cursor not given by this API")
    public Uni<ParkedPage> list(
            @QueryParam("status") @DefaultValue("AMBIGUOUS") @Schema(enumeration = {"AMBIGUOUS", "UNMATCHED", "EXPIRED"}) String status,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("cursor") String cursor) {
        if (!List.of("AMBIGUOUS", "UNMATCHED", "EXPIRED").contains(status)) {
            throw Paging.invalid("status", "must be AMBIGUOUS, UNMATCHED or EXPIRED");
        }
        Paging.limit(limit);
        Instant after;
        String afterId;
        try {
            String[] parts = Paging.after(cursor, Instant.EPOCH + "|").split("\\|", 2);
            after = Instant.parse(parts[0]);
            afterId = parts[1];
        } catch (RuntimeException e) {
            throw Paging.invalid("cursor", "is not a cursor this API gave");
        }
        Instant from = after;
        String fromId = afterId;
        return Panache.withSession(() -> SessionSql.select(PAGE, status, SessionSql.utc(from), fromId, limit + 1))
                .map(rows -> {
                    List<ParkedReport> items = new ArrayList<>();
                    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                        Object[] r = rows.get(i);
                        items.add(new ParkedReport((String) r[0], (String) r[1], (String) r[2],
                                List.of(((String) r[3]).split("\\|")),
                                r[4] == null ? null : List.of(((String) r[4]).split("\\|")),
                                ((OffsetDateTime) r[5]).toInstant()));
                    }
                    String next = null;
                    if (rows.size() > limit) {
                        ParkedReport last = items.get(items.size() - 1);
                        next = Paging.cursor(last.receivedAt() + "|" + last.eventId());
                    }
                    return new ParkedPage(items, next);
                });
    }

}
