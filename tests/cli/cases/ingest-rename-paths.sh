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

# A push of the renamed repository before its pull requests (the usual order: pushes come
# most often) made it a service of its own before the rename could show; once its pull
# requests show it, that service, still as ingest made it (no team given, nothing else
# mapped to it), gives way to the old name's, and the push's commits follow (found by a push
# first: the renamed repository's pull requests left their team for an unowned service).
ok service set tools --team payments --effective 2020-01-01
ok source add github --name gh3 --repo acme/tools --repo acme/tools-v2
ok service map tools --repo acme/tools
ok service map widgets-docs --repo acme/tools --path docs
jq '[.[] | .base.repo.full_name = "acme/tools" | .id += 2000 | .html_url |= sub("/widgets/"; "/tools/")]' \
	"$FIXTURES/github/pulls.json" >"$T/copy/pulls-tools.json"
ok ingest --source gh3 "$T/copy/pulls-tools.json"
jq '.repository.full_name = "acme/tools-v2" | .repository.name = "tools-v2"' "$FIXTURES/github/webhook-push.json" >"$T/copy/push-tools-v2.json"
ok ingest --source gh3 --event push "$T/copy/push-tools-v2.json"
expect_out "1 unmapped thing became a service of its own"
jq '[.[] | .base.repo.full_name = "acme/tools-v2" | .html_url |= sub("/tools/"; "/tools-v2/") |
	.updated_at = "2024-03-20T00:00:00Z"]' "$T/copy/pulls-tools.json" >"$T/copy/pulls-tools-v2.json"
ok ingest --source gh3 --json "$T/copy/pulls-tools-v2.json"
expect_json '"\(.moved) \(.repos_renamed) \(.services_created)"' "4 1 0"
tools() { sql "SELECT e.kind || ' ' || s.name || ' ' || t.name FROM events e JOIN services s ON s.id = e.service_id JOIN teams t ON t.id = e.team_id WHERE e.owner_key = 'acme/tools-v2' GROUP BY 1 ORDER BY 1"; }
[ "$(tools | tr '\n' ',')" = "commit tools payments,pull_request tools payments," ] ||
	fail "the renamed repository's events: $(tools | tr '\n' ',')"
ok service owner-of --repo acme/tools-v2 --path docs/a.md
expect_out "widgets-docs"
ok service unowned --json
expect_json '[.[] | select(.service == "acme.tools-v2") | "\(.events) \(.mapped | length)"] | join(",")' "0 0"
ok audit log --json
expect_json '[.[] | select(.action == "service.map" and .object_id == "github:acme/tools-v2") | "\(.detail.service) \(.detail.reason)"] | join(",")' \
	"acme.tools-v2 unmapped at ingest,tools renamed upstream"
# A service given a team since is someone's decision: it stays.
ok service set notes --team search --effective 2020-01-01
ok source add github --name gh4 --repo acme/notes --repo acme/notes-v2
ok service map notes --repo acme/notes
jq '[.[] | .base.repo.full_name = "acme/notes" | .id += 3000 | .html_url |= sub("/widgets/"; "/notes/")]' \
	"$FIXTURES/github/pulls.json" >"$T/copy/pulls-notes.json"
ok ingest --source gh4 "$T/copy/pulls-notes.json"
jq '.repository.full_name = "acme/notes-v2" | .repository.name = "notes-v2"' "$FIXTURES/github/webhook-push.json" >"$T/copy/push-notes-v2.json"
ok ingest --source gh4 --event push "$T/copy/push-notes-v2.json"
ok service set acme.notes-v2 --team payments --effective 2020-01-01
jq '[.[] | .base.repo.full_name = "acme/notes-v2" | .html_url |= sub("/notes/"; "/notes-v2/") |
	.updated_at = "2024-03-20T00:00:00Z"]' "$T/copy/pulls-notes.json" >"$T/copy/pulls-notes-v2.json"
ok ingest --source gh4 --json "$T/copy/pulls-notes-v2.json"
expect_json '"\(.moved) \(.repos_renamed)"' "4 0"
ok service owner-of --repo acme/notes-v2
expect_out "acme.notes-v2"
ok audit verify
