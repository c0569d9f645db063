package com.logisync.billing.rest;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The weekly on-highway diesel index (published Mondays) the fuel surcharge is looked up with. */
@jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK})
@Path("/api/v1/fuel-index")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Fuel index", description = "Weekly diesel index for fuel surcharges")
public class FuelIndexResource {

    private final com.logisync.billing.repository.BillingCaseRepository cases;
    private final io.quarkus.security.identity.SecurityIdentity identity;

    public FuelIndexResource(com.logisync.billing.repository.BillingCaseRepository cases,
            io.quarkus.security.identity.SecurityIdentity identity) {
        this.cases = cases;
        this.identity = identity;
    }

    private static final String REMEMBER = "insert into fuel_index_history (iso_week, price_per_gallon, source, set_at,"
            + " set_by) values (:w, :p, :s, :at, :by)";
    private static final String HISTORY = "select price_per_gallon, source, set_at, set_by from fuel_index_history"
            + " where iso_week = :w order by set_at, price_per_gallon";

    /** One value a week's index was given, by whom and when. */
    public record FuelIndexChange(BigDecimal pricePerGallon, String source, OffsetDateTime setAt, String setBy) {
    }

    private static final String UPSERT = "insert into fuel_index (iso_week, price_per_gallon, source, updated_at)"
            + " values (:w, :p, :s, :at) on conflict (iso_week) do update set price_per_gallon = excluded.price_per_gallon,"
            + " source = excluded.source, updated_at = excluded.updated_at";
    private static final String SELECT = "select iso_week, price_per_gallon, source, updated_at from fuel_index"
            + " where iso_week = :w";

    public record FuelIndexRequest(
            @Schema(description = "USD per gallon", example = "3.612")
            @NotNull @DecimalMin(value = "0.001") @DecimalMax("99.999") BigDecimal pricePerGallon,
            @Schema(example = "EIA weekly retail on-highway diesel") @Size(max = 120) String source) {
    }

    public record FuelIndex(String isoWeek, BigDecimal pricePerGallon, String source, OffsetDateTime updatedAt) {
    }

    @PUT
    @Path("/{isoWeek}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "putFuelIndex", summary = "Set a week's diesel index (ISO week such as 2026-W49)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = FuelIndex.class)))
    @APIResponse(responseCode = "400", description = "Not an ISO week, or a price out of range",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<FuelIndex> put(@PathParam("isoWeek") @Pattern(regexp = "\\d{4}-W(0[1-9]|[1-4]\\d|5[0-3])",
            message = "must be an ISO week such as 2026-W49") String isoWeek, @Valid @NotNull FuelIndexRequest request) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(UPSERT)
                        .setParameter("w", isoWeek).setParameter("p", request.pricePerGallon())
                        .setParameter("s", request.source()).setParameter("at", now).executeUpdate()
                        .chain(() -> s.createNativeQuery(REMEMBER).setParameter("w", isoWeek)
                                .setParameter("p", request.pricePerGallon()).setParameter("s", request.source())
                                .setParameter("at", now).setParameter("by", identity.getPrincipal().getName())
                                .executeUpdate()))
                        // Cases waiting to be rated (for this index, say) are looked at again now.
                        .chain(() -> cases.wakeUnrated(now.toInstant())))
                .replaceWith(new FuelIndex(isoWeek, request.pricePerGallon(), request.source(), now));
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.OPS})
    @GET
    @Path("/{isoWeek}")
    @Operation(operationId = "getFuelIndex", summary = "A week's diesel index")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = FuelIndex.class)))
    @APIResponse(responseCode = "404", description = "No index for that week",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<FuelIndex> get(@PathParam("isoWeek") String isoWeek) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(SELECT, Object[].class)
                        .setParameter("w", isoWeek).getSingleResultOrNull()))
                .map(row -> {
                    if (row == null) {
                        throw ProblemException.notFound("Fuel index of week", isoWeek);
                    }
                    return new FuelIndex((String) row[0], (BigDecimal) row[1], (String) row[2], toOffset(row[3]));
                });
    }

    @jakarta.annotation.security.RolesAllowed({Roles.BILLING_CLERK, Roles.OPS})
    @GET
    @Path("/{isoWeek}/history")
    @Operation(operationId = "getFuelIndexHistory", summary = "Every value a week's diesel index was given, oldest first, with who set it and when")
    @APIResponse(responseCode = "200", description = "The history (empty for a week never set)")
    public Uni<java.util.List<FuelIndexChange>> history(@PathParam("isoWeek") String isoWeek) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(HISTORY, Object[].class)
                        .setParameter("w", isoWeek).getResultList()))
                .map(rows -> rows.stream().map(r -> new FuelIndexChange((BigDecimal) r[0], (String) r[1], toOffset(r[2]),
                        (String) r[3])).toList());
    }

    static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        return value == null ? null : OffsetDateTime.parse(value.toString());
    }
}
