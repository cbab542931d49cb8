# The review pages over HTTP, without a browser: who may open what (403 pages saying why, the
# services' refusals), the progress page scoped to what each role sees, a form POSTed without
# the session's CSRF token refused with nothing written, a feedback form saved as a draft then
# submitted (303 to /reviews), a form error shown again with the entered values (400), the
# manager's review, the score's arithmetic and the packet, every value escaped.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok user add --person E201 --role people-partner:payments
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
printf 'a long enough password\n' >"$T/pw"
for u in E102 M001; do ok user passwd "$u" --password-file "$T/pw"; done
declare -A tok
for u in E101 E102 M001 E201; do tok[$u]=$(token "$u" write); done
serve
page() { http GET "$2" -H "Authorization: Bearer ${tok[$1]}"; }
expect_page() { grep -qF -- "$1" "$T/out" || fail "page lacks: $1"; }
expect_no_page() { ! grep -qF -- "$1" "$T/out" || fail "page has: $1"; }

# ---- who may open what (the services decide; a refusal is the 403 page saying why)
page E102 /cycles/a26/review/E101
expect_http 403
expect_page "permission denied: E101 is outside your scope"
page E102 /cycles/a26/feedback/E103
expect_http 403
expect_page "E102 holds no active review assignment for E103 in cycle &#39;a26&#39;"
page E102 /cycles/a26/feedback/E101?relation=upward
expect_http 403
expect_page "E102 holds no active upward review assignment for E101"
page E102 /cycles/a26/scores/E101
expect_http 403
page E102 "/cycles/a26/packets/E101?target-level=L5"
expect_http 403
expect_page "E101 is outside your scope" # as for an unknown id: E102 may not see E101
# The packet's form is refused as the packet is (found in review: it was shown for any id):
# an id the reader may not see answers as an unknown one does, the same status and words
# with the id in them; the person themselves and admins are told they write no packet; an
# admin, who sees everyone, is told an unknown id is unknown.
tok[admin]=$(token admin write)
for who in E102 M001; do
	for id in E201 NOPE; do
		page "$who" "/cycles/a26/packets/$id"
		expect_http 403
		expect_page "permission denied: $id is outside your scope"
		expect_no_page 'id="target-level"'
		sed "s/$id/ID/g" "$T/out" >"$T/refused.$who.$id"
	done
	cmp -s "$T/refused.$who.E201" "$T/refused.$who.NOPE" ||
		fail "$who is answered differently for E201 and an unknown id: $(diff "$T/refused.$who.E201" "$T/refused.$who.NOPE")"
done
for who in E101 admin; do
	page "$who" /cycles/a26/packets/E101
	expect_http 403
	expect_page "$who may not write a promotion packet for E101"
	expect_no_page 'id="target-level"'
done
# A query argument too (found by a fuzz: the packet form echoed a level of '%C3%28' as its
# raw bytes into the page); the API says the same.
page M001 "/cycles/a26/packets/E101?target-level=%C3%28"
expect_http 400
expect_page "a query argument holds bytes that are not UTF-8"
expect_no_page 'id="target-level"'
page M001 "/cycles/a26/packets/E101?target-level=L5%00"
expect_http 400
expect_page "query argument &#39;target-level&#39; holds a NUL character (%00)"
page admin /cycles/a26/packets/NOPE
expect_http 404
expect_page "no person has employee id &#39;NOPE&#39;"
page M001 /cycles/a26/packets/E101
expect_http 200
expect_page '<select id="target-level" name="target-level">'
page E102 /cycles/nope
expect_http 404
page E201 /cycles/a26/review/E101
expect_http 200
expect_page "<h1>Manager review of Lukas Schmidt</h1>"
# Progress: the manager sees the team; an employee their own rows only.
page M001 /cycles/a26
expect_http 200
for who in "Lukas Schmidt (E101)" "Sofia Rossi (E103)" "Tom Baker (E104)"; do expect_page "$who"; done
expect_page 'href="/cycles/a26/review/E101">Manager review of Lukas Schmidt</a>'
# No evaluation yet: no score or packet to link (their pages said not found).
expect_no_page 'href="/cycles/a26/packets/E101"'
expect_no_page 'href="/cycles/a26/scores/E101"'
expect_page "<li>E102 (0 of 2)</li>"
page E102 /cycles/a26
expect_http 200
expect_page "Nguyen, Minh (E102)"
# Their score is theirs from the delivery phase on: not linked before (its page said so, 403).
expect_no_page 'href="/cycles/a26/scores/E102"'
expect_no_page "Sofia Rossi"
expect_no_page "Tom Baker"
page E102 /reviews
expect_http 200
expect_page '<a href="/cycles/a26/feedback/E101?relation=peer">Peer feedback for Lukas Schmidt</a>'
expect_page '<a href="/cycles/a26/feedback/E102?relation=self">Write your self review</a>'
# A bearer token has no CSRF token: it posts no form.
http POST /cycles/a26/feedback/E101 -H "Authorization: Bearer ${tok[E102]}" -d "relation=peer&answer.strengths=x&action=submit"
expect_http 403
expect_page "missing or wrong CSRF token"

# ---- a browser session
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
signin E102
audit_before=$(sql "SELECT COUNT(*) FROM audit_log")
form=(--data-urlencode relation=peer --data-urlencode "answer.strengths=Keeps the <b>docs</b> current"
	--data-urlencode rating.collaboration=4 --data-urlencode action=draft)
http POST /cycles/a26/feedback/E101 -b "$jar" "${form[@]}"
expect_http 403
expect_page "missing or wrong CSRF token"
http POST /cycles/a26/feedback/E101 -b "$jar" --data-urlencode csrf=0123wrong "${form[@]}"
expect_http 403
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 0 ] || fail "a refused form was saved"
# Each refusal is audited as any refusal is, on the operation the form would have run (found
# hunting: it left no entry, while the API's did).
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$((audit_before + 2))" ] || fail "refused forms: $(sql "SELECT action, object_id FROM audit_log WHERE seq > $audit_before")"
[ "$(sql "SELECT actor || ' ' || action || ' ' || object_type || ':' || object_id FROM audit_log WHERE seq > $audit_before" | sort -u)" = "E102 access.denied op:feedback.submit" ] ||
	fail "the refusals' entries: $(sql "SELECT actor, action, object_type, object_id, detail FROM audit_log WHERE seq > $audit_before")"
# With the token: a draft, then back to /reviews saying so.
http POST /cycles/a26/feedback/E101 -b "$jar" --data-urlencode "csrf=$csrf" "${form[@]}"
expect_http 303
location=$(tr -d '\r' <"$T/headers" | sed -n 's/^Location: //Ip')
[[ $location =~ ^/reviews\?saved=draft\&cycle=a26\&for=E101\&relation=peer\&version=1\&mac=[0-9a-f]{64}$ ]] ||
	fail "not sent to /reviews: $location"
[ "$(sql "SELECT version, status, body FROM feedback_responses")" = '1|draft|{"answers":{"strengths":"Keeps the <b>docs</b> current"},"ratings":{"collaboration":4}}' ] ||
	fail "draft stored as $(sql "SELECT version, status, body FROM feedback_responses")"
http GET "$location" -b "$jar"
expect_page "Your peer feedback about E101 in cycle a26: draft saved (version 1)"
expect_page "<td>draft saved</td>"
http GET /cycles/a26/feedback/E101 -b "$jar"
expect_http 200
expect_page 'name="answer.strengths">Keeps the &lt;b&gt;docs&lt;/b&gt; current</textarea>'
expect_page '<option value="4" selected>4 - Exceeds expectations</option>'
expect_page 'Shown: your version 1, draft'
# An error: the form again, with the message and what was entered; nothing stored.
http POST /cycles/a26/feedback/E101 -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode relation=peer \
	--data-urlencode "answer.growth=Write it <down>" --data-urlencode rating.collaboration=9 --data-urlencode action=submit
expect_http 400
expect_page 'role="alert"><p>the form:'
expect_page "ratings.collaboration: &#39;9&#39; is not on the scale five_point"
expect_page 'name="answer.growth">Write it &lt;down&gt;</textarea>'
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 1 ] || fail "a refused form was saved"
# A rating is written as a file's is: digits alone (found hunting: '+4' and ' 4' were 4).
for bad in '+4' ' 4'; do
	http POST /cycles/a26/feedback/E101 -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode relation=peer \
		--data-urlencode "answer.growth=ok" --data-urlencode "rating.collaboration=$bad" --data-urlencode action=submit
	expect_http 400
	expect_page "ratings.collaboration: &#39;$bad&#39; is not on the scale five_point"
done
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 1 ] || fail "a refused rating was saved"
# A form's text is UTF-8 without NUL, as over the API: a field that is not is refused by name,
# nothing saved or audited (found by a fuzz: such bytes were saved as U+FFFD).
audit_before=$(sql "SELECT COUNT(*) FROM audit_log")
for bad in 'answer.growth=ok%C3%28' 'answer.growth=a%00b' 'answer.gr%FFowth=ok'; do
	http POST /cycles/a26/feedback/E101 -b "$jar" -d "csrf=$csrf&relation=peer&$bad&action=submit"
	expect_http 400
	case $bad in
	*%00*) expect_page "form field &#39;answer.growth&#39; holds a NUL character (%00)" ;;
	*%FFowth*) expect_page "a form field holds bytes that are not UTF-8" ;;
	*) expect_page "form field &#39;answer.growth&#39; holds bytes that are not UTF-8" ;;
	esac
	expect_page "nothing of the form was read or saved"
done
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 1 ] || fail "a form that is not UTF-8 was saved"
# A field given twice is refused, naming it, not read as its first (server-form-once.sh).
http POST /cycles/a26/feedback/E101 -b "$jar" -d "csrf=$csrf&relation=peer&answer.growth=first&answer.growth=second&rating.collaboration=9&action=submit"
expect_http 400
expect_page "form field &#39;answer.growth&#39; given more than once"
http POST /cycles/a26/feedback/E101 -b "$jar" -d "csrf=$csrf&relation=peer&answer.growth=first&rating.collaboration=9&action=submit"
expect_http 400
expect_page 'name="answer.growth">first</textarea>'
# The refusal is also beside the field it is about, which is marked invalid and described by
# it (found hunting: only a summary above the form, naming "the form:4: ratings.collaboration").
expect_page '<select id="rating-collaboration" name="rating.collaboration" aria-invalid="true" aria-describedby="rating-collaboration-problem">'
grep -qF '<p class="error" id="rating-collaboration-problem">' "$T/out" || fail "no reason beside the rating"
grep -o '<p class="error" id="rating-collaboration-problem">[^<]*' "$T/out" | grep -qF 'is not on the scale five_point' ||
	fail "the reason beside the rating: $(grep -o '<p class="error" id="rating-collaboration-problem">[^<]*' "$T/out")"
expect_page '<select id="rating-delivery" name="rating.delivery">'
expect_page '<textarea id="answer-growth" rows="4" name="answer.growth">'
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 1 ] || fail "a refused form was saved"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$audit_before" ] || fail "a form that is not UTF-8 left audit entries"
http POST /cycles/a26/feedback/E101 -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode relation=peer \
	--data-urlencode "answer.strengths=Keeps the docs current" --data-urlencode action=submit
expect_http 303
grep -qi 'saved=submitted&cycle=a26&for=E101&relation=peer&version=2' "$T/headers" || fail "not submitted"
[ "$(sql "SELECT version || status FROM feedback_responses ORDER BY id DESC LIMIT 1")" = 2submitted ] || fail "not stored"
http GET /reviews -b "$jar"
expect_page "<td><strong>done</strong>"
# A browser sends a text area's line breaks as CRLF: they are line breaks, not control
# characters to refuse (found hunting: any answer of two lines typed in a browser was refused
# with "a control character (byte 0x0D ...)"); one that starts the text is kept when the form
# shows it again (HTML drops a newline right after <textarea>: the page writes one more).
http POST /cycles/a26/feedback/E101 -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode relation=peer \
	-d 'answer.growth=%0D%0AFirst%0D%0Asecond' --data-urlencode "answer.strengths=Keeps the docs current" --data-urlencode action=submit
expect_http 303
sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1" | grep -qF '"growth":"\nFirst\nsecond"' ||
	fail "the answer's line breaks: $(sql "SELECT body FROM feedback_responses ORDER BY id DESC LIMIT 1")"
http GET "/cycles/a26/feedback/E101?relation=peer" -b "$jar"
[[ $(<"$T/out") == *'name="answer.growth">'$'\n\n''First'$'\n''second</textarea>'* ]] ||
	fail "the leading line break is not written twice: $(grep -o 'name="answer.growth">.\{0,30\}' "$T/out")"
[[ $(<"$T/out") == *'name="answer.strengths">Keeps the docs current</textarea>'* ]] ||
	fail "a value without a leading line break gained one"
# Others see that peer feedback is done, not when: no date at all (it read "done 1970-01-01").
page M001 /cycles/a26
expect_http 200
expect_page "<td><strong>done</strong></td>"
expect_no_page "1970-01-01"
# A page without a form takes no POST.
http POST /cycles/a26 -b "$jar" --data-urlencode "csrf=$csrf"
expect_http 405
expect_header "Allow: GET, HEAD"

# ---- the manager's review, the score and the packet
signin M001
# base: the version the form was opened on (none yet), as the form sends it.
review=(--data-urlencode "csrf=$csrf" --data-urlencode base=0 --data-urlencode rating.technical_skill=4 --data-urlencode evrows.technical_skill=2
	--data-urlencode rating.delivery=4 --data-urlencode rating.collaboration=3
	--data-urlencode "case=Lukas led the refunds rewrite <script>alert(1)</script>")
http POST /cycles/a26/review/E101 -b "$jar" "${review[@]}"
expect_http 400
expect_page "the form:3: ratings.technical_skill: the rating cites no evidence"
expect_page '<select id="rating-technical_skill" name="rating.technical_skill" aria-invalid="true" aria-describedby="rating-technical_skill-problem">'
expect_page '<p class="error" id="rating-technical_skill-problem">the rating cites no evidence'
expect_page '<select id="rating-delivery" name="rating.delivery">'
expect_no_page 'id="case-problem"'
expect_page 'name="case">Lukas led the refunds rewrite &lt;script&gt;alert(1)&lt;/script&gt;</textarea>'
expect_page '<option value="4" selected>4 - Exceeds expectations</option>'
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "a refused review was saved"
# More evidence rows: the same form with two more empty rows each, what was entered kept.
http POST /cycles/a26/review/E101 -b "$jar" "${review[@]}" --data-urlencode ev.technical_skill.1.ref=kept-ref \
	--data-urlencode action=rows
expect_http 200
expect_page 'name="ev.technical_skill.1.ref" aria-label="Technical skill evidence 2: reference" value="kept-ref"'
expect_page 'name="ev.technical_skill.3.ref"'
expect_no_page 'name="ev.technical_skill.4.ref"'
expect_page '<input type="hidden" name="evrows.delivery" value="4">'
expect_no_page 'role="alert"'
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 0 ] || fail "adding rows saved the review"
# Incident data never counts against the person: the rule is named on the form.
http POST /cycles/a26/review/E101 -b "$jar" --data-urlencode "csrf=$csrf" --data-urlencode base=0 --data-urlencode rating.technical_skill=2 \
	--data-urlencode ev.technical_skill.0.kind=incident --data-urlencode ev.technical_skill.0.ref=INC-7 \
	--data-urlencode evrows.technical_skill=2 --data-urlencode rating.delivery=4 --data-urlencode noev.delivery=x \
	--data-urlencode rating.collaboration=3 --data-urlencode noev.collaboration=y
expect_http 403
expect_page "refused by acceptable-use rule incident-negative-evidence"
expect_page 'value="INC-7"'
http POST /cycles/a26/review/E101 -b "$jar" "${review[@]}" --data-urlencode ev.technical_skill.0.kind=pull_request \
	--data-urlencode "ev.technical_skill.0.ref=https://github.com/acme/pay/pull/12" \
	--data-urlencode ev.technical_skill.0.date=2026-03-02 --data-urlencode "ev.technical_skill.0.title=Idempotent refunds" \
	--data-urlencode ev.delivery.0.kind=document --data-urlencode "ev.delivery.0.ref=https://docs.acme.example/refunds-v2" \
	--data-urlencode "noev.collaboration=seen in every planning meeting"
expect_http 303
grep -qi '^location: /reviews?saved=evaluation&cycle=a26&for=E101&version=1' "$T/headers" || fail "review not saved"
[ "$(sql "SELECT version || created_by FROM evaluations")" = 1M001 ] || fail "evaluation not stored"
# Version 2 needs a reason; the form shows version 1 to start from.
http GET /cycles/a26/review/E101 -b "$jar"
expect_page "Shown: version 1 by M001"
expect_page '<input type="hidden" name="base" value="1">'
expect_page 'value="https://github.com/acme/pay/pull/12"'
expect_page 'value="2026-03-02"'
expect_page 'value="seen in every planning meeting"'
http POST /cycles/a26/review/E101 -b "$jar" "${review[@]/base=0/base=1}" --data-urlencode noev.technical_skill=a \
	--data-urlencode noev.delivery=b --data-urlencode noev.collaboration=c
expect_http 400
expect_page "a new version needs a reason"
# The refusal is about the reason field, which is marked and described by it (it was in the
# summary alone); a reason the service refuses is named as the form's field, not --reason.
expect_page '<input id="reason" name="reason" size="60" value="" aria-invalid="true" aria-describedby="reason-problem">'
expect_page '<p class="error" id="reason-problem">E101&#39;s evaluation in cycle &#39;a26&#39; is at version 1: a new version needs a reason</p>'
http POST /cycles/a26/review/E101 -b "$jar" "${review[@]/base=0/base=1}" --data-urlencode noev.technical_skill=a \
	--data-urlencode noev.delivery=b --data-urlencode noev.collaboration=c --data-urlencode "reason=new	data"
expect_http 400
expect_page '<p>the form: reason: must be one line of text of at most'
expect_page 'aria-describedby="reason-problem">'
expect_no_page '--reason'
expect_page 'value="new	data"'
[ "$(sql "SELECT COUNT(*) FROM evaluations")" = 1 ] || fail "a refused version was saved"
# performance 0.4 x 4 + 0.4 x 4 + 0.2 x 3 = 3.8; impact 0.4 x 4 + 0.3 x 4 + 0.3 x 3 = 3.7;
# potential 0.4 x 3 + 0.3 x 4 + 0.3 x 4 = 3.6; composite 0.5 x 3.8 + 0.3 x 3.7 + 0.2 x 3.6 = 3.73.
http GET /cycles/a26/scores/E101 -b "$jar"
expect_http 200
expect_page "<code>performance = 0.4 x 4 + 0.4 x 4 + 0.2 x 3 = 3.8</code>"
expect_page "<code>impact = 0.4 x 4 + 0.3 x 4 + 0.3 x 3 = 3.7</code>"
expect_page "<code>potential = 0.4 x 3 + 0.3 x 4 + 0.3 x 4 = 3.6</code>"
expect_page "0.5 x performance 3.8 + 0.3 x impact 3.7 + 0.2 x potential 3.6 = 3.73"
expect_page "No evidence, because: seen in every planning meeting"
http GET /cycles/a26/packets/E101 -b "$jar"
expect_http 200
expect_page '<select id="target-level" name="target-level">'
http GET "/cycles/a26/packets/E101?target-level=L5" -b "$jar"
expect_http 200
expect_page "<h2>Promotion packet: Lukas Schmidt (E101), L4 Engineer 4 to L5 Engineer 5</h2>"
for section in "The three axes" "Expectations at L5 Engineer 5 and the evidence" "Feedback themes" \
	"Metrics cited" "The manager&#39;s case"; do
	expect_page "<h3>$section</h3>"
done
expect_page "Lukas led the refunds rewrite &lt;script&gt;alert(1)&lt;/script&gt;"
expect_no_page "<script>"
http GET "/cycles/a26/packets/E101?target-level=L3" -b "$jar"
expect_http 400
expect_page "E101 is at L4 already"
# The refusal is the level's: said above the form and beside its select, which is marked
# invalid, as every form's field is (found in review: below the form, tied to nothing).
expect_page '<select id="target-level" name="target-level" aria-invalid="true" aria-describedby="target-level-problem">'
expect_page '</select><p class="error" id="target-level-problem">E101 is at L4 already; a promotion packet targets a level above it</p></div>'
grep -q '<div class="error" role="alert"><p>E101 is at L4 already.*<form method="get"' "$T/out" || fail "the refusal is not above the form"
http GET "/cycles/a26/packets/E101?target-level=NOPE" -b "$jar"
expect_http 400
expect_page '<p class="error" id="target-level-problem">&#39;NOPE&#39; is not a level of framework version'
# A check-in without ratings: the manager's review is the case alone, and says nothing of
# ratings it does not have (found walking the demo: "Every rating cites evidence or says why
# there is none." above "This cycle collects no ratings").
ok cycle create c26 --kind checkin --scope payments --from 2026-10-01 --to 2026-12-31
page M001 /cycles/c26/review/E101
expect_http 200
expect_page "This cycle collects no ratings: the review is your case alone."
expect_no_page "Every rating cites evidence"
stop_server
grep -q 'POST /cycles/{cycle}/feedback/{id} 303' "$T/access.log" || fail "access log lacks the form's route"
grep -q 'GET /cycles/{cycle}/packets/{id} 200' "$T/access.log" || fail "access log lacks the packet's route"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'packet.write' AND object_id = 'E101'")" -ge 1 ] || fail "packet read not audited"
ok audit verify
