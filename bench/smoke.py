#!/usr/bin/env python3
"""Runs the side-by-side benchmark programs at tiny sizes and checks their
results, not their speed (ctest bench.workloads-smoke).

    bench/smoke.py BUILD/bench

Each W1-W4 run must exit 0 (the programs check their own checksums) and
print its result lines; the W5 server must echo every byte on several
connections at once and exit by itself.  Everything runs on 1 worker, and
all but W3 on 2 as well."""

import os
import socket
import subprocess
import sys
import threading

# (workload, count, metrics that must be printed, the metric that must
# equal the count, or None)
RUNS = [
    ("w1", 1000, ["w1_chain.ns_per_call", "w1_chain.frame_bytes"], None),
    ("w2", 2000, ["w2_spawn.tasks_per_s", "w2_spawn.task_bytes"],
     "w2_spawn.n"),
    ("w3", 2000, ["w3_idle.rss_bytes_per_task", "w3_idle.task_bytes"],
     "w3_idle.n"),
    ("w3timer", 2000, ["w3_idle_timer.rss_bytes_per_task"],
     "w3_idle_timer.n"),
    ("w4", 2000, ["w4_pingpong.ns_per_switch"], "w4_pingpong.n"),
]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def run_workloads(binary, env):
    for w, n, metrics, count in RUNS:
        # W3 counts its waiters down in a plain long, as the shared
        # README writes it: the program is for one worker.
        if w.startswith("w3") and env.get("ASYNCC_WORKERS") != "1":
            continue
        p = subprocess.run([binary, w, str(n)], capture_output=True,
                           text=True, timeout=60, env=env)
        if p.returncode != 0:
            fail("%s %s %d: exit %d: %s" % (binary, w, n, p.returncode,
                                            p.stderr.strip()))
        values = {}
        for line in p.stdout.splitlines():
            fields = dict(f.split("=", 1) for f in line.split())
            if fields.get("peer") != "asyncc":
                fail("%s: not a result line: %r" % (w, line))
            values[fields["name"]] = float(fields["value"])
        for m in metrics + ([count] if count else []):
            if m not in values:
                fail("%s: no %s in %r" % (w, m, p.stdout))
        if count and values[count] != n:
            fail("%s: ran %s, not %d" % (w, values[count], n))
    print("workloads ok (%s workers)" % env.get("ASYNCC_WORKERS", "1"))


def echo_client(port, payload, rounds, errors):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            for _ in range(rounds):
                s.sendall(payload)
                got = b""
                while len(got) < len(payload):
                    chunk = s.recv(len(payload) - len(got))
                    if not chunk:
                        raise RuntimeError("connection closed early")
                    got += chunk
                if got != payload:
                    raise RuntimeError("echoed bytes differ")
    except Exception as e:  # reported by the main thread
        errors.append(repr(e))


def run_echo(binary, env):
    p = subprocess.Popen([binary, "0", "2"], stdout=subprocess.PIPE,
                         text=True, env=env)
    try:
        line = p.stdout.readline()
        if not line.startswith("listening on "):
            fail("echo: expected 'listening on PORT', got %r" % line)
        port = int(line.split()[2])
        errors = []
        clients = [threading.Thread(target=echo_client,
                                    args=(port, bytes([i]) * (64 + i), 50,
                                          errors))
                   for i in range(8)]
        for c in clients:
            c.start()
        for c in clients:
            c.join()
        if errors:
            fail("echo: " + "; ".join(errors))
        if p.wait(timeout=30) != 0:
            fail("echo: exit %d" % p.returncode)
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    print("echo ok (%s workers)" % env.get("ASYNCC_WORKERS", "1"))


def main():
    if len(sys.argv) != 2:
        fail("usage: smoke.py BUILD/bench")
    d = sys.argv[1]
    for workers in ("1", "2"):
        env = dict(os.environ, ASYNCC_WORKERS=workers)
        run_workloads(os.path.join(d, "asyncc_workloads"), env)
        run_echo(os.path.join(d, "asyncc_echo"), env)


if __name__ == "__main__":
    main()
