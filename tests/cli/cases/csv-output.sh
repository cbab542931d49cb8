# --csv on org tree, person list, service list, user list and audit log gives a header row and RFC 4180 records (CRLF, quoting, doubled quotes).
init_db
ok org import "$FIXTURES/org-small.csv"
ok service set ledger --team payments --description 'the "source of truth", since 2019'
ok service set search-api --team search --description 'plain'
ok user add --person E102 --role manager --role employee

# csv_check NCOLS: every record of the last stdout has NCOLS fields, quotes are well formed, lines end in CRLF.
csv_check() {
	[ "$(tail -c 2 "$T/out" | od -An -c | tr -d ' ')" = '\r\n' ] || fail "CSV does not end in CRLF"
	[ "$(grep -c $'\r$' "$T/out")" = "$(wc -l <"$T/out")" ] || fail "a CSV line does not end in CRLF"
	awk -v n="$1" 'BEGIN { RS = "\r\n" }
	{
		f = 1; q = 0; start = 1; bad = 0
		for (i = 1; i <= length($0); i++) {
			c = substr($0, i, 1)
			if (q) {
				if (c == "\"") { if (substr($0, i + 1, 1) == "\"") i++; else { q = 0; nx = substr($0, i + 1, 1); if (nx != "," && nx != "") bad = 1 } }
			} else if (c == "\"") { if (!start) bad = 1; q = 1 }
			else if (c == ",") { f++; start = 1; continue }
			start = 0
		}
		if (q || bad || f != n) { printf "record %d: %d fields (want %d)%s: %s\n", NR, f, n, (q || bad) ? ", bad quoting" : "", $0; exit 1 }
	}' "$T/out" >"$T/csvcheck" || fail "bad CSV: $(cat "$T/csvcheck")"
}
header() { [ "$(head -1 "$T/out")" = "$1"$'\r' ] || fail "CSV header is '$(head -1 "$T/out" | tr -d '\r')', expected '$1'"; }

ok org tree --csv
header "team,kind,parent,members,total,services,lead"
csv_check 7
expect_out_lines 4
expect_out $'payments,permanent,engineering,5,5,1,M001\r'
expect_out $'engineering,permanent,,1,11,0,H001\r'

ok person list --csv
header "employee_id,name,team,level,manager_id,role_profile,country,active"
csv_check 8
expect_out_lines 13
expect_out $'E102,"Nguyen, Minh",payments,L3,M001,backend,US,yes\r'

ok service list --csv
header "service,team,owned_since,description"
csv_check 4
expect_out_lines 3
expect_out ',"the ""source of truth"", since 2019"'
expect_out $'search-api,search,'

ok user list --csv
header "user,name,roles,disabled"
csv_check 4
expect_out $'admin,,admin,no\r'
expect_out $'E102,"Nguyen, Minh","manager, employee",no\r'

ok audit log --csv
header "seq,at,actor,action,object,detail"
csv_check 6
n=$(sql "SELECT COUNT(*) FROM audit_log")
expect_out_lines $((n + 1))
expect_out $'1,'
expect_out ',admin,service.create,service:ledger,"{""team"":""payments"",""effective"":'
expect_out ',admin,person.create,person:E102,"{""changed"":[],""team"":""payments"",""manager"":""M001"",""level"":""L3""}"'

# A cell a spreadsheet would run as a formula starts with ' (OWASP's CSV injection advice);
# numbers, and text that cannot be a formula, are as they were.  --json keeps the value.
ok service set formula --team search --description '=HYPERLINK("http://evil.example","open")'
ok service set at-sign --team search --description '@SUM(A1:A9)'
ok service set plus --team search --description '+1 555 0100'
ok service set minus --team search --description '-2+3'
ok service set negative --team search --description '-42.5'
ok service set dash --team search --description '-'
ok service list --csv
csv_check 4
expect_out $'formula,search,'
expect_out $',"\'=HYPERLINK(""http://evil.example"",""open"")"\r'
expect_out $',\'@SUM(A1:A9)\r'
expect_out $',\'+1 555 0100\r'
expect_out $',\'-2+3\r'
expect_out $',-42.5\r'
expect_out $',-\r'
ok service list --json
[ "$(jq -r '.[] | select(.name == "formula") | .description' "$T/out")" = '=HYPERLINK("http://evil.example","open")' ] ||
	fail "--json changed the description: $(cat "$T/out")"

# Without --csv the same commands print aligned text, not CSV.
ok person list
grep -q $'\r' "$T/out" && fail "text output has CR"
expect_out "Nguyen, Minh"
true
