package com.logisync.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/** A real PostgreSQL server (embedded binaries, no Docker), started once per JVM. */
public final class PostgresServer {

    private static EmbeddedPostgres postgres;
    private static final Set<String> DATABASES = new HashSet<>();

    private PostgresServer() {
    }

    public static synchronized int port() {
        return server().getPort();
    }

    /** Creates the database (once) and returns its JDBC URL. */
    public static synchronized String database(String name) {
        if (!DATABASES.contains(name)) {
            try (Connection c = server().getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
                    if (!rs.next()) {
                        // As the platform's (CloudNativePG's initdb defaults): text compared byte by byte.
                        s.execute("create database " + name + " template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C'");
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException("Could not create database " + name, e);
            }
            DATABASES.add(name);
        }
        return "jdbc:postgresql://localhost:" + port() + "/" + name;
    }

    /** Runs a query on the service's database and returns the first column of the first row, or null. */
    public static synchronized Object queryValue(String database, String sql, Object... args) {
        try (Connection c = java.sql.DriverManager.getConnection(database(database), "postgres", "postgres");
                java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException("Query failed: " + sql, e);
        }
    }

    /** Runs a statement (DDL, a trigger that simulates a fault) on the service's database. */
    /**
     * Deletes every row whose {@code shipment_id} starts with {@code prefix}, from every table of the public schema
     * that has that column, those with foreign keys first: a test that wrote hundreds of shipments leaves nothing
     * behind for the others.
     */
    public static void deleteShipments(String database, String prefix) {
        execute(database, "do $$ declare t text; begin for t in select c.table_name from"
                + " information_schema.columns c join information_schema.tables b using (table_schema, table_name)"
                + " where c.table_schema = 'public' and c.column_name = 'shipment_id' and b.table_type = 'BASE TABLE'"
                // A table that refers to another (billing_accessorial to billing_case) is emptied first.
                + " order by (select count(*) from pg_constraint k where k.conrelid = format('%I', c.table_name)::regclass"
                + " and k.contype = 'f') desc, c.table_name loop"
                + " execute format('delete from %I where shipment_id like %L', t, '" + prefix.replace("'", "''")
                + "%'); end loop; end $$");
    }

    public static synchronized void execute(String database, String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(database(database), "postgres", "postgres");
                java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (Exception e) {
            throw new IllegalStateException("Statement failed: " + sql, e);
        }
    }

    private static EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                // Zonky's own shutdown hook stops the server (a child process) when the JVM exits.
                postgres = EmbeddedPostgres.builder().setRegisterShutdownHook(true).start();
            } catch (IOException e) {
                throw new IllegalStateException("Could not start embedded PostgreSQL", e);
            }
        }
        return postgres;
    }
}
