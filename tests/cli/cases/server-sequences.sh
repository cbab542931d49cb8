# API answers after a sequence of requests: what one request left behind must
# not make a later one wrong.
init_db
ok org import "$FIXTURES/org-small.csv"
admin_w=$(token admin write)
serve
auth=(-H "Authorization: Bearer $admin_w")

# An ETag names the page with its paging: a write that adds a page past this
# one changes X-Total-Count and Link, so the old ETag is not 304 (it was, and
# the client kept a last page that no longer was).
http GET "/api/v1/tokens?per_page=1" "${auth[@]}"
expect_http 200
expect_header "X-Total-Count: 1"
grep -qi '^link:' "$T/headers" && fail "a Link on the only page"
etag=$(grep -i '^etag:' "$T/headers" | cut -d' ' -f2 | tr -d '\r')
token admin read >/dev/null
http GET "/api/v1/tokens?per_page=1" "${auth[@]}" -H "If-None-Match: $etag"
expect_http 200
expect_header "X-Total-Count: 2"
expect_header "Link: </api/v1/tokens?per_page=1&cursor=1>"
stop_server
