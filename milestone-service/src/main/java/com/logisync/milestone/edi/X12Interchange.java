package com.logisync.milestone.edi;

import java.util.List;

/** An X12 interchange as read: envelope identifiers and, per functional group, its transactions. */
public record X12Interchange(String senderQualifier, String senderId, String receiverId, String controlNumber,
        char elementSeparator, char segmentTerminator, List<Group> groups) {

    public record Group(String functionalId, String controlNumber, String version, List<Transaction> transactions) {
    }

    /**
     * One transaction set (ST … SE) and the envelope problems found in it; a transaction with
     * problems is rejected, the others of the interchange are not.
     */
    public record Transaction(String type, String controlNumber, List<Segment> segments, List<String> errors) {
    }

    /** A segment with its elements by position (element 1 is {@code element(1)}). */
    public record Segment(String tag, List<String> elements, int position) {

        public String element(int n) {
            return n >= 1 && n <= elements.size() ? emptyToNull(elements.get(n - 1)) : null;
        }

        private static String emptyToNull(String s) {
            return s == null || s.isBlank() ? null : s.trim();
        }
    }
}
