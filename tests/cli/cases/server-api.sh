# The JSON API on a real server over loopback: tokens and their scope, the same answers as
# the CLI's --json, JSON errors with the table's status, ETag and 304, cursor paging,
# limits answered as JSON, the access log without paths, and a clean shutdown on SIGTERM.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
ok user add --person M002 --role manager
admin_w=$(token admin write)
admin_r=$(token admin read)
emp=$(token E201 read)
[ "${#admin_w}" -eq 70 ] || fail "token length ${#admin_w}"
# Only the hash is stored.
[ "$(sql "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '${admin_w#plumb_}'")" = 0 ] || fail "token stored in clear"
# A host pattern the server cannot read is refused before it listens.
run serve --listen 127.0.0.1:0 --source-host 'ghe example.com'
expect_status 2
expect_err "--source-host 'ghe example.com': expected HOST, HOST:PORT or *.DOMAIN"
for pattern in 'localhost:' 'localhost:0' 'localhost:65536' '*.' 'a..b' '.corp.example' '[zz]' '[:]' '[1.2.3.4]' 'ghe.example.com/api'; do
	run serve --listen 127.0.0.1:0 --source-host "$pattern"
	expect_status 2
	expect_err "--source-host '$pattern': expected"
done
serve --source-host '*.corp.example' --source-host 'LOCALHOST:9'

http GET /healthz
expect_http 200
expect_json .status ok

# No credentials, a wrong scheme, an unknown token: 401 with a JSON error.
http GET /api/v1/org
expect_http 401
expect_json .error.code unauthenticated
http GET /api/v1/org -H "Authorization: Basic YWRtaW46eA=="
expect_http 401
http GET /api/v1/org -H "Authorization: Bearer plumb_0000000000000000000000000000000000000000000000000000000000000000"
expect_http 401
expect_json .error.detail "no such token"

# The API answers what the CLI answers.
http GET /api/v1/org -H "Authorization: Bearer $admin_r"
expect_http 200
cp "$T/out" "$T/api-org.json"
ok org show --json
[ "$(jq -S . "$T/api-org.json")" = "$(jq -S . "$T/out")" ] || fail "API and CLI disagree on org show"

# ETag, and 304 when the client has it.
http GET /api/v1/org -H "Authorization: Bearer $admin_r"
etag=$(grep -i '^etag:' "$T/headers" | cut -d' ' -f2 | tr -d '\r')
[ -n "$etag" ] || fail "no ETag"
http GET /api/v1/org -H "Authorization: Bearer $admin_r" -H "If-None-Match: $etag"
expect_http 304
[ ! -s "$T/out" ] || fail "304 with a body"
# "*" matches any current representation (RFC 9110 13.1.2; it was answered 200).
http GET /api/v1/org -H "Authorization: Bearer $admin_r" -H "If-None-Match: *"
expect_http 304

# Query arguments are the command's options; path parameters its arguments.
http GET "/api/v1/people?team=search" -H "Authorization: Bearer $admin_r"
expect_http 200
expect_json 'length' 5
http GET /api/v1/people/E202 -H "Authorization: Bearer $admin_r"
expect_http 200
expect_json .employee_id E202

# Cursor paging: pages of 5 over 12 people, a Link to the next, the pages add up.
http GET "/api/v1/people?per_page=5" -H "Authorization: Bearer $admin_r"
expect_http 200
expect_json length 5
expect_header "X-Total-Count: 12"
next=$(grep -i '^link:' "$T/headers" | sed 's/.*<\(.*\)>.*/\1/')
[ -n "$next" ] || fail "no Link header"
first=$(jq -r '.[0].employee_id' "$T/out")
http GET "$next" -H "Authorization: Bearer $admin_r"
expect_json length 5
[ "$(jq -r '.[0].employee_id' "$T/out")" != "$first" ] || fail "the second page repeats the first"
next=$(grep -i '^link:' "$T/headers" | sed 's/.*<\(.*\)>.*/\1/')
http GET "$next" -H "Authorization: Bearer $admin_r"
expect_json length 2
grep -qi '^link:' "$T/headers" && fail "a Link after the last page"
http GET "/api/v1/people?per_page=0" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "invalid per_page '0'"
# They are read before the command runs: an audited read refused for them had left its
# entry, as if the record had been shown (found in fuzzing).
entries=$(sql "SELECT COUNT(*) FROM audit_log")
http GET "/api/v1/people/E202?per_page=0" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "invalid per_page '0'"
http GET "/api/v1/people/E202?cursor=x" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "invalid cursor 'x'"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a refused read left an audit entry"

# Scopes are the core's: an employee sees themselves only, and not the users list.
http GET /api/v1/people -H "Authorization: Bearer $emp"
expect_http 200
expect_json '[.[].employee_id] | join(",")' E201
http GET /api/v1/people/E202 -H "Authorization: Bearer $emp"
expect_http 403
expect_json .error.code forbidden
# An unknown id answers the same, so ids cannot be enumerated; an admin gets 404.
http GET /api/v1/people/E99999 -H "Authorization: Bearer $emp"
expect_http 403
expect_json .error.code forbidden
http GET /api/v1/people/E99999 -H "Authorization: Bearer $admin_r"
expect_http 404
http GET /api/v1/users -H "Authorization: Bearer $emp"
expect_http 403

# A database error is the operator's, on stderr: neither the JSON error nor the error page
# shows its SQL (the page did), nor the driver's words or a table's name (the message held
# "no such table: consents"); each gives the table's message and a reference the log holds.
sql "ALTER TABLE consents RENAME TO consents_x"
http GET /api/v1/me -H "Authorization: Bearer $emp"
expect_http 500
expect_json .error.code store_error
expect_json .error.detail null
grep -Eqi "consents|no such|relation|prepare" "$T/out" && fail "the JSON error shows the database's words: $(cat "$T/out")"
ref=$(jq -r .error.message "$T/out" | sed -n 's/^database error (reference \([0-9a-f]\{8\}\))$/\1/p')
[ -n "$ref" ] || fail "no reference in the JSON error: $(cat "$T/out")"
grep "reference $ref: store_error: " "$SERVE_ERR" | grep -q "FROM consents" || fail "the log lacks the reference's text: $(cat "$SERVE_ERR")"
http GET /me -H "Authorization: Bearer $emp"
expect_http 500
grep -q "Something went wrong (500)" "$T/out" || fail "no error page: $(head -c 400 "$T/out")"
grep -Eqi "SELECT |consents|no such|relation|prepare" "$T/out" && fail "the error page shows the database's words: $(grep -o "<p>[^<]*" "$T/out")"
ref=$(grep -o 'database error (reference [0-9a-f]\{8\})' "$T/out" | grep -o '[0-9a-f]\{8\}')
[ -n "$ref" ] || fail "no reference on the error page: $(grep -o "<p>[^<]*" "$T/out")"
grep "reference $ref: store_error: " "$SERVE_ERR" | grep -q "FROM consents" || fail "the log lacks the page's reference: $(cat "$SERVE_ERR")"
[ "$(grep -c "FROM consents" "$SERVE_ERR")" = 2 ] || fail "the SQL is not on stderr twice: $(cat "$SERVE_ERR")"
sql "ALTER TABLE consents_x RENAME TO consents"

# A read token cannot write; a write token can, and the entry names the user.
http POST /api/v1/services -H "Authorization: Bearer $admin_r" -H 'Content-Type: application/json' -d '{"args":["search-api"],"team":"search"}'
expect_http 403
expect_json .error.message "this token may only read"
entries=$(sql "SELECT COUNT(*) FROM audit_log")
http POST /api/v1/services -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["search-api"],"team":"search"}'
expect_http 200
expect_json .ok true
[ "$(sql "SELECT actor || ' ' || action FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)")" = "admin service.create" ] || fail "no audit entry for the API write"
ok service list --json
expect_json '.[] | select(.name == "search-api") | .team' search
# "args" are positionals, whatever they look like (found in review: they were read as options,
# "profile" refused as --ofile, "--description=x" taken as the option).
http POST /api/v1/objectives -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["profile"],"description":"who we are"}'
expect_http 200
http POST /api/v1/objectives -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["--description=x"]}'
expect_http 200
ok objectives --json
expect_json '[.[] | select(.name == "profile") | .description] | join(",")' "who we are"
expect_json '[.[] | select(.name == "--description=x") | .description] | join(",")' ""

# Bad input: the CLI's own message, as a 400 with a JSON body; nothing written.
entries=$(sql "SELECT COUNT(*) FROM audit_log")
http POST /api/v1/services -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["x"],"nosuch":"1"}'
expect_http 400
expect_json .error.code usage
expect_json .error.message "unknown option \"nosuch\" for 'plumb service set'"
http POST /api/v1/services -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '[1,2'
expect_http 400
expect_json .error.code invalid_input
# A \u0000 would end the value early: the service "x" set instead of "x\u0000y".
http POST /api/v1/services -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["x\u0000y"]}'
expect_http 400
expect_json .error.message 'the request body:1:12: \u0000 in a string: a NUL character is not text'
# A %00 in a query value would cut it short there (found in review).
http GET "/api/v1/people?team=search%00x" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "query argument 'team' holds a NUL character (%00)"
# Bytes that are not UTF-8, in a path segment or a query argument, are refused too: they
# reached error messages and access.denied entries as they were, and `audit log --json` was
# then not JSON (found in review).
for path in "/api/v1/people/%ff" "/api/v1/people/%C0%AE" "/api/v1/people?team=%ff"; do
	http GET "$path" -H "Authorization: Bearer $emp"
	expect_http 400
	jq -e . "$T/out" >/dev/null || fail "$path: the error is not JSON: $(head -c 200 "$T/out")"
done
expect_json .error.message "a query argument holds bytes that are not UTF-8"
ok audit log --json --limit 20
jq -e . "$T/out" >/dev/null || fail "audit log --json is not JSON"
# One document: text after it is not ignored (found in review).
http POST /api/v1/services -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["x"]} junk'
expect_http 400
expect_json .error.message 'the request body:1:16: text after the JSON document'
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a refused request wrote"

# An upload is the command's FILE: org import from the request body.
http POST "/api/v1/org/import?dry-run" -H "Authorization: Bearer $admin_w" -H 'Content-Type: text/csv' --data-binary "@$FIXTURES/org-small.csv"
expect_http 200
# The body is called the request body, never the server's temporary file, in an error and in
# an answer alike; so for every upload route (another: slo import, YAML).
! grep -q plumb-upload "$T/out" || fail "the answer names the server's temporary file: $(cat "$T/out")"
http POST "/api/v1/org/import?dry-run" -H "Authorization: Bearer $admin_w" -H 'Content-Type: text/csv' --data-binary $'employee_id,name\nE1,A\n'
expect_http 400
expect_json .error.message "request body:1: missing required column email"
! grep -q plumb-upload "$T/out" || fail "the error names the server's temporary file: $(cat "$T/out")"
http POST /api/v1/slos -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/yaml' --data-binary $'apiVersion: openslo/v1\nkind: SLO\n'
expect_http 400
expect_json '.error.message | startswith("request body:")' true
! grep -q plumb-upload "$T/out" || fail "the error names the server's temporary file: $(cat "$T/out")"

# Options that name the server's files or environment variables are the operator's, not
# the API's; a value option needs its value; a GET takes no body.
http POST /api/v1/services/mappings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"file":"/etc/passwd"}'
expect_http 400
expect_json .error.message "option \"file\" is not taken over the API"
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["github"],"name":"x","repo":"a/b","token-env":"HOME"}'
expect_http 400
expect_json .error.message "option \"token-env\" is not taken over the API"
# Where a source's token is sent is the operator's too: over the API, an admin moved a
# github source's api-url (or a jira source's url) to their own host and the next sync
# sent the server's token there (found in review).  Refused while it holds a token-env.
run source add github --name ghe --repo a/b --api-url https://ghe.acme.example/api/v3 --token-env HOME
expect_status 0
run source add jira --name tix --url https://acme.atlassian.net --project ACME --token-env HOME
expect_status 0
http POST /api/v1/sources/ghe/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"api-url":"https://collector.evil.example"}'
expect_http 403
expect_json .error.message "over the API, source ghe's api-url does not change while it has a token-env"
expect_json .error.detail 'the server would send the token in $HOME to the new URL'
http POST /api/v1/sources/ghe/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"unset":"api-url"}'
expect_http 403
http POST /api/v1/sources/tix/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"url":"https://evil.atlassian.net"}'
expect_http 403
expect_json .error.message "over the API, source tix's url does not change while it has a token-env"
run source list --json
expect_json '[.[] | select(.name == "ghe" or .name == "tix") | .config.api_url // .config.url] | join(" ")' "https://ghe.acme.example/api/v3 https://acme.atlassian.net"
# The same URL again, another setting, or the token dropped in the same request: no token
# goes anywhere new.
http POST /api/v1/sources/ghe/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"api-url":"https://ghe.acme.example/api/v3","bot":"ci-robot"}'
expect_http 200
# A Jira source's API URL is its url: sent again as it is, it moves nothing (found in
# review: a 403); nor does its url when an api-url of its own says where the token goes.
run source add jira --name tix2 --url https://acme.atlassian.net --api-url https://jira-api.acme.example --project ACME --token-env HOME
expect_status 0
http POST /api/v1/sources/tix2/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"url":"https://acme2.atlassian.net"}'
expect_http 200
http POST /api/v1/sources/tix/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"api-url":"https://acme.atlassian.net"}'
expect_http 200
http POST /api/v1/sources/tix/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"url":"https://other.atlassian.net","unset":"token-env"}'
expect_http 200
# The operator who gives it a token again is told where the token will go, whoever set the
# URL (found in review: 'changed' alone, and the token went to the API admin's host).
run source set tix --token-env HOME
expect_status 0
expect_out 'its token ($HOME) is sent to https://other.atlassian.net'
# The operator, on the server's machine, may move it, and is told the same.
run source set ghe --api-url https://ghe2.acme.example/api/v3
expect_status 0
expect_out 'its token ($HOME) is sent to https://ghe2.acme.example/api/v3'
run source set ghe --bot ci-robot-2
expect_no_out "its token"
# An admin's URL over the API names a host the server allows, else the server would fetch
# from wherever its machine reaches (a database port, a cloud metadata address) and show
# what came back in sync --status (found in review).  The hosted APIs, and what the
# operator gave with --source-host; a refusal is audited and stores nothing.
denied0=$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'")
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["github"],"name":"probe","repo":"a/b","api-url":"http://localhost:5432"}'
expect_http 403
expect_json .error.message "over the API, source probe's api-url must name a host this server allows"
expect_json .error.detail "localhost:5432 is not among api.github.com, api.pagerduty.com, *.atlassian.net, *.corp.example, LOCALHOST:9"
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["jenkins"],"name":"probe","url":"https://169.254.169.254","job":"x"}'
expect_http 403
expect_json .error.message "over the API, source probe's url must name a host this server allows"
# "*.corp.example" is every name under corp.example, not corp.example itself.
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["jenkins"],"name":"probe","url":"https://corp.example","job":"x"}'
expect_http 403
[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = 'probe'")" = 0 ] || fail "a refused source was stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND detail LIKE '%must name a host%'")" = 3 ] ||
	fail "the refusals left no access.denied entries ($(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied'") against $denied0)"
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["jenkins"],"name":"probe","url":"https://CI.Corp.Example:8443","job":"x"}'
expect_http 200
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["github"],"name":"probe2","repo":"a/b","api-url":"http://localhost:9"}'
expect_http 200
http POST /api/v1/sources/probe2/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"api-url":"http://localhost:8080"}'
expect_http 403
expect_json .error.detail "localhost:8080 is not among api.github.com, api.pagerduty.com, *.atlassian.net, *.corp.example, LOCALHOST:9"
http POST /api/v1/sources/probe2/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"api-url":"https://api.github.com"}'
expect_http 200
# A name a pattern covers but no resolver reads as one host (found in review): an empty
# label, a percent sign libcurl would decode.
for url in 'https://..corp.example' 'https://127.0.0.1%2523.corp.example'; do
	http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["jenkins"],"name":"probe3","url":"'"$url"'","job":"x"}'
	expect_http 403
	expect_json .error.detail "${url#https://} is not a plain host name"
done
# Where the fetches go is checked when it moves, not only the fields given (found in
# review): unsetting a Jenkins source's api-url sends them to its url, a host never fetched.
run source add jenkins --name k1 --url https://ci.internal.example --api-url https://ci-api.corp.example --job x
expect_status 0
http POST /api/v1/sources/k1/settings -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"unset":"api-url"}'
expect_http 403
expect_json .error.detail "ci.internal.example:443 is not among api.github.com, api.pagerduty.com, *.atlassian.net, *.corp.example, LOCALHOST:9"
# The operator's URL, on a host no pattern names, may be sent again unchanged (above, ghe).
run source list --json
expect_json '[.[] | select(.name | startswith("probe")) | .config.api_url // .config.url] | join(" ")' "https://CI.Corp.Example:8443 https://api.github.com"
# The token's move refused above is audited too.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND detail LIKE '%does not change while it has a token-env%'")" = 3 ] ||
	fail "the refused moves of a token left no access.denied entries"
# A file the command would write: any user's own export, to a path of their choosing, was
# written by the server (found in review); refused by the option's FILE placeholder.
http GET "/api/v1/me/export?output=$T/exported" -H "Authorization: Bearer $emp"
expect_http 400
expect_json .error.message "option ?output is not taken over the API"
# An empty name became "--", which ended the options: the rest were read as positionals, a
# path ingest would try to open (found in review).
http GET "/api/v1/events?=&limit=5" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "a query argument or body field has an empty name"
http POST /api/v1/sources -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"args":["deploy"],"name":"emptyname","":true}'
expect_http 400
expect_json .error.message "a query argument or body field has an empty name"
[ ! -e "$T/exported" ] || fail "the server wrote a file an API request named"
http GET "/api/v1/people?team" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "option team needs a value"
http GET /api/v1/people -H "Authorization: Bearer $admin_r" -d 'x=1'
expect_http 400
expect_json .error.message "a GET request takes no body"
# HEAD is GET without the body; a 401 says how to authenticate.
http HEAD /api/v1/org -H "Authorization: Bearer $admin_r" -I
expect_http 200
http GET /api/v1/org
grep -qi '^www-authenticate: Bearer' "$T/headers" || fail "401 without WWW-Authenticate"
# Without credentials only a small body is read: the rest is refused before it is held.
head -c 100000 /dev/zero | tr '\0' 'a' >"$T/stranger"
http POST /api/v1/services --data-binary "@$T/stranger"
expect_http 413
# A credential merely sent is none: a made-up session cookie or token gets the same small
# limit (either lifted it: the body was read whole, then refused), also for a chunked body;
# a valid token the large one.
for cred in "Cookie: plumb_session=bogus" "Authorization: Basic eDp5" \
	"Authorization: Bearer plumb_0000000000000000000000000000000000000000000000000000000000000000"; do
	for chunked in "" "Transfer-Encoding: chunked"; do
		http POST /api/v1/services -H "$cred" ${chunked:+-H "$chunked"} --data-binary "@$T/stranger"
		expect_http 413
		expect_json .error.detail "a request without a valid token or session may send at most 16384 bytes"
	done
done
http POST /api/v1/services -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' \
	--data-binary "@$T/stranger"
expect_http 400
expect_json .error.code invalid_input
# Decided before the body is read: a stranger's 16 MB is refused at once, not waited for.
hostport=${URL#http://}
python3 - "${hostport%:*}" "${hostport#*:}" >"$T/early" <<'PY'
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
s.settimeout(5)
s.sendall(b"POST /signin HTTP/1.1\r\nHost: x\r\nCookie: plumb_session=bogus\r\n"
          b"Content-Length: 16000000\r\n\r\n")
print(s.recv(100).split(b" ")[1].decode())
PY
[ "$(cat "$T/early")" = 413 ] || fail "a stranger's large body was not refused before it was sent: $(cat "$T/early")"

# Unknown routes and methods.
http GET /api/v1/nosuch -H "Authorization: Bearer $admin_r"
expect_http 404
expect_json .error.code not_found
# No such route is 404 without a token too; a route that exists still wants one.
http GET /api/v1/nosuch
expect_http 404
expect_json .error.code not_found
# Only /api/v1 is the index (found in review: /api/v2 and /api/foo answered it too).
for path in /api/v2 /api/foo; do
	http GET "$path" -H "Authorization: Bearer $admin_r"
	expect_http 404
	http GET "$path"
	expect_http 404
done
http DELETE /api/v1/sources/x/readers/y/z
expect_http 404
http DELETE /api/v1/sources/x/readers/y
expect_http 401
# A path parameter may hold a '/' of its own, sent as %2F.
ok objectives add 'r&d/infra'
http POST /api/v1/metrics/catalog/wip/objectives -H "Authorization: Bearer $admin_w" -H 'Content-Type: application/json' -d '{"objective":"r&d/infra"}'
expect_http 200
http DELETE /api/v1/metrics/catalog/wip/objectives/r%26d%2Finfra -H "Authorization: Bearer $admin_w"
expect_http 200
[ "$(sql "SELECT COUNT(*) FROM metric_objectives m JOIN objectives o ON o.id = m.objective_id WHERE o.name = 'r&d/infra'")" = 0 ] || fail "the mapping to 'r&d/infra' was not removed"
http DELETE /api/v1/metrics/catalog/wip/objectives/r%26d%00 -H "Authorization: Bearer $admin_w"
expect_http 400
http DELETE /api/v1/org -H "Authorization: Bearer $admin_w"
expect_http 405
expect_header "Allow: GET, HEAD"
# Outside the API too (they answered 200): a route's other methods are 405 with Allow, a
# path that is no route is 404 whatever the method.
# The pages' icon, which browsers ask every page for: no sign-in, an SVG, never a 404.
http GET /favicon.ico
expect_http 200
expect_header "Content-Type: image/svg+xml"
grep -q '^<svg xmlns="http://www.w3.org/2000/svg"' "$T/out" || fail "the icon is not an SVG: $(head -c 200 "$T/out")"
# Kept a day, not fetched again with every page: its Cache-Control replaces no-store.
expect_header "Cache-Control: public, max-age=86400"
[ "$(grep -ci '^Cache-Control:' "$T/headers")" = 1 ] || fail "the icon has two Cache-Control headers"
for route in /healthz /metrics /favicon.ico; do
	for method in POST PUT DELETE; do
		http $method $route
		expect_http 405
		expect_json .error.code usage
		expect_header "Allow: GET, HEAD"
	done
done
# The sign-in page's refusal is a page, as every page's is (found in review: it was JSON).
http PUT /signin -d x=1
expect_http 405
expect_header "Allow: GET, HEAD, POST"
expect_header "Content-Type: text/html"
grep -q "the sign-in page is read with GET and takes its form with POST" "$T/out" ||
	fail "no page saying why: $(head -c 300 "$T/out")"
http HEAD /healthz -I
expect_http 200
for method in GET POST DELETE; do
	http $method /nonexistent
	expect_http 404
	grep -q "no page /nonexistent" "$T/out" || fail "$method /nonexistent: $(head -c 300 "$T/out")"
done
# The index lists every route with its permission.
http GET /api/v1 -H "Authorization: Bearer $admin_r"
expect_http 200
expect_json '[.[] | select(.path == "/api/v1/users")][0].permission' admin
# The index's other methods are 405 with Allow, as any route's (found in review: 404); and
# sign-out's are too (a PUT was sent to the sign-in page, as if signed out).
http POST /api/v1 -H "Authorization: Bearer $admin_r"
expect_http 405
expect_header "Allow: GET, HEAD"
expect_json .error.code usage
http PUT /signout -d x=1
expect_http 405
expect_header "Allow: POST"
expect_header "Content-Type: text/html"
grep -q "sign-out is a POST from the page&#39;s button" "$T/out" || fail "PUT /signout: $(head -c 300 "$T/out")"

# A report that finds something is the answer, 200, as policy check's violations are (found
# in fuzzing: a 500 without the report): a chain that does not verify (here with another
# key than the server's) and reconcile's mismatches.
http GET "/api/v1/audit/verify?public-key=$(printf 'ab%.0s' {1..32})" -H "Authorization: Bearer $admin_r"
expect_http 200
expect_json .verified false
ok source add deploy --name deploys
ok ingest --source deploys "$FIXTURES/deploy/deployments.json"
if [ "$(engine)" = postgres ]; then # past the foreign keys, as a hand on the database could
	sql "SET LOCAL session_replication_role = replica; DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)"
else
	sql "DELETE FROM events WHERE id = (SELECT MAX(id) FROM events)"
fi
http GET /api/v1/reconcile -H "Authorization: Bearer $admin_r"
expect_http 200
expect_json .mismatches 1
expect_json '.details[0].check' normalized
# Paged, that report is no list: the 400 says so, not the mismatches the report replaced.
http GET "/api/v1/reconcile?per_page=5" -H "Authorization: Bearer $admin_r"
expect_http 400
expect_json .error.message "this route's answer is not a list"

# Revocation and offboarding take effect at once, though the server remembers who a token
# is between requests: both move the audit head.
http GET /api/v1/people -H "Authorization: Bearer $emp"
expect_http 200
ok token revoke "$(sql "SELECT MAX(id) FROM api_tokens WHERE user_id = (SELECT id FROM users WHERE name = 'E201')")"
http GET /api/v1/people -H "Authorization: Bearer $emp"
expect_http 401
expect_json .error.detail "it was revoked"
mgr=$(token M002 read)
http GET /api/v1/people -H "Authorization: Bearer $mgr"
expect_http 200
sql "UPDATE people SET end_date = 1000 WHERE employee_id = 'M002'"
sleep 1.1 # the memo of who a token is lasts at most a second when nothing is written
http GET /api/v1/people -H "Authorization: Bearer $mgr"
expect_http 403
expect_json .error.message "user 'M002' is disabled"
ok user offboard
expect_out "1 user offboarded"
# Times in audit details are written as everywhere else in plumb, not as epoch numbers.
ok audit log --json --object user:M002
expect_json '[.[] | select(.action == "user.offboard")][0].detail | "\(.reason) \(.end_date)"' \
	"end date passed 1970-01-01"
expect_json '[.[] | select(.action == "token.create")][0].detail.expires_at' "2099-01-01T00:00:00.000Z"
[ "$(sql "SELECT COUNT(*) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.name = 'M002' AND t.revoked_at IS NULL")" = 0 ] || fail "the leaver's tokens were not revoked"

# Limits: a body over --max-body is 413, a webhook delivery over --max-webhook-body too,
# headers over --max-header 431, as JSON.
stop_server
serve --max-body 8192 --max-webhook-body 2048 --max-header 4096
head -c 10000 /dev/zero | tr '\0' 'a' >"$T/big"
http POST /api/v1/services -H "Authorization: Bearer $admin_w" --data-binary "@$T/big"
expect_http 413
expect_json .error.code too_large
expect_json .error.detail "a request may send at most 8192 bytes"
head -c 5000 /dev/zero | tr '\0' 'a' >"$T/mid"
http POST /webhooks/deploy -H "Authorization: Bearer x" --data-binary "@$T/mid"
expect_http 413
expect_json .error.detail "a webhook delivery may send at most 2048 bytes"
http POST /api/v1/services -H "Authorization: Bearer $admin_w" --data-binary "@$T/mid"
expect_http 400
http GET /api/v1/org -H "Authorization: Bearer $admin_r" -H "X-Big: $(head -c 6000 /dev/zero | tr '\0' 'b')"
expect_http 431
expect_json .error.code too_large
http GET /healthz
expect_http 200

# The access log names routes by template and users by id: no paths, no tokens.
grep -q 'GET /api/v1/people/{id} 200' "$T/access.log" || fail "access log lacks the route template: $(cat "$T/access.log")"
grep -q 'E202' "$T/access.log" && fail "access log has a path's employee id"
grep -q 'plumb_' "$T/access.log" && fail "access log has a token"
grep -q 'user=E201' "$T/access.log" || fail "access log lacks the user id"
# /metrics in Prometheus text.
http GET /metrics
expect_http 200
grep -q '^plumb_http_requests_total{route="/healthz",status="200"} 1$' "$T/out" || fail "no request counter: $(head "$T/out")"
grep -q '^plumb_audit_chain_length [0-9]' "$T/out" || fail "no audit chain length"
stop_server
ok audit verify
