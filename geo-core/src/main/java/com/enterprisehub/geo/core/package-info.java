/**
 * The exception hierarchy of EnterpriseHub Geo: every exception the SDK throws on purpose extends
 * {@link com.enterprisehub.geo.core.GeoException}, and each message says what to do next.
 */
package com.enterprisehub.geo.core;
