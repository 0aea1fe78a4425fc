package com.enterprisehub.geo.spring.internal;

import com.enterprisehub.geo.core.NoTenantBoundException;
import com.enterprisehub.geo.core.TenantUnavailableException;
import com.enterprisehub.geo.core.UnknownTenantException;
import com.enterprisehub.geo.isolation.RefusalCause;
import com.enterprisehub.geo.isolation.ResidencyViolationException;
import com.enterprisehub.geo.isolation.TenantNotPlacedException;
import java.sql.SQLException;
import java.util.Optional;

/** Which of the SDK's fail-closed refusals, if any, an exception carries in its causes. Not part of the API. */
public final class Refusals {
    private static final int MAX_DEPTH = 32;

    private Refusals() {
    }

    /**
     * The refusal behind {@code failure}: the first of its causes (itself included) that is one of the exceptions
     * {@code TenantDataSource.getConnection()} refuses with, as its {@link RefusalCause}. Empty for anything else
     * (a database error, a bug).
     */
    public static Optional<RefusalCause> cause(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            RefusalCause cause = of(t);
            if (cause != null) {
                return Optional.of(cause);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the refusal behind {@code failure} was thrown by {@code TenantDataSource.getConnection()}: it wraps
     * each refusal in an {@link SQLException} whose cause is the refusal (Spring's and Hibernate's exceptions wrap
     * that again). Such a refusal was already seen by the data source's connection observers.
     */
    public static boolean fromDataSource(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_DEPTH; depth++, t = t.getCause()) {
            if (t instanceof SQLException && t.getCause() != null && of(t.getCause()) != null) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static RefusalCause of(Throwable t) {
        if (t instanceof NoTenantBoundException) {
            return RefusalCause.NO_TENANT;
        }
        if (t instanceof UnknownTenantException) {
            return RefusalCause.UNKNOWN_TENANT;
        }
        if (t instanceof TenantNotPlacedException) { // before its superclass
            return RefusalCause.NOT_PLACED;
        }
        if (t instanceof ResidencyViolationException) {
            return RefusalCause.RESIDENCY;
        }
        if (t instanceof TenantUnavailableException) {
            return RefusalCause.TENANT_UNAVAILABLE;
        }
        return null;
    }
}
