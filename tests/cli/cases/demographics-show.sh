# plumb demographics show: readable only by the roles the policy names, within their scope;
# every read is audited naming whose attributes, refusals too; an unknown id is answered as
# one outside the scope; the policy can name another role.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E203 --role people-partner:search
ok user add --person M002 --role manager
ok user add --person E204 --role analyst
ok user add --person H001 --role leader
printf 'employee_id,attribute,value\nE201,gender,female\nE202,gender,male\nE101,gender,male\n' >d.csv
ok user add --person E104 --role people-partner
# Before any import: one line saying so, not a lone header row.
ok --as E104 demographics show
[ "$(cat "$T/out")" = "no demographic attributes held yet (plumb demographics import FILE.csv)" ] ||
	fail "no attributes at all: $(cat "$T/out")"
ok --as E104 demographics import d.csv
# The search people partner sees search only.
ok --as E203 demographics show --json
expect_json 'map(.employee_id) | join(",")' "E201,E202"
ok --as E203 demographics show E201
expect_out "female"
ok --as E203 demographics show --csv
expect_out "employee_id,attribute,value,updated"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'demographics.show' AND object_type = 'person' AND object_id = 'E201'")" = 1 ] ||
	fail "the read of E201 was not audited naming E201"
# E104's read before the import, then E203's two.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'demographics.show' AND object_id = 'all'")" = 3 ] ||
	fail "reads of everyone not audited"
run --as E203 demographics show E101
expect_status 3
expect_err "demographics of E101 are outside your scope"
# An unknown id gets the same answer, audited alike (found in review: exit 4 "no person" told
# which ids exist outside the scope); to a reader who covers everyone it is unknown.
sed 's/E101/E999/g' "$T/err" >out-of-scope.err
run --as E203 demographics show E999
expect_status 3
cmp -s "$T/err" out-of-scope.err || fail "an unknown id is answered apart: $(cat "$T/err")"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'demographics.show' AND detail LIKE '%E999%'")" = 1 ] ||
	fail "the refusal of an unknown id was not audited as one out of scope"
run --as E104 demographics show E999
expect_status 4
expect_err "no person with employee id E999"
# Nothing held is one line saying so, as every empty list is (docs/cli.md, "Output"), not a lone
# header row (found walking the docs); --csv keeps its header and --json is an empty array.
ok --as E203 demographics show E202 --json
expect_json 'length' 1
ok --as E203 demographics show E203
[ "$(cat "$T/out")" = "E203 has no demographic attributes held (plumb demographics import FILE.csv)" ] ||
	fail "a person with no attributes: $(cat "$T/out")"
ok --as E203 demographics show E203 --csv
[ "$(cat "$T/out")" = $'employee_id,attribute,value,updated\r' ] || fail "an empty --csv is not the header alone: $(cat -A "$T/out")"
ok --as E203 demographics show E203 --json
expect_json 'length' 0
# Admin, manager, analyst and leader are not readers: refused and audited, naming whom.
for u in admin M002 E204 H001; do
	if [ "$u" = admin ]; then run demographics show E201 --json; else run --as "$u" demographics show E201 --json; fi
	expect_status 3
	expect_err "only the policy's demographics readers may read demographics of E201"
	grep -q "female\|male" "$T/out" && fail "$u saw a value"
done
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'demographics.show' AND detail LIKE '%E201%'")" = 4 ] ||
	fail "refusals not audited naming E201"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_id = 'demographics.show' AND detail LIKE '%E101%'")" = 1 ] ||
	fail "the out-of-scope refusal not audited"
# The policy may name the leaders instead.
sed 's/readers: \[people-partner\]/readers: [leader]/' "$ROOT/examples/policy.yaml" >policy.yaml
grep -q "readers: \[leader\]" policy.yaml || fail "the example policy has no readers: [people-partner]"
ok policy import policy.yaml
ok --as H001 demographics show --json
expect_json 'length' 3
run --as E203 demographics show E201
expect_status 3
ok audit verify
