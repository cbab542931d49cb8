# A change dated after the deployment that shipped it has no lead time: it is left out of lead
# time and merge to deploy and counted in the detail, as flow's negative durations are (found
# hunting: a commit whose author date was six days ahead made a median of -48 h, banded elite).
# DORA's lead time for changes is the time a commit takes to reach production (dora.dev,
# "DORA's software delivery metrics"), which no change takes less than 0 for.  By hand,
# commits on acme/api, each the parent of the next:
#   a1 03-01 00:00, deployed by D1 03-01 12:00 (the baseline: no changes counted)
#   a2 03-09 00:00, dated ahead; a3 03-02 00:00; D2 deploys a3 03-03 12:00 and ships a2 and a3:
#   a2 would be 03-03 12:00 - 03-09 00:00 = -132 h (left out), a3 36 h: median 36 h over 1, high
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set api --team payments --effective 2026-01-01
ok service map api --repo acme/api
ok source add github --name gh --repo acme/api
ok source add deploy --name deploys
sha() { printf '%s%.0s' "$1" $(seq 20); } # a1 -> a1a1...a1, 40 characters
commit() { # SHA PARENT DATE
	printf '{"sha":"%s","commit":{"author":{"name":"Alice","email":"alice@example.com","date":"%s"},' "$(sha "$1")" "$3"
	printf '"committer":{"name":"Alice","email":"alice@example.com","date":"%s"},"message":"%s"},' "$3" "$1"
	printf '"author":{"login":"alice","id":1001,"type":"User"},"parents":[%s]}' \
		"$([ -n "$2" ] && printf '{"sha":"%s"}' "$(sha "$2")")"
}
printf '[%s,%s,%s]\n' "$(commit a1 '' 2026-03-01T00:00:00Z)" "$(commit a2 a1 2026-03-09T00:00:00Z)" \
	"$(commit a3 a2 2026-03-02T00:00:00Z)" >commits.json
file deploys.csv <<CSV
id,service,environment,sha,ref,started,finished,status
D1,api,production,$(sha a1),main,2026-03-01T11:50:00Z,2026-03-01T12:00:00Z,success
D2,api,production,$(sha a3),main,2026-03-03T11:50:00Z,2026-03-03T12:00:00Z,success
CSV
ok ingest --source gh commits.json
ok ingest --source deploys deploys.csv
ok dora --team payments --from 2026-03-01 --to 2026-03-08 --json
expect_json '.keys.lead_time.value | "\(.value) \(.n) \(.detail.min) \(.detail.left_out.ends_before_start)"' "36 1 36 1"
expect_json '.keys.lead_time.band' high
expect_json '.merge_to_deploy | "\(.n) \(.median_hours)"' "1 36"
ok metrics show lead_time --team payments --from 2026-03-01 --to 2026-03-08
expect_out "median: 36.0 h over 1 item"
expect_out "left out: 1 item (ends_before_start)"
