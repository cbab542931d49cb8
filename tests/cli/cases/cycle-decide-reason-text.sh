# cycle decide: the reason, which the audit entry keeps, is one line of text of at most 2000
# bytes without control characters, as every other reason is; otherwise exit 2 and nothing
# written, over the CLI and the API (found hunting: a newline, a control character or any
# length was kept).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E102 E103 E104; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok cycle create y26 --kind annual --scope payments
ok --as E102 cycle nominate --cycle y26 --for E102 --reviewer E103
ok --as E102 cycle nominate --cycle y26 --for E102 --reviewer E104
# (A refusal under --as leaves its {"ok":false} entry: no write.)
written() { sql "SELECT (SELECT COUNT(*) FROM audit_log WHERE detail <> '{\"ok\":false}') || ' ' || (SELECT COUNT(*) FROM review_assignments WHERE relation = 'peer' AND status = 'nominated')"; }
before=$(written)
for reason in "$(printf 'too busy\nthis quarter')" "$(printf 'too\033[2Jbusy')" "$(printf 'too\tbusy')" "$(head -c 2001 /dev/zero | tr '\0' x)"; do
	run --as M001 cycle decide --cycle y26 --for E102 --reviewer E103 --decision decline --reason "$reason"
	expect_status 2
	expect_err "--reason must be one line of text of at most 2000 bytes without control characters"
	[ "$(written)" = "$before" ] || fail "a refused decision wrote: was '$before', now '$(written)'"
done
# An approval's reason too.
run --as M001 cycle decide --cycle y26 --for E102 --reviewer E103 --decision approve --reason "$(printf 'a\001b')"
expect_status 2
[ "$(written)" = "$before" ] || fail "a refused approval wrote"
# The API says the same, a 400.
tok=$(token M001 write)
before=$(written)
serve
http POST /api/v1/cycles/y26/decisions -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
	-d '{"for":"E102","reviewer":"E103","decision":"decline","reason":"too busy\nthis quarter"}'
expect_http 400
expect_json .error.message "\"reason\" must be one line of text of at most 2000 bytes without control characters"
[ "$(written)" = "$before" ] || fail "a refused API decision wrote"
# 2000 bytes of one line are taken.
ok --as M001 cycle decide --cycle y26 --for E102 --reviewer E103 --decision decline --reason "$(head -c 2000 /dev/zero | tr '\0' x)"
ok --as M001 cycle decide --cycle y26 --for E102 --reviewer E104 --decision decline --reason "busy this quarter"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'cycle.decide' AND detail LIKE '%\"reason\":\"busy this quarter\"%'")" = 1 ] ||
	fail "the reason is not in the audit entry"
stop_server
ok audit verify
