# Work statuses are matched ignoring case beyond ASCII too: a French Jira's "Terminé(e)" is the
# done status "TERMINÉ(E)", as Jira's boards print it (found hunting: only ASCII letters were
# folded, so the issue never ended and had no cycle time, silently).
#   PLAT-101 went En cours 2020-06-13T03:00Z and Terminé(e) 2020-06-15T01:59:59.123Z:
#   169199123 ms (46.9998 h), as metrics-flow.sh's PLAT-101.
init_db
ok source add jira --name jira --url https://acme.atlassian.net --project PLAT
jq '.total = 1 | .issues |= [.[] | select(.key == "PLAT-101") | .fields.status.name = "Terminé(e)" |
	.changelog.histories |= map(.items |= map(
		if .field == "status" then
			(.fromString, .toString) |= ({"To Do": "À faire", "In Progress": "En cours", "Done": "Terminé(e)"}[.] // .)
		else . end))]' \
	"$FIXTURES/jira/search-changelog.json" >french.json
ok ingest --source jira french.json
ok events list --kind work_item --json
expect_json '.[0] | [.attrs.transitions[].to] | join(",")' "En cours,Terminé(e)"
ok metrics set work_started_statuses "EN COURS"
ok metrics set work_done_statuses "TERMINÉ(E),FERMÉ"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value // 0 | . * 3600000 | round)"' "1 169199123"
# Cyrillic capitals fold too: the same issue from a Russian Jira (PLAT-102), В работе then Готово.
jq '.issues |= [.[] | .id = "10102" | .key = "PLAT-102" | .self = "https://example.atlassian.net/rest/api/3/issue/10102" |
	.fields.status.name = "Готово" | .changelog.histories |= map(.items |= map(
		if .field == "status" then
			(.fromString, .toString) |= ({"À faire": "К выполнению", "En cours": "В работе", "Terminé(e)": "Готово"}[.] // .)
		else . end))]' french.json >russian.json
ok ingest --source jira russian.json
ok metrics set work_started_statuses "EN COURS,В РАБОТЕ"
ok metrics set work_done_statuses "TERMINÉ(E),ГОТОВО"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value | "\(.n) \(.value // 0 | . * 3600000 | round)"' "2 169199123"
# A different letter is no match: E for É.
ok metrics set work_done_statuses "TERMINEE,ГОТОВО"
ok metrics show issue_cycle_time --from 2020-06-01 --to 2020-07-01 --json
expect_json '.value.n' 1
