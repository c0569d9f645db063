package com.logisync.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * A real PostgreSQL 14 server from Maven Central binaries (no Docker, no apt), kept running by this
 * process: one role {@code logisync} and one database per service. The data directory survives
 * restarts. Args: port, data directory, binaries directory, ready-marker file, databases…
 */
public final class PostgresServerMain {

    private PostgresServerMain() {
    }

    /** How CloudNativePG's initdb makes the platform's databases: UTF-8, collation and character classes "C". */
    public static final String PLATFORM_LOCALE = "template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'";

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path data = Path.of(args[1]);
        Path binaries = Path.of(args[2]);
        Path ready = Path.of(args[3]);
        Files.createDirectories(binaries);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                .setOutputRedirector(ProcessBuilder.Redirect.INHERIT)
                .setErrorRedirector(ProcessBuilder.Redirect.INHERIT)
                .setServerConfig("max_connections", "200")
                // The platform's setting (k8s/base/postgres.yaml), not PostgreSQL's 128 MB default: the benchmark
                // measures against a database sized as the platform's (its milestone table is 1.4 GB after one run).
                .setServerConfig("shared_buffers", "512MB")
                // The platform's WAL budget too: with PostgreSQL's 1 GB the benchmark forced a checkpoint every 17 s
                // (39 in 11 minutes, 2.5 GB of full-page images in 17 GB of WAL, 2026-12-01); every checkpoint writes
                // the random-key index pages again and logs them whole on their next change.
                .setServerConfig("max_wal_size", "4GB")
                // A new WAL segment is used as it is, not first filled with 16 MB of zeros. The platform's database
                // runs for months and recycles its segments at each checkpoint (renamed, not written again); the local
                // suite's starts empty, so every segment of a benchmark's first minutes was new, and PostgreSQL 14
                // zeroed each before writing it: 6.3 % of all its processes' CPU in the batch phase (perf, pwritev of
                // zeros from XLogFileInit, 2026-12-05, docs/benchmark-log.md). A measurement of a database's first
                // minutes, not of the steady state either instance runs in.
                .setServerConfig("wal_init_zero", "off")
                // What ran in the background behind a slow window: each checkpoint, and each autovacuum or analyze of
                // a second or more (PostgreSQL 15's default logs checkpoints; 14's does not), in logs/postgres.log.
                .setServerConfig("log_checkpoints", "on")
                .setServerConfig("log_autovacuum_min_duration", "1s")
                // Statement statistics for whoever measures (./logisync bench prints each consumer's heaviest).
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                // After an unclean stop PostgreSQL replays its WAL first; give it time on a busy machine.
                .setPGStartupWait(java.time.Duration.ofSeconds(90))
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "postgres-stop"));
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select 1 from pg_roles where rolname = 'logisync'")) {
                if (!rs.next()) {
                    s.execute("create role logisync login password 'logisync'");
                }
            }
            s.execute("create extension if not exists pg_stat_statements");
            for (int i = 4; i < args.length; i++) {
                try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + args[i] + "'")) {
                    if (!rs.next()) {
                        // The platform's locale: CloudNativePG runs initdb with --lc-collate=C --lc-ctype=C unless told
                        // otherwise (k8s/base/postgres.yaml does not), so its databases compare text byte by byte. With
                        // this machine's locale (C.UTF-8) B-tree comparisons were 21 % of PostgreSQL's CPU under the
                        // benchmark, 5.6 % in the locale's path (varstr_cmp's copies, strcoll; perf, 2026-12-01).
                        s.execute("create database " + args[i] + " owner logisync " + PLATFORM_LOCALE);
                    }
                }
            }
        }
        Files.writeString(ready, "ready on port " + port);
        System.out.println("PostgreSQL ready on port " + port + ", data in " + data);
        new CountDownLatch(1).await();
    }
}
