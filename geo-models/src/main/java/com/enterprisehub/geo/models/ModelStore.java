package com.enterprisehub.geo.models;

import com.enterprisehub.geo.core.GeoValidationException;
import com.enterprisehub.geo.core.market.Market;
import com.enterprisehub.geo.core.market.MarketCatalog;
import com.enterprisehub.geo.core.market.MarketId;
import com.enterprisehub.geo.spi.cloud.Cloud;
import com.enterprisehub.geo.spi.cloud.ObjectStorage;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps each market's models in the object storage of the market's own deployment region (through the cloud SPI), so
 * a model stays where the data that trained it may live. Layout per market:
 * {@code models/<market>/<task>/<digest>.geom} (the artifact, {@link ModelArtifact#toBytes()}) and
 * {@code models/<market>/<task>/current} (the digest of the artifact served).
 *
 * <p>Residency: an artifact trained on one market's data alone ({@link ModelArtifact#market()}) is refused for any
 * other market. An artifact trained on several markets (the global model, or market effects) is stored wherever the
 * host puts it: whether a model trained on a market's data counts as that market's data is the host's legal call,
 * and {@link #publish} stores it only in the market's region it is published for.
 *
 * <p>Thread-safe if the cloud's object storage is.
 */
public final class ModelStore {
    private final Cloud cloud;
    private final MarketCatalog catalog;

    private ModelStore(Cloud cloud, MarketCatalog catalog) {
        this.cloud = cloud;
        this.catalog = catalog;
    }

    /** A store in {@code cloud}'s regions for {@code catalog}'s markets. */
    public static ModelStore of(Cloud cloud, MarketCatalog catalog) {
        return new ModelStore(Objects.requireNonNull(cloud, "cloud"), Objects.requireNonNull(catalog, "catalog"));
    }

    /**
     * Stores {@code artifact} in {@code market}'s region and makes it the one served for its task there.
     *
     * @return the key it was stored under
     * @throws GeoValidationException if the artifact was trained on another market's data alone, or calibrated on
     *     another market's leads
     * @throws com.enterprisehub.geo.core.GeoException if the cloud does not offer the market's region
     */
    public String publish(MarketId market, ModelArtifact artifact) {
        Objects.requireNonNull(artifact, "artifact");
        Market m = catalog.require(market);
        if (artifact.market().isPresent() && !artifact.market().get().equals(market)) {
            throw new GeoValidationException("The artifact " + artifact.version() + " was trained on market '"
                    + artifact.market().get() + "' data alone; publish it for that market only.");
        }
        Optional<MarketId> calibratedOn = artifact.calibration().flatMap(PlattScaling::market);
        if (calibratedOn.isPresent() && !calibratedOn.get().equals(market)) {
            throw new GeoValidationException("The artifact " + artifact.version() + " is calibrated on market '"
                    + calibratedOn.get() + "' leads; publish it for that market only (or publish "
                    + "withoutCalibration() where its model may be stored).");
        }
        ObjectStorage objects = objects(m);
        String digest = digest(artifact);
        String key = prefix(market, artifact.task()) + digest + ".geom";
        objects.put(key, artifact.toBytes());
        objects.put(prefix(market, artifact.task()) + "current", digest.getBytes(StandardCharsets.UTF_8));
        return key;
    }

    /**
     * The artifact served for {@code task} in {@code market}, read from the market's region, if one was published.
     *
     * @throws ModelException if the stored artifact is damaged
     */
    public Optional<ModelArtifact> current(MarketId market, ModelTask task) {
        Market m = catalog.require(market);
        ObjectStorage objects = objects(m);
        Optional<byte[]> pointer = objects.get(prefix(market, task) + "current");
        if (pointer.isEmpty()) {
            return Optional.empty();
        }
        String digest = new String(pointer.get(), StandardCharsets.UTF_8).strip();
        byte[] bytes = objects.get(prefix(market, task) + digest + ".geom").orElseThrow(() -> new ModelException(
                "Market '" + market + "' points to model " + digest + " for " + task + " but it is not stored in "
                        + m.region() + "; publish the model again."));
        ModelArtifact artifact = ModelArtifact.fromBytes(bytes);
        if (!digest(artifact).equals(digest) || artifact.task() != task) {
            throw new ModelException("The model stored for " + task + " in market '" + market + "' does not match its"
                    + " name (" + digest + "); it was altered or damaged. Publish the model again.");
        }
        return Optional.of(artifact);
    }

    private ObjectStorage objects(Market m) {
        return cloud.requireRegion(m.region()).objects();
    }

    private static String prefix(MarketId market, ModelTask task) {
        return "models/" + market.value() + "/" + task.name().toLowerCase(Locale.ROOT).replace('_', '-') + "/";
    }

    private static String digest(ModelArtifact artifact) {
        return com.enterprisehub.geo.spi.crypto.Digests.sha256Hex(artifact.toBytes());
    }
}
