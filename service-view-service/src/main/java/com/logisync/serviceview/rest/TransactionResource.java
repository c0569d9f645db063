package com.logisync.serviceview.rest;

import com.logisync.contracts.security.Roles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.serviceview.model.Stage;
import com.logisync.serviceview.repository.TransactionStageRepository;
import com.logisync.serviceview.service.TransactionMonitor;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@jakarta.annotation.security.RolesAllowed({Roles.OPS})
@Path("/api/v1/transactions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Business-transaction monitor", description = "Did each shipment's business transaction complete?")
public class TransactionResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "BusinessTransaction")
    public record Transaction(String shipmentId, List<ShipmentCaseView.StageView> stages, List<Stage> pending) {
    }

    /**
     * One page of stuck shipments, longest stuck first; {@code count} is how many are stuck in all (up to
     * {@link TransactionMonitor#LISTED} per reason), {@code nextCursor} absent on the last page.
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record StuckList(int count, List<TransactionMonitor.Stuck> items, String nextCursor) {
    }

    /**
     * The overview: shipments per completed stage, stuck shipments per reason, each stage's
     * completions in the last hour in twelve 5-minute buckets (oldest first, the last one ending now),
     * and the records each dead-letter topic of the topics service-view reads holds (every LogiSync
     * topic; read once a minute, {@code DeadLetterDepth}).
     */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "TransactionSummary")
    public record Summary(java.time.Instant at, java.util.Map<Stage, Long> stages,
            java.util.Map<TransactionMonitor.Reason, Long> stuck, java.util.Map<Stage, List<Long>> lastHour,
            java.util.Map<String, Long> deadLetterTopics) {
    }

    private final TransactionStageRepository stages;
    private final TransactionMonitor monitor;
    private final com.logisync.runtime.deadletter.DeadLetterDepth deadLetters;

    public TransactionResource(TransactionStageRepository stages, TransactionMonitor monitor,
            com.logisync.runtime.deadletter.DeadLetterDepth deadLetters) {
        this.stages = stages;
        this.monitor = monitor;
        this.deadLetters = deadLetters;
    }

    @GET
    @Path("/summary")
    @Operation(operationId = "getTransactionSummary", summary = "Shipments per stage, stuck shipments per reason, and the last hour's stage completions",
            description = "What the ops console's overview and chart show: every stage's count of shipments that"
                    + " completed it, every stuck reason's count (as in /transactions/stuck), and each stage's"
                    + " completions in the last hour in twelve 5-minute buckets, oldest first, and the records"
                    + " each dead-letter topic holds (read once a minute).")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Summary.class)))
    public Uni<Summary> summary() {
        java.time.Instant now = java.time.Instant.now();
        return Panache.withSession(() -> stages.summary(now)).chain(counts -> monitor.stuck(TransactionMonitor.LISTED).map(stuck -> {
            java.util.Map<TransactionMonitor.Reason, Long> byReason = new java.util.EnumMap<>(TransactionMonitor.Reason.class);
            for (TransactionMonitor.Reason r : TransactionMonitor.Reason.values()) {
                byReason.put(r, 0L);
            }
            stuck.forEach(s -> byReason.merge(s.reason(), 1L, Long::sum));
            return new Summary(now, counts.total(), byReason, counts.lastHour(), deadLetters.depths());
        }));
    }

    @GET
    @Path("/stuck")
    @Operation(operationId = "listStuckTransactions", summary = "Shipments whose next stage is overdue, with the reason",
            description = "Limits (logisync.monitor.*): dispatch-pending (15 min), dispatch-failed (at once), no-tracking"
                    + " (2 h after the planned pickup), pod-missing (24 h), accessorial-waiting (4 h after the delivery),"
                    + " delivered-not-invoiced (4 h), invoice-pending (1 h), invoice-failed (at once)."
                    + " Cancelled orders are never stuck.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = StuckList.class)))
    @APIResponse(responseCode = "400", description = "A limit out of range or a cursor this API did not give",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<StuckList> stuck(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        int n = com.logisync.runtime.rest.Paging.limit(limit);
        com.logisync.runtime.rest.Paging.Position after = com.logisync.runtime.rest.Paging.position(cursor);
        return monitor.stuck(TransactionMonitor.LISTED).map(all -> {
            java.util.Comparator<TransactionMonitor.Stuck> order = java.util.Comparator
                    .comparing(TransactionMonitor.Stuck::since).thenComparing(TransactionResource::stuckId);
            List<TransactionMonitor.Stuck> sorted = all.stream().sorted(order)
                    .filter(st -> after == null || st.since().isAfter(after.at())
                            || (st.since().equals(after.at()) && stuckId(st).compareTo(after.id()) > 0))
                    .limit(n + 1L).toList();
            return new StuckList(all.size(), sorted.stream().limit(n).toList(), com.logisync.runtime.rest.Paging.next(
                    sorted, n, st -> com.logisync.runtime.rest.Paging.cursor(st.since(), stuckId(st))));
        });
    }

    /** A stuck shipment's place in the list after its time: one shipment can be stuck for two reasons. */
    private static String stuckId(TransactionMonitor.Stuck s) {
        return s.shipmentId() + "/" + s.reason().name();
    }

    @GET
    @Path("/{shipmentId}")
    @Operation(operationId = "getTransaction", summary = "The stages of a shipment's business transaction",
            description = "Each completed stage with its time, the service that completed it and the trace id it ran"
                    + " under; and the stages still pending, in workflow order.")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Transaction.class)))
    @APIResponse(responseCode = "404", description = "No stage of that shipment is known",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Transaction> transaction(@PathParam("shipmentId") String shipmentId) {
        return Panache.withSession(() -> stages.stages(shipmentId)).map(list -> {
            if (list.isEmpty()) {
                throw ProblemException.notFound("Shipment", shipmentId);
            }
            List<ShipmentCaseView.StageView> done = list.stream().map(s -> new ShipmentCaseView.StageView(
                    s.id.stage(), s.completedAt, s.service, s.traceId)).toList();
            java.util.Set<Stage> completed = list.stream().map(s -> s.id.stage()).collect(java.util.stream.Collectors.toSet());
            List<Stage> pending = completed.contains(Stage.ORDER_CANCELLED) ? List.of()
                    : java.util.Arrays.stream(Stage.values()).filter(s -> s != Stage.DISPATCH_FAILED
                            && s != Stage.ORDER_CANCELLED && !completed.contains(s)).toList();
            return new Transaction(shipmentId, done, pending);
        });
    }
}
