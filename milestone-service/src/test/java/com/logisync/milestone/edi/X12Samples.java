package com.logisync.milestone.edi;

import java.util.List;

/** Real-shaped X12 214 interchanges for tests, with any separators. */
public final class X12Samples {

    private X12Samples() {
    }

    /** A 214 transaction body (between ST and SE, exclusive), written with {@code *} and no terminator. */
    public static List<String> delivery(String pro, String bol) {
        return List.of(
                "B10*" + pro + "*" + bol + "*SWFT",
                "L11*PO-7781*PO",
                "N1*CN*GLOBEX STORE 17",
                "LX*1",
                "AT7*X1*NS***20261202*1415*LT",
                "AT7*D1*NS***20261202*1530*LT",
                "MS1*HOUSTON*TX*US",
                "L11*2*QN",
                "LX*2",
                "AT7*CD*NS***20261202*1545",
                "MS1****0952212*0294536*W*N");
    }

    /**
     * An interchange of one group with the given transactions, each a list of body segments written
     * with {@code *}; {@code e}, {@code c} and {@code s} are the element, component and segment separators.
     */
    public static String interchange(char e, char c, char s, String isa13, List<List<String>> transactions) {
        StringBuilder sb = new StringBuilder();
        String isa = String.join(String.valueOf(e), "ISA", "00", "          ", "00", "          ", "ZZ",
                pad("SWFT", 15), "ZZ", pad("LOGISYNC", 15), "261202", "1600", "U", "00401", isa13, "0", "P",
                String.valueOf(c));
        sb.append(isa).append(s).append('\n');
        sb.append(seg(e, s, "GS*QM*SWFT*LOGISYNC*20261202*1600*4501*X*004010"));
        int st = 1;
        for (List<String> body : transactions) {
            String control = String.format("%04d", st++);
            sb.append(seg(e, s, "ST*214*" + control));
            body.forEach(b -> sb.append(seg(e, s, b)));
            sb.append(seg(e, s, "SE*" + (body.size() + 2) + "*" + control));
        }
        sb.append(seg(e, s, "GE*" + transactions.size() + "*4501"));
        sb.append(seg(e, s, "IEA*1*" + isa13));
        return sb.toString();
    }

    /** A functional group: GS01, GS02 sender code, GS08 version, and its transactions' bodies. */
    public record Group(String functionalId, String sender, String version, List<List<String>> transactions) {

        public static Group qm(String sender, List<List<String>> transactions) {
            return new Group("QM", sender, "004010", transactions);
        }
    }

    /**
     * An interchange from {@code senderId} (ISA06, qualifier ZZ) to {@code receiverId}, with ISA14
     * {@code ackRequested} and ISA15 {@code usage}, and the given groups, written with * > ~.
     */
    public static String interchange(String senderId, String receiverId, String isa13, boolean ackRequested, String usage,
            List<Group> groups) {
        char e = '*';
        char s = '~';
        String version = groups.stream().allMatch(g -> g.version().startsWith("00501")) ? "00501" : "00401";
        StringBuilder sb = new StringBuilder();
        sb.append(String.join("*", "ISA", "00", "          ", "00", "          ", "ZZ", pad(senderId, 15), "ZZ",
                pad(receiverId, 15), "261202", "1600", version.equals("00501") ? "^" : "U", version, isa13,
                ackRequested ? "1" : "0", usage, ">")).append(s).append('\n');
        int gs = 4600;
        for (Group g : groups) {
            String control = String.valueOf(++gs);
            sb.append(seg(e, s, "GS*" + g.functionalId() + "*" + g.sender() + "*" + receiverId + "*20261202*1600*" + control
                    + "*X*" + g.version()));
            int st = 1;
            for (List<String> body : g.transactions()) {
                String stControl = String.format("%04d", st++);
                sb.append(seg(e, s, "ST*214*" + stControl));
                body.forEach(b -> sb.append(seg(e, s, b)));
                sb.append(seg(e, s, "SE*" + (body.size() + 2) + "*" + stControl));
            }
            sb.append(seg(e, s, "GE*" + g.transactions().size() + "*" + control));
        }
        sb.append(seg(e, s, "IEA*" + groups.size() + "*" + isa13));
        return sb.toString();
    }

    private static String seg(char e, char s, String starred) {
        return starred.replace('*', e) + s + "\n";
    }

    private static String pad(String v, int width) {
        return String.format("%-" + width + "s", v);
    }
}
