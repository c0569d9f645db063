package com.logisync.milestone.edi;

import io.xlate.edi.stream.EDIInputFactory;
import io.xlate.edi.stream.EDIStreamConstants;
import io.xlate.edi.stream.EDIStreamEvent;
import io.xlate.edi.stream.EDIStreamException;
import io.xlate.edi.stream.EDIStreamReader;
import io.xlate.edi.stream.Location;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an X12 interchange with StAEDI, which takes the element, component and segment
 * separators from the ISA header (nothing here assumes {@code *} and {@code ~}), and validates the
 * envelope: ISA13 = IEA02, IEA01 = number of groups, GS06 = GE02, GE01 = number of transactions,
 * ST02 = SE02, SE01 = number of segments. A broken interchange or group envelope rejects the whole
 * interchange; a broken transaction envelope rejects that transaction only.
 */
public final class X12Reader {

    private static final EDIInputFactory FACTORY = EDIInputFactory.newFactory();

    private X12Reader() {
    }

    public static X12Interchange read(String text) throws X12Rejected {
        if (text == null || !text.stripLeading().startsWith("ISA")) {
            throw new X12Rejected(List.of("An X12 interchange starts with an ISA segment"));
        }
        List<X12Interchange.Segment> all = new ArrayList<>();
        List<String> envelopeErrors = new ArrayList<>();
        List<int[]> transactionErrorAt = new ArrayList<>();
        List<String> transactionErrors = new ArrayList<>();
        Map<String, Character> delimiters = Map.of();
        try (EDIStreamReader reader = FACTORY.createEDIStreamReader(
                new ByteArrayInputStream(text.strip().getBytes(StandardCharsets.ISO_8859_1)))) {
            String tag = null;
            List<String> elements = null;
            int lastElement = 0;
            boolean inTransaction = false;
            while (reader.hasNext()) {
                EDIStreamEvent event = reader.next();
                switch (event) {
                    case START_SEGMENT -> {
                        tag = reader.getText();
                        elements = new ArrayList<>();
                        lastElement = 0;
                        if ("ST".equals(tag)) {
                            inTransaction = true;
                        }
                    }
                    case ELEMENT_DATA -> {
                        Location at = reader.getLocation();
                        int position = at.getElementPosition();
                        if (elements != null && at.getComponentPosition() <= 1 && position != lastElement) {
                            while (elements.size() < position - 1) {
                                elements.add("");
                            }
                            elements.add(reader.getText());
                            lastElement = position;
                        }
                    }
                    case END_SEGMENT -> {
                        all.add(new X12Interchange.Segment(tag, List.copyOf(elements), all.size() + 1));
                        if ("ISA".equals(tag)) {
                            delimiters = Map.copyOf(reader.getDelimiters());
                        }
                        if ("SE".equals(tag)) {
                            inTransaction = false;
                        }
                    }
                    case SEGMENT_ERROR, ELEMENT_DATA_ERROR, ELEMENT_OCCURRENCE_ERROR -> {
                        Location at = reader.getLocation();
                        String what = describe(reader.getErrorType().name(), at);
                        if (inTransaction || "SE".equals(at.getSegmentTag())) {
                            transactionErrorAt.add(new int[] { all.size() });
                            transactionErrors.add(what);
                        } else {
                            envelopeErrors.add(what);
                        }
                    }
                    default -> {
                    }
                }
            }
        } catch (EDIStreamException | RuntimeException e) {
            throw new X12Rejected(List.of("Unreadable X12: " + e.getMessage()));
        } catch (IOException e) {
            throw new X12Rejected(List.of("Unreadable X12: " + e.getMessage()));
        }
        return assemble(all, envelopeErrors, transactionErrorAt, transactionErrors, delimiters);
    }

    private static X12Interchange.Header header(X12Interchange.Segment isa, char componentSeparator) {
        return new X12Interchange.Header(isa.element(5), isa.element(6), isa.element(7), isa.element(8), isa.element(9),
                isa.element(10), isa.element(12), isa.element(13), "1".equals(isa.element(14)), isa.element(15),
                componentSeparator);
    }

    /**
     * The ISA header read by position from the raw text (ISA is fixed-width and names its own element
     * separator as its fourth character), for answering an interchange that could not be read whole.
     */
    public static X12Interchange.Header rawHeader(String text) {
        String t = text == null ? "" : text.stripLeading();
        if (t.length() < 106 || !t.startsWith("ISA")) {
            return null;
        }
        char e = t.charAt(3);
        String[] parts = t.substring(0, 105).split(java.util.regex.Pattern.quote(String.valueOf(e)), -1);
        if (parts.length < 17) {
            return null;
        }
        List<String> elements = new ArrayList<>(List.of(parts).subList(1, 17));
        return header(new X12Interchange.Segment("ISA", elements, 1), parts[16].isEmpty() ? '>' : parts[16].charAt(0));
    }

    private static String describe(String errorType, Location at) {
        String where = at.getSegmentTag() == null ? "" : " in " + at.getSegmentTag()
                + (at.getElementPosition() > 0 ? String.format("%02d", at.getElementPosition()) : "");
        return errorType.toLowerCase().replace('_', ' ') + where + " (segment " + at.getSegmentPosition() + ")";
    }

    private static X12Interchange assemble(List<X12Interchange.Segment> all, List<String> envelopeErrors,
            List<int[]> transactionErrorAt, List<String> transactionErrors, Map<String, Character> delimiters)
            throws X12Rejected {
        List<String> reasons = new ArrayList<>();
        X12Interchange.Segment isa = all.get(0);
        X12Interchange.Segment iea = all.get(all.size() - 1);
        if (!"IEA".equals(iea.tag())) {
            throw new X12Rejected(List.of("The interchange does not end with IEA (last segment is " + iea.tag() + ")"));
        }
        String isa13 = isa.element(13);
        if (isa13 == null || !isa13.equals(iea.element(2))) {
            reasons.add("IEA02 " + iea.element(2) + " does not match ISA13 " + isa13);
        }
        List<X12Interchange.Group> groups = new ArrayList<>();
        int i = 1;
        while (i < all.size() - 1) {
            X12Interchange.Segment gs = all.get(i);
            if (!"GS".equals(gs.tag())) {
                reasons.add("Expected GS at segment " + gs.position() + ", found " + gs.tag());
                break;
            }
            List<X12Interchange.Transaction> transactions = new ArrayList<>();
            i++;
            while (i < all.size() - 1 && "ST".equals(all.get(i).tag())) {
                int start = i;
                while (i < all.size() - 1 && !"SE".equals(all.get(i).tag())) {
                    i++;
                }
                if (!"SE".equals(all.get(i).tag())) {
                    reasons.add("Transaction " + all.get(start).element(2) + " has no SE");
                    break;
                }
                List<X12Interchange.Segment> body = all.subList(start, i + 1);
                transactions.add(transaction(body, transactionErrorAt, transactionErrors));
                i++;
            }
            X12Interchange.Segment ge = all.get(i);
            if (!"GE".equals(ge.tag())) {
                reasons.add("Group " + gs.element(6) + " does not end with GE (found " + ge.tag() + " at segment "
                        + ge.position() + ")");
                break;
            }
            if (gs.element(6) == null || !gs.element(6).equals(ge.element(2))) {
                reasons.add("GE02 " + ge.element(2) + " does not match GS06 " + gs.element(6));
            }
            if (!String.valueOf(transactions.size()).equals(ge.element(1))) {
                reasons.add("GE01 says " + ge.element(1) + " transaction(s), group " + gs.element(6) + " has "
                        + transactions.size());
            }
            groups.add(new X12Interchange.Group(gs.element(1), gs.element(2), gs.element(3), gs.element(6), gs.element(8),
                    transactions));
            i++;
        }
        if (!String.valueOf(groups.size()).equals(iea.element(1))) {
            reasons.add("IEA01 says " + iea.element(1) + " group(s), the interchange has " + groups.size());
        }
        if (reasons.isEmpty()) {
            // What StAEDI found that the checks above do not name (our own words are clearer when both do).
            reasons.addAll(envelopeErrors);
        }
        if (!reasons.isEmpty()) {
            throw new X12Rejected(reasons.stream().distinct().toList());
        }
        char elementSeparator = delimiters.getOrDefault(EDIStreamConstants.Delimiters.DATA_ELEMENT, '*');
        char segmentTerminator = delimiters.getOrDefault(EDIStreamConstants.Delimiters.SEGMENT, '~');
        char componentSeparator = delimiters.getOrDefault(EDIStreamConstants.Delimiters.COMPONENT_ELEMENT, '>');
        return new X12Interchange(header(isa, componentSeparator), elementSeparator, segmentTerminator, groups);
    }

    private static X12Interchange.Transaction transaction(List<X12Interchange.Segment> body,
            List<int[]> transactionErrorAt, List<String> transactionErrors) {
        X12Interchange.Segment st = body.get(0);
        X12Interchange.Segment se = body.get(body.size() - 1);
        List<String> errors = new ArrayList<>();
        if (st.element(2) == null || !st.element(2).equals(se.element(2))) {
            errors.add("SE02 " + se.element(2) + " does not match ST02 " + st.element(2));
        }
        if (!String.valueOf(body.size()).equals(se.element(1))) {
            errors.add("SE01 says " + se.element(1) + " segment(s), the transaction has " + body.size());
        }
        boolean ownFindings = !errors.isEmpty();
        int first = st.position();
        int last = se.position();
        for (int k = 0; k < transactionErrorAt.size(); k++) {
            int at = transactionErrorAt.get(k)[0];
            if (!ownFindings && at >= first - 1 && at <= last) {
                errors.add(transactionErrors.get(k));
            }
        }
        return new X12Interchange.Transaction(st.element(1), st.element(2), List.copyOf(body),
                errors.stream().distinct().toList());
    }
}
