#!/bin/bash
# Two builds of service-view compared side by side (docs/benchmarks.md, "Two builds side by side").
#
#   local-suite/scripts/side-by-side.sh NAME APP_A APP_B [SECONDS]
#
# APP_A and APP_B are copies of service-view-service/target/quarkus-app (one per build). Both run at once, each on a
# database of its own (DBA and DBB, sv_a and sv_b by default, dropped and created here) and under consumer group ids of
# their own, so both read the whole backlog from offset 0: the machine's speed from one minute to the next is common
# to both, and the ratio of their rates over the last 60 s compares the builds. Run it after `./logisync bench`, with
# the suite up (the benchmark leaves millions of milestones on the topic); it stops the suite's service-view, which
# `./logisync up` starts again. Needs a psql client (PSQL, Debian's postgresql-client by default). XA and XB add JVM
# options to A or B. Prints each one's events/s, its own CPU and its PostgreSQL backends' CPU per event, B/A, and how
# idle the machine was. APP_B "-" runs A alone (for settings whose effect is the machine's idle time, as a collector's
# pauses: two instances side by side fill each other's idle time).
set -euo pipefail
NAME=$1; APPA=$2; APPB=$3; SECS=${4:-300}; XA=${XA:-}; XB=${XB:-}
DBA=${DBA:-sv_a}; DBB=${DBB:-sv_b}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PSQL=${PSQL:-/usr/lib/postgresql/15/bin/psql}
export PGPASSWORD=${PGPASSWORD:-postgres}
P="$PSQL -h localhost -p 15432 -U postgres -X -At"
# The suite's own service-view, not a build a run before this one left running (theirs name side- group ids).
SV=""; for p in $(pgrep -f "logisync-suite.component=service-view-service" || true); do
  tr '\0' '\n' < /proc/$p/cmdline 2>/dev/null | grep -q "group.id=side-" || { SV=$p; break; }; done
if [ -n "$SV" ]; then tr '\0' '\n' < /proc/$SV/cmdline > "$ROOT/.logisync/service-view.cmdline"; fi
[ -s "$ROOT/.logisync/service-view.cmdline" ] || { echo "start the suite first (./logisync up)" >&2; exit 1; }
pkill -f "logisync-suite.component=service-view-service" || true; sleep 3
# Databases made anew for each comparison: each build migrates its own (a build's schema may be ahead of the other's).
for db in $DBA $DBB; do
  $P -d postgres -c "drop database if exists $db with (force)" >/dev/null
  # Collation "C", as the suite creates its own databases (LocalSuite): not the cluster's default C.UTF-8.
  $P -d postgres -c "create database $db owner logisync template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'" \
    >/dev/null
done
mapfile -t ARGS < "$ROOT/.logisync/service-view.cmdline"
JAVA=${ARGS[0]}; REST=("${ARGS[@]:1}"); N=${#REST[@]}; OPTS=("${REST[@]:0:N-2}")
G="-Dmp.messaging.incoming"
start_one() { # label app database port extra-options
  local L=$1 APP=$2 DB=$3 PORT=$4 X=$5
  # shellcheck disable=SC2086
  setsid nohup "$JAVA" "${OPTS[@]}" $X -Xlog:gc:file=/tmp/side-$NAME-$L-gc.log -Dquarkus.http.port=$PORT \
    -Dquarkus.datasource.jdbc.url=jdbc:postgresql://localhost:15432/$DB \
    -Dquarkus.datasource.reactive.url=postgresql://localhost:15432/$DB \
    -Dquarkus.datasource.reactive.additional-properties.application_name=side-$L \
    $G.milestones-in.group.id=side-$NAME-$L-m $G.orders-in.group.id=side-$NAME-$L-o \
    $G.masterdata-in.group.id=side-$NAME-$L-d $G.billing-in.group.id=side-$NAME-$L-b \
    $G.tasks-in.group.id=side-$NAME-$L-t -jar "$APP/quarkus-run.jar" > /tmp/side-$NAME-$L.log 2>&1 &
}
start_one a "$APPA" $DBA 8184 "$XA"
[ "$APPB" = "-" ] || start_one b "$APPB" $DBB 8284 "$XB"
sleep 2
PA=$(pgrep -n -f "side-$NAME-a-m"); PB=$PA; [ "$APPB" = "-" ] || PB=$(pgrep -n -f "side-$NAME-b-m")
ticks() { awk '{print $14+$15}' /proc/$1/stat 2>/dev/null || echo 0; }
pgticks() { local s=0 t; for p in $($P -d postgres -c "select pid from pg_stat_activity where application_name='$1'"); do
  t=$(ticks $p); s=$((s+t)); done; echo $s; }
ins() { $P -d $1 -c "select coalesce(max(n_tup_ins), 0) from pg_stat_user_tables where relname='case_milestone'"; }
idle() { awk '/^cpu /{print $5+$6}' /proc/stat; }  # the machine's idle and iowait ticks
start=$(date +%s)
while [ $(( $(date +%s) - start )) -lt $SECS ]; do
  sleep 5
  echo "$(( $(date +%s) - start )) $(ins $DBA) $(ticks $PA) $(pgticks side-a) $(ins $DBB) $(ticks $PB) $(pgticks side-b)" \
    "$(idle)"
done > /tmp/side-$NAME.samples
pkill -f "side-$NAME-a-m" || true; pkill -f "side-$NAME-b-m" || true
# Their consumer groups deleted once they have left: a group left behind with a lag would hold back the benchmarks,
# which wait until every group of the suite's topics has none (bench-view's seeding, bench's end to end).
GROUPS_JAVA=$(mktemp -d)/DeleteGroups.java
cat > "$GROUPS_JAVA" <<'JAVA'
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

public class DeleteGroups {
    @SuppressWarnings("deprecation") // listConsumerGroups: Kafka 4.1 keeps it, listGroups is its successor
    public static void main(String[] args) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]))) {
            List<String> ids = new ArrayList<>();
            admin.listConsumerGroups().all().get().forEach(g -> {
                if (g.groupId().startsWith(args[1])) {
                    ids.add(g.groupId());
                }
            });
            for (int attempt = 0; !ids.isEmpty(); attempt++) {
                try {
                    admin.deleteConsumerGroups(ids).all().get();
                    break;
                } catch (java.util.concurrent.ExecutionException e) {
                    if (attempt == 10) {
                        throw e;
                    }
                    Thread.sleep(3000); // a member not gone yet (its session timeout)
                }
            }
        }
    }
}
JAVA
KAFKA=$(grep -o 'kafka.bootstrap.servers=.*' "$ROOT/.logisync/service-view.cmdline" | cut -d= -f2)
"$JAVA" -cp "$ROOT/local-suite/target/lib/*" "$GROUPS_JAVA" "${KAFKA:-localhost:19092}" "side-$NAME-" \
  || echo "the consumer groups side-$NAME-* are left in Kafka" >&2
rm -rf "$(dirname "$GROUPS_JAVA")"
python3 - /tmp/side-$NAME.samples "$NAME" "$APPB" "$(nproc)" <<'PY'
import sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1]) if len(l.split()) == 8]
a, b = rows[-13], rows[-1]
dt = b[0] - a[0]; na = b[1] - a[1]; nb = b[4] - a[4]
pa = max(0, b[3] - a[3]); pb = max(0, b[6] - a[6])  # a backend that ended in the window is not counted
idle = 100.0 * (b[7] - a[7]) / 100.0 / dt / int(sys.argv[4])  # clock ticks of 10 ms over every core
if sys.argv[3] == "-":
    print("%s, %d-%d s: A alone %.0f events/s (service %.1f + PostgreSQL %.1f us per event); the machine %.1f %% idle"
          % (sys.argv[2], a[0], b[0], na / dt, (b[2] - a[2]) * 1e4 / na, pa * 1e4 / na, idle))
else:
    print("%s, %d-%d s: A %.0f events/s (service %.1f + PostgreSQL %.1f us per event), B %.0f events/s (%.1f + %.1f);"
          " B/A %.3f; the machine %.1f %% idle"
          % (sys.argv[2], a[0], b[0], na / dt, (b[2] - a[2]) * 1e4 / na, pa * 1e4 / na, nb / dt,
             (b[5] - a[5]) * 1e4 / nb, pb * 1e4 / nb, nb / na, idle))
PY
