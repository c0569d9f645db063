package com.logisync.ordersync.rest;

import com.logisync.contracts.model.StopType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

/** A shipment order as ERP releases it. */
@Schema(description = "A shipment order released by ERP")
public record OrderRequest(
        @Schema(description = "ERP order id; releasing the same id again is idempotent", example = "ORD-100045")
        @NotBlank @Size(max = 64) String orderId,
        @Schema(example = "CUST-ACME") @NotBlank @Size(max = 64) String customerId,
        @Schema(example = "LTL_STANDARD") @NotBlank @Size(max = 32) String serviceLevel,
        @NotEmpty @Size(max = 200) List<@Valid @NotNull Line> lines,
        @NotNull @Size(min = 2, max = 20) List<@Valid @NotNull StopRequest> stops,
        @Valid References references) {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "OrderLine")
    public record Line(@Positive int pieces, @NotNull @Positive BigDecimal weightKg, boolean hazmat,
            @Size(max = 200) String description) {
    }

    public record StopRequest(
            @NotNull StopType type,
            @NotBlank @Size(max = 120) String name,
            @Size(max = 32) String locationCode,
            @NotNull @Valid AddressRequest address,
            @Schema(description = "IANA time zone of the stop", example = "America/Chicago")
            @NotBlank @IanaZone String zoneId,
            @NotNull @Valid Window window) {
    }

    public record AddressRequest(@NotBlank @Size(max = 200) String line1, @NotBlank @Size(max = 100) String city,
            @Size(max = 10) String region, @Size(max = 16) String postalCode,
            @NotBlank @Size(min = 2, max = 2) String country) {
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "DeliveryWindow")
    public record Window(
            @Schema(example = "2026-11-30T08:00:00-06:00") @NotNull OffsetDateTime start,
            @Schema(example = "2026-11-30T12:00:00-06:00") @NotNull OffsetDateTime end) {
    }

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "OrderReferences")
    public record References(List<@NotBlank @Size(max = 64) String> poNumbers, @Size(max = 64) String bol,
            @Size(max = 64) String pro) {
    }
}
