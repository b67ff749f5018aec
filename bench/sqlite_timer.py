"""pgbench's job on SQLite: runs every statement of a script, in order, as one transaction, again
and again for DURATION seconds on one connection, and prints `p50_ms p99_ms runs`.

usage: sqlite_timer.py DATABASE SCRIPT DURATION
"""
import sqlite3
import sys
import time

database, script, duration = sys.argv[1], sys.argv[2], float(sys.argv[3])
statements = [s.strip() for s in open(script, encoding="utf-8").read().split(";")]
statements = [s for s in statements if any(not l.strip().startswith("--") and l.strip() for l in s.splitlines())]
db = sqlite3.connect(database)
latencies = []
deadline = time.monotonic() + duration
while time.monotonic() < deadline or not latencies:
    started = time.perf_counter()
    for statement in statements:
        db.execute(statement).fetchall()
    latencies.append((time.perf_counter() - started) * 1000)
latencies.sort()
pick = lambda q: latencies[max(0, min(len(latencies) - 1, -(-len(latencies) * q // 100) - 1))]
print(f"{pick(50):.3f} {pick(99):.3f} {len(latencies)}")
