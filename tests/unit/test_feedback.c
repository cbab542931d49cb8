/*
 * test_feedback: what other services read of feedback (feedback_groups_tx,
 * feedback_count_tx, feedback_exists_tx) on a real SQLite database with the
 * small org and framework fixtures: an annual cycle over payments gives M001
 * four upward reviewers.  Responses are written straight into the table, as
 * versions would be, so the rules are tested apart from submit: drafts do
 * not count, an amended response counts once with its newest text, a group
 * below the threshold is withheld whole, a rating rated by fewer than the
 * threshold has no mean.  Also cycle assignments' reviewer filter, held to
 * the full read for every actor, and a masked reader's rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/fileio.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "core/db.h"
#include "core/org.h"
#include "review/cycle.h"
#include "review/feedback.h"
#include "review/framework.h"
#include "store/store.h"
#include "testutil.h"

static char dir[64], db[128], key[128];
static struct ctx *admin;
static int64_t cycle_id;

static void set_feedback_closed(bool closed)
{
	char sql[160];
	snprintf(sql, sizeof sql,
	         "UPDATE cycle_phases SET closed_at = %s WHERE cycle_id = %lld AND name = "
	         "'feedback'",
	         closed ? "1" : "NULL", (long long)cycle_id);
	struct error err = {0};
	if (store_exec(admin->store, sql, &err) < 0)
		fail_msg("closing the feedback phase: %s", err.message);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/plumb-feedback-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/x.db", dir);
	snprintf(key, sizeof key, "%s/k.key", dir);
	struct ctx_options o = {.db_url = db, .create = true, .audit_key_path = key};
	struct error err = {0};
	struct db_init_result init;
	struct org_import_options io = {0};
	struct org_import_summary is;
	char *text = NULL;
	size_t len = 0;
	struct framework_import_result fr;
	const char *teams[] = {"payments"};
	struct cycle_create_options co = {
	        .name = "y26", .kind = FW_KIND_ANNUAL, .teams = teams, .nteams = 1, .ratings = -1};
	struct cycle_create_result cr;
	if (ctx_open(&o, &admin, &err) < 0 || db_init(admin, &init, &err) < 0 ||
	    org_import_file(admin, "tests/fixtures/org-small.csv", ORG_FORMAT_CSV, &io, &is, &err) <
	            0 ||
	    file_read("tests/fixtures/review/framework.yaml", 1 << 20, &text, &len, &err) < 0 ||
	    framework_import(admin, "framework.yaml", text, len, &fr, &err) < 0 ||
	    cycle_create(admin, &co, &cr, &err) < 0)
		fail_msg("setup: %s", err.message);
	free(text);
	cycle_id = cr.id;
	/* Groups are read once the feedback phase has closed (as after plumb cycle advance). */
	set_feedback_closed(true);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ctx_close(admin);
	remove_tree(dir);
	return 0;
}

static int64_t person(const char *employee_id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT id FROM people WHERE employee_id = '%s'", employee_id);
	int64_t id = 0;
	bool found = false;
	struct error err = {0};
	if (store_query_int(admin->store, sql, &id, &found, &err) < 0 || !found)
		fail_msg("no person %s", employee_id);
	return id;
}

/* A version of reviewer's response about reviewee, as submit stores it. */
static void save(const char *reviewer, const char *relation, const char *reviewee, int version,
                 const char *status, const char *body)
{
	char sql[1024];
	snprintf(
	        sql, sizeof sql,
	        "INSERT INTO feedback_responses(assignment_id, version, status, body, created_at, "
	        "created_by) SELECT id, %d, '%s', '%s', 1, '%s' FROM review_assignments WHERE "
	        "cycle_id = %lld AND reviewer_id = %lld AND reviewee_id = %lld AND relation = '%s'",
	        version, status, body, reviewer, (long long)cycle_id, (long long)person(reviewer),
	        (long long)person(reviewee), relation);
	struct error err = {0};
	if (store_exec(admin->store, sql, &err) < 0)
		fail_msg("%s: %s", sql, err.message);
}

struct read {
	int64_t about;
	enum fw_relation rel;
	int threshold;
	struct feedback_group *groups;
	size_t n;
	int count;
	bool exists, reader_wrote;
};

static int read_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct read *r = arg;
	int rc = feedback_groups_tx(ctx, cycle_id, r->about, r->threshold, &r->groups, &r->n, err);
	if (rc == 0)
		rc = feedback_count_tx(ctx, cycle_id, r->about, r->rel, &r->count, err);
	if (rc == 0)
		rc = feedback_exists_tx(ctx, cycle_id, r->about, r->rel, &r->exists,
		                        &r->reader_wrote, err);
	return rc;
}

/* Inside an operation, as the packet and score code call them. */
static struct read read_as_service(const char *about, enum fw_relation rel, int threshold)
{
	struct read r = {.about = person(about), .rel = rel, .threshold = threshold};
	struct error err = {0};
	if (ctx_run(admin, OP_CYCLE_LIST, read_body, &r, &err) < 0)
		fail_msg("read: %s", err.message);
	return r;
}

static int cmp_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void upward_groups(void **state)
{
	(void)state;
	save("E101", "upward", "M001", 1, "submitted",
	     "{\"answers\":{\"strengths\":\"one\"},\"ratings\":{\"collaboration\":4}}");
	save("E102", "upward", "M001", 1, "draft", "{\"answers\":{\"strengths\":\"draft\"}}");
	save("E103", "upward", "M001", 1, "submitted",
	     "{\"answers\":{\"strengths\":\"three\"},\"ratings\":{\"collaboration\":2}}");

	/* Two submitted and a draft: withheld whole at the framework's threshold of 3,
	 * without saying how many (M001 knows their four reports). */
	struct read r = read_as_service("M001", FW_REL_UPWARD, 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.groups[0].relation, FW_REL_UPWARD);
	assert_int_equal(r.groups[0].responses, -1);
	assert_int_equal(r.groups[0].threshold, 3);
	assert_true(r.groups[0].withheld);
	assert_string_equal(r.groups[0].why, "fewer upward responses than the threshold of 3; how "
	                                     "many is not said, as it could tell which reports "
	                                     "wrote");
	assert_int_equal(r.groups[0].nanswers + r.groups[0].nratings + r.groups[0].ncomments, 0);
	assert_int_equal(r.count, 2);
	assert_false(r.exists);

	/* A caller's own threshold of 2 shows them: the mean of 4 and 2. */
	r = read_as_service("M001", FW_REL_UPWARD, 2);
	assert_false(r.groups[0].withheld);
	assert_int_equal(r.groups[0].nratings, 1);
	assert_string_equal(r.groups[0].ratings[0].competency, "collaboration");
	assert_int_equal(r.groups[0].ratings[0].count, 2);
	assert_true(r.groups[0].ratings[0].shown);
	assert_true(r.groups[0].ratings[0].mean == 3.0);

	/* E101 amends without a rating: still two responses, the newest text, and one
	 * rating left, too few for a mean. */
	save("E101", "upward", "M001", 2, "submitted",
	     "{\"answers\":{\"strengths\":\"one again\"}}");
	r = read_as_service("M001", FW_REL_UPWARD, 2);
	assert_int_equal(r.groups[0].responses, 2);
	assert_int_equal(r.groups[0].nanswers, 1);
	const struct feedback_group_answer *a = &r.groups[0].answers[0];
	assert_string_equal(a->question, "strengths");
	assert_int_equal(a->n, 2);
	qsort(a->answers, a->n, sizeof *a->answers, cmp_text);
	assert_string_equal(a->answers[0], "one again");
	assert_string_equal(a->answers[1], "three");
	assert_int_equal(r.groups[0].ratings[0].count, 1);
	assert_false(r.groups[0].ratings[0].shown);
	assert_int_equal(r.count, 2);

	/* E102 submits: three, shown at the framework's threshold, citable. */
	save("E102", "upward", "M001", 2, "submitted", "{\"answers\":{\"strengths\":\"two\"}}");
	r = read_as_service("M001", FW_REL_UPWARD, 0);
	assert_false(r.groups[0].withheld);
	assert_int_equal(r.groups[0].responses, 3);
	assert_int_equal(r.groups[0].answers[0].n, 3);
	assert_int_equal(r.count, 3);
	assert_true(r.exists);
	assert_false(r.reader_wrote); /* the admin wrote nothing */

	/* With the feedback phase open again the same three are withheld, without a
	 * count, and not citable: an evaluation cites a group only as it is shown. */
	set_feedback_closed(false);
	r = read_as_service("M001", FW_REL_UPWARD, 0);
	assert_true(r.groups[0].withheld);
	assert_int_equal(r.groups[0].responses, -1);
	assert_int_equal(r.count, 3);
	assert_false(r.exists);
	set_feedback_closed(true);
}

static void self_and_manager(void **state)
{
	(void)state;
	/* E104 has no peer, upward or cross-functional reviewers: no groups. */
	struct read r = read_as_service("E104", FW_REL_SELF, 0);
	assert_int_equal(r.n, 0);
	assert_false(r.exists);
	save("E104", "self", "E104", 1, "draft", "{\"comments\":\"later\"}");
	r = read_as_service("E104", FW_REL_SELF, 0);
	assert_false(r.exists);
	save("E104", "self", "E104", 2, "submitted", "{\"comments\":\"done\"}");
	r = read_as_service("E104", FW_REL_SELF, 0);
	assert_int_equal(r.count, 1);
	assert_true(r.exists);
	r = read_as_service("E104", FW_REL_MANAGER, 0);
	assert_false(r.exists);
}

/* One reviewer's rows of cycle_assignment_list as the full read has them. */
static void assert_reviewer_rows(const struct cycle_status *full, const struct cycle_status *one,
                                 const char *reviewer, const char *what)
{
	size_t n = 0;
	for (size_t i = 0; i < full->nassignments; i++) {
		const struct cycle_assignment *x = &full->assignments[i];
		if (strcmp(x->reviewer, reviewer) != 0)
			continue;
		if (n >= one->nassignments)
			fail_msg("%s: --reviewer %s misses assignment %lld", what, reviewer,
			         (long long)x->id);
		const struct cycle_assignment *y = &one->assignments[n++];
		if (x->id != y->id || strcmp(x->reviewee, y->reviewee) != 0 ||
		    strcmp(x->reviewee_name, y->reviewee_name) != 0 ||
		    strcmp(x->reviewer_name, y->reviewer_name) != 0 ||
		    strcmp(x->reviewer_email, y->reviewer_email) != 0 ||
		    strcmp(x->status, y->status) != 0 || strcmp(x->team, y->team) != 0 ||
		    x->done != y->done || x->draft != y->draft || x->done_at != y->done_at ||
		    x->due_at != y->due_at || x->reminders != y->reminders)
			fail_msg("%s: --reviewer %s: assignment %lld differs", what, reviewer,
			         (long long)x->id);
	}
	if (n != one->nassignments)
		fail_msg("%s: --reviewer %s: %zu assignments, the full read has %zu", what,
		         reviewer, one->nassignments, n);
	n = 0;
	for (size_t i = 0; i < full->nloads; i++) {
		const struct cycle_load *l = &full->loads[i];
		if (strcmp(l->reviewer, reviewer) != 0)
			continue;
		if (n >= one->nloads || one->loads[n].load != l->load ||
		    one->loads[n].cap != l->cap || strcmp(one->loads[n].name, l->name) != 0)
			fail_msg("%s: --reviewer %s: load differs", what, reviewer);
		n++;
	}
	if (n != one->nloads)
		fail_msg("%s: --reviewer %s: %zu loads, the full read has %zu", what, reviewer,
		         one->nloads, n);
}

/* cycle assignments --reviewer reads one reviewer's rows through the
 * statement (a masked actor's by pseudonym, after masking): for every
 * actor and reviewer they must be the full read's rows of that reviewer,
 * with the same load. */
static void reviewer_filter_matches_the_full_read(void **state)
{
	(void)state;
	save("E103", "self", "E103", 1, "draft", "{\"comments\":\"later\"}");
	int64_t payments = 0;
	bool found = false;
	struct error err = {0};
	if (store_query_int(admin->store, "SELECT id FROM teams WHERE name = 'payments'", &payments,
	                    &found, &err) < 0 ||
	    !found)
		fail_msg("no payments team");
	static const char *const people[] = {"",     "H001", "M001", "M002", "E101", "E102",
	                                     "E103", "E104", "E105", "E201", "E999"};
	const struct actor_role roles[] = {
	        {ROLE_ADMIN, 0},   {ROLE_MANAGER, 0},       {ROLE_EMPLOYEE, 0},
	        {ROLE_ANALYST, 0}, {ROLE_LEADER, payments}, {ROLE_PEOPLE_PARTNER, payments},
	        {ROLE_LEADER, 0},
	};
	const struct actor saved = admin->actor;
	size_t compared = 0;
	for (size_t a = 0; a < sizeof people / sizeof *people - 1; a++) {
		for (size_t r = 0; r < sizeof roles / sizeof *roles; r++) {
			admin->actor = saved;
			admin->actor.person_id = a ? person(people[a]) : 0;
			admin->actor.nroles = 1;
			admin->actor.roles[0] = roles[r];
			char what[64];
			snprintf(what, sizeof what, "actor %s role %zu", a ? people[a] : "(none)",
			         r);
			struct cycle_status full;
			if (cycle_assignment_list(admin, "y26", NULL, &full, &err) < 0)
				fail_msg("%s: %s", what, err.message);
			/* Every employee id, and every name the actor sees a reviewer by. */
			size_t nnames = sizeof people / sizeof *people + full.nassignments;
			const char **names = calloc(nnames, sizeof *names);
			for (size_t i = 0; i < sizeof people / sizeof *people; i++)
				names[i] = people[i];
			for (size_t i = 0; i < full.nassignments; i++)
				names[sizeof people / sizeof *people + i] =
				        full.assignments[i].reviewer;
			for (size_t i = 0; i < nnames; i++) {
				struct cycle_status one;
				int rc = cycle_assignment_list(admin, "y26", names[i], &one, &err);
				/* No person has "" or E999: an error to a reader who sees
				 * everyone, rows to none of the full read's. */
				bool nobody = i == 0 || i == sizeof people / sizeof *people - 1;
				if (rc == 0 && nobody && roles[r].role == ROLE_ADMIN)
					fail_msg("%s: no error for reviewer '%s'", what, names[i]);
				if (rc < 0 && nobody &&
				    (err.code == ERR_NOT_FOUND || err.code == ERR_USAGE)) {
					err_clear(&err);
					one = (struct cycle_status){0};
				} else if (rc < 0) {
					fail_msg("%s: %s", what, err.message);
				}
				assert_reviewer_rows(&full, &one, names[i], what);
				compared += one.nassignments;
			}
			free(names);
		}
	}
	admin->actor = saved;
	assert_true(compared > 0);
}

/* To a masked reader the human a row not theirs is about is named as its
 * reviewee is, by pseudonym: the clear employee id and name stayed in
 * reviewee_human, which no face prints yet (found in review). */
static void masked_rows_name_no_human_in_clear(void **state)
{
	(void)state;
	/* M001, the home manager of payments, sees their reports' rows. */
	const struct actor saved = admin->actor;
	int64_t reader = person("M001");
	admin->actor.person_id = reader;
	admin->actor.nroles = 1;
	admin->actor.roles[0] = (struct actor_role){ROLE_ANALYST, 0};
	struct cycle_status s;
	struct error err = {0};
	if (cycle_assignment_list(admin, "y26", NULL, &s, &err) < 0)
		fail_msg("%s", err.message);
	admin->actor = saved;
	size_t others = 0;
	for (size_t i = 0; i < s.nassignments; i++) {
		const struct cycle_assignment *x = &s.assignments[i];
		if (x->mine)
			continue;
		others++;
		if ((x->reviewee_id != reader && strncmp(x->reviewee, "P-", 2) != 0) ||
		    strcmp(x->reviewee_human, x->reviewee) != 0 ||
		    strcmp(x->reviewee_human_name, x->reviewee_name) != 0)
			fail_msg("a row about %s names their human %s (%s)", x->reviewee,
			         x->reviewee_human, x->reviewee_human_name);
	}
	assert_true(others > 0);
}

/* cycle_create itself finds the phases given a due date before the cycle
 * opened, for every face to warn of (the CLI worked it out alone). */
static void create_returns_past_dues(void **state)
{
	(void)state;
	const char *teams[] = {"payments"};
	int64_t now = ts_now_ms();
	struct cycle_create_options co = {
	        .name = "q26", .kind = FW_KIND_CHECKIN, .teams = teams, .nteams = 1, .ratings = -1};
	co.due[CYCLE_PHASE_SELF_REVIEW] = now - 86400000;
	co.due[CYCLE_PHASE_MANAGER_REVIEW] = now + 86400000;
	struct cycle_create_result cr;
	struct error err = {0};
	assert_int_equal(cycle_create(admin, &co, &cr, &err), 0);
	assert_int_equal(cr.npast_due, 1);
	assert_int_equal(cr.past_due[0].phase, CYCLE_PHASE_SELF_REVIEW);
	assert_int_equal(cr.past_due[0].due_at, co.due[CYCLE_PHASE_SELF_REVIEW]);
	assert_true(cr.created_at >= now);
	co.name = "q27";
	co.due[CYCLE_PHASE_SELF_REVIEW] = now + 3600000;
	assert_int_equal(cycle_create(admin, &co, &cr, &err), 0);
	assert_int_equal(cr.npast_due, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(upward_groups),
	        cmocka_unit_test(self_and_manager),
	        cmocka_unit_test(reviewer_filter_matches_the_full_read),
	        cmocka_unit_test(masked_rows_name_no_human_in_clear),
	        cmocka_unit_test(create_returns_past_dues),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
