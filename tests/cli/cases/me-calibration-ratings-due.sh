# plumb me's date for when the oldest of the calibration marks and changes about a person goes
# is the earlier of the evaluations rule's and the ratings rule's, which deletes the changes
# (they hold ratings) by the same due time: it gave the evaluations rule's alone, though under
# the example policy (ratings 1825 days, evaluations 2555) retention deleted the change two
# years before the date the person was told (found in review).
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person H001 --role manager
review_data_400_days_ago # M001 evaluated E101 (DE) and E102 (US) in cycle a25
at=$(ago 400)
PLUMB_NOW=$at ok calibrate session create --cycle a25 --population payments --facilitator H001 \
	--participants M001 --name a25-room --guidance 1=0-100
PLUMB_NOW=$at ok cycle advance --cycle a25 # calibration
for p in E101 E102; do
	PLUMB_NOW=$at ok --as H001 calibrate mark --session a25-room --person "$p" --mark question \
		--comment "$p's rating reads low for the refunds rewrite"
done
PLUMB_NOW=$at ok --as H001 calibrate session open --session a25-room
for p in E101 E102; do
	PLUMB_NOW=$at ok --as M001 calibrate change --session a25-room --person "$p" --dimension delivery \
		--rating 4 --reason "$p carried the refunds migration" --evidence link:https://x.example/refunds
done
PLUMB_NOW=$at ok --as H001 calibrate session close --session a25-room
close_cycle a25
ok policy import "$ROOT/examples/policy.yaml"
ok --as E101 me --json
# Due with the oldest evaluation version of the cycle, as the ratings of it are.
expect_json '.holdings[] | select(.what | startswith("calibration")) | .retention.days' 2555
ratings=$(json '.holdings[] | select(.category == "ratings") | .retention.next')
[ "$ratings" != null ] || fail "no date for the ratings"
expect_json '.holdings[] | select(.what | startswith("calibration")) | .retention.next' "$ratings"
# And retention takes the change by then: a day after, the ratings line does it.
after=$(date -u -d "$ratings + 1 day" +%Y-%m-%dT%H:%M:%SZ)
PLUMB_NOW="$after" ok retention plan --as-of "$after" --json
expect_json '[.lines[] | select(.category == "ratings" and .country == "DE")][0].calibration' 1
ok audit verify
