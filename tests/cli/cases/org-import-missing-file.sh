# Importing a file that does not exist exits 4 naming it; nothing is written.
init_db
before=$(counts)
run org import "$T/nowhere.csv"
expect_status 4
expect_err "plumb: error: cannot open $T/nowhere.csv"
expect_counts "$before"
