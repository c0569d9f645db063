package com.logisync.serviceview.rest;

import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** This service's dead letters for operators: list, redrive one, redrive all ({@code DeadLetterResource}). */
@jakarta.annotation.security.RolesAllowed(com.logisync.contracts.security.Roles.OPS)
@Path("/api/v1/ops/view/dlq")
@Tag(name = "Operations", description = "Dead-lettered records: why, where from, and redrive after a fix")
public class OpsDeadLetterResource extends com.logisync.runtime.deadletter.DeadLetterResource {
}
