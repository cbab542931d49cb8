# Edge cases of the import: --full with nobody, primary emails as identities, a self-manager
# reported once, a bad team_kind reported once, errors counted in the detail.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
# --full with a file that lists nobody would end everyone: refused.
printf 'teams:\n  - name: payments\n    kind: project\n' >teams.yaml
run org import teams.yaml --full
expect_status 1
expect_err "lists nobody, and --full would end everyone"
expect_counts "$before"
# A teams-only file changes the kind of an existing team (it keeps its parent).
ok org import teams.yaml --json
expect_json .teams_updated 1
ok org tree --json
expect_json '[.[] | select(.name == "payments")][0].kind' project
expect_json '[.[] | select(.name == "payments")][0].parent' engineering
before=$(counts)
# A primary email that is someone else's extra email is a conflict.
file clash.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date
N1,Nina Novak,sofia@rossi.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01
CSV
run org import clash.csv
expect_status 1
expect_err "clash.csv:2: email: email 'sofia@rossi.example' already belongs to E103"
expect_counts "$before"
# One error per problem: a self-manager is not also a reporting cycle; a bad kind is one error.
file two.csv <<'CSV'
employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,team_kind
N1,Nina Novak,nina@acme.example,N1,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,
N2,Noah Novak,noah@acme.example,M001,payments,Software Engineer,L3,ic,backend,DE,2024-02-01,squad
CSV
run org import two.csv
expect_status 1
expect_err "two.csv:2: manager_id: N1 cannot manage themselves"
expect_err "detail: 1 more error:"
expect_err "two.csv:3: team_kind: 'squad' is not a team kind"
! grep -q "reporting cycle" "$T/err" || fail "self-management also reported as a cycle"
expect_counts "$before"
# Control characters in free text are refused (they end up in tables and terminals).
printf 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date\nN3,Bell\a Ringer,bell@acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-02-01\n' >ctl.csv
run org import ctl.csv
expect_status 1
expect_err "ctl.csv:2: name: longer than 200 bytes, not UTF-8, or holds control characters"
expect_counts "$before"
# The same service twice in one file is an error, not two ownership changes.
printf 'services:\n  - name: ledger\n    team: payments\n  - name: ledger\n    team: search\n' >dup.yaml
run org import dup.yaml
expect_status 1
expect_err "dup.yaml:4: name: service ledger appears twice (first on line 2)"
expect_counts "$before"
# A new account for a known person is audited on that person.
sed 's/^E202,\(.*\),jira-5f1a0202,,$/E202,\1,jira-5f1a0202,PD0202,emily@clarke.example/' \
	"$FIXTURES/org-small.csv" >more-ids.csv
grep -q '^E202,.*,PD0202,emily@clarke.example$' more-ids.csv || fail "fixture edit did not apply"
ok org import more-ids.csv --json
expect_json .identities_added 2
ok audit log --object person:E202 --json
expect_json '[.[] | select(.action == "identity.add") | .detail.system + ":" + .detail.login] | join(",")' \
	"pagerduty:PD0202,email:emily@clarke.example"
# A second YAML document would be ignored silently: it is an error.
printf 'people: []\n---\nteams: []\n' >two-docs.yaml
run org import two-docs.yaml
expect_status 1
expect_err "two-docs.yaml:2: a second YAML document"
# A YAML key or section given twice would keep only the last: both are errors.
printf 'people: []\npeople: []\n' >dup-section.yaml
run org import dup-section.yaml
expect_status 1
expect_err "dup-section.yaml:2: section 'people' given twice"
printf 'teams:\n  - name: x\n    kind: project\n    kind: permanent\n' >dup-key.yaml
run org import dup-key.yaml
expect_status 1
expect_err "dup-key.yaml:4: field 'kind' given twice"
# A trailing empty document is fine.
printf 'teams:\n  - name: payments\n    kind: project\n---\n' >trailing.yaml
ok org import trailing.yaml
# Text that is not UTF-8 is refused, or --json output would not be JSON.
printf 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date\nN4,Ann\377\376,ann@acme.example,M001,payments,Engineer,L3,ic,backend,DE,2024-02-01\n' >latin.csv
run org import latin.csv
expect_status 1
expect_err "latin.csv:2: name: longer than 200 bytes, not UTF-8, or holds control characters"
run service set ledger --team payments --description "$(printf 'two\nlines')"
expect_status 1
expect_err "is not one line of UTF-8 text"
# Deep flow nesting would make the YAML parser slow: refused up front.
{ printf 'people: '; printf '[%.0s' $(seq 100); printf ']%.0s' $(seq 100); echo; } >deep.yaml
run org import deep.yaml
expect_status 1
expect_err "deep.yaml:1: nested deeper than 64 levels"
# A matrix: an engineer of engineering reports to payments' director, who reports to the VP in
# engineering. Without parent_team each team's managers are in the other, but the parent is
# the team whose highest member is higher: engineering is the root (found in review: both
# were given the other as parent, and the import refused the loop it had made itself).
reset_db
ok init
printf '%s\n' 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date' \
	'V1,Vera VP,v1@x.example,,engineering,VP,M5,manager,manager,US,2020-01-01' \
	'D1,Dan Director,d1@x.example,V1,payments,EM,M2,manager,manager,US,2020-01-01' \
	'S1,Sam Staff,s1@x.example,D1,engineering,Staff Eng,L6,ic,backend,US,2020-01-01' \
	'P1,Pia Payments,p1@x.example,D1,payments,Engineer,L3,ic,backend,US,2020-01-01' >matrix.csv
ok org import matrix.csv
ok org tree --json
expect_json '[.[] | "\(.name)<\(.parent // "-")"] | sort | join(" ")' "engineering<- payments<engineering"
# A partial file whose managers are only in the database: their votes count, so a new team
# goes under the team of the manager it reports to (found in review of the rule above).
printf '%s\n' 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date' \
	'D2,Dora Director,d2@x.example,V1,risk,EM,M2,manager,manager,US,2020-01-01' \
	'S2,Sid Staff,s2@x.example,V1,engineering,Staff Eng,L6,ic,backend,US,2020-01-01' >partial.csv
ok org import partial.csv
ok org tree --json
expect_json '[.[] | "\(.name)<\(.parent // "-")"] | sort | join(" ")' "engineering<- payments<engineering risk<engineering"
# A chain that alternates between two teams (x's top above y's): y goes under x, however
# long the chain (each chain's depths are found once).
reset_db
ok init
{
	echo 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date'
	for i in $(seq 1 300); do
		m=$([ "$i" -gt 1 ] && echo "C$((i - 1))")
		echo "C$i,Chain $i,c$i@x.example,$m,$([ $((i % 2)) = 1 ] && echo x || echo y),Engineer,L3,ic,backend,US,2020-01-01"
	done
} >chain.csv
ok org import chain.csv
ok org tree --json
expect_json '[.[] | "\(.name)<\(.parent // "-")"] | sort | join(" ")' "x<- y<x"
# Extra emails with blanks on either side of ';' (and a blank between two): two addresses, not
# "'w@x.example ' is not an email address".
printf '%s\n' 'employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,emails' \
	'W1,Wen Wide,w1@x.example,,x,Engineer,L3,ic,backend,US,2020-01-01,w@x.example ; ww@x.example; ;' >spaced.csv
ok org import spaced.csv
[ "$(sql "SELECT login FROM identities WHERE system = 'email' AND login LIKE 'w%' ORDER BY login" | tr '\n' ' ')" = "w@x.example ww@x.example " ] ||
	fail "extra emails with blanks around ';': $(sql "SELECT login FROM identities WHERE system = 'email'")"
