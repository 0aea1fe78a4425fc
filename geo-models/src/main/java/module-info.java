/**
 * EnterpriseHub Geo's localized models: lead scoring and valuation per market. The model SPI
 * ({@link com.enterprisehub.geo.models.ModelProvider}, providers chosen by name: {@code xgboost} built in, {@code onnx}
 * when ONNX Runtime is on the path), localized features, global and per-market training judged on held-out data of
 * each market, serving by the tenant's market, and a generator of listings and leads with planted market
 * differences. {@code com.enterprisehub.geo.models.internal} is not exported.
 */
module com.enterprisehub.geo.models {
    requires transitive com.enterprisehub.geo.spi;
    requires transitive com.enterprisehub.geo.localization;
    requires transitive com.enterprisehub.geo.analytics;
    requires transitive java.money;
    requires org.javamoney.moneta;
    requires ml.dmlc.xgboost4j;
    requires static com.microsoft.onnxruntime;
    requires com.fasterxml.jackson.databind;
    requires org.slf4j;

    exports com.enterprisehub.geo.models;

    uses com.enterprisehub.geo.models.ModelProvider;

    provides com.enterprisehub.geo.models.ModelProvider with
            com.enterprisehub.geo.models.XGBoostModels,
            com.enterprisehub.geo.models.OnnxModels;
}
