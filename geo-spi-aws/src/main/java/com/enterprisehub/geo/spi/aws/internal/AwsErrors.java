package com.enterprisehub.geo.spi.aws.internal;

import com.enterprisehub.geo.core.GeoException;
import java.net.SocketTimeoutException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Turns what the AWS SDK throws into the SDK's {@link GeoException} with a message that says what to do. Messages
 * name the operation, the service and the region, never key material or secret values. Stateless. Not part of the
 * API.
 */
public final class AwsErrors {
    private AwsErrors() {
    }

    /** The error code of an AWS service error ("ThrottlingException"), or "" if {@code e} is not one. */
    public static String code(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorCode() != null) {
            return service.awsErrorDetails().errorCode();
        }
        return "";
    }

    /** Whether {@code e} is a service error with one of {@code codes}. */
    public static boolean is(SdkException e, String... codes) {
        String code = code(e);
        for (String c : codes) {
            if (c.equals(code)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A {@link GeoException} for a failed call.
     *
     * @param what what was being done, for the message ("Wrapping a data key with AWS KMS in eu-west-2")
     * @param action the IAM action the call needs ("kms:GenerateDataKey"), for access-denied messages
     */
    public static GeoException failed(String what, String action, SdkException e) {
        String code = code(e);
        String advice;
        if (timedOut(e)) {
            advice = "it timed out (" + e.getMessage() + "). Check that the endpoint is reachable and answering, or"
                    + " raise the aws cloud's 'api-call-timeout' / 'api-call-attempt-timeout' settings";
        } else if (code.startsWith("Throttling") || code.equals("TooManyRequestsException")
                || code.equals("RequestLimitExceeded") || code.equals("SlowDown")) {
            advice = "AWS throttled it (" + code + ") and the SDK's retries ran out. Retry later, raise the aws"
                    + " cloud's 'max-attempts', or ask AWS for a higher request quota";
        } else if (code.equals("ExpiredTokenException") || code.equals("ExpiredToken")
                || code.equals("RequestExpired") || code.equals("InvalidClientTokenId")
                || code.equals("UnrecognizedClientException") || code.equals("InvalidSignatureException")
                || code.equals("SignatureDoesNotMatch")) {
            advice = "AWS refused the credentials (" + code + "): they expired or are not valid. Refresh them (a new"
                    + " session token, a new role session) or check the credentials provider given to the aws cloud";
        } else if (code.equals("AccessDeniedException") || code.equals("AccessDenied")) {
            advice = "IAM denied it (" + code + "). Grant " + action + " on this resource to the principal the aws"
                    + " cloud runs as (docs/aws.md lists the policy per operation)";
        } else if (e instanceof AwsServiceException service && service.statusCode() >= 500) {
            advice = "AWS answered with a server error (" + service.statusCode() + (code.isEmpty() ? "" : " " + code)
                    + ": " + serviceMessage(e) + ") on every attempt the SDK's retry strategy made. Retry later; if it persists, check the"
                    + " AWS Health Dashboard for the region";
        } else if (e instanceof SdkClientException) {
            advice = "the request did not complete (" + e.getMessage() + "). Check that the endpoint is reachable"
                    + " from this host (network, DNS, endpoint override settings)";
        } else {
            advice = "AWS refused it (" + (code.isEmpty() ? e.getClass().getSimpleName() : code) + ": "
                    + serviceMessage(e) + ")";
        }
        return new GeoException(what + " failed: " + advice + ".", e);
    }

    /**
     * Whether {@code e} is a timeout: the SDK's call or attempt timer, or the HTTP client's socket timeout, which is set
     * to the attempt's and so may fire first (it surfaces as an {@link SdkClientException} caused by a
     * {@link SocketTimeoutException}).
     */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                    || t instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static String serviceMessage(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null
                && service.awsErrorDetails().errorMessage() != null) {
            return service.awsErrorDetails().errorMessage();
        }
        return String.valueOf(e.getMessage());
    }
}
