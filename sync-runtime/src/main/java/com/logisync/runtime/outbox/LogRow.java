package com.logisync.runtime.outbox;

import io.vertx.mutiny.sqlclient.Row;

import java.time.OffsetDateTime;

/**
 * One row of the publication log as the relay publishes it: an outbox row, or a row a service keeps in a table of its
 * own (milestone-service's recorded milestone, V0.8), with the columns of the view {@code outbox_rows}. Read from the
 * database ({@link #of}), or handed over in memory by the transaction that wrote it ({@link OutboxHandOver}).
 */
public record LogRow(long seq, long txid, int part, String eventId, String topic, String partitionKey, String ceType,
        String payload, String traceparent, OffsetDateTime createdAt) {

    /** The row as {@code outbox_rows} answers it. */
    static LogRow of(Row row) {
        return new LogRow(row.getLong("seq"), row.getLong("txid"), row.getShort("part"), row.getString("event_id"),
                row.getString("topic"), row.getString("partition_key"), row.getString("ce_type"), row.getString("payload"),
                row.getString("traceparent"), row.getOffsetDateTime("created_at"));
    }
}
