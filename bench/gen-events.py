#!/usr/bin/env python3
"""Write N GitHub REST events as API pages of 100 into DIR, streaming (one page
in memory at a time), from the project's own fixtures as templates.  The mix a
real org produces: mostly commits and deployment events, fewer CI runs, few
large pull request objects.  Prints the mix."""
import json, os, sys

n, out, fixtures = int(sys.argv[1]), sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
def first(name, key=None):
    doc = json.load(open(os.path.join(fixtures, name)))
    return (doc[key] if key else doc)[0]
# Kept as JSON text, each item a json.loads of it: a copy.deepcopy of the
# dicts took three times as long (the suite runs this in three cases).
tmpl = {
    "commits": json.dumps(first("commits.json")),
    "deployments": json.dumps(first("deployments.json")),
    "runs": json.dumps(first("workflow-runs.json", "workflow_runs")),
    "pulls": json.dumps(first("pulls.json")),
}
mix = [("commits", 55), ("deployments", 25), ("runs", 12), ("pulls", 8)]
base = 1700000000  # 2023-11-14

def ts(i):
    t = base + i * 7
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

def item(kind, i):
    x = json.loads(tmpl[kind])
    repo = "acme/svc-%d" % (i % 40)
    if kind == "commits":
        sha = "%040x" % (i + 1)
        x["sha"] = sha; x["node_id"] = "C%d" % i
        x["url"] = "https://api.github.com/repos/%s/commits/%s" % (repo, sha)
        x["html_url"] = "https://github.com/%s/commit/%s" % (repo, sha)
        x["commit"]["author"]["date"] = ts(i); x["commit"]["committer"]["date"] = ts(i + 1)
        if x.get("author"): x["author"]["login"] = "gh-%d" % (i % 5000 + 1)
    elif kind == "deployments":
        x["id"] = 10**6 + i
        x["url"] = "https://api.github.com/repos/%s/deployments/%d" % (repo, x["id"])
        x["repository_url"] = "https://api.github.com/repos/%s" % repo
        x["created_at"] = ts(i); x["updated_at"] = ts(i + 3)
        x["sha"] = "%040x" % (i + 7)
    elif kind == "runs":
        x["id"] = 10**7 + i; x["run_number"] = i
        x["repository"]["full_name"] = repo
        x["created_at"] = ts(i); x["run_started_at"] = ts(i); x["updated_at"] = ts(i + 60)
    else:
        x["number"] = i; x["id"] = 10**8 + i
        x["base"]["repo"]["full_name"] = repo
        x["created_at"] = ts(i); x["updated_at"] = ts(i + 90)
        x["user"]["login"] = "gh-%d" % (i % 5000 + 1)
    return x

counts = {k: 0 for k, _ in mix}
page, done = 0, 0
cycle = [k for k, w in mix for _ in range(w)]
while done < n:
    kind = cycle[page % len(cycle)]
    size = min(100, n - done)
    items = [item(kind, done + j) for j in range(size)]
    body = {"total_count": size, "workflow_runs": items} if kind == "runs" else items
    # json.dumps, not json.dump: the same text, by the C encoder (dump writes
    # through the Python one, piece by piece).
    with open(os.path.join(out, "p%06d-%s.json" % (page, kind)), "w") as f:
        f.write(json.dumps(body))
    counts[kind] += size; done += size; page += 1
print("mix: " + ", ".join("%s %d (%.0f%%)" % (k, v, 100.0 * v / n) for k, v in counts.items())
      + "; %d pages" % page)
