# A masked reader's list of leavers comes from their own rows only: an analyst managing E103
# saw "E103 (Sofia Rossi) left on 2026-11-05" from their manager review and "P-.. (P-..) left
# on 2026-11-05" from E103's self review beside it, which tied the pseudonym to E103 (found in
# review). An unmasked reader still sees every leaver.
init_db
export PLUMB_NOW=2026-11-01T00:00:00Z
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E101 E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role analyst
ok cycle create a26 --kind annual --scope payments --due self_review=2026-11-10 \
	--due feedback=2026-11-20 --due manager_review=2026-11-30
sed -E 's/^(E103,.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-11-05,/' "$FIXTURES/org-small.csv" >org2.csv
grep -q '^E103,.*,2026-11-05,' org2.csv || fail "the org file did not end E103"
ok org import org2.csv
export PLUMB_NOW=2026-11-12T00:00:00Z
ok --as M001 cycle status --cycle a26 --json
expect_json '[.left[] | select(.person | startswith("P-"))] | length' 0
expect_json '.left | map("\(.person) \(.left_on) \(.withdrawn | join(";"))") | join(",")' \
	"E103 2026-11-05 manager review of E103 by M001"
# Nor is a pseudonym's row withdrawn beside the reader's own: P-..'s self review, withdrawn
# as E103's manager review was, tied P-.. to the leaver E103 (found in review).  It is no
# work, so the counts stand.
expect_json '[.assignments[] | select(.withdrawn) | "\(.reviewee) \(.relation)"] | join(",")' "E103 manager"
expect_json '[.progress[] | select(.phase == "self_review") | .total] | add' 4
# The cycle's page likewise: the reader's own row about E103 only.
serve
http GET /cycles/a26 -H "Authorization: Bearer $(token M001 read)"
expect_http 200
[ "$(grep -o 'has left' "$T/out" | wc -l)" = 1 ] || fail "leavers on the page: $(grep -o '<tr>[^/]*has left' "$T/out")"
stop_server
ok --as M001 cycle status --cycle a26
[ "$(grep -c ' left on ' "$T/out")" = 1 ] || fail "leavers shown: $(grep ' left on ' "$T/out")"
expect_out "  E103 (Sofia Rossi) left on 2026-11-05; withdrawn: manager review of E103 by M001"
ok cycle status --cycle a26 --json
expect_json '.left | map(.person) | join(",")' "E103"
expect_json '.left[0].withdrawn | map(select(startswith("self review"))) | length' 1
# A masked reader's --reviewer finds the rows a stand-in owes: once M001 has left, E102's manager
# review is owed by M002, who stands in, and E102 (an analyst, who reads it once delivered)
# finds it under M002's pseudonym, the row's writer (found in review: the filter matched the
# leaver's). The row about E102 names them as they are, name too (it gave their id as name).
ok user add --person E102 --role analyst
ok user add --person M002 --role employee
sed -E 's/^(M001,.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}),,/\1,2026-11-13,/; s/^(E102,"Nguyen, Minh",[^,]*,)M001,/\1M002,/' org2.csv >org3.csv
grep -q '^E102,.*,M002,payments,' org3.csv && grep -q '^M001,.*,2026-11-13,' org3.csv || fail "the org file did not end M001 and move E102"
ok org import org3.csv
export PLUMB_NOW=2026-11-14T00:00:00Z
for phase in feedback manager_review calibration signoff delivery; do
	ok cycle advance --cycle a26
	expect_out "now in $phase"
done
ok --as E102 cycle assignments --cycle a26 --json
expect_json '[.assignments[] | select(.relation == "manager") | "\(.reviewee) \(.reviewee_name) \(.writer != .reviewer)"] | join(",")' "E102 Nguyen, Minh true"
stand_in=$(json '.assignments[] | select(.relation == "manager") | .writer')
[[ $stand_in =~ ^P-[0-9a-f]{16}$ ]] || fail "the stand-in is not a pseudonym: $stand_in"
ok --as E102 cycle assignments --cycle a26 --reviewer "$stand_in" --json
expect_json '[.assignments[] | "\(.reviewee) \(.relation)"] | join(",")' "E102 manager"
# M002, with the employee role only, sees the review they owe as a home manager does (found in
# review: dropped as outside their scope before it was found theirs, yet they could submit it).
ok --as M002 cycle assignments --cycle a26 --reviewer M002
grep -Eq '^E102 +M002 for M001 +manager +active ' "$T/out" || fail "M002 is not shown owing E102's review: $(cat "$T/out")"
ok --as M002 cycle status --cycle a26 --json
expect_json '[.assignments[] | "\(.reviewee) \(.relation) \(.writer)"] | join(",")' "E102 manager M002"
serve
http GET /reviews -H "Authorization: Bearer $(token M002 read)"
expect_http 200
grep -q 'Nguyen, Minh (E102)</th><td>Manager' "$T/out" || fail "M002's review work does not list E102's manager review"
stop_server
