package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoException;
import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.localization.Area;
import com.enterprisehub.geo.localization.AreaUnit;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.javamoney.moneta.Money;

/**
 * Reads and writes leads and sales as CSV (RFC 4180: comma-separated, fields with commas, quotes or line breaks
 * quoted with {@code "}, a quote inside doubled; UTF-8 is the caller's reader's business). The first line names the
 * columns, in any order; other columns are ignored.
 *
 * <p>Leads: {@code market, jurisdiction, city, created_on, source, response_minutes, budget, currency, pre_approved,
 * first_time_buyer, page_views, converted}. Sales: {@code market, jurisdiction, city, floor_area, area_unit,
 * bedrooms, bathrooms, year_built, listed_on, price, currency}. Dates are ISO ({@code 2025-04-30}), booleans
 * {@code true}/{@code false}, sources and area units their enum names ({@code REFERRAL}, {@code SQUARE_FOOT}; also
 * {@code m2} and {@code sqft}), an empty city means none. No personal data is read: a file's other columns are
 * skipped.
 *
 * <p>A file with errors is refused whole, every problem listed (up to 50) with its line number, so that it can be
 * fixed in one pass. Stateless and thread-safe.
 */
public final class CsvData {
    /** The lead columns, in the order {@link #writeLeads} writes them. */
    public static final List<String> LEAD_COLUMNS = List.of("market", "jurisdiction", "city", "created_on", "source",
            "response_minutes", "budget", "currency", "pre_approved", "first_time_buyer", "page_views", "converted");
    /** The sale columns, in the order {@link #writeSales} writes them. */
    public static final List<String> SALE_COLUMNS = List.of("market", "jurisdiction", "city", "floor_area",
            "area_unit", "bedrooms", "bathrooms", "year_built", "listed_on", "price", "currency");
    private static final int MAX_PROBLEMS = 50;

    private CsvData() {
    }

    /**
     * Reads labelled leads; {@code source} names the input in error messages.
     *
     * @throws GeoValidationException listing every invalid line, or a missing column
     */
    public static List<LabeledLead> readLeads(Reader in, String source) {
        return read(in, source, LEAD_COLUMNS, row -> {
            Lead.Builder b = Lead.builder(MarketId.of(row.get("market")), row.get("jurisdiction"))
                    .createdOn(LocalDate.parse(row.get("created_on")))
                    .source(LeadSource.valueOf(row.get("source").toUpperCase(Locale.ROOT)))
                    .responseMinutes(Double.parseDouble(row.get("response_minutes")))
                    .budget(Money.of(new BigDecimal(row.get("budget")), row.get("currency")))
                    .preApproved(bool(row.get("pre_approved"))).firstTimeBuyer(bool(row.get("first_time_buyer")))
                    .pageViews(Integer.parseInt(row.get("page_views")));
            if (!row.get("city").isEmpty()) {
                b.city(row.get("city"));
            }
            return new LabeledLead(b.build(), bool(row.get("converted")));
        });
    }

    /**
     * Reads sales; {@code source} names the input in error messages.
     *
     * @throws GeoValidationException listing every invalid line, or a missing column
     */
    public static List<Sale> readSales(Reader in, String source) {
        return read(in, source, SALE_COLUMNS, row -> {
            Property.Builder b = Property.builder(MarketId.of(row.get("market")), row.get("jurisdiction"))
                    .floorArea(Area.of(row.get("floor_area"), unit(row.get("area_unit"))))
                    .bedrooms(Integer.parseInt(row.get("bedrooms"))).bathrooms(Integer.parseInt(row.get("bathrooms")))
                    .yearBuilt(Integer.parseInt(row.get("year_built")))
                    .listedOn(LocalDate.parse(row.get("listed_on")));
            if (!row.get("city").isEmpty()) {
                b.city(row.get("city"));
            }
            return new Sale(b.build(), Money.of(new BigDecimal(row.get("price")), row.get("currency")));
        });
    }

    /** Writes {@code leads} with a header line of {@link #LEAD_COLUMNS}. */
    public static void writeLeads(Writer out, List<LabeledLead> leads) {
        write(out, LEAD_COLUMNS, leads, l -> {
            Lead x = l.lead();
            return List.of(x.market().value(), x.jurisdiction().code(), x.city().orElse(""), x.createdOn().toString(),
                    x.source().name(), Double.toString(x.responseMinutes()), plain(x.budget().getNumber()
                            .numberValue(BigDecimal.class)), x.budget().getCurrency().getCurrencyCode(),
                    Boolean.toString(x.preApproved()), Boolean.toString(x.firstTimeBuyer()),
                    Integer.toString(x.pageViews()), Boolean.toString(l.converted()));
        });
    }

    /** Writes {@code sales} with a header line of {@link #SALE_COLUMNS}. */
    public static void writeSales(Writer out, List<Sale> sales) {
        write(out, SALE_COLUMNS, sales, s -> {
            Property p = s.property();
            return List.of(p.market().value(), p.jurisdiction().code(), p.city().orElse(""),
                    plain(p.floorArea().value()), p.floorArea().unit().name(), Integer.toString(p.bedrooms()),
                    Integer.toString(p.bathrooms()), Integer.toString(p.yearBuilt()), p.listedOn().toString(),
                    plain(s.price().getNumber().numberValue(BigDecimal.class)),
                    s.price().getCurrency().getCurrencyCode());
        });
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    private static boolean bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("'" + value + "' is not true or false");
    }

    private static AreaUnit unit(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "m2", "sqm" -> AreaUnit.SQUARE_METRE;
            case "sqft", "ft2" -> AreaUnit.SQUARE_FOOT;
            default -> AreaUnit.valueOf(value.toUpperCase(Locale.ROOT));
        };
    }

    private static <T> List<T> read(Reader in, String source, List<String> required,
            Function<Map<String, String>, T> parse) {
        Objects.requireNonNull(in, "in");
        List<List<String>> records;
        try {
            records = parseCsv(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Reading " + source + " failed: " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            throw new GeoValidationException(source + " is empty; its first line must name the columns "
                    + required + ".");
        }
        List<String> header = records.get(0).stream().map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
        List<String> missing = required.stream().filter(c -> !header.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new GeoValidationException(source + " lacks the columns " + missing + " (it has " + header + ").");
        }
        List<T> out = new ArrayList<>(records.size() - 1);
        List<String> problems = new ArrayList<>();
        int errors = 0;
        for (int i = 1; i < records.size(); i++) {
            List<String> fields = records.get(i);
            if (fields.size() == 1 && fields.get(0).isBlank()) {
                continue;
            }
            Map<String, String> row = new HashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), c < fields.size() ? fields.get(c).strip() : "");
            }
            try {
                if (fields.size() != header.size()) {
                    throw new IllegalArgumentException("it has " + fields.size() + " fields, the header "
                            + header.size());
                }
                out.add(parse.apply(row));
            } catch (GeoException | IllegalArgumentException | DateTimeParseException | ArithmeticException e) {
                errors++;
                if (problems.size() < MAX_PROBLEMS) {
                    problems.add("record " + i + ": " + e.getMessage());
                }
            }
        }
        if (errors > 0) {
            throw new GeoValidationException(source + " has " + errors + " invalid record(s) (record 1 is the first"
                    + " after the header); nothing was read. Fix them and read it again: " + String.join("; ", problems)
                    + (errors > problems.size() ? "; ..." : ""));
        }
        return List.copyOf(out);
    }

    private static List<List<String>> parseCsv(Reader in) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int c;
        while ((c = in.read()) != -1) {
            any = true;
            if (quoted) {
                if (c == '"') {
                    in.mark(1);
                    int next = in.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        if (next == -1) {
                            break;
                        }
                        c = next;
                    }
                    if (quoted) {
                        continue;
                    }
                } else {
                    field.append((char) c);
                    continue;
                }
            }
            if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                fields.add(field.toString());
                field.setLength(0);
                records.add(fields);
                fields = new ArrayList<>();
                any = false;
            } else if (c != '\r') {
                field.append((char) c);
            }
        }
        if (quoted) {
            throw new GeoValidationException("A quoted field is not closed before the end of the input.");
        }
        if (any || field.length() > 0 || !fields.isEmpty()) {
            fields.add(field.toString());
            records.add(fields);
        }
        return records;
    }

    private static <T> void write(Writer out, List<String> columns, List<T> rows, Function<T, List<String>> fields) {
        try {
            out.write(String.join(",", columns));
            out.write("\r\n");
            for (T row : rows) {
                List<String> values = fields.apply(row);
                for (int i = 0; i < values.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    out.write(quote(values.get(i)));
                }
                out.write("\r\n");
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing CSV failed: " + e.getMessage(), e);
        }
    }

    private static String quote(String value) {
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }
}
