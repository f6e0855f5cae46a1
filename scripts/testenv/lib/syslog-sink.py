#!/usr/bin/env python3
"""A /dev/log stand-in for one test server: receives syslog datagrams on a unix socket
(bound onto /dev/log inside the server's mount namespace by nsexec.sh) and appends each
to a log file. Usage: syslog-sink.py SOCKET LOGFILE PIDFILE"""
import os
import socket
import sys

path, logfile, pidfile = sys.argv[1:4]
try:
    os.unlink(path)
except FileNotFoundError:
    pass
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)
with open(pidfile, "w") as f:
    f.write(str(os.getpid()))
with open(logfile, "ab", buffering=0) as out:
    while True:
        data = sock.recv(65536)
        out.write(data.rstrip(b"\0\n") + b"\n")
