package com.enterprisehub.geo.spi.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback server speaking the AWS JSON 1.1 protocol of the KMS and Secrets Manager operations the aws cloud uses,
 * with real semantics: KMS keys with states (Enabled, PendingDeletion), aliases, data keys encrypted under the key's
 * own AES-256 material with the encryption context as associated data (a different context, key or altered blob is
 * refused as KMS refuses it), and secrets with versions staged AWSCURRENT and AWSPREVIOUS. State is kept per AWS region
 * (the region of the request's SigV4 credential scope). Every request must carry an {@code Authorization} header of
 * AWS Signature Version 4 whose credential scope names the test access key, a region this server serves, the right
 * service ({@code kms} or {@code secretsmanager}) and the date of {@code X-Amz-Date}, and whose signature equals the
 * one the SDK's {@code AwsV4HttpSigner} computes for the received method, path, signed headers and body with the test
 * secret key (a wrong secret key or an altered request is refused). The request's age is not checked. Faults can be queued per operation. Not covered: key policies and grants, IAM, multi-region keys,
 * asymmetric keys, rotation Lambdas, resource policies, pagination.
 */
final class LoopbackAws implements AutoCloseable {
    static final String ACCOUNT = "111122223333";
    static final String ACCESS_KEY = "AKIDGEOLOOPBACK00001";
    static final String SECRET_KEY = "loopback-secret-key-not-a-real-one";
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)/(\\d{8})/"
            + "([a-z0-9-]+)/([a-z0-9-]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A fault to inject into the next matching request. */
    enum Fault { THROTTLE, SERVER_ERROR, SLOW, EXPIRED_TOKEN }

    private record Queued(String operation, Fault fault) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-aws");
        t.setDaemon(true);
        return t;
    });
    private final Set<String> regions;
    private final Map<String, KmsRegion> kms = new ConcurrentHashMap<>();
    private final Map<String, SecretsRegion> secrets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Queued> faults = new ConcurrentLinkedQueue<>();
    private final List<String> refusals = java.util.Collections.synchronizedList(new ArrayList<>());
    /** When set, KMS answers with ARNs of this region instead of the request's (a misrouted endpoint). */
    volatile String arnRegionOverride;
    volatile long slowMillis = 3_000;
    /**
     * Called with the operation and request of every answered request just before its answer is sent (a test
     * blocks here to force an interleaving); null for none.
     */
    volatile java.util.function.BiConsumer<String, JsonNode> beforeReply;

    LoopbackAws(Set<String> regions) throws IOException {
        this.regions = Set.copyOf(regions);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    /** Makes the next request of {@code operation} ("kms:Decrypt") fail with {@code fault}, {@code times} times. */
    void failNext(String operation, Fault fault, int times) {
        for (int i = 0; i < times; i++) {
            faults.add(new Queued(operation, fault));
        }
    }

    void clearFaults() {
        faults.clear();
    }

    /** Requests of {@code operation} ("kms:Decrypt") answered or refused so far, in every region. */
    int calls(String operation) {
        AtomicInteger n = calls.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Requests answered or refused so far, by operation ("kms:Decrypt"), in every region. */
    Map<String, Integer> calls() {
        Map<String, Integer> copy = new TreeMap<>();
        calls.forEach((op, n) -> copy.put(op, n.get()));
        return copy;
    }

    /** What the server refused for a bad Authorization header, one line each. */
    List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** The state of the key {@code arn} ("Enabled", "PendingDeletion"), if the server has it. */
    String keyState(String arn) {
        Matcher m = Pattern.compile("arn:aws:kms:([a-z0-9-]+):\\d{12}:key/(.+)").matcher(arn);
        if (!m.matches()) {
            return null;
        }
        Key key = kmsOf(m.group(1)).keys.get(m.group(2));
        return key == null ? null : key.state;
    }

    /** The states of the keys of {@code region} tagged {@code tagKey=tagValue}, one per key. */
    List<String> keyStatesTagged(String region, String tagKey, String tagValue) {
        List<String> states = new ArrayList<>();
        kmsOf(region).keys.values().stream().filter(k -> tagValue.equals(k.tags.get(tagKey)))
                .forEach(k -> states.add(k.state));
        return states;
    }

    /** The pending window, in days, KMS was given for {@code arn}. */
    Integer pendingWindowDays(String arn) {
        Matcher m = Pattern.compile("arn:aws:kms:([a-z0-9-]+):\\d{12}:key/(.+)").matcher(arn);
        Key key = m.matches() ? kmsOf(m.group(1)).keys.get(m.group(2)) : null;
        return key == null ? null : key.pendingWindowDays;
    }

    /**
     * Creates the secret RDS creates for a master user it manages ({@code rds!db-<uuid>}: a name CreateSecret refuses
     * to others, '!' not being allowed, which is what reserves it for RDS), with {@code value} as AWSCURRENT.
     */
    void rdsManagedSecret(String region, String id, String value) {
        SecretsRegion r = secretsOf(region);
        synchronized (r) {
            Secret s = new Secret(region, id);
            s.newVersion(UUID.randomUUID().toString(), value);
            r.secrets.put(id, s);
        }
    }

    /** Rotates secret {@code id} of {@code region} as Secrets Manager's rotation does: a new AWSCURRENT version. */
    void rotateSecret(String region, String id, String value) {
        SecretsRegion r = secretsOf(region);
        synchronized (r) {
            Secret s = r.secrets.get(id);
            if (s == null) {
                throw new IllegalStateException("no secret " + id);
            }
            s.newVersion(UUID.randomUUID().toString(), value);
        }
    }

    /**
     * What S3 learns from KMS when it uses key {@code keyId} in {@code region} for SSE-KMS: the key's ARN if it is
     * usable, or the KMS error ({@code NotFoundException}, {@code KMSInvalidStateException}) S3 reports as
     * {@code KMS.<error>}.
     */
    record KeyUse(String arn, String error, String message) {
    }

    KeyUse keyUse(String region, String keyId) {
        if (!regions.contains(region)) {
            return new KeyUse(null, "NotFoundException", "region " + region + " is not served");
        }
        try {
            return new KeyUse(kmsOf(region).usable(keyId).arn, null, null);
        } catch (AwsError e) {
            return new KeyUse(null, e.type, e.getMessage());
        }
    }

    private KmsRegion kmsOf(String region) {
        return kms.computeIfAbsent(region, KmsRegion::new);
    }

    private SecretsRegion secretsOf(String region) {
        return secrets.computeIfAbsent(region, SecretsRegion::new);
    }

    /** An AWS error: its HTTP status, its __type and message. */
    private static final class AwsError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String type;

        AwsError(int status, String type, String message) {
            super(message, null, false, false);
            this.status = status;
            this.type = type;
        }
    }

    private static AwsError error(String type, String message) {
        return new AwsError(400, type, message);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = 200;
            byte[] answer;
            String operation = "?";
            try {
                String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
                String service;
                if (target.startsWith("TrentService.")) {
                    service = "kms";
                } else if (target.startsWith("secretsmanager.")) {
                    service = "secretsmanager";
                } else {
                    throw error("UnknownOperationException", "unknown target " + target);
                }
                operation = service + ":" + target.substring(target.indexOf('.') + 1);
                String region = authorize(exchange, service, body);
                calls.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
                boolean slow = inject(operation, service);
                JsonNode request = JSON.readTree(body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : body);
                Object response = service.equals("kms") ? kmsOf(region).answer(operation, request)
                        : secretsOf(region).answer(operation, request);
                answer = JSON.writeValueAsBytes(response);
                if (slow) {
                    try {
                        Thread.sleep(slowMillis);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                java.util.function.BiConsumer<String, JsonNode> hook = beforeReply;
                if (hook != null) {
                    hook.accept(operation, request);
                }
            } catch (AwsError e) {
                status = e.status;
                Map<String, Object> error = new LinkedHashMap<>();
                error.put("__type", e.type);
                error.put("message", e.getMessage());
                answer = JSON.writeValueAsBytes(error);
                exchange.getResponseHeaders().add("x-amzn-ErrorType", e.type);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().add("x-amzn-RequestId", UUID.randomUUID().toString());
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    /** Checks the SigV4 Authorization header; returns the region of its credential scope. */
    private String authorize(HttpExchange exchange, String service, byte[] body) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            refusals.add("no Authorization header");
            throw error("MissingAuthenticationTokenException", "Request is missing Authentication Token");
        }
        Matcher m = AUTHORIZATION.matcher(header);
        if (!m.matches()) {
            refusals.add("not a SigV4 Authorization header");
            throw error("IncompleteSignatureException", "Authorization header is not AWS Signature Version 4");
        }
        if (!m.group(1).equals(ACCESS_KEY)) {
            refusals.add("unknown access key " + m.group(1));
            throw error("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        String date = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Date"));
        if (!date.startsWith(m.group(2))) {
            refusals.add("scope date " + m.group(2) + " is not the date of X-Amz-Date " + date);
            throw error("InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601"
                    + " version of date from HTTP");
        }
        if (!m.group(4).equals(service)) {
            refusals.add("scoped to service " + m.group(4) + " instead of " + service);
            throw error("InvalidSignatureException", "Credential should be scoped to correct service: '" + service
                    + "'.");
        }
        if (!regions.contains(m.group(3))) {
            refusals.add("scoped to region " + m.group(3) + ", which this server does not serve");
            throw error("InvalidSignatureException", "Credential should be scoped to a valid region.");
        }
        List<String> signed = List.of(m.group(5).split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date") || !signed.contains("x-amz-target")) {
            refusals.add("signed headers " + signed + " lack host, x-amz-date or x-amz-target");
            throw error("InvalidSignatureException", "host, x-amz-date and x-amz-target must be signed");
        }
        if (!m.group(6).equals(signature(exchange, body, m.group(3), service, signed, date))) {
            refusals.add("signature does not match (wrong secret key, or the request was altered)");
            throw error("InvalidSignatureException", "The request signature we calculated does not match the"
                    + " signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        if ("expired".equals(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"))) {
            throw error("ExpiredTokenException", "The security token included in the request is expired");
        }
        return m.group(3);
    }

    /**
     * The SigV4 signature of the received request, recomputed with the SDK's own signer ({@code AwsV4HttpSigner})
     * from the test secret key, the headers the client signed, the body and the time of {@code X-Amz-Date}.
     */
    private static String signature(HttpExchange exchange, byte[] body, String region, String service,
            List<String> signed, String date) {
        software.amazon.awssdk.http.SdkHttpRequest.Builder request = software.amazon.awssdk.http.SdkHttpRequest
                .builder().method(software.amazon.awssdk.http.SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create("http://" + exchange.getRequestHeaders().getFirst("Host")
                        + exchange.getRequestURI().getRawPath()
                        + (exchange.getRequestURI().getRawQuery() == null ? ""
                                : "?" + exchange.getRequestURI().getRawQuery())));
        for (String name : signed) {
            List<String> values = exchange.getRequestHeaders().get(name);
            if (values != null) {
                request.putHeader(name, values);
            }
        }
        String token = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
        software.amazon.awssdk.identity.spi.AwsCredentialsIdentity identity = token == null
                ? software.amazon.awssdk.identity.spi.AwsCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY)
                : software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity.create(ACCESS_KEY, SECRET_KEY,
                        token);
        Instant at;
        try {
            at = java.time.LocalDateTime.parse(date, java.time.format.DateTimeFormatter.ofPattern(
                    "yyyyMMdd'T'HHmmss'Z'")).toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.format.DateTimeParseException e) {
            return "unparseable X-Amz-Date";
        }
        var resigned = software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.create().sign(r -> r
                .request(request.build()).identity(identity)
                .payload(software.amazon.awssdk.http.ContentStreamProvider.fromByteArray(body))
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SERVICE_SIGNING_NAME,
                        service)
                .putProperty(software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner.SIGNING_CLOCK,
                        java.time.Clock.fixed(at, java.time.ZoneOffset.UTC)));
        String authorization = resigned.request().firstMatchingHeader("Authorization").orElse("");
        Matcher again = AUTHORIZATION.matcher(authorization);
        return again.matches() ? again.group(6) : "no signature";
    }

    /** Throws the queued fault of {@code operation}, if any; true if its answer is to be delayed instead. */
    private boolean inject(String operation, String service) {
        for (Iterator<Queued> it = faults.iterator(); it.hasNext(); ) {
            Queued q = it.next();
            if (q.operation().equals(operation) && faults.remove(q)) {
                switch (q.fault()) {
                    case THROTTLE -> throw error("ThrottlingException", "Rate exceeded");
                    case SERVER_ERROR -> throw new AwsError(500, service.equals("kms") ? "KMSInternalException"
                            : "InternalServiceError", "We encountered an internal error. Please try again.");
                    case EXPIRED_TOKEN -> throw error("ExpiredTokenException", "The security token included in the"
                            + " request is expired");
                    case SLOW -> {
                        return true; // the work is done, then the answer is late (see handle)
                    }
                }
                return false;
            }
        }
        return false;
    }

    private static String text(JsonNode request, String field, boolean required) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw error("ValidationException", "1 validation error detected: Value null at '" + field
                        + "' failed to satisfy constraint: Member must not be null");
            }
            return null;
        }
        return node.asText();
    }

    // ---------------------------------------------------------------------------------------------- KMS

    private static final class Key {
        final String id;
        final String arn;
        final byte[] material = new byte[32];
        final Instant created = Instant.now();
        volatile String state = "Enabled";
        volatile Instant deletionDate;
        volatile Integer pendingWindowDays;
        final Map<String, String> tags = new ConcurrentHashMap<>();

        Key(String region, String id) {
            this.id = id;
            this.arn = "arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + id;
            RANDOM.nextBytes(material);
        }
    }

    private final class KmsRegion {
        final String region;
        final Map<String, Key> keys = new ConcurrentHashMap<>();
        final Map<String, String> aliases = new ConcurrentHashMap<>();

        KmsRegion(String region) {
            this.region = region;
        }

        String arnOf(Key key) {
            String other = arnRegionOverride;
            return other == null ? key.arn : key.arn.replace(":kms:" + region + ":", ":kms:" + other + ":");
        }

        Key find(String keyId) {
            if (keyId == null || keyId.isEmpty()) {
                throw error("ValidationException", "KeyId must not be empty");
            }
            String id = keyId;
            if (id.startsWith("arn:")) {
                Matcher m = Pattern.compile("arn:aws:kms:([a-z0-9-]+):(\\d{12}):(key|alias)/(.+)").matcher(id);
                if (!m.matches() || !m.group(1).equals(region) || !m.group(2).equals(ACCOUNT)) {
                    throw error("NotFoundException", "Invalid arn " + keyId + " for region " + region);
                }
                id = m.group(3).equals("alias") ? "alias/" + m.group(4) : m.group(4);
            }
            if (id.startsWith("alias/")) {
                String target = aliases.get(id);
                if (target == null) {
                    throw error("NotFoundException", "Alias arn:aws:kms:" + region + ":" + ACCOUNT + ":" + id
                            + " is not found.");
                }
                id = target;
            }
            Key key = keys.get(id);
            if (key == null) {
                throw error("NotFoundException", "Key 'arn:aws:kms:" + region + ":" + ACCOUNT + ":key/" + id
                        + "' does not exist");
            }
            return key;
        }

        Key usable(String keyId) {
            Key key = find(keyId);
            if (!key.state.equals("Enabled")) {
                throw error("KMSInvalidStateException", key.arn + " is pending deletion.");
            }
            return key;
        }

        Map<String, Object> metadata(Key key) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("AWSAccountId", ACCOUNT);
            m.put("KeyId", key.id);
            m.put("Arn", arnOf(key));
            m.put("CreationDate", key.created.getEpochSecond());
            m.put("Enabled", key.state.equals("Enabled"));
            m.put("KeyUsage", "ENCRYPT_DECRYPT");
            m.put("KeySpec", "SYMMETRIC_DEFAULT");
            m.put("KeyState", key.state);
            m.put("KeyManager", "CUSTOMER");
            m.put("Origin", "AWS_KMS");
            if (key.deletionDate != null) {
                m.put("DeletionDate", key.deletionDate.getEpochSecond());
                m.put("PendingDeletionWindowInDays", key.pendingWindowDays);
            }
            return m;
        }

        Object answer(String operation, JsonNode request) {
            switch (operation) {
                case "kms:CreateKey" -> {
                    Key key = new Key(region, UUID.randomUUID().toString());
                    JsonNode tags = request.get("Tags");
                    if (tags != null) {
                        tags.forEach(t -> key.tags.put(t.path("TagKey").asText(), t.path("TagValue").asText()));
                    }
                    keys.put(key.id, key);
                    return Map.of("KeyMetadata", metadata(key));
                }
                case "kms:ListKeys" -> {
                    List<Map<String, Object>> listed = new ArrayList<>();
                    keys.values().forEach(k -> listed.add(Map.of("KeyId", k.id, "KeyArn", arnOf(k))));
                    return Map.of("Keys", listed, "Truncated", false);
                }
                case "kms:ListResourceTags" -> {
                    List<Map<String, Object>> listed = new ArrayList<>();
                    find(text(request, "KeyId", true)).tags.forEach((k, v) -> listed.add(Map.of("TagKey", k,
                            "TagValue", v)));
                    return Map.of("Tags", listed, "Truncated", false);
                }
                case "kms:DescribeKey" -> {
                    return Map.of("KeyMetadata", metadata(find(text(request, "KeyId", true))));
                }
                case "kms:CreateAlias", "kms:UpdateAlias" -> {
                    String alias = text(request, "AliasName", true);
                    if (!alias.matches("alias/[a-zA-Z0-9/_-]{1,250}") || alias.startsWith("alias/aws/")) {
                        throw error("ValidationException", "Invalid alias name " + alias);
                    }
                    Key target = find(text(request, "TargetKeyId", true));
                    synchronized (aliases) {
                        boolean exists = aliases.containsKey(alias);
                        if (operation.equals("kms:CreateAlias") && exists) {
                            throw error("AlreadyExistsException", "An alias with the name arn:aws:kms:" + region + ":"
                                    + ACCOUNT + ":" + alias + " already exists");
                        }
                        if (operation.equals("kms:UpdateAlias") && !exists) {
                            throw error("NotFoundException", "Alias " + alias + " is not found.");
                        }
                        aliases.put(alias, target.id);
                    }
                    return Map.of();
                }
                case "kms:GenerateDataKey" -> {
                    Key key = usable(text(request, "KeyId", true));
                    String spec = text(request, "KeySpec", false);
                    JsonNode bytes = request.get("NumberOfBytes");
                    int length = "AES_128".equals(spec) ? 16 : bytes != null ? bytes.asInt() : 32;
                    byte[] plaintext = new byte[length];
                    RANDOM.nextBytes(plaintext);
                    byte[] blob = seal(key, plaintext, context(request));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob));
                    m.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
                    m.put("KeyId", arnOf(key));
                    return m;
                }
                case "kms:Decrypt" -> {
                    byte[] blob = Base64.getDecoder().decode(text(request, "CiphertextBlob", true));
                    if (blob.length < 2 + 36 + 12 + 16) {
                        throw error("InvalidCiphertextException", null);
                    }
                    int idLength = ByteBuffer.wrap(blob, 0, 2).getShort();
                    if (idLength != 36) {
                        throw error("InvalidCiphertextException", null);
                    }
                    String embedded = new String(blob, 2, 36, StandardCharsets.US_ASCII);
                    Key key = keys.get(embedded);
                    if (key == null) {
                        throw error("InvalidCiphertextException", null);
                    }
                    String keyId = text(request, "KeyId", false);
                    if (keyId != null && find(keyId) != key) {
                        throw error("IncorrectKeyException", "The key ID in the request does not identify a CMK that"
                                + " can perform this operation.");
                    }
                    if (!key.state.equals("Enabled")) {
                        throw error("KMSInvalidStateException", key.arn + " is pending deletion.");
                    }
                    byte[] plaintext = open(key, blob, context(request));
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("KeyId", arnOf(key));
                    m.put("Plaintext", Base64.getEncoder().encodeToString(plaintext));
                    m.put("EncryptionAlgorithm", "SYMMETRIC_DEFAULT");
                    return m;
                }
                case "kms:ScheduleKeyDeletion" -> {
                    Key key = find(text(request, "KeyId", true));
                    JsonNode window = request.get("PendingWindowInDays");
                    int days = window == null ? 30 : window.asInt();
                    if (days < 7 || days > 30) {
                        throw error("ValidationException", "PendingWindowInDays must be between 7 and 30");
                    }
                    synchronized (key) {
                        if (!key.state.equals("Enabled")) {
                            throw error("KMSInvalidStateException", key.arn + " is pending deletion.");
                        }
                        key.state = "PendingDeletion";
                        key.pendingWindowDays = days;
                        key.deletionDate = Instant.now().plus(days, ChronoUnit.DAYS);
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("KeyId", arnOf(key));
                    m.put("DeletionDate", key.deletionDate.getEpochSecond());
                    m.put("KeyState", "PendingDeletion");
                    m.put("PendingWindowInDays", days);
                    return m;
                }
                default -> throw error("UnsupportedOperationException", operation + " is not served by the loopback"
                        + " KMS");
            }
        }

        private byte[] context(JsonNode request) {
            TreeMap<String, String> sorted = new TreeMap<>();
            JsonNode node = request.get("EncryptionContext");
            if (node != null) {
                node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue().asText()));
            }
            StringBuilder canonical = new StringBuilder();
            sorted.forEach((k, v) -> canonical.append(k).append('\u0000').append(v).append('\u0000'));
            return canonical.toString().getBytes(StandardCharsets.UTF_8);
        }

        private byte[] seal(Key key, byte[] plaintext, byte[] aad) {
            try {
                byte[] iv = new byte[12];
                RANDOM.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key.material, "AES"), new GCMParameterSpec(128, iv));
                byte[] header = ByteBuffer.allocate(2 + 36).putShort((short) 36)
                        .put(key.id.getBytes(StandardCharsets.US_ASCII)).array();
                cipher.updateAAD(header);
                cipher.updateAAD(aad);
                byte[] sealed = cipher.doFinal(plaintext);
                return ByteBuffer.allocate(header.length + 12 + sealed.length).put(header).put(iv).put(sealed).array();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        private byte[] open(Key key, byte[] blob, byte[] aad) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.material, "AES"),
                        new GCMParameterSpec(128, blob, 38, 12));
                cipher.updateAAD(blob, 0, 38);
                cipher.updateAAD(aad);
                return cipher.doFinal(blob, 50, blob.length - 50);
            } catch (AEADBadTagException e) {
                throw error("InvalidCiphertextException", null);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- Secrets Manager

    private static final class Secret {
        final String name;
        final String arn;
        final Map<String, String> versions = new LinkedHashMap<>();
        final Map<String, String> stages = new LinkedHashMap<>();
        final Instant created = Instant.now();

        Secret(String region, String name) {
            this.name = name;
            this.arn = "arn:aws:secretsmanager:" + region + ":" + ACCOUNT + ":secret:" + name + "-"
                    + UUID.randomUUID().toString().substring(0, 6);
        }

        void newVersion(String versionId, String value) {
            String current = stages.get("AWSCURRENT");
            if (current != null) {
                stages.put("AWSPREVIOUS", current);
            }
            versions.put(versionId, value);
            stages.put("AWSCURRENT", versionId);
        }

        List<String> stagesOf(String versionId) {
            List<String> of = new ArrayList<>();
            stages.forEach((stage, v) -> {
                if (v.equals(versionId)) {
                    of.add(stage);
                }
            });
            return of;
        }
    }

    private final class SecretsRegion {
        final String region;
        final Map<String, Secret> secrets = new LinkedHashMap<>();

        SecretsRegion(String region) {
            this.region = region;
        }

        Secret find(String secretId) {
            for (Secret s : secrets.values()) {
                if (s.name.equals(secretId) || s.arn.equals(secretId)) {
                    return s;
                }
            }
            throw error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        }

        synchronized Object answer(String operation, JsonNode request) {
            switch (operation) {
                case "secretsmanager:CreateSecret" -> {
                    String name = text(request, "Name", true);
                    if (!name.matches("[A-Za-z0-9/_+=.@-]{1,512}")) {
                        throw error("ValidationException", "Invalid name");
                    }
                    if (secrets.containsKey(name)) {
                        throw error("ResourceExistsException", "The operation failed because the secret " + name
                                + " already exists.");
                    }
                    Secret s = new Secret(region, name);
                    String version = versionId(request);
                    s.newVersion(version, text(request, "SecretString", true));
                    secrets.put(name, s);
                    return Map.of("ARN", s.arn, "Name", name, "VersionId", version);
                }
                case "secretsmanager:PutSecretValue" -> {
                    Secret s = find(text(request, "SecretId", true));
                    String version = versionId(request);
                    String value = text(request, "SecretString", true);
                    if (s.versions.containsKey(version)) {
                        if (!s.versions.get(version).equals(value)) {
                            throw error("ResourceExistsException", "A version with this ClientRequestToken exists with"
                                    + " other contents.");
                        }
                    } else {
                        s.newVersion(version, value);
                    }
                    return Map.of("ARN", s.arn, "Name", s.name, "VersionId", version, "VersionStages",
                            s.stagesOf(version));
                }
                case "secretsmanager:GetSecretValue" -> {
                    Secret s = find(text(request, "SecretId", true));
                    String version = text(request, "VersionId", false);
                    if (version == null) {
                        String stage = text(request, "VersionStage", false);
                        version = s.stages.get(stage == null ? "AWSCURRENT" : stage);
                    }
                    if (version == null || !s.versions.containsKey(version)) {
                        throw error("ResourceNotFoundException", "Secrets Manager can't find the specified secret"
                                + " value for staging label or version.");
                    }
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ARN", s.arn);
                    m.put("Name", s.name);
                    m.put("VersionId", version);
                    m.put("SecretString", s.versions.get(version));
                    m.put("VersionStages", s.stagesOf(version));
                    m.put("CreatedDate", s.created.getEpochSecond());
                    return m;
                }
                case "secretsmanager:DeleteSecret" -> {
                    Secret s = find(text(request, "SecretId", true));
                    JsonNode force = request.get("ForceDeleteWithoutRecovery");
                    if (force == null || !force.asBoolean()) {
                        throw error("InvalidParameterException", "the loopback server deletes with"
                                + " ForceDeleteWithoutRecovery only");
                    }
                    secrets.remove(s.name);
                    return Map.of("ARN", s.arn, "Name", s.name, "DeletionDate", Instant.now().getEpochSecond());
                }
                default -> throw error("UnsupportedOperationException", operation + " is not served by the loopback"
                        + " Secrets Manager");
            }
        }

        private String versionId(JsonNode request) {
            String token = text(request, "ClientRequestToken", false);
            return token != null ? token : UUID.randomUUID().toString();
        }
    }
}
