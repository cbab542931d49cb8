# A query argument holding %00 is a 400 whether or not the same URL without what follows
# the NUL was answered a moment before: the kept answer (server_cache.c) is found by the
# arguments as C strings, cut at the NUL, and ?team=search%00x was answered 200 with
# ?team=search's people (found hunting). Bytes that are not UTF-8 likewise.
init_db
ok org import "$FIXTURES/org-small.csv"
r=$(token admin read)
serve
H=(-H "Authorization: Bearer $r")
# Keep ?team=search's answer: its people are search's.
http GET "/api/v1/people?team=search" "${H[@]}"
expect_http 200
expect_json 'map(.team) | unique | join(",")' search
# Served from memory the second time.
http GET "/api/v1/people?team=search" "${H[@]}"
expect_http 200
http GET /metrics
expect_out 'plumb_api_cache_total{result="hit"} 1'
for q in "team=search%00x" "team%00x=search" "team=search&limit%00=1"; do
	http GET "/api/v1/people?$q" "${H[@]}"
	expect_http 400
	expect_json .error.code usage
	file_has "$T/out" "holds a NUL character (%00)" || fail "?$q: $(cat "$T/out")"
done
# The same on a route whose answer is a list that is paged.
http GET "/api/v1/people?team=search&per_page=2" "${H[@]}"
expect_http 200
http GET "/api/v1/people?team=search&per_page=2%00" "${H[@]}"
expect_http 400
# Still one hit: the refused requests were not answered from memory.
http GET /metrics
expect_out 'plumb_api_cache_total{result="hit"} 1'
stop_server
