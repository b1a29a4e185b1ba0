#!/usr/bin/env python3
"""Compares mini-redis's replies with redis-server's, byte for byte.

  redis_compare.py MINI_REDIS

Starts both servers (redis-server on a free port of 23000-23999, with no
persistence), then sends each the same sessions of requests and requires
the same bytes back: commands with their errors (arity, wrong type, not
an integer, syntax, overflow, unknown command), pipelining, requests
split at every byte, big values, inline requests, malformed requests
(the server replies with a protocol error and closes), and expiry, on
read and by the background sweep.  Then it runs a script of commands
through the real redis-cli against each and compares the outputs.

Skips (exit status 77) when redis-server or redis-cli is not installed.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serverlib import (Server, connect, fail, free_port, recv_until_closed,
                       skip)


def cmd(*args):
    """A RESP2 request: an array of bulk strings."""
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


def session(*requests):
    return [r if isinstance(r, bytes) else cmd(*r) for r in requests]


BIG = b"x" * 100000

SESSIONS = {
    "connection": session(
        ("PING",), ("ping", "hello"), ("PING", "a", "b"), ("ECHO", "e"),
        ("ECHO",), ("echo", "a", "b"), ("DBSIZE",), ("dbsize", "x")),
    "strings": session(
        ("GET", "k"), ("SET", "k", "v"), ("GET", "k"),
        ("SET", "k", "v2", "GET"),
        ("SET", "k", "v3", "NX"), ("SET", "k", "v3", "XX"), ("GET", "k"),
        ("SET", "new", "v", "XX"), ("SET", "new", "v", "NX", "GET"),
        ("SET", "new", "w", "nx", "get"), ("GET", "new"), ("SET", "k"),
        ("GET",), ("GET", "a", "b"), ("SET", "k", "v", "FOO"),
        ("SET", "k", "v", "NX", "XX"), ("SET", "k", "v", "EX"),
        ("SET", "k", "v", "EX", "10", "PX", "100"),
        ("SET", "k", "v", "KEEPTTL", "EX", "10"),
        ("SET", "k", "v", "EX", "100", "KEEPTTL"),
        ("SET", "k", "v", "EX", "10", "EX", "100"), ("TTL", "k"),
        ("SET", "k", "v", "EX", "0"), ("SET", "k", "v", "EX", "-5"),
        ("SET", "k", "v", "PX", "abc"), ("SET", "k", "v", "EX", "1.5"),
        ("SET", "k", "v", "EX", "9223372036854775807"),
        ("SET", "k", "v", "PX", "9223372036854775807"),
        ("SET", "k", "v", "EXAT", "1"), ("GET", "k"), ("EXISTS", "k"),
        ("SET", "k", "v", "PXAT", "99999999999999"), ("TTL", "k"),
        ("SET", "k", "w", "KEEPTTL"), ("TTL", "k"), ("SET", "k", "w"),
        ("TTL", "k"), ("SET", "bin\x00key\r\n", "va\r\nl\x00ue"),
        ("GET", "bin\x00key\r\n"), ("SET", "", ""), ("GET", ""),
        ("SET", "big", BIG), ("GET", "big")),
    "counters": session(
        ("INCR", "n"), ("INCRBY", "n", "10"), ("DECR", "n"),
        ("DECRBY", "n", "5"), ("DECRBY", "n", "-5"), ("INCRBY", "n", "x"),
        ("INCRBY", "n", ""), ("INCRBY", "n", "+1"), ("INCRBY", "n", "01"),
        ("INCRBY", "n", " 1"), ("INCRBY", "n", "-0"),
        ("SET", "n", "9223372036854775806"), ("INCR", "n"), ("INCR", "n"),
        ("SET", "n", "-9223372036854775808"), ("DECR", "n"),
        ("DECRBY", "n", "-9223372036854775808"),
        ("INCRBY", "n", "9223372036854775808"), ("SET", "s", "abc"),
        ("INCR", "s"), ("SET", "s", "010"), ("INCR", "s"), ("SET", "s", "1 "),
        ("DECR", "s"), ("SET", "s", "-0"), ("INCR", "s"), ("INCR",),
        ("INCRBY", "n"), ("DECRBY", "n", "1", "2"), ("GET", "n"),
        ("SET", "t", "5", "EX", "100"), ("INCR", "t"), ("TTL", "t")),
    "keys": session(
        ("MSET", "a", "1", "b", "2", "c", "3"), ("MSET", "a"),
        ("MSET", "a", "1", "b"), ("MGET", "a", "b", "missing", "c"),
        ("MGET",), ("EXISTS", "a", "a", "missing"), ("EXISTS",),
        ("DEL", "a", "missing", "b"), ("DEL",), ("EXISTS", "a", "b", "c"),
        ("DBSIZE",), ("TYPE", "c"), ("TYPE", "missing"), ("RPUSH", "l", "x"),
        ("TYPE", "l"), ("MGET", "c", "l"), ("FLUSHALL", "x"),
        ("FLUSHALL", "async", "x"), ("FLUSHALL", "ASYNC"), ("DBSIZE",),
        ("FLUSHALL", "sync"), ("FLUSHALL",)),
    "expire": session(
        ("SET", "k", "v"), ("TTL", "k"), ("PTTL", "k"), ("TTL", "missing"),
        ("PTTL", "missing"), ("EXPIRE", "k", "50"), ("TTL", "k"),
        ("EXPIRE", "k", "60", "NX"), ("EXPIRE", "k", "60", "XX"),
        ("TTL", "k"), ("EXPIRE", "k", "10", "GT"), ("EXPIRE", "k", "100", "gt"),
        ("TTL", "k"), ("EXPIRE", "k", "200", "LT"), ("EXPIRE", "k", "20", "LT"),
        ("TTL", "k"), ("EXPIRE", "k", "10", "NX", "XX"),
        ("EXPIRE", "k", "10", "GT", "LT"), ("EXPIRE", "k", "10", "nx", "gt"),
        ("EXPIRE", "k", "10", "FOO"), ("EXPIRE", "k", "abc"),
        ("EXPIRE", "k", "9223372036854775807"),
        ("PEXPIRE", "k", "9223372036854775807"),
        ("EXPIRE", "k", "-9223372036854775808"), ("EXPIRE", "k"),
        ("PERSIST", "k"), ("PERSIST", "k"), ("TTL", "k"),
        ("PEXPIRE", "k", "100000"), ("TTL", "k"), ("SET", "p", "v"),
        ("EXPIRE", "p", "100", "XX"), ("EXPIRE", "p", "100", "GT"),
        ("EXPIRE", "p", "100", "LT"), ("TTL", "p"), ("EXPIRE", "k", "-1"),
        ("EXISTS", "k"), ("EXPIRE", "missing", "10"), ("PERSIST", "missing"),
        ("PEXPIRE", "p", "0"), ("GET", "p"), ("PERSIST",), ("TTL",),
        ("PTTL", "a", "b")),
    "lists": session(
        ("RPUSH", "l", "a", "b", "c"), ("LPUSH", "l", "z", "y"),
        ("LRANGE", "l", "0", "-1"), ("LRANGE", "l", "-2", "-1"),
        ("LRANGE", "l", "5", "10"), ("LRANGE", "l", "3", "1"),
        ("LRANGE", "l", "-100", "100"), ("LRANGE", "l", "x", "1"),
        ("LRANGE", "missing", "x", "1"), ("LRANGE", "missing", "0", "1"),
        ("LRANGE", "l", "0"), ("LLEN", "l"), ("LLEN", "missing"),
        ("LPOP", "l"), ("RPOP", "l"), ("LPOP", "l", "2"), ("LPOP", "l", "0"),
        ("LPOP", "l", "-1"), ("LPOP", "l", "x"), ("LPOP", "l", "1", "2"),
        ("LPOP", "missing"), ("LPOP", "missing", "2"), ("RPOP", "l", "5"),
        ("EXISTS", "l"), ("TYPE", "l"), ("RPUSH", "l", "only"),
        ("RPOP", "l"), ("EXISTS", "l"), ("LPUSH", "l"), ("RPUSH",)),
    "wrongtype": session(
        ("RPUSH", "l", "a"), ("SET", "s", "v"), ("GET", "l"), ("INCR", "l"),
        ("INCRBY", "l", "2"), ("DECR", "l"), ("SET", "l", "v", "GET"),
        ("LRANGE", "l", "0", "-1"), ("LPUSH", "s", "x"), ("RPUSH", "s", "x"),
        ("LLEN", "s"), ("LPOP", "s"), ("LRANGE", "s", "0", "1"),
        ("SET", "l", "v", "NX"), ("SET", "l", "v", "XX", "GET"),
        ("SET", "l", "v"), ("GET", "l"), ("TYPE", "l"), ("MGET", "l", "s"),
        ("EXPIRE", "s", "100"), ("INCRBY", "l", "x")),
    "unknown": session(
        ("FOO",), ("foo", "a", "b"), ("FOO", "x" * 200, "y"),
        ("FOO", "a" * 120, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "c"),
        ("FO\r\nO", "a\nb"), ("NUL\x00NAME", "a\x00b"), ("GET\x00",),
        ("", "x")),
    "inline": [b"PING\r\n", b"ping hello\n", b"ECHO \"a b\\x41\\n\\t\"\r\n",
               b"SET 'k k' 'it\\'s'\r\n", b"GET 'k k'\r\n", b"   \r\n",
               b"\r\n", b"\n", b"ECHO \"\"\r\n",
               b"SET a\"b c\"d v\r\n", b"GET \"a\"\"b\"\r\n",
               b"EXISTS ab\\ c\r\n", b"ECHO \"\\q\\\\\"\r\n", b"*0\r\n",
               b"*-1\r\n", cmd("PING")],
    "pipelined": [b"".join(cmd("INCR", "p") for _ in range(1000)) +
                  cmd("GET", "p") + b"".join(
                      cmd("SET", "k%d" % i, "v" * (i * 37 % 300))
                      for i in range(300)) +
                  cmd("MGET", *["k%d" % i for i in range(300)]) +
                  cmd("SET", "huge", b"h" * 1000000) + cmd("GET", "huge")],
}

# Each of these makes the server reply with a protocol error and close the
# connection, after replying to what came before.
BAD = {
    "multibulk length": cmd("PING") + b"*abc\r\n",
    "multibulk too long": b"*2147483648\r\n",
    "expected $": b"*2\r\n$3\r\nGET\r\nX\r\n",
    "expected $ newline": b"*1\r\n\n\r\n",
    "bulk length": b"*1\r\n$-1\r\n",
    "bulk length text": b"*1\r\n$x\r\n",
    "bulk too long": b"*1\r\n$999999999999\r\n",
    "unbalanced double": b"ECHO \"unbalanced\r\n",
    "unbalanced single": b"ECHO 'x\r\n",
    "quote then letter": b"ECHO \"a\"b\r\n",
    "inline too big": b"x" * 70000,
    "mbulk count too big": b"*" + b"1" * 70000,
    "bulk count too big": b"*1\r\n$" + b"1" * 70000,
}


def exchange(port, data, quit=True, split=False):
    """Sends data (then QUIT) to the server and returns every byte of the
    reply, up to the server's close."""
    s = connect(port)
    try:
        if quit:
            data += cmd("QUIT")
        if split:
            for i in range(len(data)):
                s.sendall(data[i:i + 1])
        else:
            s.sendall(data)
        return recv_until_closed(s)
    finally:
        s.close()


def compare(name, ours, theirs):
    if ours == theirs:
        return 0
    print("DIFFER: %s\n  mini-redis:   %r\n  redis-server: %r"
          % (name, ours[:600], theirs[:600]), file=sys.stderr)
    return 1


def compare_sessions(mini, redis):
    failed = 0
    for name, requests in SESSIONS.items():
        data = cmd("FLUSHALL") + b"".join(requests)
        failed += compare(name, exchange(mini, data), exchange(redis, data))
    # One session again, a byte at a time: requests split everywhere.
    data = cmd("FLUSHALL") + b"".join(SESSIONS["strings"][:30])
    failed += compare("strings, byte by byte", exchange(mini, data, split=True),
                      exchange(redis, data, split=True))
    for name, data in BAD.items():
        failed += compare("protocol error: " + name,
                          exchange(mini, data, quit=False),
                          exchange(redis, data, quit=False))
    return failed


def compare_expiry(mini, redis):
    """Keys expire when read after their time, and, unread, by the
    sweep."""
    setup = cmd("FLUSHALL") + cmd("SET", "short", "v", "PX", "50") + b"".join(
        cmd("SET", "k%d" % i, "v", "PX", "50") for i in range(200))
    for port in (mini, redis):
        exchange(port, setup)
    time.sleep(1.0)  # several sweeps, 100 ms apart
    check = cmd("DBSIZE") + cmd("GET", "short") + cmd("DBSIZE")
    return compare("expiry", exchange(mini, check), exchange(redis, check))


CLI_SCRIPT = """\
flushall
set greeting hello
get greeting
set counter 10
incr counter
incrby counter 5
decrby counter x
mset a 1 b 2
mget a b missing
rpush list one two three
lrange list 0 -1
get list
set tmp v ex 100
ttl tmp
persist tmp
ttl tmp
expire tmp 10 nx xx
del a b missing
exists a b greeting
dbsize
echo "with spaces"
ping
set k
"""


def compare_cli(cli, mini, redis):
    """The same script through redis-cli against each server."""
    outs = []
    for port in (mini, redis):
        r = subprocess.run([cli, "-p", str(port)], input=CLI_SCRIPT.encode(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=60)
        outs.append(r.stdout)
    return compare("redis-cli script", outs[0], outs[1])


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    redis_server = shutil.which("redis-server")
    redis_cli = shutil.which("redis-cli")
    if not redis_server or not redis_cli:
        skip("redis-server and redis-cli are needed "
             "(Debian packages redis-server, redis-tools)")
    mini = Server([sys.argv[1]])
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        redis = subprocess.Popen(
            [redis_server, "--port", str(port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", tmp,
             "--daemonize", "no", "--logfile", os.path.join(tmp, "log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            for _ in range(100):
                try:
                    connect(port).close()
                    break
                except OSError:
                    time.sleep(0.05)
            else:
                fail("redis-server does not listen on port %d" % port)
            failed = compare_sessions(mini.port, port)
            failed += compare_expiry(mini.port, port)
            failed += compare_cli(redis_cli, mini.port, port)
        finally:
            redis.terminate()
            redis.wait(timeout=30)
    mini.stop_clean()
    if failed:
        fail("%d comparison%s differ" % (failed, "" if failed == 1 else "s"))
    print("PASS: mini-redis replies as redis-server %d times"
          % (len(SESSIONS) + len(BAD) + 3))


if __name__ == "__main__":
    main()
