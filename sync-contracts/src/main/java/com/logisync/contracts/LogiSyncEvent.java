package com.logisync.contracts;

/** Any payload on a LogiSync topic. */
public interface LogiSyncEvent {

    /** The Kafka record key: events with the same key stay in order on one partition. */
    String partitionKey();
}
