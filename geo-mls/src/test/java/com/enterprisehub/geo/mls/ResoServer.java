package com.enterprisehub.geo.mls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.olingo.commons.api.data.ContextURL;
import org.apache.olingo.commons.api.data.Entity;
import org.apache.olingo.commons.api.data.EntityCollection;
import org.apache.olingo.commons.api.data.Property;
import org.apache.olingo.commons.api.data.ValueType;
import org.apache.olingo.commons.api.edm.EdmEntitySet;
import org.apache.olingo.commons.api.edm.EdmEntityType;
import org.apache.olingo.commons.api.edm.EdmEnumType;
import org.apache.olingo.commons.api.edm.EdmPrimitiveTypeKind;
import org.apache.olingo.commons.api.edm.EdmType;
import org.apache.olingo.commons.api.edm.FullQualifiedName;
import org.apache.olingo.commons.api.edm.provider.CsdlAbstractEdmProvider;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainer;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityContainerInfo;
import org.apache.olingo.commons.api.edm.provider.CsdlEntitySet;
import org.apache.olingo.commons.api.edm.provider.CsdlEntityType;
import org.apache.olingo.commons.api.edm.provider.CsdlProperty;
import org.apache.olingo.commons.api.edm.provider.CsdlPropertyRef;
import org.apache.olingo.commons.api.edm.provider.CsdlSchema;
import org.apache.olingo.commons.api.format.ContentType;
import org.apache.olingo.commons.api.http.HttpHeader;
import org.apache.olingo.commons.api.http.HttpMethod;
import org.apache.olingo.commons.api.http.HttpStatusCode;
import org.apache.olingo.server.api.OData;
import org.apache.olingo.server.api.ODataApplicationException;
import org.apache.olingo.server.api.ODataHandler;
import org.apache.olingo.server.api.ODataLibraryException;
import org.apache.olingo.server.api.ODataRequest;
import org.apache.olingo.server.api.ODataResponse;
import org.apache.olingo.server.api.ServiceMetadata;
import org.apache.olingo.server.api.processor.EntityCollectionProcessor;
import org.apache.olingo.server.api.serializer.EntityCollectionSerializerOptions;
import org.apache.olingo.server.api.uri.UriInfo;
import org.apache.olingo.server.api.uri.UriResourceEntitySet;
import org.apache.olingo.server.api.uri.UriResourcePrimitiveProperty;
import org.apache.olingo.server.api.uri.queryoption.OrderByItem;
import org.apache.olingo.server.api.uri.queryoption.SelectOption;
import org.apache.olingo.server.api.uri.queryoption.expression.BinaryOperatorKind;
import org.apache.olingo.server.api.uri.queryoption.expression.Expression;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitException;
import org.apache.olingo.server.api.uri.queryoption.expression.ExpressionVisitor;
import org.apache.olingo.server.api.uri.queryoption.expression.Literal;
import org.apache.olingo.server.api.uri.queryoption.expression.Member;
import org.apache.olingo.server.api.uri.queryoption.expression.MethodKind;
import org.apache.olingo.server.api.uri.queryoption.expression.UnaryOperatorKind;

/**
 * A RESO Web API server for the tests, on loopback: Apache Olingo's OData v4 server library with the RESO Data
 * Dictionary 2.0 metadata of the Property fields the SDK reads (namespace {@code org.reso.metadata}, entity set
 * {@code Property}, key {@code ListingKey}), real {@code $filter} evaluation (Olingo parses it; an expression visitor
 * evaluates comparisons, {@code and}, {@code or}, {@code not}), {@code $orderby} on ModificationTimestamp and ListingKey,
 * {@code $top}, {@code $select}, server-driven paging with {@code $skiptoken} and {@code @odata.nextLink}, an OAuth2
 * client-credentials token endpoint, and injected faults: 429/503 with {@code Retry-After}, tokens that expire after a
 * number of requests, a skewed {@code Date}. Served by the JDK's HttpServer through Olingo's raw {@link ODataHandler}.
 */
final class ResoServer implements AutoCloseable {
    static final String NAMESPACE = "org.reso.metadata";
    static final FullQualifiedName PROPERTY_TYPE = new FullQualifiedName(NAMESPACE, "Property");
    static final FullQualifiedName CONTAINER = new FullQualifiedName(NAMESPACE, "Default");
    static final FullQualifiedName MEDIA_TYPE = new FullQualifiedName(NAMESPACE, "Media");
    /** Field and OData type; lookups are served as strings. */
    static final Map<String, EdmPrimitiveTypeKind> FIELDS = new LinkedHashMap<>();

    static {
        // Without TCP_NODELAY, Nagle and delayed ACKs add ~40 ms to each small response.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        FIELDS.put("ListingKey", EdmPrimitiveTypeKind.String);
        FIELDS.put("ListingId", EdmPrimitiveTypeKind.String);
        FIELDS.put("StandardStatus", EdmPrimitiveTypeKind.String);
        FIELDS.put("ModificationTimestamp", EdmPrimitiveTypeKind.DateTimeOffset);
        FIELDS.put("PropertyType", EdmPrimitiveTypeKind.String);
        FIELDS.put("PropertySubType", EdmPrimitiveTypeKind.String);
        FIELDS.put("ListPrice", EdmPrimitiveTypeKind.Decimal);
        FIELDS.put("BedroomsTotal", EdmPrimitiveTypeKind.Int32);
        FIELDS.put("BathroomsTotalInteger", EdmPrimitiveTypeKind.Int32);
        FIELDS.put("LivingArea", EdmPrimitiveTypeKind.Decimal);
        FIELDS.put("LivingAreaUnits", EdmPrimitiveTypeKind.String);
        FIELDS.put("LotSizeArea", EdmPrimitiveTypeKind.Decimal);
        FIELDS.put("LotSizeUnits", EdmPrimitiveTypeKind.String);
        FIELDS.put("UnparsedAddress", EdmPrimitiveTypeKind.String);
        FIELDS.put("City", EdmPrimitiveTypeKind.String);
        FIELDS.put("StateOrProvince", EdmPrimitiveTypeKind.String);
        FIELDS.put("PostalCode", EdmPrimitiveTypeKind.String);
        FIELDS.put("Country", EdmPrimitiveTypeKind.String);
        FIELDS.put("Latitude", EdmPrimitiveTypeKind.Decimal);
        FIELDS.put("Longitude", EdmPrimitiveTypeKind.Decimal);
        FIELDS.put("InternalNote", EdmPrimitiveTypeKind.String); // not selected by the SDK: $select must drop it
    }

    /** One Property entity: field values (String, Instant, BigDecimal, Integer). */
    record Row(String key, Instant modified, Map<String, Object> fields) {
    }

    private static final Comparator<Row> ORDER = Comparator.comparing(Row::modified).thenComparing(Row::key);

    private final HttpServer http;
    private final OData odata = OData.newInstance();
    private final ServiceMetadata metadata;
    private volatile Row[] rows = new Row[0];
    private final Map<String, Integer> tokens = new ConcurrentHashMap<>();
    /** Registered OAuth2 clients: id to secret. */
    private final Map<String, String> clients = new ConcurrentHashMap<>();
    /** Tokens issued, by client id. */
    private final Map<String, AtomicInteger> tokensByClient = new ConcurrentHashMap<>();

    // knobs
    volatile int pageSize = 500;
    volatile int tooManyEvery;
    volatile int unavailableEvery;
    volatile String retryAfter = "0";
    volatile int tokenUses = Integer.MAX_VALUE;
    volatile long expiresIn = 3600;
    /** Called with the number of data pages served so far, after a page is built and before it is sent. */
    volatile java.util.function.IntConsumer afterPage = n -> { };
    /** When set, the two first entities of every page are served in swapped order (a server that breaks its order). */
    volatile boolean swapFirstTwo;
    /** When set, key listings (ordered by ListingKey) carry no ModificationTimestamp (a server that omits it). */
    volatile boolean keysWithoutTimestamps;
    /** When positive, a data answer's body is sent in two halves this many milliseconds apart (a stalling server). */
    volatile long stallBodyMillis;
    final AtomicInteger pagesServed = new AtomicInteger();
    // counters
    final AtomicInteger dataRequests = new AtomicInteger();
    final AtomicInteger throttled = new AtomicInteger();
    final AtomicInteger expired = new AtomicInteger();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final List<String> queries = java.util.Collections.synchronizedList(new ArrayList<>());
    /** When each data request arrived (System.nanoTime). */
    final List<Long> arrivals = java.util.Collections.synchronizedList(new ArrayList<>());

    ResoServer(String clientId, String clientSecret) throws IOException {
        addClient(clientId, clientSecret);
        this.metadata = odata.createServiceMetadata(new Edm(), List.of());
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/token", this::token);
        http.createContext("/odata", this::data);
        http.setExecutor(Executors.newFixedThreadPool(2));
        http.start();
    }

    URI serviceUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/odata");
    }

    URI tokenUrl() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort() + "/token");
    }

    /** Registers another OAuth2 client (a tenant's own licence, say). */
    void addClient(String id, String secret) {
        clients.put(id, secret);
        tokensByClient.putIfAbsent(id, new AtomicInteger());
    }

    /** Tokens issued to client {@code id} so far. */
    int tokensIssuedTo(String id) {
        AtomicInteger n = tokensByClient.get(id);
        return n == null ? 0 : n.get();
    }

    /** Replaces the data set. */
    void load(List<Row> data) {
        Row[] sorted = data.toArray(new Row[0]);
        Arrays.sort(sorted, ORDER);
        rows = sorted;
    }

    /** Changes a listing at the source: it gets a new ModificationTimestamp and moves to the end of the order. */
    synchronized void modify(String key, Instant modified, Map<String, Object> changes) {
        List<Row> all = new ArrayList<>(Arrays.asList(rows));
        Row old = all.stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
        all.remove(old);
        Map<String, Object> fields = new HashMap<>(old.fields());
        fields.putAll(changes);
        fields.put("ModificationTimestamp", modified);
        all.add(new Row(key, modified, fields));
        load(all);
    }

    /** Adds a listing at the source, with whatever timestamp it has (a late commit of an older one, say). */
    synchronized void add(Row row) {
        List<Row> all = new ArrayList<>(Arrays.asList(rows));
        all.add(row);
        load(all);
    }

    /** Drops a listing at the source without a Delete record (as servers that purge do). */
    synchronized void drop(String key) {
        List<Row> all = new ArrayList<>(Arrays.asList(rows));
        if (!all.removeIf(r -> r.key().equals(key))) {
            throw new IllegalArgumentException(key);
        }
        load(all);
    }

    int size() {
        return rows.length;
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }

    // ---------- OAuth2 ----------

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String client = clients.entrySet().stream().filter(c -> ("Basic " + Base64.getEncoder().encodeToString(
                    (c.getKey() + ":" + c.getValue()).getBytes(StandardCharsets.UTF_8))).equals(auth))
                    .map(Map.Entry::getKey).findFirst().orElse(null);
            if (!"POST".equals(ex.getRequestMethod()) || !body.contains("grant_type=client_credentials")) {
                send(ex, 400, "{\"error\":\"unsupported_grant_type\"}", Map.of());
            } else if (client == null) {
                send(ex, 401, "{\"error\":\"invalid_client\"}", Map.of());
            } else {
                String token = UUID.randomUUID().toString();
                tokens.put(token, 0);
                tokensIssued.incrementAndGet();
                tokensByClient.get(client).incrementAndGet();
                send(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":"
                        + expiresIn + "}", Map.of());
            }
        }
    }

    // ---------- data ----------

    private void data(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
            Integer uses = tokens.get(token);
            if (uses == null || uses >= tokenUses) {
                if (uses != null) {
                    expired.incrementAndGet();
                    tokens.remove(token);
                }
                send(ex, 401, "{\"error\":{\"code\":\"401\",\"message\":\"token expired or unknown\"}}",
                        Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
                return;
            }
            tokens.put(token, uses + 1);
            arrivals.add(System.nanoTime());
            int n = dataRequests.incrementAndGet();
            if (tooManyEvery > 0 && n % tooManyEvery == 0) {
                throttled.incrementAndGet();
                send(ex, 429, "{\"error\":{\"code\":\"429\",\"message\":\"slow down\"}}",
                        Map.of("Retry-After", retryAfter));
                return;
            }
            if (unavailableEvery > 0 && n % unavailableEvery == 0) {
                throttled.incrementAndGet();
                send(ex, 503, "busy", Map.of("Retry-After", retryAfter));
                return;
            }
            URI uri = ex.getRequestURI();
            queries.add(uri.getRawQuery());
            ODataRequest request = new ODataRequest();
            request.setMethod(HttpMethod.valueOf(ex.getRequestMethod()));
            request.setProtocol("HTTP/1.1");
            String base = "http://127.0.0.1:" + http.getAddress().getPort() + "/odata";
            request.setRawBaseUri(base);
            request.setRawServiceResolutionUri("");
            request.setRawODataPath(uri.getRawPath().substring("/odata".length()));
            request.setRawQueryPath(uri.getRawQuery());
            request.setRawRequestUri(base + uri.getRawPath().substring("/odata".length())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            ex.getRequestHeaders().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Authorization")) {
                    request.addHeader(k, v);
                }
            });
            request.setBody(new ByteArrayInputStream(new byte[0]));
            ODataHandler handler = odata.createRawHandler(metadata);
            handler.register(new Processor());
            ODataResponse response = handler.process(request);
            byte[] body;
            try (InputStream in = response.getContent()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            Map<String, String> headers = new HashMap<>();
            response.getAllHeaders().forEach((k, v) -> headers.put(k, String.join(",", v)));
            if (stallBodyMillis > 0 && body.length > 1) {
                headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
                ex.sendResponseHeaders(response.getStatusCode(), body.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body, 0, body.length / 2);
                    out.flush();
                    Thread.sleep(stallBodyMillis);
                    out.write(body, body.length / 2, body.length - body.length / 2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return;
            }
            send(ex, response.getStatusCode(), body, headers);
        }
    }

    private void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        send(ex, status, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private void send(HttpExchange ex, int status, byte[] body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        // (the JDK HttpServer adds its own Date header: the server's clock)
        if (!ex.getResponseHeaders().containsKey("Content-Type")) {
            ex.getResponseHeaders().set("Content-Type", "application/json");
        }
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** An HTTP-date {@code seconds} from now on the server's clock: for Retry-After. */
    static String serverDatePlus(long seconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(seconds));
    }

    // ---------- Olingo ----------

    private static final class Edm extends CsdlAbstractEdmProvider {
        @Override
        public CsdlEntityType getEntityType(FullQualifiedName name) {
            if (MEDIA_TYPE.equals(name)) {
                return new CsdlEntityType().setName("Media").setProperties(List.of(
                        new CsdlProperty().setName("MediaKey").setType(EdmPrimitiveTypeKind.String
                                .getFullQualifiedName()).setNullable(false),
                        new CsdlProperty().setName("ResourceRecordKey").setType(EdmPrimitiveTypeKind.String
                                .getFullQualifiedName()),
                        new CsdlProperty().setName("MediaURL").setType(EdmPrimitiveTypeKind.String
                                .getFullQualifiedName()),
                        new CsdlProperty().setName("Order").setType(EdmPrimitiveTypeKind.Int32
                                .getFullQualifiedName())))
                        .setKey(List.of(new CsdlPropertyRef().setName("MediaKey")));
            }
            if (!PROPERTY_TYPE.equals(name)) {
                return null;
            }
            List<CsdlProperty> properties = new ArrayList<>();
            FIELDS.forEach((field, kind) -> {
                CsdlProperty p = new CsdlProperty().setName(field).setType(kind.getFullQualifiedName())
                        .setNullable(!field.equals("ListingKey"));
                if (kind == EdmPrimitiveTypeKind.DateTimeOffset) {
                    p.setPrecision(27);
                }
                if (kind == EdmPrimitiveTypeKind.Decimal) {
                    p.setPrecision(18).setScale(4);
                }
                properties.add(p);
            });
            return new CsdlEntityType().setName("Property").setProperties(properties)
                    .setKey(List.of(new CsdlPropertyRef().setName("ListingKey")))
                    .setNavigationProperties(List.of(new org.apache.olingo.commons.api.edm.provider
                            .CsdlNavigationProperty().setName("Media").setType(MEDIA_TYPE).setCollection(true)));
        }

        @Override
        public CsdlEntitySet getEntitySet(FullQualifiedName container, String name) {
            if (!CONTAINER.equals(container)) {
                return null;
            }
            if ("Property".equals(name)) {
                return new CsdlEntitySet().setName("Property").setType(PROPERTY_TYPE).setNavigationPropertyBindings(
                        List.of(new org.apache.olingo.commons.api.edm.provider.CsdlNavigationPropertyBinding()
                                .setPath("Media").setTarget("Media")));
            }
            return "Media".equals(name) ? new CsdlEntitySet().setName("Media").setType(MEDIA_TYPE) : null;
        }

        @Override
        public CsdlEntityContainer getEntityContainer() {
            return new CsdlEntityContainer().setName(CONTAINER.getName())
                    .setEntitySets(List.of(getEntitySet(CONTAINER, "Property"), getEntitySet(CONTAINER, "Media")));
        }

        @Override
        public CsdlEntityContainerInfo getEntityContainerInfo(FullQualifiedName name) {
            return name == null || CONTAINER.equals(name) ? new CsdlEntityContainerInfo().setContainerName(CONTAINER)
                    : null;
        }

        @Override
        public List<CsdlSchema> getSchemas() {
            return List.of(new CsdlSchema().setNamespace(NAMESPACE)
                    .setEntityTypes(List.of(getEntityType(PROPERTY_TYPE), getEntityType(MEDIA_TYPE)))
                    .setEntityContainer(getEntityContainer()));
        }
    }

    private final class Processor implements EntityCollectionProcessor {
        private OData od;
        private ServiceMetadata meta;

        @Override
        public void init(OData od, ServiceMetadata meta) {
            this.od = od;
            this.meta = meta;
        }

        @Override
        public void readEntityCollection(ODataRequest request, ODataResponse response, UriInfo uriInfo,
                ContentType format) throws ODataApplicationException, ODataLibraryException {
            EdmEntitySet set = ((UriResourceEntitySet) uriInfo.getUriResourceParts().get(0)).getEntitySet();
            boolean byKey = false;
            if (uriInfo.getOrderByOption() != null) {
                List<String> order = new ArrayList<>();
                for (OrderByItem item : uriInfo.getOrderByOption().getOrders()) {
                    order.add(memberName(item.getExpression()) + (item.isDescending() ? " desc" : " asc"));
                }
                byKey = order.equals(List.of("ListingKey asc"));
                if (!byKey && !order.equals(List.of("ModificationTimestamp asc", "ListingKey asc"))
                        && !order.equals(List.of("ModificationTimestamp asc"))) {
                    throw new ODataApplicationException("This server orders by ModificationTimestamp asc,"
                            + " ListingKey asc only; got " + order, 400, java.util.Locale.ROOT);
                }
            }
            Row[] data = rows;
            if (byKey) {
                // a key listing: its filter (ListingKey gt 'K') is monotone in key order
                data = data.clone();
                Arrays.sort(data, Comparator.comparing(Row::key));
            }
            Expression filter = uriInfo.getFilterOption() == null ? null : uriInfo.getFilterOption().getExpression();
            // Replication filters are monotone in (ModificationTimestamp, ListingKey) order: binary-search the first
            // match, then evaluate every row served.
            int lo = 0;
            int hi = data.length;
            if (filter != null) {
                while (lo < hi) {
                    int mid = (lo + hi) >>> 1;
                    if (matches(filter, data[mid])) {
                        hi = mid;
                    } else {
                        lo = mid + 1;
                    }
                }
            }
            int skip = 0;
            if (uriInfo.getSkipTokenOption() != null) {
                skip = Integer.parseInt(uriInfo.getSkipTokenOption().getValue());
            }
            int top = uriInfo.getTopOption() == null ? Integer.MAX_VALUE : uriInfo.getTopOption().getValue();
            int limit = Math.min(top, pageSize);
            EntityCollection collection = new EntityCollection();
            int i = lo + skip;
            int served = 0;
            for (; i < data.length && served < limit; i++) {
                if (filter == null || matches(filter, data[i])) {
                    Entity entity = entity(data[i]);
                    if (byKey && keysWithoutTimestamps) {
                        entity.getProperties().removeIf(p -> p.getName().equals("ModificationTimestamp"));
                    }
                    if (uriInfo.getExpandOption() != null) {
                        entity.getNavigationLinks().add(media(data[i]));
                    }
                    collection.getEntities().add(entity);
                    served++;
                }
            }
            if (swapFirstTwo && collection.getEntities().size() >= 2) {
                Entity first = collection.getEntities().remove(0);
                collection.getEntities().add(1, first);
            }
            afterPage.accept(pagesServed.incrementAndGet());
            boolean more = i < data.length && top > served;
            if (more) {
                String query = request.getRawQueryPath().replaceAll("(^|&)(\\$|%24)(skiptoken|top)=[^&]*", "");
                query = query.startsWith("&") ? query.substring(1) : query;
                collection.setNext(URI.create(request.getRawBaseUri() + "/Property?" + query + "&$top="
                        + (top == Integer.MAX_VALUE ? pageSize : top - served) + "&$skiptoken=" + (i - lo)));
            }
            SelectOption select = uriInfo.getSelectOption();
            EdmEntityType type = set.getEntityType();
            ContextURL context = ContextURL.with().entitySet(set)
                    .selectList(od.createUriHelper().buildContextURLSelectList(type, null, select)).build();
            EntityCollectionSerializerOptions options = EntityCollectionSerializerOptions.with().contextURL(context)
                    .select(select).expand(uriInfo.getExpandOption()).id(request.getRawBaseUri() + "/Property").build();
            response.setContent(od.createSerializer(format).entityCollection(meta, type, collection, options)
                    .getContent());
            response.setStatusCode(HttpStatusCode.OK.getStatusCode());
            response.setHeader(HttpHeader.CONTENT_TYPE, format.toContentTypeString());
        }

        private Entity entity(Row row) {
            Entity e = new Entity();
            row.fields().forEach((k, v) -> {
                Object value = v instanceof Instant t ? java.sql.Timestamp.from(t) : v;
                e.addProperty(new Property(null, k, ValueType.PRIMITIVE, value));
            });
            return e;
        }

        /** Two photos per listing, in Order. */
        private org.apache.olingo.commons.api.data.Link media(Row row) {
            EntityCollection media = new EntityCollection();
            for (int i = 0; i < 2; i++) {
                Entity m = new Entity();
                m.addProperty(new Property(null, "MediaKey", ValueType.PRIMITIVE, row.key() + "-" + i));
                m.addProperty(new Property(null, "ResourceRecordKey", ValueType.PRIMITIVE, row.key()));
                m.addProperty(new Property(null, "MediaURL", ValueType.PRIMITIVE,
                        "https://photos.example.com/" + row.key() + "/" + i + ".jpg"));
                m.addProperty(new Property(null, "Order", ValueType.PRIMITIVE, i));
                media.getEntities().add(m);
            }
            org.apache.olingo.commons.api.data.Link link = new org.apache.olingo.commons.api.data.Link();
            link.setTitle("Media");
            link.setInlineEntitySet(media);
            return link;
        }

        private boolean matches(Expression filter, Row row) throws ODataApplicationException {
            try {
                return Boolean.TRUE.equals(filter.accept(new Evaluator(row)));
            } catch (ExpressionVisitException e) {
                throw new ODataApplicationException(e.getMessage(), 400, java.util.Locale.ROOT);
            }
        }
    }

    private static String memberName(Expression e) {
        if (e instanceof Member m && m.getResourcePath().getUriResourceParts().get(0)
                instanceof UriResourcePrimitiveProperty p) {
            return p.getProperty().getName();
        }
        return String.valueOf(e);
    }

    /** Evaluates a filter on one row: comparisons, and, or, not; literals of the types the fields have. */
    private record Evaluator(Row row) implements ExpressionVisitor<Object> {
        private static final Set<BinaryOperatorKind> COMPARISONS = Set.of(BinaryOperatorKind.EQ,
                BinaryOperatorKind.NE, BinaryOperatorKind.GT, BinaryOperatorKind.GE, BinaryOperatorKind.LT,
                BinaryOperatorKind.LE);

        @Override
        public Object visitBinaryOperator(BinaryOperatorKind op, Object left, Object right)
                throws ODataApplicationException {
            if (op == BinaryOperatorKind.AND) {
                return Boolean.TRUE.equals(left) && Boolean.TRUE.equals(right);
            }
            if (op == BinaryOperatorKind.OR) {
                return Boolean.TRUE.equals(left) || Boolean.TRUE.equals(right);
            }
            if (!COMPARISONS.contains(op)) {
                throw unsupported("operator " + op);
            }
            if (left == null || right == null) {
                return op == BinaryOperatorKind.EQ ? left == right : op == BinaryOperatorKind.NE && left != right;
            }
            int c = compare(left, right);
            return switch (op) {
                case EQ -> c == 0;
                case NE -> c != 0;
                case GT -> c > 0;
                case GE -> c >= 0;
                case LT -> c < 0;
                default -> c <= 0;
            };
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private static int compare(Object a, Object b) throws ODataApplicationException {
            if (a instanceof Number x && b instanceof Number y) {
                return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
            }
            if (a.getClass() != b.getClass()) {
                throw unsupported("comparing " + a.getClass().getSimpleName() + " with " + b.getClass().getSimpleName());
            }
            return ((Comparable) a).compareTo(b);
        }

        @Override
        public Object visitUnaryOperator(UnaryOperatorKind op, Object operand) throws ODataApplicationException {
            if (op == UnaryOperatorKind.NOT) {
                return !Boolean.TRUE.equals(operand);
            }
            throw unsupported("operator " + op);
        }

        @Override
        public Object visitMethodCall(MethodKind method, List<Object> parameters) throws ODataApplicationException {
            throw unsupported("function " + method);
        }

        @Override
        public Object visitLambdaExpression(String function, String variable, Expression expression)
                throws ODataApplicationException {
            throw unsupported("lambda");
        }

        @Override
        public Object visitLiteral(Literal literal) throws ODataApplicationException {
            String text = literal.getText();
            EdmType type = literal.getType();
            if (type == null || "null".equals(text)) {
                return null;
            }
            String name = type.getName();
            return switch (name) {
                case "String" -> text.substring(1, text.length() - 1).replace("''", "'");
                case "DateTimeOffset" -> OffsetDateTime.parse(text).toInstant();
                case "Boolean" -> Boolean.parseBoolean(text);
                case "Decimal", "Double", "Single", "Int64", "Int32", "Int16", "Byte", "SByte" -> new BigDecimal(text);
                default -> throw unsupported("literal of type " + name);
            };
        }

        @Override
        public Object visitMember(Member member) throws ODataApplicationException {
            String name = memberName(member);
            if (!FIELDS.containsKey(name)) {
                throw unsupported("member " + name);
            }
            return row.fields().get(name);
        }

        @Override
        public Object visitAlias(String alias) throws ODataApplicationException {
            throw unsupported("alias");
        }

        @Override
        public Object visitTypeLiteral(EdmType type) throws ODataApplicationException {
            throw unsupported("type literal");
        }

        @Override
        public Object visitLambdaReference(String variable) throws ODataApplicationException {
            throw unsupported("lambda");
        }

        @Override
        public Object visitEnum(EdmEnumType type, List<String> values) throws ODataApplicationException {
            throw unsupported("enum");
        }

        @Override
        public Object visitBinaryOperator(BinaryOperatorKind op, Object left, List<Object> right)
                throws ODataApplicationException {
            throw unsupported("operator " + op);
        }

        private static ODataApplicationException unsupported(String what) {
            return new ODataApplicationException("Not implemented by the test server: " + what, 501,
                    java.util.Locale.ROOT);
        }
    }

    /** {@code count} generated listings; every {@code perTimestamp} share one ModificationTimestamp. */
    static List<Row> generate(int count, int perTimestamp, Instant start) {
        List<Row> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(row(String.format("L%07d", i), start.plusSeconds(i / perTimestamp), i));
        }
        return out;
    }

    static Row row(String key, Instant modified, int i) {
        Map<String, Object> f = new HashMap<>();
        f.put("ListingKey", key);
        f.put("ListingId", "ML" + i);
        f.put("StandardStatus", i % 10 == 9 ? "Pending" : "Active");
        f.put("ModificationTimestamp", modified);
        f.put("PropertyType", "Residential");
        f.put("PropertySubType", i % 3 == 0 ? "Condominium" : "SingleFamilyResidence");
        f.put("ListPrice", BigDecimal.valueOf(400_000L + i));
        f.put("BedroomsTotal", 1 + i % 5);
        f.put("BathroomsTotalInteger", 1 + i % 3);
        f.put("LivingArea", BigDecimal.valueOf(900 + i % 2_000));
        f.put("LivingAreaUnits", "SquareFeet");
        f.put("LotSizeArea", new BigDecimal("0.18"));
        f.put("LotSizeUnits", "Acres");
        f.put("UnparsedAddress", (100 + i % 900) + " Oak Ave");
        f.put("City", "Sacramento");
        f.put("StateOrProvince", "CA");
        f.put("PostalCode", "95814");
        f.put("Country", "US");
        f.put("Latitude", new BigDecimal("38.5816"));
        f.put("Longitude", new BigDecimal("-121.4944"));
        f.put("InternalNote", "agent-only remark " + i);
        return new Row(key, modified, f);
    }
}
