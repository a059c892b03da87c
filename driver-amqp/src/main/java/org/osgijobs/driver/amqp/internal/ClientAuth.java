package org.osgijobs.driver.amqp.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import org.osgijobs.api.JobsException;

/**
 * The option {@code tls.client_auth_type}, with RoadRunner's value names. RoadRunner hands it to Go's TLS stack,
 * where it only matters on a server; on this client side it says whether the driver presents its certificate.
 */
enum ClientAuth {
    /** Never present a client certificate, even when one is configured. */
    NO_CLIENT_CERTS,
    /** Present the certificate when one is configured (the default). */
    REQUEST_CLIENT_CERT,
    /** A certificate must be configured. */
    REQUIRE_ANY_CLIENT_CERT,
    /** Present the certificate when one is configured. */
    VERIFY_CLIENT_CERT_IF_GIVEN,
    /** A certificate must be configured. */
    REQUIRE_AND_VERIFY_CLIENT_CERT;

    /**
     * @param value the option's value; blank for the default
     * @return the mode
     * @throws JobsException naming the option and the accepted values
     */
    static ClientAuth parse(String value) {
        if (value == null || value.isBlank()) {
            return REQUEST_CLIENT_CERT;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new JobsException("jobs.amqp: option 'tls.client_auth_type' must be one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT))
                            .collect(Collectors.joining(", "))
                    + ", got '" + value.trim() + "'");
        }
    }

    /** @return whether a configured certificate is presented */
    boolean presentsCertificate() {
        return this != NO_CLIENT_CERTS;
    }

    /** @return whether a certificate must be configured */
    boolean requiresCertificate() {
        return this == REQUIRE_ANY_CLIENT_CERT || this == REQUIRE_AND_VERIFY_CLIENT_CERT;
    }
}
