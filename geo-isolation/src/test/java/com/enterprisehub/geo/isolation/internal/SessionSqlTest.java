package com.enterprisehub.geo.isolation.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SessionSqlTest {
    /**
     * The rule as a regular expression (what SessionSql implemented before it became a scanner). Its {@code \b}
     * depends on the JDK (non-ASCII letters are word characters up to JDK 18, not from JDK 19 on); the scanner
     * must never miss one of its matches on either.
     */
    private static final Pattern ORACLE = Pattern.compile(
            "set_config|pg_settings|u&|/\\*|--|\\b(do|call|execute|reset|discard|load|listen|prepare|deallocate)\\b"
                    + "|(^|;)\\s*set\\b",
            Pattern.CASE_INSENSITIVE);

    @Test
    void ordinaryStatementsDoNotRaiseTheAlarm() {
        for (String sql : new String[] {
            "SELECT title FROM listings WHERE id = ?",
            "UPDATE listings SET price = ? WHERE id = ?",
            "INSERT INTO listings (title, price) VALUES (?, ?) RETURNING id",
            "select * from settings where dose = 1 and loader = 'x' and recall = ? and reseta = 2",
            "DELETE FROM listings WHERE title = 'reset_me' AND offset_x > 0",
            "SELECT 1; SELECT 2",
            "",
        }) {
            assertThat(SessionSql.mayChangeSession(sql)).as(sql).isFalse();
        }
        assertThat(SessionSql.mayChangeSession(null)).isFalse();
    }

    @Test
    void sessionChangingStatementsRaiseTheAlarm() {
        for (String sql : new String[] {
            "SET search_path = victim",
            "  set role other",
            "SELECT 1;\n\tSeT statement_timeout = 0",
            "SELECT pg_catalog.SET_CONFIG('geo.tenant', 'x', false)",
            "select myset_configx()",
            "DO $$ BEGIN PERFORM 1; END $$",
            "do$$begin end$$",
            "CALL p()",
            "EXECUTE stmt",
            "RESET ALL",
            "DISCARD ALL",
            "LOAD 'x'",
            "LISTEN c",
            "PREPARE s AS SELECT 1",
            "DEALLOCATE ALL",
            "SELECT * FROM U&\"d\\0061ta\"",
            "SELECT 1 -- comment",
            "SELECT /* hidden */ 1",
            "/**/SET role x",
            "SELECT 'it''s' ; set x = 1",
            "UPDATE pg_settings SET setting = '0' WHERE name = 'statement_timeout'",
            "update PG_CATALOG.PG_SETTINGS set setting = 'victim' where name = 'search_path'",
            "SELECT 1 FROM t WHERE x = 'édo'",
            "éexecute x",
        }) {
            assertThat(SessionSql.mayChangeSession(sql)).as(sql).isTrue();
        }
    }

    @Test
    void agreesWithTheRegularExpressionOnAsciiAndNeverMissesOneOfItsMatches() {
        String[] tokens = {
            "set", "SET", "Set", "set_config", "SET_CONFIG", "pg_settings", "PG_Settings", "do", "Do", "call",
            "execute", "reset", "discard",
            "load", "listen", "prepare", "deallocate", "select", "update", "settings", "dose", "u", "U", "&", "u&",
            "-", "--", "/", "*", "/*", ";", " ", "\t", "\n", "\u000B", "\f", "\r", "_", "x", "1", "'", "\"", "$",
            "(", ")", ".", ",", "=", "é", "ſet", "\u0301", "\u00A0", "\uD835\uDC00", "\u212A", "ſ",
        };
        Random random = new Random(20261125L);
        int alarms = 0;
        for (int run = 0; run < 200_000; run++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(8);
            for (int t = 0; t < length; t++) {
                sql.append(tokens[random.nextInt(tokens.length)]);
            }
            String text = sql.toString();
            boolean expected = ORACLE.matcher(text).find();
            boolean actual = SessionSql.mayChangeSession(text);
            if (expected) {
                alarms++;
                assertThat(actual).as("missed by the scanner: [%s]", text).isTrue();
            } else if (text.chars().allMatch(c -> c < 0x80)) {
                assertThat(actual).as("false alarm on ASCII: [%s]", text).isFalse();
            }
        }
        assertThat(alarms).as("the generator produces alarming text").isGreaterThan(10_000);
    }
}
