package com.logisync.runtime.outbox;

import com.logisync.runtime.config.LogiSyncConfig;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The log rows a transaction of this process wrote, handed to the relay in memory, so that it need not read back from
 * the database what was written a moment before (the relay's read of the rows it publishes: 9 % of PostgreSQL's CPU
 * in the benchmark's batch phase, docs/benchmarks.md).
 *
 * <p>A writer hands over its rows once the statement that inserted them has answered their transaction id, sequence
 * number and relay partition ({@link #written}); that is before its commit, so the rows of a transaction that rolls
 * back are here too, and are never used: the relay asks only for transactions it has seen committed, by their commit
 * sequence number, and takes the rows kept for one only when they are as many as its commit counted
 * ({@code outbox_txn.events}: every outbox row and every log row of that transaction, written by any statement).
 * Any other transaction's rows are read from the database as before: one this process did not write (another replica,
 * a process since restarted), one that also wrote rows not handed over (an outbox row beside its milestones), one
 * whose rows did not fit ({@code logisync.outbox.hand-over-rows}). The rows published are the same either way
 * ({@code MilestoneLogTest}); only where they are read from differs.
 *
 * <p>The relay forgets a transaction's rows once a round has published its partitions of it; rows nobody asked
 * for (a rolled-back transaction, partitions another replica holds) are dropped after {@link #MAX_AGE_NANOS}.
 */
@ApplicationScoped
public class OutboxHandOver {

    /** How long rows are kept for a relay that has not asked for them: longer than any lease or round. */
    static final long MAX_AGE_NANOS = 60_000_000_000L;

    private record Kept(List<LogRow> rows, long since) {
    }

    private final ConcurrentHashMap<Long, Kept> byTransaction = new ConcurrentHashMap<>();
    private final AtomicLong rowsKept = new AtomicLong();
    private final AtomicLong notKept = new AtomicLong();
    /** Log rows the relays of this process took from here, and read from the database. */
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong read = new AtomicLong();
    private final int maxRows;
    private final long maxAgeNanos;
    private final long sweepEveryNanos;
    private volatile long sweptAt = System.nanoTime();

    @jakarta.inject.Inject
    public OutboxHandOver(LogiSyncConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        this(config.outbox().handOverRows(), MAX_AGE_NANOS);
        io.micrometer.core.instrument.FunctionCounter.builder("logisync.outbox.relay.rows", taken, AtomicLong::get)
                .tag("source", "memory")
                .description("Log rows the relay published as their writer handed them over in memory")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("logisync.outbox.relay.rows", read, AtomicLong::get)
                .tag("source", "database")
                .description("Log rows the relay read from the database to publish them")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("logisync.outbox.hand_over.rows_not_kept", notKept,
                        AtomicLong::get)
                .description("Log rows not handed over because logisync.outbox.hand-over-rows were kept already")
                .register(registry);
    }

    /** At most {@code maxRows} rows kept at once (0 keeps none: every row read from the database), each at most so long. */
    OutboxHandOver(int maxRows, long maxAgeNanos) {
        this.maxRows = maxRows;
        this.maxAgeNanos = maxAgeNanos;
        this.sweepEveryNanos = Math.min(1_000_000_000L, maxAgeNanos);
    }

    /**
     * Rows transaction {@code txid} has inserted (it may hand over more, statement by statement). Not kept when the
     * limit would be passed: the relay then reads that transaction from the database.
     */
    public void written(long txid, List<LogRow> rows) {
        if (maxRows <= 0 || rows.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (now - sweptAt >= sweepEveryNanos) {
            sweptAt = now;
            // Counted down only by the remove that took the entry: a concurrent sweep or forget may see it too.
            for (java.util.Map.Entry<Long, Kept> e : byTransaction.entrySet()) {
                Kept kept = e.getValue();
                if (now - kept.since() >= maxAgeNanos && byTransaction.remove(e.getKey(), kept)) {
                    rowsKept.addAndGet(-kept.rows().size());
                }
            }
        }
        if (rowsKept.addAndGet(rows.size()) > maxRows) {
            rowsKept.addAndGet(-rows.size());
            notKept.addAndGet(rows.size());
            return;
        }
        List<LogRow> copy = List.copyOf(rows);
        byTransaction.compute(txid, (k, kept) -> {
            if (kept == null) {
                return new Kept(copy, now);
            }
            List<LogRow> all = new ArrayList<>(kept.rows().size() + copy.size());
            all.addAll(kept.rows());
            all.addAll(copy);
            return new Kept(List.copyOf(all), kept.since());
        });
    }

    /**
     * The rows of committed transaction {@code txid} when every one of its {@code events} log rows was handed over,
     * else null (read them from the database).
     */
    public List<LogRow> committed(long txid, long events) {
        Kept kept = byTransaction.get(txid);
        return kept != null && kept.rows().size() == events ? kept.rows() : null;
    }

    /** Forgets the rows of these transactions (published). */
    public void forget(Collection<Long> txids) {
        for (Long txid : txids) {
            Kept gone = byTransaction.remove(txid);
            if (gone != null) {
                rowsKept.addAndGet(-gone.rows().size());
            }
        }
    }

    /** Counts rows a relay round took from here ({@code fromMemory}) and read from the database. */
    void counted(long fromMemory, long fromDatabase) {
        taken.addAndGet(fromMemory);
        read.addAndGet(fromDatabase);
    }

    /** Rows kept now. */
    public long rowsKept() {
        return rowsKept.get();
    }

    /** Rows not kept since the start because the limit was reached. */
    public long rowsNotKept() {
        return notKept.get();
    }
}
