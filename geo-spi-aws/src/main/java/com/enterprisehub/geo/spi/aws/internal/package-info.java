/** The aws cloud's implementation: not part of the API, not exported by the module. */
package com.enterprisehub.geo.spi.aws.internal;
