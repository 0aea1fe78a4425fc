package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One tenant's writer for move tests, on a table {@code listings (id bigint PRIMARY KEY, title text, price numeric)}:
 * inserts, updates, deletes and key changes, with the rows it expects kept exactly.
 */
final class Churner {
    final TenantDataSource ds;
    final Tenant tenant;
    final Random random;
    final Map<Long, String> expected = new ConcurrentHashMap<>();
    final Map<String, Integer> kinds = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final AtomicBoolean running = new AtomicBoolean();
    long nextId;
    int operations;
    Thread thread;

    Churner(TenantDataSource ds, Tenant tenant, long seed) {
        this.ds = ds;
        this.tenant = tenant;
        this.random = new Random(seed);
    }

    void seed(int n) throws SQLException {
        for (int i = 0; i < n; i++) {
            operate("insert");
        }
    }

    void start() {
        failures.clear();
        kinds.clear();
        operations = 0;
        running.set(true);
        thread = new Thread(() -> {
            String[] mix = {"insert", "update", "update", "delete", "rekey"};
            while (running.get()) {
                String kind = expected.size() < 20 ? "insert" : mix[random.nextInt(mix.length)];
                try {
                    operate(kind);
                    kinds.merge(kind, 1, Integer::sum);
                    operations++;
                } catch (SQLException | RuntimeException e) {
                    StringBuilder why = new StringBuilder(kind + ": " + e.getMessage());
                    for (Throwable t : e.getSuppressed()) {
                        why.append(" [suppressed: ").append(t.getMessage()).append(']');
                    }
                    failures.add(why.toString());
                }
            }
        }, "churn-" + tenant.id());
        thread.start();
    }

    void stop() throws InterruptedException {
        running.set(false);
        thread.join(30_000);
    }

    private void operate(String kind) throws SQLException {
        List<Long> ids = new ArrayList<>(new TreeMap<>(expected).keySet());
        long id = ids.isEmpty() ? 0 : ids.get(random.nextInt(ids.size()));
        String title = kind + " " + random.nextInt(1_000_000);
        as(tenant, () -> {
            try (Connection c = ds.getConnection()) {
                switch (kind) {
                    case "insert" -> {
                        long fresh = ++nextId;
                        update(c, "INSERT INTO listings (id, title, price) VALUES (?, ?, 10)", fresh, title, -1);
                        expected.put(fresh, title);
                    }
                    case "update" -> {
                        update(c, "UPDATE listings SET title = ? WHERE id = ?", id, title, 1);
                        expected.put(id, title);
                    }
                    case "delete" -> {
                        update(c, "DELETE FROM listings WHERE id = ?", id, null, 1);
                        expected.remove(id);
                    }
                    default -> { // a new primary key for an existing row
                        long fresh = ++nextId;
                        try (PreparedStatement ps = c.prepareStatement("UPDATE listings SET id = ? WHERE id = ?")) {
                            ps.setLong(1, fresh);
                            ps.setLong(2, id);
                            assertThat(ps.executeUpdate()).isEqualTo(1);
                        }
                        expected.put(fresh, expected.remove(id));
                    }
                }
            }
            return null;
        });
    }

    /** Runs one statement: {@code id} first or second as the statement needs; checks the row count. */
    private static void update(Connection c, String sql, long id, String title, int rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (sql.startsWith("INSERT")) {
                ps.setLong(1, id);
                ps.setString(2, title);
            } else if (title != null) {
                ps.setString(1, title);
                ps.setLong(2, id);
            } else {
                ps.setLong(1, id);
            }
            int n = ps.executeUpdate();
            if (rows >= 0) {
                assertThat(n).isEqualTo(rows);
            }
        }
    }

    void assertExactlyItsRows() throws SQLException {
        Map<Long, String> actual = as(tenant, () -> {
            Map<Long, String> rows = new TreeMap<>();
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT id, title FROM listings");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getLong(1), rs.getString(2));
                }
            }
            return rows;
        });
        assertThat(actual).as("tenant " + tenant.id() + "'s rows").isEqualTo(new TreeMap<>(expected));
    }
}
