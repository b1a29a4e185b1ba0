#!/usr/bin/env python3
"""Load test of the echo-server sample (ctest: sample.echo-server.load).

    load.py path/to/echo-server [--connections N]

Starts the server on port 0 and reads the port from its first line. Opens
N (default 1000) loopback connections, and on each sends a short greeting
and waits for its echo; only when every connection has had its greeting
echoed (so the server is serving all N at once: a server that handled one
connection at a time would hang here) does each send the rest of a
distinct payload (sizes from a few bytes to 256 KiB, some larger than the
server's 64 KiB read buffer) while reading the echo. It checks every byte.
Each client then ends its stream and expects the server's end of stream. Finally it sends SIGTERM and checks that the server
exits with status 0, printed exactly one more line (the shutdown summary),
and wrote nothing to stderr. Exits 0 on success, 1 with a message if not.
"""
import argparse
import asyncio
import os
import random
import re
import resource
import selectors
import signal
import subprocess
import sys
import tempfile
import time

START_TIMEOUT = 10  # seconds for the server to print its port
LOAD_TIMEOUT = 60  # seconds for all connections to finish
EXIT_TIMEOUT = 10  # seconds for the server to exit after SIGTERM
GREETING = 4  # bytes each connection gets echoed before the others start


def fail(msg):
    print(f"echo_load: FAIL: {msg}", flush=True)
    sys.exit(1)


def raise_fd_limit(need):
    """Raises the soft limit on open files as far as the hard limit allows
    (the server, our child, inherits it and raises its own as well)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < need:
        fail(f"the hard limit on open files is {hard}, {need} are needed")
    if soft != resource.RLIM_INFINITY and soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def payload(i):
    """The distinct payload of connection i: every 8th is 64-256 KiB, the
    others up to 16 KiB; it starts with its index so that a mix-up between
    connections shows."""
    rng = random.Random(i)
    if i % 8 == 0:
        size = rng.randint(64 * 1024 + 1, 256 * 1024)
    else:
        size = rng.randint(1, 16 * 1024)
    head = f"<{i}>".encode()
    body = rng.randbytes(max(0, size - len(head)))
    return (head + body)[:size]


def read_first_line(proc):
    """The server's first line of stdout, waiting at most START_TIMEOUT."""
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    line = b""
    deadline = time.monotonic() + START_TIMEOUT
    while not line.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not sel.select(left):
            fail("the server printed no port in time")
        chunk = os.read(proc.stdout.fileno(), 1)
        if not chunk:
            fail(f"the server exited ({proc.wait()}) before printing a port")
        line += chunk
    sel.close()
    return line.decode()


class Clients:
    """N clients that each get a greeting echoed, wait until all have, and
    then echo the rest of their payload."""

    def __init__(self, port, n):
        self.port = port
        self.n = n
        self.connected = 0
        self.greeted = 0
        self.all_greeted = asyncio.Event()
        self.bytes = 0

    async def client(self, i):
        data = payload(i)
        greeting = data[:GREETING]
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            self.connected += 1
            writer.write(greeting)
            got = await reader.readexactly(len(greeting))
            self.greeted += 1
            if self.greeted == self.n:
                self.all_greeted.set()
            await self.all_greeted.wait()

            async def send():
                writer.write(data[len(greeting):])
                await writer.drain()
                writer.write_eof()  # the server's echo then ends too

            # Read while sending: the server cannot take a large payload
            # unless its echo is read meanwhile.
            rest, _ = await asyncio.gather(reader.read(-1), send())
            got += rest
        except asyncio.IncompleteReadError as e:
            raise AssertionError(f"connection {i}: the server closed it "
                                 f"before echoing the greeting") from e
        finally:
            writer.close()
        if got != data:
            where = next((k for k, (a, b) in enumerate(zip(got, data))
                          if a != b), min(len(got), len(data)))
            raise AssertionError(f"connection {i}: sent {len(data)} bytes, "
                                 f"got {len(got)} back, first difference "
                                 f"at byte {where}")
        self.bytes += len(data)

    async def run(self):
        tasks = [asyncio.create_task(self.client(i)) for i in range(self.n)]
        try:
            await asyncio.wait_for(asyncio.gather(*tasks), LOAD_TIMEOUT)
        except asyncio.TimeoutError:
            done = sum(t.done() for t in tasks)
            fail(f"timed out: {done} of {self.n} connections done, "
                 f"{self.connected} connected, {self.greeted} greeted")
        except (AssertionError, OSError) as e:
            fail(str(e))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("server")
    ap.add_argument("--connections", type=int, default=1000)
    args = ap.parse_args()
    raise_fd_limit(args.connections + 64)

    stderr = tempfile.TemporaryFile()
    proc = subprocess.Popen([args.server, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=stderr)
    try:
        line = read_first_line(proc)
        m = re.fullmatch(r"listening on 127\.0\.0\.1:(\d+)\n", line)
        if not m or int(m.group(1)) == 0:
            fail(f"unexpected first line {line!r}")
        port = int(m.group(1))

        start = time.monotonic()
        clients = Clients(port, args.connections)
        asyncio.run(clients.run())
        took = time.monotonic() - start
        if proc.poll() is not None:
            fail(f"the server exited ({proc.returncode}) during the test")

        proc.send_signal(signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            fail("the server did not exit after SIGTERM")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    stderr.seek(0)
    err = stderr.read()
    if proc.returncode != 0:
        fail(f"the server exited with status {proc.returncode}; "
             f"stderr: {err!r}")
    if err:
        fail(f"the server wrote to stderr: {err!r}")
    expect = (r"SIGTERM: closed \d+ open connections?; "
              rf"served {args.connections} in all\n")
    if not re.fullmatch(expect, out.decode()):
        fail(f"unexpected output after the port: {out!r}")
    print(f"echo_load: {args.connections} concurrent connections echoed "
          f"{clients.bytes} bytes in {took:.1f} s; the server exited cleanly "
          f"on SIGTERM")


if __name__ == "__main__":
    main()
