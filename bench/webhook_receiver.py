#!/usr/bin/env python3
"""A webhook receiver for `make bench`: answers 204 at once and records, per delivery, the
event id and the lag from the event's commit (`timestamp` in the body) to its arrival.

Usage: webhook_receiver.py PORT OUT_FILE. Each line of OUT_FILE: `<arrival epoch s> <lag ms>
<event id>`. It verifies nothing (the API tests do); it only has to be fast.
"""
import json
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, OUT = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
out = open(OUT, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        arrived = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()
        try:
            event = json.loads(body)
            committed = datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()
            line = f"{arrived:.6f} {(arrived - committed) * 1000:.1f} {event['id']}\n"
        except (ValueError, KeyError):
            line = f"{arrived:.6f} -1 unreadable\n"
        with lock:
            out.write(line)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
