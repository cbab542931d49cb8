# A manager's person list holds exactly their current reporting chain (computed independently with a recursive query) plus themselves.
init_db
ok demo --org-only
sample=$(sed -n 's/.*--as \([A-Z0-9]*\) person list .*reporting chain.*/\1/p' "$T/out")
[ -n "$sample" ] || fail "demo output names no sample manager"
managers=$(sql "SELECT u.name FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'manager' ORDER BY u.name")
echo "$managers" | grep -qx "$sample" || fail "sample manager $sample has no manager role"
[ "$(echo "$managers" | wc -l)" -ge 10 ] || fail "expected at least 10 managers"
for m in $managers; do
	expected=$(sql "
		WITH RECURSIVE chain(id) AS (
		  SELECT r.person_id FROM reporting_lines r JOIN people m ON m.id = r.manager_id
		   WHERE m.employee_id = '$m' AND r.valid_to IS NULL
		  UNION SELECT r.person_id FROM reporting_lines r JOIN chain c ON r.manager_id = c.id
		   WHERE r.valid_to IS NULL)
		SELECT employee_id FROM people WHERE id IN (SELECT id FROM chain) OR employee_id = '$m'
		ORDER BY employee_id" | sort | tr '\n' ' ')
	ok --as "$m" person list --json
	got=$(json '.[].employee_id' | sort | tr '\n' ' ')
	[ "$got" = "$expected" ] || fail "manager $m sees [$got], expected [$expected]"
	[ "$(echo $expected | wc -w)" -ge 2 ] || fail "manager $m has nobody in their chain"
done

# Inside the chain: visible; outside it: refused with exit 3.
inside=$(sql "SELECT p.employee_id FROM reporting_lines r JOIN people p ON p.id = r.person_id JOIN people m ON m.id = r.manager_id WHERE m.employee_id = '$sample' AND r.valid_to IS NULL ORDER BY p.employee_id LIMIT 1")
ok --as "$sample" person show "$inside" --json
expect_json .manager_id "$sample"
ok --as "$sample" person list --json
outside=$(sql "SELECT employee_id FROM people ORDER BY employee_id" | grep -vxF -f <(json '.[].employee_id') | head -1)
[ -n "$outside" ] || fail "manager $sample sees everyone"
run --as "$sample" person show "$outside"
expect_status 3
expect_err "outside your scope"
# A manager cannot write or read the audit log.
run --as "$sample" audit log
expect_status 3
