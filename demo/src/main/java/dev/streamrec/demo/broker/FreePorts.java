package dev.streamrec.demo.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Local TCP ports: one free right now, or a check that a chosen one is. */
public final class FreePorts {
    private FreePorts() {
    }

    /**
     * A port nobody listens on at this moment. Another process could take it before the caller
     * binds it; the window is milliseconds, and a broker that then fails to bind says so in its log.
     */
    public static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("No free local port", e);
        }
    }

    /** True when {@code port} can be bound on every interface (what a server with host 0.0.0.0 needs too). */
    public static boolean isFree(final int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (final IOException inUse) {
            return false;
        }
    }
}
