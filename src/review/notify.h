/*
 * notify: review reminders (`plumb notify`, and `plumb serve
 * --notify-every`).  For each open cycle, each active assignment of its
 * current phase that is not done gets
 *   due         to the reviewer, when due within due_within_days,
 *   overdue     to the reviewer, once past due,
 *   escalation  to the reviewer's manager, once more than grace_days past due,
 * by email and to a chat webhook, whichever are configured.  Each
 * (assignment, kind, channel) goes out at most once: the reminders table
 * records it, with an audit entry, before it is sent (notify.c says why).
 * A reminder says what is due for whom and by when, never what anyone
 * wrote; a chat message does not name the person reviewed, and upward
 * feedback goes by email only and is never escalated.  Only admins run it
 * (the ops row).  Not thread-safe per ctx.
 *
 * Returned structs and strings live in the ctx's unit arena.
 */
#ifndef PLUMB_NOTIFY_H
#define PLUMB_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct arena;
struct ctx;
struct mail_smtp;
struct mail_chat;

#define NOTIFY_DUE_WITHIN_DAYS 2
#define NOTIFY_GRACE_DAYS      3
#define NOTIFY_DAYS_MAX        365

#define NOTIFY_KIND_TABLE(X)                                                                       \
	X(DUE, "due")                                                                              \
	X(OVERDUE, "overdue")                                                                      \
	X(ESCALATION, "escalation")
#define NOTIFY_KIND_ENUM_(id, name) NOTIFY_##id,
enum notify_kind { NOTIFY_KIND_TABLE(NOTIFY_KIND_ENUM_) NOTIFY_KIND_COUNT };
#undef NOTIFY_KIND_ENUM_
const char *notify_kind_name(enum notify_kind kind);

#define NOTIFY_CHANNEL_TABLE(X)                                                                    \
	X(EMAIL, "email")                                                                          \
	X(CHAT, "chat")
#define NOTIFY_CHANNEL_ENUM_(id, name) NOTIFY_##id,
enum notify_channel { NOTIFY_CHANNEL_TABLE(NOTIFY_CHANNEL_ENUM_) NOTIFY_CHANNEL_COUNT };
#undef NOTIFY_CHANNEL_ENUM_
const char *notify_channel_name(enum notify_channel channel);

/*
 * The kinds of reminder an assignment due at due_at calls for at as_of, as
 * a bit set of (1u << kind): due while due_at is no more than
 * due_within_days ahead (and not past), overdue once as_of is past it, and
 * escalation too once as_of is more than grace_days past it.  Pure.
 */
unsigned notify_kinds(int64_t due_at, int64_t as_of, int due_within_days, int grace_days);

/* What one reminder is about, for notify_compose. */
struct notify_about {
	enum notify_kind kind;
	const char *cycle;    /* the cycle's name */
	const char *relation; /* self, manager, peer, upward, cross_functional */
	const char *reviewee_name, *reviewer_name, *recipient_name;
	int64_t due_at, as_of;
};
struct notify_text {
	const char *subject, *body; /* the email; body lines end with \n */
	const char *chat;           /* the chat message: one line naming the recipient */
};
/* The texts of one reminder, in arena a: what is due, for whom, by when
 * (and to a manager, whose it is and how late).  Pure. */
void notify_compose(struct arena *a, const struct notify_about *about, struct notify_text *out);

struct notify_options {
	int64_t as_of;                /* the time the run acts at */
	int due_within_days;          /* 0..NOTIFY_DAYS_MAX */
	int grace_days;               /* 0..NOTIFY_DAYS_MAX */
	bool dry_run;                 /* say what would be sent; send and record nothing */
	const struct mail_smtp *smtp; /* NULL: no email */
	const struct mail_chat *chat; /* NULL: no chat */
	/* Asked between sends; true ends the run early (a server shutting
	 * down).  May be NULL. */
	bool (*stop)(void *data);
	void *stop_data;
};

enum notify_outcome {
	NOTIFY_SENT,
	NOTIFY_WOULD_SEND, /* a dry run */
	NOTIFY_FAILED,     /* not sent, not recorded: the next run tries again */
	NOTIFY_SKIPPED,    /* cannot go out: no email address, no manager */
};
const char *notify_outcome_name(enum notify_outcome outcome);

struct notify_reminder {
	int64_t cycle_id, assignment_id;
	const char *cycle, *relation;
	const char *reviewee, *reviewer; /* employee ids */
	const char *reviewee_name, *reviewer_name;
	const char *recipient, *recipient_name; /* employee id, name */
	const char *recipient_email;            /* "" when none */
	enum notify_kind kind;
	enum notify_channel channel;
	int64_t due_at;
	enum notify_outcome outcome;
	const char *why;     /* failed or skipped: why (no secret); else NULL */
	int64_t reminder_id; /* the reminders row of one sent, else 0 */
};

struct notify_report {
	int64_t as_of;
	bool dry_run, stopped; /* stopped: options.stop ended the run early */
	int cycles;            /* open cycles looked at */
	int pending;           /* their current phase's active assignments not done */
	int sent, would_send, failed, skipped;
	struct notify_reminder *reminders; /* in cycle, assignment, kind, channel order */
	size_t n;
};

/*
 * Operation notify.send: send what is due as of o->as_of and not sent yet
 * (see the top of this file), one reminder at a time, and fill *out with
 * each (those sent in earlier runs are not listed).  ERR_USAGE when no
 * channel is configured or a day count is out of range; ERR_DENIED for a
 * non-admin.  When some sends failed, *out is complete and the return is
 * ERR_FAILED naming how many and the first failure; the others went out
 * and are recorded.  A server that cannot be reached fails that channel's
 * remaining reminders at once, without waiting on it again.
 */
int notify_run(struct ctx *ctx, const struct notify_options *o, struct notify_report *out,
               struct error *err);

#endif
