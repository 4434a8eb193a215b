#!/usr/bin/env python3
"""The host end of the board's UART0.

QEMU's `-serial tcp:127.0.0.1:PORT` makes the board's UART0 a TCP client of this server.
It accepts one connection, tells the firmware what to do with one line, and then:

  echo                 sends back every byte it receives (the transport test);
  proxy HOST:PORT MODE relays bytes both ways to a TCP server, e.g. `openssl s_server`
                       (the TLS tests), and logs the byte counts. MODE is what the
                       firmware should expect: tls (a trusted server) or tls-untrusted.

The line is "lucid-mcu MODE\\n" (MODE: echo, tls or tls-untrusted). It ends when the
firmware's side closes (QEMU exits).
Usage: peer.py READY_FILE echo | peer.py READY_FILE proxy HOST:PORT MODE.
The server listens on a free port and writes that port into READY_FILE once listening, so
the run script knows where to point QEMU and when to start it.
"""
import os
import selectors
import socket
import sys

TIMEOUT = 300


def echo(conn: socket.socket) -> None:
    conn.sendall(b"lucid-mcu echo\n")
    total = 0
    while data := conn.recv(4096):
        conn.sendall(data)
        total += len(data)
    print(f"peer: {total} bytes echoed", file=sys.stderr)


def proxy(conn: socket.socket, target: str, mode: str) -> None:
    host, port = target.rsplit(":", 1)
    upstream = socket.create_connection((host, int(port)), timeout=TIMEOUT)
    conn.sendall(f"lucid-mcu {mode}\n".encode())
    counts = {conn: 0, upstream: 0}
    other = {conn: upstream, upstream: conn}
    sel = selectors.DefaultSelector()
    for s in (conn, upstream):
        sel.register(s, selectors.EVENT_READ)
    open_ends = 2
    while open_ends:
        events = sel.select(TIMEOUT)
        if not events:
            break
        for key, _ in events:
            s = key.fileobj
            try:
                data = s.recv(4096)
            except ConnectionResetError:
                # A server that refuses the handshake may reset rather than close.
                data = b""
            if not data:
                sel.unregister(s)
                open_ends -= 1
                try:
                    other[s].shutdown(socket.SHUT_WR)
                except OSError:
                    pass
                continue
            other[s].sendall(data)
            counts[s] += len(data)
    print(
        f"peer: {counts[conn]} bytes board -> server, {counts[upstream]} bytes server -> board",
        file=sys.stderr,
    )
    upstream.close()


def main() -> int:
    ready, mode = sys.argv[1], sys.argv[2]
    with socket.create_server(("127.0.0.1", 0)) as server:
        server.settimeout(TIMEOUT)
        tmp = ready + ".tmp"
        with open(tmp, "w") as f:
            f.write(str(server.getsockname()[1]))
        os.replace(tmp, ready)
        conn, _ = server.accept()
    with conn:
        conn.settimeout(TIMEOUT)
        if mode == "echo":
            echo(conn)
        elif mode == "proxy":
            proxy(conn, sys.argv[3], sys.argv[4])
        else:
            raise SystemExit(f"unknown mode {mode}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
