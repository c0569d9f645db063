package com.logisync.contracts.milestone;

/** DCSA event classifier: planned, estimated or actual. */
public enum Classifier {
    PLANNED, ESTIMATED, ACTUAL
}
