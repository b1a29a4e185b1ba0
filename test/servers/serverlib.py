"""Helpers for the tests of the sample servers (mini-redis, http-server):
starting one and reading the port it prints, stopping it with a signal and
checking how it ended, optionally under valgrind, and raw clients.

A server prints `listening on 127.0.0.1:PORT` once it serves; it is
started with port 0 (any free port) unless a test says otherwise.
"""

import atexit
import os
import select
import signal
import socket
import subprocess
import sys
import time

SKIP = 77  # the exit status ctest reads as "skipped" (SKIP_RETURN_CODE)

# valgrind's options: a leak or an invalid access makes the server's exit
# status 99, which stop() reports.
VALGRIND_ARGS = ["-q", "--leak-check=full",
                 "--errors-for-leak-kinds=definite,indirect",
                 "--error-exitcode=99"]


# A test stopped by a signal (ctest's timeout, a user's kill) exits
# through atexit too, and so stops its server (Server._kill).
signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def fail(msg):
    print("FAIL: %s" % msg, file=sys.stderr)
    sys.exit(1)


def skip(msg):
    print("SKIP: %s" % msg)
    sys.exit(SKIP)


def cpu_time(pid):
    """The CPU time, in seconds, that process pid's threads and its child
    processes' (nginx's workers) have used so far: the sum of their
    schedstat, in nanoseconds (Linux: /proc)."""
    pids = [pid]
    for entry in os.listdir("/proc"):
        try:
            with open("/proc/%s/stat" % entry) as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    pids.append(int(entry))
        except (OSError, ValueError, IndexError):
            continue  # not a process, or one that has ended
    total = 0
    for p in pids:
        try:
            for tid in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/schedstat" % (p, tid)) as f:
                    total += int(f.read().split()[0])
        except OSError:
            continue
    return total / 1e9


class Server:
    """A server process started from argv (plus --port 0), stdout piped."""

    def __init__(self, argv, valgrind=None, timeout=None):
        cmd = list(argv)
        if valgrind:
            supp = os.path.join(os.path.dirname(__file__), "..", "valgrind",
                                "glibc.supp")
            cmd = [valgrind] + VALGRIND_ARGS + ["--suppressions=" + supp] + cmd
        self.valgrind = bool(valgrind)
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        # A test that fails leaves no server behind.
        atexit.register(self._kill)
        self.port = self._read_port(timeout or (60 if valgrind else 10))

    def _kill(self):
        if self.alive():
            self.proc.kill()
            self.proc.wait()

    def _read_port(self, timeout):
        deadline = time.monotonic() + timeout
        line = b""
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self.proc.stdout], [], [],
                                        max(left, 0))
            if not ready:
                self.proc.kill()
                fail("the server printed no port within %d s" % timeout)
            c = os.read(self.proc.stdout.fileno(), 1)
            if not c:
                err = self.proc.stderr.read().decode(errors="replace")
                fail("the server ended before listening: %s" % err)
            line += c
        text = line.decode().strip()
        if not text.startswith("listening on 127.0.0.1:"):
            self.proc.kill()
            fail("unexpected first line: %r" % text)
        return int(text.rsplit(":", 1)[1])

    def alive(self):
        return self.proc.poll() is None

    def cpu_seconds(self):
        """The CPU time the server has used so far (Linux: /proc)."""
        return cpu_time(self.proc.pid)

    def check_idle(self, windows=15):
        """Fails unless the server, left without clients, goes idle: in one
        of `windows` seconds it uses less than a fifth of a second of CPU
        (it may first have closed connections to finish).  A task that
        spins, polled again and again without waiting, never does."""
        if not os.path.exists("/proc/%d/stat" % self.proc.pid):
            return
        for _ in range(windows):
            before = self.cpu_seconds()
            time.sleep(1)
            if self.cpu_seconds() - before < 0.2:
                return
        fail("the server keeps using CPU with no client")

    def stop(self, sig=signal.SIGTERM, timeout=None):
        """Signals the server (unless sig is None: it was signalled) and
        waits for it; returns (status, stdout, stderr).  A server that does
        not end in time is killed and the test fails."""
        timeout = timeout or (120 if self.valgrind else 30)
        if sig is not None and self.alive():
            self.proc.send_signal(sig)
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            fail("the server did not stop within %d s of signal %d"
                 % (timeout, sig))
        return (self.proc.returncode, out.decode(errors="replace"),
                err.decode(errors="replace"))

    def stop_clean(self, sig=signal.SIGTERM):
        """Stops the server and fails unless it exited with status 0 (so,
        under valgrind, with no leak and no invalid access)."""
        status, out, err = self.stop(sig)
        if status != 0:
            fail("the server exited with status %d%s\nstdout: %s\nstderr: %s"
                 % (status, " (valgrind found errors)" if status == 99 else "",
                    out, err))
        return out, err


def connect(port, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def recv_until_closed(s, timeout=10):
    """Everything the peer sends until it closes the connection."""
    s.settimeout(timeout)
    chunks = []
    while True:
        try:
            b = s.recv(65536)
        except ConnectionResetError:
            break
        except socket.timeout:
            fail("the server neither answered nor closed within %d s"
                 % timeout)
        if not b:
            break
        chunks.append(b)
    return b"".join(chunks)


def reset(s):
    """Closes s with a reset (RST) instead of the orderly end."""
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                 b"\x01\x00\x00\x00\x00\x00\x00\x00")
    s.close()


def free_port(first=23000, last=23999):
    """A port of the range that nothing listens on now."""
    for port in range(first, last + 1):
        probe = socket.socket()
        try:
            probe.bind(("127.0.0.1", port))
            return port
        except OSError:
            continue
        finally:
            probe.close()
    fail("no free port in %d-%d" % (first, last))
