package com.logisync.milestone.telematics;

import com.logisync.contracts.Topics;
import com.logisync.milestone.config.TelematicsConfig;
import com.logisync.runtime.deadletter.DeadLetters;
import com.logisync.runtime.messaging.PoisonEventException;
import com.logisync.runtime.messaging.TransientFailures;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Tries parked telematics records again ({@code telematics_parked}): every
 * {@code logisync.telematics.park-retry-interval} each record parked longer than that is processed
 * again as the channel would. It is removed once it went through, parks itself again while its
 * shipment is still unknown, and is dead-lettered with the reason after {@code park-expire-after}.
 */
@ApplicationScoped
public class TelematicsParking {

    private static final Logger LOG = Logger.getLogger(TelematicsParking.class);
    private static final String DUE = "select vehicle_id, event_id, record, parked_at, first_parked_at, reason"
            + " from telematics_parked where parked_at < :before order by reported_at limit 100";
    private static final String DONE = "delete from telematics_parked where vehicle_id = :v and event_id = :e"
            + " and parked_at = :at";

    private final TelematicsConsumer telematics;
    private final DeadLetters deadLetters;
    private final TelematicsConfig config;
    private final com.logisync.runtime.vertx.PeriodicTask rounds;

    public TelematicsParking(TelematicsConsumer telematics, DeadLetters deadLetters, TelematicsConfig config, Vertx vertx) {
        this.telematics = telematics;
        this.deadLetters = deadLetters;
        this.config = config;
        this.rounds = com.logisync.runtime.vertx.PeriodicTask.every(vertx, config.parkRetryInterval(),
                "Retrying parked telematics", () -> retryDue().replaceWithVoid());
    }

    void start(@Observes StartupEvent event) {
        rounds.start();
    }

    void stop(@Observes ShutdownEvent event) {
        rounds.stop();
    }

    /** One round; returns how many parked records it tried. */
    public Uni<Integer> retryDue() {
        Instant before = Instant.now().minus(config.parkRetryInterval());
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(DUE, Object[].class)
                        .setParameter("before", before.atOffset(ZoneOffset.UTC)).getResultList()))
                .chain(rows -> Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(this::retry)
                        .collect().asList().map(List::size));
    }

    private Uni<Void> retry(Object[] row) {
        String vehicle = (String) row[0];
        String eventId = (String) row[1];
        String json = (String) row[2];
        OffsetDateTime parkedAt = offset(row[3]);
        Instant firstParked = offset(row[4]).toInstant();
        ConsumerRecord<String, String> record = new ConsumerRecord<>(Topics.TELEMATICS, -1, -1L, vehicle, json);
        if (firstParked.plus(config.parkExpireAfter()).isBefore(Instant.now())) {
            return deadLetters.send(record, new PoisonEventException("Parked since " + firstParked + " and still "
                            + row[5] + " after " + config.parkExpireAfter()))
                    .chain(() -> done(vehicle, eventId, parkedAt));
        }
        return telematics.redrive(record)
                .chain(() -> done(vehicle, eventId, parkedAt))
                .onFailure(f -> !TransientFailures.isTransient(f)).recoverWithUni(f -> deadLetters.send(record, f)
                        .chain(() -> done(vehicle, eventId, parkedAt)))
                .onFailure().invoke(f -> LOG.warnf("Parked telematics %s of %s not retried now: %s", eventId, vehicle,
                        f.toString()))
                .onFailure().recoverWithNull();
    }

    /** Removes the record, unless processing parked it again (then its parked_at moved on). */
    private Uni<Void> done(String vehicle, String eventId, OffsetDateTime parkedAt) {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(DONE)
                .setParameter("v", vehicle).setParameter("e", eventId).setParameter("at", parkedAt).executeUpdate()))
                .replaceWithVoid();
    }

    private static OffsetDateTime offset(Object value) {
        if (value instanceof OffsetDateTime o) {
            return o;
        }
        if (value instanceof Instant i) {
            return i.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(String.valueOf(value));
    }
}
