package com.logisync.runtime.deadletter;

import io.smallrye.mutiny.Uni;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;

/**
 * A consumer whose dead-lettered records an operator can redrive: it names the topics it consumes and
 * processes a record again exactly as its channel does (the same idempotent consumer), failing when the
 * record still cannot be processed, never dead-lettering it a second time.
 */
public interface Redrivable {

    List<String> topics();

    Uni<Void> redrive(ConsumerRecord<String, String> record);
}
