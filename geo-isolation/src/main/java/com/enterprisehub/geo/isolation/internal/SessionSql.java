package com.enterprisehub.geo.isolation.internal;

/**
 * Recognizes SQL that may change a session's settings (search_path, role, statement timeout, prepared
 * statements), so that the next borrower of the same tenant gets the session reset instead of handed over
 * as is. Errs on the side of "may": a false alarm costs one round trip on the next borrow; a miss would
 * leave a tenant with settings one of its own borrowers changed (never another tenant's data: a switch to
 * another tenant always resets). Not part of the API.
 *
 * <p>What raises the alarm: the commands and constructs that change settings or run code that could
 * ({@code DO} blocks, {@code CALL}, {@code EXECUTE}, {@code RESET}, {@code DISCARD}, {@code LOAD},
 * {@code LISTEN}, {@code PREPARE}, {@code DEALLOCATE}) as whole words anywhere; {@code set_config} anywhere;
 * {@code u&} anywhere (a quoted identifier may be written with Unicode escapes); comments ({@code --},
 * {@code /*}), which could hide the start of a statement from the next check; and {@code SET} as the first
 * word of a statement (at the start, or after a {@code ;} and white space). Letters are compared ignoring
 * ASCII case only, as PostgreSQL compares keywords.
 *
 * <p>This runs on every statement a host prepares, so it is one pass over the characters with no
 * allocation, instead of a regular expression (which cost about 5 µs per statement in the isolation
 * benchmark, a fifth of the JVM's time per operation). It raises the alarm wherever the regular expression
 * {@code set_config|u&|/\*|--|\b(do|call|execute|reset|discard|load|listen|prepare|deallocate)\b|(^|;)\s*set\b}
 * (case-insensitive) finds a match, and on ASCII text exactly there; {@code SessionSqlTest} checks both
 * against random SQL-like text.
 */
final class SessionSql {
    /** Whole words that raise the alarm, lower case. */
    private static final String[] KEYWORDS = {
        "do", "call", "execute", "reset", "discard", "load", "listen", "prepare", "deallocate"
    };

    private static final String SET_CONFIG = "set_config";

    private SessionSql() {
    }

    static boolean mayChangeSession(String sql) {
        if (sql == null) {
            return false;
        }
        int n = sql.length();
        boolean statementStart = true;
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (isWordChar(c)) {
                int end = i + 1;
                while (end < n && isWordChar(sql.charAt(end))) {
                    end++;
                }
                if (alarmingWord(sql, i, end, statementStart)) {
                    return true;
                }
                statementStart = false;
                i = end;
                continue;
            }
            if (c == ';') {
                statementStart = true;
            } else if (c == '-' || c == '/') {
                if (i + 1 < n && sql.charAt(i + 1) == (c == '-' ? '-' : '*')) {
                    return true;
                }
                statementStart = false;
            } else if (!isSpace(c)) {
                statementStart = false;
            }
            i++;
        }
        return false;
    }

    /** Whether the word {@code sql[start, end)} (a maximal run of word characters) raises the alarm. */
    private static boolean alarmingWord(String sql, int start, int end, boolean statementStart) {
        int length = end - start;
        // "u&": the u necessarily ends a word, since & is not a word character
        if ((sql.charAt(end - 1) | 0x20) == 'u' && end < sql.length() && sql.charAt(end) == '&') {
            return true;
        }
        if (statementStart && length == 3 && matchesAsciiIgnoreCase(sql, start, "set")) {
            return true;
        }
        for (String keyword : KEYWORDS) {
            if (length == keyword.length() && matchesAsciiIgnoreCase(sql, start, keyword)) {
                return true;
            }
        }
        // set_config consists of word characters, so it lies within one word
        for (int k = start; k + SET_CONFIG.length() <= end; k++) {
            if (matchesAsciiIgnoreCase(sql, k, SET_CONFIG)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code sql} holds {@code lower} at {@code offset}, ignoring ASCII case only. */
    private static boolean matchesAsciiIgnoreCase(String sql, int offset, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            char c = sql.charAt(offset + k);
            char l = lower.charAt(k);
            if (c != l && !(l >= 'a' && l <= 'z' && c == l - ('a' - 'A'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * A word character: a letter, a digit or an underscore. (java.util.regex also counts a combining mark
     * after a letter and letters outside the Basic Multilingual Plane; counting fewer characters as word
     * characters only finds more word boundaries, so more alarms, never fewer.)
     */
    private static boolean isWordChar(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        }
        return Character.isLetterOrDigit(c);
    }

    /** White space as {@code \s} of java.util.regex means it: space, tab, the line breaks, form feed. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
