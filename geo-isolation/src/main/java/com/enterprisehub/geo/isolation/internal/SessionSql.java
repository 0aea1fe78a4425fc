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
 * {@code LISTEN}, {@code PREPARE}, {@code DEALLOCATE}) as whole words anywhere; {@code set_config} and
 * {@code pg_settings} anywhere (an {@code UPDATE} of the {@code pg_settings} view calls {@code set_config});
 * {@code u&} anywhere (a quoted identifier may be written with Unicode escapes); comments ({@code --},
 * {@code /*}), which could hide the start of a statement from the next check; and {@code SET} as the first
 * word of a statement (at the start, or after a {@code ;} and white space). Letters are compared ignoring
 * ASCII case only, as PostgreSQL compares keywords. A word is a run of ASCII letters, digits and underscores:
 * any other character separates words, so {@code édo} counts as containing the word {@code do} (PostgreSQL
 * reads it as one identifier; a false alarm costs one round trip, a miss is what must not happen).
 *
 * <p>This runs on every statement a host prepares, so it is one pass over the characters with no
 * allocation, instead of a regular expression (which cost about 5 µs per statement in the isolation
 * benchmark, a fifth of the JVM's time per operation). It raises the alarm wherever the regular expression
 * {@code set_config|pg_settings|u&|/\*|--|\b(do|call|execute|reset|discard|load|listen|prepare|deallocate)\b|(^|;)\s*set\b}
 * (case-insensitive) finds a match, whatever the JDK's idea of a word boundary ({@code \b} counts non-ASCII
 * letters as word characters up to JDK 18, not from JDK 19 on), and on ASCII text exactly there;
 * {@code SessionSqlTest} checks both against random SQL-like text.
 *
 * <p>It cannot see settings changed by code the SQL calls (a host's own function running {@code set_config}):
 * such a change stays with the tenant's own next borrower, never reaches another tenant (a switch to another
 * tenant always resets the session), and never touches the binding, which is not a setting.
 */
final class SessionSql {
    /** Whole words that raise the alarm, lower case. */
    private static final String[] KEYWORDS = {
        "do", "call", "execute", "reset", "discard", "load", "listen", "prepare", "deallocate"
    };

    /** Texts that raise the alarm anywhere, even inside a longer word; lower case, word characters only. */
    private static final String[] ANYWHERE = {"set_config", "pg_settings"};

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
        // these consist of word characters, so each lies within one word
        for (String text : ANYWHERE) {
            for (int k = start; k + text.length() <= end; k++) {
                if (matchesAsciiIgnoreCase(sql, k, text)) {
                    return true;
                }
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
     * A word character: an ASCII letter, digit or underscore. (java.util.regex's {@code \b} counts these, and
     * up to JDK 18 other letters and digits as well; counting fewer characters as word characters only finds
     * more word boundaries, so more alarms, never fewer.)
     */
    private static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /** White space as {@code \s} of java.util.regex means it: space, tab, the line breaks, form feed. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }
}
