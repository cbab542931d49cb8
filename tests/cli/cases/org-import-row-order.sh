# An org file's row order does not matter: a report's row may come before their manager's.
# Re-importing the same file changes nothing, a move to a manager in a later row and a new
# hire under one are kept (found in review: the manager resolved to none, and the reporting
# line was closed with no new one, while the audit entry said it changed).  A record merged
# into another is refused as a manager, as one who has left is.
init_db
hdr=$(head -1 "$FIXTURES/org-small.csv")
reversed() { echo "$hdr"; tail -n +2 "$FIXTURES/org-small.csv" | tac; }
reversed >"$T/reversed.csv"
tail -n +2 "$FIXTURES/org-small.csv" | head -1 | grep -q "^H001," || fail "the fixture's first row is no longer the head"
ok org import "$FIXTURES/org-small.csv" --effective 2026-01-01
managers() { ok person list --json; json 'map("\(.employee_id)>\(.manager_id)") | join(",")'; }
want=$(managers)
case ",$want," in *,E203\>M002,*) ;; *) fail "E203 does not report to M002: $want" ;; esac
ok org tree --json
cp "$T/out" "$T/tree1.json"
# The same people in reverse order (each report before their manager), later: nothing changes.
ok org import "$T/reversed.csv" --effective 2026-06-01
expect_out "0 updated"
expect_out "0 history changes"
[ "$(managers)" = "$want" ] || fail "a reversed re-import changed the managers: '$(managers)'"
ok org tree --json
cmp -s "$T/out" "$T/tree1.json" || fail "the org tree changed on a reversed re-import"
ok org import "$T/reversed.csv" --effective 2026-06-02
expect_out "0 history changes"
# E203 moves to E204, whose row comes after E203's.
sed 's/^\(E203,[^,]*,[^,]*,\)M002,/\1E204,/' "$FIXTURES/org-small.csv" >"$T/moved.csv"
grep -q "^E203,.*,E204,search," "$T/moved.csv" || fail "the move was not written"
ok org import "$T/moved.csv" --effective 2026-07-01
expect_out "1 history change"
ok person show E203 --json
expect_json .manager_id E204
# A new hire whose manager's row comes after theirs.
{
	echo "$hdr"
	echo "N001,Nia New,nia.new@acme.example,M001,payments,Software Engineer,L2,ic,backend,DE,2026-08-01,,,,,"
	tail -n +2 "$T/moved.csv"
} >"$T/hire.csv"
ok org import "$T/hire.csv" --effective 2026-08-01
ok person show N001 --json
expect_json .manager_id M001
# A record merged into another is no one's manager: refused, naming the record it went into,
# nothing written.
ok person merge E104 --into E101 --reason "one human, two records"
sed -e 's/^\(E103,[^,]*,[^,]*,\)M001,/\1E104,/' "$T/hire.csv" |
	awk -F, -v OFS=, '$1 == "E104" { $13 = ""; $14 = ""; $15 = "" } { print }' >"$T/to-merged.csv"
grep -q "^E103,.*,E104,payments," "$T/to-merged.csv" || fail "the file was not written"
before=$(counts)
run org import "$T/to-merged.csv" --effective 2026-09-01
expect_status 1
expect_err "manager_id: manager E104 was merged into E101 (person merge): name E101"
expect_counts "$before"
