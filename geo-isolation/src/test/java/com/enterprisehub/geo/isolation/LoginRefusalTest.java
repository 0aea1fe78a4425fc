package com.enterprisehub.geo.isolation;

import static com.enterprisehub.geo.isolation.TenantWork.as;
import static com.enterprisehub.geo.isolation.TenantWork.first;
import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.core.event.PlatformEvents;
import com.enterprisehub.geo.core.market.DeploymentRegion;
import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.spi.catalog.InMemoryTenantCatalog;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A login of the shared application role that the server refuses for another reason than a wrong password (SQLSTATE
 * 28000: a role without LOGIN, as an RDS IAM token refused or a pg_hba.conf reject also give) is a refused login:
 * reported once, not "repaired" through an administrator connection, not tried twice. Real PostgreSQL.
 */
class LoginRefusalTest {

    @Test
    void aRoleThatMayNotLogInIsOneRefusedLoginReportedWithoutAnAdministratorConnection() throws Exception {
        String db = PostgresFixture.newDatabase("loginrefused");
        String role = "geo_lr_app_" + Long.toHexString(System.nanoTime());
        try (Connection c = PostgresFixture.admin(db)) {
            exec(c, "CREATE ROLE " + role + " LOGIN PASSWORD 'app-Login-1'");
            exec(c, "CREATE TABLE listings (id bigserial PRIMARY KEY, tenant_id text NOT NULL, title text NOT NULL)");
        }
        AtomicInteger appLogins = new AtomicInteger();
        AtomicInteger adminLogins = new AtomicInteger();
        DatabaseCredentials app = DatabaseCredentials.of(role, () -> {
            appLogins.incrementAndGet();
            return "app-Login-1";
        });
        DatabaseCredentials admin = DatabaseCredentials.of("postgres", () -> {
            adminLogins.incrementAndGet();
            return "postgres";
        });
        List<SecurityEvent> reported = Collections.synchronizedList(new ArrayList<>());
        PlatformEvents events = PlatformEvents.create();
        events.subscribe(e -> {
            if (e instanceof SecurityEvent se) {
                reported.add(se);
            }
        });
        TenantCatalog tenants = InMemoryTenantCatalog.create();
        Tenant acme = TenantWork.active(tenants, "acme", "gb", IsolationLevel.BASIC);
        try (TenantDataSource dataSource = IsolationFixture.builder(tenants, new DatabaseEndpoint("eu-refusing",
                DeploymentRegion.EUROPE, PostgresFixture.jdbcUrl(db), admin, app)).protectTable("listings")
                .maximumPoolSize(1).events(events).build()) {
            dataSource.provision(acme.id());
            // A borrow: the pool (of one) is then at its maximum, logged in, and opens no other connection.
            as(acme, () -> {
                try (Connection c = dataSource.getConnection()) {
                    return first(c, "SELECT session_user");
                }
            });
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "ALTER ROLE " + role + " NOLOGIN");
            }
            int appBefore = appLogins.get();
            int adminBefore = adminLogins.get();

            // The self-check advice's own login of the application role (the self-check itself reads the control
            // plane through the administrator first).
            assertThatThrownBy(dataSource::selfCheckAdvice).isInstanceOf(IsolationException.class)
                    .hasMessageContaining("eu-refusing").cause().isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("28000"));
            assertThat(appLogins.get() - appBefore).as("login attempts of the application role").isEqualTo(1);
            assertThat(adminLogins.get()).as("administrator connections (a role-settings repair)")
                    .isEqualTo(adminBefore);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (refusals(reported) == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            assertThat(refusals(reported)).as("login-refused events").isEqualTo(1);
            assertThat(reported).extracting(SecurityEvent::kind).as("no role repair").doesNotContain("role-changed");
        } finally {
            try (Connection c = PostgresFixture.admin(db)) {
                exec(c, "ALTER ROLE " + role + " LOGIN");
            }
        }
    }

    private static long refusals(List<SecurityEvent> reported) {
        synchronized (reported) {
            return reported.stream().filter(e -> e.kind().equals("login-refused")).count();
        }
    }
}
