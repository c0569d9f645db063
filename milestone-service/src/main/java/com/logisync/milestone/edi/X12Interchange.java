package com.logisync.milestone.edi;

import java.util.List;

/** An X12 interchange as read: envelope identifiers and, per functional group, its transactions. */
public record X12Interchange(Header header, char elementSeparator, char segmentTerminator, List<Group> groups) {

    /**
     * The ISA header: sender (ISA05/06), receiver (ISA07/08), date and time (ISA09/10), version
     * (ISA12), control number (ISA13), whether a TA1 is requested (ISA14) and usage (ISA15, P or T).
     */
    public record Header(String senderQualifier, String senderId, String receiverQualifier, String receiverId,
            String date, String time, String version, String controlNumber, boolean ackRequested, String usage,
            char componentSeparator) {

        public boolean test() {
            return "T".equals(usage);
        }
    }

    /** GS01 functional id, GS02 sender, GS03 receiver, GS06 control number, GS08 version. */
    public record Group(String functionalId, String senderCode, String receiverCode, String controlNumber,
            String version, List<Transaction> transactions) {

        /** 5010 and later are acknowledged with a 999, earlier versions with a 997. */
        public boolean is5010() {
            return version != null && version.compareTo("005010") >= 0;
        }
    }

    public String senderId() {
        return header.senderId();
    }

    public String controlNumber() {
        return header.controlNumber();
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
