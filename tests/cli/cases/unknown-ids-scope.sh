# To a user who sees only some people, an employee id no one has is refused as one outside
# their scope, in the review commands and consents too: the answers must not tell which ids
# exist (found in review: an existing id outside scope was 403, an unknown one 404 naming
# it). An admin, who sees everyone, is told it is unknown.
demo_db
ok user add --person E024 --role analyst
for who in E021 E024; do
	for id in E020 E999; do
		run --as "$who" score show --cycle 2026-annual --person "$id"
		expect_status 3
		cp "$T/err" "score-$who-$id"
		run --as "$who" evaluation history --cycle 2026-annual --person "$id"
		expect_status 3
		cp "$T/err" "history-$who-$id"
		run --as "$who" feedback show --cycle 2026-annual --for "$id"
		expect_status 3
		cp "$T/err" "feedback-$who-$id"
		run --as "$who" consent list --person "$id"
		expect_status 3
		cp "$T/err" "consent-$who-$id"
	done
	# The same words either way, the id aside.
	for c in score history feedback consent; do
		[ "$(sed 's/E020/ID/g' "$c-$who-E020")" = "$(sed 's/E999/ID/g' "$c-$who-E999")" ] ||
			fail "$c: $who told an unknown id from one outside scope: $(cat "$c-$who-E020") / $(cat "$c-$who-E999")"
	done
done
run score show --cycle 2026-annual --person E999
expect_status 4
expect_err "no person has employee id 'E999'"
run consent list --person E999
expect_status 4
