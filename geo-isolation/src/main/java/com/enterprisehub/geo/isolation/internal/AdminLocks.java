package com.enterprisehub.geo.isolation.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Keys of the advisory locks administrators take (a move, a restore, a schema's migrations, installing a move's change
 * capture). Advisory locks are open to every role: with a key anyone can compute, such as {@code hashtext} of a
 * tenant id, any tenant's session could take the lock first and stall or refuse another tenant's administration.
 * Where the control plane is installed the key is {@code geo_control.placement_lock_key(name)}, a hash of the binding
 * key (which no tenant can read) and the name; in a tenant's own database (no control plane there, and no other
 * tenant's session) it is {@code hashtext(name)}. Not part of the API.
 */
public final class AdminLocks {
    private AdminLocks() {
    }

    /**
     * The SQL expression of the lock key for the name bound to its one parameter, on {@code c}'s database.
     */
    public static String key(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT to_regprocedure('geo_control.placement_lock_key(text)') IS NOT NULL");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getBoolean(1) ? "geo_control.placement_lock_key(?)" : "hashtext(?)";
        }
    }
}
