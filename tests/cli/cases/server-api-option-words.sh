# Over the API an error names an option as the request gives it: a query parameter (?as_of) on
# a GET, a JSON field ("reason") otherwise, not the CLI's flag (found hunting: "unknown option
# --as_of", "needs --reason TEXT", a note's "--limit 0 shows all").  The words of the parser and
# of every service, errors and warnings, pass through one place in the API's face; the CLI's
# stay flags, and a command quoted to run keeps its own.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for p in E102 E103; do ok user add --person "$p" --role employee; done
ok user add --person M001 --role manager
ok cycle create y26 --kind annual --scope payments
ok --as E102 cycle nominate --cycle y26 --for E102 --reviewer E103
tok=$(token M001 write)
serve
# A GET's unknown option, named as the query parameter it came as.
http GET "/api/v1/metrics/catalog?as_of=2026-01-01" -H "Authorization: Bearer $tok"
expect_http 400
expect_json .error.message "unknown option ?as_of for 'plumb metrics catalog'"
expect_json .error.hint "run 'plumb metrics catalog --help'"
# A field named with capitals or beyond ASCII, named whole (found hunting: "na"éme).
for f in 'naéme' 'Name' 'as_Of-x1'; do
	http POST /api/v1/calendar -H "Authorization: Bearer $tok" -H "Content-Type: application/json" -d "{\"$f\": \"x\"}"
	expect_http 400
	expect_json .error.message "unknown option \"$f\" for 'plumb calendar add'"
done
http GET "/api/v1/metrics/catalog?N%C3%A9=1" -H "Authorization: Bearer $tok"
expect_http 400
expect_json .error.message "unknown option ?Né for 'plumb metrics catalog'"
# A service's hint, named as the body's field.
http POST /api/v1/cycles/y26/decisions -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
	-d '{"for":"E102","reviewer":"E103","decision":"decline"}'
expect_http 400
expect_json .error.message 'declining a nomination needs "reason": TEXT'
grep -qF -- '--' "$T/out" && fail "the API's error names a flag: $(cat "$T/out")"
# What is quoted is a value, not an option: a positional given with dashes stays as sent, and
# a usage line stays the CLI's.
tok_admin=$(token admin write)
http POST /api/v1/cycles -H "Authorization: Bearer $tok_admin" -H 'Content-Type: application/json' \
	-d '{"args":["c3","--extra"],"kind":"annual","scope":"payments"}'
expect_http 400
expect_json .error.message "unexpected argument '--extra'"
expect_json .error.hint "usage: plumb cycle create NAME"
# A value the request gave is named as sent, quoted or not, even with an option's words in it
# (found in review: "no person with employee id x ?limit=0" named no id that was asked for,
# and a quote inside a value ended the quoting: 'zz' ?limit=0').
http GET "/api/v1/people/x%20--limit%200" -H "Authorization: Bearer $tok_admin"
expect_http 404
expect_json .error.message "no person with employee id x --limit 0"
http GET "/api/v1/people?team=zz%27%20--limit%200" -H "Authorization: Bearer $tok_admin"
expect_http 404
expect_json .error.message "no team 'zz' --limit 0'"
# The CLI says flags, as before.
run --as M001 cycle decide --cycle y26 --for E102 --reviewer E103 --decision decline
expect_status 2
expect_err "declining a nomination needs --reason TEXT"
stop_server
