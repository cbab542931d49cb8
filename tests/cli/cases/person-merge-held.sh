# A record under a legal hold may be merged: a person hold covers every record of the human
# (hold-merged-records.sh), so what the merge moves to the record that stays is still held, and
# so is that record's own data; what is left with the merged record stays held too (found
# hunting merges: the merge was refused while the hold stood, as it once took the records out
# of it).  Retention then keeps the human's events under either record, the audit entries
# about both, and an unlink of an account of the record that stays is refused as the hold's.
NOW=$(date -u +%s)
ago() { date -u -d "@$((NOW - $1 * 86400))" +%Y-%m-%dT%H:%M:%SZ; }
ASOF=$(date -u -d "@$((NOW + 60 * 86400))" +%Y-%m-%dT%H:%M:%SZ)
init_db
ok org import "$FIXTURES/org-small.csv"
ok policy import "$ROOT/examples/policy.yaml"
ok source add deploy --name deploys
ok identity link deploy tbaker --person E104  # GB: events kept 1095 days
ok identity link deploy tbaker2 --person E103 # GB
ok identity link deploy eclarke --person E202 # US, no hold: the control
{
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,$(ago 1200),$(ago 1200),success,tbaker"
	echo "D2,api,production,aaaaaa2,main,$(ago 1200),$(ago 1200),success,tbaker2"
	echo "D3,api,production,aaaaaa3,main,$(ago 1200),$(ago 1200),success,eclarke"
} >old.csv
ok ingest --source deploys old.csv
ok hold add --person E103 --reason "case 2026-40"
hold=$(sql "SELECT MAX(id) FROM legal_holds")
# E103 turns out to be E104's human: the held record is merged into the one that stays.
ok person merge E103 --into E104 --reason "one human, two HRIS records"
[ "$(sql "SELECT p.employee_id FROM events e JOIN people p ON p.id = e.person_id WHERE e.external_id = 'D2'")" = E104 ] ||
	fail "the merge did not move E103's deployment to E104"
ok hold list --json
expect_json '[.[] | .person] | join(",")' "E103"
ok retention plan --as-of "$ASOF" --json
expect_json '[.lines[] | select(.category == "events" and .country == "GB")][0] | "\(.due) \(.affected) \(.held)"' "2 0 2"
expect_json '[.lines[] | select(.category == "events" and .country == "GB")][0] | .holds | map("\(.hold) \(.covers) \(.rows)") | join(",")' "$hold person E103 2"
PLUMB_NOW="$ASOF" ok retention apply --as-of "$ASOF" --json
[ "$(sql "SELECT external_id FROM events ORDER BY external_id" | tr '\n' ' ')" = "D1 D2 " ] ||
	fail "the held human's events were deleted, or E202's kept: $(sql "SELECT external_id FROM events")"
# Events still cannot leave the human: an unlink of the record that stays is refused.
before=$(counts)
run identity unlink deploy tbaker
expect_status 5
expect_err "E104 is under a legal hold"
expect_counts "$before"
# A merge of the record that stays into a third record of the human goes ahead too, and the
# hold follows (the merges are one step deep: E103 now names E204 as well).
ok person merge E104 --into E204 --reason "a third record"
ok retention plan --as-of "$ASOF" --json
expect_json '[.lines[] | select(.category == "events" and .held > 0)] | map("\(.country) \(.held)") | join(",")' "DE 2"
run identity unlink deploy tbaker
expect_status 5
expect_err "E204 is under a legal hold"
ok audit verify
