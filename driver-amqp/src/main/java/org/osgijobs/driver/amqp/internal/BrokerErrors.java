package org.osgijobs.driver.amqp.internal;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Method;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import com.rabbitmq.client.ShutdownSignalException;
import com.rabbitmq.client.AMQP;

/**
 * Turns the client's exceptions into one line a user can act on, without credentials.
 */
final class BrokerErrors {

    private BrokerErrors() {
    }

    /**
     * @param error   what the client threw
     * @param address the broker, for scrubbing its user name and password out of any text
     * @return a short description
     */
    static String describe(Throwable error, BrokerAddress address) {
        return scrub(plain(error), address);
    }

    /**
     * @param error what the client threw
     * @return the broker's reply code and text when the error is a refusal by the broker, else {@code null}
     */
    static String brokerReply(Throwable error) {
        ShutdownSignalException signal = find(error, ShutdownSignalException.class);
        if (signal == null) {
            return null;
        }
        Method reason = signal.getReason();
        if (reason instanceof AMQP.Channel.Close) {
            return ((AMQP.Channel.Close) reason).getReplyText();
        }
        if (reason instanceof AMQP.Connection.Close) {
            return ((AMQP.Connection.Close) reason).getReplyText();
        }
        return null;
    }

    /** @return whether the error closed only a channel, leaving the connection usable */
    static boolean isChannelRefusal(Throwable error) {
        ShutdownSignalException signal = find(error, ShutdownSignalException.class);
        return signal != null && !signal.isHardError() && signal.getReason() instanceof AMQP.Channel.Close;
    }

    /** @return the broker's reply code of a channel or connection close, or 0 */
    static int replyCode(Throwable error) {
        ShutdownSignalException signal = find(error, ShutdownSignalException.class);
        if (signal == null) {
            return 0;
        }
        Method reason = signal.getReason();
        if (reason instanceof AMQP.Channel.Close) {
            return ((AMQP.Channel.Close) reason).getReplyCode();
        }
        if (reason instanceof AMQP.Connection.Close) {
            return ((AMQP.Connection.Close) reason).getReplyCode();
        }
        return 0;
    }

    private static String plain(Throwable error) {
        if (find(error, AuthenticationFailureException.class) != null) {
            return "the broker refused the user name or password (ACCESS_REFUSED)";
        }
        if (find(error, PossibleAuthenticationFailureException.class) != null) {
            return "the broker closed the connection during login: wrong user name, password or vhost?";
        }
        SSLHandshakeException handshake = find(error, SSLHandshakeException.class);
        if (handshake != null) {
            if (find(error, CertificateException.class) != null || String.valueOf(handshake.getMessage())
                    .contains("PKIX")) {
                return "TLS handshake failed: the broker's certificate is not trusted (check tls.root_ca): "
                        + handshake.getMessage();
            }
            return "TLS handshake failed: " + handshake.getMessage();
        }
        SSLException ssl = find(error, SSLException.class);
        if (ssl != null) {
            return "TLS failed: " + ssl.getMessage();
        }
        if (find(error, ConnectException.class) != null) {
            return "connection refused (is the broker running?)";
        }
        if (find(error, UnknownHostException.class) != null) {
            return "unknown host " + find(error, UnknownHostException.class).getMessage();
        }
        if (find(error, NoRouteToHostException.class) != null) {
            return "no route to host";
        }
        if (find(error, SocketTimeoutException.class) != null || find(error, TimeoutException.class) != null) {
            return "timed out";
        }
        ShutdownSignalException signal = find(error, ShutdownSignalException.class);
        String reply = brokerReply(error);
        if (reply != null) {
            return signal.isHardError() ? "the broker closed the connection: " + reply : "the broker refused: " + reply;
        }
        SocketException broken = find(error, SocketException.class);
        if (broken != null) {
            return "the connection broke: " + broken.getMessage();
        }
        if (error instanceof AlreadyClosedException || find(error, ShutdownSignalException.class) != null) {
            return "the connection was closed";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static String scrub(String text, BrokerAddress address) {
        String out = text;
        if (address.password().length() >= 3) {
            out = out.replace(address.password(), "***");
        }
        if (address.username().length() >= 3) {
            out = out.replace(address.username(), "***");
        }
        return out;
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        Throwable t = error;
        for (int depth = 0; t != null && depth < 10; depth++) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            t = t.getCause();
        }
        return null;
    }
}
