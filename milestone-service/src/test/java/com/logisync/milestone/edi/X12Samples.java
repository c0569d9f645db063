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

    private static String seg(char e, char s, String starred) {
        return starred.replace('*', e) + s + "\n";
    }

    private static String pad(String v, int width) {
        return String.format("%-" + width + "s", v);
    }
}
