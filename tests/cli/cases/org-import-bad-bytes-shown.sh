# An error quoting a value with bytes that are not UTF-8 (a Latin-1 export) shows each as
# '?', as it shows a control character: raw, the terminal showed mojibake, and a lone 0x9B is
# CSI to a terminal that reads 8-bit controls.  The error still names the file, line and
# field, and nothing is imported.
init_db
ok org import "$FIXTURES/org-small.csv"
before=$(counts)
H='employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,end_date,github_login,jira_account_id,pagerduty_user_id,emails'
printf '%s\nN1,Nina Novak,nina@acme.example,M001,payments,Engineer,L3,i\x9b2Jc,backend,DE,2024-01-01,,,,,x\xfey@acme.example\n' "$H" >latin1.csv
run org import latin1.csv
expect_status 1
expect_err "plumb: error: latin1.csv:2: track: 'i?2Jc' is not a track; expected ic or manager"
expect_err "latin1.csv:2: emails: 'x?y@acme.example' is not an email address"
LC_ALL=C grep -q $'[\x80-\xff]' "$T/err" && fail "stderr holds bytes that are not ASCII: $(od -c "$T/err" | head -5)"
expect_counts "$before"
