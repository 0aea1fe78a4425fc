/**
 * Implementation details. <strong>Not API:</strong> anything here may change or disappear in any
 * release; depend on the public packages only.
 */
package com.enterprisehub.geo.core.internal;
