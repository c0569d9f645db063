package com.logisync.milestone.edi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.milestone.rest.MilestoneAccepted;

import java.util.List;

/**
 * The JSON answer to an interchange: one acknowledgement per transaction, accepted, accepted with
 * errors (the valid statuses recorded, the others listed) or rejected with its reasons. A test
 * interchange (ISA15 = T) is acknowledged but nothing of it is used; a repeat of an interchange
 * already received (same sender, ISA13 and content) is answered again and marked {@code duplicate}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record X12Acknowledgement(String partnerId, String sender, String interchangeControlNumber, int accepted,
        int rejected, Boolean test, Boolean duplicate, String acknowledgementControlNumber,
        List<TransactionAck> transactions) {

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "X12AcknowledgementStatus")
    public enum Status {
        ACCEPTED, ACCEPTED_WITH_ERRORS, REJECTED
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TransactionAck(String groupControlNumber, String transactionControlNumber, Status status,
            List<String> errors, List<MilestoneAccepted> milestones) {
    }
}
