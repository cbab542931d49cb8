#!/usr/bin/env python3
"""Generate the four keys' benchmark history as SQL rows for plumb's events table.

usage: gen-dora.py SERVICES COMMITS_PER_SERVICE DEPLOYS_PER_SERVICE INCIDENTS_PER_SERVICE > rows.sql

Each service has a linear commit history (one commit an hour, parents in
attrs as ingestion writes them), a production deployment every
COMMITS/DEPLOYS commits (the first one a baseline) and incidents at random
times, some within the 24 hour failure window after a deployment.  The
history has no merges, rollbacks, reverts or hotfixes, so the plain SQL
version of the definitions (bench/dora.sql) must give the same answers.
Deterministic (seeded).  Rows reference source 1, run 1, raw payload 1,
services 1..SERVICES and teams 1..SERVICES, which the script creates first.
"""
import hashlib
import random
import sys

services, commits, deploys, incidents = (int(a) for a in sys.argv[1:5])
rng = random.Random(7)
T0 = 1767225600000  # 2026-01-01T00:00:00Z
HOUR = 3600000
out = sys.stdout
w = out.write

w("BEGIN;\n")
w("INSERT INTO sources (id, name, kind, config, created_at, updated_at) VALUES "
  "(1, 'bench', 'deploy', '{}', %d, %d);\n" % (T0, T0))
w("INSERT INTO ingest_runs (id, source_id, mode, actor, status, started_at) VALUES "
  "(1, 1, 'file', 'bench', 'published', %d);\n" % T0)
w("INSERT INTO raw_payloads (id, source_id, run_id, format, origin, fetched_at, sha256, size, "
  "encoding, body) VALUES (1, 1, 1, 'deploy-json', 'bench', %d, 'x', 0, 'identity', '');\n" % T0)
for s in range(1, services + 1):
    w("INSERT INTO teams (id, name, created_at) VALUES (%d, 'team-%d', %d);\n" % (s, s, T0))
    w("INSERT INTO services (id, name, created_at) VALUES (%d, 'svc-%d', %d);\n" % (s, s, T0))

COLS = ("source_id, kind, external_id, version, service_id, team_id, is_bot, occurred_at, "
        "ended_at, status, environment, sha, title, attrs, raw_id, run_id, first_seen, last_changed")
batch = []


def row(values):
    batch.append(values)
    if len(batch) == 500:
        flush()


def flush():
    if batch:
        w("INSERT INTO events (%s) VALUES\n%s;\n" % (COLS, ",\n".join(batch)))
        batch.clear()


def sha(*parts):
    return hashlib.sha1(("/".join(str(p) for p in parts)).encode()).hexdigest()


every = commits // deploys
for s in range(1, services + 1):
    prev = None
    shas = []
    for i in range(commits):
        c = sha(s, i)
        at = T0 + i * HOUR + rng.randrange(HOUR)
        attrs = '{"parents":["%s"]}' % prev if prev else '{"parents":[]}'
        row("(1,'commit','%s',1,%d,%d,0,%d,NULL,NULL,NULL,'%s','change %d','%s',1,1,%d,%d)"
            % (c, s, s, at, c, i, attrs, T0, T0))
        shas.append((c, at))
        prev = c
    finishes = []
    for d in range(deploys):
        c, at = shas[min((d + 1) * every - 1, commits - 1)]
        fin = at + HOUR // 2 + rng.randrange(3 * HOUR)
        finishes.append(fin)
        row("(1,'deployment','d-%d-%d',1,%d,%d,0,%d,%d,'success','production','%s','deploy %d',NULL,1,1,%d,%d)"
            % (s, d, s, s, fin - HOUR // 4, fin, c, d, T0, T0))
    for k in range(incidents):
        # Half within a few hours after a deployment, half anywhere.
        if k % 2 == 0:
            start = finishes[rng.randrange(deploys)] + rng.randrange(20 * HOUR)
        else:
            start = T0 + rng.randrange(commits * HOUR)
        end = start + rng.randrange(1, 48) * HOUR // 4
        row("(1,'incident','i-%d-%d',1,%d,%d,0,%d,%d,'resolved',NULL,NULL,'incident %d',NULL,1,1,%d,%d)"
            % (s, k, s, s, start, end, k, T0, T0))
flush()
w("COMMIT;\n")
