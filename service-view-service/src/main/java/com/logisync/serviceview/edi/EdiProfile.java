package com.logisync.serviceview.edi;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A customer's EDI trading-partner profile: the interchange sender (LogiSync) and receiver (the
 * shipper) ids with their ISA qualifiers, the X12 version and the usage indicator, and the carrier
 * SCAC written in B10-03 / B3-11.
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "EdiProfile")
public record EdiProfile(
        @Schema(example = "ZZ") @NotBlank @Pattern(regexp = "[0-9A-Z]{2}") String senderQualifier,
        @Schema(example = "LOGISYNC") @NotBlank @Size(max = 15) @Pattern(regexp = "[0-9A-Za-z ._-]+") String senderId,
        @Schema(example = "ZZ") @NotBlank @Pattern(regexp = "[0-9A-Z]{2}") String receiverQualifier,
        @Schema(example = "ACMEEDI") @NotBlank @Size(max = 15) @Pattern(regexp = "[0-9A-Za-z ._-]+") String receiverId,
        @Schema(description = "004010 (default) or 005010", example = "004010")
        @Pattern(regexp = "00[45]010") String version,
        @Schema(description = "ISA15: P production (default), T test", example = "P") @Pattern(regexp = "[PT]") String usage,
        @Schema(description = "Carrier SCAC for B10-03 and B3-11 (LGSY by default)", example = "LGSY")
        @Pattern(regexp = "[A-Z]{2,4}") String scac) {

    public String versionOrDefault() {
        return version == null ? "004010" : version;
    }

    public String usageOrDefault() {
        return usage == null ? "P" : usage;
    }

    public String scacOrDefault() {
        return scac == null ? "LGSY" : scac;
    }
}
