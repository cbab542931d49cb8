#!/usr/bin/env python3
"""A bounded concurrent stress run of a calibration session over the JSON API (not part of `make test`).

    build/release/plumb --db /tmp/cal/demo.db init && build/release/plumb --db /tmp/cal/demo.db demo
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 python3 tests/fuzz/stress_calibration.py \
        --plumb build/asan/plumb --cli-plumb build/release/plumb \
        --db /tmp/cal/demo.db --clients 8 --duration 60 --out /tmp/cal/run

On PostgreSQL, --db is the database's URL (as for tests/fuzz/stress_api.py) and psql must be
on PATH.  On the demo's database it makes an annual cycle over one unit (--population,
default platform), has each manager submit an evaluation of every report, advances the cycle
to calibration, creates a session with the unit's leader facilitating and its managers taking
part, marks some people and opens it.  Then `plumb serve` (the --plumb binary: use the ASan
build) with a short --lock-wait, and N clients reading the session's views (status, raters,
distribution, ninebox, agreement) and proposing curves, changing ratings, trying marks (refused once open)
and reading as an outsider (refused); halfway the facilitator closes the session while the
changes go on.  Every response is recorded in OUT/responses.jsonl.  Then it checks: no 5xx but
503, each with Retry-After and a JSON error, and a JSON error on every 4xx; the server alive
and no sanitizer report; `audit verify` passes; one close; each 2xx change is one change row
and one audit entry, none after the close, each starting from the rating the one before left
(most changes go to --hot people, so changes of one rating cross); each person changed has
exactly one evaluation version from the session, holding their last change of each
dimension.  Exit 1 on a
violation, listed in OUT/violations.txt.  Python 3 standard library only.
"""
import argparse
import http.client
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CYCLE = "stresscal"
SESSION = "stresscal-session"


def log(*a):
    print("stress:", *a, file=sys.stderr, flush=True)


class Run:
    def __init__(self, args):
        self.a = args
        self.lock = threading.Lock()
        self.violations = []
        self.responses = []
        self.out = open(os.path.join(args.out, "responses.jsonl"), "w")
        self.stop = threading.Event()
        self.closed = threading.Event()
        self.rng = random.Random(args.seed)
        self.seq = 0

    def cli(self, *argv, check=True, binary=None):
        cmd = [binary or self.a.cli_plumb, "--db", self.a.db] + list(argv)
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)
        if check and p.returncode != 0:
            raise SystemExit("stress: %s failed (%d): %s" % (" ".join(argv), p.returncode, p.stderr))
        return p

    def sql(self, query):
        """Rows of a query on the database, as lists of strings."""
        if re.match(r"postgres(ql)?://", self.a.db):
            p = subprocess.run(["psql", "-XAtq", "-F", "\t", self.a.db, "-c", query],
                               capture_output=True, text=True, check=True)
            return [line.split("\t") for line in p.stdout.splitlines()]
        con = sqlite3.connect(self.a.db, timeout=60)
        try:
            return [[str(v) for v in row] for row in con.execute(query)]
        finally:
            con.close()

    def violation(self, msg):
        with self.lock:
            self.violations.append(msg)
        log("VIOLATION:", msg)

    # ---- set-up -------------------------------------------------------------------------

    def setup(self):
        a = self.a
        self.cli("cycle", "create", CYCLE, "--kind", "annual", "--scope", a.population,
                 "--from", "2026-06-01", "--to", "2026-12-31")
        fw = json.loads(self.cli("framework", "show", "--json").stdout)
        competencies = {c["id"] for c in fw["competencies"]}
        people = {p["employee_id"]: p for p in json.loads(self.cli("person", "list", "--json").stdout)}
        rows = json.loads(self.cli("cycle", "assignments", "--cycle", CYCLE, "--json").stdout)["assignments"]
        managers = set()
        self.rated = {}
        with tempfile.TemporaryDirectory() as tmp:
            for x in rows:
                if x["relation"] != "manager":
                    continue
                who, manager = x["reviewee"], x["reviewer"]
                dims = sorted(competencies)  # an annual cycle rates every competency
                doc = os.path.join(tmp, who + ".yaml")
                with open(doc, "w") as f:
                    f.write("ratings:\n")
                    for d in dims:
                        f.write("  %s: {rating: %d, no_evidence_reason: seen in one-to-ones}\n"
                                % (d, self.rng.randint(2, 4)))
                self.cli("--as", manager, "evaluation", "submit", "--cycle", CYCLE, "--person", who, doc)
                self.rated[who] = dims
                managers.add(manager)
        for _ in range(6):
            cycles = json.loads(self.cli("cycle", "list", "--json").stdout)
            if [c for c in cycles if c["name"] == CYCLE][0]["phase"] == "calibration":
                break
            self.cli("cycle", "advance", "--cycle", CYCLE)
        leader = [u["user"] for u in json.loads(self.cli("user", "list", "--json").stdout)
                  if "leader:" + a.population in u["roles"]][0]
        self.participants = sorted(m for m in managers if m != leader)
        self.facilitator = leader
        self.cli("calibrate", "session", "create", "--cycle", CYCLE, "--population", a.population,
                 "--facilitator", leader, "--participants", ",".join(self.participants),
                 "--name", SESSION)
        for who in list(self.rated)[:5]:
            self.cli("--as", self.participants[0], "calibrate", "mark", "--session", SESSION,
                     "--person", who, "--mark", "question", "--comment", "stress")
        self.cli("--as", leader, "calibrate", "session", "open", "--session", SESSION)
        outsider = [p for p in people if p not in self.rated and p not in managers and p != leader]
        self.tokens = {}
        for u in self.participants + [leader, outsider[-1]]:
            self.tokens[u] = json.loads(self.cli("token", "create", "--user", u, "--scope", "write",
                                                 "--expires", "2099-01-01", "--json").stdout)["token"]
        self.outsider = outsider[-1]
        log("session %s: %d people rated, facilitator %s, participants %s"
            % (SESSION, len(self.rated), leader, ",".join(self.participants)))

    def serve(self):
        self.err = open(os.path.join(self.a.out, "server.stderr"), "w")
        env = dict(os.environ)
        self.server = subprocess.Popen(
            [self.a.plumb, "--db", self.a.db, "--lock-wait", "3", "serve", "--listen", "127.0.0.1:0",
             "--threads", str(self.a.threads), "--timeout", "30", "--json",
             "--access-log", os.path.join(self.a.out, "access.log")],
            stdout=subprocess.PIPE, stderr=self.err, text=True, env=env)
        text = ""
        while "}" not in text:  # {"url": ...}, printed once listening, over several lines
            line = self.server.stdout.readline()
            if not line:
                raise SystemExit("stress: the server did not start (server.stderr)")
            text += line
        url = urllib.parse.urlparse(json.loads(text)["url"])
        self.host, self.port = url.hostname, url.port

    # ---- clients ------------------------------------------------------------------------

    def request(self, user, method, path, body=None, kind=""):
        headers = {"Authorization": "Bearer " + self.tokens[user]}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        started = time.time()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=90)
        try:
            conn.request(method, path, body=data, headers=headers)
            r = conn.getresponse()
            status, text = r.status, r.read().decode("utf-8", "replace")
            retry = r.getheader("Retry-After")
        except Exception as e:  # a reset or hang is a violation, not a crash of the driver
            self.violation("%s %s as %s: no answer (%s)" % (method, path, user, e))
            return None, None
        finally:
            conn.close()
        rec = {"t": started, "ms": round((time.time() - started) * 1000), "user": user,
               "method": method, "path": path, "kind": kind, "status": status, "body": text[:300]}
        with self.lock:
            self.responses.append(rec)
            self.out.write(json.dumps(rec) + "\n")
        if status >= 500 and status != 503:
            self.violation("%s %s as %s: %d %s" % (method, path, user, status, text[:200]))
        if status == 503 and not retry:
            self.violation("%s %s: 503 without Retry-After" % (method, path))
        if status >= 400:
            try:
                json.loads(text)["error"]["message"]
            except Exception:
                self.violation("%s %s: %d without a JSON error: %s" % (method, path, status, text[:200]))
        return status, text

    def client(self, seed):
        rng = random.Random(seed)
        base = "/api/v1/calibration/sessions/" + SESSION
        views = ["", "/raters", "/distribution", "/distribution?by=manager", "/ninebox", "/agreement"]
        people = sorted(self.rated)
        while not self.stop.is_set():
            user = rng.choice(self.participants + [self.facilitator])
            roll = rng.random()
            if roll < 0.45:  # most on a few people, so changes of one rating cross
                who = rng.choice(people[:self.a.hot] if rng.random() < 0.7 else people)
                with self.lock:
                    self.seq += 1
                    n = self.seq
                body = {"person": who, "dimension": rng.choice(self.rated[who]),
                        "rating": rng.randint(1, 5), "reason": "stress change %d" % n,
                        "evidence": "document:https://docs.example.com/stress/%d" % n}
                self.request(user, "POST", base + "/changes", body, kind="change")
            elif roll < 0.80:
                self.request(user, "GET", base + rng.choice(views), kind="view")
            elif roll < 0.85:  # a forced-curve proposal is a recorded POST
                self.request(user, "POST", base + "/curve", {}, kind="curve")
            elif roll < 0.95:
                status, _ = self.request(user, "POST", base + "/marks",
                                         {"person": rng.choice(people), "mark": "question"}, kind="mark")
                if status is not None and status < 300:
                    self.violation("a mark was taken while the session was open")
            else:
                status, _ = self.request(self.outsider, "GET", base, kind="outsider")
                if status is not None and status != 403:
                    self.violation("the outsider %s read the session: %d" % (self.outsider, status))

    def closer(self):
        time.sleep(self.a.duration / 2)
        path = "/api/v1/calibration/sessions/%s/close" % SESSION
        while not self.stop.is_set():
            status, text = self.request(self.facilitator, "POST", path,
                                        {"override-reason": "stress run"}, kind="close")
            if status is not None and status < 300:
                self.closed.set()
                log("closed:", text[:200])
                return
            if status != 503:
                self.violation("close answered %s: %s" % (status, (text or "")[:200]))
                return
            time.sleep(0.5)

    def run(self):
        self.setup()
        self.serve()
        try:
            self.load()
        finally:  # never leave a server on the database
            if self.server.poll() is None:
                self.server.kill()
        self.check()

    def load(self):
        threads = [threading.Thread(target=self.client, args=(self.a.seed + i,)) for i in range(self.a.clients)]
        threads.append(threading.Thread(target=self.closer))
        for t in threads:
            t.start()
        time.sleep(self.a.duration)
        self.stop.set()
        for t in threads:
            t.join()
        self.server.send_signal(signal.SIGTERM)
        try:
            self.server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.violation("the server did not stop within 60 s of SIGTERM")
            self.server.kill()
        self.out.close()
        self.err.close()

    # ---- checks -------------------------------------------------------------------------

    def check(self):
        with open(os.path.join(self.a.out, "server.stderr")) as f:
            stderr = f.read()
        for pat in ("AddressSanitizer", "runtime error:", "LeakSanitizer"):
            if pat in stderr:
                self.violation("sanitizer report in the server's stderr: " + pat)
        if self.server.returncode not in (0, None):
            self.violation("the server exited %d" % self.server.returncode)
        p = self.cli("audit", "verify", check=False)
        if p.returncode != 0:
            self.violation("audit verify: " + p.stderr.strip())
        if not self.closed.is_set():
            self.violation("the session was never closed")
        sid = self.sql("SELECT id, closed_at, status FROM calibration_sessions WHERE name = '%s'" % SESSION)[0]
        changes_ok = sum(1 for r in self.responses if r["kind"] == "change" and r["status"] < 300)
        rows = int(self.sql("SELECT COUNT(*) FROM calibration_changes WHERE session_id = %s" % sid[0])[0][0])
        audited = int(self.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change' "
                               "AND object_type = 'calibration_session' AND object_id = '%s'" % sid[0])[0][0])
        closes = int(self.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.session.close' "
                              "AND object_id = '%s'" % sid[0])[0][0])
        if not (changes_ok == rows == audited):
            self.violation("2xx changes %d, change rows %d, audit entries %d" % (changes_ok, rows, audited))
        if closes != 1 or sid[2] != "closed":
            self.violation("session status %s with %d close entries" % (sid[2], closes))
        late = self.sql("SELECT COUNT(*) FROM calibration_changes WHERE session_id = %s AND changed_at > %s"
                        % (sid[0], sid[1] if sid[1] != "None" else 0))[0][0]
        if sid[1] != "None" and int(late):
            self.violation("%s changes stored after the close" % late)
        # Each person changed: one evaluation version from the session, with each dimension's
        # last change (by id) as its rating.
        # Nobody re-rates during the run, so each change starts where the one before it left
        # the rating: two changes that read the same rating at once would both start there.
        last = {}
        for cid, pid, dim, frm, to in self.sql(
                "SELECT id, person_id, dimension, from_rating, to_rating FROM calibration_changes "
                "WHERE session_id = %s ORDER BY id" % sid[0]):
            if (pid, dim) in last and float(frm) != last[(pid, dim)]:
                self.violation("change %s of person %s %s starts from %s, the change before left %s"
                               % (cid, pid, dim, frm, last[(pid, dim)]))
            last[(pid, dim)] = float(to)
        cyc = self.sql("SELECT id FROM cycles WHERE name = '%s'" % CYCLE)[0][0]
        evs = self.sql("SELECT e.person_id, e.id FROM evaluations e WHERE e.cycle_id = %s "
                       "AND e.source = 'calibration'" % cyc)
        per_person = {}
        for pid, eid in evs:
            per_person.setdefault(pid, []).append(eid)
        for pid in {pid for pid, _ in last}:
            got = per_person.get(pid, [])
            if len(got) != 1:
                self.violation("person %s has %d evaluation versions from the session" % (pid, len(got)))
                continue
            ratings = {d: float(r) for d, r in self.sql(
                "SELECT dimension, rating FROM evaluation_ratings WHERE evaluation_id = %s" % got[0])}
            for (p2, dim), to in last.items():
                if p2 == pid and ratings.get(dim) != to:
                    self.violation("person %s %s: written %s, last change %s" % (pid, dim, ratings.get(dim), to))
        counts = {}
        for r in self.responses:
            key = "%s %d" % (r["kind"], r["status"])
            counts[key] = counts.get(key, 0) + 1
        slowest = max((r["ms"] for r in self.responses), default=0)
        summary = {"requests": len(self.responses), "by_kind_status": dict(sorted(counts.items())),
                   "changes_stored": rows, "people_written": len(per_person), "slowest_ms": slowest,
                   "violations": len(self.violations)}
        with open(os.path.join(self.a.out, "summary.json"), "w") as f:
            json.dump(summary, f, indent=1)
        with open(os.path.join(self.a.out, "violations.txt"), "w") as f:
            f.write("\n".join(self.violations) + ("\n" if self.violations else ""))
        log(json.dumps(summary))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plumb", required=True, help="the binary that serves (use the ASan build)")
    ap.add_argument("--cli-plumb", required=True, help="the binary for set-up and checks")
    ap.add_argument("--db", required=True, help="a database after plumb init and plumb demo")
    ap.add_argument("--population", default="platform", help="the unit calibrated (default platform)")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2, help="the server's worker threads")
    ap.add_argument("--duration", type=float, default=60, help="seconds of load (the close comes halfway)")
    ap.add_argument("--hot", type=int, default=3, help="people who get most of the changes")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True, help="a directory for the responses and the verdict")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    run = Run(args)
    run.run()
    sys.exit(1 if run.violations else 0)


if __name__ == "__main__":
    main()
