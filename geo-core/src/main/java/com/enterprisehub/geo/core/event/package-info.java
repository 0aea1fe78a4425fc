/**
 * Platform events (tenant created, state changed, ...) and the listener API hosts audit them with.
 */
package com.enterprisehub.geo.core.event;
