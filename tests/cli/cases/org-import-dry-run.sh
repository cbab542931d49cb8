# --dry-run validates and counts what an import would do but writes nothing, not even an audit entry.
init_db
before=$(counts)
ok org import "$FIXTURES/org-small.csv" --dry-run
expect_out "dry run (nothing written) $FIXTURES/org-small.csv: 12 rows: 12 people created"
expect_out "37 identities added"
expect_counts "$before"
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
grep -v '^E204,' "$FIXTURES/org-small.csv" | sed 's/^E201,\(.*\),M002,search,/E201,\1,M002,payments,/' >v2.csv
ok org import v2.csv --dry-run --full --effective 2026-07-01 --json
expect_json .dry_run true
expect_json .people_updated 1
expect_json .people_ended 1
expect_json .history_rows 1
expect_json .effective 2026-07-01T00:00:00.000Z
expect_counts "$before"
ok person show E204 --json
expect_json .active true
ok person show E201 --json
expect_json .team search
before=$(counts) # the two shows above are audited reads
# A dry run still reports errors.
file bad.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,nina@acme.example,M404,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
CSV
run org import bad.csv --dry-run
expect_status 1
expect_err "bad.csv:2: manager_id: manager M404 does not exist"
expect_counts "$before"
ok audit verify
