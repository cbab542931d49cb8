# Retention that deletes feedback goes by group: a peer, upward or cross-functional group's
# responses go together once the first of them is due, and a legal hold on the reviewee or
# on any of its writers keeps the whole group.  Deleted one by one, by when each was saved,
# the group read before and after a run told the rating of the response that went: four
# peers at 2, 4, 4, 4 read 3.50 over 4, then 4.00 over 3, so the first writer rated 2
# (found hunting anonymity).  Self and manager feedback still go one by one.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 1 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
sed 's/peers: {min: 2, max: 3}/peers: {min: 2, max: 4}/' "$FIXTURES/review/framework.yaml" >fw.yaml
grep -q "max: 4" fw.yaml || fail "framework edit"
ok framework import fw.yaml
for u in E101 E102 E103 E104 E201 E202 E203 E204; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role people-partner
sed -e 's/feedback_text: {days: 730, action: delete}/feedback_text: {days: 375, action: delete}/' \
	"$ROOT/examples/policy.yaml" >policy.yaml
grep -q "feedback_text: {days: 375, action: delete}" policy.yaml || fail "policy edit"
ok policy import policy.yaml

# Two cycles alike, for E101 (no hold) and E102 (a hold on one of its writers): the first
# peer writes 400 days ago, past the 375 days; the others 350 days ago, within them.
first=$(ago 400)
later=$(ago 350)
for c in a25:E101:E102,E104,E201,E202 b25:E102:E101,E103,E104,E201 c25:E104:E203,E204,E102,E101; do
	IFS=: read -r cycle who peers <<<"$c"
	PLUMB_NOW=$first ok cycle create "$cycle" --kind annual --scope payments --from "$(ago 760)" --to "$first"
	for r in ${peers//,/ }; do PLUMB_NOW=$first ok --as M001 cycle nominate --cycle "$cycle" --for "$who" --reviewer "$r"; done
	printf 'answers:\n  strengths: "Self of %s"\n' "$who" >"self-$who.yaml"
	PLUMB_NOW=$first ok --as "$who" feedback submit --cycle "$cycle" --for "$who" "self-$who.yaml"
	PLUMB_NOW=$first ok cycle advance --cycle "$cycle"
	n=0
	for r in ${peers//,/ }; do
		n=$((n + 1))
		rating=4 when=$later
		[ $n = 1 ] && rating=2 when=$first
		printf 'answers:\n  strengths: "Words of %s"\nratings:\n  collaboration: %s\n' "$r" "$rating" >"fb-$r.yaml"
		PLUMB_NOW=$when ok --as "$r" feedback submit --cycle "$cycle" --for "$who" "fb-$r.yaml"
	done
	PLUMB_NOW=$later ok cycle advance --cycle "$cycle" # the feedback phase closes
	ok --as M001 feedback show --cycle "$cycle" --for "$who" --json
	expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.ratings | map("\(.competency) \(.mean)") | join(","))"' "4 collaboration 3.5"
	PLUMB_NOW=$later close_cycle "$cycle" # retention leaves an open cycle's review data
done
ok --as H001 hold add --person E103 --reason "case 2026-9"
# E204, a writer of E104's group, is found to be M002's other record: a hold on M002 keeps
# what E204 wrote, and so E104's group (found in review: holds did not follow merges).
ok person merge E204 --into M002 --reason "one human, two records"
ok hold add --person M002 --reason "case 2026-11"
# plumb me tells E104, who wrote 350 days ago, that their response about E101 goes with its
# group's first, written 400 days ago: 25 days ago, not in 25 days.  The day, in text and
# --json alike, never the time: that response is another writer's (found in the governance
# hunt: --json gave it to the millisecond, when they saved it).
ok --as E104 me --json
expect_json '.holdings[] | select(.what | startswith("feedback you wrote about others employed in DE")) | .retention.next' \
	"$(date -u -d "@$((NOW - 400 * 86400 + 375 * 86400))" +%Y-%m-%dT00:00:00.000Z)"
ok --as E104 me
expect_out "has been due since $(date -u -d "@$((NOW - 400 * 86400 + 375 * 86400))" +%Y-%m-%d)"
ok retention plan --as-of "$ASOF" --json
# One row a batch: a batch ends at its row count, not at a group's end, and takes the other
# responses of its groups along (found in review: the group went one by one again).
a25_ids=$(sql "SELECT MIN(f.id) || ' ' || MAX(f.id) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'a25'")
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --batch 1 --json
expect_json '[.lines[] | select(.category == "feedback_text") | .affected] | add' 7
# E101 is employed in DE: that line did a25's five rows, and its id range names them all, the
# group's others too (found in review: it named the batches' own ids alone).
expect_json '.lines[] | select(.category == "feedback_text" and .country == "DE") | "\(.affected) \(.first_id) \(.last_id)"' "5 $a25_ids"

# E101's peer group went whole, the first writer's response with the three not yet due; their
# self review, saved 400 days ago, went by itself; so did E102's and E104's (seven in all).
ok --as M001 feedback show --cycle a25 --for E101 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.shown)"' "0 false"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'a25'")" = 0 ] ||
	fail "a25 kept responses: $(sql "SELECT a.relation, f.body FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'a25'")"
# E102's group holds E103's response: the hold keeps the whole group as it read; E102's self
# review has no hold on it (E103 did not write it) and went.
ok --as M001 feedback show --cycle b25 --for E102 --json
expect_json '.groups[] | select(.relation == "peer") | "\(.responses) \(.ratings | map("\(.competency) \(.mean)") | join(","))"' "4 collaboration 3.5"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'b25' AND a.relation = 'self'")" = 0 ] ||
	fail "b25's self review was kept"
[ "$(sql "SELECT COUNT(*) FROM feedback_responses f JOIN review_assignments a ON a.id = f.assignment_id JOIN cycles c ON c.id = a.cycle_id WHERE c.name = 'c25' AND a.relation = 'peer'")" = 4 ] ||
	fail "the hold on M002 did not keep the group E204 wrote in"
ok audit verify
