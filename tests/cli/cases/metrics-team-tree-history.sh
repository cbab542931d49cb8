# --team over a past period (docs/metrics.md, "Scope"): an event counts for the team that
# owned its service when it happened, so a service moved to another team later keeps its
# past events with the old owner; but the sub-teams are those of the team tree now, as
# plumb keeps no history of a team's parent, so a team moved under another parent takes its
# past events with it.  Pinned here as documented: counting past periods by the tree of
# their time needs a history of team parents, which the schema does not hold.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok source add deploy --name deploys
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
n() { ok dora --team "$1" --from 2026-03-01 --to 2026-03-08 --json; json '.keys.deployment_frequency.value.n'; }
counts() { local t out=; for t in "$@"; do out="$out$t=$(n "$t") "; done; echo "$out"; }
[ "$(counts engineering payments search)" = "engineering=4 payments=4 search=0 " ] ||
	fail "before any move: $(counts engineering payments search)"

# The service moves to search in April: March stays payments'.
ok service set api --team search --effective 2026-04-01
[ "$(counts engineering payments search)" = "engineering=4 payments=4 search=0 " ] ||
	fail "a later owner took the past: $(counts engineering payments search)"

# payments moves under a new team, platform, in June: March's deployments go with it.
python3 - "$FIXTURES/org-small.csv" >reparent.csv <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
at = rows[0].index("github_login")
out = csv.writer(sys.stdout, lineterminator="\n")
for i, row in enumerate(rows):
    row.insert(at, "parent_team" if i == 0 else ("platform" if row[4] == "payments" else ""))
    out.writerow(row)
PY
ok org import reparent.csv --effective 2026-06-01
[ "$(counts engineering payments platform)" = "engineering=0 payments=4 platform=4 " ] ||
	fail "not the tree now: $(counts engineering payments platform)"
