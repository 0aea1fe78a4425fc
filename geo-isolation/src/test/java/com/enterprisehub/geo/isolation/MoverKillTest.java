package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.isolation.migration.Migration;
import com.enterprisehub.geo.isolation.migration.SchemaMigrations;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mover killed for real: another JVM ({@link MoverProcess}) moves a tenant and is killed with SIGKILL just before
 * a step (its connections die with it, nothing runs on its way out), while this JVM's instance keeps writing the
 * tenant; then this instance resumes the move and every acknowledged change must be on the target, once.
 */
class MoverKillTest {
    private static final List<Migration> MIGRATIONS = List.of(new Migration(1, "listings",
            "CREATE TABLE listings (id bigint PRIMARY KEY, title text NOT NULL, price numeric(12,2))"));
    /** The killed mover's lease: long enough that a loaded machine renews it in time (a third of it). */
    private static final long LEASE_MILLIS = 4_000;

    private static String db;
    private static TenantCatalog tenants;
    private static TenantDataSource ds;

    @BeforeAll
    static void start() throws Exception {
        db = PostgresFixture.newDatabase("killmove");
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE TABLE listings (tenant_id text NOT NULL, id bigint NOT NULL, title text NOT NULL,"
                    + " price numeric(12,2), PRIMARY KEY (tenant_id, id))");
        }
        tenants = InMemoryTenantCatalog.create();
        ds = configure(IsolationFixture.builder(tenants, IsolationFixture.endpoint("main", DeploymentRegion.US_WEST,
                db))).build();
    }

    /** The settings both instances share. */
    static TenantDataSource.Builder configure(TenantDataSource.Builder builder) {
        return builder.migrations(SchemaMigrations.of(MIGRATIONS)).protectTable("listings").maximumPoolSize(4)
                .connectionTimeout(java.time.Duration.ofSeconds(10));
    }

    @AfterAll
    static void stop() {
        ds.close();
    }

    @Test
    void aMoverKilledBeforeItsFreezeWhileFrozenAndAfterItsSwitchIsResumedByAnotherInstanceWithNothingLost()
            throws Exception {
        IsolationLevel at = IsolationLevel.BASIC;
        Tenant phoenix = TenantWork.active(tenants, "phoenix", "us-ca", at);
        ds.provision(phoenix.id());
        Churner writer = new Churner(ds, phoenix, 11);
        writer.seed(150);
        Object[][] kills = {{Step.FROZEN, IsolationLevel.ENHANCED}, {Step.VERIFIED, IsolationLevel.MAXIMUM},
            {Step.SOURCE_ERASED, IsolationLevel.BASIC}};
        for (Object[] kill : kills) {
            Step step = (Step) kill[0];
            IsolationLevel to = (IsolationLevel) kill[1];
            Process mover = null;
            String line = "";
            mover = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), MoverProcess.class.getName(),
                    PostgresFixture.jdbcUrl(db), "phoenix", "us-ca", at.name(), to.name(), step.name(),
                    Long.toString(LEASE_MILLIS)).redirectErrorStream(true).start();
            assertThat(awaitLine(mover)).isEqualTo("READY");
            writer.start();
            mover.getOutputStream().write("GO\n".getBytes(StandardCharsets.UTF_8));
            mover.getOutputStream().flush();
            line = awaitLine(mover);
            assertThat(line).as("the mover stopped before " + step).isEqualTo("STALLED");
            mover.destroyForcibly();
            assertThat(mover.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(LEASE_MILLIS + 500); // its freeze, if any, runs out; this instance's writes go on
            MoveResult result = ds.move(phoenix.id(), to, "main");
            Thread.sleep(50);
            writer.stop();
            System.out.printf("killed before %s, resumed: %s, caught up %d, verified by %s%n", step, result.to(),
                    result.caughtUp(), ds.moveJournal().lastVerification());
            assertThat(result.resumed()).isTrue();
            assertThat(result.to().level()).as("where the tenant is now, whoever switched it").isEqualTo(to);
            // the other instance's fence ends every session serving the tenant, this instance's too: a statement in
            // flight there fails and rolls back (isolation.md, step 3), and a MAXIMUM source's pooled session used in
            // the last half second is lent without a check and fails its first statement without running it; so at
            // most once per connection of this instance's pools, and nothing else
            List<String> ended = writer.failures.stream()
                    .filter(f -> f.contains("terminating connection due to administrator command")).toList();
            assertThat(writer.failures).as("this instance's writes wait, they do not fail otherwise")
                    .hasSameSizeAs(ended);
            assertThat(ended.size()).isLessThanOrEqualTo(8);
            assertThat(ds.placement(phoenix.id()).orElseThrow().level()).isEqualTo(to);
            writer.assertExactlyItsRows();
            try (Connection admin = PostgresFixture.admin(db)) {
                assertThat(first(admin, "SELECT count(*) FROM geo_control.tenant_move")).isEqualTo("0");
                assertThat(first(admin, "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'geo\\_move%'"))
                        .isEqualTo("0");
                if (to != IsolationLevel.BASIC) {
                    assertThat(first(admin, "SELECT count(*) FROM listings WHERE tenant_id = 'phoenix'"))
                            .isEqualTo("0");
                }
            }
            at = to;
        }
    }

    /** The mover's first line of output (its JVM's warnings aside), waiting at most a minute. */
    private static String awaitLine(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            if (out.ready()) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                if (line.equals("READY") || line.equals("STALLED") || line.startsWith("ENDED")) {
                    return line;
                }
                seen.append(line).append('\n');
            } else if (!p.isAlive()) {
                break;
            } else {
                Thread.sleep(10);
            }
        }
        p.destroyForcibly();
        return "no READY, STALLED or ENDED line; output:\n" + seen;
    }
}
