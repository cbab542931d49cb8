# Generate an HRIS-style org CSV: N people (default 50000) with four
# identities each (GitHub, Jira, PagerDuty, one extra email), ~10 per team,
# a tree of managers.  Deterministic: awk's srand(seed).
# usage: awk -v n=50000 -v seed=1 -f bench/gen-org.awk > org.csv
BEGIN {
	if (!n) n = 50000
	if (!seed) seed = 1
	srand(seed)
	split("US DE GB IN BR PL CA ES", countries, " ")
	split("backend frontend sre data mobile", profiles, " ")
	print "employee_id,name,email,manager_id,team,title,level,track,role_profile,country,start_date,github_login,jira_account_id,pagerduty_user_id,emails"
	team_size = 10
	for (i = 1; i <= n; i++) {
		id = sprintf("E%06d", i)
		# Person i's manager: the head of the team one level up in a 10-ary tree
		# of team heads; team members report to their team's head.
		team = int((i - 1) / team_size)
		head = team * team_size + 1
		if (i == head)
			mgr = team == 0 ? "" : sprintf("E%06d", int((team - 1) / team_size) * team_size + 1)
		else
			mgr = sprintf("E%06d", head)
		track = i == head ? "manager" : "ic"
		level = i == head ? "M" (1 + int(rand() * 3)) : "L" (1 + int(rand() * 6))
		y = 2010 + int(rand() * 16); m = 1 + int(rand() * 12); d = 1 + int(rand() * 28)
		printf "%s,Person %d,p%d@example.com,%s,team-%05d,Engineer,%s,%s,%s,%s,%04d-%02d-%02d,gh-%d,jira-%08x,P%06d,p%d.alt@example.com\n", \
			id, i, i, mgr, team, level, track, profiles[1 + int(rand() * 5)], \
			countries[1 + int(rand() * 8)], y, m, d, i, i * 2654435761 % 4294967296, i, i
	}
}
