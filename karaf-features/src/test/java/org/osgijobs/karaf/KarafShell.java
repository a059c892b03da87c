package org.osgijobs.karaf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;

/**
 * Karaf's ssh exec channel, as {@code ssh karaf@host 'jobs:stat'} uses it: one command per ssh session (Karaf
 * closes the session after an exec), its printed output and its exit status. A command's returned value does not
 * travel on this channel; what a command prints does.
 */
final class KarafShell implements AutoCloseable {
    private static final Duration CONNECT = Duration.ofSeconds(20);

    /** What one command printed, and how it ended. */
    record Result(String command, String out, String err, int exitStatus) {
        boolean ok() {
            return exitStatus == 0;
        }

        @Override
        public String toString() {
            return "'" + command + "' exit " + exitStatus + "\nout: " + out + "\nerr: " + err;
        }
    }

    private final SshClient client;
    private final int port;
    private final String user;
    private final String password;

    private KarafShell(SshClient client, int port, String user, String password) {
        this.client = client;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    static KarafShell connect(int port, String user, String password) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
        return new KarafShell(client, port, user, password);
    }

    /** Runs one command in a session of its own, waiting at most {@code timeout} for it to end. */
    Result exec(String command, Duration timeout) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ClientSession session = client.connect(user, "127.0.0.1", port).verify(CONNECT).getSession()) {
            session.addPasswordIdentity(password);
            session.auth().verify(CONNECT);
            return exec(session, command, timeout, out, err);
        }
    }

    private static Result exec(ClientSession session, String command, Duration timeout, ByteArrayOutputStream out,
            ByteArrayOutputStream err) throws IOException {
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(CONNECT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            Integer status = channel.getExitStatus();
            return new Result(command, out.toString(StandardCharsets.UTF_8).strip(),
                    err.toString(StandardCharsets.UTF_8).strip(), status == null ? -1 : status);
        }
    }

    Result exec(String command) throws IOException {
        return exec(command, Duration.ofSeconds(60));
    }

    /** Runs a command that must succeed; returns what it printed. */
    String run(String command) throws IOException {
        Result result = exec(command);
        if (!result.ok()) {
            throw new AssertionError("command failed: " + result);
        }
        return result.out();
    }

    @Override
    public void close() {
        client.stop();
    }
}
