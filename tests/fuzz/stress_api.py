#!/usr/bin/env python3
"""A bounded concurrent stress run of plumb's JSON API and webhooks (not part of `make test`).

    scripts/pg-cluster start /tmp/pgstress && . /tmp/pgstress/env
    psql "$PLUMB_PG_URL/postgres" -c "CREATE DATABASE stress"
    build/asan/plumb --db "$PLUMB_PG_URL/stress" init && build/asan/plumb --db "$PLUMB_PG_URL/stress" demo
    ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 python3 tests/fuzz/stress_api.py \
        --plumb build/asan/plumb --cli-plumb build/release/plumb \
        --db "$PLUMB_PG_URL/stress" --clients 12 --duration 180 --out /tmp/pgstress/run
    scripts/pg-cluster stop /tmp/pgstress

It works on SQLite too (--db FILE after `plumb init` and `plumb demo`).  It adds people,
sources with webhook secrets and tokens for five roles (admin, manager, people partner,
employee, analyst), starts `plumb serve` (the --plumb binary: use the ASan build) with a
short --lock-wait, and runs N clients issuing reads of every list route, writes, signed
webhook deliveries (with repeated delivery ids), and now and then a CLI `ingest` or
`dashboard refresh` on the same database to hold its write lock.  Every response is
recorded in OUT/responses.jsonl.  Then it checks: no 5xx but 503, each 503 with
Retry-After and a JSON error; no reset or hang; the server alive and no sanitizer report
in its stderr; `audit verify` passes; each 2xx write of an operation the CLI does not
also run has one audit entry; concurrent identical writes stored once.  Exit 1 on a
violation, with the list in OUT/violations.txt.  Python 3 standard library only.
"""
import argparse
import collections
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse

GH_SECRET = "stress-gh-secret"
PD_SECRET = "stress-pd-secret"
HOOK_TOKEN = "stress-deploy-token"
NEW_PEOPLE = 60


def log(*a):
    print("stress:", *a, file=sys.stderr, flush=True)


class Run:
    def __init__(self, args):
        self.a = args
        self.lock = threading.Lock()
        self.records = []
        self.violations = []
        self.out = open(os.path.join(args.out, "responses.jsonl"), "w")
        self.stop = threading.Event()
        self.rng = random.Random(args.seed)
        self.delivery_seq = 0
        self.uniq = 0

    def cli(self, *argv, binary=None, check=True, timeout=600):
        cmd = [binary or self.a.cli_plumb, "--db", self.a.db] + list(argv)
        env = dict(os.environ, ASAN_OPTIONS="detect_leaks=0")
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
        if check and p.returncode != 0:
            raise SystemExit("stress: %s failed (%d): %s" % (" ".join(argv), p.returncode, p.stderr))
        return p

    def violation(self, msg):
        with self.lock:
            self.violations.append(msg)
        log("VIOLATION:", msg)

    def next_id(self):
        with self.lock:
            self.uniq += 1
            return self.uniq


def setup(run):
    a = run.a
    # People with no user yet, for concurrent identical `user add`s.
    tag = "%x" % (int(time.time()) & 0xFFFFF)
    run.tag = tag
    rows = ["employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,"
            "github_login,jira_account_id,pagerduty_user_id,emails"]
    # Only the new people: org import adds and updates, it does not remove who is not listed
    # (checked below: the people count only grows).
    before = json.loads(run.cli("org", "show", "--json").stdout)
    run.new_people = ["S%s%03d" % (tag, i) for i in range(NEW_PEOPLE)]
    for pid in run.new_people:
        rows.append("%s,Stress %s,%s@stress.example,E005,payments,Engineer,L2,ic,engineer,US,2024-01-01,,,,," %
                    (pid, pid, pid.lower()))
    path = os.path.join(a.out, "people.csv")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")
    p = run.cli("org", "import", path, "--dry-run", check=False)
    if "remove" in p.stdout.lower() or "end" in p.stdout.lower() and "ended" not in p.stdout.lower():
        log("org import dry run says:", p.stdout[:400])
    run.cli("org", "import", path)
    after = json.loads(run.cli("org", "show", "--json").stdout)
    log("people before/after import:", json.dumps(before)[:120], "/", json.dumps(after)[:120])
    analyst = run.new_people[-1]
    run.cli("user", "add", "--person", analyst, "--role", "analyst")
    run.new_people = run.new_people[:-1]
    srcs = json.loads(run.cli("source", "list", "--json").stdout)
    names = {s.get("name") for s in srcs} if isinstance(srcs, list) else set()
    if "st-hooks" not in names:
        run.cli("source", "add", "deploy", "--name", "st-hooks", "--webhook-secret-env", "STRESS_HOOK_TOKEN")
        run.cli("source", "add", "github", "--name", "st-gh", "--repo", "acme/widgets",
                "--webhook-secret-env", "STRESS_GH_SECRET")
        run.cli("source", "add", "pagerduty", "--name", "st-pd", "--webhook-secret-env", "STRESS_PD_SECRET")
    run.tokens = {}
    for role, user, scope in [("admin", "admin", "write"), ("manager", "E005", "write"),
                              ("people-partner", "E023", "write"), ("employee", "E100", "write"),
                              ("analyst", analyst, "write"), ("admin-read", "admin", "read")]:
        t = json.loads(run.cli("token", "create", "--user", user, "--scope", scope, "--expires",
                               "2099-01-01", "--json").stdout)["token"]
        run.tokens[role] = t
    # A large ingest file for the CLI writer that holds the write lock.
    n = a.ingest_events
    deps = []
    base = int(time.time()) - 86400 * 30
    for i in range(n):
        ts = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + i * 60))
        deps.append({"id": "bulk-%s-%d" % (tag, i), "service": "checkout-web", "environment": "production",
                     "sha": hashlib.sha1(b"%d" % i).hexdigest(), "started": ts, "finished": ts,
                     "status": "success"})
    run.bulk = os.path.join(a.out, "bulk.json")
    with open(run.bulk, "w") as f:
        json.dump({"deployments": deps}, f)
    run.seq0 = last_seq(run)


def last_seq(run):
    p = run.cli("audit", "log", "--json", "--limit", "1")
    entries = json.loads(p.stdout)
    return entries[-1]["seq"] if entries else 0


def start_server(run):
    a = run.a
    env = dict(os.environ, STRESS_HOOK_TOKEN=HOOK_TOKEN, STRESS_GH_SECRET=GH_SECRET, STRESS_PD_SECRET=PD_SECRET)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1")
    run.serve_err = open(os.path.join(a.out, "serve.err"), "w")
    out = os.path.join(a.out, "serve.out")
    cmd = [a.plumb, "--db", a.db, "--lock-wait", str(a.lock_wait), "serve", "--listen", "127.0.0.1:0", "--json",
           "--threads", str(a.threads), "--timeout", str(a.timeout),
           "--access-log", os.path.join(a.out, "access.log")] + a.serve_arg
    run.server = subprocess.Popen(cmd, stdout=open(out, "w"), stderr=run.serve_err, env=env)
    for _ in range(600):
        try:
            with open(out) as f:
                m = re.search(r'"url": *"http://([^"/]+)"', f.read())
            if m:
                host, port = m.group(1).rsplit(":", 1)
                run.host, run.port = host, int(port)
                return
        except FileNotFoundError:
            pass
        if run.server.poll() is not None:
            raise SystemExit("stress: plumb serve exited %d" % run.server.returncode)
        time.sleep(0.05)
    raise SystemExit("stress: plumb serve did not start")


def request(run, kind, method, path, body=None, headers=None, role=None, expect=None):
    """One request; its record goes to responses.jsonl, and the invariants on it are checked."""
    h = dict(headers or {})
    if role:
        h["Authorization"] = "Bearer " + run.tokens[role]
    if body is not None and not isinstance(body, bytes):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    t0 = time.monotonic()
    rec = {"t": round(time.time(), 3), "kind": kind, "method": method, "path": path, "role": role}
    conn = http.client.HTTPConnection(run.host, run.port, timeout=run.a.timeout + 75)
    status, data, rh = None, b"", {}
    try:
        conn.request(method, path, body=body, headers=h)
        resp = conn.getresponse()
        status = resp.status
        data = resp.read()
        rh = {k.lower(): v for k, v in resp.getheaders()}
    except Exception as e:  # reset, timeout, refused
        rec["error"] = "%s: %s" % (type(e).__name__, e)
    finally:
        conn.close()
    rec["dt"] = round(time.monotonic() - t0, 3)
    rec["status"] = status
    try:
        doc = json.loads(data) if data else None
    except ValueError:
        doc = None
    if status is None:
        run.violation("%s %s: no answer (%s) after %.1f s" % (method, path, rec["error"], rec["dt"]))
    elif status >= 500 and status != 503:
        run.violation("%s %s: %d %s" % (method, path, status, data[:300]))
    elif status == 503:
        if "retry-after" not in rh:
            run.violation("%s %s: 503 without Retry-After" % (method, path))
        if not (isinstance(doc, dict) and isinstance(doc.get("error"), dict)):
            run.violation("%s %s: 503 without a JSON error body: %r" % (method, path, data[:200]))
    # --timeout bounds the wait for a request's reading, not its answer: a request may wait
    # up to it for its thread, then run as long as it takes (a dashboard refresh under ASan
    # on PostgreSQL, some 20 s).  Past both, a hang.
    if status is not None and rec["dt"] > run.a.timeout + 60:
        run.violation("%s %s: answered after %.1f s" % (method, path, rec["dt"]))
    if status and status >= 400 and isinstance(doc, dict) and isinstance(doc.get("error"), dict):
        rec["code"] = doc["error"].get("code")
        rec["message"] = (doc["error"].get("message") or "")[:200]
    if isinstance(doc, dict) and kind.startswith("webhook"):
        rec["wh"] = {k: doc.get(k) for k in ("duplicate", "queued", "ignored", "run_id", "inserted")}
    if expect:
        rec.update(expect)
    with run.lock:
        run.records.append(rec)
        run.out.write(json.dumps(rec) + "\n")
    return status, doc, rh


# --- the mix -----------------------------------------------------------------------------

READ_ROLES = ["admin", "manager", "people-partner", "employee", "analyst", "admin-read"]


def list_routes(run):
    st, doc, _ = request(run, "read", "GET", "/api/v1", role="admin")
    if st != 200:
        raise SystemExit("stress: GET /api/v1 answered %s" % st)
    run.routes = doc
    gets = [r["path"] for r in doc if r["method"] == "GET" and "{" not in r["path"]]
    fill = {"{id}": "E100", "{key}": "lead_time", "{cycle}": "2026-annual", "{person}": "E100",
            "{for}": "E100", "{system}": "github", "{login}": "matthewbrown76", "{a}": "1", "{b}": "1",
            "{ref}": "metric-value:2"}
    for r in doc:
        if r["method"] == "GET" and "{" in r["path"] and "session" not in r["path"]:
            p = r["path"]
            for k, v in fill.items():
                p = p.replace(k, v)
            if "{" not in p:
                gets.append(p)
    query = {"/api/v1/events": "?kind=deployment&limit=50", "/api/v1/metrics/suggest": "?service=checkout-web",
             "/api/v1/services/owner-of": "?repo=acme/checkout-web",
             "/api/v1/cycles/2026-annual/packets/E100": "?target-level=L3"}
    gets = [g + query.get(g, "") for g in gets]
    # Those that are slow and hold nothing worth the time each go (reconcile, retention plan) stay in.
    run.gets = gets
    log("%d GET routes" % len(gets))


def op_read(run, rng):
    path = rng.choice(run.gets)
    if rng.random() < 0.2 and "?" not in path:
        path += "?per_page=%d" % rng.randint(1, 5)
    request(run, "read", "GET", path, role=rng.choice(READ_ROLES))


def op_user_add_same(run, rng):
    """All clients pick from the same few people: identical concurrent adds."""
    with run.lock:
        pool = run.new_people[:3]
    if not pool:
        return
    pid = rng.choice(pool)
    st, _, _ = request(run, "write", "POST", "/api/v1/users", {"person": pid, "role": "employee"}, role="admin",
                       expect={"op": "user.add", "key": pid})
    if st == 200 or st == 409:
        with run.lock:
            if rng.random() < 0.3 and pid in run.new_people:
                run.new_people.remove(pid)


def op_metrics_set(run, rng):
    v = rng.choice(["24", "48", "12"])
    request(run, "write", "POST", "/api/v1/metrics/settings", {"args": ["failure_window_hours", v]},
            role="admin", expect={"op": "metrics.set"})


def op_objective(run, rng):
    name = "stress-objective-%s-%d" % (run.tag, rng.randint(0, 30))
    request(run, "write", "POST", "/api/v1/objectives", {"args": [name], "description": "stress"},
            role="admin", expect={"op": "objectives.add", "key": name})


def op_source_set(run, rng):
    bots = rng.sample(["dependabot", "renovate", "ci-bot", "release-bot"], rng.randint(1, 3))
    request(run, "write", "POST", "/api/v1/sources/st-gh/settings", {"bot": bots}, role="admin",
            expect={"op": "source.set"})


def op_calendar(run, rng):
    day = "2027-%02d-%02d" % (rng.randint(1, 12), rng.randint(1, 28))
    st, doc, _ = request(run, "write", "POST", "/api/v1/calendar",
                         {"name": "stress %d" % rng.randint(0, 1000), "kind": "freeze", "from": day, "to": day},
                         role=rng.choice(["admin", "people-partner"]), expect={"op": "calendar.add"})
    if st == 200 and isinstance(doc, dict) and doc.get("id") and rng.random() < 0.5:
        request(run, "write", "DELETE", "/api/v1/calendar/%s?reason=stress" % doc["id"], role="admin",
                expect={"op": "calendar.remove"})


def op_metric_values(run, rng):
    key = rng.choice(["lead_time", "deployment_frequency", "change_failure_rate"])
    request(run, "write", "POST", "/api/v1/metrics/%s/values" % key, {"team": rng.choice(["payments", "search"])},
            role=rng.choice(["admin", "manager", "employee", "analyst"]), expect={"op": "metrics.show"})


def op_dora(run, rng):
    request(run, "write", "POST", "/api/v1/dora", {"team": rng.choice(["payments", "search", "sre"])},
            role=rng.choice(["admin", "manager", "analyst"]), expect={"op": "dora"})


def op_service(run, rng):
    name = "stress-svc-%s-%d" % (run.tag, rng.randint(0, 5))
    request(run, "write", "POST", "/api/v1/services", {"args": [name], "team": rng.choice(["payments", "search"])},
            role="admin", expect={"op": "service.set", "key": name})


def op_hold(run, rng):
    st, doc, _ = request(run, "write", "POST", "/api/v1/holds", {"person": "E1%02d" % rng.randint(0, 20),
                                                                   "reason": "stress case"},
                         role="admin", expect={"op": "hold.add"})


def op_consent(run, rng):
    request(run, "write", "POST", "/api/v1/consents/" + rng.choice(["grant", "withdraw"]),
            {"mechanism": "calendar_data", "note": "stress"}, role="employee", expect={"op": "consent"})


def op_slo(run, rng):
    n = rng.randint(0, 3)
    y = ("apiVersion: openslo/v1\nkind: SLO\nmetadata:\n  name: stress-slo-%d\nspec:\n  service: checkout-web\n"
         "  indicator:\n    metadata:\n      name: stress-ratio\n    spec:\n      ratioMetric:\n"
         "        counter: false\n        good:\n          metricSource:\n            type: Prometheus\n"
         "            spec:\n              query: good\n        total:\n          metricSource:\n"
         "            type: Prometheus\n            spec:\n              query: total\n"
         "  budgetingMethod: Occurrences\n  objectives:\n    - target: 0.99%d\n  timeWindow:\n"
         "    - duration: 28d\n      isRolling: true\n" % (n, rng.randint(0, 9)))
    request(run, "write", "POST", "/api/v1/slos", y.encode(), headers={"Content-Type": "application/yaml"},
            role="admin", expect={"op": "slo.import"})


def op_pause(run, rng):
    verb = rng.choice(["pause", "resume"])
    body = {"reason": "stress"} if verb == "pause" else {}
    request(run, "write", "POST", "/api/v1/sources/jira/%s" % verb, body, role="admin",
            expect={"op": "source." + verb})


def op_feedback(run, rng):
    y = b"answers:\n  strengths: stress run text\n"
    request(run, "write", "POST", "/api/v1/cycles/2026-q4-checkin/feedback/E100?draft&relation=self", y,
            headers={"Content-Type": "application/yaml"}, role="employee", expect={"op": "feedback.submit"})


def op_refresh_api(run, rng):
    request(run, "write", "POST", "/api/v1/dashboard/refresh", {}, role="admin",
            expect={"op": "dashboard.refresh"})


def ts(ago):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - ago))


def op_webhook_deploy(run, rng):
    with run.lock:
        run.delivery_seq += 1
        n = run.delivery_seq
    # One in four repeats an earlier delivery id, sent by two clients at once.
    did = "st-%s-%d" % (run.tag, n if rng.random() > 0.25 else max(1, n - rng.randint(0, 2)))
    body = json.dumps({"deployments": [{"id": did, "service": rng.choice(["checkout-web", "search-api"]),
                                        "environment": "production", "sha": hashlib.sha1(did.encode()).hexdigest(),
                                        "started": ts(3600), "finished": ts(3500), "status": "success"}]}).encode()
    request(run, "webhook-deploy", "POST", "/webhooks/deploy", body,
            headers={"Authorization": "Bearer " + HOOK_TOKEN, "X-Delivery-Id": did, "Content-Type": "application/json"},
            expect={"delivery": did})


def op_webhook_github(run, rng):
    with run.lock:
        run.delivery_seq += 1
        n = run.delivery_seq
    did = "gh-%s-%d" % (run.tag, n if rng.random() > 0.25 else max(1, n - 1))
    sha = hashlib.sha1(did.encode()).hexdigest()
    doc = {"ref": "refs/heads/main", "before": "1" * 40, "after": sha,
           "repository": {"id": 4242, "name": "widgets", "full_name": "acme/widgets",
                          "owner": {"login": "acme", "id": 900}, "default_branch": "main"},
           "pusher": {"name": "alice", "email": "alice@example.com"},
           "sender": {"login": "alice", "id": 1001},
           "commits": [{"id": sha, "message": "stress %s" % did, "timestamp": ts(600),
                        "author": {"name": "alice", "email": "alice@example.com", "username": "alice"},
                        "distinct": True}],
           "head_commit": {"id": sha, "message": "stress", "timestamp": ts(600),
                           "author": {"name": "alice", "email": "alice@example.com", "username": "alice"}}}
    body = json.dumps(doc).encode()
    sig = "sha256=" + hmac.new(GH_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request(run, "webhook-github", "POST", "/webhooks/github", body,
            headers={"X-GitHub-Event": "push", "X-GitHub-Delivery": did, "X-Hub-Signature-256": sig,
                     "Content-Type": "application/json"}, expect={"delivery": did})


def op_webhook_pd(run, rng):
    with run.lock:
        run.delivery_seq += 1
        n = run.delivery_seq
    iid = "QST%s%d" % (run.tag.upper(), n)
    doc = {"event": {"id": "EV%s%d" % (run.tag, n), "event_type": "incident.triggered", "resource_type": "incident",
                     "occurred_at": ts(300), "agent": None, "client": None,
                     "data": {"id": iid, "type": "incident", "number": n, "status": "triggered",
                              "incident_key": "k%d" % n, "created_at": ts(300), "title": "stress",
                              "service": {"id": "PSVC001", "type": "service_reference", "summary": "checkout"},
                              "assignees": [], "teams": [], "urgency": "high"}}}
    body = json.dumps(doc).encode()
    sig = "v1=" + hmac.new(PD_SECRET.encode(), body, hashlib.sha256).hexdigest()
    request(run, "webhook-pagerduty", "POST", "/webhooks/pagerduty", body,
            headers={"X-PagerDuty-Signature": sig, "Content-Type": "application/json"})


def op_webhook_bad(run, rng):
    request(run, "webhook-bad", "POST", "/webhooks/github", b'{"x":1}',
            headers={"X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + "0" * 64})


MIX = [(op_read, 50), (op_user_add_same, 4), (op_metrics_set, 3), (op_objective, 3), (op_source_set, 2),
       (op_calendar, 3), (op_metric_values, 4), (op_dora, 3), (op_service, 2), (op_hold, 1), (op_consent, 2),
       (op_slo, 2), (op_pause, 1), (op_feedback, 2), (op_refresh_api, 1), (op_webhook_deploy, 8),
       (op_webhook_github, 4), (op_webhook_pd, 3), (op_webhook_bad, 1)]


def client(run, i):
    rng = random.Random(run.a.seed * 1000 + i)
    fns = [f for f, w in MIX for _ in range(w)]
    while not run.stop.is_set():
        fn = rng.choice(fns)
        try:
            fn(run, rng)
        except Exception as e:
            run.violation("client %d: %s raised %s: %s" % (i, fn.__name__, type(e).__name__, e))


def cli_writer(run):
    """Now and then an ingest or a dashboard refresh on the same database: the write lock held."""
    rng = random.Random(run.a.seed)
    run.cli_runs = collections.Counter()
    while not run.stop.wait(rng.uniform(3, 10)):
        what = rng.choice(["ingest", "ingest", "refresh"])
        argv = ["ingest", "--source", "st-hooks", run.bulk] if what == "ingest" else ["dashboard", "refresh"]
        t0 = time.monotonic()
        p = run.cli(*argv, check=False)
        run.cli_runs["%s exit %d" % (what, p.returncode)] += 1
        log("cli %s: exit %d in %.1f s %s" % (what, p.returncode, time.monotonic() - t0,
                                             p.stderr.strip()[:200] if p.returncode else ""))
        if p.returncode not in (0, 75):
            run.violation("cli %s exit %d: %s" % (what, p.returncode, p.stderr[:300]))


# --- the checks after ---------------------------------------------------------------------

def after(run):
    a = run.a
    alive = run.server.poll() is None
    if not alive:
        run.violation("plumb serve exited %d during the run" % run.server.returncode)
    else:
        run.server.send_signal(signal.SIGTERM)
        try:
            rc = run.server.wait(60)
            if rc != 0:
                run.violation("plumb serve exited %d after SIGTERM" % rc)
        except subprocess.TimeoutExpired:
            run.violation("plumb serve did not stop within 60 s of SIGTERM")
            run.server.kill()
    run.serve_err.close()
    with open(os.path.join(a.out, "serve.err"), errors="replace") as f:
        err = f.read()
    if re.search(r"ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:|AddressSanitizer", err):
        run.violation("sanitizer report in serve.err")
    p = run.cli("audit", "verify", "--json", check=False)
    if p.returncode != 0:
        run.violation("audit verify: exit %d %s %s" % (p.returncode, p.stdout[:300], p.stderr[:300]))
    # Audit entries per action since the run began.
    entries = json.loads(run.cli("audit", "log", "--json", "--limit", "1000000").stdout)
    entries = [e for e in entries if e["seq"] > run.seq0]
    by_action = collections.Counter(e["action"] for e in entries)
    ok_writes = collections.Counter(r.get("op") for r in run.records
                                    if r.get("op") and r["status"] and 200 <= r["status"] < 300)
    run.audit_summary = {"entries": len(entries), "by_action": dict(by_action), "ok_writes": dict(ok_writes)}
    # Operations that always change something: one entry each.  Those that may answer 200
    # with nothing to change (a resume of a running source, a setting set to its value, a
    # metric or the DORA keys whose inputs are unchanged since they were stored, by a
    # request or the server's dashboard refresher: served as stored) leave none then: at
    # most one each.
    exact = {"user.add": ["user.create", "user.grant"], "objectives.add": ["objective.add"],
             "calendar.add": ["calendar.add"], "calendar.remove": ["calendar.remove"], "hold.add": ["hold.add"],
             }
    at_most = {"metrics.set": ["metric.set"], "source.set": ["source.set"], "source.pause": ["source.pause"],
               "source.resume": ["source.resume"], "service.set": ["service.create", "service.update"], "slo.import": ["slo.import"],
               "metrics.show": ["metric.compute"], "dora": ["dora.compute"]}
    for table, same in ((exact, True), (at_most, False)):
        for op, actions in table.items():
            n_audit = sum(by_action.get(x, 0) for x in actions)
            n_ok = ok_writes.get(op, 0)
            if (n_audit != n_ok) if same else (n_audit > n_ok):
                run.violation("%s: %d 2xx writes, %d audit entries (%s)" % (op, n_ok, n_audit, ", ".join(actions)))
    # Concurrent identical user adds: one success per person.
    adds = collections.Counter(r["key"] for r in run.records if r.get("op") == "user.add" and r["status"] == 200)
    for pid, n in adds.items():
        if n > 1:
            run.violation("user add %s: %d successes" % (pid, n))
    objs = collections.Counter(r["key"] for r in run.records if r.get("op") == "objectives.add" and r["status"] == 200)
    for name, n in objs.items():
        if n > 1:
            run.violation("objectives add %s: %d successes" % (name, n))
    # Webhook deliveries: one stored per delivery id.  A queued one (the SQLite default while
    # another writer holds the database) is stored, or found a duplicate, when the queue drains.
    stored = collections.Counter(r["delivery"] for r in run.records
                                 if r.get("delivery") and r["status"] == 202
                                 and not (r.get("wh") or {}).get("duplicate") and not (r.get("wh") or {}).get("queued"))
    for did, n in stored.items():
        if n > 1:
            run.violation("delivery %s stored %d times" % (did, n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plumb", required=True, help="the plumb that serves (the ASan build)")
    ap.add_argument("--cli-plumb", help="the plumb for the CLI runs (default --plumb)")
    ap.add_argument("--db", required=True)
    ap.add_argument("--clients", type=int, default=12)
    ap.add_argument("--duration", type=float, default=180)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--timeout", type=int, default=30)
    ap.add_argument("--lock-wait", type=int, default=3)
    ap.add_argument("--ingest-events", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--serve-arg", action="append", default=[], help="another argument to plumb serve")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    a.cli_plumb = a.cli_plumb or a.plumb
    os.makedirs(a.out, exist_ok=True)
    run = Run(a)
    setup(run)
    start_server(run)
    list_routes(run)
    threads = [threading.Thread(target=client, args=(run, i), daemon=True) for i in range(a.clients)]
    writer = threading.Thread(target=cli_writer, args=(run,), daemon=True)
    t0 = time.monotonic()
    for t in threads + [writer]:
        t.start()
    while time.monotonic() - t0 < a.duration:
        time.sleep(1)
        if run.server.poll() is not None:
            break
    run.stop.set()
    for t in threads:
        t.join(a.timeout + 30)
    writer.join(700)
    after(run)
    run.out.close()
    by_status = collections.Counter(str(r["status"]) for r in run.records)
    by_kind = collections.Counter("%s %s" % (r["kind"], r["status"]) for r in run.records)
    codes503 = collections.Counter(r.get("code") for r in run.records if r["status"] == 503)
    summary = {"clients": a.clients, "duration_s": round(time.monotonic() - t0, 1), "requests": len(run.records),
               "by_status": dict(sorted(by_status.items())), "by_kind_status": dict(sorted(by_kind.items())),
               "codes_503": dict(codes503), "cli_runs": dict(getattr(run, "cli_runs", {})),
               "audit": run.audit_summary, "violations": len(run.violations)}
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    with open(os.path.join(a.out, "violations.txt"), "w") as f:
        f.write("\n".join(run.violations) + ("\n" if run.violations else ""))
    print(json.dumps(summary, indent=2))
    # Distinct violations, first of each kind.
    seen = set()
    for v in run.violations:
        k = re.sub(r"\d+", "N", v)[:120]
        if k not in seen:
            seen.add(k)
            print("violation:", v)
    sys.exit(1 if run.violations else 0)


if __name__ == "__main__":
    main()
