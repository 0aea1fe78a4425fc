package com.enterprisehub.geo.isolation;

import com.enterprisehub.geo.core.tenant.IsolationLevel;
import com.enterprisehub.geo.core.tenant.Tenant;
import com.enterprisehub.geo.core.tenant.TenantContext;
import com.enterprisehub.geo.core.tenant.TenantState;
import com.enterprisehub.geo.spi.catalog.TenantCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** Small helpers the isolation tests share: run as a tenant, read a column. */
final class TenantWork {
    private TenantWork() {
    }

    /** Creates an ACTIVE tenant at {@code level} in {@code market}. */
    static Tenant active(TenantCatalog tenants, String id, String market, IsolationLevel level) {
        return tenants.create(Tenant.builder(id).market(market).organization("Org " + id).isolationLevel(level)
                .state(TenantState.ACTIVE).build());
    }

    /** Runs {@code work} with {@code tenant} bound, rethrowing SQL and runtime exceptions as they are. */
    static <T> T as(Tenant tenant, Callable<T> work) throws SQLException {
        try (TenantContext.Scope scope = TenantContext.open(tenant)) {
            return work.call();
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of every row of {@code sql}, as strings. */
    static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    /** The first column of the first row of {@code sql}. */
    static String first(Connection c, String sql) throws SQLException {
        List<String> values = column(c, sql);
        if (values.isEmpty()) {
            throw new AssertionError("no row from " + sql);
        }
        return values.get(0);
    }
}
