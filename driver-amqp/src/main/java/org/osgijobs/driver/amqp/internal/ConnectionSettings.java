package org.osgijobs.driver.amqp.internal;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.osgijobs.api.JobsException;

import com.rabbitmq.client.ConnectionFactory;

/**
 * How to reach the broker: the parsed {@code jobs.amqp} configuration, with the TLS material loaded. Immutable; its
 * {@link #toString()} shows no credential.
 */
final class ConnectionSettings {

    static final String ADDR = "addr";
    static final String TLS_CERT = "tls.cert";
    static final String TLS_KEY = "tls.key";
    static final String TLS_ROOT_CA = "tls.root_ca";
    static final String TLS_CLIENT_AUTH_TYPE = "tls.client_auth_type";

    private final BrokerAddress address;
    private final SSLContext sslContext;

    private ConnectionSettings(BrokerAddress address, SSLContext sslContext) {
        this.address = address;
        this.sslContext = sslContext;
    }

    /**
     * @param config the {@code jobs.amqp} properties (keys {@value #ADDR}, {@value #TLS_CERT}, {@value #TLS_KEY},
     *               {@value #TLS_ROOT_CA}, {@value #TLS_CLIENT_AUTH_TYPE}); absent keys take their defaults
     * @return the settings
     * @throws JobsException naming the malformed option or the unreadable file
     */
    static ConnectionSettings of(Map<String, ?> config) {
        BrokerAddress address = BrokerAddress.parse(string(config, ADDR));
        String cert = string(config, TLS_CERT);
        String key = string(config, TLS_KEY);
        String rootCa = string(config, TLS_ROOT_CA);
        ClientAuth clientAuth = ClientAuth.parse(string(config, TLS_CLIENT_AUTH_TYPE));
        boolean tlsOptions = !cert.isEmpty() || !key.isEmpty() || !rootCa.isEmpty();
        if (tlsOptions && !address.tls()) {
            throw new JobsException("jobs.amqp: options tls.* are set but 'addr' " + address
                    + " is not an amqps:// address");
        }
        if (cert.isEmpty() != key.isEmpty()) {
            throw new JobsException("jobs.amqp: options 'tls.cert' and 'tls.key' go together: "
                    + (cert.isEmpty() ? "'tls.cert'" : "'tls.key'") + " is missing");
        }
        if (clientAuth.requiresCertificate() && cert.isEmpty()) {
            throw new JobsException("jobs.amqp: option 'tls.client_auth_type' is "
                    + clientAuth.name().toLowerCase(java.util.Locale.ROOT) + " but 'tls.cert' and 'tls.key' are not set");
        }
        SSLContext ssl = address.tls() ? sslContext(cert, key, rootCa, clientAuth) : null;
        return new ConnectionSettings(address, ssl);
    }

    /** @return the broker address */
    BrokerAddress address() {
        return address;
    }

    /** @return whether connections use TLS */
    boolean tls() {
        return sslContext != null;
    }

    /**
     * @param rpcTimeoutSeconds how long a broker operation (declare, cancel, ...) may take
     * @return a new connection factory for these settings, without the client's own recovery (the driver owns it)
     */
    ConnectionFactory newFactory(int rpcTimeoutSeconds) {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(address.host());
        f.setPort(address.port());
        f.setVirtualHost(address.vhost());
        f.setUsername(address.username());
        f.setPassword(address.password());
        f.setRequestedHeartbeat(address.heartbeatSeconds());
        f.setConnectionTimeout(address.connectionTimeoutMillis());
        f.setHandshakeTimeout(Math.max(address.connectionTimeoutMillis(), 1000));
        f.setChannelRpcTimeout((int) Math.min(Integer.MAX_VALUE, rpcTimeoutSeconds * 1000L));
        f.setShutdownTimeout(1000);
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        if (sslContext != null) {
            f.useSslProtocol(sslContext);
            f.enableHostnameVerification();
        }
        return f;
    }

    @Override
    public String toString() {
        return address.toString();
    }

    private static SSLContext sslContext(String cert, String key, String rootCa, ClientAuth clientAuth) {
        try {
            KeyManagerFactory keys = null;
            if (!cert.isEmpty() && clientAuth.presentsCertificate()) {
                List<X509Certificate> chain = PemFiles.certificates(TLS_CERT, cert);
                PrivateKey privateKey = PemFiles.privateKey(TLS_KEY, key);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("client", privateKey, new char[0], chain.toArray(new X509Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (rootCa.isEmpty()) {
                trust.init((KeyStore) null);
            } else {
                KeyStore cas = KeyStore.getInstance("PKCS12");
                cas.load(null, null);
                int i = 0;
                for (X509Certificate ca : PemFiles.certificates(TLS_ROOT_CA, rootCa)) {
                    cas.setCertificateEntry("ca-" + i++, ca);
                }
                trust.init(cas);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new JobsException("jobs.amqp: cannot set up TLS from tls.cert, tls.key and tls.root_ca: " + e, e);
        }
    }

    private static String string(Map<String, ?> config, String key) {
        Object v = config.get(key);
        return v == null ? "" : v.toString().trim();
    }
}
