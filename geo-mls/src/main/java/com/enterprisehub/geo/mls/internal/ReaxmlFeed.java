package com.enterprisehub.geo.mls.internal;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.spi.listing.Area;
import com.enterprisehub.geo.spi.listing.AreaUnits;
import com.enterprisehub.geo.spi.listing.FeedBatch;
import com.enterprisehub.geo.spi.listing.FeedCheckpoint;
import com.enterprisehub.geo.spi.listing.FeedSubscription;
import com.enterprisehub.geo.spi.listing.Listing;
import com.enterprisehub.geo.spi.listing.ListingAddress;
import com.enterprisehub.geo.spi.listing.ListingFeed;
import com.enterprisehub.geo.spi.listing.ListingFeedException;
import com.enterprisehub.geo.spi.listing.ListingRecord;
import com.enterprisehub.geo.spi.listing.MediaReference;
import com.enterprisehub.geo.spi.listing.StandardStatus;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * A REAXML feed: the {@code .xml} files of a directory, read in file-name order with a streaming StAX parser, one
 * listing element at a time (memory does not grow with a file's size). REAXML is the listing format of
 * realestate.com.au (<a href="http://reaxml.realestate.com.au/docs/REAXML-Functional-Spec.html">REAXML Functional
 * Specification 2.1</a>, document type {@code propertyList},
 * <a href="http://reaxml.realestate.com.au/propertyList.dtd">propertyList.dtd</a>). {@code residential},
 * {@code rental} and {@code land} listings are read; the other kinds ({@code commercial}, {@code rural}, ...) are
 * rejected with the reason. {@code status="withdrawn"}, {@code "offmarket"}, {@code "sold"} and {@code "leased"}
 * are removals.
 *
 * <p>The checkpoint is the file being read and how many listings of it were delivered ({@code reaxml1:<file>|<n>}):
 * files are expected to be immutable once in the directory, and new files to sort after the ones already read (the
 * timestamped names portals write do). A file is read only once unchanged for a settling period (default 30 s), and
 * the files after it wait with it; an uploader that renames a finished file into place can set a short one. A file
 * whose document stops before its end (or that changes while read) holds the feed at that file, checkpoint inside it,
 * until it is complete (or removed). A file that is not well-formed before its end is reported as one rejected record
 * and the feed goes on with the next file. No DTD or external entity is ever loaded (the parser supports neither), so a file's
 * {@code DOCTYPE} reaches nothing. Not thread-safe.
 */
public final class ReaxmlFeed implements ListingFeed {
    /** Checkpoints before the directory's identity was part of them: still read. */
    private static final String PREFIX_V1 = "reaxml1:";
    /** {@code reaxml2:<16 hex digits of SHA-256 of the directory's absolute path>:<file>|<n>}. */
    private static final String PREFIX_V2 = "reaxml2:";
    /** The checkpoint's position once a file that is not well-formed has been reported. */
    private static final String END = "end";
    private static final Set<String> READ = Set.of("residential", "rental", "land");
    private static final Set<String> OTHER = Set.of("commercial", "commercialLand", "business", "rural",
            "holidayRental");
    private static final DateTimeFormatter MOD_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd-HH:mm:ss");
    /** One Australian "square" is 100 square feet (9.290304 m²), the unit of building areas in REAXML. */
    private static final BigDecimal SQUARE_IN_M2 = new BigDecimal("9.290304");

    private final FeedSubscription subscription;
    private final Path directory;
    private final ZoneId zone;
    private final XMLInputFactory xml;
    private final Duration settle;
    private final Clock clock;
    /** {@code reaxml2:<digest>:}, this directory's checkpoint prefix. */
    private final String prefix;

    /**
     * A feed of the files in {@code directory}, whose {@code modTime}s are local times of {@code zone}; a file is read
     * once its last-modified time is at least {@code settle} before {@code clock}'s now.
     */
    public ReaxmlFeed(FeedSubscription subscription, Path directory, ZoneId zone, Duration settle, Clock clock) {
        this.subscription = Objects.requireNonNull(subscription, "subscription");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.settle = Objects.requireNonNull(settle, "settle");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.prefix = PREFIX_V2 + com.enterprisehub.geo.spi.crypto.Digests.sha256Hex(directory.toAbsolutePath()
                .normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8)).substring(0, 16) + ":";
        this.xml = XMLInputFactory.newDefaultFactory(); // the JDK's parser, never one found on the class path
        xml.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        xml.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        xml.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    @Override
    public FeedSubscription subscription() {
        return subscription;
    }

    @Override
    public FeedBatch pull(FeedCheckpoint after, int maxRecords) {
        if (maxRecords < 1 || maxRecords > 10_000) {
            throw new GeoValidationException("A pull asks for 1 to 10,000 records; got " + maxRecords + ".");
        }
        String file = "";
        int done = 0;
        if (!after.isStart()) {
            String v = after.value();
            int bar = v.lastIndexOf('|');
            String n = bar < 0 ? "" : v.substring(bar + 1);
            int start = v.startsWith(prefix) ? prefix.length() : v.startsWith(PREFIX_V1) ? PREFIX_V1.length() : -1;
            if (start < 0 && v.startsWith(PREFIX_V2)) {
                throw new GeoValidationException("Checkpoint '" + v + "' was written for another source (directory)"
                        + " than " + directory + "; resuming from it here could skip listings. Start from"
                        + " FeedCheckpoint.START for this directory.");
            }
            if (start < 0 || bar < start || !(n.matches("[0-9]{1,9}") || n.equals(END))) {
                throw new GeoValidationException("Checkpoint '" + v + "' was not written by a REAXML feed; start from"
                        + " FeedCheckpoint.START or from a checkpoint this feed wrote.");
            }
            file = v.substring(start, bar);
            done = n.equals(END) ? -1 : Integer.parseInt(n);
        }
        List<ListingRecord> records = new ArrayList<>();
        TreeSet<String> files = settledFiles();
        String current = file.isEmpty() ? files.isEmpty() ? null : files.first() : file;
        if (current != null && (done < 0 || !files.contains(current))) {
            // the checkpoint's file is finished, gone or (rewritten) not settled: go on with the next one
            current = files.higher(current);
            done = 0;
        }
        while (current != null) {
            int[] read = {0};
            Outcome outcome = read(current, done, maxRecords - records.size(), records, read);
            if (outcome == Outcome.FULL) {
                return new FeedBatch(records, new FeedCheckpoint(prefix + current + "|" + (done + read[0])), false);
            }
            if (outcome == Outcome.ENDS_EARLY) {
                if (records.isEmpty()) {
                    throw new ListingFeedException("REAXML file '" + current + "' of feed '" + feedId() + "' ends early"
                            + " (after " + (done + read[0]) + " listings): it is still being written, or was cut short."
                            + " The feed waits at this file; complete it, or remove it to go on with the next file.");
                }
                // What came before is delivered; the checkpoint stays inside the file.
                return new FeedBatch(records, new FeedCheckpoint(prefix + current + "|" + (done + read[0])), false);
            }
            String next = files.higher(current);
            if (next == null) {
                String at = outcome == Outcome.MALFORMED ? END : String.valueOf(done + read[0]);
                return new FeedBatch(records, new FeedCheckpoint(prefix + current + "|" + at), true);
            }
            current = next;
            done = 0;
            if (records.size() == maxRecords) {
                return new FeedBatch(records, new FeedCheckpoint(prefix + current + "|0"), false);
            }
        }
        return new FeedBatch(records, after, true);
    }

    /**
     * The {@code .xml} files in name order up to the first that changed within the settling period (an upload may
     * still be writing it): files after it wait too, so that the checkpoint never passes it.
     */
    private TreeSet<String> settledFiles() {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.xml")) {
            for (Path p : stream) {
                if (Files.isRegularFile(p)) {
                    names.add(p.getFileName().toString());
                }
            }
            Instant settledBefore = clock.instant().minus(settle);
            TreeSet<String> ready = new TreeSet<>();
            for (String name : names) {
                if (Files.getLastModifiedTime(directory.resolve(name)).toInstant().isAfter(settledBefore)) {
                    break;
                }
                ready.add(name);
            }
            return ready;
        } catch (IOException e) {
            throw new ListingFeedException("The REAXML directory of feed '" + feedId() + "' (" + directory
                    + ") cannot be read (" + e + "). Check it exists and this process may read it.", e);
        }
    }

    /** How reading a file ended. */
    private enum Outcome {
        /** every listing read */
        FINISHED,
        /** the batch is full */
        FULL,
        /** not well-formed before its end: reported once as a rejected record, the feed goes on */
        MALFORMED,
        /** the document stops before it is complete, or changed while read: the feed waits at this file */
        ENDS_EARLY
    }

    /**
     * Reads listings {@code skip}.. of {@code file}, adding at most {@code room}; {@code read[0]} counts the listings
     * passed (added).
     */
    private Outcome read(String file, int skip, int room, List<ListingRecord> out, int[] read) {
        Path path = directory.resolve(file);
        int index = 0;
        Object stamp = stamp(path);
        try (InputStream in = Files.newInputStream(path)) {
            XMLStreamReader r = xml.createXMLStreamReader(in);
            try {
                while (r.hasNext()) {
                    int event = r.next();
                    if (event != XMLStreamConstants.START_ELEMENT || r.getLocalName().equals("propertyList")) {
                        continue;
                    }
                    if (index < skip) {
                        skipElement(r);
                        index++;
                        continue;
                    }
                    if (read[0] == room) {
                        return Outcome.FULL;
                    }
                    Node node = Node.read(r);
                    if (node.exceeded != null) {
                        out.add(new ListingRecord.Rejected(Optional.empty(), "REAXML listing <" + node.name + "> number "
                                + (index + 1) + " of file '" + file + "' is " + node.exceeded + "; it was not read.",
                                "file " + file + " listing " + (index + 1)));
                    } else {
                        out.add(toRecord(node));
                    }
                    index++;
                    read[0]++;
                }
            } finally {
                r.close();
            }
        } catch (XMLStreamException e) {
            if (read[0] == room) {
                return Outcome.FULL;
            }
            if (!stamp.equals(stamp(path)) || endsAt(path, e)) {
                return Outcome.ENDS_EARLY;
            }
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNumber();
            out.add(new ListingRecord.Rejected(Optional.empty(), "REAXML file '" + file + "' is not well-formed"
                    + where + "; the listings after that point were not read. Fix the file and place it again under a"
                    + " new name.", "file " + file + where));
            return Outcome.MALFORMED;
        } catch (IOException e) {
            throw new ListingFeedException("REAXML file '" + file + "' of feed '" + feedId() + "' cannot be read ("
                    + e + ").", e);
        }
        return Outcome.FINISHED;
    }

    /** The file's size and last-modified time, to tell whether it changed while read. */
    private static Object stamp(Path path) {
        try {
            return List.of(Files.size(path), Files.getLastModifiedTime(path));
        } catch (IOException e) {
            return List.of();
        }
    }

    /**
     * Whether the parse error is at the file's end: no markup closes after the error's position (the parser reports a
     * cut tag where the tag starts), so the document stops early rather than being malformed before its end.
     */
    private static boolean endsAt(Path path, XMLStreamException e) {
        if (e.getLocation() == null || e.getLocation().getLineNumber() < 1) {
            return false;
        }
        int line = e.getLocation().getLineNumber();
        int column = Math.max(1, e.getLocation().getColumnNumber());
        try (java.io.BufferedReader in = Files.newBufferedReader(path, java.nio.charset.StandardCharsets.UTF_8)) {
            for (int i = 1; i < line; i++) {
                if (in.readLine() == null) {
                    return true;
                }
            }
            String text = in.readLine();
            if (text != null && column - 1 < text.length() && text.indexOf('>', column - 1) >= 0) {
                return false;
            }
            while ((text = in.readLine()) != null) {
                if (text.indexOf('>') >= 0) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException x) {
            return false;
        }
    }

    private static String escapeKeyPart(String part) {
        return part.replace("\\", "\\\\").replace("-", "\\-");
    }

    private static void skipElement(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0 && r.hasNext()) {
            int event = r.next();
            if (event == XMLStreamConstants.START_ELEMENT) {
                depth++;
            } else if (event == XMLStreamConstants.END_ELEMENT) {
                depth--;
            }
        }
    }

    private ListingRecord toRecord(Node n) {
        Optional<String> key = Optional.empty();
        try {
            String agent = n.text("agentID").orElseThrow(() -> new GeoValidationException("agentID is missing."));
            String unique = n.text("uniqueID").orElseThrow(() -> new GeoValidationException("uniqueID is missing."));
            // '-' joins the two; a '-' or a backslash inside either is escaped with a backslash, so that "A-1"+"2"
            // and "A"+"1-2" stay apart, and keys without either character are as they always were.
            String listingKey = Listing.checkKey(escapeKeyPart(agent) + "-" + escapeKeyPart(unique));
            key = Optional.of(listingKey);
            if (!READ.contains(n.name)) {
                throw new GeoValidationException("REAXML <" + n.name + "> listings are not read (residential, rental"
                        + " and land are)" + (OTHER.contains(n.name) ? "." : "; it is not a REAXML listing kind."));
            }
            Instant modified = modTime(n.attributes.get("modTime"));
            String status = n.attributes.getOrDefault("status", "");
            switch (status) {
                case "withdrawn", "offmarket" -> {
                    return new ListingRecord.Removal(key.get(), modified, StandardStatus.WITHDRAWN);
                }
                case "sold", "leased" -> {
                    return new ListingRecord.Removal(key.get(), modified, StandardStatus.CLOSED);
                }
                case "current" -> {
                    // read below
                }
                default -> throw new GeoValidationException("status '" + status + "' is not a REAXML status"
                        + " (current, withdrawn, offmarket, sold, leased).");
            }
            boolean underOffer = n.child("underOffer").map(u -> "yes".equals(u.attributes.get("value")))
                    .orElse(false);
            Listing.Builder b = Listing.builder(key.get(),
                    underOffer ? StandardStatus.ACTIVE_UNDER_CONTRACT : StandardStatus.ACTIVE, modified,
                    subscription.currency()).listingId(unique);
            switch (n.name) {
                case "residential" -> b.propertyType("Residential")
                        .propertySubType(n.child("category").map(c -> c.attributes.get("name")).orElse(null))
                        .listPrice(number(n, "price").orElse(null));
                case "rental" -> b.propertyType("ResidentialLease")
                        .propertySubType(n.child("category").map(c -> c.attributes.get("name")).orElse(null))
                        .listPrice(number(n, "rent").orElse(null));
                default -> b.propertyType("Land")
                        .propertySubType(n.child("landCategory").map(c -> c.attributes.get("name")).orElse(null))
                        .listPrice(number(n, "price").orElse(null));
            }
            n.child("features").ifPresent(f -> {
                b.bedroomsTotal(whole(f, "bedrooms"));
                b.bathroomsTotalInteger(whole(f, "bathrooms"));
            });
            n.child("buildingDetails").flatMap(d -> area(d, true)).ifPresent(b::livingArea);
            n.child("landDetails").flatMap(d -> area(d, false)).ifPresent(b::lotSize);
            n.child("address").ifPresent(a -> {
                String number = a.text("streetNumber").orElse("");
                String sub = a.text("subNumber").map(s -> s + "/").orElse("");
                String street = a.text("street").orElse("");
                String line = (sub + number + " " + street).strip();
                String country = a.text("country").map(c -> c.equalsIgnoreCase("AUS")
                        || c.equalsIgnoreCase("Australia") ? "AU" : c).orElse("AU");
                b.address(ListingAddress.of(line, a.text("suburb").orElse(null),
                        a.text("state").map(s -> s.toUpperCase(Locale.ROOT)).orElse(null),
                        a.text("postcode").orElse(null), country));
            });
            n.child("images").ifPresent(images -> {
                int order = 0;
                for (Node img : images.children) {
                    String url = img.attributes.get("url");
                    if (url != null && !url.isBlank()) {
                        try {
                            b.media(new MediaReference(listingKey + "-" + img.attributes.getOrDefault("id",
                                    Integer.toString(order)), new URI(url.strip()), order++));
                        } catch (URISyntaxException e) {
                            throw new GeoValidationException("Image URL '" + url + "' is not a URL.");
                        }
                    }
                }
            });
            return new ListingRecord.Upsert(b.build());
        } catch (GeoValidationException e) {
            return new ListingRecord.Rejected(key, e.getMessage(), n.toXml());
        }
    }

    private Instant modTime(String text) {
        if (text == null || text.isBlank()) {
            throw new GeoValidationException("modTime is missing.");
        }
        try {
            String t = text.strip();
            LocalDateTime local = t.length() == 10 ? LocalDate.parse(t).atStartOfDay()
                    : LocalDateTime.parse(t, MOD_TIME);
            return local.atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new GeoValidationException("modTime '" + text + "' is not YYYY-MM-DD-hh:mm:ss.");
        }
    }

    private static Optional<BigDecimal> number(Node n, String child) {
        Optional<String> text = n.text(child);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new BigDecimal(text.get().replace(",", "").strip()));
        } catch (NumberFormatException e) {
            throw new GeoValidationException("<" + child + "> '" + text.get() + "' is not a number.");
        }
    }

    private static Integer whole(Node n, String child) {
        Optional<BigDecimal> v = number(n, child);
        if (v.isEmpty()) {
            return null;
        }
        try {
            return v.get().intValueExact();
        } catch (ArithmeticException e) {
            throw new GeoValidationException("<" + child + "> '" + v.get() + "' is not a whole number.");
        }
    }

    private static Optional<Area> area(Node details, boolean building) {
        Optional<Node> area = details.child("area");
        if (area.isEmpty() || area.get().text.isBlank()) {
            return Optional.empty();
        }
        BigDecimal value;
        try {
            value = new BigDecimal(area.get().text.strip());
        } catch (NumberFormatException e) {
            throw new GeoValidationException("<area> '" + area.get().text.strip() + "' is not a number.");
        }
        String unit = area.get().attributes.getOrDefault("unit", "");
        return Optional.of(switch (unit) {
            case "squareMeter" -> new Area(value, AreaUnits.SQUARE_METERS);
            case "square" -> new Area(value.multiply(SQUARE_IN_M2).setScale(2, RoundingMode.HALF_UP),
                    AreaUnits.SQUARE_METERS);
            case "acre" -> {
                if (building) {
                    throw new GeoValidationException("A building area in acres is not a living area.");
                }
                yield new Area(value, AreaUnits.ACRES);
            }
            case "hectare" -> {
                if (building) {
                    throw new GeoValidationException("A building area in hectares is not a living area.");
                }
                yield new Area(value, AreaUnits.HECTARES);
            }
            default -> throw new GeoValidationException("<area unit=\"" + unit + "\"> is not a REAXML unit (square,"
                    + " squareMeter, acre, hectare).");
        });
    }

    /** One listing element, read whole (a listing is small; the file is streamed). */
    static final class Node {
        final String name;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<Node> children = new ArrayList<>();
        String text = "";
        /** The limit a listing went past (then only its name and attributes were read), or null. */
        String exceeded;
        static final int MAX_DEPTH = 32;
        static final int MAX_NODES = 10_000;
        static final int MAX_CHARS = 1_000_000;

        private Node(String name) {
            this.name = name;
        }

        /**
         * Reads the element the reader is at, to its end, without recursion. Past {@link #MAX_DEPTH} levels,
         * {@link #MAX_NODES} elements or {@link #MAX_CHARS} characters of text the rest is consumed unread and
         * {@link #exceeded} says which limit: such a listing is rejected, the next one read.
         */
        static Node read(XMLStreamReader r) throws XMLStreamException {
            Node root = start(r);
            ArrayDeque<Node> open = new ArrayDeque<>();
            ArrayDeque<StringBuilder> texts = new ArrayDeque<>();
            open.push(root);
            texts.push(new StringBuilder());
            int depth = 1;
            int nodes = 1;
            long chars = 0;
            String exceeded = null;
            while (depth > 0 && r.hasNext()) {
                int event = r.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (exceeded == null && depth > MAX_DEPTH) {
                        exceeded = "nested deeper than " + MAX_DEPTH + " levels";
                    } else if (exceeded == null && ++nodes > MAX_NODES) {
                        exceeded = "more than " + MAX_NODES + " elements";
                    } else if (exceeded == null) {
                        Node child = start(r);
                        open.peek().children.add(child);
                        open.push(child);
                        texts.push(new StringBuilder());
                    }
                } else if (event == XMLStreamConstants.CHARACTERS || event == XMLStreamConstants.CDATA) {
                    if (exceeded == null) {
                        chars += r.getTextLength();
                        if (chars > MAX_CHARS) {
                            exceeded = "more than " + MAX_CHARS + " characters of text";
                        } else {
                            texts.peek().append(r.getText());
                        }
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                    if (exceeded == null) {
                        open.pop().text = texts.pop().toString();
                    }
                }
            }
            root.exceeded = exceeded;
            return root;
        }

        private static Node start(XMLStreamReader r) {
            Node node = new Node(r.getLocalName());
            for (int i = 0; i < r.getAttributeCount(); i++) {
                node.attributes.put(r.getAttributeLocalName(i), r.getAttributeValue(i));
            }
            return node;
        }

        Optional<Node> child(String name) {
            return children.stream().filter(c -> c.name.equals(name)).findFirst();
        }

        Optional<String> text(String child) {
            return child(child).map(c -> c.text.strip()).filter(s -> !s.isEmpty());
        }

        String toXml() {
            StringBuilder b = new StringBuilder();
            write(b);
            return b.toString();
        }

        private void write(StringBuilder b) {
            b.append('<').append(name);
            attributes.forEach((k, v) -> b.append(' ').append(k).append("=\"").append(escape(v)).append('"'));
            b.append('>').append(escape(text.strip()));
            children.forEach(c -> c.write(b));
            b.append("</").append(name).append('>');
        }

        private static String escape(String s) {
            return s.replace("&", "&amp;").replace("<", "&lt;").replace("\"", "&quot;");
        }
    }
}
