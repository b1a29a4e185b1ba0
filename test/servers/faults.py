#!/usr/bin/env python3
"""Fault tests of the sample servers: each fault is thrown at a running
server, which must survive it, still answer a well-formed request, go
idle (no task left spinning), and stop cleanly on SIGTERM (exit status
0; under valgrind, with no leak and no invalid access).

  faults.py redis|http FAULT SERVER [server args...] [--valgrind PATH]

The http server gets a temporary --root holding the file requested.

FAULT is one of:
  reset      clients that reset the connection (RST) before, in the middle
             of and after a request, without reading the reply
  slowloris  clients that send a request a byte at a time, too slowly:
             the server's idle timeout (which the test passes as 1 s)
             must close them, while a normal client is still served
  many       10,000 connections open at once (fewer if the file
             descriptor limit does not allow as many), each served
  malformed  requests that break the protocol, each on its own connection
"""

import os
import random
import resource
import selectors
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import Server, connect, fail, recv_until_closed, reset


class Redis:
    request = b"*2\r\n$4\r\nECHO\r\n$2\r\nok\r\n"
    answer = b"$2\r\nok\r\n"
    partial = b"*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$10\r\n01234"
    timeout_args = ["--timeout", "1"]
    many_args = []
    malformed = [
        b"*abc\r\n", b"*2\r\n$3\r\nGET\r\nX\r\n", b"*1\r\n$-1\r\n",
        b"*1\r\n$999999999999\r\n", b"ECHO \"unbalanced\r\n",
        b"x" * 70000, b"*" + b"1" * 70000, b"\x00\xff\xfe\r\n\r\n",
        b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000000\r\n" + b"v" * 1000,
        b"*2147483647\r\n$4\r\nPING\r\n", b"*1\r\n$4\r\nPINGXX",
        b"SET k \"\\xZZ\"\r\n", b"\r\n\r\n\r\n",
    ]

    @staticmethod
    def complete(reply):
        return Redis.answer in reply


class Http:
    request = b"GET /hello.txt HTTP/1.1\r\nHost: test\r\n\r\n"
    answer = b"HTTP/1.1 200 OK\r\n"
    partial = b"GET /hello.txt HTTP/1.1\r\nHost: te"
    timeout_args = ["--idle-timeout", "1"]
    many_args = ["--idle-timeout", "3600"]  # longer than the test
    malformed = [
        b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET\r\n\r\n",
        b"GET /x HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70000 + b"\r\n\r\n",
        b"GET /x HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
        b"POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n",
        b"GET /../../etc/passwd HTTP/1.1\r\n\r\n",
        b"GET /x HTTP/1.1\r\nNo colon here\r\n\r\n",
        b"\x00\xff\xfe\r\n\r\n", b"GET /%zz HTTP/1.1\r\n\r\n",
        b"GET /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b" / HTTP/1.1\r\n\r\n", b"\r\n\r\n\r\n",
    ]

    @staticmethod
    def complete(reply):
        """Whether reply is a whole 200 response: head and body."""
        head, sep, body = reply.partition(b"\r\n\r\n")
        if not reply.startswith(Http.answer) or not sep:
            return False
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                return len(body) >= int(value)
        return False


def served(proto, port):
    """Whether a fresh connection gets its request answered."""
    s = connect(port)
    try:
        s.sendall(proto.request)
        got = b""
        s.settimeout(30)
        while not proto.complete(got):
            b = s.recv(65536)
            if not b:
                break
            got += b
        return proto.complete(got)
    finally:
        s.close()


def fault_reset(proto, port):
    for i in range(300):
        s = connect(port)
        if i % 3 == 1:
            s.sendall(proto.partial)
        elif i % 3 == 2:
            s.sendall(proto.request * 50)  # replies the client never reads
        reset(s)
        if i % 50 == 0 and not served(proto, port):
            fail("not served after %d resets" % (i + 1))


def fault_slowloris(proto, port):
    slow = [connect(port) for _ in range(50)]
    start = time.monotonic()
    closed = 0
    i = 0
    while closed < len(slow) and time.monotonic() - start < 20:
        for s in slow:
            if s.fileno() < 0:
                continue
            try:
                s.sendall(proto.partial[i:i + 1] or b"a")
                s.setblocking(False)
                if s.recv(1) == b"":
                    s.close()
                    closed += 1
                else:
                    s.setblocking(True)
            except (BlockingIOError, InterruptedError):
                s.setblocking(True)
            except OSError:  # reset or broken pipe: the server closed it
                s.close()
                closed += 1
        i += 1
        if not served(proto, port):
            fail("a normal client is not served during the attack")
        time.sleep(0.2)
    for s in slow:
        if s.fileno() >= 0:
            s.close()
    if closed < len(slow):
        fail("%d slow clients still open after 20 s (idle timeout 1 s)"
             % (len(slow) - closed))


def connections_allowed():
    """10,000, or what the descriptor limits of both processes allow."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return max(100, min(10000, hard - 100))


def serve_all(proto, socks, deadline):
    """Sends the request on every socket (connected or connecting) and
    waits for every reply; fails on an error or a missed deadline."""
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_WRITE, b"")
    done = 0
    while done < len(socks) and time.monotonic() < deadline:
        for key, events in sel.select(timeout=1):
            s, got = key.fileobj, key.data
            try:
                if events & selectors.EVENT_WRITE:
                    s.sendall(proto.request)
                    sel.modify(s, selectors.EVENT_READ, b"")
                    continue
                b = s.recv(65536)
            except OSError as e:
                fail("connection failed: %s" % e)
            if not b:
                fail("a connection was closed before its reply")
            got += b
            if proto.complete(got):
                sel.unregister(s)
                done += 1
            else:
                sel.modify(s, selectors.EVENT_READ, got)
    sel.close()
    if done < len(socks):
        fail("%d of %d connections served in time" % (done, len(socks)))


def fault_many(proto, port):
    n = connections_allowed()
    # A source address of its own: the 10,000 ports this takes do not
    # collide with another test's, or with the TIME_WAITs of an earlier
    # run.
    source = "127.%d.%d.%d" % (random.randrange(1, 255),
                               random.randrange(1, 255),
                               random.randrange(1, 255))
    socks = []
    deadline = time.monotonic() + 400
    # Opened a batch at a time, each batch served before the next: a burst
    # of 10,000 handshakes would overflow the listen backlog, and
    # connections the kernel drops there are not the server's doing.
    while len(socks) < n:
        batch = []
        for _ in range(min(250, n - len(socks))):
            s = socket.socket()
            s.setblocking(False)
            s.bind((source, 0))
            s.connect_ex(("127.0.0.1", port))
            batch.append(s)
        serve_all(proto, batch, deadline)
        socks += batch
    # All open at once: every one is served again.
    serve_all(proto, socks, deadline)
    if not served(proto, port):
        fail("not served with %d connections open" % n)
    for s in socks:
        reset(s)  # leaves no TIME_WAIT behind
    print("%d connections open at once, each served twice" % n)


def fault_malformed(proto, port):
    for data in proto.malformed:
        s = connect(port)
        try:
            s.sendall(data)
        except OSError:
            pass  # the server may close before reading all of it
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        recv_until_closed(s, timeout=30)
        s.close()
        if not served(proto, port):
            fail("not served after malformed request %r" % data[:40])


FAULTS = {"reset": fault_reset, "slowloris": fault_slowloris,
          "many": fault_many, "malformed": fault_malformed}


def main():
    args = sys.argv[1:]
    valgrind = None
    if "--valgrind" in args:
        i = args.index("--valgrind")
        valgrind = args[i + 1]
        del args[i:i + 2]
    if len(args) < 3 or args[0] not in ("redis", "http") or \
            args[1] not in FAULTS:
        sys.exit(__doc__)
    proto = Redis if args[0] == "redis" else Http
    fault = args[1]
    argv = args[2:]
    if fault == "slowloris":
        argv += proto.timeout_args
    if fault == "many":
        connections_allowed()  # the server inherits the raised limit
        argv += proto.many_args
    root = None
    if proto is Http:  # a root with the file the requests ask for
        root = tempfile.TemporaryDirectory()
        with open(os.path.join(root.name, "hello.txt"), "w") as f:
            f.write("hello\n")
        argv += ["--root", root.name]
    server = Server(argv, valgrind=valgrind)
    FAULTS[fault](proto, server.port)
    if not server.alive():
        fail("the server died")
    if not served(proto, server.port):
        fail("the server no longer answers")
    server.check_idle()
    server.stop_clean()
    if root is not None:
        root.cleanup()
    print("PASS: %s survives %s%s" % (os.path.basename(argv[0]), fault,
                                      " (valgrind: no leak)" if valgrind
                                      else ""))


if __name__ == "__main__":
    main()
