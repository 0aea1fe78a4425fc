package com.enterprisehub.geo.isolation.internal;

import java.util.regex.Pattern;

/**
 * Recognizes SQL that may change a session's settings (search_path, role, statement timeout, prepared
 * statements), so that the next borrower of the same tenant gets the session reset instead of handed over
 * as is. Errs on the side of "may": a false alarm costs one round trip on the next borrow; a miss would
 * leave a tenant with settings one of its own borrowers changed (never another tenant's data: a switch to
 * another tenant always resets). Not part of the API.
 */
final class SessionSql {
    /**
     * Commands and constructs that change settings or run code that could: DO blocks, procedure calls,
     * EXECUTE, RESET, DISCARD, LOAD, LISTEN, PREPARE and DEALLOCATE; set_config under any spelling (a
     * quoted identifier may be written with Unicode escapes, hence {@code u&}); and comments, which could
     * hide the start of a SET from the statement-start check below.
     */
    private static final Pattern ALARM = Pattern.compile(
            "set_config|u&|/\\*|--|\\b(do|call|execute|reset|discard|load|listen|prepare|deallocate)\\b"
                    + "|(^|;)\\s*set\\b", // a SET at the start of a statement
            Pattern.CASE_INSENSITIVE);

    private SessionSql() {
    }

    static boolean mayChangeSession(String sql) {
        if (sql == null) {
            return false;
        }
        // Runs on every statement a host prepares: no lower-cased copy of the SQL, the patterns ignore case.
        return ALARM.matcher(sql).find();
    }
}
