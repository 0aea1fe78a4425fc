package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.spi.crypto.Digests;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A trained model as bytes, with what it needs to be served and judged: which provider reads it, its task, the
 * features it reads, the market whose data trained it (none for a global model), the currency of a valuation and
 * its interval. Its {@link #version()} names its content: two artifacts with the same bytes and description have the
 * same version, and a changed byte changes it.
 *
 * <p>Immutable and thread-safe ({@link #bytes()} returns a copy).
 *
 * @param format the name of the {@link ModelProvider} that reads {@code bytes} ({@code xgboost}, {@code onnx})
 * @param task what it predicts
 * @param schema its input features
 * @param market the market whose data alone trained it, or empty for a model trained on several markets
 * @param currency the currency of a valuation's prices (required for {@link ModelTask#VALUATION}, empty otherwise)
 * @param interval a valuation's prediction interval (required for {@link ModelTask#VALUATION}, empty otherwise)
 * @param bytes the model itself, in {@code format}'s encoding
 * @param calibration a lead-scoring model's Platt scaling, applied by {@link MarketModels} to its probabilities (empty:
 *     none); part of the encoding, so of the {@link #version()}
 */
public record ModelArtifact(String format, ModelTask task, FeatureSchema schema, Optional<MarketId> market,
        Optional<Currency> currency, Optional<ConformalInterval> interval, byte[] bytes,
        Optional<PlattScaling> calibration) {

    private static final int MAGIC = 0x47454F4D; // "GEOM"
    /** Format 1: no calibration (its encoding, and so the version, of an uncalibrated artifact is unchanged). */
    private static final int FORMAT_VERSION = 1;
    /** Format 2: format 1 with a Platt scaling after the interval. */
    private static final int FORMAT_CALIBRATED = 2;

    /** An artifact without calibration. */
    public ModelArtifact(String format, ModelTask task, FeatureSchema schema, Optional<MarketId> market,
            Optional<Currency> currency, Optional<ConformalInterval> interval, byte[] bytes) {
        this(format, task, schema, market, currency, interval, bytes, Optional.empty());
    }

    public ModelArtifact {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(market, "market");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(calibration, "calibration");
        if (calibration.isPresent() && task != ModelTask.LEAD_SCORING) {
            throw new GeoValidationException("Only a lead-scoring artifact has a calibration; leave it empty for "
                    + task + ".");
        }
        if (bytes.length == 0) {
            throw new GeoValidationException("A model artifact needs the model's bytes; got none.");
        }
        if (task == ModelTask.VALUATION && (currency.isEmpty() || interval.isEmpty())) {
            throw new GeoValidationException("A valuation artifact needs the currency of its prices and its"
                    + " interval; set both.");
        }
        if (task == ModelTask.LEAD_SCORING && (currency.isPresent() || interval.isPresent())) {
            throw new GeoValidationException("A lead-scoring artifact has no currency or interval; leave them empty.");
        }
        bytes = bytes.clone();
    }

    /** A copy of the model's bytes. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** This artifact with {@code scaling} as its calibration (a lead-scoring artifact only). */
    public ModelArtifact withCalibration(PlattScaling scaling) {
        return new ModelArtifact(format, task, schema, market, currency, interval, bytes,
                Optional.of(Objects.requireNonNull(scaling, "scaling")));
    }

    /** This artifact without calibration (the model as trained). */
    public ModelArtifact withoutCalibration() {
        return calibration.isEmpty() ? this
                : new ModelArtifact(format, task, schema, market, currency, interval, bytes, Optional.empty());
    }

    /** How many bytes the model has. */
    public int size() {
        return bytes.length;
    }

    /**
     * The version recorded with every prediction: {@code <task>/<market or global>/<format>/<first 16 hex digits of
     * the SHA-256 of the artifact's encoding>}, e.g. {@code lead-scoring/gb/xgboost/3f2a...}, followed by
     * {@code +platt} when the artifact carries a calibration (e.g. {@code lead-scoring/gb/xgboost/91c0...+platt}): the
     * digest covers the calibration too, so two calibrations of one model have two versions. An artifact without
     * calibration (format 1) has no suffix, so its version is the one it always had.
     */
    public String version() {
        String digest = Digests.sha256Hex(toBytes()).substring(0, 16);
        return task.name().toLowerCase(Locale.ROOT).replace('_', '-') + "/"
                + market.map(MarketId::value).orElse("global") + "/" + format + "/" + digest
                + (calibration.isPresent() ? "+platt" : "");
    }

    /** The artifact in the SDK's storage encoding (read back with {@link #fromBytes(byte[])}). */
    public byte[] toBytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(bytes.length + 256);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(calibration.isPresent() ? FORMAT_CALIBRATED : FORMAT_VERSION);
            out.writeUTF(format);
            out.writeUTF(task.name());
            out.writeInt(schema.size());
            for (String name : schema.names()) {
                out.writeUTF(name);
            }
            out.writeUTF(market.map(MarketId::value).orElse(""));
            out.writeUTF(currency.map(Currency::getCurrencyCode).orElse(""));
            out.writeBoolean(interval.isPresent());
            if (interval.isPresent()) {
                out.writeDouble(interval.get().level());
                out.writeDouble(interval.get().logHalfWidth());
                out.writeInt(interval.get().calibrationRows());
            }
            if (calibration.isPresent()) {
                PlattScaling c = calibration.get();
                out.writeDouble(c.slope());
                out.writeDouble(c.intercept());
                out.writeInt(c.rows());
                out.writeUTF(c.market().map(MarketId::value).orElse(""));
            }
            out.writeInt(bytes.length);
            out.write(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return buffer.toByteArray();
    }

    /**
     * Reads an artifact written by {@link #toBytes()}.
     *
     * @throws ModelException if {@code encoded} is not such an artifact or is cut short
     */
    public static ModelArtifact fromBytes(byte[] encoded) {
        Objects.requireNonNull(encoded, "encoded");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
            if (in.readInt() != MAGIC) {
                throw new ModelException("These bytes are not a geo-models artifact (wrong magic number); read the"
                        + " bytes ModelArtifact.toBytes() wrote, or load a raw model with its provider.");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION && version != FORMAT_CALIBRATED) {
                throw new ModelException("Artifact format " + version + " is not known to this version of geo-models"
                        + " (knows " + FORMAT_VERSION + " and " + FORMAT_CALIBRATED + "); upgrade geo-models.");
            }
            String format = in.readUTF();
            ModelTask task = ModelTask.valueOf(in.readUTF());
            int n = in.readInt();
            if (n < 1 || n > 1_000_000) {
                throw new ModelException("The artifact declares " + n + " features; it is damaged.");
            }
            List<String> names = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                names.add(in.readUTF());
            }
            String market = in.readUTF();
            String currency = in.readUTF();
            Optional<ConformalInterval> interval = in.readBoolean()
                    ? Optional.of(new ConformalInterval(in.readDouble(), in.readDouble(), in.readInt()))
                    : Optional.empty();
            Optional<PlattScaling> calibration = Optional.empty();
            if (version == FORMAT_CALIBRATED) {
                double slope = in.readDouble();
                double intercept = in.readDouble();
                int rows = in.readInt();
                String on = in.readUTF();
                calibration = Optional.of(new PlattScaling(slope, intercept, rows,
                        on.isEmpty() ? Optional.empty() : Optional.of(MarketId.of(on))));
            }
            int length = in.readInt();
            if (length < 1 || length > in.available()) {
                throw new ModelException("The artifact's model is cut short (declares " + length + " bytes, "
                        + in.available() + " left); it is damaged or incomplete.");
            }
            byte[] model = in.readNBytes(length);
            if (in.available() != 0) {
                throw new ModelException("The artifact has " + in.available() + " bytes after its end; it is damaged.");
            }
            return new ModelArtifact(format, task, new FeatureSchema(names),
                    market.isEmpty() ? Optional.empty() : Optional.of(MarketId.of(market)),
                    currency.isEmpty() ? Optional.empty() : Optional.of(Currency.getInstance(currency)), interval, model,
                    calibration);
        } catch (IOException | IllegalArgumentException | GeoValidationException e) {
            throw new ModelException("The artifact cannot be read (" + e.getMessage() + "); it is damaged or cut"
                    + " short.", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelArtifact a && format.equals(a.format) && task == a.task && schema.equals(a.schema)
                && market.equals(a.market) && currency.equals(a.currency) && interval.equals(a.interval)
                && Arrays.equals(bytes, a.bytes) && calibration.equals(a.calibration);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, task, schema, market, currency, interval, Arrays.hashCode(bytes), calibration);
    }

    @Override
    public String toString() {
        return "ModelArtifact[" + version() + ", " + schema.size() + " features, " + bytes.length + " bytes]";
    }
}
