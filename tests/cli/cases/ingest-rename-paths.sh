# A repository renamed upstream keeps its service (ingest-idempotent.sh) and its directory
# mappings too: `service owner-of` answers for the new name's files as for the old one's
# (found in acceptance: only the whole-repository mapping came along). Each mapping made is
# audited for the rename.
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set widgets-docs --team search --effective 2020-01-01
ok service set widgets-web --team search --effective 2020-01-01
ok source add github --name gh --repo acme/widgets --repo acme/widgets-v2
ok ingest --source gh "$FIXTURES/github/pulls.json"
ok service map widgets-docs --repo acme/widgets --path docs
ok service map widgets-web --repo acme/widgets --path web/src
old_service=$(sql "SELECT s.name FROM service_mappings m JOIN services s ON s.id = m.service_id WHERE m.key = 'acme/widgets' AND m.path_prefix = ''")
mkdir "$T/copy"
jq '[.[] | select(.number == 101) | .base.repo.full_name = "acme/widgets-v2" |
	.html_url = "https://github.com/acme/widgets-v2/pull/101" | .updated_at = "2024-03-20T00:00:00Z"]' \
	"$FIXTURES/github/pulls.json" >"$T/copy/pulls-renamed.json"
ok ingest --source gh "$T/copy/pulls-renamed.json"
expect_out "1 repository renamed upstream kept its service"
ok service owner-of --repo acme/widgets-v2 --path docs/setup.md
expect_out "widgets-docs"
ok service owner-of --repo acme/widgets-v2 --path web/src/app.ts
expect_out "widgets-web"
ok service owner-of --repo acme/widgets-v2 --path src/main.c
expect_out "$old_service"
ok audit log --json
expect_json '[.[] | select(.action == "service.map" and (.object_id | startswith("github:acme/widgets-v2"))) | select(.detail.reason == "renamed upstream") | "\(.object_id) \(.detail.service) \(.detail.renamed_from)"] | sort | join(",")' \
	"github:acme/widgets-v2 $old_service acme/widgets,github:acme/widgets-v2/docs widgets-docs acme/widgets,github:acme/widgets-v2/web/src widgets-web acme/widgets"
ok audit verify

# A repository split on purpose, only directories of it mapped, is still so once renamed: it
# takes the directory mappings and no service of its own, and its events none (found by a
# rename of one: it became an unowned service, its events with it).
ok source add github --name gh2 --repo acme/mono --repo acme/mono-v2
jq '[.[] | .base.repo.full_name = "acme/mono" | .id += 1000 |
	.html_url |= sub("/widgets/"; "/mono/")]' "$FIXTURES/github/pulls.json" >"$T/copy/pulls-mono.json"
ok service map widgets-web --repo acme/mono --path web
ok ingest --source gh2 "$T/copy/pulls-mono.json"
expect_out "4 events of acme/mono have no service"
jq '[.[] | .base.repo.full_name = "acme/mono-v2" | .html_url |= sub("/mono/"; "/mono-v2/") |
	.updated_at = "2024-03-20T00:00:00Z"]' "$T/copy/pulls-mono.json" >"$T/copy/pulls-mono-v2.json"
ok ingest --source gh2 --json "$T/copy/pulls-mono-v2.json"
expect_json '"\(.moved) \(.services_created) \(.repos_renamed) \(.path_only_repos) \(.path_only_events)"' "4 0 0 1 4"
[ "$(sql "SELECT COUNT(*) FROM services WHERE name LIKE 'acme.mono%'")" = 0 ] || fail "the renamed repository became a service"
[ "$(sql "SELECT COUNT(*) FROM events WHERE owner_key = 'acme/mono-v2' AND service_id IS NULL")" = 4 ] ||
	fail "the renamed repository's events got a service"
ok service owner-of --repo acme/mono-v2 --path web/app.ts
expect_out "widgets-web"
run service owner-of --repo acme/mono-v2 --path src/main.c
expect_status 4
ok service unowned --json
expect_json '[.[] | select(.service | startswith("acme.mono"))] | length' 0
ok audit verify
