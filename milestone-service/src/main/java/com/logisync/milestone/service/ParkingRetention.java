package com.logisync.milestone.service;

import com.logisync.milestone.config.ParkingConfig;
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
 * Parked reports do not live forever: an UNMATCHED one older than {@code logisync.parking.expire-after}
 * becomes EXPIRED (listed for ops at {@code GET /api/v1/ops/milestones/parked?status=EXPIRED}, never
 * released to an order that arrives later), and EXPIRED or AMBIGUOUS ones older than
 * {@code delete-after} are deleted, over the (status, received_at) index, as are the webhook replay
 * guard's signatures older than a day.
 */
@ApplicationScoped
public class ParkingRetention {

    private static final Logger LOG = Logger.getLogger(ParkingRetention.class);
    private static final String EXPIRE = "update parked_milestone set status = 'EXPIRED' where status = 'UNMATCHED'"
            + " and received_at < now() - make_interval(secs => $1)";
    private static final String DELETE = "delete from parked_milestone where status in ('EXPIRED', 'AMBIGUOUS')"
            + " and received_at < now() - make_interval(secs => $1)";
    private static final String FORGET_SIGNATURES = "delete from webhook_delivery where received_at < now() - interval '1 day'";

    private final Pool pool;
    private final ParkingConfig config;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;

    public ParkingRetention(Pool pool, Vertx vertx, ParkingConfig config) {
        this.pool = pool;
        this.config = config;
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx.getDelegate(), config.sweepInterval(),
                "Parking sweep", () -> sweep().replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** Expires and deletes what is due; returns how many reports expired. */
    public Uni<Integer> sweep() {
        return pool.preparedQuery(EXPIRE).execute(Tuple.of((double) config.expireAfter().toSeconds()))
                .call(expired -> pool.preparedQuery(DELETE).execute(Tuple.of((double) config.deleteAfter().toSeconds()))
                        .call(() -> pool.query(FORGET_SIGNATURES).execute()))
                .map(rows -> rows.rowCount())
                .invoke(n -> {
                    if (n > 0) {
                        LOG.warnf("%d parked report(s) matched no shipment within %s and expired (GET"
                                + " /api/v1/ops/milestones/parked?status=EXPIRED)", n, config.expireAfter());
                    }
                });
    }
}
