# source add configures each kind with its own settings; credentials are stored as variable
# names only; every bad setting is a usage error naming it, and nothing is written.
init_db
ok source add github --name gh-repos --repo acme/payments --repo acme/ledger --token-env GITHUB_TOKEN --webhook-secret-env GH_HOOK_SECRET
expect_out "source gh-repos (github) added"
expect_err "warning: GITHUB_TOKEN is not set"
GITHUB_TOKEN=ghp_notstored ok source add github --name gh-org --org acme --include 'svc-*' --exclude 'archive-*' --api-url https://ghe.acme.example/api/v3 --token-env GITHUB_TOKEN
[ -s "$T/err" ] && fail "no warning expected when the variable is set: $(cat "$T/err")"
ok source add jira --name jira-pay --url https://acme.atlassian.net --project PAY --token-env JIRA_TOKEN
ok source add jira --name jira-jql --url https://acme.atlassian.net --jql 'project = PAY AND type = Bug'
ok source add jenkins --name ci --url https://ci.acme.example --job platform/build
ok source add pagerduty --name pd --service PIJ90N7 --service P2ABCDE --token-env PD_TOKEN
ok source add deploy --name deploys
ok source add github --name gh-local --repo acme/x --api-url http://127.0.0.1:8081
ok source list --json
expect_json 'length' 8
expect_json 'map(.name) | join(",")' "ci,deploys,gh-local,gh-org,gh-repos,jira-jql,jira-pay,pd"
expect_json '.[] | select(.name == "gh-repos") | .config.repos | join(",")' "acme/payments,acme/ledger"
expect_json '.[] | select(.name == "gh-repos") | .config.api_url' "https://api.github.com"
expect_json '.[] | select(.name == "gh-org") | .config.api_url' "https://ghe.acme.example/api/v3"
expect_json '.[] | select(.name == "gh-org") | .config.include[0] + " " + .config.exclude[0]' "svc-* archive-*"
expect_json '.[] | select(.name == "jira-jql") | .config.jql' "project = PAY AND type = Bug"
expect_json '.[] | select(.name == "jira-pay") | .token_env' JIRA_TOKEN
expect_json '.[] | select(.name == "pd") | .config.services | length' 2
expect_json '.[] | select(.name == "deploys") | .config' "{}"
ok source list
expect_out "gh-repos"
expect_out "GH_HOOK_SECRET"
# The token's value is nowhere: not in the table, not in the audit log.
[ "$(sql "SELECT COUNT(*) FROM sources WHERE config LIKE '%ghp!_%' ESCAPE '!' OR token_env LIKE '%ghp!_%' ESCAPE '!'")" = 0 ] || fail "a token value was stored"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%ghp!_%' ESCAPE '!'")" = 0 ] || fail "a token value was audited"
ok audit log --json --object source:gh-repos
expect_json '.[0].action' source.add
expect_json '.[0].detail.token_env' GITHUB_TOKEN
expect_json '.[0].detail.config.repos[1]' acme/ledger

written() { echo "$(sql "SELECT COUNT(*) FROM sources") sources, $(sql "SELECT COUNT(*) FROM audit_log") entries"; }
before=$(written)
refused() { # STATUS MESSAGE ARGS...: refused with that status and message, nothing written
	local want=$1 msg=$2; shift 2
	run source add "$@"
	expect_status "$want"
	expect_err "$msg"
	[ "$(written)" = "$before" ] || fail "a refused source add wrote something: $*"
}
refused 2 "unknown source kind 'gitlab'" gitlab --name gl
refused 2 "needs --name NAME" github --repo a/b
refused 2 "--name 'bad name': expected" github --name "bad name" --repo a/b
refused 2 "either --repo OWNER/NAME (repeatable) or --org ORG" github --name g1
refused 2 "either --repo OWNER/NAME (repeatable) or --org ORG" github --name g1 --repo a/b --org acme
refused 2 "--include and --exclude go with --org" github --name g1 --repo a/b --include 'x*'
# A pattern fnmatch would take literally (an unclosed '[', a '\' at the end) matches no
# repository: refused (found in acceptance); '[]]' and an escaped '*' are patterns.
refused 2 "--include '[': expected a repository name pattern" github --name g1 --org acme --include '['
refused 2 "--exclude 'svc-[0-9': expected a repository name pattern" github --name g1 --org acme --exclude 'svc-[0-9'
refused 2 "--include 'a\': expected a repository name pattern" github --name g1 --org acme --include 'a\'
refused 2 "--include '[\]': expected a repository name pattern" github --name g1 --org acme --include '[\]'
refused 2 "--include '[[:alpha:]': expected a repository name pattern" github --name g1 --org acme --include '[[:alpha:]'
refused 2 "--repo 'acme': expected OWNER/NAME" github --name g1 --repo acme
refused 2 "--repo 'a/b/c': expected OWNER/NAME" github --name g1 --repo a/b/c
refused 2 "--job does not apply to a github source" github --name g1 --repo a/b --job build
refused 2 "--repo does not apply to a jira source" jira --name j1 --url https://x.example --project PAY --repo a/b
# Only the kinds with a webhook route take a webhook secret.
refused 2 "--webhook-secret-env does not apply to a jira source" jira --name j1 --url https://x.example --project PAY --webhook-secret-env HOOK
refused 2 "--webhook-secret-env does not apply to a jenkins source" jenkins --name k1 --url https://x.example --job build --webhook-secret-env HOOK
refused 2 "--webhook-secret-env does not apply to a prometheus source" prometheus --name p1 --api-url https://x.example --webhook-secret-env HOOK
refused 2 "a jira source needs --url" jira --name j1 --project PAY
refused 2 "either --project KEY or --jql QUERY" jira --name j1 --url https://x.example
refused 2 "--project 'pay': expected a Jira project key" jira --name j1 --url https://x.example --project pay
refused 2 "a jenkins source needs --url and --job" jenkins --name j2 --url https://ci.example
refused 2 "--service 'P-1': expected a PagerDuty service id" pagerduty --name p1 --service P-1
# PagerDuty's ids are upper case: a lower-case one would match no incident and scope away
# every delivery, without a word (found in acceptance).
refused 2 "--service 'pij90n7': expected a PagerDuty service id, upper-case letters and digits" pagerduty --name p1 --service pij90n7
refused 2 "--url 'http://ci.acme.example': expected an https:// URL (http:// only to this machine" jenkins --name j2 --url http://ci.acme.example --job b
# host[:port]: a port from 1 to 65535, an IPv6 host in brackets and nothing after them.
for u in 'https://[::1' 'https://h:' 'https://h:0' 'https://h:65536' 'https://h:x' 'https://[::1]x'; do
	refused 2 "--url '$u': expected an https:// URL with a host and an optional :port from 1 to 65535" jenkins --name j3 --url "$u" --job b
done
refused 2 "--api-url: expected a URL starting https:// (http:// to this machine) and naming a host" github --name g1 --repo a/b --api-url ftp://x
refused 2 "--api-url: expected a URL starting https:// (http:// to this machine) and naming a host (the scheme in lower case)" github --name g1 --repo a/b --api-url HTTPS://ghe.example
refused 2 "--token-env takes the name of an environment variable, not a token" github --name g1 --repo a/b --token-env ghp_0123456789abcdef
refused 2 "--token-env: expected the name of an environment variable" github --name g1 --repo a/b --token-env MY-TOKEN
refused 5 "a source named gh-repos exists already" github --name gh-repos --repo a/b
# A URL that only looks local, or carries a user or password: refused, and not echoed back.
refused 2 "expected a URL without user or password" github --name g1 --repo a/b --api-url 'http://localhost:80@evil.example/'
refused 2 "expected a URL without user or password" github --name g1 --repo a/b --api-url 'https://user:ghp_secret1@api.github.com'
refused 2 "expected a URL starting https:// (http:// to this machine) and naming a host" github --name g1 --repo a/b --api-url 'https://?x'
file_has "$T/err" "lower case" && fail "a lower-case scheme was told to be lower case"
refused 2 "http:// only to this machine" github --name g1 --repo a/b --api-url http://127.0.0.1.evil.example
# A base URL takes no query or fragment: a token put there would be stored and audited in
# clear, and sync's paths would land in the query (found in review).
refused 2 "--api-url: expected a base URL without a query or fragment" github --name g1 --repo a/b --api-url 'https://api.github.com/?access_token=ghp_secret2'
grep -q ghp_secret2 "$T/err" && fail "a credential in a URL query was echoed"
# Also when the URL is wrong in another way too (found in review: the port's error echoed it).
refused 2 "--api-url: expected a base URL without a query or fragment" github --name g1 --repo a/b --api-url 'https://api.github.com:0/?access_token=ghp_secret3'
grep -q ghp_secret3 "$T/err" && fail "a credential in a URL query was echoed with a bad port"
refused 2 "--url: expected a base URL without a query or fragment" jira --name j1 --url 'https://acme.atlassian.net/#x' --project PAY
# Each repository and service once; a JQL query without its own ORDER BY (sync adds one).
refused 2 "--repo 'Acme/Widgets': expected each repository once" github --name g1 --repo acme/widgets --repo Acme/Widgets
refused 2 "--service 'PIJ90N7': expected each service once" pagerduty --name p1 --service PIJ90N7 --service PIJ90N7
refused 2 "expected a JQL query without ORDER BY" jira --name j1 --url https://x.example --jql 'project = PAY order  by created DESC'
refused 2 "expected a JQL query without ORDER BY" jira --name j1 --url https://x.example --jql 'project = PAY ORDER BY created DESC'
ok source add jira --name jql-quoted --url https://x.example --jql 'project = PAY AND summary ~ "order by"'
before=$(written)
# Ports outside 1..65535, an unclosed IPv6 host, a space: each said as what it is (found in
# review: they passed, or were called a user or password).
refused 2 "optional :port from 1 to 65535" github --name g1 --repo a/b --api-url https://h.example:99999
refused 2 "optional :port from 1 to 65535" github --name g1 --repo a/b --api-url https://h.example:0
refused 2 "optional :port from 1 to 65535" github --name g1 --repo a/b --api-url 'https://[::1'
refused 2 "expected a URL of at most 2000 printable characters, without spaces" github --name g1 --repo a/b --api-url 'https://h.example/a b'
grep -q ghp_secret1 "$T/err" && fail "a credential in a URL was echoed"
# Lower- or mixed-case values are refused as variable names (most tokens look like that).
refused 2 "expected the name of an environment variable in upper case" github --name g1 --repo a/b --token-env y_NbAkKc66ryYTWUXYEu
grep -q NbAkKc66 "$T/err" && fail "a token-like value was echoed"
refused 2 "not a token" github --name g1 --repo a/b --token-env GHP_ABC
# Names that would walk the API's paths once sync builds them.
refused 2 "--repo '../..': expected OWNER/NAME" github --name g1 --repo ../..
refused 2 "--org '..': expected" github --name g1 --org ..
refused 2 "--job '../../script': expected a job name" jenkins --name j2 --url https://ci.example --job ../../script
refused 2 "--job 'a?b': expected a job name" jenkins --name j2 --url https://ci.example --job 'a?b'
refused 2 "--project 'Pay': expected a Jira project key" jira --name j1 --url https://x.example --project Pay
# Only an admin configures sources; the refusal is audited.
ok org import "$FIXTURES/org-small.csv"
ok user add --person M001 --role manager
before=$(sql "SELECT COUNT(*) FROM sources")
run --as M001 source add deploy --name mine
expect_status 3
run --as M001 source list
expect_status 3
[ "$(sql "SELECT COUNT(*) FROM sources")" = "$before" ] || fail "a refused add wrote a source"
ok audit log --json --limit 2
expect_json '.[0].action' access.denied
ok source add github --name g-globs --org acme --include '[]]x' --exclude 'a\*'
