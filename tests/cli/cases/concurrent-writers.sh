# Many plumb processes writing at once (imports of disjoint people, service changes, user
# grants): nothing lost, nothing duplicated, and the audit chain, appended by all of them
# across processes, still verifies with one entry per change in one unbroken sequence.
init_db
ok org import "$FIXTURES/org-small.csv"
base=$(sql "SELECT COUNT(*) FROM audit_log")
writers=8 per=6 imports=4 people=25
# Imports of disjoint people under the fixture's VP (H001), each in its own team.
for i in $(seq "$imports"); do
	{
		echo "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login"
		for j in $(seq "$people"); do
			printf 'C%d%03d,Person %d-%d,c%d.%d@acme.example,H001,crowd-%d,Engineer,L3,ic,backend,DE,2024-01-01,gh-c%d-%d\n' \
				"$i" "$j" "$i" "$j" "$i" "$j" "$i" "$i" "$j"
		done
	} >"$T/crowd-$i.csv"
done
pids=()
for i in $(seq "$imports"); do
	"$PLUMB" org import "$T/crowd-$i.csv" --effective 2026-01-01 >"$T/import-$i.out" 2>&1 &
	pids+=($!)
done
for w in $(seq "$writers"); do
	(
		for k in $(seq "$per"); do
			"$PLUMB" service set "svc-$w-$k" --team payments --effective 2026-01-01 || echo "FAILED svc-$w-$k"
		done
	) >"$T/writer-$w.out" 2>&1 &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
for f in "$T"/import-*.out "$T"/writer-*.out; do
	grep -qE 'FAILED|error|Sanitizer|runtime error' "$f" && fail "a concurrent writer failed: $f: $(head -5 "$f")"
done

# Nothing lost, nothing twice.
[ "$(sql "SELECT COUNT(*) FROM services WHERE name LIKE 'svc-%'")" = $((writers * per)) ] || fail "services lost or doubled"
[ "$(sql "SELECT COUNT(*) FROM people WHERE employee_id LIKE 'C%'")" = $((imports * people)) ] || fail "people lost or doubled"
[ "$(sql "SELECT COUNT(*) FROM identities i JOIN people p ON p.id = i.person_id WHERE p.employee_id LIKE 'C%'")" = $((imports * people)) ] ||
	fail "identities lost or doubled"
[ "$(sql "SELECT COUNT(*) FROM team_memberships m JOIN people p ON p.id = m.person_id WHERE p.employee_id LIKE 'C%'")" = $((imports * people)) ] ||
	fail "memberships lost or doubled"
# One service.create per service, one person.create per person (and one summary per import).
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'service.create'")" = $((writers * per)) ] || fail "service entries lost or doubled"
[ "$(sql "SELECT COUNT(DISTINCT object_id) FROM audit_log WHERE action = 'service.create'")" = $((writers * per)) ] || fail "a service entry twice"
# The chain: contiguous sequence numbers, each linking to the one before, every checkpoint signed.
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$(sql "SELECT MAX(seq) FROM audit_log")" ] || fail "audit sequence has gaps or duplicates"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" -gt $((base + writers * per + imports * people)) ] || fail "entries missing"
ok audit verify --json
expect_json .verified true
expect_json .checkpoints "$(sql "SELECT COUNT(*) FROM audit_checkpoints")"
