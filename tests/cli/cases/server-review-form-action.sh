# A review form's `action` is one of its buttons: the feedback form's draft or submit, the
# manager's review's rows or submit. Any other value is a 400 naming the field and what it
# takes, with the form shown again and nothing saved or audited (found hunting:
# action=frobnicate on the feedback form submitted it, where the buttons say "Save draft" or
# "Submit", and the manager's review saved a new version).
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
printf 'a long enough password\n' >"$T/pw"
for u in E102 M001; do ok user passwd "$u" --password-file "$T/pw"; done
serve
expect_page() { grep -qF -- "$1" "$T/out" || fail "page lacks: $1"; }
jar="$T/jar"
signin() {
	rm -f "$jar"
	local c
	c=$(curl -s -c "$jar" -b "$jar" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$jar" -b "$jar" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
	csrf=$(curl -s -b "$jar" "$URL/reviews" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
	[ ${#csrf} -eq 64 ] || fail "no CSRF token on /reviews"
}
# What the forms save, and the audit entries of saving (opening the manager's review reads the
# evaluation, an audited read, whatever is posted).
saved() { echo "$(sql "SELECT COUNT(*) FROM feedback_responses")/$(sql "SELECT COUNT(*) FROM evaluations")/$(sql "SELECT COUNT(*) FROM audit_log WHERE action IN ('feedback.submit', 'evaluation.submit')")"; }
entries() { sql "SELECT COUNT(*) FROM audit_log"; }

signin E102
before=$(saved) audit_before=$(entries)
form=(--data-urlencode "csrf=$csrf" --data-urlencode relation=peer
	--data-urlencode "answer.strengths=Keeps the docs current" --data-urlencode rating.collaboration=4)
for action in frobnicate Submit "submit " ""; do
	http POST /cycles/a26/feedback/E101 -b "$jar" "${form[@]}" --data-urlencode "action=$action"
	expect_http 400
	expect_page "the form: field &#39;action&#39; must be draft or submit"
	expect_page "Keeps the docs current</textarea>"
	[ "$(saved)" = "$before" ] || fail "action '$action' saved: $before -> $(saved)"
	[ "$(entries)" = "$audit_before" ] || fail "action '$action' wrote to the audit log"
done
# The buttons' own values still save: a draft, then the submission.
http POST /cycles/a26/feedback/E101 -b "$jar" "${form[@]}" --data-urlencode action=draft
expect_http 303
[ "$(sql "SELECT status FROM feedback_responses")" = draft ] || fail "the draft: $(sql "SELECT status FROM feedback_responses")"
http POST /cycles/a26/feedback/E101 -b "$jar" "${form[@]}" --data-urlencode action=submit
expect_http 303
[ "$(sql "SELECT status FROM feedback_responses ORDER BY version DESC LIMIT 1")" = submitted ] || fail "the submission: $(sql "SELECT version, status FROM feedback_responses")"

signin M001
before=$(saved)
review=(--data-urlencode "csrf=$csrf" --data-urlencode base=0 --data-urlencode rating.technical_skill=4
	--data-urlencode noev.technical_skill=seen --data-urlencode rating.delivery=4 --data-urlencode noev.delivery=seen
	--data-urlencode rating.collaboration=3 --data-urlencode noev.collaboration=seen
	--data-urlencode "case=Lukas led the refunds rewrite")
for action in frobnicate draft; do
	http POST /cycles/a26/review/E101 -b "$jar" "${review[@]}" --data-urlencode "action=$action"
	expect_http 400
	expect_page "the form: field &#39;action&#39; must be rows or submit"
	expect_page "Lukas led the refunds rewrite</textarea>"
	[ "$(saved)" = "$before" ] || fail "action '$action' saved: $before -> $(saved)"
done
http POST /cycles/a26/review/E101 -b "$jar" "${review[@]}" --data-urlencode action=submit
expect_http 303
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 1 ] || fail "the review was not saved"
stop_server
