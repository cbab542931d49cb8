#!/usr/bin/env python3
"""gen-items.py OUT SERVICES PRS ISSUES SLOS: the flow and SLO inputs of bench/metrics-items-teams,
from the project's fixtures: PRS GitHub pull requests (two reviews each) over SERVICES repositories
acme/svc-NNN, ISSUES Jira issues over as many projects (SVNNN, one a service), an SLO for each of
the first SLOS services with hourly samples, and the service map.  Times run from 2026-04-01 to
2026-09-30, so the default 90 days to 2026-10-01 hold half of them."""
import copy, json, os, sys, time

out, S, P, I, L = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
F = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures")
for d in ("pulls", "reviews", "jira", "slo"):
    os.makedirs(os.path.join(out, d), exist_ok=True)
def load(p): return json.load(open(os.path.join(F, p)))
START, SPAN = 1775001600, 182 * 86400  # 2026-04-01, six months
def ts(t): return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
def jts(t): return time.strftime("%Y-%m-%dT%H:%M:%S.000+0000", time.gmtime(t))
def sub(x, old, new): return json.loads(json.dumps(x).replace(old, new))
def svc(s): return "svc-%03d" % s
def project(s): return "SV%03d" % s
def pages(items, d, name, wrap=lambda it: it, size=100):
    for p in range(0, len(items), size):
        with open(os.path.join(out, d, "%s-%06d.json" % (name, p // size)), "w") as f:
            json.dump(wrap(items[p:p + size]), f)

PT = load("github/pulls.json")[0]
RT = load("github/reviews.json")[0]
pulls, reviews = [], []
for i in range(P):
    s = i % S
    r = "acme/" + svc(s)
    num = i // S + 1
    created = START + i * SPAN // P
    x = sub(copy.deepcopy(PT), "acme/widgets", r)
    x["number"] = num; x["id"] = 10**8 + i; x["node_id"] = "PR%d" % i
    x["url"] = "https://api.github.com/repos/%s/pulls/%d" % (r, num)
    x["html_url"] = "https://github.com/%s/pull/%d" % (r, num)
    x["created_at"] = ts(created)
    kind = i % 10  # 0: open, 1: closed unmerged, else merged
    end = created + 3600 * (2 + i % 50)
    x["state"] = "open" if kind == 0 else "closed"
    x["closed_at"] = None if kind == 0 else ts(end)
    x["merged_at"] = ts(end) if kind > 1 else None
    x["updated_at"] = ts(end)
    x["merge_commit_sha"] = "%040x" % (i + 5 * 10**6)
    x["head"]["sha"] = "%040x" % (i + 6 * 10**6); x["head"]["ref"] = "b%d" % i
    x["user"]["login"] = "gh-%d" % (i % 997)
    pulls.append(x)
    for k in range(2):
        y = sub(copy.deepcopy(RT), "acme/widgets", r)
        y = sub(y, "/pull/101", "/pull/%d" % num); y = sub(y, "/pulls/101", "/pulls/%d" % num)
        y["id"] = 10**7 + 2 * i + k; y["node_id"] = "PRR%d" % (2 * i + k)
        y["html_url"] = "https://github.com/%s/pull/%d#pullrequestreview-%d" % (r, num, y["id"])
        y["_links"]["html"]["href"] = y["html_url"]
        y["submitted_at"] = ts(created + 1800 * (k + 1) + 60 * (i % 30))
        y["state"] = ["COMMENTED", "APPROVED"][k] if i % 7 else "CHANGES_REQUESTED"
        y["user"]["login"] = "gh-%d" % ((i + 1 + k) % 997)
        reviews.append(y)
pages(pulls, "pulls", "p")
pages(reviews, "reviews", "r")

JI = load("jira/search-changelog.json")["issues"][0]
issues = []
for i in range(I):
    s = i % S
    key = "%s-%d" % (project(s), i // S + 1)
    x = copy.deepcopy(JI)
    x["id"] = str(10**6 + i); x["key"] = key
    x["self"] = "https://example.atlassian.net/rest/api/3/issue/%s" % x["id"]
    x["fields"]["project"]["key"] = project(s); x["fields"]["project"]["id"] = str(20000 + s)
    created = START + i * SPAN // I
    started = created + 3600 * (1 + i % 20)
    done = started + 3600 * (4 + i % 90)
    x["fields"]["created"] = jts(created)
    x["fields"]["updated"] = jts(done + 60)
    x["fields"]["resolutiondate"] = jts(done)
    x["fields"]["summary"] = "issue %d" % i
    h = x["changelog"]["histories"]
    h[0]["created"] = jts(done); h[1]["created"] = jts(started); h[2]["created"] = jts(created + 60)
    for k, hh in enumerate(h): hh["id"] = str(10**7 + i * 10 + k)
    issues.append(x)
pages(issues, "jira", "j", wrap=lambda it: {"expand": "schema,names", "startAt": 0,
      "maxResults": len(it), "total": len(it), "issues": it}, size=50)

slo = open(os.path.join(F, "slo/api.yaml")).read().split("---")[0]
docs = []
for s in range(L):
    docs.append(slo.replace("api-availability", "%s-availability" % svc(s))
                .replace("service: api", "service: " + svc(s)).replace("api-success", "%s-success" % svc(s)))
    with open(os.path.join(out, "slo", "%s.csv" % svc(s)), "w") as f:
        f.write("time,good,total\n")
        for h in range(0, SPAN // 3600):
            total = 1000 + (h * 37 + s) % 500
            bad = (h * 13 + s * 7) % 11
            f.write("%s,%d,%d\n" % (ts(START + h * 3600), total - bad, total))
with open(os.path.join(out, "slos.yaml"), "w") as f:
    f.write("---\n".join(docs))
with open(os.path.join(out, "map.yaml"), "w") as f:
    f.write("services:\n")
    for s in range(S):
        f.write("  %s:\n    repos: [acme/%s]\n    jira_projects: [%s]\n" % (svc(s), svc(s), project(s)))
