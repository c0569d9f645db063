package com.logisync.serviceview.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.repository.SessionSql;
import com.logisync.runtime.rest.Paging;
import com.logisync.runtime.rest.Problem;
import com.logisync.serviceview.notify.CustomerEvent;
import com.logisync.serviceview.notify.CustomerEventFeed;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The track-and-trace events API: every customer event in the order LogiSync recorded it, paged by an
 * opaque cursor that is stable under concurrent writes. Rows are read in (transaction id, sequence)
 * order and only below the oldest transaction still running in the database, so a row whose transaction
 * commits after a later one is never skipped by a client that paged past the later one, and a row is
 * never returned twice.
 */
@RolesAllowed({Roles.SERVICE_AGENT, Roles.OPS, Roles.ERP})
@Path("/api/v1/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Events", description = "Track and trace, in the shape of the DCSA Track & Trace standard where it fits")
public class EventResource {

    /** One page of events; poll again later with {@code resumeCursor} for what came since. */
    @Schema(name = "EventPage")
    public record EventPage(List<CustomerEvent> items,
            @Schema(description = "The next page's cursor; absent on the last page") String nextCursor,
            @Schema(description = "Where to poll from for events recorded later: the position after this page's last"
                    + " item (or the cursor given, on an empty page); always present") String resumeCursor) {
    }

    private final CustomerScope scope;

    public EventResource(CustomerScope scope) {
        this.scope = scope;
    }

    private static final String PAGE = "select feed_xid::text, feed_seq, payload, event_id, event_type, shipment_id,"
            + " customer_id from customer_event"
            + " where ($1::text is null or customer_id = $1) and ($2::text[] is null or event_type = any($2::text[]))"
            + " and (feed_xid, feed_seq) > ($3::xid8, $4::bigint) and feed_xid < pg_snapshot_xmin(pg_current_snapshot())"
            + " order by feed_xid, feed_seq limit $5";

    @GET
    @Extension(name = "x-problem-types", value = "customer-scope,customer-claim-invalid")
    @Operation(operationId = "listEvents", summary = "Shipment and transport events, in the order they were recorded",
            description = "Filters: `customerId` (a portal token sees its own customer's only), `eventTypes` (comma"
                    + " separated: `shipment.delayed,shipment.delivered,invoice.issued`). The project's paging: `limit`"
                    + " (1-500, 50 by default), `cursor` from `nextCursor`; a feed reader polls again with `resumeCursor`."
                    + " An event becomes visible once every transaction that began before it has ended (well under a"
                    + " second): a page never skips an event that commits late, nor repeats one.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = EventPage.class)))
    @APIResponse(responseCode = "400", description = "An unknown event type, a limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> list(@QueryParam("customerId") String customerId,
            @QueryParam("eventTypes") @Schema(example = "shipment.delayed,shipment.delivered") String eventTypes,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        if (customerId != null) {
            scope.require(customerId);
        }
        String customer = scope.customer().orElse(customerId);
        String[] types = null;
        if (eventTypes != null && !eventTypes.isBlank()) {
            types = Arrays.stream(eventTypes.split(",")).map(String::trim).filter(t -> !t.isEmpty()).distinct()
                    .toArray(String[]::new);
            List<String> unknown = Arrays.stream(types).filter(t -> !CustomerEventFeed.TYPES.contains(t)).toList();
            if (!unknown.isEmpty()) {
                throw Paging.invalid("eventTypes", "names unknown types " + unknown + "; known: "
                        + String.join(", ", CustomerEventFeed.TYPES));
            }
        }
        int n = Paging.limit(limit);
        String position = Paging.after(cursor, "0:0");
        int colon = position.indexOf(':');
        String xid;
        long seq;
        try {
            xid = position.substring(0, colon);
            seq = Long.parseLong(position.substring(colon + 1));
            if (!xid.chars().allMatch(Character::isDigit) || xid.isEmpty()) {
                throw new NumberFormatException(xid);
            }
        } catch (RuntimeException e) {
            throw Paging.invalid("cursor", "is not a cursor this API gave");
        }
        String[] selected = types;
        String given = cursor;
        return Panache.withSession(() -> SessionSql.select(PAGE, customer, selected, xid, seq, n + 1)).map(rows -> {
            List<Object[]> page = rows.size() > n ? rows.subList(0, n) : rows;
            StringBuilder json = new StringBuilder(256 + page.size() * 700).append("{\"items\":[");
            List<String> items = new ArrayList<>(page.size());
            for (Object[] r : page) {
                items.add(CustomerEventFeed.json((String) r[2], (String) r[3], (String) r[4], (String) r[5], (String) r[6]));
            }
            json.append(String.join(",", items)).append(']');
            String resume = page.isEmpty() ? (given != null ? given : Paging.cursor("0:0"))
                    : Paging.cursor(page.get(page.size() - 1)[0] + ":" + page.get(page.size() - 1)[1]);
            if (rows.size() > n) {
                json.append(",\"nextCursor\":\"").append(resume).append('"');
            }
            json.append(",\"resumeCursor\":\"").append(resume).append("\"}");
            return Response.ok(json.toString(), MediaType.APPLICATION_JSON).build();
        });
    }
}
