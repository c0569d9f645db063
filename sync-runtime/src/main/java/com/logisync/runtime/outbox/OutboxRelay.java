package com.logisync.runtime.outbox;

import com.logisync.runtime.config.LogiSyncConfig;
import com.logisync.runtime.tracing.TraceContexts;
import com.logisync.runtime.vertx.SafeContext;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.OffsetDateTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Publishes the outbox log to Kafka as binary-mode CloudEvents, replicas sharing the work.
 *
 * <p><b>The log.</b> Every transaction that writes outbox rows gets a commit sequence number at
 * commit time (a deferred trigger and a one-row counter whose lock is held until the commit is
 * visible, {@code V0.5__outbox_log.sql}), so {@code commit_seq} order is commit order, and a reader that has seen a commit has seen every earlier one: a high-water mark
 * never skips a transaction that took its row ids early and committed late. A service may keep some of
 * its log's rows in a table of its own instead of writing an outbox row for each (milestone-service: the
 * recorded milestone's row, {@code V0.8__outbox_log_rows_of_a_service.sql}); the relay reads every row
 * through the view {@code outbox_rows} and never changes them.
 *
 * <p><b>Shared by replicas.</b> Rows fall into {@value #PARTITIONS} relay partitions by their
 * partition key (the shipment), so a shipment's events are in one partition, in commit order. Each
 * replica registers as a member, leases a fair share of the partitions ({@code ceil(16 / members)};
 * a lease row with an owner, an expiry and a fencing token) and publishes only those; when a replica
 * joins, the others hand partitions over, and when one dies its leases expire
 * ({@code logisync.outbox.lease}) and the others take them. Each partition has a high-water mark, a
 * commit number advanced only after Kafka acknowledged every row of its partition up to it (rounds take
 * whole commits, a shipment's rows of one commit in row order), and
 * only while the lease (the fencing token) is still this replica's: nothing is stamped or deleted per
 * row; fully published transactions are purged in bulk after {@code logisync.outbox.retention}. A
 * crash (or a lost lease) between Kafka's acknowledgement and the mark publishes the rows again,
 * which idempotent consumers absorb (at least once, never lost, a shipment's first deliveries in
 * order).
 *
 * <p>Per round, one PRODUCER span for the events that share a stored trace context and a topic, whose
 * {@code traceparent} the records carry. No database transaction is open while Kafka is asked.
 *
 * <p>A row Kafka refuses for good (a record too large, an invalid topic) never blocks the rows behind
 * it: it is tried {@code MAX_ATTEMPTS} times in all, then moved to {@code outbox_dead} with its reason
 * and announced on {@code <topic>.dlq}, and the mark passes it. Any other failure (the broker away)
 * advances nothing: the round is sent again.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Relay partitions; the same 16 as the generated column {@code outbox_event.part} (and {@code milestone.part}). */
    public static final int PARTITIONS = 16;

    /**
     * The commits after the lowest mark of the partitions held, with how many events each wrote. A
     * round takes whole commits (at least one) up to the batch size, then reads their rows of the
     * partitions held by transaction id: two index lookups whose plans do not depend on how stale the
     * statistics of a table that grows by the million are (a join of the two was planned as a
     * sequential scan of the whole outbox per round).
     */
    private static final String SELECT_COMMITS = "select txid, commit_seq, events from outbox_txn"
            + " where commit_seq > $1 order by commit_seq limit $2";
    /**
     * Through {@code outbox_rows}: the row's payload, or where its {@code payload_ref} says the service keeps it
     * (V0.7__outbox_payload_ref.sql; milestone-service reads a recorded milestone's from its milestone row).
     */
    private static final String SELECT_ROWS = "select seq, txid, part, event_id, topic, partition_key, ce_type,"
            + " payload, traceparent, created_at from outbox_rows where txid = any($1::bigint[]) and part = any($2::int[])";
    /**
     * The round's rows are read through {@code outbox_event_txid}, never by reading the whole queue: a queue
     * table's statistics swing with what ANALYZE caught (a commit holds 1 to 1,000 rows), and with a backlog of
     * ten commits the planner took each for a tenth of the table and scanned all of it, every round (a
     * benchmark phase: 590 sequential scans, 7 blocks read per published event, publication behind
     * acceptance; docs/benchmarks.md). Set for the read's own short transaction only.
     */
    private static final String USE_THE_INDEX = "set local enable_seqscan = off";
    /** Advances the marks of the partitions whose fencing token is still ours; answers those. */
    private static final String ADVANCE = "update outbox_partition p set"
            + " published_commit = greatest(p.published_commit, $3)"
            + " from unnest($1::int[], $2::bigint[]) f(part, fence)"
            + " where p.part = f.part and p.fence = f.fence and p.owner = $4 returning p.part";
    private static final String HEARTBEAT = "insert into outbox_member (member, seen_at) values ($1, now())"
            + " on conflict (member) do update set seen_at = now()";
    private static final String MEMBERS = "select count(*) as n from outbox_member"
            + " where seen_at > now() - make_interval(secs => $1)";
    private static final String RENEW = "update outbox_partition set lease_until = now() + make_interval(secs => $2)"
            + " where owner = $1 returning part, fence, published_commit";
    private static final String RELEASE = "update outbox_partition set owner = null, lease_until = null"
            + " where owner = $1 and part = any($2::int[])";
    private static final String CLAIM = "update outbox_partition set owner = $1,"
            + " lease_until = now() + make_interval(secs => $2), fence = fence + 1"
            + " where part in (select part from outbox_partition where owner is null or lease_until < now()"
            + " order by part limit $3 for update skip locked)"
            + " returning part, fence, published_commit";
    private static final String LEAVE = "with r as (update outbox_partition set owner = null, lease_until = null"
            + " where owner = $1) delete from outbox_member where member = $1";
    private static final String FORGET_MEMBERS = "delete from outbox_member where seen_at < now() - make_interval(secs => $1)";
    private static final String ENSURE_PARTITIONS = "insert into outbox_partition (part)"
            + " select generate_series(0, " + (PARTITIONS - 1) + ") on conflict do nothing";
    /** Transactions published in every partition and older than the retention, oldest first. */
    private static final String PURGEABLE = "select txid, events from outbox_txn where commit_seq <= (select"
            + " min(published_commit) from outbox_partition) and committed_at < now() - make_interval(secs => $1)"
            + " order by commit_seq limit 1000";
    private static final String PURGE = "with e as (delete from outbox_event where txid = any($1::bigint[]))"
            + " delete from outbox_txn where txid = any($1::bigint[])";
    /** Events one purge statement deletes at most. */
    private static final int PURGE_EVENTS = 20_000;

    static final int MAX_ATTEMPTS = 3;
    /**
     * Records sent and not yet acknowledged at most: a round of one large commit (6,000 events in
     * {@code IngestionLimitsTest}) goes to the producer in chunks of this size, so what it buffers per round
     * stays bounded whatever a transaction wrote.
     */
    static final int SEND_WINDOW = 1000;
    /**
     * Counts an attempt on the row: an outbox row in its own columns, a row of the service's own log table (a recorded
     * milestone, which the relay never changes) in {@code outbox_log_attempt} (V0.8).
     */
    private static final String COUNT_ATTEMPT = "with o as (update outbox_event set attempts = attempts + 1,"
            + " last_error = $2 where seq = $1 returning attempts),"
            + " l as (insert into outbox_log_attempt (seq, attempts, last_error) select $1, 1, $2 where not exists"
            + " (select 1 from o) on conflict (seq) do update set attempts = outbox_log_attempt.attempts + 1,"
            + " last_error = excluded.last_error returning attempts)"
            + " select attempts from o union all select attempts from l";
    /**
     * Keeps the row in {@code outbox_dead} as the relay read it (payload included) and removes its outbox row, if it
     * has one: a row of the service's own log table stays where it is, and the marks pass it.
     */
    private static final String BURY = "with gone as (delete from outbox_event where seq = $1),"
            + " forgotten as (delete from outbox_log_attempt where seq = $1)"
            + " insert into outbox_dead (seq, event_id, topic, partition_key, ce_type, payload, traceparent, created_at,"
            + " reason) values ($1, $3, $4, $5, $6, coalesce($7, ''), $8, $9, $2)";

    private final Pool pool;
    /** The channel whose producer publishes the outbox (configured in sync-runtime's microprofile-config). */
    static final String CHANNEL = "logisync-events";
    private static final byte[] SPEC_VERSION = "1.0".getBytes(StandardCharsets.UTF_8);
    private static final byte[] JSON = "application/json".getBytes(StandardCharsets.UTF_8);
    /** Keeps the channel (and so its producer) wired; the records go to the producer directly ({@link #sendInOrder}). */
    private final MutinyEmitter<String> emitter;
    private final io.smallrye.reactive.messaging.kafka.KafkaClientService kafkaClients;
    private volatile io.smallrye.reactive.messaging.kafka.KafkaProducer<String, String> producer;
    private final byte[] sourceHeader;
    private final Vertx vertx;
    private final LogiSyncConfig config;
    private final URI source;
    private final Tracer tracer;
    private final AtomicBoolean running = new AtomicBoolean();
    /** Which start the relay loop belongs to ({@link #scheduleNext}). */
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    private final com.logisync.runtime.deadletter.DeadLetters deadLetters;
    private final String member;
    /** The partitions this replica holds: fencing token and mark of each. */
    private final Map<Integer, Lease> leases = new TreeMap<>();
    /** When (System.nanoTime) the leases were last renewed and how long they are good for locally. */
    private long renewedAt;
    private boolean everRenewed;
    private volatile long lastPurge;
    private volatile boolean purgeBehind;
    private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();
    /** The log rows this replica's rounds took from the writers' hand-over, and read from the database. */
    private final java.util.concurrent.atomic.AtomicLong rowsHandedOver = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong rowsRead = new java.util.concurrent.atomic.AtomicLong();
    private final OutboxHandOver handOver;

    /** A partition held: its fencing token, and how far it is published. */
    private static final class Lease {
        final long fence;
        long commit;

        Lease(long fence, long commit) {
            this.fence = fence;
            this.commit = commit;
        }
    }

    @jakarta.inject.Inject
    public OutboxRelay(Pool pool, @Channel(CHANNEL) MutinyEmitter<String> emitter,
            io.smallrye.reactive.messaging.kafka.KafkaClientService kafkaClients, Vertx vertx,
            LogiSyncConfig config, Tracer tracer, com.logisync.runtime.deadletter.DeadLetters deadLetters,
            OutboxHandOver handOver) {
        this(pool, emitter, kafkaClients, vertx, config, tracer, deadLetters, handOver, config.serviceName() + "@"
                + System.getenv().getOrDefault("HOSTNAME", "local") + "/" + Outbox.fastUuid().substring(28));
    }

    /** A relay with its own member name: tests run two replicas in one process. */
    public OutboxRelay(Pool pool, MutinyEmitter<String> emitter,
            io.smallrye.reactive.messaging.kafka.KafkaClientService kafkaClients, Vertx vertx, LogiSyncConfig config,
            Tracer tracer, com.logisync.runtime.deadletter.DeadLetters deadLetters, OutboxHandOver handOver,
            String member) {
        this.kafkaClients = kafkaClients;
        this.handOver = handOver;
        this.deadLetters = deadLetters;
        this.tracer = tracer;
        this.pool = pool;
        this.emitter = emitter;
        this.vertx = vertx;
        this.config = config;
        this.member = member;
        this.source = URI.create("/logisync/" + config.serviceName());
        this.sourceHeader = source.toString().getBytes(StandardCharsets.UTF_8);
    }

    void start(@Observes StartupEvent event) {
        if (config.outbox().relayEnabled()) {
            start();
        }
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            stop().await().atMost(java.time.Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("Outbox relay %s could not give its partitions up: %s", member, e.toString());
        }
    }

    /** Starts relaying (the service does at startup when the relay is enabled). */
    public void start() {
        if (running.compareAndSet(false, true)) {
            scheduleNext(1, generation.incrementAndGet());
        }
    }

    /**
     * Stops relaying and gives the partitions up, so the other replicas take them at once instead of
     * after the lease; a round in flight finishes (its marks are fenced anyway).
     */
    public Uni<Void> stop() {
        if (!running.getAndSet(false)) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery(LEAVE).execute(Tuple.of(member)).replaceWithVoid()
                .invoke(() -> {
                    synchronized (leases) {
                        leases.clear();
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Another replica on the same database and broker, under its own member name (tests, benchmarks). */
    public OutboxRelay replica(String memberName) {
        return new OutboxRelay(pool, emitter, kafkaClients, vertx, config, tracer, deadLetters, handOver, memberName);
    }

    /** How many events this replica has published since it started. */
    public long publishedCount() {
        return published.get();
    }

    /** How many log rows this replica's rounds took from the writers' hand-over in memory ({@link OutboxHandOver}). */
    public long rowsHandedOver() {
        return rowsHandedOver.get();
    }

    /** How many log rows this replica's rounds read from the database. */
    public long rowsRead() {
        return rowsRead.get();
    }

    /** This replica's member name, and the partitions it holds now. */
    public String member() {
        return member;
    }

    public java.util.Set<Integer> partitions() {
        synchronized (leases) {
            return java.util.Set.copyOf(leases.keySet());
        }
    }

    /**
     * The next round of the loop started as {@code loop}: a stop ends it, and a start after a stop begins a new
     * loop, so a round the old loop had scheduled never runs beside the new one.
     */
    private void scheduleNext(long delayMillis, long loop) {
        if (!running.get() || generation.get() != loop) {
            return;
        }
        vertx.setTimer(Math.max(1, delayMillis), id -> {
            if (!running.get() || generation.get() != loop) {
                return;
            }
            SafeContext.run(vertx.getDelegate(), this::relayOnce).subscribe().with(
                    published -> scheduleNext(published >= config.outbox().batchSize() / 2 ? 1
                            : config.outbox().pollInterval().toMillis(), loop),
                    failure -> {
                        if (running.get()) {
                            LOG.warnf("Outbox relay round failed, retrying: %s", failure.toString());
                        }
                        scheduleNext(Math.max(1000, config.outbox().pollInterval().toMillis()), loop);
                    });
        });
    }

    /** One round: keep the leases, publish the next rows of the partitions held; returns how many it published. */
    public Uni<Integer> relayOnce() {
        return keepLeases().chain(this::publishRound).call(this::purgeOccasionally);
    }

    private double leaseSeconds() {
        return config.outbox().lease().toMillis() / 1000.0;
    }

    /**
     * Every fifth of the lease: heartbeat, renew what this replica holds (learning what it lost),
     * then hand over what is beyond its fair share or claim free and expired partitions up to it.
     */
    private Uni<Void> keepLeases() {
        long lease = config.outbox().lease().toNanos();
        if (everRenewed && System.nanoTime() - renewedAt < lease / 5) {
            return Uni.createFrom().voidItem();
        }
        long started = System.nanoTime();
        double secs = leaseSeconds();
        Uni<Void> first = everRenewed ? Uni.createFrom().voidItem()
                : pool.query(ENSURE_PARTITIONS).execute().replaceWithVoid();
        return first.chain(() -> pool.preparedQuery(HEARTBEAT).execute(Tuple.of(member)))
                .chain(() -> pool.preparedQuery(MEMBERS).execute(Tuple.of(secs)))
                .chain(members -> {
                    long alive = Math.max(1, members.iterator().next().getLong("n"));
                    int share = (int) ((PARTITIONS + alive - 1) / alive);
                    return pool.preparedQuery(RENEW).execute(Tuple.of(member, secs)).chain(renewed -> {
                        Map<Integer, Lease> held = read(renewed);
                        synchronized (leases) {
                            for (Integer lost : leases.keySet()) {
                                if (!held.containsKey(lost)) {
                                    LOG.warnf("Outbox relay %s lost its lease on partition %d", member, lost);
                                }
                            }
                            leases.clear();
                            leases.putAll(held);
                        }
                        renewedAt = started;
                        everRenewed = true;
                        if (held.size() > share) {
                            List<Integer> extra = new ArrayList<>(held.keySet()).subList(share, held.size());
                            Integer[] handOver = extra.toArray(Integer[]::new);
                            synchronized (leases) {
                                extra.forEach(leases::remove);
                            }
                            LOG.infof("Outbox relay %s hands partitions %s over (%d members, a share of %d)", member,
                                    java.util.Arrays.toString(handOver), alive, share);
                            return pool.preparedQuery(RELEASE).execute(Tuple.of(member, handOver)).replaceWithVoid();
                        }
                        if (held.size() < share) {
                            return pool.preparedQuery(CLAIM).execute(Tuple.of(member, secs, share - held.size()))
                                    .invoke(claimed -> {
                                        Map<Integer, Lease> taken = read(claimed);
                                        if (!taken.isEmpty()) {
                                            LOG.infof("Outbox relay %s took partitions %s (%d members, a share of %d)",
                                                    member, taken.keySet(), alive, share);
                                        }
                                        synchronized (leases) {
                                            leases.putAll(taken);
                                        }
                                    }).replaceWithVoid();
                        }
                        return Uni.createFrom().voidItem();
                    });
                })
                .call(() -> Math.random() < 0.05 ? pool.preparedQuery(FORGET_MEMBERS).execute(Tuple.of(secs * 10))
                        : Uni.createFrom().voidItem());
    }

    private static Map<Integer, Lease> read(RowSet<Row> rows) {
        Map<Integer, Lease> held = new TreeMap<>();
        for (Row row : rows) {
            held.put((int) row.getShort("part"), new Lease(row.getLong("fence"), row.getLong("published_commit")));
        }
        return held;
    }

    /** A row of the round, where it sits in the log. */
    private record Positioned(long commit, long seq, LogRow row) {
    }

    private Uni<Integer> publishRound() {
        Map<Integer, Lease> held;
        synchronized (leases) {
            held = new TreeMap<>(leases);
        }
        // Never publish on a lease that may have expired: it is renewed first (next round).
        if (held.isEmpty() || System.nanoTime() - renewedAt > config.outbox().lease().toNanos() * 4 / 5) {
            return Uni.createFrom().item(0);
        }
        // The lowest mark of the partitions held: a partition taken over may be behind the others.
        long after = held.values().stream().mapToLong(l -> l.commit).min().getAsLong();
        int limit = config.outbox().batchSize();
        Integer[] parts = held.keySet().toArray(Integer[]::new);
        return pool.preparedQuery(SELECT_COMMITS).execute(Tuple.of(after, 1000)).chain(commits -> {
            if (commits.size() == 0) {
                return Uni.createFrom().item(0);
            }
            Map<Long, Long> commitOf = new java.util.HashMap<>();
            long windowEnd = 0;
            int events = 0;
            // The rows of the window's transactions: handed over in memory by the writer (every one of them, as its
            // commit counted), or read from the database.
            List<LogRow> handedOver = new ArrayList<>();
            List<Long> toRead = new ArrayList<>();
            for (Row c : commits) {
                if (events >= limit && !commitOf.isEmpty()) {
                    break;
                }
                long txid = c.getLong("txid");
                commitOf.put(txid, c.getLong("commit_seq"));
                windowEnd = c.getLong("commit_seq");
                Integer n = c.getInteger("events");
                events += n == null ? 0 : n;
                if (n != null && n > 0) {
                    List<LogRow> kept = handOver.committed(txid, n);
                    if (kept != null) {
                        handedOver.addAll(kept);
                    } else {
                        toRead.add(txid);
                    }
                }
            }
            long end = windowEnd;
            if (events == 0) {
                return advance(held, end).replaceWith(0);
            }
            int fromMemory = handedOver.size();
            int[] fromDatabase = {0};
            Uni<List<LogRow>> rows = toRead.isEmpty() ? Uni.createFrom().item(handedOver)
                    : readRows(toRead, parts).map(read -> {
                        fromDatabase[0] = read.size();
                        read.addAll(handedOver);
                        return read;
                    });
            // Counted and forgotten once the round is published; a failed round takes them again.
            return rows.chain(all -> publish(held, commitOf, all, end)).invoke(() -> {
                rowsHandedOver.addAndGet(fromMemory);
                rowsRead.addAndGet(fromDatabase[0]);
                handOver.counted(fromMemory, fromDatabase[0]);
                handOver.forget(commitOf.keySet());
            });
        });
    }

    /** The log rows of these transactions in these relay partitions, read from the database. */
    private Uni<List<LogRow>> readRows(List<Long> txids, Integer[] parts) {
        Tuple keys = Tuple.of(txids.toArray(Long[]::new), parts);
        return pool.withTransaction(c -> c.query(USE_THE_INDEX).execute()
                        .chain(() -> c.preparedQuery(SELECT_ROWS).execute(keys)))
                .map(found -> {
                    List<LogRow> rows = new ArrayList<>(found.size());
                    for (Row row : found) {
                        rows.add(LogRow.of(row));
                    }
                    return rows;
                });
    }

    /**
     * Every log row of transaction {@code txid}, in every partition, read from the database as a round reads them (in
     * row order): what the relay publishes of it whether or not its rows were handed over in memory (tests compare).
     */
    public Uni<List<LogRow>> readRows(long txid) {
        Integer[] all = new Integer[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            all[p] = p;
        }
        return readRows(List.of(txid), all).invoke(rows -> rows.sort(java.util.Comparator.comparingLong(LogRow::seq)));
    }

    /** Sends the rows of the round in commit order, then row order; advances the marks when Kafka has them all. */
    private Uni<Integer> publish(Map<Integer, Lease> held, Map<Long, Long> commitOf, List<LogRow> rows, long end) {
        List<Positioned> batch = new ArrayList<>(rows.size());
        for (LogRow row : rows) {
            long commit = commitOf.get(row.txid());
            Lease lease = held.get(row.part());
            if (lease != null && commit > lease.commit) {
                batch.add(new Positioned(commit, row.seq(), row));
            }
        }
        if (batch.isEmpty()) {
            return advance(held, end).replaceWith(0);
        }
        batch.sort(java.util.Comparator.comparingLong(Positioned::commit).thenComparingLong(Positioned::seq));
        Map<String, PublishSpan> spans = new LinkedHashMap<>();
        // Sent in row order with at most SEND_WINDOW unacknowledged (sendInOrder).
        List<ProducerRecord<String, String>> records = new ArrayList<>(batch.size());
        for (Positioned p : batch) {
            records.add(toRecord(p.row(), spans));
        }
        return sendInOrder(records, producer()::runOnSendingThread)
                .onTermination().invoke((failures, failure, cancelled) -> {
                    // Found once for the round: searched once per shipment's span, it was 14 % of
                    // milestone-service's CPU at 2,000 shipments (a round of 1,000 sends, 500 spans).
                    Throwable first = failure != null ? failure : firstFailure(failures);
                    spans.values().forEach(span -> span.end(first));
                })
                .chain(failures -> settle(batch, failures))
                .chain(() -> advance(held, end))
                .invoke(() -> published.addAndGet(batch.size()))
                .replaceWith(batch.size());
    }

    /** The first send's failure of a round, or null when Kafka acknowledged every record. */
    static Throwable firstFailure(List<Throwable> failures) {
        if (failures != null) {
            for (Throwable f : failures) {
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }

    /**
     * Sends the records in order on the channel's Kafka producer, from its sending thread (a send may block
     * there while the broker is away, never on an event loop), at most {@link #SEND_WINDOW} unacknowledged,
     * and answers each one's failure (null where Kafka acknowledged it, with {@code acks=all}) once all are
     * settled. One chunk of the window at a time, each sent in order by one thread, the next once the last
     * is settled: the idempotent producer keeps that order on the partition.
     *
     * <p>The records go straight to the producer, not through the channel's {@code Message} pipeline: a
     * {@code Message} with two metadata objects per record, the connector's conversion and an acknowledgement
     * chain per record on Kafka's I/O thread came to 15 % of milestone-service's CPU under batch load, and a
     * {@code Multi.merge(SEND_WINDOW)} before this walked every in-flight send on each completion, quadratic
     * in the round (5.6 %; async-profiler, docs/benchmarks.md). The records carry the same binary-mode
     * CloudEvents headers the connector wrote ({@link #toRecord}).
     */
    static Uni<List<Throwable>> sendInOrder(List<ProducerRecord<String, String>> records,
            java.util.function.Function<java.util.function.Consumer<Producer<String, String>>, Uni<Void>> onSendingThread) {
        int count = records.size();
        if (count == 0) {
            return Uni.createFrom().item(List.of());
        }
        java.util.concurrent.atomic.AtomicReferenceArray<Throwable> outcome =
                new java.util.concurrent.atomic.AtomicReferenceArray<>(count);
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < count; from += SEND_WINDOW) {
            int start = from;
            int end = Math.min(count, from + SEND_WINDOW);
            chain = chain.chain(() -> sendChunk(records, start, end, outcome, onSendingThread));
        }
        return chain.map(v -> {
            List<Throwable> failures = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                failures.add(outcome.get(k));
            }
            return failures;
        });
    }

    private static Uni<Void> sendChunk(List<ProducerRecord<String, String>> records, int start, int end,
            java.util.concurrent.atomic.AtomicReferenceArray<Throwable> outcome,
            java.util.function.Function<java.util.function.Consumer<Producer<String, String>>, Uni<Void>> onSendingThread) {
        return Uni.createFrom().emitter(em -> {
            java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger(end - start);
            java.util.function.IntConsumer settled = i -> {
                if (waiting.decrementAndGet() == 0) {
                    em.complete(null);
                }
            };
            onSendingThread.apply(producer -> {
                for (int i = start; i < end; i++) {
                    int index = i;
                    ProducerRecord<String, String> record = records.get(i);
                    if (record.value() == null) {
                        // No payload (its payload_ref found nothing): never sent as a null value, which Kafka would
                        // keep as a tombstone; refused for good, so it is buried with its reason.
                        outcome.set(index, new org.apache.kafka.common.errors.SerializationException(
                                "outbox event " + header(record, "ce_id") + " has no payload"));
                        settled.accept(index);
                        continue;
                    }
                    try {
                        producer.send(record, (metadata, failure) -> {
                            if (failure != null) {
                                outcome.set(index, failure);
                            }
                            settled.accept(index);
                        });
                    } catch (RuntimeException e) {
                        // Thrown rather than called back (a closed producer, an interrupted send): that record's failure.
                        outcome.set(index, e);
                        settled.accept(index);
                    }
                }
            }).subscribe().with(ignored -> {
            }, failure -> {
                // The sending thread refused the work itself: every record of the chunk not yet settled fails.
                for (int i = start; i < end; i++) {
                    if (outcome.compareAndSet(i, null, failure)) {
                        settled.accept(i);
                    }
                }
            });
        });
    }

    private static String header(ProducerRecord<String, String> record, String name) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The logisync-events channel's own producer: its configuration (acks=all, idempotence, linger), its metrics. */
    private io.smallrye.reactive.messaging.kafka.KafkaProducer<String, String> producer() {
        io.smallrye.reactive.messaging.kafka.KafkaProducer<String, String> p = producer;
        if (p == null) {
            p = kafkaClients.getProducer(CHANNEL);
            if (p == null) {
                throw new IllegalStateException("No Kafka producer for channel " + CHANNEL + " yet");
            }
            producer = p;
        }
        return p;
    }

    /**
     * Moves the marks of the partitions held to the position reached, where the fencing token is
     * still ours; a partition whose token moved on was taken over (its rows published again by the
     * new holder, which consumers absorb) and is dropped.
     */
    private Uni<Void> advance(Map<Integer, Lease> held, long commit) {
        Integer[] parts = held.keySet().toArray(Integer[]::new);
        Long[] fences = held.values().stream().map(l -> l.fence).toArray(Long[]::new);
        return pool.preparedQuery(ADVANCE).execute(Tuple.of(parts, fences, commit, member)).invoke(rows -> {
            java.util.Set<Integer> kept = new java.util.HashSet<>();
            rows.forEach(r -> kept.add((int) r.getShort("part")));
            synchronized (leases) {
                for (Map.Entry<Integer, Lease> e : held.entrySet()) {
                    Lease current = leases.get(e.getKey());
                    if (!kept.contains(e.getKey())) {
                        if (current != null && current.fence == e.getValue().fence) {
                            LOG.warnf("Outbox relay %s no longer holds partition %d", member, e.getKey());
                            leases.remove(e.getKey());
                        }
                    } else if (current != null && commit > current.commit) {
                        current.commit = commit;
                    }
                }
            }
        }).replaceWithVoid();
    }

    /**
     * A failure that will pass (the broker away) fails the round: nothing advances and the rows are
     * sent again in order. A row Kafka refuses for good is tried again at once, up to
     * {@link #MAX_ATTEMPTS} in all, then buried with its reason; the mark then passes it.
     */
    private Uni<Void> settle(List<Positioned> batch, List<Throwable> failures) {
        List<Positioned> refused = new ArrayList<>();
        List<Throwable> reasons = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            Throwable failure = failures.get(i);
            if (failure == null) {
                continue;
            }
            if (!refusedForGood(failure)) {
                return Uni.createFrom().failure(failure);
            }
            refused.add(batch.get(i));
            reasons.add(failure);
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int i = 0; i < refused.size(); i++) {
            Positioned p = refused.get(i);
            Throwable first = reasons.get(i);
            chain = chain.chain(() -> retryOrBury(p.row(), first));
        }
        return chain;
    }

    private Uni<Void> retryOrBury(LogRow row, Throwable failure) {
        String reason = truncate(failure.toString());
        return pool.preparedQuery(COUNT_ATTEMPT).execute(Tuple.of(row.seq(), reason)).chain(counted -> {
            int attempts = counted.iterator().next().getInteger("attempts");
            LOG.warnf("Kafka refused outbox row %d (%s, event %s), attempt %d of %d: %s", row.seq(),
                    row.topic(), row.eventId(), attempts, MAX_ATTEMPTS, reason);
            if (attempts >= MAX_ATTEMPTS) {
                return bury(row, reason);
            }
            return sendInOrder(List.of(toRecord(row, new LinkedHashMap<>())), producer()::runOnSendingThread)
                    .chain(failures -> {
                        Throwable again = failures.get(0);
                        return again == null ? Uni.createFrom().voidItem()
                                : refusedForGood(again) ? retryOrBury(row, again) : Uni.createFrom().failure(again);
                    });
        });
    }

    /** Kafka will never take this record as it is: too large, a bad topic, unserializable. */
    static boolean refusedForGood(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.RecordBatchTooLargeException
                    || t instanceof org.apache.kafka.common.errors.InvalidTopicException
                    || t instanceof org.apache.kafka.common.errors.SerializationException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Moves the row to {@code outbox_dead} and announces it on {@code <topic>.dlq}: its id, type, key,
     * size and why (not its payload, which Kafka would refuse again); the payload stays in the table.
     */
    private Uni<Void> bury(LogRow row, String reason) {
        String topic = row.topic();
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_id", row.eventId().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", row.ceType().getBytes(StandardCharsets.UTF_8));
        headers.add(com.logisync.runtime.deadletter.DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(com.logisync.runtime.deadletter.DeadLetters.TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        headers.add(com.logisync.runtime.deadletter.DeadLetters.SERVICE, config.serviceName().getBytes(StandardCharsets.UTF_8));
        headers.add("logisync-dlq-origin", "outbox".getBytes(StandardCharsets.UTF_8));
        String stub = "{\"eventId\":\"" + row.eventId() + "\",\"outboxSeq\":" + row.seq()
                + ",\"payloadBytes\":" + (row.payload() == null ? 0 : row.payload().getBytes(StandardCharsets.UTF_8).length)
                + ",\"keptIn\":\"outbox_dead\"}";
        LOG.errorf("Outbox row %d (event %s for %s) refused by Kafka %d times: moved to outbox_dead, announced on %s.dlq: %s",
                row.seq(), row.eventId(), topic, MAX_ATTEMPTS, topic, reason);
        // The payload as published (a row that names its payload_ref carries none of its own).
        return pool.preparedQuery(BURY).execute(Tuple.from(new Object[] {row.seq(), reason,
                        row.eventId(), topic, row.partitionKey(), row.ceType(),
                        row.payload(), row.traceparent(), row.createdAt()}))
                .chain(() -> deadLetters.announce(com.logisync.runtime.deadletter.DeadLetters.dlqTopic(topic),
                        row.partitionKey(), stub, headers))
                        .onFailure().invoke(f -> LOG.warnf("Could not announce the buried outbox row %d: %s",
                                row.seq(), f.toString()))
                        .onFailure().recoverWithNull();
    }

    private static String truncate(String s) {
        return s.length() > 500 ? s.substring(0, 500) : s;
    }

    /**
     * The PRODUCER span of the events of one round that share a stored trace context and a topic
     * (an OpenTelemetry batch publish, {@code messaging.batch.message_count}): a batch of 1,000
     * milestones of 100 shipments makes 100 spans, not 1,000, and the consumers' spans are its
     * children. Its {@code traceparent} goes into each record's headers.
     */
    private static final class PublishSpan {
        final Span span;
        final String traceparent;
        int count;

        PublishSpan(Span span) {
            this.span = span;
            this.traceparent = TraceContexts.traceparentOf(Context.root().with(span));
        }

        void end(Throwable failure) {
            span.setAttribute("messaging.batch.message_count", count);
            if (failure != null) {
                span.recordException(failure);
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }

    /**
     * The row as a binary-mode CloudEvent, the headers exactly as the Kafka connector's CloudEvents support wrote
     * them for the same metadata (so every consumer, test and partner reads the same record): {@code traceparent}
     * of the round's PRODUCER span, {@code ce_specversion}, {@code ce_id}, {@code ce_type}, {@code ce_source},
     * {@code ce_subject} (the shipment), {@code ce_datacontenttype} and {@code content-type}, {@code ce_time} (the
     * row's creation, ISO-8601 at UTC); the shipment is the key, so its events share a Kafka partition.
     */
    ProducerRecord<String, String> toRecord(LogRow row, Map<String, PublishSpan> spans) {
        String shipmentId = row.partitionKey();
        String topic = row.topic();
        OffsetDateTime createdAt = row.createdAt();
        RecordHeaders headers = new RecordHeaders();
        String stored = row.traceparent();
        if (stored != null) {
            PublishSpan publish = spans.computeIfAbsent(stored + " " + topic, k -> new PublishSpan(tracer
                    .spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
                    .setParent(TraceContexts.fromTraceparent(stored))
                    .setAttribute("messaging.system", "kafka")
                    .setAttribute("messaging.operation", "publish")
                    .setAttribute("messaging.destination.name", topic)
                    .startSpan()));
            publish.count++;
            headers.add("traceparent", publish.traceparent.getBytes(StandardCharsets.UTF_8));
        }
        headers.add("ce_specversion", SPEC_VERSION);
        headers.add("ce_id", row.eventId().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", row.ceType().getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", sourceHeader);
        if (shipmentId != null) {
            headers.add("ce_subject", shipmentId.getBytes(StandardCharsets.UTF_8));
        }
        headers.add("ce_datacontenttype", JSON);
        headers.add("content-type", JSON);
        if (createdAt != null) {
            headers.add("ce_time", com.logisync.runtime.json.IsoTimes.formatAtUtc(createdAt).getBytes(StandardCharsets.UTF_8));
        }
        return new ProducerRecord<>(topic, null, null, shipmentId, row.payload(), headers);
    }

    /**
     * Purges fully published transactions older than the retention: in bulk, by the replica that
     * holds partition 0 (one purger, whatever the replicas), every half second when the retention is
     * zero (milestone-service keeps every payload in its own tables), every minute otherwise, and
     * every round while more is waiting than one statement deletes.
     */
    private Uni<Void> purgeOccasionally() {
        synchronized (leases) {
            if (!leases.containsKey(0)) {
                return Uni.createFrom().voidItem();
            }
        }
        long now = System.currentTimeMillis();
        java.time.Duration retention = config.outbox().retention();
        if (!purgeBehind && now - lastPurge < (retention.isZero() ? 500 : 60_000)) {
            return Uni.createFrom().voidItem();
        }
        lastPurge = now;
        return pool.preparedQuery(PURGEABLE).execute(Tuple.of((double) retention.toSeconds())).chain(found -> {
            List<Long> txids = new ArrayList<>();
            long events = 0;
            for (Row r : found) {
                if (events >= PURGE_EVENTS && !txids.isEmpty()) {
                    break;
                }
                txids.add(r.getLong("txid"));
                Integer n = r.getInteger("events");
                events += n == null ? 0 : n;
            }
            // More than one statement's worth waiting: purge again next round.
            purgeBehind = txids.size() < found.size();
            return txids.isEmpty() ? Uni.createFrom().voidItem()
                    : pool.preparedQuery(PURGE).execute(Tuple.of(txids.toArray(Long[]::new))).replaceWithVoid();
        });
    }
}
