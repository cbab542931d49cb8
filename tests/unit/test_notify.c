/*
 * test_notify: the pure parts of review reminders: which kinds an
 * assignment calls for at a time (boundaries to the millisecond), and the
 * texts, written out by hand.  The sending itself is covered by
 * tests/cli/cases/notify-reminders.sh against a real SMTP server.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/arena.h"
#include "base/ts.h"
#include "review/notify.h"

#define DUE    INT64_C(1796342400000) /* 2026-12-04T00:00:00Z */
#define DAY    MS_PER_DAY
#define K_DUE  (1u << NOTIFY_DUE)
#define K_OVER (1u << NOTIFY_OVERDUE)
#define K_ESC  (1u << NOTIFY_ESCALATION)

static void kinds_at_the_boundaries(void **state)
{
	(void)state;
	/* --due-within 2 --grace 3 */
	assert_int_equal(notify_kinds(DUE, DUE - 2 * DAY - 1, 2, 3), 0);
	assert_int_equal(notify_kinds(DUE, DUE - 2 * DAY, 2, 3), K_DUE);
	assert_int_equal(notify_kinds(DUE, DUE - 1, 2, 3), K_DUE);
	assert_int_equal(notify_kinds(DUE, DUE, 2, 3), K_DUE); /* due at, not yet past */
	assert_int_equal(notify_kinds(DUE, DUE + 1, 2, 3), K_OVER);
	assert_int_equal(notify_kinds(DUE, DUE + 3 * DAY, 2, 3), K_OVER); /* not more than grace */
	assert_int_equal(notify_kinds(DUE, DUE + 3 * DAY + 1, 2, 3), K_OVER | K_ESC);
	assert_int_equal(notify_kinds(DUE, DUE + 400 * DAY, 2, 3), K_OVER | K_ESC);
	/* Zero days: due only at the moment itself; escalate as soon as past. */
	assert_int_equal(notify_kinds(DUE, DUE - 1, 0, 0), 0);
	assert_int_equal(notify_kinds(DUE, DUE, 0, 0), K_DUE);
	assert_int_equal(notify_kinds(DUE, DUE + 1, 0, 0), K_OVER | K_ESC);
}

static void texts_written_out(void **state)
{
	(void)state;
	struct arena *a = arena_create();
	struct notify_text t;
	struct notify_about due = {.kind = NOTIFY_DUE,
	                           .cycle = "2026-annual",
	                           .relation = "peer",
	                           .reviewee_name = "Ana Ruiz",
	                           .reviewer_name = "Bo Chen",
	                           .recipient_name = "Bo Chen",
	                           .due_at = DUE,
	                           .as_of = DUE - DAY};
	notify_compose(a, &due, &t);
	assert_string_equal(t.subject, "Due 2026-12-04: Peer feedback for Ana Ruiz (2026-annual)");
	assert_string_equal(t.body, "Hello Bo Chen,\n\n"
	                            "Peer feedback for Ana Ruiz in cycle 2026-annual is due on "
	                            "2026-12-04.\n\n"
	                            "Please submit it by then.\n\n"
	                            "-- \nplumb review reminders: each reminder is sent once.\n");
	assert_string_equal(t.chat,
	                    "Bo Chen: Peer feedback in cycle 2026-annual is due on 2026-12-04.");

	struct notify_about over = due;
	over.kind = NOTIFY_OVERDUE;
	over.relation = "self";
	over.reviewer_name = over.recipient_name = "Ana Ruiz";
	over.as_of = DUE + 1;
	notify_compose(a, &over, &t);
	assert_string_equal(t.subject,
	                    "Overdue: Self review of Ana Ruiz (2026-annual), due 2026-12-04");
	assert_string_equal(t.body, "Hello Ana Ruiz,\n\n"
	                            "Self review of Ana Ruiz in cycle 2026-annual was due on "
	                            "2026-12-04 and is not submitted yet.\n\n"
	                            "Please submit it as soon as you can, or tell your manager why "
	                            "you cannot.\n\n"
	                            "-- \nplumb review reminders: each reminder is sent once.\n");
	assert_string_equal(
	        t.chat,
	        "Ana Ruiz: Self review in cycle 2026-annual was due on 2026-12-04 and is overdue.");

	struct notify_about esc = due;
	esc.kind = NOTIFY_ESCALATION;
	esc.recipient_name = "Cy Dee";
	esc.as_of = DUE + 5 * DAY + 12 * 3600 * 1000;
	notify_compose(a, &esc, &t);
	assert_string_equal(t.subject, "Escalation: Peer feedback for Ana Ruiz by Bo Chen is 5 "
	                               "days overdue (2026-annual)");
	assert_string_equal(t.body,
	                    "Hello Cy Dee,\n\n"
	                    "Peer feedback for Ana Ruiz by Bo Chen in cycle 2026-annual was "
	                    "due on 2026-12-04 and is 5 days overdue.\n\n"
	                    "You receive this as Bo Chen's manager. Please follow up with "
	                    "them.\n\n"
	                    "-- \nplumb review reminders: each reminder is sent once.\n");
	assert_string_equal(t.chat,
	                    "Cy Dee: Peer feedback by one of your reports in cycle 2026-annual is "
	                    "5 days overdue (due 2026-12-04).");
	/* A self review's writer is the person reviewed: named once. */
	struct notify_about self = esc;
	self.relation = "self";
	self.reviewee_name = self.reviewer_name = "Bo Chen";
	notify_compose(a, &self, &t);
	assert_string_equal(t.subject,
	                    "Escalation: Self review of Bo Chen is 5 days overdue (2026-annual)");
	assert_non_null(strstr(t.body, "\n\nSelf review of Bo Chen in cycle 2026-annual was due on "
	                               "2026-12-04 and is 5 days overdue.\n\n"));
	assert_string_equal(t.chat, "Cy Dee: Self review by one of your reports in cycle "
	                            "2026-annual is 5 days overdue (due 2026-12-04).");
	esc.as_of = DUE + DAY;
	notify_compose(a, &esc, &t);
	assert_non_null(strstr(t.subject, " is 1 day overdue "));
	esc.as_of = DUE + DAY - 1;
	notify_compose(a, &esc, &t);
	assert_non_null(strstr(t.subject, " is less than a day overdue "));
	arena_destroy(a);
}

/* A chat channel is read by others: no reminder there names the person reviewed,
 * nor, in an escalation, who is late. */
static void chat_never_names_the_reviewee(void **state)
{
	(void)state;
	static const char *const relations[] = {"self",   "manager",          "peer",
	                                        "upward", "cross_functional", "unknown"};
	struct arena *a = arena_create();
	for (size_t r = 0; r < sizeof relations / sizeof *relations; r++) {
		for (int k = 0; k < NOTIFY_KIND_COUNT; k++) {
			struct notify_about about = {
			        .kind = (enum notify_kind)k,
			        .cycle = "c1",
			        .relation = relations[r],
			        .reviewee_name = "Zed Reviewee",
			        .reviewer_name = "Bo Chen",
			        .recipient_name = k == NOTIFY_ESCALATION ? "Cy Dee" : "Bo Chen",
			        .due_at = DUE,
			        .as_of = DUE + 9 * DAY};
			struct notify_text t;
			notify_compose(a, &about, &t);
			if (strstr(t.chat, "Zed"))
				fail_msg("%s %s names the reviewee: %s", relations[r],
				         notify_kind_name((enum notify_kind)k), t.chat);
			if (k == NOTIFY_ESCALATION && strstr(t.chat, "Bo Chen"))
				fail_msg("%s escalation names who is late: %s", relations[r],
				         t.chat);
			assert_non_null(strstr(t.body, "Zed Reviewee"));
		}
	}
	arena_destroy(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(kinds_at_the_boundaries),
	        cmocka_unit_test(texts_written_out),
	        cmocka_unit_test(chat_never_names_the_reviewee),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
