# A deploy file's times may carry an hours-only offset (ISO 8601's +hh): PostgreSQL writes its
# timestamptz so ("2026-01-01 00:00:00+00"), and a CSV exported from it carries that form. It was
# refused as an invalid time. A half-written offset is still refused, naming file, line and field.
init_db
ok source add deploy --name dep
printf 'id,service,environment,started,finished,status\nd1,api,prod,2026-01-01 00:00:00+00,2026-01-01 00:04:00+00,success\nd2,api,prod,2026-01-01T00:00:00+05,2026-01-01T00:30:00+0530,success\nd3,api,prod,2026-01-01T12:00:00-03,2026-01-01T15:10:00Z,success\n' >pg.csv
ok ingest --source dep pg.csv
expect_out "ingested 3 records from 1 document into dep"
ok events list --kind deployment --source dep --json
expect_json '[.[] | "\(.external_id) \(.occurred_at) \(.ended_at)"] | sort | join(",")' \
	"d1 2026-01-01T00:00:00.000Z 2026-01-01T00:04:00.000Z,d2 2025-12-31T19:00:00.000Z 2025-12-31T19:00:00.000Z,d3 2026-01-01T15:00:00.000Z 2026-01-01T15:10:00.000Z"
printf 'id,service,environment,started,status\nd4,api,prod,2026-01-02 00:00:00+5,success\n' >half.csv
before=$(ingest_written)
ingest_refused 1 "half.csv:2: started: expected an RFC 3339 time (2024-05-01T09:30:00Z), got '2026-01-02 00:00:00+5'" --source dep half.csv
printf 'id,service,environment,started,status\nd5,api,prod,2026-01-02 00:00:00+05:,success\n' >colon.csv
ingest_refused 1 "colon.csv:2: started: expected an RFC 3339 time (2024-05-01T09:30:00Z), got '2026-01-02 00:00:00+05:'" --source dep colon.csv
ok audit verify
