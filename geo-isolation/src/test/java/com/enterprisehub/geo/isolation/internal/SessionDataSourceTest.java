package com.enterprisehub.geo.isolation.internal;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.enterprisehub.geo.spi.cloud.DatabaseCredentials;
import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SessionDataSourceTest {
    /**
     * Two logins fail on the same role setting at once (the pool's background filler and the self-check did, in CI):
     * the first to reach the administrator removes it, the second finds nothing left to remove. The second must
     * still log in again, not give up with the first failure.
     */
    @Test
    void aLoginThatFailedOnRoleSettingsAnotherLoginAlreadyRemovedIsTriedAgain() throws Exception {
        String db = PostgresFixture.newDatabase("login_race");
        try (Connection admin = PostgresFixture.admin(db)) {
            // What the control plane's login trigger does: a write, which a read-only session start refuses.
            exec(admin, "CREATE TABLE public.logins (pid int)");
            exec(admin, "CREATE FUNCTION public.on_login() RETURNS event_trigger SECURITY DEFINER LANGUAGE plpgsql"
                    + " AS $$ BEGIN DELETE FROM public.logins WHERE pid = pg_backend_pid(); END $$");
            exec(admin, "CREATE EVENT TRIGGER on_login ON login EXECUTE FUNCTION public.on_login()");
            exec(admin, "ALTER ROLE " + PostgresFixture.APP_ROLE + " IN DATABASE " + db
                    + " SET default_transaction_read_only = on");
            AtomicInteger repairs = new AtomicInteger();
            SessionDataSource.LoginGuard otherLoginWonTheRace = new SessionDataSource.LoginGuard() {
                @Override
                public boolean resetRoleSettings() throws SQLException {
                    repairs.incrementAndGet();
                    exec(admin, "ALTER ROLE " + PostgresFixture.APP_ROLE + " IN DATABASE " + db + " RESET ALL");
                    return false;                                  // as the loser sees it: nothing left to remove
                }

                @Override
                public void passwordRefused(SQLException refused) {
                    throw new AssertionError("the password was right", refused);
                }
            };
            try (Connection c = new SessionDataSource(PostgresFixture.jdbcUrl(db), null, PostgresFixture.APP_ROLE,
                    "app", otherLoginWonTheRace).getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SHOW default_transaction_read_only")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("off");
            } finally {
                exec(admin, "ALTER ROLE " + PostgresFixture.APP_ROLE + " IN DATABASE " + db + " RESET ALL");
            }
            assertThat(repairs).hasValue(1);
        }
    }
    /** A source without a password: the message names the connections' source (an endpoint), not the JDBC URL. */
    @Test
    void aFailingSourceIsNamedByTheEndpointNotTheUrl() {
        String url = PostgresFixture.jdbcUrl("postgres") + "?ApplicationName=url-marker";
        SessionDataSource.LoginGuard guard = new SessionDataSource.LoginGuard() {
            @Override
            public boolean resetRoleSettings() {
                throw new AssertionError("no login reached the server");
            }

            @Override
            public void passwordRefused(SQLException refused) {
                throw new AssertionError("no login reached the server", refused);
            }
        };
        DatabaseCredentials failing = DatabaseCredentials.of("geo_app", () -> {
            throw new IllegalStateException("parsed {\"password\":\"s3cr3t");
        });
        assertThatThrownBy(() -> new SessionDataSource(url, null, failing, guard, "endpoint 'eu-named'")
                .getConnection()).isInstanceOf(SQLException.class).hasMessageContaining("endpoint 'eu-named'")
                .hasMessageContaining("geo_app").hasMessageContaining(IllegalStateException.class.getName())
                .hasMessageNotContaining("url-marker").hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> new SessionDataSource(url, null, failing, guard).getConnection())
                .as("without a name").isInstanceOf(SQLException.class).hasMessageNotContaining("url-marker");
    }
}
