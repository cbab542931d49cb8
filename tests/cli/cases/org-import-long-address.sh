# An address (or login) is at most 496 bytes, whatever its system, as the error says (found in
# review: "emails" took 505 bytes while the message said over 496).  Refused: file, line,
# field, nothing written.
init_db
hdr="employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,emails"
addr() { printf '%s@y.example' "$(head -c "$1" /dev/zero | tr '\0' b)"; }
[ "$(addr 486 | wc -c)" = 496 ] || fail "addr 486 is not 496 bytes"
{
	echo "$hdr"
	echo "N1,Nina Novak,nina@acme.example,,payments,Engineer,L3,ic,backend,DE,2024-02-01,$(addr 486)"
} >"$T/ok.csv"
ok org import "$T/ok.csv" --dry-run
{
	echo "$hdr"
	echo "N1,Nina Novak,nina@acme.example,,payments,Engineer,L3,ic,backend,DE,2024-02-01,$(addr 487)"
} >"$T/long.csv"
before=$(counts)
run org import "$T/long.csv"
expect_status 1
expect_err "long.csv:2: emails: too long (over 496 bytes)"
expect_counts "$before"
