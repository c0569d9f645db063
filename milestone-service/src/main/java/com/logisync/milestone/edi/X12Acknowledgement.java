package com.logisync.milestone.edi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.logisync.milestone.rest.MilestoneAccepted;

import java.util.List;

/** The answer to an interchange: one acknowledgement per transaction, accepted or rejected with reasons. */
public record X12Acknowledgement(String sender, String interchangeControlNumber, int accepted, int rejected,
        List<TransactionAck> transactions) {

    public enum Status {
        ACCEPTED, REJECTED
    }

    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record TransactionAck(String groupControlNumber, String transactionControlNumber, Status status,
            List<String> errors, List<MilestoneAccepted> milestones) {
    }
}
