package com.logisync.billing.rest;

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
import java.util.Set;

/** The billing clerks' worklist: the cases that wait for someone or something, paged. */
@RolesAllowed({Roles.BILLING_CLERK, Roles.OPS})
@Path("/api/v1/billing-cases")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Billing cases")
public class BillingWorklist {

    /** What a case waits for. */
    public enum WaitingFor {
        /** An accessorial a clerk has not decided yet. */
        PENDING_ACCESSORIALS,
        /** Delivered, without a POD that proves it. */
        POD,
        /** Not ratable until the diesel index of its fuel week is set. */
        FUEL_INDEX,
        /** ERP refused its invoice: a clerk fixes the cause and re-invoices. */
        INVOICE_FAILED
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CaseSummary(String shipmentId, String orderId, String customerId, String status,
            List<WaitingFor> waitingFor, Instant deliveredAt, String invoiceError, Instant updatedAt) {
    }

    public record CasePage(List<CaseSummary> items, String nextCursor) {
    }

    private static final String PAGE = "select c.shipment_id, c.order_id, c.customer_id, c.status, c.delivered_at,"
            + " c.pod_signed_by, c.invoice_error, c.updated_at,"
            + " exists (select 1 from billing_accessorial a where a.shipment_id = c.shipment_id and a.status = 'PENDING')"
            + " from billing_case c where ($1::text is null or c.status = $1) and c.shipment_id > $2 and ("
            + " $3::text is null"
            + " or $3 = 'PENDING_ACCESSORIALS' and exists (select 1 from billing_accessorial a"
            + "     where a.shipment_id = c.shipment_id and a.status = 'PENDING')"
            + " or $3 = 'POD' and c.delivered_at is not null and c.pod_signed_by is null and c.status <> 'CANCELLED'"
            + " or $3 = 'FUEL_INDEX' and c.invoice_error like '%fuel-index%'"
            + " or $3 = 'INVOICE_FAILED' and c.status = 'INVOICE_FAILED')"
            + " order by c.shipment_id limit $4";

    private static final Set<String> STATUSES = Set.of("OPEN", "ELIGIBLE", "INVOICE_REQUESTED", "INVOICED",
            "INVOICE_FAILED", "CANCELLED");

    @GET
    @Operation(operationId = "listBillingCases", summary = "The billing worklist: cases by status and by what they wait for",
            description = "Filter by status and/or waitingFor (PENDING_ACCESSORIALS, POD, FUEL_INDEX, INVOICE_FAILED);"
                    + " every case says everything it waits for. Ordered by shipment id, so paging with limit and"
                    + " cursor neither skips nor repeats a case while cases change.")
    @APIResponse(responseCode = "200", description = "A page of cases")
    @APIResponse(responseCode = "400", description = "An unknown status or waitingFor, a limit outside 1-500, or a"
            + " cursor this API did not give")
    public Uni<CasePage> list(
            @QueryParam("status") @Schema(enumeration = {"OPEN", "ELIGIBLE", "INVOICE_REQUESTED", "INVOICED",
                    "INVOICE_FAILED", "CANCELLED"}) String status,
            @QueryParam("waitingFor") @Schema(enumeration = {"PENDING_ACCESSORIALS", "POD", "FUEL_INDEX",
                    "INVOICE_FAILED"}) String waitingFor,
            @QueryParam("limit") @DefaultValue("50") int limit, @QueryParam("cursor") String cursor) {
        if (status != null && !STATUSES.contains(status)) {
            throw Paging.invalid("status", "must be one of " + STATUSES);
        }
        Paging.limit(limit);
        String after = Paging.after(cursor, "");
        String filter = waitingFor == null ? null : waitingFor(waitingFor).name();
        return Panache.withSession(() -> SessionSql.select(PAGE, status, after, filter, limit + 1)).map(rows -> {
            List<CaseSummary> items = new ArrayList<>();
            for (int i = 0; i < Math.min(limit, rows.size()); i++) {
                Object[] r = rows.get(i);
                List<WaitingFor> waits = new ArrayList<>();
                if (Boolean.TRUE.equals(r[8])) {
                    waits.add(WaitingFor.PENDING_ACCESSORIALS);
                }
                if (r[4] != null && r[5] == null && !"CANCELLED".equals(r[3])) {
                    waits.add(WaitingFor.POD);
                }
                if (r[6] != null && ((String) r[6]).contains("fuel-index")) {
                    waits.add(WaitingFor.FUEL_INDEX);
                }
                if ("INVOICE_FAILED".equals(r[3])) {
                    waits.add(WaitingFor.INVOICE_FAILED);
                }
                items.add(new CaseSummary((String) r[0], (String) r[1], (String) r[2], (String) r[3], waits,
                        instant(r[4]), (String) r[6], instant(r[7])));
            }
            String next = rows.size() > limit ? Paging.cursor(items.get(items.size() - 1).shipmentId()) : null;
            return new CasePage(items, next);
        });
    }

    private static WaitingFor waitingFor(String value) {
        try {
            return WaitingFor.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw Paging.invalid("waitingFor", "must be one of " + List.of(WaitingFor.values()));
        }
    }

    private static Instant instant(Object value) {
        return value instanceof OffsetDateTime t ? t.toInstant() : null;
    }

}
