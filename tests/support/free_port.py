#!/usr/bin/env python3
"""Prints a TCP port on 127.0.0.1 that was free a moment ago, for the shell tests.

Like tests/support/ports.cpp: drawn at random from below the kernel's ephemeral range, so no
outgoing connection can take it before the server under test binds it.
"""
import random
import socket

try:
    with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
        low, high = (int(x) for x in f.read().split())
except (OSError, ValueError):
    low, high = 32768, 60999
first, last = (10000, low - 1) if low - 1 - 10000 >= 2000 else (high + 1, 65535)
for _ in range(500):
    port = random.randint(first, last)
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
    print(port)
    break
else:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        print(s.getsockname()[1])
