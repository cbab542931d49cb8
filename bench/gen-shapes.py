#!/usr/bin/env python3
"""gen-shapes.py SHAPE N OUTDIR: N records of SHAPE as real API pages or webhook bodies,
built from the project's fixtures, for bench/ingest-shapes."""
import copy, json, os, sys, time
shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
F = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
os.makedirs(out, exist_ok=True)
def load(p): return json.load(open(os.path.join(F, p)))
def ts(i, base=1700000000):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(base + i * 7))
def sub(x, old, new):
    return json.loads(json.dumps(x).replace(old, new))
def write(name, body):
    with open(os.path.join(out, name), "w") as f: json.dump(body, f)
def pages(items, name, wrap=lambda it: it, size=100):
    for p in range(0, len(items), size):
        write("%s-%06d.json" % (name, p // size), wrap(items[p:p + size]))
def repo(i, k=40): return "acme/svc-%d" % (i % k)

def commit(i, r, parents):
    x = copy.deepcopy(load("github/commits.json")[0])
    x = sub(x, "acme/widgets", r)
    sha = "%040x" % (i + 1)
    x["sha"] = sha; x["node_id"] = "C%d" % i
    x["url"] = "https://api.github.com/repos/%s/commits/%s" % (r, sha)
    x["html_url"] = "https://github.com/%s/commit/%s" % (r, sha)
    x["comments_url"] = x["url"] + "/comments"
    x["commit"]["author"]["date"] = ts(i); x["commit"]["committer"]["date"] = ts(i + 1)
    x["commit"]["message"] = "change %d" % i
    x["parents"] = [{"sha": p, "url": "https://api.github.com/repos/%s/commits/%s" % (r, p),
                     "html_url": "https://github.com/%s/commit/%s" % (r, p)} for p in parents]
    if x.get("author"): x["author"]["login"] = ["lschmidt", "mnguyen", "gh-%d" % (i % 300)][i % 3]
    return x

def pull(i, r, num):
    x = sub(copy.deepcopy(load("github/pulls.json")[0]), "acme/widgets", r)
    x["number"] = num; x["id"] = 10**8 + i; x["node_id"] = "PR%d" % i
    x["url"] = "https://api.github.com/repos/%s/pulls/%d" % (r, num)
    x["html_url"] = "https://github.com/%s/pull/%d" % (r, num)
    x["created_at"] = ts(i); x["updated_at"] = ts(i + 90)
    x["closed_at"] = x["merged_at"] = ts(i + 80)
    x["merge_commit_sha"] = "%040x" % (i + 5 * 10**6)
    x["head"]["sha"] = "%040x" % (i + 6 * 10**6); x["head"]["ref"] = "b%d" % i
    x["user"]["login"] = ["lschmidt", "mnguyen", "gh-%d" % (i % 300)][i % 3]
    return x

def review(i, r, num):
    x = sub(copy.deepcopy(load("github/reviews.json")[0]), "acme/widgets", r)
    x = sub(x, "/pull/101", "/pull/%d" % num); x = sub(x, "/pulls/101", "/pulls/%d" % num)
    x["id"] = 10**6 + i; x["node_id"] = "PRR%d" % i
    x["html_url"] = "https://github.com/%s/pull/%d#pullrequestreview-%d" % (r, num, x["id"])
    x["_links"]["html"]["href"] = x["html_url"]
    x["submitted_at"] = ts(i); x["state"] = ["APPROVED", "COMMENTED", "CHANGES_REQUESTED"][i % 3]
    x["user"]["login"] = ["srossi", "tbaker", "gh-%d" % (i % 300)][i % 3]
    return x

def deployment(i, r, did):
    x = sub(copy.deepcopy(load("github/deployments.json")[0]), "acme/widgets", r)
    x = sub(x, "/deployments/9002", "/deployments/%d" % did)
    x["id"] = did; x["node_id"] = "DE%d" % did
    x["created_at"] = ts(i); x["updated_at"] = ts(i + 3)
    x["sha"] = "%040x" % (i + 7)
    return x

def status(i, r, did, sid, state):
    x = sub(copy.deepcopy(load("github/deployment-statuses.json")[0]), "acme/widgets", r)
    x = sub(x, "/deployments/9002", "/deployments/%d" % did)
    x = sub(x, "statuses/77003", "statuses/%d" % sid); x = sub(x, "runs/77003", "runs/%d" % sid)
    x["id"] = sid; x["node_id"] = "DES%d" % sid; x["state"] = state
    x["created_at"] = x["updated_at"] = ts(i)
    return x

def run(i, r):
    x = sub(copy.deepcopy(load("github/workflow-runs.json")["workflow_runs"][0]), "acme/widgets", r)
    x = sub(x, "8000000003", str(9 * 10**9 + i))
    x["id"] = 9 * 10**9 + i; x["run_number"] = i
    x["head_sha"] = "%040x" % (i + 3 * 10**6)
    if x.get("head_commit"): x["head_commit"]["id"] = x["head_sha"]
    x["created_at"] = ts(i); x["run_started_at"] = ts(i); x["updated_at"] = ts(i + 60)
    return x

JI = load("jira/search-changelog.json")["issues"][0]
def issue(i, key, upd):
    x = copy.deepcopy(JI)
    x["id"] = str(10**5 + key); x["key"] = "PLAT-%d" % key
    x["self"] = "https://example.atlassian.net/rest/api/3/issue/%s" % x["id"]
    x["fields"]["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(1600000000 + upd * 60))
    x["fields"]["summary"] = "issue %d v%d" % (key, upd)
    for h, hh in enumerate(x["changelog"]["histories"]): hh["id"] = str(10**6 + key * 10 + h)
    return x
def jpage(items):
    return {"expand": "schema,names", "startAt": 0, "maxResults": len(items), "total": len(items), "issues": items}

PI = load("pagerduty/incidents-page.json")["incidents"][0]
def incident(i, iid, svc, t, status="resolved"):
    x = copy.deepcopy(PI)
    x["id"] = iid; x["incident_number"] = i; x["self"] = "https://api.pagerduty.com/incidents/" + iid
    x["html_url"] = "https://acme.pagerduty.com/incidents/" + iid
    x["summary"] = x["title"] = "incident %s" % iid; x["incident_key"] = "k-" + iid
    x["service"] = {"id": "PSV%03d" % svc, "type": "service_reference", "summary": "svc-%d" % svc}
    x["created_at"] = ts(t); x["updated_at"] = ts(t + 50)
    x["status"] = status
    x["last_status_change_at"] = x["resolved_at"] = ts(t + 40) if status == "resolved" else None
    if status != "resolved": x["last_status_change_at"] = ts(t + 10)
    return x
PW = load("pagerduty/webhook-acknowledged.json")
def pdhook(i, iid, svc, t, etype="incident.acknowledged"):
    x = copy.deepcopy(PW)
    x["event"]["id"] = "EV%08d" % i; x["event"]["occurred_at"] = ts(t + 3)
    x["event"]["event_type"] = etype
    d = x["event"]["data"]
    d["id"] = iid; d["number"] = i; d["self"] = "https://api.pagerduty.com/incidents/" + iid
    d["html_url"] = "https://acme.pagerduty.com/incidents/" + iid
    d["status"] = etype.split(".")[1] if etype != "incident.triggered" else "triggered"
    d["created_at"] = ts(t); d["incident_key"] = "k-" + iid
    d["service"] = {"id": "PSV%03d" % svc, "type": "service_reference", "summary": "svc-%d" % svc}
    return x

JB = load("jenkins/job-builds.json")
def build(i):
    x = copy.deepcopy(JB["builds"][2])
    x["number"] = i; x["fullDisplayName"] = "deploy-web #%d" % i
    x["url"] = "https://ci.example.com/job/deploy-web/%d/" % i
    x["timestamp"] = (1650000000 + i * 100) * 1000; x["duration"] = 61000
    sha = "%040x" % (i + 8 * 10**6)
    x["actions"][1]["lastBuiltRevision"]["SHA1"] = sha
    x["actions"][1]["lastBuiltRevision"]["branch"][0]["SHA1"] = sha
    x["changeSet"]["items"][0]["commitId"] = sha
    x["result"] = ["SUCCESS", "FAILURE", "SUCCESS"][i % 3]
    return x

def dep(i, svc, t, id_=None, status="success"):
    d = {"service": svc, "environment": "production", "started": ts(t), "status": status,
         "sha": "%040x" % (i + 9 * 10**6), "actor": ["lschmidt", "alice@example.com", "bot"][i % 3]}
    if status == "success": d["finished"] = ts(t + 5)
    if id_ is not None: d["id"] = id_
    return d
def csvrows(ds):
    cols = ["id", "service", "environment", "started", "finished", "status", "sha", "actor"]
    lines = [",".join(cols)] + [",".join(str(d.get(c, "")) for c in cols) for d in ds]
    return "\n".join(lines) + "\n"

# ---- GitHub webhook bodies
W = lambda name: load("github/webhook-%s.json" % name)
def wh_push(i, r, nc=2):
    x = sub(copy.deepcopy(W("push")), "acme/widgets", r)
    cs = []
    tmpl = x["commits"][0]
    for j in range(nc):
        c = copy.deepcopy(tmpl); sha = "%040x" % (i * 10 + j + 1)
        c["id"] = sha; c["url"] = "https://github.com/%s/commit/%s" % (r, sha)
        c["timestamp"] = ts(i * 10 + j); c["message"] = "m %d %d" % (i, j)
        cs.append(c)
    x["commits"] = cs
    if "head_commit" in x and x["head_commit"]: x["head_commit"] = copy.deepcopy(cs[-1])
    x["after"] = cs[-1]["id"]; x["before"] = "%040x" % (i * 10 + 10**9)
    return x
def wh_pr(i, r, num):
    x = sub(copy.deepcopy(W("pull_request.closed-merged")), "acme/widgets", r)
    x["number"] = num; x["pull_request"] = pull(i, r, num)
    x["pull_request"]["base"]["repo"] = x["repository"]; x["pull_request"]["head"]["repo"] = x["repository"]
    return x
def wh_review(i, r, num):
    x = sub(copy.deepcopy(W("pull_request_review.approved")), "acme/widgets", r)
    x = sub(x, "/pulls/101", "/pulls/%d" % num); x = sub(x, "/pull/101", "/pull/%d" % num)
    x["pull_request"]["number"] = num; x["pull_request"]["id"] = 10**8 + num
    x["review"]["id"] = 10**6 + i; x["review"]["node_id"] = "PRR%d" % i
    x["review"]["submitted_at"] = ts(i)
    return x
def wh_dstatus(i, r, did, sid, state):
    x = sub(copy.deepcopy(W("deployment_status.failure")), "acme/widgets", r)
    x = sub(x, "/deployments/9002", "/deployments/%d" % did)
    x = sub(x, "statuses/77004", "statuses/%d" % sid); x = sub(x, "runs/77004", "runs/%d" % sid)
    x["deployment"]["id"] = did; x["deployment"]["node_id"] = "DE%d" % did
    x["deployment"]["sha"] = "%040x" % (did + 7)
    x["deployment"]["created_at"] = ts(did - 10**6); x["deployment"]["updated_at"] = ts(did - 10**6 + 3)
    x["deployment_status"]["id"] = sid; x["deployment_status"]["state"] = state
    x["deployment_status"]["created_at"] = x["deployment_status"]["updated_at"] = ts(i + 1)
    return x
def wh_run(i, r):
    x = sub(copy.deepcopy(W("workflow_run.requested")), "acme/widgets", r)
    x = sub(x, "8000000004", str(9 * 10**9 + i))
    wr = x["workflow_run"]; wr["id"] = 9 * 10**9 + i; wr["run_number"] = i
    wr["created_at"] = ts(i); wr["updated_at"] = ts(i + 1)
    return x

S = shape
if S == "gh-commits":
    pages([commit(i, repo(i), ["%040x" % (10**12 + i)]) for i in range(n)], "c")
elif S == "gh-commits-chain":   # one repo, each commit's parent is the previous one
    pages([commit(i, "acme/svc-0", ["%040x" % i] if i else []) for i in range(n)], "c")
elif S == "gh-commits-merge":   # one repo, 2 parents each, both in the set
    pages([commit(i, "acme/svc-0", ["%040x" % i, "%040x" % max(i - 1, 1)] if i > 1 else []) for i in range(n)], "c")
elif S == "gh-pulls":
    pages([pull(i, repo(i), 1000 + i) for i in range(n)], "p")
elif S == "gh-pulls-samecreated":  # all opened in the same second
    def pl(i):
        x = pull(i, repo(i), 1000 + i); x["created_at"] = ts(0); return x
    pages([pl(i) for i in range(n)], "p")
elif S == "gh-reviews":          # 3 reviews per PR
    pages([review(i, repo(i // 3), 1000 + i // 3) for i in range(n)], "r")
elif S == "gh-reviews-fewpr":    # all reviews on 5 PRs
    pages([review(i, "acme/svc-0", 1000 + i % 5) for i in range(n)], "r")
elif S == "gh-deployments":      # n/3 deployments, 2 statuses each
    nd = n // 3
    pages([deployment(i, repo(i), 10**6 + i) for i in range(nd)], "d")
    for i in range(nd):
        write("s-%06d.json" % i, [status(3 * i + 2, repo(i), 10**6 + i, 5 * 10**6 + 2 * i + 1, "success"),
                                  status(3 * i + 1, repo(i), 10**6 + i, 5 * 10**6 + 2 * i, "in_progress")])
elif S == "gh-deploy-manystatus":  # 5 deployments, n statuses among them
    pages([deployment(i, "acme/svc-0", 10**6 + i) for i in range(5)], "d")
    for d in range(5):
        st = [status(10 + i, "acme/svc-0", 10**6 + d, 5 * 10**6 + i, ["in_progress", "failure", "success"][i % 3])
              for i in range(d, n, 5)]
        pages(st[::-1], "s%d" % d)
elif S == "gh-runs":
    pages([run(i, repo(i)) for i in range(n)], "w", wrap=lambda it: {"total_count": len(it), "workflow_runs": it})
elif S == "jira":
    pages([issue(i, i, i) for i in range(n)], "j", wrap=jpage, size=50)
elif S == "jira-distinct":      # created times differ (no rekey group)
    def iss(i):
        x = issue(i, i, i); x["fields"]["created"] = time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(1500000000 + i)); return x
    pages([iss(i) for i in range(n)], "j", wrap=jpage, size=50)
elif S == "jira-same":           # 10 issues, each n/10 times with increasing updated
    pages([issue(i, i % 10, i) for i in range(n)], "j", wrap=jpage, size=50)
elif S == "jenkins":
    pages([build(i + 1) for i in range(n)], "b", wrap=lambda it: {"_class": JB["_class"], "builds": it, "url": JB["url"]})
elif S == "pagerduty":
    pages([incident(i, "Q%07d" % i, i % 30, i) for i in range(n)], "i", wrap=lambda it: {"incidents": it, "limit": 100, "offset": 0, "more": False})
elif S == "pd-same":             # 10 incidents each seen n/10 times
    pages([incident(i, "Q%07d" % (i % 10), 1, 0, ["triggered", "acknowledged", "resolved"][min(2, i * 3 // n)]) for i in range(n)], "i",
          wrap=lambda it: {"incidents": it, "limit": 100, "offset": 0, "more": False})
elif S == "pd-oneservice":      # n incidents, one service, one day
    pages([incident(i, "Q%07d" % i, 1, i % 10000 // 1) for i in range(n)], "i", wrap=lambda it: {"incidents": it, "limit": 100, "offset": 0, "more": False})
elif S == "pd-webhook":
    for i in range(n): write("h%06d.json" % i, pdhook(i, "Q%07d" % i, i % 30, i))
elif S == "pd-webhook-same":    # 10 incidents, many events each
    for i in range(n): write("h%06d.json" % i, pdhook(i, "Q%07d" % (i % 10), 1, i, "incident.acknowledged"))
elif S == "deploy-json":
    pages([dep(i, "svc-%d" % (i % 30), i, "d%d" % i) for i in range(n)], "dj", wrap=lambda it: {"deployments": it}, size=1000)
elif S == "deploy-json-noid":
    pages([dep(i, "svc-%d" % (i % 30), i) for i in range(n)], "dj", wrap=lambda it: {"deployments": it}, size=1000)
elif S == "deploy-csv":
    ds = [dep(i, "svc-%d" % (i % 30), i, "d%d" % i) for i in range(n)]
    for p in range(0, n, 1000):
        open(os.path.join(out, "dc-%04d.csv" % (p // 1000)), "w").write(csvrows(ds[p:p + 1000]))
elif S == "deploy-oneservice":  # all one service, env, one day, no id
    pages([dep(i, "svc-1", i % 12000) for i in range(n)], "dj", wrap=lambda it: {"deployments": it}, size=1000)
elif S == "deploy-oneday":      # one service, env, day; distinct starts 1 s apart, no id
    def d1(i):
        d = dep(i, "svc-1", 0); d["started"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1700006400 + i)); d["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(1700006400 + i + 1)); return d
    pages([d1(i) for i in range(n)], "dj", wrap=lambda it: {"deployments": it}, size=1000)
elif S == "deploy-sameid":      # 10 ids, each many times (in_progress ... success)
    pages([dep(i, "svc-1", 5, "d%d" % (i % 10), "success" if i >= n - 10 else "in_progress") for i in range(n)], "dj",
          wrap=lambda it: {"deployments": it}, size=1000)
elif S == "deploy-webhook":     # one object per file
    for i in range(n): write("h%06d.json" % i, dep(i, "svc-%d" % (i % 30), i, "d%d" % i))
elif S == "wh-push":            # 2 commits per push
    for i in range(n // 2): write("h%06d.json" % i, wh_push(i, repo(i)))
elif S == "wh-pr":
    for i in range(n): write("h%06d.json" % i, wh_pr(i, repo(i), 1000 + i))
elif S == "wh-review":
    for i in range(n): write("h%06d.json" % i, wh_review(i, repo(i // 3), 1000 + i // 3))
elif S == "wh-dstatus":         # n/2 deployments, 2 statuses each
    for i in range(n):
        write("h%06d.json" % i, wh_dstatus(i, repo(i // 2), 10**6 + i // 2, 5 * 10**6 + i, ["in_progress", "success"][i % 2]))
elif S == "wh-dstatus-same":    # 5 deployments, n statuses
    for i in range(n):
        write("h%06d.json" % i, wh_dstatus(i, "acme/svc-0", 10**6 + i % 5, 5 * 10**6 + i, ["in_progress", "failure", "success"][i % 3]))
elif S == "wh-run":
    for i in range(n): write("h%06d.json" % i, wh_run(i, repo(i)))
else:
    sys.exit("unknown shape " + S)
