# --format with a bad value is a usage error (exit 2); a file whose format cannot be told is exit 2 too; nothing is written.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
cp "$FIXTURES/org-small.csv" people.txt
run org import people.txt --format xml
expect_status 2
expect_err "plumb: error: --format: 'xml' is not a format; expected csv or yaml"
expect_counts "$before"
run org import people.txt
expect_status 2
expect_err "cannot tell the format of people.txt"
expect_err "hint: name it .csv, .yaml or .yml, or pass --format csv|yaml"
expect_counts "$before"
# --format csv makes the same file import.
ok org import people.txt --format csv
expect_out "12 unchanged"
