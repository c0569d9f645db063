package com.logisync.serviceview.notify;

import com.logisync.runtime.vertx.PeriodicTask;
import com.logisync.serviceview.config.ReplayConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The customer feed's unique index on {@code event_id}, kept only while something needs it (V21). It cost the live
 * feed insert more than any other index (docs/benchmark-log.md, forty-seventh session), and live a milestone's event
 * cannot be in the feed already: the projection adds one only for a timeline row its batch wrote, in the same
 * transaction. It can be after a replay restored the timeline behind the feed; so a replay {@link #build builds} the
 * index before it restores, and a round every {@code logisync.replay.feed-index-check-every} drops it when
 * <ul>
 * <li>no replay runs, none finished within {@code logisync.replay.feed-index-kept-for}, and no {@link #hold}
 * lasts;</li>
 * <li>every member of service-view's consumer groups has this version's client-id prefix ({@link #CLIENT_ID_PREFIX}):
 * a pod of a version before V21 writes invoices with {@code on conflict (event_id)}, which PostgreSQL refuses without
 * a unique index on exactly that column (docs/deploy.md).</li>
 * </ul>
 * Both the round and the build take one advisory lock, so the round cannot drop an index a replay has just built.
 */
@ApplicationScoped
public class FeedEventIdIndex {

    private static final Logger LOG = Logger.getLogger(FeedEventIdIndex.class);

    /**
     * The prefix of the Kafka client ids of the versions that need no index on the feed's event ids (set on every
     * incoming channel in application.properties). Later versions keep it, or this check learns their prefix too.
     */
    public static final String CLIENT_ID_PREFIX = "view-v21-";
    /** The index a replay builds. */
    static final String INDEX = "customer_event_event_id";
    /** V12's unique constraint (its index has the same name). */
    static final String CONSTRAINT = "customer_event_event_id_key";
    /** Taken by a build for its whole run, and by the round that drops. */
    public static final long LOCK = 0x5EE5_0002L;

    private static final String PRESENT = "select exists (select 1 from pg_index i join pg_class c"
            + " on c.oid = i.indexrelid where i.indrelid = 'customer_event'::regclass and c.relname in ('" + INDEX
            + "', '" + CONSTRAINT + "') and i.indisvalid and i.indisunique) as present";

    /** Whether either is there at all: valid, or the invalid leftover of a build that failed or whose pod died. */
    private static final String THERE = "select exists (select 1 from pg_class where relname in ('" + INDEX + "', '"
            + CONSTRAINT + "') and relkind = 'i') as there";

    private static final String NEEDED = "select exists (select 1 from read_model_replay where state = 'RUNNING'"
            + " or finished_at > now() - make_interval(secs => $1)) or exists (select 1 from feed_event_id_index"
            + " where held_until > now()) as needed";

    private static final String HOLD = "insert into feed_event_id_index (id, held_until) values (1, now()"
            + " + make_interval(secs => $1)) on conflict (id) do update set held_until = excluded.held_until";

    /**
     * A delivery written by a pod of a version before V21 has no feed position; it gets it while the index is there
     * to find it (the drop's transaction; no such pod runs by then).
     */
    private static final String POSITIONS = "update delivery d set feed_xid = e.feed_xid, feed_seq = e.feed_seq"
            + " from customer_event e where d.feed_seq is null and d.body is null and e.event_id = d.event_id";

    private final Pool pool;
    private final Vertx vertx;
    private final ReplayConfig config;
    private final Config mpConfig;
    private final String bootstrap;
    private PeriodicTask rounds;

    public FeedEventIdIndex(Pool pool, Vertx vertx, ReplayConfig config, Config mpConfig,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.mpConfig = mpConfig;
        this.bootstrap = bootstrap;
    }

    void onStart(@Observes StartupEvent ev) {
        rounds = PeriodicTask.every(vertx, config.feedIndexCheckEvery(), "Dropping the feed's event-id index",
                () -> dropIfUnneeded().replaceWithVoid());
        rounds.start();
    }

    void onStop(@Observes ShutdownEvent ev) {
        if (rounds != null) {
            rounds.stop();
        }
    }

    /** Whether the feed has a valid unique index on {@code event_id} (V12's or a replay's). */
    public Uni<Boolean> present() {
        return pool.withConnection(FeedEventIdIndex::present);
    }

    /** Whether the feed has it, on a connection of a transaction in progress (a replay's restore). */
    public static Uni<Boolean> present(SqlConnection c) {
        return c.query(PRESENT).execute().map(rows -> rows.iterator().next().getBoolean("present"));
    }

    /**
     * Keeps the index at least {@code duration} from now (zero: no longer than something else needs it), and builds
     * it unless it is there: concurrently, so the feed's writers go on; an invalid leftover of a failed build is
     * dropped first. Fails when the feed holds an event id twice (then nothing is left behind).
     */
    public Uni<Void> build(Duration duration) {
        return pool.withConnection(c -> c.preparedQuery("select pg_advisory_lock($1)").execute(Tuple.of(LOCK))
                .chain(() -> c.preparedQuery(HOLD).execute(Tuple.of(seconds(duration))))
                .chain(() -> present(c))
                .chain(present -> present ? Uni.createFrom().voidItem() : create(c))
                .eventually(() -> c.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(LOCK))));
    }

    private Uni<Void> create(SqlConnection c) {
        long started = System.nanoTime();
        return c.query("drop index concurrently if exists " + INDEX).execute()
                .chain(() -> c.query("create unique index concurrently " + INDEX + " on customer_event (event_id)")
                        .execute())
                .invoke(() -> LOG.infof("Built the customer feed's unique index on event_id in %d ms (a replay needs"
                        + " it)", (System.nanoTime() - started) / 1_000_000))
                .onFailure().call(failure -> c.query("drop index concurrently if exists " + INDEX).execute()
                        .onFailure().recoverWithNull())
                .replaceWithVoid();
    }

    /** Keeps the index at least {@code duration} from now, or, with zero, no longer than something else needs it. */
    public Uni<Void> hold(Duration duration) {
        return pool.preparedQuery(HOLD).execute(Tuple.of(seconds(duration))).replaceWithVoid();
    }

    /**
     * One round: drops the index when nothing needs it, and the invalid leftover of a build that failed or whose pod
     * died (PostgreSQL maintains even that one on every insert); whether it did. The database is asked first, the
     * consumer groups only when it has nothing against the drop (a replay keeps the index for its duration), and the
     * drop asks the database again under the lock.
     */
    public Uni<Boolean> dropIfUnneeded() {
        return pool.query(THERE).execute().map(rows -> rows.iterator().next().getBoolean("there"))
                // Left alone: nothing there to drop, or a replay or a hold needs it.
                .chain(there -> there ? needed(pool) : Uni.createFrom().item(true))
                .chain(leftAlone -> leftAlone ? Uni.createFrom().item(false)
                        : Uni.createFrom().item(this::onlyThisVersionConsumes)
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                                .chain(only -> !only ? Uni.createFrom().item(false) : drop()));
    }

    /** Whether a replay or a hold needs the index. */
    private Uni<Boolean> needed(io.vertx.mutiny.sqlclient.SqlClient client) {
        return client.preparedQuery(NEEDED).execute(Tuple.of(seconds(config.feedIndexKeptFor())))
                .map(rows -> rows.iterator().next().getBoolean("needed"));
    }

    private Uni<Boolean> drop() {
        return pool.withTransaction(c -> c.preparedQuery("select pg_try_advisory_xact_lock($1) as got")
                .execute(Tuple.of(LOCK))
                .chain(got -> !got.iterator().next().getBoolean("got") ? Uni.createFrom().item(false)
                        : needed(c).chain(needed -> needed ? Uni.createFrom().item(false)
                                : c.query("set local lock_timeout = '5s'").execute()
                                        .chain(() -> c.query(POSITIONS).execute())
                                        .chain(() -> c.query("drop index if exists " + INDEX).execute())
                                        .chain(() -> c.query("alter table customer_event drop constraint if exists "
                                                + CONSTRAINT).execute())
                                        .replaceWith(true))))
                .invoke(dropped -> {
                    if (dropped) {
                        LOG.infof("Dropped the customer feed's unique index on event_id: no replay needs it, and every"
                                + " consumer of service-view's groups is of a version that does not (%s)",
                                CLIENT_ID_PREFIX);
                    }
                });
    }

    /** Whether every member of every consumer group of service-view has this version's client-id prefix. */
    boolean onlyThisVersionConsumes() {
        List<String> groups = new ArrayList<>();
        for (String channel : com.logisync.serviceview.service.ReadModelReplay.CHANNELS) {
            groups.add(mpConfig.getValue("mp.messaging.incoming." + channel + ".group.id", String.class));
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "service-view-feed-index",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups).all()
                    .get(30, TimeUnit.SECONDS);
            Map<String, List<String>> clients = new TreeMap<>();
            described.forEach((group, d) -> clients.put(group, d.members().stream().map(MemberDescription::clientId)
                    .toList()));
            return onlyThisVersion(clients, groups);
        } catch (Exception e) {
            LOG.debugf("Could not describe service-view's consumer groups (the feed's event-id index stays): %s",
                    e.toString());
            return false;
        }
    }

    /**
     * Whether every one of {@code groups} has members and all of them have this version's client-id prefix: a group
     * without members may be rebalancing, or its consumers not started yet.
     */
    static boolean onlyThisVersion(Map<String, ? extends Collection<String>> clientIdsByGroup,
            Collection<String> groups) {
        for (String group : groups) {
            Collection<String> ids = clientIdsByGroup.get(group);
            if (ids == null || ids.isEmpty() || ids.stream().anyMatch(id -> id == null
                    || !id.startsWith(CLIENT_ID_PREFIX))) {
                return false;
            }
        }
        return true;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }
}
