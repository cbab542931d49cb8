# People who have left: their users cannot act, they manage nobody, and --full cannot end a
# manager whose reports stay.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E105 --role employee
run --as E105 person show E105
expect_status 3
expect_err "user 'E105' is disabled"
expect_err "left the organization"
before=$(counts)
# A manager who has left cannot be given reports.
file to-leaver.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,E105,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
CSV
run org import to-leaver.csv
expect_status 1
expect_err "to-leaver.csv:2: manager_id: manager E105 has left the organization"
expect_counts "$before"
# --full without M001's own row, while their reports still name them: refused.
grep -v '^M001,' "$FIXTURES/org-small.csv" >no-m001.csv
run org import no-m001.csv --full
expect_status 1
expect_err "manager M001 is not in the file, so --full would end them"
expect_counts "$before"
# --full cannot end someone before their records start.
grep -v '^E204,' "$FIXTURES/org-small.csv" >no-e204.csv
run org import no-e204.csv --full --effective 2010-01-01
expect_status 1
expect_err "cannot end E204 at 2010-01-01: their records run from 2020-10-01"
expect_counts "$before"
# The refused attempt of the disabled user is audited too.
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'access.denied' AND object_type = 'user' AND object_id = 'E105' AND os_user = '$(id -un)'")" = 1 ] ||
	fail "the disabled user's attempt left no access.denied entry"
# Someone who comes back gets new history rows that start after the old ones ended, even when
# --effective is earlier, so the rows never overlap.
sed 's/^E105,\(.*\),2021-07-01,2025-03-31,/E105,\1,2021-07-01,,/' "$FIXTURES/org-small.csv" >back.csv
grep -q '^E105,.*,2021-07-01,,' back.csv || fail "fixture edit did not apply"
ok org import back.csv --effective 2025-01-01
ok person show E105 --json
expect_json .active true
expect_json '[.history[] | select(.kind == "team") | .valid_from + "/" + (.valid_to | tostring)] | join(" ")' \
	"2021-07-01T00:00:00.000Z/2025-03-31T00:00:00.000Z 2025-03-31T00:00:00.000Z/null"
# A people partner keeps seeing a leaver after the end date is corrected to a later one.
ok user add --person E101 --role people-partner:payments
# (From back.csv: E105 has come back, and an end date before their return is refused.)
sed 's/^E204,\(.*\),2020-10-01,,/E204,\1,2020-10-01,2025-06-30,/' back.csv >e1.csv
sed 's/^E204,\(.*\),2020-10-01,,/E204,\1,2020-10-01,2025-12-31,/' back.csv >e2.csv
run org import "$FIXTURES/org-small.csv"
expect_status 1
expect_err "end_date: 2025-03-31 is not after E105's records from 2025-03-31"
ok user add --person E201 --role people-partner:search
ok org import e1.csv
ok --as E201 person list --json
expect_json '[.[] | .employee_id] | any(. == "E204")' true
ok org import e2.csv
ok --as E201 person list --json
expect_json '[.[] | .employee_id] | any(. == "E204")' true
# Someone who comes back with a notice already given (an end date still to come) comes back all
# the same: the new rows start after the old ones ended, not at an earlier --effective (found by
# rehiring with a notice: the new rows overlapped the old ones, two teams at once).
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
sed 's/^E105,\(.*\),2021-07-01,2025-03-31,/E105,\1,2021-07-01,2099-06-30,/' "$FIXTURES/org-small.csv" >back-notice.csv
grep -q '^E105,.*,2021-07-01,2099-06-30,' back-notice.csv || fail "fixture edit did not apply"
ok org import back-notice.csv --effective 2025-01-01
ok person show E105 --json
expect_json .active true
expect_json '[.history[] | .kind + "@" + .valid_from[0:10] + "/" + (.valid_to // "null" | .[0:10])] | sort | join(" ")' \
	"level@2021-07-01/2025-03-31 level@2025-03-31/null manager@2021-07-01/2025-03-31 manager@2025-03-31/null team@2021-07-01/2025-03-31 team@2025-03-31/null"
ok org import back-notice.csv --effective 2025-01-01
expect_out "0 updated, 12 unchanged"
ok audit verify
# A leaver's end date corrected to another passed date: the rows closed at the old date close at
# the new one (found by correcting an end date: the history kept the old one, so the person had
# a team for two months after they left).
reset_db
init_db
ok org import "$FIXTURES/org-small.csv"
sed 's/^E105,\(.*\),2021-07-01,2025-03-31,/E105,\1,2021-07-01,2025-05-31,/' "$FIXTURES/org-small.csv" >later.csv
grep -q '^E105,.*,2021-07-01,2025-05-31,' later.csv || fail "fixture edit did not apply"
ok org import later.csv
ok person show E105 --json
expect_json .end_date 2025-05-31
expect_json '[.history[] | .valid_to[0:10]] | unique | join(",")' 2025-05-31
ok org import "$FIXTURES/org-small.csv"
ok person show E105 --json
expect_json '[.history[] | .valid_to[0:10]] | unique | join(",")' 2025-03-31
ok org import "$FIXTURES/org-small.csv"
expect_out "0 updated, 12 unchanged"
# Corrected to before their last change: refused, nothing imported.
sed 's/^E105,\(.*\),2021-07-01,2025-03-31,/E105,\1,2021-07-01,,/' "$FIXTURES/org-small.csv" >e105-back.csv
sed 's/^E105,\(.*\),M001,payments,\(.*\),2021-07-01,2025-03-31,/E105,\1,M001,search,\2,2021-07-01,2025-03-31,/' \
	"$FIXTURES/org-small.csv" >e105-moved-left.csv
sed 's/^E105,\(.*\),M001,payments,\(.*\),2021-07-01,2025-03-31,/E105,\1,M001,search,\2,2021-07-01,2025-01-31,/' \
	"$FIXTURES/org-small.csv" >e105-early.csv
grep -q '^E105,.*,search,.*,2025-01-31,' e105-early.csv || fail "fixture edit did not apply"
reset_db
init_db
ok org import e105-back.csv
ok org import e105-moved-left.csv --effective 2025-03-01
ok person show E105 --json
expect_json '[.history[] | select(.kind == "team") | .value + "/" + .valid_to[0:10]] | join(" ")' \
	"payments/2025-03-01 search/2025-03-31"
before=$(counts)
run org import e105-early.csv
expect_status 1
expect_err "end_date: 2025-01-31 is not after E105's last team record from 2025-03-01"
expect_counts "$before"
ok audit verify
