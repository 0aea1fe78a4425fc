package com.enterprisehub.geo.isolation.internal;

import static com.enterprisehub.geo.test.PostgresFixture.exec;
import static org.assertj.core.api.Assertions.assertThat;

import com.enterprisehub.geo.test.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A shared table's capture trigger passes over rows of tenants outside the buckets of the tenants being moved. Under a
 * nondeterministic collation of {@code tenant_id}, {@code hashtext} hashes the value's sort key, so the buckets must
 * be computed in that collation, or the moving tenant's own rows are passed over.
 */
class ChangeCaptureCollationTest {
    @Test
    void theMovingTenantsRowsAreLoggedWhenTenantIdHasANondeterministicCollation() throws Exception {
        String db = PostgresFixture.newDatabase("capture_ci");
        try (Connection admin = PostgresFixture.admin(db)) {
            exec(admin, "CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);"
                    + " CREATE SCHEMA s; CREATE TABLE s.listings (tenant_id text COLLATE ci NOT NULL, id int NOT NULL,"
                    + " title text, PRIMARY KEY (tenant_id, id))");
            List<TenantCopy.Table> tables = List.copyOf(TenantCopy.tables(admin, TenantCopy.Side.ownTables("^s$"))
                    .values());
            assertThat(ChangeCapture.install(admin, true, tables, "Acme")).isTrue();
            exec(admin, "INSERT INTO s.listings VALUES ('Acme', 1, 'new'); UPDATE s.listings SET title = 'changed';"
                    + " DELETE FROM s.listings");
            try (Statement st = admin.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM geo_move.log WHERE tenant = 'Acme' AND key IS NOT NULL")) {
                rs.next();
                assertThat(rs.getLong(1)).as("keys logged for the insert, the update and the delete").isEqualTo(3);
            }
            ChangeCapture.remove(admin, "Acme");
        }
    }
}
