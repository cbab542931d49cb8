# A deploy event's id names one deployment across the files of a run and against the stored
# deployment, as within one file (ingest-bad-input): given to another service or environment
# it is refused naming both files, and nothing is written. Found in review: two files' rows
# were folded into one event with the later service and the earlier start and success, and
# the first deployment was gone. The same deployment read again, in progress then finished,
# is one event, updated.
init_db
ok source add deploy --name dep
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T10:00:00Z,success\n' >a.csv
printf 'id,service,environment,started,status\nd1,web,prod,2024-05-01T11:00:00Z,success\n' >b.csv
printf 'id,service,environment,started,status\nd1,api,staging,2024-05-01T10:00:00Z,success\n' >c.csv
before=$(ingest_written)
ingest_refused 1 "b.csv: id: 'd1' names a deployment of web to prod, but a.csv names it one of api to prod; one id names one deployment" \
	--source dep a.csv b.csv
expect_err "hint: give this one its own id, or none; nothing was written"
ingest_refused 1 "c.csv: id: 'd1' names a deployment of api to staging, but a.csv names it one of api to prod" \
	--source dep a.csv c.csv
# Three files, the first two agreeing: the third is named against the first (each id's rows
# are checked against its first since the check's quadratic pairing was replaced).
printf 'id,service,environment,started,status\nd1,api,prod,2024-05-01T10:00:00Z,in_progress\n' >a2.csv
ingest_refused 1 "b.csv: id: 'd1' names a deployment of web to prod, but a.csv names it one of api to prod; one id names one deployment" \
	--source dep a.csv a2.csv b.csv
ok ingest --source dep a.csv
before=$(ingest_written)
ingest_refused 1 "b.csv: id: 'd1' names a deployment of web to prod, but the stored one (read from a.csv) is one of api to prod; one id names one deployment" \
	--source dep b.csv
ok events list --kind deployment --source dep --json
expect_json '[.[] | "\(.external_id) \(.service) \(.environment) \(.occurred_at) \(.status)"] | join(",")' \
	"d1 api prod 2024-05-01T10:00:00.000Z success"
# One deployment read again across files and runs: in progress, then finished.
printf 'id,service,environment,started,status\nd2,api,prod,2024-05-02T09:00:00Z,in_progress\n' >d-start.csv
printf 'id,service,environment,started,finished,status\nd2,api,prod,2024-05-02T09:00:00Z,2024-05-02T09:07:00Z,success\n' >d-end.csv
printf 'id,service,environment,started,status\nd3,api,prod,2024-05-03T09:00:00Z,in_progress\n' >e-start.csv
printf 'id,service,environment,started,finished,status\nd3,api,prod,2024-05-03T09:00:00Z,2024-05-03T09:04:00Z,success\n' >e-end.csv
ok ingest --source dep d-start.csv d-end.csv
expect_out "1 merged within the run"
ok ingest --source dep e-start.csv
ok ingest --source dep --json e-end.csv
expect_json '"\(.inserted) \(.updated)"' "0 1"
ok events list --kind deployment --source dep --json
expect_json '[.[] | select(.external_id != "d1") | "\(.external_id) \(.status) \(.ended_at)"] | join(",")' \
	"d2 success 2024-05-02T09:07:00.000Z,d3 success 2024-05-03T09:04:00.000Z"
ok audit verify
# Without an id a deployment is named by its service, environment and start: two rows of a
# file of other commits so named are refused naming both places, not folded into one where
# the later replaced the earlier (found in the parsers' hunt: a success replaced by another
# commit's failure started in the same second). Rows of one commit (abbreviated or whole, in
# any case), or without one, are one deployment.
printf 'service,environment,started,status,sha\nweb,prod,2024-05-04T10:00:00Z,in_progress,\nweb,prod,2024-05-04T12:00:00+02:00,success,E69DE29\nweb,prod,2024-05-04T10:00:00Z,success,e69de29bb2d1\nweb,prod,2024-05-04T10:00:00Z,failure,aaaaaaa\n' >unnamed.csv
before=$(ingest_written)
ingest_refused 1 "unnamed.csv:5: sha: 'aaaaaaa': a deployment of web to prod started at 2024-05-04T10:00:00Z, as one of commit e69de29bb2d1 at line 2; without an id the two are one deployment (give each its own id)" \
	--source dep unnamed.csv
printf '[{"service":"web","environment":"prod","started":"2024-05-04T10:00:00Z","status":"success","sha":"e69de29"},{"service":"web","environment":"prod","started":"2024-05-04T10:00:00.000Z","status":"failure","sha":"bbbbbbb"}]' >unnamed.json
ingest_refused 1 "unnamed.json: [1].sha: 'bbbbbbb': a deployment of web to prod started at 2024-05-04T10:00:00.000Z, as one of commit e69de29 at [0]" \
	--source dep unnamed.json
head -4 unnamed.csv >unnamed-one.csv
ok ingest --source dep unnamed-one.csv
expect_out "ingested 3 records from 1 document into dep"
expect_out "2 merged within the run"
ok events list --kind deployment --source dep --json
expect_json '[.[] | select(.service == "web") | "\(.external_id) \(.status) \(.sha)"] | join(",")' \
	"web/prod/2024-05-04T10:00:00.000Z success e69de29bb2d1"
ok audit verify
