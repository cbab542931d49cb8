# The notice /reviews shows after a saved form ("draft saved", "submitted", "saved as version
# N") is the server's word, not the link's: the redirect carries the session's MAC of what was
# saved, and /reviews shows a notice only under that MAC in that session (found in review: it
# was built from the query alone, so anyone could send a link that told a user a review was
# saved that was not). A forged, altered or replayed link (another session, a bearer token, a
# new session of the same user) shows no notice, says nothing else and writes nothing.
init_db
ok org import "$FIXTURES/org-small.csv"
ok framework import "$FIXTURES/review/framework.yaml"
for u in E101 E102 E103 E104; do ok user add --person "$u" --role employee; done
ok user add --person M001 --role manager
ok cycle create a26 --kind annual --scope payments --from 2026-01-01 --to 2026-12-31
for r in E102 E103; do ok --as M001 cycle nominate --cycle a26 --for E101 --reviewer "$r"; done
printf 'a long enough password\n' >"$T/pw"
for u in E102 E103 M001; do ok user passwd "$u" --password-file "$T/pw"; done
serve
expect_no_notice() {
	expect_http 200
	! grep -q 'class="saved"' "$T/out" || fail "a notice from a link: $(grep -o '<div class="saved".*</div>' "$T/out")"
}
# signin USER JAR: a browser session; $csrf is its token.
signin() {
	local c
	rm -f "$2"
	c=$(curl -s -c "$2" -b "$2" "$URL/signin" | grep -o 'name="csrf" value="[0-9a-f]*"' | cut -d'"' -f4)
	http POST /signin -H "Origin: $URL" -c "$2" -b "$2" -d "csrf=$c&user=$1&password=a+long+enough+password"
	expect_http 303
	csrf=$(curl -s -b "$2" "$URL/reviews" | grep -o 'name="csrf" value="[0-9a-f]*"' | head -1 | cut -d'"' -f4)
	[ ${#csrf} -eq 64 ] || fail "no CSRF token on /reviews for $1"
}
location() { tr -d '\r' <"$T/headers" | sed -n 's/^Location: //Ip'; }

signin E102 "$T/jar2"
# Forged: the notice's words with no MAC, with a made-up one, and with another's MAC.
for q in "saved=submitted&cycle=a26&for=E101&relation=peer&version=7" \
	"saved=submitted&cycle=a26&for=E101&relation=peer&version=7&mac=$(printf '0%.0s' $(seq 64))" \
	"saved=evaluation&cycle=a26&for=E101&version=3&mac=$csrf"; do
	http GET "/reviews?$q" -b "$T/jar2"
	expect_no_notice
done
[ "$(sql "SELECT COUNT(*) FROM feedback_responses")" = 0 ] || fail "something was saved"

# A real save: the redirect's notice shows, in this session.
http POST /cycles/a26/feedback/E101 -b "$T/jar2" --data-urlencode "csrf=$csrf" --data-urlencode relation=peer \
	--data-urlencode "answer.strengths=Keeps the docs current" --data-urlencode action=submit
expect_http 303
saved=$(location)
[[ $saved =~ ^/reviews\?saved=submitted\&cycle=a26\&for=E101\&relation=peer\&version=1\&mac=[0-9a-f]{64}$ ]] ||
	fail "not sent to /reviews with a MAC: $saved"
http GET "$saved" -b "$T/jar2"
expect_http 200
grep -qF "Your peer feedback about E101 in cycle a26: submitted (version 1)." "$T/out" || fail "no notice after a save"
# Altered: each field changed under the real MAC, and the MAC's first digit (to another one:
# a fixed 'f' left one MAC in 16 unchanged, and the case failed by chance).
first=${saved#*mac=}
first=${first:0:1}
other=0
[ "$first" != 0 ] || other=1
for change in 's/version=1/version=2/' 's/saved=submitted/saved=draft/' 's/for=E101/for=E103/' \
	's/cycle=a26/cycle=b26/' 's/relation=peer/relation=upward/' "s/mac=$first/mac=$other/"; do
	http GET "$(sed "$change" <<<"$saved")" -b "$T/jar2"
	expect_no_notice
done
# Replayed: in another user's session, under a bearer token, and in a new session of E102's.
signin E103 "$T/jar3"
http GET "$saved" -b "$T/jar3"
expect_no_notice
http GET "$saved" -H "Authorization: Bearer $(token E102 read)"
expect_no_notice
signin E102 "$T/jar2"
http GET "$saved" -b "$T/jar2"
expect_no_notice

# The manager's review: the same for "saved as version N".
signin M001 "$T/jarm"
http POST /cycles/a26/review/E101 -b "$T/jarm" --data-urlencode "csrf=$csrf" \
	--data-urlencode rating.technical_skill=3 --data-urlencode noev.technical_skill=seen \
	--data-urlencode rating.delivery=3 --data-urlencode noev.delivery=seen \
	--data-urlencode rating.collaboration=3 --data-urlencode noev.collaboration=seen \
	--data-urlencode base=0 --data-urlencode action=submit
expect_http 303
saved=$(location)
[[ $saved =~ ^/reviews\?saved=evaluation\&cycle=a26\&for=E101\&version=1\&mac=[0-9a-f]{64}$ ]] ||
	fail "the review not sent to /reviews with a MAC: $saved"
http GET "$saved" -b "$T/jarm"
grep -qF "Your review of E101 in cycle a26 is saved as version 1." "$T/out" || fail "no notice after the review"
http GET "$(sed 's/version=1/version=5/' <<<"$saved")" -b "$T/jarm"
expect_no_notice
http GET "$(sed 's/for=E101/for=E104/' <<<"$saved")" -b "$T/jarm"
expect_no_notice
# Evidence dated outside the cycle's period is saved with the warnings evaluation submit gives,
# shown with the notice (found hunting: the page said nothing of them), under the MAC too.
http POST /cycles/a26/review/E101 -b "$T/jarm" --data-urlencode "csrf=$csrf" \
	--data-urlencode rating.technical_skill=4 --data-urlencode ev.technical_skill.0.kind=pull_request \
	--data-urlencode ev.technical_skill.0.ref=https://github.com/acme/pay/pull/99 \
	--data-urlencode ev.technical_skill.0.date=2025-11-03 \
	--data-urlencode rating.delivery=3 --data-urlencode noev.delivery=seen \
	--data-urlencode rating.collaboration=3 --data-urlencode noev.collaboration=seen \
	--data-urlencode "reason=the refunds work" --data-urlencode base=1 --data-urlencode action=submit
expect_http 303
saved=$(location)
[[ $saved =~ \&outside=.*2025-11-03.*\&mac=[0-9a-f]{64}$ ]] || fail "the warning is not in the saved link: $saved"
http GET "$saved" -b "$T/jarm"
grep -qF "Your review of E101 in cycle a26 is saved as version 2." "$T/out" || fail "no notice after the review"
grep -qF "<li>ratings.technical_skill.evidence[0].date: 2025-11-03 is before the cycle" "$T/out" ||
	fail "no outside-period warning with the notice: $(grep -o '<div class="saved".*</div>' "$T/out")"
http GET "$(sed 's/2025-11-03/2026-06-01/' <<<"$saved")" -b "$T/jarm"
expect_no_notice
stop_server
ok audit verify
