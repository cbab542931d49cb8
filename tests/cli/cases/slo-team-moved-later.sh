# An SLO value of a team counts the services its subteams own now, in the team tree of now:
# a team moved under another parent from a later date takes its services' SLOs there on that
# date, without a write, as a scheduled ownership move does (found in session 41's review:
# after the date the stored value of the new parent, with none, was served as reused).
init_db
ok org import "$FIXTURES/org-small.yaml"
ok service set api --team platform
ok slo import "$FIXTURES/slo/api.yaml"
file ratio.csv <<'CSV'
time,good,total
2026-02-20T00:00:00Z,98000,98000
CSV
ok slo ingest --slo api-availability ratio.csv
printf 'teams:\n  - name: platform\n    parent: mobile\n' >later.yaml
ok org import later.yaml --effective 2099-01-01
n() {
	ok metrics show error_budget_remaining --team "$1" --from 2026-02-01 --to 2026-03-01 --json
	json .value.n
}
[ "$(n mobile)" = 0 ] || fail "mobile holds platform's SLO before the move"
[ "$(n mobile)" = 0 ] || fail "mobile holds platform's SLO before the move (stored)"
export PLUMB_NOW=2099-01-02T00:00:00Z
[ "$(n mobile)" = 1 ] || fail "after the move mobile does not hold platform's SLO: n=$(json .value.n), reused=$(json .reused)"
