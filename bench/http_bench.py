#!/usr/bin/env python3
"""http-server against nginx and node under wrk, side by side.

  bench/http_bench.py [--http-server PATH] [--runs N] [--seconds S]
                      [--connections N]

Serves the same two routes from each server: a small one (/api/hello,
"Hello, world!\\n", answered by the server itself: nginx's `return`) and a
4 KiB file (/4k.bin, sent from the page cache: sendfile for
http-server and nginx, a read stream for node).  wrk measures each route
against each server in turn (which goes first turns, run after run).
Each server runs throughout, one process with one thread of event loop
(nginx: one worker process; node: no cluster), pinned to CPU 0 with
taskset, and wrk (one thread) to CPU 1, when the machine has two cores
or more.  nginx keeps
its open files cached (open_file_cache), as http-server does.  Prints the
median requests per second of each server over the runs and the ratios
(http-server / the other), then the median CPU time each server spent
per request (its threads' and child processes' schedstat) and the
ratios (the other / http-server): above 1, http-server is the faster or
the cheaper.  All the medians come from this one invocation.

On a machine this small the request rates measure wrk (which, on its
one core, also pays for much of the kernel's loopback) and the
machine's load as much as the server, and vary with that load.  The CPU
time per request is the server's own cost, and varies much less.

Needs wrk; nginx and node are each left out when missing.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "servers"))
from serverlib import Server, connect, cpu_time, free_port  # noqa: E402

ROUTES = {"small route": "/api/hello", "4 KiB file": "/4k.bin"}

NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  open_file_cache max=1000 inactive=60s;
  open_file_cache_valid 1s;
  default_type application/octet-stream;
  client_body_temp_path {tmp}/body;
  proxy_temp_path {tmp}/proxy;
  fastcgi_temp_path {tmp}/fastcgi;
  uwsgi_temp_path {tmp}/uwsgi;
  scgi_temp_path {tmp}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {www};
    location = /api/hello {{
      default_type text/plain;
      return 200 "Hello, world!\\n";
    }}
  }}
}}
"""

NODE_SERVER = """\
const http = require('http');
const fs = require('fs');
const path = require('path');
const root = process.argv[2];
http.createServer((req, res) => {
  if (req.url === '/api/hello') {
    res.writeHead(200, {'Content-Type': 'text/plain'});
    res.end('Hello, world!\\n');
    return;
  }
  const file = path.join(root, path.normalize(req.url));
  fs.stat(file, (err, st) => {
    if (err || !st.isFile()) {
      res.writeHead(404);
      res.end('404 Not Found\\n');
      return;
    }
    res.writeHead(200, {'Content-Type': 'application/octet-stream',
                        'Content-Length': st.size});
    fs.createReadStream(file).pipe(res);
  });
}).listen(Number(process.argv[3]), '127.0.0.1');
"""


def pinned(cpu, argv):
    if shutil.which("taskset") and (os.cpu_count() or 1) >= 2:
        return ["taskset", "-c", str(cpu)] + argv
    return argv


def wait_listening(port, proc):
    for _ in range(200):
        if proc.poll() is not None:
            sys.exit("a server exited at start: %s" % proc.args)
        try:
            connect(port).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit("nothing listens on port %d" % port)


class Process:
    """A reference server on a free port."""

    def __init__(self, argv, port):
        self.port = port
        self.proc = subprocess.Popen(pinned(0, argv),
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        wait_listening(port, self.proc)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=30)


def start(name, args, tmp, www):
    if name == "http-server":
        s = Server(pinned(0, [args.http_server, "--root", www]))
        s.stop_server = s.stop_clean
        return s
    port = free_port()
    if name == "nginx":
        conf = os.path.join(tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(tmp=tmp, port=port, www=www))
        p = Process(["nginx", "-c", conf, "-p", tmp], port)
    else:
        js = os.path.join(tmp, "server.js")
        with open(js, "w") as f:
            f.write(NODE_SERVER)
        p = Process(["node", js, www, str(port)], port)
    p.stop_server = p.stop
    return p


def wrk(server, route, args):
    """(requests per second, server's CPU seconds per request) of one wrk
    run against server."""
    cpu = cpu_time(server.proc.pid)
    r = subprocess.run(
        pinned(1, ["wrk", "-t1", "-c%d" % args.connections,
                   "-d%ds" % args.seconds, "http://127.0.0.1:%d%s"
                   % (server.port, route)]),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300,
        check=True)
    cpu = cpu_time(server.proc.pid) - cpu
    out = r.stdout.decode()
    if "Non-2xx" in out or "Socket errors" in out:
        sys.exit("wrk saw errors:\n" + out)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return (float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1)),
            cpu / requests)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--http-server",
                   default=os.path.join(HERE, "..", "build", "bin",
                                        "http-server"))
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--seconds", type=int, default=5)
    p.add_argument("--connections", type=int, default=50)
    args = p.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: wrk)")
    servers = ["http-server"] + [s for s in ("nginx", "node")
                                 if shutil.which(s)]
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        os.chmod(tmp, 0o755)  # nginx's worker runs as nobody
        www = os.path.join(tmp, "www")
        os.mkdir(www)
        with open(os.path.join(www, "4k.bin"), "wb") as f:
            f.write(bytes(i % 251 for i in range(4096)))
        # All the servers run throughout, each idle while another is
        # measured; the measurements of a route follow one another, in an
        # order that turns run after run, so that a change in the
        # machine's load hits them all.
        running = {name: start(name, args, tmp, www) for name in servers}
        for run in range(args.runs):
            order = servers[run % len(servers):] + servers[:run %
                                                           len(servers)]
            for label, route in ROUTES.items():
                for name in order:
                    results.setdefault((name, label), []).append(
                        wrk(running[name], route, args))
            print("run %d of %d done" % (run + 1, args.runs), file=sys.stderr)
        for server in running.values():
            server.stop_server()
    others = servers[1:]
    print("| route | " + " | ".join("%s (req/s)" % s for s in servers) +
          " | " + " | ".join("http-server / %s" % s for s in others) +
          " | " + " | ".join("%s (µs CPU/req)" % s for s in servers) +
          " | " + " | ".join("CPU: %s / http-server" % s for s in others) +
          " |")
    print("|" + " --- |" * (1 + 2 * len(servers) + 2 * len(others)))
    for label in ROUTES:
        rps = {s: statistics.median(r for r, _ in results[(s, label)])
               for s in servers}
        cpu = {s: statistics.median(c for _, c in results[(s, label)]) * 1e6
               for s in servers}
        print("| %s | " % label +
              " | ".join("%.0f" % rps[s] for s in servers) + " | " +
              " | ".join("%.2f" % (rps["http-server"] / rps[s])
                         for s in others) + " | " +
              " | ".join("%.1f" % cpu[s] for s in servers) + " | " +
              " | ".join("%.2f" % (cpu[s] / cpu["http-server"])
                         for s in others) + " |")

if __name__ == "__main__":
    main()
