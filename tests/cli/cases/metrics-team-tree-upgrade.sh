# Schema 21 fills team_parents from each team's parent now, since always (docs/metrics.md,
# "Scope"): a database upgraded from schema 20 counts --team over every period by the tree
# it has today, as before the upgrade, until an import moves a team.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok source add deploy --name deploys
ok ingest --source deploys "$FIXTURES/metrics/deploys.csv"
# payments moved under platform in June, then the database is taken back to schema 20, which
# kept only the parent now.
# payments_under PARENT: org-small.csv with a parent_team column naming PARENT for payments.
payments_under() {
	python3 - "$FIXTURES/org-small.csv" "$1" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
at = rows[0].index("github_login")
out = csv.writer(sys.stdout, lineterminator="\n")
for i, row in enumerate(rows):
    row.insert(at, "parent_team" if i == 0 else (sys.argv[2] if row[4] == "payments" else ""))
    out.writerow(row)
PY
}
payments_under platform >reparent.csv
ok org import reparent.csv --effective 2026-06-01
undo_schema_21
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 20 ] || fail "not at schema 20"
# The first command migrates: each team with a parent gets one row, since always, open.
n() { ok dora --team "$1" --from 2026-03-01 --to 2026-03-08 --json; json '.keys.deployment_frequency.value.n'; }
counts() { local t out=; for t in "$@"; do out="$out$t=$(n "$t") "; done; echo "$out"; }
[ "$(counts engineering payments platform)" = "engineering=0 payments=4 platform=4 " ] ||
	fail "not today's tree: $(counts engineering payments platform)"
[ "$(sql "SELECT value FROM meta WHERE key = 'schema_version'")" = 25 ] || fail "not migrated"
[ "$(sql "SELECT COUNT(*) FROM teams WHERE parent_id IS NOT NULL")" = 2 ] || fail "teams with a parent"
[ "$(sql "SELECT COUNT(*) FROM team_parents p JOIN teams t ON t.id = p.team_id AND t.parent_id = p.parent_id WHERE p.valid_from IS NULL AND p.valid_to IS NULL")" = 2 ] ||
	fail "not one row since always per parent: $(sql "SELECT team_id, parent_id, valid_from, valid_to FROM team_parents")"
[ "$(sql "SELECT COUNT(*) FROM team_parents")" = 2 ] || fail "rows beyond today's parents"
ok audit log --json
expect_json '[.[] | select(.action == "db.migrate" and .detail.to == 21)][0].detail | "\(.from) \(.to) \(.migration)"' \
	"20 21 teams: each team's parent over time"
ok audit verify
# From then on a move is history: payments back under engineering from September leaves
# March with platform (its parent then, as the upgrade recorded it).
payments_under engineering >back.csv
ok org import back.csv --effective 2026-09-01
[ "$(counts engineering payments platform)" = "engineering=0 payments=4 platform=4 " ] ||
	fail "a later move took the past: $(counts engineering payments platform)"
