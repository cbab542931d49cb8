# Bots are marked: [bot] logins and GitHub's own "type": "Bot" always, well-known automation
# (dependabot, renovate) by name, and a company's own automation accounts named on the
# source with --bot (in any case; the built-in names and the [bot] suffix too).  Bots are left out of identity unmatched unless asked.
init_db
run source add github --name bad --repo acme/widgets --bot "two words"
expect_status 2
expect_err "--bot 'two words': expected a GitHub login: letters, digits and single hyphens"
ok source add github --name gh --repo acme/widgets --bot Carol
ok source list --json
expect_json '.[0].config.bots | join(",")' Carol
ok ingest --source gh "$FIXTURES/github"
ok events list --kind pull_request --json
expect_json 'map("\(.account) \(.bot)") | join(",")' "alice false,bob false,carol true,dependabot[bot] true"
ok identity unmatched --json
expect_json 'map(.login) | index("carol")' null
ok identity unmatched --bots --json
expect_json '[.[] | select(.login == "carol")][0].bot' true
# The built-in names and the [bot] suffix in any case (found in review: "Dependabot" and
# "deploy[BOT]" were people).
ok source add deploy --name dep
printf 'service,environment,started,status,actor\nweb,prod,2024-05-01T10:00:00Z,success,Dependabot\nweb,prod,2024-05-01T11:00:00Z,success,deploy[BOT]\nweb,prod,2024-05-01T12:00:00Z,success,Dependa\n' >bots.csv
ok ingest --source dep bots.csv
ok events list --kind deployment --source dep --json
expect_json 'map("\(.account) \(.bot)") | join(",")' "Dependabot true,deploy[BOT] true,Dependa false"
# A deploy source's accounts are its events' actors, often names with spaces inside
# ("Release Bot"), which identity link takes: --bot takes them too, compared in any case;
# not with spaces around them, which the parser trims away (found in acceptance).
run source add deploy --name bad2 --bot " Release Bot"
expect_status 2
expect_err "--bot ' Release Bot': expected a deploy account"
ok source add deploy --name dep2 --bot "Release Bot"
printf 'service,environment,started,status,actor\nweb,prod,2024-05-01T10:00:00Z,success,release bot\nweb,prod,2024-05-01T11:00:00Z,success,Release\n' >named.csv
ok ingest --source dep2 named.csv
ok events list --kind deployment --source dep2 --json
expect_json 'map("\(.account) \(.bot)") | join(",")' "release bot true,Release false"
# Jira Cloud calls its bots "app" accounts (Automation for Jira, integrations): marked as GitHub's
# type "Bot" is, and kept out of identity unmatched; a person's "atlassian" account is not
# (found in acceptance: Automation for Jira was listed as an unmatched person).
ok source add jira --name jr --url https://acme.atlassian.net --project PLAT
jq '.issues[0].fields.assignee = {accountId: "557058:a1b2c3d4-automation",
	displayName: "Automation for Jira", active: true, accountType: "app"}' \
	"$FIXTURES/jira/search-changelog.json" >app.json
ok ingest --source jr app.json
ok events list --kind work_item --source jr --json
expect_json 'map("\(.external_id) \(.bot)") | join(",")' "PLAT-101 true,PLAT-102 false,OPS-7 false"
ok identity unmatched --json
expect_json 'map(select(.system == "jira") | .login) | join(",")' "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"
expect_json 'map(select(.system == "jira") | .bot) | join(",")' "false"
ok identity unmatched --bots --json
expect_json 'map(select(.system == "jira" and .bot) | .name) | join(",")' "Automation for Jira"
# One of a thing is said in the singular (found in acceptance: "1 raw payloads").
ok reconcile dep2
expect_out "dep2: 1 raw payload, 2 records (2 distinct), 2 events: 0 mismatches"
# The bot flag is its account's: an issue the app assigned, then a person took, is the
# person's and no bot's, whether the two snapshots come in two runs, in one, or the older
# after the newer (found in acceptance: the flag stayed set once any snapshot had it).
jq '.issues[0].fields.updated = "2020-06-16T10:00:02.000+0800"' "$FIXTURES/jira/search-changelog.json" >person.json
plat101() { ok events list --kind work_item --source "$1" --json; json '.[] | select(.external_id == "PLAT-101") | "\(.account) \(.bot)"'; }
ok source add jira --name jr2 --url https://acme.atlassian.net --project PLAT
ok ingest --source jr2 app.json
[ "$(plat101 jr2)" = "557058:a1b2c3d4-automation true" ] || fail "the app's issue: $(plat101 jr2)"
ok ingest --source jr2 person.json
[ "$(plat101 jr2)" = "5b10ac8d82e05b22cc7d4ef5 false" ] || fail "taken by a person, a later run: $(plat101 jr2)"
ok ingest --source jr2 app.json
[ "$(plat101 jr2)" = "5b10ac8d82e05b22cc7d4ef5 false" ] || fail "the older snapshot again: $(plat101 jr2)"
ok source add jira --name jr3 --url https://acme.atlassian.net --project PLAT
ok ingest --source jr3 app.json person.json
[ "$(plat101 jr3)" = "5b10ac8d82e05b22cc7d4ef5 false" ] || fail "both in one run: $(plat101 jr3)"
ok source add jira --name jr4 --url https://acme.atlassian.net --project PLAT
ok ingest --source jr4 person.json
ok ingest --source jr4 app.json
[ "$(plat101 jr4)" = "5b10ac8d82e05b22cc7d4ef5 false" ] || fail "the older after the newer: $(plat101 jr4)"
# Snapshots of one account still agree on its flag whichever says it.
jq '.issues[0].fields.updated = "2020-06-17T10:00:02.000+0800" | .issues[0].fields.assignee.accountType = null' app.json >app-later.json
ok source add jira --name jr5 --url https://acme.atlassian.net --project PLAT
ok ingest --source jr5 app.json
ok ingest --source jr5 app-later.json
[ "$(plat101 jr5)" = "557058:a1b2c3d4-automation true" ] || fail "one account's flag: $(plat101 jr5)"
ok reconcile
# A commit by an address GitHub knows no account for is that email account (identity
# unmatched lists it so): --bot names it so too, in any case (found in acceptance: only
# logins were compared, so a CI's commits by address stayed a person's).
ok source add github --name gh2 --repo acme/widgets --bot ci@acme.example
jq '.[0].commit.author.email = "CI@acme.example" | .[0].author = null | .[0:1]' "$FIXTURES/github/commits.json" >ci-commit.json
ok ingest --source gh2 ci-commit.json
ok events list --kind commit --source gh2 --json
expect_json 'map("\(.account) \(.bot)") | join(",")' "ci@acme.example true"
ok identity unmatched --json
expect_json 'map(select(.login == "ci@acme.example")) | length' 0
# A commit known by a GitHub noreply address alone is a bot's when the login in it is one
# (found in review: dependabot's own address was a person, listed as unmatched); a person's
# noreply address is not.
jq '[.[0] | .author = null | .commit.author.email = "49699333+dependabot[bot]@users.noreply.github.com",
	(.sha = "aa11bb22cc33" | .author = null | .commit.author.email = "RENOVATE[bot]@users.noreply.github.com"),
	(.sha = "dd44ee55ff66" | .author = null | .commit.author.email = "12345+alice@users.noreply.github.com")]' \
	"$FIXTURES/github/commits.json" >noreply.json
ok source add github --name gh3 --repo acme/widgets
ok ingest --source gh3 noreply.json
ok events list --kind commit --source gh3 --json
expect_json 'map("\(.account) \(.bot)") | sort | join(",")' "12345+alice@users.noreply.github.com false,49699333+dependabot[bot]@users.noreply.github.com true,renovate[bot]@users.noreply.github.com true"
ok identity unmatched --json
expect_json 'map(select(.login | test("noreply"))) | map(.login) | join(",")' "12345+alice@users.noreply.github.com"
# With --bots the table and CSV say which accounts are bots, as --json does (found in
# acceptance: bots and people were listed alike, the "link each" line inviting a link of both).
ok identity unmatched --bots --csv
expect_out "system,login,name,email,bot,events,last seen"
expect_out "github,dependabot[bot],,,yes,2,"
expect_out "github,alice,Alice Example,alice@example.com,no,"
ok identity unmatched --bots
expect_out "bot"
ok identity unmatched --csv
expect_out "system,login,name,email,events,last seen"
