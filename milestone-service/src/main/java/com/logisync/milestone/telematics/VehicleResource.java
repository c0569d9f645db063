package com.logisync.milestone.telematics;

import com.logisync.contracts.security.Roles;
import com.logisync.runtime.rest.Problem;
import com.logisync.runtime.rest.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.OffsetDateTime;

/** The last known position of a vehicle, from its telematics pings. */
@jakarta.annotation.security.RolesAllowed({Roles.SERVICE_AGENT, Roles.OPS})
@Path("/api/v1/vehicles")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Vehicles", description = "Last known positions from telematics")
public class VehicleResource {

    private static final String SELECT = "select vehicle_id, shipment_id, latitude, longitude, speed_kph, heading_deg,"
            + " reported_at from vehicle_position where vehicle_id = :v";

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "VehiclePosition")
    public record Position(String vehicleId, String shipmentId, double latitude, double longitude, Double speedKph,
            Double headingDeg, OffsetDateTime reportedAt) {
    }

    @GET
    @Path("/{vehicleId}/position")
    @Operation(operationId = "getVehiclePosition", summary = "A vehicle's last known position (and the shipment it serves)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = Position.class)))
    @APIResponse(responseCode = "404", description = "No position known",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Position> position(@PathParam("vehicleId") String vehicleId) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(SELECT, Object[].class)
                        .setParameter("v", vehicleId).getSingleResultOrNull()))
                .map(row -> {
                    if (row == null) {
                        throw ProblemException.notFound("Position of vehicle", vehicleId);
                    }
                    return new Position((String) row[0], (String) row[1], ((Number) row[2]).doubleValue(),
                            ((Number) row[3]).doubleValue(), row[4] == null ? null : ((Number) row[4]).doubleValue(),
                            row[5] == null ? null : ((Number) row[5]).doubleValue(), toOffset(row[6]));
                });
    }

    private static OffsetDateTime toOffset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof java.time.Instant i) {
            return i.atOffset(java.time.ZoneOffset.UTC);
        }
        return value == null ? null : OffsetDateTime.parse(value.toString());
    }
}
