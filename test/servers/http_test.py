#!/usr/bin/env python3
"""The http-server sample, driven by curl (and raw sockets where curl
would fix the request first): files, index.html, 404, 405, 400, 505,
HEAD, keep-alive, pipelining, the route that awaits a timer (and runs
concurrently), the idle timeout, and a graceful shutdown that finishes
the request in flight.

  http_test.py HTTP_SERVER

Skips (exit status 77) when curl is not installed.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, connect, fail, recv_until_closed, skip

CURL = shutil.which("curl")


def curl(port, path, *opts):
    """(status, headers, body) of a request made with curl."""
    dump = [] if "-I" in opts else ["-D", "-"]  # -I prints the head itself
    r = subprocess.run([CURL, "-s", "-S", "--path-as-is"] + dump +
                       ["http://127.0.0.1:%d%s" % (port, path)] + list(opts),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    if r.returncode != 0:
        fail("curl %s failed: %s" % (path, r.stderr.decode()))
    head, _, body = r.stdout.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def expect(what, got, want):
    if got != want:
        fail("%s: got %r, want %r" % (what, got, want))


def raw(port, data):
    """Sends raw bytes; returns everything up to the server's close."""
    s = connect(port)
    s.sendall(data)
    out = recv_until_closed(s)
    s.close()
    return out


def files(port, www):
    status, h, body = curl(port, "/hello.txt")
    expect("GET /hello.txt", (status, body), (200, b"hello, file\n"))
    expect("Content-Type", h.get("content-type"), "text/plain")
    expect("Content-Length", h.get("content-length"), "12")
    if "last-modified" not in h or "date" not in h:
        fail("no Last-Modified or Date: %r" % h)
    status, h, body = curl(port, "/", "-I")
    expect("HEAD /", (status, body, h.get("content-length")), (200, b"", "20"))
    expect("GET /", curl(port, "/")[2], b"<h1>the index</h1>\n\n")
    expect("GET /sub/ (no index)", curl(port, "/sub/")[0], 404)
    expect("GET /missing", curl(port, "/missing")[0], 404)
    expect("GET /.secret", curl(port, "/.secret")[0], 404)
    expect("GET /sub/../hello.txt", curl(port, "/sub/../hello.txt")[2],
           b"hello, file\n")
    expect("GET /../x", curl(port, "/../etc/passwd")[0], 400)
    expect("GET /with%20space.txt", curl(port, "/with%20space.txt")[2],
           b"spaced\n")
    expect("GET /%zz", curl(port, "/%zz")[0], 400)
    big = os.path.join(www, "big.bin")
    status, h, body = curl(port, "/big.bin")
    with open(big, "rb") as f:
        expect("GET /big.bin (5 MiB)", (status, body == f.read()),
               (200, True))
    status, h, body = curl(port, "/hello.txt", "-X", "POST", "-d", "x=1")
    expect("POST", (status, h.get("allow"), h.get("connection")),
           (405, "GET, HEAD", "close"))
    expect("DELETE", curl(port, "/hello.txt", "-X", "DELETE")[0], 405)
    # A file changed on disk is served anew within a second.
    with open(os.path.join(www, "changing.txt"), "w") as f:
        f.write("old\n")
    expect("GET /changing.txt", curl(port, "/changing.txt")[2], b"old\n")
    time.sleep(0.1)
    with open(os.path.join(www, "changing.txt"), "w") as f:
        f.write("new content\n")
    time.sleep(1.2)
    expect("GET /changing.txt again", curl(port, "/changing.txt")[2],
           b"new content\n")


def routes(port):
    expect("GET /api/hello", curl(port, "/api/hello")[2], b"Hello, world!\n")
    start = time.monotonic()
    expect("GET /api/delay", curl(port, "/api/delay?ms=300")[2],
           b"waited 300 ms\n")
    if time.monotonic() - start < 0.3:
        fail("/api/delay?ms=300 answered before 300 ms")
    expect("GET /api/delay?ms=x", curl(port, "/api/delay?ms=x")[0], 400)
    # Five delays at once take about one: the tasks wait together.
    start = time.monotonic()
    threads = [threading.Thread(target=curl,
                                args=(port, "/api/delay?ms=500"))
               for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if time.monotonic() - start > 2.0:
        fail("five concurrent 500 ms delays took %.1f s"
             % (time.monotonic() - start))


def connection(port):
    # Keep-alive: curl reuses the connection for the second URL.
    r = subprocess.run([CURL, "-s", "-v", "http://127.0.0.1:%d/hello.txt"
                        % port, "http://127.0.0.1:%d/api/hello" % port],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=60)
    if b"Re-using existing connection" not in r.stderr:
        fail("curl did not reuse the connection:\n%s" % r.stderr.decode())
    # Pipelining: three requests in one segment, three responses in order.
    req = (b"GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n"
           b"GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
           b"GET /missing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    out = raw(port, req)
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", out)
    expect("pipelined statuses", statuses, [b"200", b"200", b"404"])
    if out.index(b"Hello, world!") > out.index(b"hello, file"):
        fail("pipelined responses out of order")
    # HTTP/1.0 closes by default; keep-alive asks it not to.
    out = raw(port, b"GET /api/hello HTTP/1.0\r\n\r\n")
    expect("HTTP/1.0", out.startswith(b"HTTP/1.1 200 OK\r\n"), True)
    s = connect(port)
    s.sendall(b"GET /api/hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    s.settimeout(5)
    first = s.recv(4096)
    expect("HTTP/1.0 keep-alive", b"Connection: keep-alive" in first, True)
    s.close()
    # Malformed requests: an error, then the connection is closed.
    for data, status in [(b"GARBAGE\r\n\r\n", b"400"),
                         (b"GET / HTTP/2.0\r\nHost: x\r\n\r\n", b"505"),
                         (b"GET / HTTP/1.1\r\n\r\n", b"400"),
                         (b"GET / HTTP/1.1\r\nHost: x\r\nBad header\r\n\r\n",
                          b"400"),
                         (b"GET / HTTP/1.1\r\nHost: x\r\n Folded\r\n\r\n",
                          b"400"),
                         (b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\n\r\n",
                          b"431")]:
        out = raw(port, data)
        expect("status for %r" % data[:30], out.split(b" ")[1:2], [status])
    # Empty lines before a request are skipped.
    out = raw(port, b"\r\n\r\nGET /api/hello HTTP/1.1\r\nHost: x\r\n"
                    b"Connection: close\r\n\r\n")
    expect("leading empty lines", out.split(b" ")[1:2], [b"200"])


def idle_timeout(argv):
    server = Server(argv + ["--idle-timeout", "1"])
    s = connect(server.port)
    s.sendall(b"GET /api/hello HTTP/1.1\r\nHost: x\r\n\r\n")
    start = time.monotonic()
    out = recv_until_closed(s, timeout=10)
    elapsed = time.monotonic() - start
    s.close()
    if not out.startswith(b"HTTP/1.1 200") or not 0.8 < elapsed < 5:
        fail("idle connection closed after %.1f s (want about 1 s)" % elapsed)
    server.stop_clean()


def graceful_shutdown(argv):
    """A request in flight when SIGTERM comes is answered; idle
    connections are closed; new ones refused; the exit status is 0."""
    server = Server(argv)
    idle = connect(server.port)
    busy = connect(server.port)
    busy.sendall(b"GET /api/delay?ms=1000 HTTP/1.1\r\nHost: x\r\n\r\n")
    time.sleep(0.3)
    server.proc.send_signal(signal.SIGTERM)
    out = recv_until_closed(busy, timeout=10)
    if b"waited 1000 ms" not in out or b"Connection: close" not in out:
        fail("the request in flight was not finished: %r" % out)
    expect("idle connection closed", recv_until_closed(idle, timeout=10), b"")
    status, out, err = server.stop(sig=None)  # a second signal would kill
    expect("exit status", status, 0)
    if "SIGTERM" not in out:
        fail("no shutdown message: %r" % out)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    if not CURL:
        skip("curl is needed (Debian package curl)")
    with tempfile.TemporaryDirectory() as www:
        def write(name, data):
            os.makedirs(os.path.dirname(os.path.join(www, name)),
                        exist_ok=True)
            with open(os.path.join(www, name), "wb") as f:
                f.write(data)
        write("hello.txt", b"hello, file\n")
        write("index.html", b"<h1>the index</h1>\n\n")
        write("sub/x.txt", b"x\n")
        write(".secret", b"secret\n")
        write("with space.txt", b"spaced\n")
        write("big.bin", os.urandom(5 << 20))
        argv = [sys.argv[1], "--root", www]
        server = Server(argv)
        files(server.port, www)
        routes(server.port)
        connection(server.port)
        server.stop_clean()
        idle_timeout(argv)
        graceful_shutdown(argv)
    print("PASS: http-server")


if __name__ == "__main__":
    main()
