# A lost update refused: an evaluation change made on a version another has replaced since is
# not stored over theirs unseen (found in review: two managers, or two tabs, each submitted the
# version they had opened, and the second silently replaced the first's ratings). The check is
# the core's (evaluation submit --base-version N, ?base-version=N over the API, the hidden base
# of the manager-review form): after the permission check, before the file; a 409 / exit 5
# naming the newest version, who stored it and when; nothing written, and the same audit
# entries from every face. Without a base version (the CLI and API as before) nothing changes.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person E201 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for n in 2 3 4 5; do rated $n >"$T/r$n.yaml"; done
versions() { sql "SELECT version || ':' || created_by FROM evaluations ORDER BY version" | paste -sd' '; }
audit_count() { sql "SELECT COUNT(*) FROM audit_log"; }

# ---- the CLI
# No version yet: a base of 1 is refused, 0 is stored.
run --as M001 evaluation submit --cycle a26 --person E101 --base-version 1 "$T/r3.yaml"
expect_status 5
expect_err "plumb: error: E101's evaluation in cycle 'a26' has no version 1: it has none yet"
expect_err "submit again as the first version (--base-version 0)"
ok --as M001 evaluation submit --cycle a26 --person E101 --base-version 0 "$T/r3.yaml"
# The partner stores version 2 on version 1; the manager's change, made on version 1 too, is
# refused, saying what replaced it; nothing is written.
ok --as E201 evaluation submit --cycle a26 --person E101 --base-version 1 --reason "partner's view" "$T/r4.yaml"
[ "$(versions)" = "1:M001 2:E201" ] || fail "versions: $(versions)"
# The CLI names its option for a reason it refuses, and for one missing (the page names its
# field instead: server-review-pages.sh).
run --as M001 evaluation submit --cycle a26 --person E101 --base-version 2 --reason "$(printf 'a\tb')" "$T/r2.yaml"
expect_status 2
expect_err "plumb: error: --reason must be one line of text of at most 2000 bytes without control characters"
run --as M001 evaluation submit --cycle a26 --person E101 --base-version 2 "$T/r2.yaml"
expect_status 2
expect_err "plumb: error: E101's evaluation in cycle 'a26' is at version 2: a new version needs a reason"
expect_err "hint: say why it changes with --reason TEXT"
[ "$(versions)" = "1:M001 2:E201" ] || fail "a refused version was stored: $(versions)"
before=$(audit_count)
run evaluation submit --cycle a26 --person E101 --base-version 1 --reason "manager's view" "$T/r2.yaml"
expect_status 3 # the admin may not: the permission is checked before the version
[ "$(sql "SELECT action FROM audit_log ORDER BY seq DESC LIMIT 1")" = access.denied ] || fail "the admin's refusal not audited"
before=$(audit_count)
run --as M001 evaluation submit --cycle a26 --person E101 --base-version 1 --reason "manager's view" "$T/r2.yaml"
expect_status 5
expect_err "plumb: error: E101's evaluation in cycle 'a26' is at version 2, not version 1 this submission starts from"
expect_err "detail: version 2 was stored by E201 at "
expect_err "(manager); nothing was stored"
expect_err "hint: read version 2 (plumb evaluation history), then submit again on it (--base-version 2)"
[ "$(versions)" = "1:M001 2:E201" ] || fail "a stale submission was stored: $(versions)"
cli_entries=$(sql "SELECT actor || ' ' || action || ' ' || object_type || ':' || object_id FROM audit_log WHERE seq > $before")
# The version is checked before the file: a stale base is said first.
run --as M001 evaluation submit --cycle a26 --person E101 --base-version 1 --reason x "$FIXTURES/org-small.csv"
expect_status 5
# On the newest version, stored; without a base version, stored on whatever is newest.
ok --as M001 evaluation submit --cycle a26 --person E101 --base-version 2 --reason "manager's view" "$T/r2.yaml"
ok --as M001 evaluation submit --cycle a26 --person E101 --reason "unbased" "$T/r3.yaml"
[ "$(versions)" = "1:M001 2:E201 3:M001 4:M001" ] || fail "versions: $(versions)"
run --as M001 evaluation submit --cycle a26 --person E101 --base-version -1 "$T/r3.yaml"
expect_status 2

# ---- the API: ?base-version=N, a 409 with the same words
serve
tok=$(token M001 write)
before=$(audit_count)
http POST "/api/v1/cycles/a26/evaluations/E101?reason=api&base-version=3" -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/yaml' --data-binary @"$T/r5.yaml"
expect_http 409
expect_json .error.code conflict
expect_json .error.message "E101's evaluation in cycle 'a26' is at version 4, not version 3 this submission starts from"
expect_json '.error.detail | test("^version 4 was stored by M001 at .* \\(manager\\); nothing was stored$")' true
[ "$(versions)" = "1:M001 2:E201 3:M001 4:M001" ] || fail "a stale API submission was stored: $(versions)"
api_entries=$(sql "SELECT actor || ' ' || action || ' ' || object_type || ':' || object_id FROM audit_log WHERE seq > $before")
http POST "/api/v1/cycles/a26/evaluations/E101?reason=api&base-version=4" -H "Authorization: Bearer $tok" \
	-H 'Content-Type: application/yaml' --data-binary @"$T/r5.yaml"
expect_http 200
expect_json .version 5

# ---- the manager-review form carries the version it was opened on
printf 'a long enough password\n' >"$T/pw"
ok user passwd M001 --password-file "$T/pw"
jar="$T/jar"
c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=M001&password=a+long+enough+password"
expect_http 303
http GET /cycles/a26/review/E101 -b "$jar"
expect_http 200
grep -qF '<input type="hidden" name="base" value="5">' "$T/out" || fail "the form carries no base version"
csrf=$(grep -o 'name="csrf" value="[0-9a-f]*"' "$T/out" | head -1 | cut -d'"' -f4)
# Another tab (the partner, over the CLI) stores version 6 meanwhile.
ok --as E201 evaluation submit --cycle a26 --person E101 --base-version 5 --reason "partner again" "$T/r4.yaml"
form=(--data-urlencode "csrf=$csrf" --data-urlencode rating.technical_skill=2 --data-urlencode noev.technical_skill=mine
	--data-urlencode rating.delivery=2 --data-urlencode noev.delivery=mine
	--data-urlencode rating.collaboration=2 --data-urlencode noev.collaboration=mine
	--data-urlencode "case=My <own> case" --data-urlencode "reason=manager's tab" --data-urlencode action=submit)
before=$(audit_count)
http POST /cycles/a26/review/E101 -b "$jar" "${form[@]}" --data-urlencode base=5
expect_http 409
page_has() { grep -qF -- "$1" "$T/out" || fail "page lacks: $1"; }
page_has 'role="alert"><p>E101&#39;s evaluation in cycle &#39;a26&#39; is at version 6, not version 5 this submission starts from</p>'
page_has '(manager); nothing was stored</p>'
page_has 'The form below holds what you entered, not version 6.'
page_has '<a href="/cycles/a26/review/E101">Open the review again</a> to start from version 6, or submit these entries to store them as version 7 in its place.'
page_has 'name="case">My &lt;own&gt; case</textarea>'
page_has '<input type="hidden" name="base" value="6">'
[ "$(versions)" = "1:M001 2:E201 3:M001 4:M001 5:M001 6:E201" ] || fail "the stale form was stored: $(versions)"
page_entries=$(sql "SELECT actor || ' ' || action || ' ' || object_type || ':' || object_id FROM audit_log WHERE seq > $before")
# The refusal is audited as every failed write is, the same from each face: it writes
# nothing and is no permission refusal, so over the API it leaves no entry; the page leaves
# only the audited read of the evaluation's history every opening of the form makes; under
# --as, as any operation that fails under --as, the attempt.
[ -z "$api_entries" ] || fail "the API's refusal left entries: $api_entries"
[ "$page_entries" = "M001 evaluation.history person:E101" ] || fail "the page's refusal left entries: $page_entries"
[ "$cli_entries" = "M001 evaluation.submit op:evaluation.submit" ] || fail "the CLI's refusal under --as: $cli_entries"
# A post that does not say its base version is refused too (not stored on whatever is newest).
http POST /cycles/a26/review/E101 -b "$jar" "${form[@]}"
expect_http 409
page_has "the submission does not say which version of E101&#39;s evaluation in cycle &#39;a26&#39; it starts from"
page_has '<input type="hidden" name="base" value="6">'
http POST /cycles/a26/review/E101 -b "$jar" "${form[@]}" --data-urlencode base=abc
expect_http 409
[ "$(versions)" = "1:M001 2:E201 3:M001 4:M001 5:M001 6:E201" ] || fail "a form without its base was stored: $(versions)"
# More evidence rows keep the base the form was opened on, not the newest.
http POST /cycles/a26/review/E101 -b "$jar" "${form[@]/action=submit/action=rows}" --data-urlencode base=5
expect_http 200
page_has '<input type="hidden" name="base" value="5">'
# Submitted again on version 6, knowingly: stored as version 7.
http POST /cycles/a26/review/E101 -b "$jar" "${form[@]}" --data-urlencode base=6
expect_http 303
[ "$(versions)" = "1:M001 2:E201 3:M001 4:M001 5:M001 6:E201 7:M001" ] || fail "versions: $(versions)"
[ "$(sql "SELECT reason FROM evaluations WHERE version = 7")" = "manager's tab" ] || fail "version 7's reason"
stop_server
ok audit verify
