# plumb source remove: a source added by mistake goes, with its sharing, audited; one that
# has a history (runs, data) is kept for its lineage (exit 5, nothing written), as is any source for a
# user who is not an admin; the API route answers the same.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role manager
ok source add github --name gh-typo --repo acme/widgts
ok source share gh-typo --with payments
ok source owner gh-typo payments
ok source add github --name gh --repo acme/widgets
ok ingest --source gh "$FIXTURES/github/pulls.json"
written() { echo "$(sql "SELECT COUNT(*) FROM sources") $(sql "SELECT COUNT(*) FROM source_readers") $(sql "SELECT COUNT(*) FROM audit_log")"; }
before=$(written)
run source remove gh
expect_status 5
expect_err "source gh has a history (1 run, 4 events): it is kept for its lineage"
expect_err "plumb source pause gh"
run source remove nope
expect_status 4
expect_err "no source 'nope'"
run --as E101 source remove gh-typo
expect_status 3
[ "$(written | cut -d' ' -f1,2)" = "$(echo "$before" | cut -d' ' -f1,2)" ] || fail "a refused remove wrote: $(written) against $before"
ok source remove gh-typo
expect_out "source gh-typo removed"
[ "$(sql "SELECT COUNT(*) FROM sources WHERE name = 'gh-typo'") $(sql "SELECT COUNT(*) FROM source_readers")" = "0 0" ] ||
	fail "the source or its sharing stayed"
ok audit log --json
# The owning team goes with it too: named in the entry, as source owner set it.
expect_json '[.[] | select(.action == "source.remove")] | map("\(.object_id) \(.detail.kind) \(.detail.config.repos | join(",")) \(.detail.owner) \(.detail.readers_removed)") | join(";")' \
	"gh-typo github acme/widgts payments 1"
# A name freed is free: the source can be added again, right this time.
ok source add github --name gh-typo --repo acme/widgets
# Over the API, as the CLI.
tok=$(token admin write)
serve
http POST /api/v1/sources/gh/remove -H "Authorization: Bearer $tok"
expect_http 409
expect_json .error.code conflict
http POST /api/v1/sources/gh-typo/remove -H "Authorization: Bearer $tok"
expect_http 200
stop_server
[ "$(sql "SELECT COUNT(*) FROM sources")" = 1 ] || fail "the API remove"
ok audit verify
expect_references_intact
