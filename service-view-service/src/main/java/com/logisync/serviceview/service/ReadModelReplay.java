package com.logisync.serviceview.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.logisync.contracts.Topics;
import com.logisync.runtime.messaging.IdempotentConsumer;
import com.logisync.runtime.rest.ProblemException;
import com.logisync.runtime.vertx.PeriodicTask;
import com.logisync.runtime.vertx.SafeContext;
import com.logisync.serviceview.config.ReplayConfig;
import com.logisync.serviceview.notify.FeedEventIdIndex;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Rebuilds the read model from a snapshot plus the topics.
 *
 * <p><b>Snapshots.</b> Every {@code logisync.replay.snapshot-every} (and on demand) one replica copies the
 * read model (cases, timeline, stages, keys, customer preferences, service tasks and the processed-event
 * ledger) into {@code snap_*} tables in one repeatable-read transaction, with the committed offsets of the
 * live consumer groups read just before: everything below those offsets is in the copy; what the copy holds
 * beyond them is re-read harmlessly (the ledger dedupes, every update is order-independent).
 *
 * <p><b>A replay</b> restores the latest snapshot into the live tables (or, without one, empties them, but
 * only while the topics still hold every record from offset 0: otherwise it refuses rather than lose the
 * shipments the topics no longer keep), then reads every topic from the snapshot's offsets to where the topics
 * ended when it began, through the same projection. Live consumers keep running. Its positions are saved
 * after every batch under a lease; a replay whose owner died (a kill, a restart) is resumed from its
 * positions by whichever replica finds the lease expired, this one after its restart included. Service-task
 * events are not published again.
 */
@ApplicationScoped
public class ReadModelReplay {

    private static final Logger LOG = Logger.getLogger(ReadModelReplay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The consumer channels the read model is fed by (their topics and groups come from the configuration). */
    public static final List<String> CHANNELS = List.of("masterdata-in", "orders-in", "milestones-in", "billing-in",
            "tasks-in");
    static final List<String> TOPICS = List.of(Topics.MASTER_DATA, Topics.ORDERS, Topics.MILESTONES, Topics.BILLING,
            Topics.SERVICE_TASKS);
    static final List<String> TABLES = List.of("shipment_case", "case_milestone", "transaction_stage", "case_key",
            "customer_preference", "service_task", "processed_event");
    private static final long SNAPSHOT_LOCK = 0x5EE5_0001L;

    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ReplayState")
    public enum State { IDLE, RUNNING, DONE, FAILED }

    /** Where the replay stands; {@code snapshotTakenAt} when it started from a snapshot, {@code resumed} how often it was taken over. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ReplayStatus")
    public record Status(State state, Instant startedAt, Instant finishedAt, long records, long skipped, String error,
            Instant snapshotTakenAt, int resumed) {
    }

    /** A snapshot: when, how many cases, and the offsets (topic:partition → next offset) it corresponds to. */
    @org.eclipse.microprofile.openapi.annotations.media.Schema(name = "ReplaySnapshot")
    public record Snapshot(long snapshotId, Instant takenAt, int cases, Map<String, Long> offsets) {
    }

    private final IdempotentConsumer consumer;
    private final ShipmentCaseProjection projection;
    private final Cache views;
    private final FeedEventIdIndex feedIndex;
    private final Vertx vertx;
    private final Pool pool;
    private final ReplayConfig config;
    private final Config mpConfig;
    private final String bootstrap;
    private final String me = "view-" + UUID.randomUUID();
    private final AtomicBoolean working = new AtomicBoolean();
    private volatile boolean halted;
    private PeriodicTask snapshots;
    private PeriodicTask resumer;

    public ReadModelReplay(IdempotentConsumer consumer, ShipmentCaseProjection projection,
            @CacheName(CaseViewQueries.CASE_VIEWS) Cache views, FeedEventIdIndex feedIndex, Vertx vertx, Pool pool,
            ReplayConfig config, Config mpConfig, @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.consumer = consumer;
        this.projection = projection;
        this.views = views;
        this.feedIndex = feedIndex;
        this.vertx = vertx;
        this.pool = pool;
        this.config = config;
        this.mpConfig = mpConfig;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent ev) {
        snapshots = PeriodicTask.every(vertx, config.snapshotEvery(), "Read-model snapshot",
                () -> takeSnapshot(false).replaceWithVoid());
        snapshots.start();
        // A replay left RUNNING by a process that died is picked up once its lease has run out.
        resumer = PeriodicTask.every(vertx, config.lease().dividedBy(2), "Replay resumption", this::resumeAbandoned);
        resumer.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        halt();
        if (snapshots != null) {
            snapshots.stop();
            resumer.stop();
        }
    }

    /** Whether this process's replay worker is running. */
    public boolean working() {
        return working.get();
    }

    /**
     * Stops this process's replay worker where it is, and any it starts later, leaving the replay RUNNING for
     * a resumption: what shutdown does, and what a test does to play a pod that dies mid-replay.
     */
    public void halt() {
        halted = true;
    }

    // ------------------------------------------------------------------------------------------ status

    public Uni<Status> status() {
        return pool.query("select state, started_at, finished_at, records, skipped, error, snapshot_taken_at, resumed"
                + " from read_model_replay where id = 1").execute().map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return new Status(State.IDLE, null, null, 0, 0, null, null, 0);
                    }
                    Row r = rows.iterator().next();
                    return new Status(State.valueOf(r.getString("state")), instant(r, "started_at"),
                            instant(r, "finished_at"), r.getLong("records"), r.getLong("skipped"), r.getString("error"),
                            instant(r, "snapshot_taken_at"), r.getInteger("resumed"));
                });
    }

    /** The latest snapshot, or null. */
    public Uni<Snapshot> latestSnapshot() {
        return pool.query("select snapshot_id, taken_at, cases, offsets from read_model_snapshot"
                + " order by snapshot_id desc limit 1").execute().map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row r = rows.iterator().next();
                    return new Snapshot(r.getLong("snapshot_id"), instant(r, "taken_at"), r.getInteger("cases"),
                            offsets(r.getString("offsets")));
                });
    }

    // ------------------------------------------------------------------------------------------ snapshots

    /**
     * Takes a snapshot now. {@code demanded}: an operator asked (409 while a replay runs, or while another
     * replica takes one); otherwise the periodic round, which simply skips then.
     */
    public Uni<Snapshot> takeSnapshot(boolean demanded) {
        return status().chain(s -> {
            if (s.state() == State.RUNNING) {
                return demanded ? Uni.createFrom().failure(ProblemException.conflict("replay-running",
                        "A replay is running; a snapshot now would copy a half-rebuilt read model", Map.of()))
                        : Uni.createFrom().nullItem();
            }
            return blocking(this::committedOffsets).chain(offsets -> pool.withTransaction(c -> c
                    .query("set transaction isolation level repeatable read").execute()
                    .chain(() -> c.preparedQuery("select pg_try_advisory_xact_lock($1) as got").execute(Tuple.of(SNAPSHOT_LOCK)))
                    .chain(got -> {
                        if (!got.iterator().next().getBoolean("got")) {
                            return demanded ? Uni.createFrom().failure(ProblemException.conflict("snapshot-running",
                                    "Another replica is taking a snapshot", Map.of()))
                                    : Uni.createFrom().<Snapshot>nullItem();
                        }
                        return copyTables(c, offsets);
                    })));
        }).invoke(snap -> {
            if (snap != null) {
                LOG.infof("Read-model snapshot %d taken: %d cases, offsets %s", snap.snapshotId(), snap.cases(),
                        snap.offsets());
            }
        });
    }

    private Uni<Snapshot> copyTables(SqlConnection c, Map<String, Long> offsets) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String table : TABLES) {
            chain = chain.chain(() -> c.query("drop table if exists snap_" + table).execute())
                    .chain(() -> c.query("create table snap_" + table + " as select * from " + table).execute())
                    .replaceWithVoid();
        }
        Instant now = Instant.now();
        return chain.chain(() -> c.query("select count(*) as n from snap_shipment_case").execute())
                .chain(count -> {
                    int cases = count.iterator().next().getLong("n").intValue();
                    long id = now.toEpochMilli();
                    return c.query("delete from read_model_snapshot").execute()
                            .chain(() -> c.preparedQuery("insert into read_model_snapshot (snapshot_id, taken_at, offsets,"
                                    + " cases) values ($1, $2, $3, $4)").execute(Tuple.of(id, utc(now), json(offsets),
                                    cases)))
                            .map(x -> new Snapshot(id, now, cases, offsets));
                });
    }

    /**
     * The live consumer groups' committed offsets per partition: every record below them has been applied and
     * committed to the database. A partition a group has never committed starts at its earliest offset.
     */
    private Map<String, Long> committedOffsets() {
        Map<String, Long> out = new TreeMap<>();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Map<String, Long> earliest = earliestOffsets();
            for (String channel : CHANNELS) {
                String topic = mpConfig.getValue("mp.messaging.incoming." + channel + ".topic", String.class);
                String group = mpConfig.getValue("mp.messaging.incoming." + channel + ".group.id", String.class);
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                earliest.forEach((key, first) -> {
                    if (key.startsWith(topic + ":")) {
                        OffsetAndMetadata c = committed.get(partition(key));
                        out.put(key, c == null ? first : Math.max(first, c.offset()));
                    }
                });
            }
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the consumer groups' offsets: " + e.getMessage(), e);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------ replay

    /** Starts a replay; 409 while one runs, or when the topics no longer hold what a replay would need. */
    public Uni<Status> start() {
        return status().chain(current -> {
            if (current.state() == State.RUNNING) {
                return Uni.createFrom().failure(ProblemException.conflict("replay-running",
                        "A replay started at " + current.startedAt() + " is still running", Map.of()));
            }
            return latestSnapshot().chain(snapshot -> blocking(this::earliestOffsets).chain(earliest -> {
                Map<String, Long> positions = new TreeMap<>();
                List<String> gaps = new ArrayList<>();
                earliest.forEach((key, first) -> {
                    long from = snapshot == null ? 0 : snapshot.offsets().getOrDefault(key, 0L);
                    if (first > from) {
                        gaps.add(key + " starts at " + first + ", the replay needs " + from);
                    }
                    positions.put(key, Math.max(from, first));
                });
                if (!gaps.isEmpty()) {
                    return Uni.createFrom().failure(ProblemException.conflict(
                            snapshot == null ? "topics-incomplete" : "snapshot-too-old",
                            (snapshot == null ? "No snapshot exists and the topics no longer hold every record"
                                    : "The snapshot of " + snapshot.takenAt() + " is older than the topics keep")
                                    + " (" + String.join("; ", gaps) + "): a replay would lose the shipments only they"
                                    + " held. Take a snapshot (POST /api/v1/ops/view/replay/snapshot) while the read model"
                                    + " is sound, or raise the topics' retention above logisync.replay.snapshot-every.",
                            Map.of("gaps", gaps)));
                }
                // The timeline goes back to the snapshot, the customer feed does not: the feed's unique index on
                // event ids is built first, so that no milestone's event is added to it twice (FeedEventIdIndex).
                // PostgreSQL's refusal (an event id the feed holds twice) is a 409; the database away stays what it is.
                return feedIndex.build(config.feedIndexKeptFor())
                        .onFailure(io.vertx.pgclient.PgException.class).transform(t -> ProblemException.conflict(
                                "feed-index", "The customer feed's unique index on event_id, which a replay needs,"
                                + " could not be built: " + t.getMessage()
                                + (((io.vertx.pgclient.PgException) t).getDetail() != null
                                        ? " (" + ((io.vertx.pgclient.PgException) t).getDetail() + ")" : ""), Map.of()))
                        .chain(() -> pool.withTransaction(c -> c.preparedQuery("select pg_advisory_xact_lock($1)")
                        .execute(Tuple.of(FeedEventIdIndex.LOCK))
                        .chain(() -> FeedEventIdIndex.present(c))
                        .chain(present -> present ? restore(c, snapshot) : Uni.createFrom().failure(
                                ProblemException.conflict("feed-index", "The customer feed's unique index on event_id"
                                        + " went away before the restore; start the replay again", Map.of())))
                        .chain(() -> c.preparedQuery("insert into read_model_replay (id, state, started_at, snapshot_id,"
                                + " snapshot_taken_at, positions, end_offsets, records, skipped, resumed, error, owner,"
                                + " heartbeat_at, finished_at) values (1, 'RUNNING', now(), $1, $2, $3, null, 0, 0, 0,"
                                + " null, $4, now(), null) on conflict (id) do update set state = 'RUNNING',"
                                + " started_at = now(), snapshot_id = $1, snapshot_taken_at = $2, positions = $3,"
                                + " end_offsets = null, records = 0, skipped = 0, resumed = 0, error = null, owner = $4,"
                                + " heartbeat_at = now(), finished_at = null")
                                .execute(Tuple.of(snapshot == null ? null : snapshot.snapshotId(),
                                        snapshot == null ? null : utc(snapshot.takenAt()), json(positions), me)))))
                        .chain(() -> views.invalidateAll())
                        .invoke(() -> LOG.infof("Replaying the read model from %s, %s", TOPICS, snapshot == null
                                ? "from the topics' beginning" : "from the snapshot of " + snapshot.takenAt()))
                        .invoke(this::startWorker)
                        .chain(this::status);
            }));
        });
    }

    /**
     * Empties the live tables and, with a snapshot, fills them from it (the columns both have, but those the database
     * generates). The customers'
     * change feed ({@code case_change}) is not in the snapshot: it is derived from the restored cases.
     */
    private Uni<Void> restore(SqlConnection c, Snapshot snapshot) {
        Uni<Void> chain = c.query("truncate " + String.join(", ", TABLES) + ", case_change").execute().replaceWithVoid();
        if (snapshot == null) {
            return chain;
        }
        for (String table : TABLES) {
            chain = chain.chain(() -> c.preparedQuery("select string_agg(quote_ident(l.column_name), ', ' order by"
                    + " l.ordinal_position) as cols from information_schema.columns l join information_schema.columns s"
                    + " on s.table_schema = l.table_schema and s.table_name = 'snap_' || l.table_name"
                    + " and s.column_name = l.column_name where l.table_schema = current_schema() and l.table_name = $1"
                    // A generated column (case_milestone.task_fact) is computed again, never copied.
                    + " and l.is_generated = 'NEVER'")
                    .execute(Tuple.of(table))
                    .chain(rows -> {
                        String cols = rows.iterator().next().getString("cols");
                        return c.query("insert into " + table + " (" + cols + ") select " + cols + " from snap_" + table)
                                .execute();
                    }).replaceWithVoid());
        }
        return chain.chain(() -> c.query(CHANGE_FEED_OF_CASES).execute()).replaceWithVoid();
    }

    /** Each restored case with a customer, at its place in the customer's change feed. */
    static final String CHANGE_FEED_OF_CASES = "insert into case_change (shipment_id, customer_id, changed_at)"
            + " select shipment_id, customer_id, updated_at from shipment_case where customer_id is not null";

    /** Resumes a RUNNING replay whose owner stopped renewing its lease (killed, restarted, partitioned away). */
    public Uni<Void> resumeAbandoned() {
        if (working.get()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("update read_model_replay set owner = $1, heartbeat_at = now(), resumed = resumed + 1"
                + " where id = 1 and state = 'RUNNING' and (owner is distinct from $1)"
                + " and heartbeat_at < now() - make_interval(secs => $2)")
                .execute(Tuple.of(me, (double) config.lease().toMillis() / 1000.0))
                .invoke(rows -> {
                    if (rows.rowCount() == 1) {
                        LOG.warnf("Resuming the read-model replay its former owner abandoned");
                        halted = false;
                        startWorker();
                    }
                }).replaceWithVoid();
    }

    private void startWorker() {
        if (!working.compareAndSet(false, true)) {
            return;
        }
        Thread worker = new Thread(() -> {
            try {
                run();
            } finally {
                working.set(false);
            }
        }, "read-model-replay");
        worker.setDaemon(true);
        worker.start();
    }

    private void run() {
        long records = 0;
        long skipped = 0;
        try {
            Row row = await(pool.query("select positions, end_offsets, records, skipped from read_model_replay"
                    + " where id = 1").execute()).iterator().next();
            Map<String, Long> positions = offsets(row.getString("positions"));
            records = row.getLong("records");
            skipped = row.getLong("skipped");
            Map<String, Long> end;
            if (row.getString("end_offsets") == null) {
                // Read once, after the restore committed: what arrives later the live consumers apply.
                end = endOffsets();
                if (!lease(positions, end, records, skipped)) {
                    return;
                }
            } else {
                end = offsets(row.getString("end_offsets"));
            }
            Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.batchSize(),
                    ConsumerConfig.CLIENT_ID_CONFIG, "service-view-service-replay");
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer())) {
                List<TopicPartition> partitions = new ArrayList<>();
                end.keySet().forEach(k -> partitions.add(partition(k)));
                kafka.assign(partitions);
                for (TopicPartition p : partitions) {
                    kafka.seek(p, positions.getOrDefault(key(p), 0L));
                }
                while (partitions.stream().anyMatch(p -> positions.getOrDefault(key(p), 0L) < end.get(key(p)))) {
                    if (halted) {
                        LOG.infof("Read-model replay halted after %d records; it resumes where it stopped", records);
                        return;
                    }
                    ConsumerRecords<String, String> batch = kafka.poll(Duration.ofMillis(500));
                    List<ConsumerRecord<String, String>> todo = new ArrayList<>(batch.count());
                    for (ConsumerRecord<String, String> record : batch) {
                        if (record.offset() < end.get(record.topic() + ":" + record.partition())) {
                            todo.add(record); // what arrived after the replay began the live consumers apply
                        }
                    }
                    if (!todo.isEmpty()) {
                        // A polled batch in one transaction, as the live consumers apply theirs.
                        SafeContext.run(vertx, () -> {
                            Vertx.currentContext().putLocal(ServiceTasks.REPLAYING, true);
                            return consumer.applyBatch(todo, projection::applyAll, false,
                                    ShipmentCaseProjection::needsLedger);
                        }).await().atMost(Duration.ofSeconds(120));
                        records += todo.size();
                        java.util.Set<String> shipments = new java.util.LinkedHashSet<>();
                        for (ConsumerRecord<String, String> record : todo) {
                            positions.put(record.topic() + ":" + record.partition(), record.offset() + 1);
                            if (record.key() != null) {
                                shipments.add(record.key());
                            }
                        }
                        for (String shipment : shipments) {
                            views.invalidate(shipment).await().atMost(Duration.ofSeconds(5));
                        }
                    }
                    for (TopicPartition p : partitions) {
                        positions.put(key(p), Math.max(positions.getOrDefault(key(p), 0L), Math.min(kafka.position(p),
                                end.get(key(p)))));
                    }
                    if (!lease(positions, end, records, skipped)) {
                        LOG.warnf("Another replica took the read-model replay over; this one stops");
                        return;
                    }
                }
            }
            if (halted) {
                return;
            }
            views.invalidateAll().await().atMost(Duration.ofSeconds(5));
            await(pool.preparedQuery("update read_model_replay set state = 'DONE', finished_at = now(), records = $2,"
                    + " skipped = $3, positions = $4 where id = 1 and owner = $1")
                    .execute(Tuple.of(me, records, skipped, json(positions))));
            LOG.infof("Read model replayed: %d records (%d unusable, skipped)", records, skipped);
        } catch (RuntimeException e) {
            if (halted) {
                return;
            }
            LOG.errorf(e, "Read model replay failed after %d records", records);
            try {
                await(pool.preparedQuery("update read_model_replay set state = 'FAILED', finished_at = now(),"
                        + " error = $2, records = $3, skipped = $4 where id = 1 and owner = $1")
                        .execute(Tuple.of(me, e.toString(), records, skipped)));
            } catch (RuntimeException ignored) {
                // the database is away: the lease runs out and another round resumes it
            }
        }
    }

    /** Saves progress and renews the lease; false when another replica owns the replay now. */
    private boolean lease(Map<String, Long> positions, Map<String, Long> end, long records, long skipped) {
        return await(pool.preparedQuery("update read_model_replay set positions = $2, end_offsets = $3, records = $4,"
                + " skipped = $5, heartbeat_at = now() where id = 1 and owner = $1 and state = 'RUNNING'")
                .execute(Tuple.of(me, json(positions), json(end), records, skipped))).rowCount() == 1;
    }

    // ------------------------------------------------------------------------------------------ offsets

    private Map<String, Long> earliestOffsets() {
        try (KafkaConsumer<String, String> kafka = offsetReader()) {
            Map<String, Long> out = new TreeMap<>();
            kafka.beginningOffsets(partitions(kafka), Duration.ofSeconds(30)).forEach((p, o) -> out.put(key(p), o));
            return out;
        }
    }

    private Map<String, Long> endOffsets() {
        try (KafkaConsumer<String, String> kafka = offsetReader()) {
            Map<String, Long> out = new TreeMap<>();
            kafka.endOffsets(partitions(kafka), Duration.ofSeconds(30)).forEach((p, o) -> out.put(key(p), o));
            return out;
        }
    }

    private KafkaConsumer<String, String> offsetReader() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG, "service-view-service-replay-offsets"), new StringDeserializer(),
                new StringDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> kafka) {
        List<TopicPartition> out = new ArrayList<>();
        for (String topic : TOPICS) {
            kafka.partitionsFor(topic, Duration.ofSeconds(30)).forEach(p -> out.add(new TopicPartition(p.topic(),
                    p.partition())));
        }
        return out;
    }

    private static String key(TopicPartition p) {
        return p.topic() + ":" + p.partition();
    }

    private static TopicPartition partition(String key) {
        int i = key.lastIndexOf(':');
        return new TopicPartition(key.substring(0, i), Integer.parseInt(key.substring(i + 1)));
    }

    // ------------------------------------------------------------------------------------------ plumbing

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> work) {
        return Uni.createFrom().item(work).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private <T> T await(Uni<T> uni) {
        return SafeContext.run(vertx, () -> uni).await().atMost(Duration.ofSeconds(60));
    }

    private static String json(Map<String, Long> offsets) {
        try {
            return JSON.writeValueAsString(offsets);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Long> offsets(String json) {
        try {
            return new TreeMap<>(JSON.readValue(json, new TypeReference<HashMap<String, Long>>() {
            }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable offsets " + json, e);
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return com.logisync.runtime.json.IsoTimes.atUtc(instant);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
