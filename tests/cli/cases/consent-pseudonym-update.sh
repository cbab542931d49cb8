# A record stored pseudonymized names no one, so an update of it is stored, under the pseudonym
# of the account it names now, when that account is also one the policy pseudonymizes (another
# person without consent, an account matched to nobody). Found hunting: such an update was
# taken for a pseudonymized copy of a record stored with its account and skipped, so a held
# deployment whose actor changed kept its first status for good. A record stored with its
# account still stays as it was.
init_db
ok org import "$FIXTURES/org-small.csv"
import_deliveries_policy pseudonymize
ok source add deploy --name deploys
ok identity link deploy lschmidt --person E101 # no consent
ok identity link deploy amehta --person E201   # no consent
ok identity link deploy dwhitfield --person H001
ok consent grant --person H001 --mechanism delivery_pipeline
deploys() { # STATUS ACTOR1 ACTOR2 ACTOR3
	echo "id,service,environment,sha,ref,started,finished,status,actor"
	echo "D1,api,production,aaaaaa1,main,2024-05-03T14:00:00Z,2024-05-03T14:06:00Z,$1,$2"
	echo "D2,api,production,aaaaaa2,main,2024-05-04T14:00:00Z,2024-05-04T14:06:00Z,$1,$3"
	echo "D3,api,production,aaaaaa3,main,2024-05-05T14:00:00Z,2024-05-05T14:06:00Z,$1,$4"
}
deploys in_progress lschmidt nobody1 dwhitfield >"$T/a.csv"
ok ingest --source deploys "$T/a.csv" --json
expect_json '"\(.skipped) \(.pseudonymized)"' "0 2"
stored() { sql "SELECT external_id||' '||status||' '||COALESCE(account, '-')||' '||COALESCE(CAST(person_id AS TEXT), '-') FROM events ORDER BY external_id" | tr '\n' ','; }
[[ $(stored) =~ ^D1\ in_progress\ H1-[0-9a-f]{16}\ -,D2\ in_progress\ H1-[0-9a-f]{16}\ -,D3\ in_progress\ dwhitfield\ [0-9]+,$ ]] ||
	fail "not stored as expected: $(stored)"
d1=$(sql "SELECT account FROM events WHERE external_id = 'D1'")
d2=$(sql "SELECT account FROM events WHERE external_id = 'D2'")

# Each deployment succeeded, and was redone by someone else: D1 by another person without
# consent, D2 by another account matched to nobody; D3, stored with its account, now by
# someone without consent.
deploys success amehta nobody2 lschmidt >"$T/b.csv"
ok ingest --source deploys "$T/b.csv" --json
expect_json '"\(.skipped) \(.pseudonymized)"' "1 2"
expect_json '.governed | map("\(.reason)|\(.skipped)|\(.pseudonymized)") | sort | join(",")' \
	"held: account not matched|0|1,no consent|1|1"
now=$(stored)
[[ $now =~ ^D1\ success\ H1-[0-9a-f]{16}\ -,D2\ success\ H1-[0-9a-f]{16}\ -,D3\ in_progress\ dwhitfield\ [0-9]+,$ ]] ||
	fail "the updates of the pseudonymized records were lost, or the record stored with its account was overwritten: $now"
# Under the pseudonyms of the accounts they name now.
[ "$(sql "SELECT account FROM events WHERE external_id = 'D1'")" != "$d1" ] || fail "D1 kept the pseudonym of lschmidt"
[ "$(sql "SELECT account FROM events WHERE external_id = 'D2'")" != "$d2" ] || fail "D2 kept the pseudonym of nobody1"
[ "$(sql "SELECT COUNT(*) FROM events WHERE account IN ('amehta', 'nobody2', 'lschmidt') OR account_email IS NOT NULL OR account_name IS NOT NULL")" = 0 ] ||
	fail "an update stored an account in the clear"
ok identity unmatched --json
expect_json 'map(.events) | add' 2
ok audit verify
