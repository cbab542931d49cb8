# A failed audited read whose entry cannot be written fails with that error, its own in the
# detail, as a read that succeeded does; a refusal not recorded says so. The entry's error was
# dropped: the attempt left no trace and nobody knew.
init_db
ok org import "$FIXTURES/org-small.csv"
ok user add --person E101 --role employee
if [ "$(engine)" = postgres ]; then
	sql "CREATE FUNCTION entry_test_refuse() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN
	  IF NEW.action IN (''person.show'', ''access.denied'') THEN
	    RAISE EXCEPTION ''refused by a test trigger''; END IF;
	  RETURN NEW; END';
	  CREATE TRIGGER entry_test_refuse BEFORE INSERT ON audit_log FOR EACH ROW
	    EXECUTE FUNCTION entry_test_refuse();
	  ALTER TABLE audit_log ENABLE ALWAYS TRIGGER entry_test_refuse"
else
	sql "CREATE TRIGGER entry_test_refuse BEFORE INSERT ON audit_log
	  WHEN NEW.action IN ('person.show', 'access.denied')
	  BEGIN SELECT json('{refused by a test trigger'); END" # a plain error, as RAISE is a conflict
fi
n0=$(sql "SELECT COUNT(*) FROM audit_log")

run person show E999
expect_status 1
expect_err "plumb: error: database error: "
expect_err "the attempt's own error: no person with employee id E999"
# A read that found its record shows nothing without its entry (as before).
run person show E101
expect_status 1
expect_err "plumb: error: database error: "
[ -s "$T/out" ] && fail "a read whose entry was not written showed its record"
# A refusal stands (the operation did nothing), but says it was not recorded.
run --as E101 person show M002
expect_status 3
expect_err "plumb: error: permission denied"
expect_err "the refusal could not be recorded in the audit log"
[ "$(sql "SELECT COUNT(*) FROM audit_log")" = "$n0" ] || fail "an entry was written past the trigger"

if [ "$(engine)" = postgres ]; then
	sql "DROP TRIGGER entry_test_refuse ON audit_log; DROP FUNCTION entry_test_refuse()"
else
	sql "DROP TRIGGER entry_test_refuse"
fi
run person show E999
expect_status 4
expect_err "no person with employee id E999"
[ "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'person.show'")" = 1 ] ||
	fail "the failed read's entry was not written once the trigger was gone"
ok audit verify
