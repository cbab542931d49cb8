# source set changes a source's settings: each given replaces the stored one (a list, its
# whole list), --unset clears one, and the result is checked as source add checks a new
# source, nothing written when it fails. A changed --bot list marks the source's stored
# events again, both ways, and the audit log says how many.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E201 --role employee
ok source add github --name gh --repo acme/widgets --token-env GH_TOKEN
ok ingest --source gh "$FIXTURES/github"
# (Grouped by the account, not by column 1, which holds the SUM: that failed, and every
# comparison of two empty strings passed.)
bots() { sql "SELECT COALESCE(account, account_email) || ':' || SUM(is_bot) FROM events WHERE source_id = (SELECT id FROM sources WHERE name = 'gh') GROUP BY COALESCE(account, account_email) ORDER BY 1" | tr '\n' ' '; }
before=$(bots)
alice=$(sql "SELECT COUNT(*) FROM events WHERE account = 'alice'")
[ "$alice" -gt 0 ] || fail "the fixtures have no events of alice"
[ "$(sql "SELECT SUM(is_bot) FROM events WHERE account = 'alice'")" = 0 ] || fail "alice is a bot before"

# Put on the list (in any case): alice's stored events become a bot's.
ok source set gh --bot Alice --bot ci-runner
expect_out "source gh (github) changed"
expect_out "$alice events now marked as a bot's, 0 no longer"
[ "$(sql "SELECT SUM(is_bot) FROM events WHERE account = 'alice'")" = "$alice" ] || fail "alice's events were not marked"
ok source list --json
expect_json '.[0].config.bots | join(",")' "Alice,ci-runner"
expect_json '.[0].config.repos | join(",")' "acme/widgets"
expect_json '.[0].token_env' GH_TOKEN
ok identity unmatched --json
expect_json 'map(select(.login == "alice")) | length' 0
# Taken off again: a person's, while dependabot[bot] stays a bot's by the built-in rules.
ok source set gh --unset bot
expect_out "0 events now marked as a bot's, $alice no longer"
[ "$(bots)" = "$before" ] || fail "the marks did not come back: $(bots), before $before"
ok source set gh --bot 'dependabot[bot]'
ok source set gh --unset bot
[ "$(bots)" = "$before" ] || fail "unsetting a built-in bot unmarked it: $(bots)"
# A later ingest marks by the list as stored.
ok source set gh --bot alice
ok ingest --source gh "$FIXTURES/github"
[ "$(sql "SELECT SUM(is_bot) FROM events WHERE account = 'alice'")" = "$alice" ] || fail "re-ingest unmarked alice"
ok source set gh --unset bot

# Settings given as they are stored change nothing and are not audited: the same --repo, an
# --unset of what is not set, the same variable (it said "changed" and wrote an entry).
entries=$(sql "SELECT COUNT(*) FROM audit_log")
for args in "--repo acme/widgets" "--unset include" "--unset bot" "--token-env GH_TOKEN"; do
	ok source set gh $args
	expect_out "source gh (github) unchanged"
done
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "an unchanged source set was audited"
# So is the same --bot list in another case or order (bots are compared in any case, as a
# set), which keeps the stored spelling (found in review: "changed", and a second source.set
# entry).
ok source set gh --bot Release-Robot --bot ci-runner
entries=$(sql "SELECT COUNT(*) FROM audit_log")
ok source set gh --bot release-robot --bot CI-Runner
expect_out "source gh (github) unchanged"
ok source set gh --bot CI-Runner --bot release-robot
expect_out "source gh (github) unchanged"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$entries" ] || fail "a --bot list in another case or order was audited"
ok source list --json
expect_json '.[0].config.bots | join(",")' "Release-Robot,ci-runner"
ok source set gh --bot release-robot
expect_out "source gh (github) changed"
ok source set gh --unset bot
ok source set gh --token-env OTHER_TOKEN
expect_out "source gh (github) changed"
ok source set gh --token-env GH_TOKEN

# Scope: --org replaces --repo, with its patterns; --repo replaces --org and its patterns.
ok source set gh --org acme --include 'w*' --exclude 'wip-*'
ok source list --json
expect_json '.[0].config | "\(.org) \(.include | join(",")) \(.exclude | join(",")) \(.repos)"' "acme w* wip-* null"
ok source set gh --repo acme/widgets --repo acme/gadgets
ok source list --json
expect_json '.[0].config | "\(.repos | join(",")) \(.org) \(.include)"' "acme/widgets,acme/gadgets null null"
# Credentials and the API: set, and unset; the default API comes back.
ok source set gh --api-url https://ghe.acme.example/api/v3 --webhook-secret-env GH_HOOK
expect_err "warning: GH_HOOK is not set"
ok source set gh --unset api-url --unset token-env
ok source list --json
expect_json '.[0] | "\(.config.api_url) \(.token_env) \(.webhook_secret_env)"' "https://api.github.com null GH_HOOK"

# Jira: a new --url brings its API along; --jql replaces --project.
ok source add jira --name jr --url https://a.atlassian.net --project PAY
ok source set jr --url https://b.atlassian.net --jql 'project = OPS'
ok source list --json
expect_json '.[] | select(.name == "jr") | .config | "\(.api_url) \(.url) \(.jql) \(.project)"' "https://b.atlassian.net https://b.atlassian.net project = OPS null"

# Refused, each naming what is wrong, and nothing written.
snapshot() { sql "SELECT name || config || COALESCE(token_env, '-') || COALESCE(webhook_secret_env, '-') FROM sources ORDER BY name"; sql "SELECT COUNT(*) FROM audit_log WHERE action = 'source.set'"; }
config=$(snapshot)
run source set gh --project PAY
expect_status 2
expect_err "--project does not apply to a github source"
run source set gh --repo 'not a repo'
expect_status 2
expect_err "--repo"
run source set gh --include 'x*'
expect_status 2
expect_err "--include and --exclude go with --org"
run source set gh --token-env 'bad name'
expect_status 2
run source set gh --bot x --unset bot
expect_status 2
expect_err "--bot is both given and unset"
run source set gh --unset job
expect_status 2
expect_err "--unset: 'job' is not a setting a source may go without"
run source set gh
expect_status 2
expect_err "nothing to change"
run source set nosuch --bot x
expect_status 4
expect_err "no source 'nosuch'"
run source set jr --unset token-env --url 'ftp://x'
expect_status 2
# Two settings of which the kind reads one, together: refused, as source add refuses them.
run source set gh --repo acme/x --org acme
expect_status 2
expect_err "either --repo OWNER/NAME (repeatable) or --org ORG"
run source set jr --project OPS --jql 'project = X'
expect_status 2
expect_err "either --project KEY or --jql QUERY"
# Unsetting what the kind has not.
run source set jr --unset service
expect_status 2
expect_err "--unset service: a jira source has no service"
run source set gh --org acme --include '[\]'
expect_status 2
expect_err "--include '[\]': expected a repository name pattern"
run --as E201 source set gh --bot alice
expect_status 3
[ "$(snapshot)" = "$config" ] || fail "a refused change wrote something: $(diff <(echo "$config") <(snapshot))"

# A pattern stored before plumb checked them (it matches nothing, as it did) does not keep
# the source from being changed.
ok source add github --name old-org --org acme
sql "UPDATE sources SET config = '{\"api_url\":\"https://api.github.com\",\"org\":\"acme\",\"include\":[\"w[\"]}' WHERE name = 'old-org'" >/dev/null
ok source set old-org --bot alice
ok source list --json
expect_json '.[] | select(.name == "old-org") | .config | "\(.include | join(",")) \(.bots | join(","))"' "w[ alice"

# Each change is audited, naming variables, never values.
ok audit log --json
expect_json '[.[] | select(.action == "source.set")] | length' 17
expect_json '[.[] | select(.action == "source.set") | .detail.events_marked_bot] | add' "$((alice * 2))"
ok audit verify

# Several bots changed at once (one UPDATE for the whole change) mark exactly their events:
# put on together (in any case, an address too), then a list that adds one, drops one and
# keeps the rest, then one that swaps them all; the built-in dependabot[bot] stays a bot's
# whichever list names it. Each entry counts both ways.
acct_events() { sql "SELECT COUNT(*) FROM events WHERE source_id = (SELECT id FROM sources WHERE name = 'gh') AND lower(COALESCE(account, account_email)) = '$1'"; }
bob=$(acct_events bob) carol=$(acct_events carol) dana=$(acct_events dana@contractor.example)
events() { if [ "$1" = 1 ]; then echo "1 event"; else echo "$1 events"; fi; }
if [ "$bob" = 0 ] || [ "$carol" = 0 ] || [ "$dana" = 0 ]; then
	fail "the fixtures lack bob, carol or dana: $bob $carol $dana"
fi
gh_marked() { # the accounts all of whose events are a bot's, and none half marked
	[ "$(sql "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE source_id = (SELECT id FROM sources WHERE name = 'gh') GROUP BY COALESCE(account, account_email) HAVING SUM(is_bot) > 0 AND SUM(is_bot) < COUNT(*)) x")" = 0 ] ||
		fail "an account's events are half marked: $(bots)"
	sql "SELECT COALESCE(account, account_email) FROM events WHERE source_id = (SELECT id FROM sources WHERE name = 'gh') GROUP BY 1 HAVING SUM(is_bot) = COUNT(*) ORDER BY 1" | tr '\n' ' '
}
[ "$(gh_marked)" = "dependabot[bot] " ] || fail "marked before the lists: $(gh_marked)"
ok source set gh --bot BOB --bot carol --bot Dana@Contractor.example --bot 'dependabot[bot]' --bot ci-runner
expect_out "$(events $((bob + carol + dana))) now marked as a bot's, 0 no longer"
[ "$(gh_marked)" = "bob carol dana@contractor.example dependabot[bot] " ] || fail "put on together: $(gh_marked)"
ok source set gh --bot alice --bot Carol --bot bob --bot BOB
expect_out "$(events "$alice") now marked as a bot's, $dana no longer"
[ "$(gh_marked)" = "alice bob carol dependabot[bot] " ] || fail "one added, one dropped: $(gh_marked)"
ok source set gh --bot dana@contractor.example --bot ci-runner
expect_out "$(events "$dana") now marked as a bot's, $((alice + bob + carol)) no longer"
[ "$(gh_marked)" = "dana@contractor.example dependabot[bot] " ] || fail "all swapped: $(gh_marked)"
ok source set gh --unset bot
expect_out "0 events now marked as a bot's, $dana no longer"
[ "$(bots)" = "$before" ] || fail "the marks did not come back: $(bots), before $before"
counted=$(sql "SELECT detail FROM audit_log WHERE action = 'source.set' ORDER BY seq DESC LIMIT 4" |
	jq -sr 'reverse | map("\(.events_marked_bot)/\(.events_unmarked_bot)") | join(" ")')
[ "$counted" = "$((bob + carol + dana))/0 $alice/$dana $dana/$((alice + bob + carol)) 0/$dana" ] ||
	fail "the entries counted: $counted"
ok audit verify

# Not while a run of the source is going on: it staged its rows under the settings it began
# with (a bot mark taken off would come back when it publishes). acme/slow answers (401)
# once the refusal is seen (the file go), not after 1.5 s, which a loaded machine's
# `source set` could outlast.
source "$ROOT/tests/http/apiserver.sh"
cp -r "$ROOT/tests/http/scenarios/github-sync" "$T/scenario"
jq '(.[] | select(.path == "/repos/acme/slow/pulls") | .responses[0]) |= (del(.delay_ms) | .hold_until = "go")' \
	"$ROOT/tests/http/scenarios/github-sync/routes.json" >"$T/scenario/routes.json"
api_start "$T/scenario"
ok source add github --name slow --repo acme/slow --api-url "$API_URL"
"$PLUMB" sync slow --since 2024-01-01 >"$T/bg.out" 2>"$T/bg.err" &
bg=$!
slow_staging() {
	[ "$(sql "SELECT COUNT(*) FROM ingest_runs r JOIN sources s ON s.id = r.source_id WHERE s.name = 'slow' AND r.status = 'staging'")" = 1 ]
}
wait_until 60 slow_staging || fail "the sync of slow did not begin: $(cat "$T/bg.err")"
run source set slow --bot alice
touch "$T/scenario/go"
expect_status 5
expect_err "of source slow is going on"
wait $bg
ok source set slow --bot alice
api_stop
