package com.enterprisehub.geo.spi.aws;

import com.enterprisehub.geo.spi.crypto.Digests;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A loopback server speaking the S3 REST protocol (path-style) for the operations the aws cloud's object storage
 * uses: {@code HeadBucket}, {@code PutObject}, {@code GetObject}, {@code HeadObject}, {@code DeleteObject} and
 * {@code ListObjectsV2} (one page). It exists because S3Proxy does not implement server-side encryption (it answers
 * 501 to the SSE headers, or ignores them when told to): this server keeps S3's SSE semantics for the headers
 * {@code x-amz-server-side-encryption} and {@code x-amz-server-side-encryption-aws-kms-key-id}, as the S3 User Guide
 * describes them ("Specifying server-side encryption with AWS KMS (SSE-KMS)",
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/specifying-kms-encryption.html):
 * <ul>
 *   <li>every object is encrypted at rest: without an SSE header, with {@code AES256} (S3's default since January
 *       2023); with {@code aws:kms}, under the key named (an ARN, key id or alias of the bucket's region), which must
 *       exist and be enabled in {@link LoopbackAws}'s KMS of that region, else the put is refused with
 *       {@code KMS.NotFoundException} / {@code KMS.KMSInvalidStateException} (400);</li>
 *   <li>{@code PutObject}, {@code GetObject} and {@code HeadObject} answer the algorithm and the key's ARN in the
 *       same two headers; {@code GetObject} of an object whose key is no longer usable (pending deletion) is refused
 *       with {@code KMS.KMSInvalidStateException}, as S3 cannot decrypt it; {@code HeadObject} still answers.</li>
 * </ul>
 * Each bucket lives in one region (a bucket named {@code geo-test-<region>}); a request must be signed for the
 * bucket's region. Every request must carry an AWS Signature Version 4 {@code Authorization} header, which is
 * verified here by recomputing it (canonical request as S3 defines it: the path as sent, the query sorted, the signed
 * headers, and the payload hash of {@code x-amz-content-sha256}) with the test secret key; a payload hash given as
 * hex must be the body's; an {@code aws-chunked} body ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}) has every chunk
 * signature checked in its chain. The content is kept in memory as sent (the encryption is recorded, not performed:
 * what is tested is the header exchange and the refusals, not AES). Not covered: multipart uploads, list pagination,
 * ACLs, versioning, bucket policies, the request's age, S3 Bucket Keys and encryption contexts. Requests are recorded
 * for tests that check what was sent.
 */
final class LoopbackS3 implements AutoCloseable {
    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)/(\\d{8})/"
            + "([a-z0-9-]+)/([a-z0-9-]+)/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
    /** The id standing for the AWS managed key {@code aws/s3} (not in LoopbackAws; always usable). */
    private static final String AWS_MANAGED = "aws-s3-managed";
    private static final String EMPTY_SHA256 = Digests.sha256Hex(new byte[0]);

    /** A request as received: method, decoded path, and its headers (lower-case names). */
    record Received(String method, String path, Map<String, String> headers) {
    }

    private record StoredObj(byte[] content, Map<String, String> metadata, String algorithm, String kmsKeyArn,
            boolean bucketKey, String etag) {
    }

    private static final class S3Error extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String code;

        S3Error(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "loopback-s3");
        t.setDaemon(true);
        return t;
    });
    private final LoopbackAws kms;
    private final Map<String, String> bucketRegions = new ConcurrentHashMap<>();
    private final Map<String, ConcurrentSkipListMap<String, StoredObj>> buckets = new ConcurrentHashMap<>();
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
    /** When true, the SSE headers of requests are ignored and none are answered (as S3Proxy told to ignore them). */
    volatile boolean ignoreSse;
    /**
     * When set, a PUT under a KMS key answers this key ARN instead of the one the object was stored under (a server
     * misreporting, or an answer altered on its way): the client cannot confirm its put.
     */
    volatile String answerKmsArn;
    /** When set, runs before a DELETE is handled, given the bucket and the key (lets another writer in first). */
    volatile java.util.function.BiConsumer<String, String> beforeDelete;

    /** A server with a bucket {@code geo-test-<region>} in each of {@code regions}, using {@code kms}'s keys. */
    LoopbackS3(Set<String> regions, LoopbackAws kms) throws IOException {
        this.kms = kms;
        for (String region : regions) {
            bucketRegions.put("geo-test-" + region, region);
            buckets.put("geo-test-" + region, new ConcurrentSkipListMap<>());
        }
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

    /** The requests received so far. */
    List<Received> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Why requests were refused so far (signature and scope problems). */
    List<String> refusals() {
        synchronized (refusals) {
            return List.copyOf(refusals);
        }
    }

    /** Replaces the SSE key recorded for an object (as if someone rewrote it under another key). */
    void reencrypt(String bucket, String key, String algorithm, String kmsKeyArn) {
        buckets.get(bucket).computeIfPresent(key, (k, o) -> new StoredObj(o.content(), o.metadata(), algorithm,
                kmsKeyArn, false, o.etag()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] answer = new byte[0];
            int status;
            Map<String, String> headers = new LinkedHashMap<>();
            boolean head = exchange.getRequestMethod().equals("HEAD");
            long length = -1;
            try {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Map<String, String> lower = new TreeMap<>();
                exchange.getRequestHeaders().forEach((n, v) -> lower.put(n.toLowerCase(Locale.ROOT), String.join(",",
                        v)));
                String path = exchange.getRequestURI().getPath();
                received.add(new Received(exchange.getRequestMethod(), path, Collections.unmodifiableMap(lower)));
                String bucket = path.substring(1).split("/", 2)[0];
                String key = path.length() > bucket.length() + 2 ? path.substring(bucket.length() + 2) : null;
                String region = bucketRegions.get(bucket);
                byte[] payload = authorize(exchange, body, region);
                if (region == null) {
                    throw new S3Error(404, "NoSuchBucket", "The specified bucket does not exist");
                }
                ConcurrentSkipListMap<String, StoredObj> objects = buckets.get(bucket);
                String method = exchange.getRequestMethod();
                if (key == null) {
                    if (head) {
                        status = 200;
                    } else if (method.equals("GET") && query(exchange).containsKey("list-type")) {
                        answer = list(bucket, objects, query(exchange).getOrDefault("prefix", ""));
                        headers.put("Content-Type", "application/xml");
                        status = 200;
                    } else {
                        throw new S3Error(501, "NotImplemented", method + " on a bucket is not implemented here");
                    }
                } else if (method.equals("PUT")) {
                    StoredObj stored = put(region, lower, payload);
                    objects.put(key, stored);
                    String misreported = answerKmsArn;
                    sse(headers, misreported == null || stored.kmsKeyArn() == null ? stored : new StoredObj(
                            stored.content(), stored.metadata(), stored.algorithm(), misreported, stored.bucketKey(),
                            stored.etag()));
                    headers.put("ETag", stored.etag());
                    status = 200;
                } else if (method.equals("GET") || head) {
                    StoredObj stored = objects.get(key);
                    if (stored == null) {
                        throw new S3Error(404, "NoSuchKey", "The specified key does not exist.");
                    }
                    if (!head && stored.kmsKeyArn() != null && !stored.kmsKeyArn().endsWith(AWS_MANAGED)) {
                        LoopbackAws.KeyUse use = kms.keyUse(region, stored.kmsKeyArn());
                        if (use.error() != null) {
                            throw new S3Error(400, "KMS." + use.error(), use.message());
                        }
                    }
                    stored.metadata().forEach((n, v) -> headers.put("x-amz-meta-" + n, v));
                    sse(headers, stored);
                    headers.put("ETag", stored.etag());
                    headers.put("Content-Type", "application/octet-stream");
                    if (head) {
                        headers.put("Content-Length", Long.toString(stored.content().length));
                    } else {
                        answer = stored.content();
                    }
                    status = 200;
                } else if (method.equals("DELETE")) {
                    java.util.function.BiConsumer<String, String> hook = beforeDelete;
                    if (hook != null) {
                        hook.accept(bucket, key);
                    }
                    // If-Match (conditional delete, S3 User Guide "How to perform conditional deletes",
                    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-deletes.html): absent 404,
                    // another ETag 412, '*' or the same ETag deletes.
                    String ifMatch = lower.get("if-match");
                    if (ifMatch == null) {
                        objects.remove(key);
                    } else {
                        StoredObj current = objects.get(key);
                        if (current == null) {
                            throw new S3Error(404, "NoSuchKey", "The specified key does not exist.");
                        }
                        if (!ifMatch.equals("*") && !ifMatch.equals(current.etag())
                                || !objects.remove(key, current)) {
                            throw new S3Error(412, "PreconditionFailed", "At least one of the pre-conditions you"
                                    + " specified did not hold");
                        }
                    }
                    status = 204;
                } else {
                    throw new S3Error(501, "NotImplemented", method + " is not implemented here");
                }
            } catch (S3Error e) {
                status = e.status;
                headers.clear();
                if (!head) {
                    answer = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + e.code + "</Code><Message>"
                            + xml(e.getMessage()) + "</Message><RequestId>1</RequestId></Error>")
                            .getBytes(StandardCharsets.UTF_8);
                    headers.put("Content-Type", "application/xml");
                }
            }
            headers.put("x-amz-request-id", UUID.randomUUID().toString().replace("-", "").substring(0, 16));
            headers.forEach((n, v) -> exchange.getResponseHeaders().add(n, v));
            if (head || status == 204) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }

    private void sse(Map<String, String> headers, StoredObj stored) {
        if (ignoreSse) {
            return;
        }
        headers.put("x-amz-server-side-encryption", stored.algorithm());
        if (stored.kmsKeyArn() != null) {
            headers.put("x-amz-server-side-encryption-aws-kms-key-id", stored.kmsKeyArn());
        }
        if (stored.bucketKey()) {
            headers.put("x-amz-server-side-encryption-bucket-key-enabled", "true");
        }
    }

    private StoredObj put(String region, Map<String, String> headers, byte[] content) {
        Map<String, String> metadata = new TreeMap<>();
        headers.forEach((n, v) -> {
            if (n.startsWith("x-amz-meta-")) {
                metadata.put(n.substring("x-amz-meta-".length()), v);
            }
        });
        String algorithm = ignoreSse ? null : headers.get("x-amz-server-side-encryption");
        String keyId = ignoreSse ? null : headers.get("x-amz-server-side-encryption-aws-kms-key-id");
        String arn = null;
        if (algorithm == null) {
            if (keyId != null) {
                throw new S3Error(400, "InvalidArgument", "Specifying x-amz-server-side-encryption-aws-kms-key-id"
                        + " requires x-amz-server-side-encryption: aws:kms");
            }
            algorithm = "AES256";
        } else if (algorithm.equals("aws:kms")) {
            if (keyId == null) {
                arn = "arn:aws:kms:" + region + ":" + LoopbackAws.ACCOUNT + ":key/" + AWS_MANAGED; // alias aws/s3
            } else {
                LoopbackAws.KeyUse use = kms.keyUse(region, keyId);
                if (use.error() != null) {
                    throw new S3Error(400, "KMS." + use.error(), use.message());
                }
                arn = use.arn();
            }
        } else if (!algorithm.equals("AES256")) {
            throw new S3Error(400, "InvalidArgument", "The encryption method specified is not supported");
        } else if (keyId != null) {
            throw new S3Error(400, "InvalidArgument", "A KMS key id needs x-amz-server-side-encryption: aws:kms");
        }
        String etag = "\"" + HexFormat.of().formatHex(md5(content)) + "\"";
        boolean bucketKey = arn != null && "true".equals(headers.get("x-amz-server-side-encryption-bucket-key-enabled"));
        return new StoredObj(content, Map.copyOf(metadata), algorithm, arn, bucketKey, etag);
    }

    private static byte[] md5(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("MD5").digest(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] list(String bucket, ConcurrentSkipListMap<String, StoredObj> objects, String prefix) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult"
                + " xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>" + bucket + "</Name><Prefix>" + xml(prefix)
                + "</Prefix>");
        int count = 0;
        StringBuilder contents = new StringBuilder();
        for (Map.Entry<String, StoredObj> e : objects.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            count++;
            contents.append("<Contents><Key>").append(xml(e.getKey())).append("</Key><LastModified>")
                    .append(Instant.EPOCH).append("</LastModified><ETag>").append(xml(e.getValue().etag()))
                    .append("</ETag><Size>").append(e.getValue().content().length)
                    .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
        }
        xml.append("<KeyCount>").append(count).append("</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false"
                + "</IsTruncated>").append(contents).append("</ListBucketResult>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> q = new TreeMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                q.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return q;
    }

    // ------------------------------------------------------------------------------------------- SigV4

    private S3Error refuse(String why, String code, String message) {
        refusals.add(why);
        return new S3Error(403, code, message);
    }

    /**
     * Verifies the SigV4 signature of the request (and of every chunk of an aws-chunked body); returns the payload
     * (the body, or the chunks' data).
     */
    private byte[] authorize(HttpExchange exchange, byte[] body, String bucketRegion) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            throw refuse("no Authorization header", "AccessDenied", "Access Denied");
        }
        Matcher m = AUTHORIZATION.matcher(header);
        if (!m.matches()) {
            throw refuse("not a SigV4 Authorization header", "AccessDenied", "Unsupported Authorization Type");
        }
        if (!m.group(1).equals(LoopbackAws.ACCESS_KEY)) {
            throw refuse("unknown access key " + m.group(1), "InvalidAccessKeyId", "The AWS Access Key Id you provided"
                    + " does not exist in our records.");
        }
        String date = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Date"));
        if (!date.startsWith(m.group(2))) {
            throw refuse("scope date " + m.group(2) + " is not the date of X-Amz-Date " + date,
                    "AuthorizationHeaderMalformed", "The authorization header is malformed; the date is wrong.");
        }
        if (!m.group(4).equals("s3")) {
            throw refuse("scoped to service " + m.group(4), "AuthorizationHeaderMalformed", "wrong service");
        }
        if (bucketRegion != null && !m.group(3).equals(bucketRegion)) {
            throw refuse("scoped to region " + m.group(3) + " for a bucket of " + bucketRegion,
                    "AuthorizationHeaderMalformed", "The authorization header is malformed; the region '"
                    + m.group(3) + "' is wrong; expecting '" + bucketRegion + "'");
        }
        List<String> signed = List.of(m.group(5).split(";"));
        if (!signed.contains("host") || !signed.contains("x-amz-date") || !signed.contains("x-amz-content-sha256")) {
            throw refuse("signed headers " + signed + " lack host, x-amz-date or x-amz-content-sha256",
                    "AccessDenied", "host, x-amz-date and x-amz-content-sha256 must be signed");
        }
        String payloadHash = String.valueOf(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"));
        String scope = m.group(2) + "/" + m.group(3) + "/s3/aws4_request";
        byte[] signingKey = signingKey(m.group(2), m.group(3));
        String canonical = exchange.getRequestMethod() + "\n" + exchange.getRequestURI().getRawPath() + "\n"
                + canonicalQuery(exchange.getRequestURI().getRawQuery()) + "\n" + canonicalHeaders(exchange, signed)
                + "\n" + m.group(5) + "\n" + payloadHash;
        String toSign = "AWS4-HMAC-SHA256\n" + date + "\n" + scope + "\n" + Digests.sha256Hex(utf8(canonical));
        String signature = HexFormat.of().formatHex(hmac(signingKey, toSign));
        if (!signature.equals(m.group(6))) {
            throw refuse("signature does not match (wrong secret key, or the request was altered)",
                    "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you"
                    + " provided. Check your key and signing method.");
        }
        if (payloadHash.equals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
            return dechunk(body, signingKey, date, scope, signature);
        }
        if (payloadHash.equals("UNSIGNED-PAYLOAD")) {
            return body;
        }
        if (!payloadHash.equals(Digests.sha256Hex(body))) {
            throw refuse("x-amz-content-sha256 is not the SHA-256 of the body", "XAmzContentSHA256Mismatch",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        return body;
    }

    /** The data of an aws-chunked body, each chunk's signature checked against the chain from the seed. */
    private byte[] dechunk(byte[] body, byte[] signingKey, String date, String scope, String seed) {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        String previous = seed;
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(body))) {
            while (true) {
                String line = line(in);
                Matcher c = Pattern.compile("([0-9a-fA-F]+);chunk-signature=([0-9a-f]{64})").matcher(line);
                if (!c.matches()) {
                    throw refuse("malformed aws-chunked header '" + line + "'", "IncompleteBody", "bad chunk");
                }
                int size = Integer.parseInt(c.group(1), 16);
                byte[] chunk = in.readNBytes(size);
                if (chunk.length != size || !line(in).isEmpty()) {
                    throw refuse("aws-chunked chunk cut short", "IncompleteBody", "bad chunk");
                }
                String toSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + date + "\n" + scope + "\n" + previous + "\n"
                        + EMPTY_SHA256 + "\n" + Digests.sha256Hex(chunk);
                String expected = HexFormat.of().formatHex(hmac(signingKey, toSign));
                if (!expected.equals(c.group(2))) {
                    throw refuse("a chunk signature does not match", "SignatureDoesNotMatch", "chunk signature");
                }
                previous = expected;
                if (size == 0) {
                    return data.toByteArray();
                }
                data.write(chunk);
            }
        } catch (IOException e) {
            throw refuse("unreadable aws-chunked body", "IncompleteBody", e.getMessage());
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\r') {
                in.read(); // '\n'
                return line.toString();
            }
            line.append((char) b);
        }
        throw new IOException("end of body inside a chunk header");
    }

    private static String canonicalQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            pairs.add(eq < 0 ? new String[] {pair, ""} : new String[] {pair.substring(0, eq), pair.substring(eq + 1)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder q = new StringBuilder();
        for (String[] p : pairs) {
            q.append(q.length() == 0 ? "" : "&").append(p[0]).append('=').append(p[1]);
        }
        return q.toString();
    }

    private static String canonicalHeaders(HttpExchange exchange, List<String> signed) {
        StringBuilder h = new StringBuilder();
        for (String name : signed) {
            List<String> values = exchange.getRequestHeaders().get(name);
            List<String> trimmed = new ArrayList<>();
            if (values != null) {
                values.forEach(v -> trimmed.add(v.strip().replaceAll(" +", " ")));
            }
            h.append(name).append(':').append(String.join(",", trimmed)).append('\n');
        }
        return h.toString();
    }

    private static byte[] signingKey(String date, String region) {
        byte[] k = hmac(utf8("AWS4" + LoopbackAws.SECRET_KEY), date);
        k = hmac(k, region);
        k = hmac(k, "s3");
        return hmac(k, "aws4_request");
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(utf8(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
