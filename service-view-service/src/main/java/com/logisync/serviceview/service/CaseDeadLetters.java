package com.logisync.serviceview.service;

import com.logisync.runtime.deadletter.DeadLettered;
import com.logisync.runtime.vertx.SafeContext;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Remembers the shipment events service-view's consumers dead-lettered ({@code case_dead_letter}):
 * the case view of such a shipment lacks a fact until the record is redriven, which the transaction
 * monitor reports as CRM_VIEW_NOT_UPDATED. Written after the record reached the DLQ, in its own
 * statement; should the database be away then, the DLQ alert and the DLQ list still show the record.
 */
@ApplicationScoped
public class CaseDeadLetters {

    private static final Logger LOG = Logger.getLogger(CaseDeadLetters.class);
    private static final String REMEMBER = "insert into case_dead_letter (event_id, shipment_id, topic, reason,"
            + " dead_lettered_at) values ($1, $2, $3, $4, $5) on conflict (event_id) do update set"
            + " reason = excluded.reason, dead_lettered_at = excluded.dead_lettered_at";

    private final Pool pool;
    private final Vertx vertx;

    public CaseDeadLetters(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    void onDeadLettered(@Observes DeadLettered d) {
        if (d.key() == null || d.eventId() == null || com.logisync.contracts.Topics.MASTER_DATA.equals(d.topic())) {
            return; // not a shipment's event (master data is keyed by customer or contract; no CloudEvent id)
        }
        SafeContext.run(vertx.getDelegate(), () -> pool.preparedQuery(REMEMBER).execute(Tuple.of(d.eventId(), d.key(),
                        d.topic(), d.reason(), d.at().atOffset(java.time.ZoneOffset.UTC))).replaceWithVoid())
                .subscribe().with(ok -> { }, failure -> LOG.warnf("Dead letter %s of %s not remembered for the monitor: %s",
                        d.eventId(), d.key(), failure.toString()));
    }
}
