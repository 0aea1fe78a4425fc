/**
 * The cloud provider {@code aws}: KMS, Secrets Manager and S3 per deployment region, pinned to the AWS region it maps
 * to, and RDS IAM authentication tokens. Requires geo-spi and the AWS SDK for Java v2.
 */
module com.enterprisehub.geo.spi.aws {
    requires transitive com.enterprisehub.geo.spi;
    requires transitive software.amazon.awssdk.auth;
    requires transitive software.amazon.awssdk.regions;
    requires transitive software.amazon.awssdk.identity.spi;
    requires software.amazon.awssdk.core;
    requires software.amazon.awssdk.awscore;
    requires software.amazon.awssdk.http;
    requires software.amazon.awssdk.http.urlconnection;
    requires software.amazon.awssdk.retries.api;
    requires software.amazon.awssdk.retries;
    requires software.amazon.awssdk.services.kms;
    requires software.amazon.awssdk.services.s3;
    requires software.amazon.awssdk.services.secretsmanager;
    requires software.amazon.awssdk.services.rds;
    requires software.amazon.awssdk.utils;
    requires software.amazon.awssdk.protocols.jsoncore;
    requires org.slf4j;

    exports com.enterprisehub.geo.spi.aws;

    provides com.enterprisehub.geo.spi.cloud.CloudProvider with com.enterprisehub.geo.spi.aws.AwsCloudProvider;
}
