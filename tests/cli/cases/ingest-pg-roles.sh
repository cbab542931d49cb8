# On PostgreSQL an ingest stages and publishes with the foreign key triggers off only where
# plumb's role may set session_replication_role (the test cluster's role is a superuser, so
# every other case runs that way): a plain role keeps the checks and ingests the same, as
# does one given GRANT SET ON PARAMETER (PostgreSQL 15 and later). Each owns its database,
# as docs/scaling.md asks, and its audit log still verifies.
postgres_only "roles and their privileges"
hostport=${PLUMB_PG_URL#*@}
version=$(pg_admin "SHOW server_version_num")
roles="plain"
[ "$version" -ge 150000 ] && roles="plain granted"
for kind in $roles; do
	role=${pg_db}_$kind
	pg_admin "CREATE ROLE $role LOGIN" || fail "could not create role $role"
	# The databases go first (pg_drop_all), then the role, in the EXIT trap's order.
	at_exit "pg_drop_all; pg_admin 'DROP OWNED BY $role; DROP ROLE $role' >/dev/null ||
		echo 'warning: could not drop role $role' >&2"
	[ "$kind" = granted ] && { pg_admin "GRANT SET ON PARAMETER session_replication_role TO $role" || fail "grant"; }
	pg_admin "CREATE DATABASE ${pg_db}_$kind OWNER $role" || fail "could not create the database of $role"
	export PLUMB_DB="postgres://$role@$hostport/${pg_db}_$kind"
	ok init
	ok org import "$FIXTURES/org-small.csv"
	ok source add github --name gh --repo acme/widgets
	ok ingest --source gh "$FIXTURES/github"
	expect_out "ingested 24 records from 11 documents into gh (run 1): 15 new, 0 updated, 0 unchanged"
	[ "$(sql "SELECT COUNT(*) FROM events")" = 15 ] || fail "$kind: expected 15 events"
	[ "$(sql "SELECT current_setting('session_replication_role')")" = origin ] || fail "$kind: not origin"
	# Again: every record unchanged, through the same publish.
	ok ingest --source gh "$FIXTURES/github"
	expect_out "ingested 24 records from 11 documents into gh (run 2): 0 new, 0 updated, 15 unchanged"
	ok audit verify
done
