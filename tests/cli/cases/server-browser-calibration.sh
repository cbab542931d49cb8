# The calibration page in a real browser: Debian's chromium driven by playwright-core
# (tests/browser/calibration.mjs).  The demo's closed annual session, read by its
# facilitator E002: the agenda in order, a changed rating's original struck through with its
# change log, the rater effects (E014 lenient and flagged), the 9-box (who is in each box a
# list in chromium's accessibility tree, not only the picture's tooltips) and the
# distribution, and no change form on a closed session.  Then a session the CLI opens over a
# new annual cycle of the demo's observability team: a change without a reason is refused on
# the page, beside the reason field (nothing written), one with a reason and evidence is saved
# and shown with its original struck through.  Screenshots are kept in build/screenshots/calibration/.
sqlite_only "the page is a face over the service, whose SQL runs on PostgreSQL in the calibrate-* cases"
command -v node >/dev/null || skip "node is not installed (make test installs it)"
[ -x /usr/bin/chromium ] || skip "chromium is not installed (make test installs it)"
[ -d "$ROOT/tests/browser/node_modules/playwright-core" ] || skip "playwright-core is not installed (make test installs it)"
demo_db
# An open session: a new annual cycle over observability (E010 manages E051), E051's
# evaluation, the cycle walked to its calibration phase, E002 facilitating.
ok cycle create 2027-annual --kind annual --scope observability --from 2026-11-02 --to 2027-05-01
file e051.yaml <<'YAML'
ratings:
  technical_skill: {rating: 3, evidence: [{kind: link, ref: "https://wiki.example.com/obs/alerts", date: 2026-11-05}]}
  delivery: {rating: 4, evidence: [{kind: link, ref: "https://wiki.example.com/obs/dashboards", date: 2026-11-12}]}
  collaboration: {rating: 3, evidence: [{kind: link, ref: "https://wiki.example.com/obs/oncall", date: 2026-11-19}]}
  mentoring: {rating: 3, no_evidence_reason: "mentoring happens in one-to-ones"}
  operational_excellence: {rating: 4, evidence: [{kind: link, ref: "https://wiki.example.com/obs/slo", date: 2026-11-20}]}
  leadership: {rating: 3, no_evidence_reason: "no lead role this period"}
case: Noah built the alerting.
YAML
ok --as E010 evaluation submit --cycle 2027-annual --person E051 e051.yaml
for _ in 1 2 3; do ok cycle advance --cycle 2027-annual; done
ok calibrate session create --cycle 2027-annual --population observability --facilitator E002 \
	--participants E010 --name obs-calibration
ok --as E002 calibrate session open --session obs-calibration
printf 'correct horse battery staple\n' >"$T/pw"
ok user passwd E002 --password-file "$T/pw"
audited=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change'")
serve
shots="$ROOT/build/screenshots/calibration"
[ "$(engine)" = sqlite ] || shots="$shots/$(engine)"
mkdir -p "$shots"
node "$ROOT/tests/browser/calibration.mjs" "$URL" 'correct horse battery staple' "$shots" >"$T/browser.out" 2>&1 ||
	{ cat "$T/browser.out"; fail "$(grep FAIL: "$T/browser.out" || tail -3 "$T/browser.out")"; }
cat "$T/browser.out"
for s in c1-closed-session c2-change-refused c3-change-saved; do
	[ -s "$shots/$s.png" ] || fail "screenshot $s missing"
done
# What the browser wrote: one change, by E002, and its audit entry; the refused one left nothing.
ok --as E002 calibrate session status --session obs-calibration --json
expect_json '.changes | length' 1
expect_json '.changes[0] | "\(.person) \(.dimension) \(.from) \(.to) \(.by)"' 'E051 delivery 4 3 E002'
expect_json '.changes[0].evidence[0]' 'document:https://wiki.example.com/calibration/obs/E051'
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'calibrate.change'")" = $((audited + 1)) ] ||
	fail "the change was not audited once"
stop_server
ok audit verify
