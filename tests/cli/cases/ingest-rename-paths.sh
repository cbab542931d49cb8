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
