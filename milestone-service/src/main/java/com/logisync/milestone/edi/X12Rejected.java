package com.logisync.milestone.edi;

import java.util.List;

/** The interchange as a whole cannot be accepted (unreadable, or its envelope is broken): nothing of it is used. */
public class X12Rejected extends Exception {

    private final List<String> reasons;

    public X12Rejected(List<String> reasons) {
        super(String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
