package com.enterprisehub.geo.isolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy in front of PostgreSQL that counts round trips: each time the client sends
 * after having received (or at first), that is one request the client then waits on. pgjdbc writes a
 * whole statement (Parse/Bind/Execute/Sync) before it reads, so a statement is one round trip.
 */
final class RoundTripCounter implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final AtomicLong roundTrips = new AtomicLong();

    RoundTripCounter(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "round-trip-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    long roundTrips() {
        return roundTrips.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                Direction toServer = new Direction();
                pump(client.getInputStream(), server.getOutputStream(), toServer, true);
                pump(server.getInputStream(), client.getOutputStream(), toServer, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Shared by both directions of one connection: did the server answer since the client last sent? */
    private static final class Direction {
        volatile boolean serverAnswered = true;
    }

    private void pump(InputStream in, OutputStream out, Direction state, boolean clientToServer) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[65536];
            try (in; out) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    if (clientToServer) {
                        if (state.serverAnswered) {
                            roundTrips.incrementAndGet();
                            state.serverAnswered = false;
                        }
                    } else {
                        state.serverAnswered = true;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection closed
            }
        }, "round-trip-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
