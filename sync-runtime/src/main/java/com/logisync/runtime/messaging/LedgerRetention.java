package com.logisync.runtime.messaging;

import com.logisync.runtime.config.LogiSyncConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;


/**
 * Keeps the idempotent consumers' ledger ({@code processed_event}) from growing without bound: every
 * {@code logisync.consumer.ledger-purge-interval} it deletes, in batches of 10,000 over an index, the
 * rows older than {@code logisync.consumer.ledger-retention}, which must exceed every topic's retention.
 */
@ApplicationScoped
public class LedgerRetention {

    private static final Logger LOG = Logger.getLogger(LedgerRetention.class);
    private static final String PURGE = "delete from processed_event where ctid in (select ctid from processed_event"
            + " where processed_at < now() - make_interval(secs => $1) limit 10000)";

    private final Pool pool;
    private final LogiSyncConfig config;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;

    public LedgerRetention(Pool pool, Vertx vertx, LogiSyncConfig config) {
        this.pool = pool;
        this.config = config;
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx.getDelegate(),
                config.consumer().ledgerPurgeInterval(), "Ledger purge", () -> purge().replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** Deletes what is older than the retention, batch after batch; returns how many rows went. */
    public Uni<Integer> purge() {
        return pool.preparedQuery(PURGE).execute(Tuple.of((double) config.consumer().ledgerRetention().toSeconds()))
                .chain(rows -> rows.rowCount() < 10_000 ? Uni.createFrom().item(rows.rowCount())
                        : purge().map(more -> rows.rowCount() + more))
                .invoke(n -> {
                    if (n > 0) {
                        LOG.infof("Purged %d processed-event ledger row(s) older than %s", n,
                                config.consumer().ledgerRetention());
                    }
                });
    }
}
