package com.logisync.milestone.edi;

/**
 * A problem with one segment of a transaction, in the terms of an X12 acknowledgement: the segment
 * (AK3/IK3: tag, position counted from ST = 1, syntax error code) and, where one element is at fault,
 * the element (AK4/IK4: position, data element reference number, error code, the bad value).
 */
public record X12SegmentError(String segmentTag, int position, String segmentCode, Integer elementPosition,
        String elementReference, String elementCode, String badValue, String message) {

    /** AK3-04 8: the segment has data element errors. */
    static X12SegmentError element(X12Interchange.Segment segment, int firstPosition, int element, String reference,
            String code, String badValue, String message) {
        return new X12SegmentError(segment.tag(), segment.position() - firstPosition + 1, "8", element, reference, code,
                badValue, message);
    }

    /** A segment-level problem without a single element at fault (AK3-04 per X12 element 720). */
    static X12SegmentError segment(String tag, int position, String code, String message) {
        return new X12SegmentError(tag, position, code, null, null, null, null, message);
    }
}
