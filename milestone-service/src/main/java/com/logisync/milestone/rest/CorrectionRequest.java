package com.logisync.milestone.rest;

import com.logisync.contracts.event.MilestoneCorrected;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.OffsetDateTime;

/** A correction of a recorded milestone: what to do, why, and for RETIME the time, for RECORD_POD the POD. */
@Schema(description = "A correction of a recorded milestone")
public record CorrectionRequest(
        @Schema(description = "VOID: it no longer counts; RETIME: it happened at eventTime; RECORD_POD (ops only): attach"
                + " a POD received by other means to a DELIVERED milestone") @NotNull MilestoneCorrected.Action action,
        @Schema(example = "reported for the wrong load") @NotBlank @Size(max = 500) String reason,
        @Schema(description = "For RETIME: when it really happened, with its offset", example = "2026-12-02T15:42:00-06:00")
        OffsetDateTime eventTime,
        @Schema(description = "For RECORD_POD: the POD as signed") @Valid MilestoneRequest.Pod pod) {

    @AssertTrue(message = "RETIME needs eventTime, RECORD_POD needs pod")
    @Schema(hidden = true)
    public boolean isComplete() {
        return action == null || action == MilestoneCorrected.Action.VOID
                || action == MilestoneCorrected.Action.RETIME && eventTime != null
                || action == MilestoneCorrected.Action.RECORD_POD && pod != null;
    }
}
