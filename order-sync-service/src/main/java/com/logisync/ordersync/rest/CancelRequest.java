package com.logisync.ordersync.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** ERP's cancellation of an order. */
public record CancelRequest(
        @Schema(description = "Why ERP cancels the order; kept in the status history and sent to the TMS",
                example = "customer cancelled the purchase order")
        @NotBlank @Size(max = 400) String reason) {
}
