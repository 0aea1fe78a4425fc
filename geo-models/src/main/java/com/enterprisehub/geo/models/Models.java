package com.enterprisehub.geo.models;

import com.enterprisehub.geo.spi.Providers;
import java.util.Objects;

/** Loads artifacts with the provider of their format, found through {@link Providers}. Thread-safe. */
public final class Models {
    private Models() {
    }

    /**
     * Loads {@code artifact} with the {@link ModelProvider} named by its {@link ModelArtifact#format()}, found on the
     * class path (or module path).
     *
     * @throws com.enterprisehub.geo.spi.ProviderSelectionException if no provider has that name (the message lists
     *     those found)
     * @throws ModelException if the provider cannot read the artifact
     */
    public static PredictiveModel load(ModelArtifact artifact) {
        return load(Providers.fromClassPath(), artifact);
    }

    /** Loads {@code artifact} with the provider of its format among {@code providers}. */
    public static PredictiveModel load(Providers providers, ModelArtifact artifact) {
        Objects.requireNonNull(providers, "providers");
        Objects.requireNonNull(artifact, "artifact");
        ModelProvider provider = providers.select(ModelProvider.class, artifact.format());
        if (!provider.tasks().contains(artifact.task())) {
            throw new ModelException("Provider '" + provider.name() + "' does not serve " + artifact.task()
                    + " models; it serves " + provider.tasks() + ".");
        }
        return provider.load(artifact);
    }
}
