package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.isolation.internal.MoveJournal.Step;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.test.PostgresFixture;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The mover of {@link MoverKillTest}, run in a JVM of its own so that the test can kill it with SIGKILL: it moves a
 * tenant and stops just before a step (printing {@code STALLED}), where it waits to be killed.
 * Arguments: the endpoint's JDBC URL, the tenant, its market, its current level, the target level, the step, the
 * freeze's lease in milliseconds.
 */
final class MoverProcess {
    private MoverProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        com.enterprisehub.geo.core.tenant.Tenant tenant = TenantWork.active(tenants, args[1], args[2],
                IsolationLevel.valueOf(args[3]));
        DatabaseEndpoint main = new DatabaseEndpoint("main", DeploymentRegion.US_WEST, url,
                new Credentials("postgres", "postgres"), new Credentials(PostgresFixture.APP_ROLE, "app"));
        try (TenantDataSource ds = MoverKillTest.configure(IsolationFixture.builder(tenants, main)).build()) {
            ds.moveJournal().lease(Duration.ofMillis(Long.parseLong(args[6])));
            ds.moveJournal().stallBefore(Step.valueOf(args[5]), new CountDownLatch(1));
            // started; the test starts its writer now and says GO (starting an instance while another writes is
            // another matter: see MoverKillTest)
            System.out.println("READY");
            System.out.flush();
            new java.io.BufferedReader(new java.io.InputStreamReader(System.in, java.nio.charset.StandardCharsets.UTF_8))
                    .readLine();
            Thread mover = new Thread(() -> {
                try {
                    ds.move(tenant.id(), IsolationLevel.valueOf(args[4]), "main");
                    System.out.println("ENDED moved");
                } catch (RuntimeException e) {
                    System.out.println("ENDED " + e.getMessage());
                }
                System.out.flush();
            });
            mover.setDaemon(true);
            mover.start();
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!ds.moveJournal().stalled() && mover.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (ds.moveJournal().stalled()) {
                System.out.println("STALLED");
                System.out.flush();
                Thread.sleep(600_000); // killed here
            }
        }
    }
}
