# Authorization: Bearer takes the token after one or more spaces (RFC 7235: 1*SP), and a
# field value's trailing whitespace is not part of it (RFC 9110 5.5), as /webhooks/deploy
# reads its bearer: "Bearer  TOKEN" and "Bearer TOKEN " were answered 401 (found hunting).
# Anything else about the token still counts: a character more or less is no token.
init_db
ok org import "$FIXTURES/org-small.csv"
r=$(token admin read)
serve
for value in "Bearer $r" "Bearer  $r" "Bearer $r " "bearer   $r  "; do
	http GET /api/v1/org -H "Authorization: $value"
	expect_http 200
	expect_json .people_active "$(sql "SELECT COUNT(*) FROM people WHERE end_date IS NULL")"
done
for value in "Bearer ${r}0" "Bearer ${r%?}" "Bearer" "Bearer " "Bearer x$r"; do
	http GET /api/v1/org -H "Authorization: $value"
	expect_http 401
	expect_json .error.code unauthenticated
done
stop_server
