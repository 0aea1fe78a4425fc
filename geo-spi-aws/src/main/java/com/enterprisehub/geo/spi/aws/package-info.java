/**
 * The cloud SPI on AWS: {@link com.enterprisehub.geo.spi.aws.AwsCloudProvider} ({@code aws}) opens an
 * {@link com.enterprisehub.geo.spi.aws.AwsCloud} whose regions offer KMS master keys (envelope encryption,
 * crypto-shredding by scheduled key deletion), Secrets Manager secrets and S3 object storage, each pinned to the AWS
 * region its deployment region maps to ({@link com.enterprisehub.geo.spi.aws.AwsRegions}), configured by
 * {@link com.enterprisehub.geo.spi.aws.AwsSettings}; {@link com.enterprisehub.geo.spi.aws.RdsAuthTokens} makes RDS
 * IAM authentication tokens and {@link com.enterprisehub.geo.spi.aws.DatabasePasswords} reads a database password
 * afresh for each new connection. Implementation classes live in {@code internal}, which is not exported.
 */
package com.enterprisehub.geo.spi.aws;
