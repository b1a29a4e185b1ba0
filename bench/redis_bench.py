#!/usr/bin/env python3
"""mini-redis against redis-server under redis-benchmark, side by side.

  bench/redis_bench.py [--mini-redis PATH] [--runs N] [--requests N]
                       [--clients N] [--tests LIST]

Runs redis-benchmark against each server in turn, test by test (which
server goes first alternates, run after run), at pipelining depths 1
and 16.  The servers run throughout, pinned to CPU 0 with taskset, and
redis-benchmark to CPU 1, when the machine has two cores or more.
redis-server runs without persistence, as a cache would.  Prints, for
each test and depth, the median requests per second of each server over
the runs and their ratio (mini-redis / redis-server), then the median
CPU time each server spent per request (its threads' schedstat) and
their ratio (redis-server / mini-redis): above 1, mini-redis is the
faster or the cheaper.  All the medians come from this one invocation.

On a machine this small the request rates measure the client (which,
on its one core, also pays for much of the kernel's loopback) and the
machine's load as much as the server, and vary with that load.  The CPU
time per request is the server's own cost, and varies much less.

Needs redis-server and redis-benchmark (Debian: redis-server,
redis-tools).
"""

import argparse
import csv
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "servers"))
from serverlib import Server, connect, cpu_time, free_port  # noqa: E402


def pinned(cpu, argv):
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu)] + argv
    return argv


def start_redis(tmp):
    port = free_port()
    proc = subprocess.Popen(
        pinned(0, ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                   "--save", "", "--appendonly", "no", "--dir", tmp,
                   "--daemonize", "no", "--logfile", os.path.join(tmp, "log")]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        try:
            connect(port).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("redis-server does not listen on port %d" % port)


def benchmark(port, pid, args, pipeline, test):
    """(test name, requests per second, server's CPU seconds per request)
    of one redis-benchmark run against server pid."""
    cpu = cpu_time(pid)
    r = subprocess.run(
        pinned(1, ["redis-benchmark", "-p", str(port), "-n",
                   str(args.requests), "-c", str(args.clients), "-P",
                   str(pipeline), "-t", test, "--csv"]),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=600,
        check=True)
    rows = csv.reader(io.StringIO(r.stdout.decode()))
    header = next(rows)
    rps = header.index("rps")
    row = next(rows)
    return row[0], float(row[rps]), (cpu_time(pid) - cpu) / args.requests


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--mini-redis",
                   default=os.path.join(HERE, "..", "build", "bin",
                                        "mini-redis"))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--requests", type=int, default=200000)
    p.add_argument("--clients", type=int, default=50)
    # The commands mini-redis has: no lists (LPUSH, LPOP), whose errors
    # would be timed as answers.
    p.add_argument("--tests", default="ping_inline,ping_mbulk,set,get,incr,"
                   "mset")
    args = p.parse_args()
    for tool in ("redis-server", "redis-benchmark"):
        if not shutil.which(tool):
            sys.exit("%s is not installed (Debian: redis-server, redis-tools)"
                     % tool)
    results = {}  # (server, depth, test) -> [rps, ...]
    names = ["mini-redis", "redis-server"]
    with tempfile.TemporaryDirectory() as tmp:
        # Both servers run throughout, each idle while the other is
        # measured; each measurement of one is next to one of the other,
        # in turns, so that a change in the machine's load hits both.
        proc, redis_port = start_redis(tmp)
        mini = Server(pinned(0, [args.mini_redis]))
        ports = {"mini-redis": (mini.port, mini.proc.pid),
                 "redis-server": (redis_port, proc.pid)}
        for run in range(args.runs):
            for depth in (1, 16):
                for test in args.tests.split(","):
                    for name in names if run % 2 == 0 else names[::-1]:
                        label, rps, cpu = benchmark(*ports[name], args, depth,
                                                    test)
                        results.setdefault((name, depth, label),
                                           []).append((rps, cpu))
            print("run %d of %d done" % (run + 1, args.runs), file=sys.stderr)
        proc.terminate()
        proc.wait(timeout=30)
        mini.stop_clean()
    tests = sorted({t for (_, _, t) in results},
                   key=lambda t: list(k[2] for k in results).index(t))
    print("| test | -P | mini-redis (req/s) | redis-server (req/s) | ratio "
          "| mini-redis (µs CPU/req) | redis-server (µs CPU/req) "
          "| CPU ratio |")
    print("|" + " --- |" * 8)
    for depth in (1, 16):
        for test in tests:
            ours = results[("mini-redis", depth, test)]
            theirs = results[("redis-server", depth, test)]
            rps = [statistics.median(r for r, _ in x) for x in (ours, theirs)]
            cpu = [statistics.median(c for _, c in x) * 1e6
                   for x in (ours, theirs)]
            print("| %s | %d | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |"
                  % (test, depth, rps[0], rps[1], rps[0] / rps[1], cpu[0],
                     cpu[1], cpu[1] / cpu[0]))

if __name__ == "__main__":
    main()
