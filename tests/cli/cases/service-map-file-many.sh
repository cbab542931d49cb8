# service map --file checks a file of many services for a service or a mapping given twice in
# time linear in their number: each was compared with every one before it, so 40,000 services
# took 85 s under ASan (and the 16 MB a file may hold, hours).  Parsed before the database
# is read: the services need not exist.
init_db
awk 'BEGIN { print "services:"
	for (i = 0; i < 40000; i++) printf "  s%d: {repos: [acme/r%d]}\n", i, i
	print "  late: {repos: [acme/r0]}" }' >"$T/many.yaml"
start=$SECONDS
run service map --file "$T/many.yaml"
expect_status 1
expect_err "many.yaml:40002: github acme/r0 is mapped on line 2 already"
[ $((SECONDS - start)) -lt 30 ] || fail "40,000 services took $((SECONDS - start)) s"
