# Records of when something was done on this machine keep the system clock, as audit entries
# do: PLUMB_NOW pins the business day (who is here, what is due, the windows), never the time
# a change was recorded. Under a clock pinned decades ahead, each of these times is when the
# command ran: a user's and a service's making, a framework's and a policy's import, a
# source's pause and share, a demographic attribute, a subject access export, and a
# calibration session's making, opening, marks, changes, override and closing.
init_db
export PLUMB_NOW=2099-01-01
from=$(date +%s%3N)
ok org import "$FIXTURES/org-small.csv"
ok user add --person M002 --role manager
ok user add --person E101 --role people-partner:search
ok user add --person E201 --role employee
ok service set search-api --team search
ok framework import "$FIXTURES/review/framework.yaml"
ok policy import "$FIXTURES/aup/policy.yaml"
ok source add github --name gh --repo acme/widgets
ok source pause gh --reason "token revoked upstream"
ok source share gh --with search
file d.csv <<'CSV'
employee_id,attribute,value
E201,age_band,30-39
CSV
ok --as E101 demographics import "$T/d.csv"
ok --as E201 me export --json
exported=$(json .exported_at)
# A calibration session, from its making to its closing (calibrate-session.sh has the rules).
ok cycle create a99 --kind annual --scope search
for p in E201 E202 E203 E204; do
	file "$p.yaml" <<'YAML'
ratings:
  technical_skill: {rating: 3, no_evidence_reason: observed in one-to-ones}
  delivery: {rating: 3, no_evidence_reason: observed in one-to-ones}
  collaboration: {rating: 3, no_evidence_reason: observed in one-to-ones}
YAML
	ok --as M002 evaluation submit --cycle a99 --person "$p" "$T/$p.yaml"
done
ok --as E101 calibrate session create --cycle a99 --population search --facilitator E101 \
	--participants M002 --guidance 3=0-0
ok --as M002 calibrate mark --session a99-search --person E201 --mark agree
for _ in 1 2 3; do ok cycle advance --cycle a99; done # to calibration
ok --as E101 calibrate session open --session a99-search
ok --as M002 calibrate change --session a99-search --person E203 --dimension delivery --rating 4 \
	--reason "led the search rewrite" --evidence link:https://docs.acme.example/rewrite
ok --as E101 calibrate session close --session a99-search --override-reason "a small team"
to=$(date +%s%3N)

for col in users.created_at services.created_at frameworks.imported_at policies.imported_at \
	sources.paused_at source_readers.granted_at person_demographics.updated_at \
	calibration_sessions.created_at calibration_sessions.opened_at \
	calibration_sessions.closed_at calibration_marks.marked_at \
	calibration_changes.changed_at calibration_overrides.created_at; do
	t=${col%.*} c=${col#*.} mine="$c IS NOT NULL"
	[ "$t" = users ] && mine="$mine AND name <> 'admin'" # made by init, before the case
	[ "$(sql "SELECT COUNT(*) FROM $t WHERE $mine")" -gt 0 ] || fail "$col: nothing recorded"
	bad=$(sql "SELECT $c FROM $t WHERE $mine AND ($c < $from OR $c > $to)")
	[ -z "$bad" ] || fail "$col is not when the command ran ($from..$to): $bad"
done
case $exported in 2099-*) fail "me export's exported_at is PLUMB_NOW's: $exported" ;; esac
ms=$(($(date -u -d "$exported" +%s) * 1000))
[ "$ms" -ge $((from - 1000)) ] && [ "$ms" -le "$to" ] || fail "exported_at $exported is not when it ran"
