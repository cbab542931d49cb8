/*
 * notify: choose the reminders that are due in one read snapshot, then
 * record and send them one at a time, each record in a short transaction
 * of its own; no transaction is open while a message is on the wire.
 */
#include "review/notify.h"

#include <inttypes.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/org.h"
#include "review/cycle.h"
#include "review/mail.h"
#include "store/store.h"

#define NOTIFY_FROM_NAME "plumb"

const char *notify_kind_name(enum notify_kind kind)
{
#define NOTIFY_KIND_NAME_(id, name) [NOTIFY_##id] = name,
	static const char *const names[] = {NOTIFY_KIND_TABLE(NOTIFY_KIND_NAME_)};
#undef NOTIFY_KIND_NAME_
	if ((unsigned)kind >= NOTIFY_KIND_COUNT)
		BUG("notify kind %d", (int)kind);
	return names[kind];
}

const char *notify_channel_name(enum notify_channel channel)
{
#define NOTIFY_CHANNEL_NAME_(id, name) [NOTIFY_##id] = name,
	static const char *const names[] = {NOTIFY_CHANNEL_TABLE(NOTIFY_CHANNEL_NAME_)};
#undef NOTIFY_CHANNEL_NAME_
	if ((unsigned)channel >= NOTIFY_CHANNEL_COUNT)
		BUG("notify channel %d", (int)channel);
	return names[channel];
}

const char *notify_outcome_name(enum notify_outcome outcome)
{
	switch (outcome) {
	case NOTIFY_SENT:
		return "sent";
	case NOTIFY_WOULD_SEND:
		return "would_send";
	case NOTIFY_FAILED:
		return "failed";
	case NOTIFY_SKIPPED:
		return "skipped";
	}
	BUG("notify outcome %d", (int)outcome);
}

unsigned notify_kinds(int64_t due_at, int64_t as_of, int due_within_days, int grace_days)
{
	if (as_of <= due_at)
		return due_at - as_of <= due_within_days * MS_PER_DAY ? 1u << NOTIFY_DUE : 0;
	unsigned kinds = 1u << NOTIFY_OVERDUE;
	if (as_of - due_at > grace_days * MS_PER_DAY)
		kinds |= 1u << NOTIFY_ESCALATION;
	return kinds;
}

/* ---- the texts ---- */

/* What the work is: "Peer feedback" (for whom is added by the caller). */
static const char *task_words(const char *relation)
{
	static const struct {
		const char *relation, *words;
	} tasks[] = {
	        {"self", "Self review"},
	        {"manager", "Manager review"},
	        {"peer", "Peer feedback"},
	        {"upward", "Upward feedback"},
	        {"cross_functional", "Cross-functional feedback"},
	};
	for (size_t i = 0; i < sizeof tasks / sizeof *tasks; i++)
		if (relation && !strcmp(relation, tasks[i].relation))
			return tasks[i].words;
	return "Feedback";
}

static const char *days_late(struct arena *a, int64_t due_at, int64_t as_of)
{
	int64_t days = (as_of - due_at) / MS_PER_DAY;
	if (days < 1)
		return "less than a day";
	return arena_printf(a, "%" PRId64 " %s", days, days == 1 ? "day" : "days");
}

/*
 * The email names the person reviewed: it goes to one person, who has the
 * assignment anyway.  The chat message goes to a channel others read, so it
 * names only the recipient and the kind of work: who is writing feedback
 * about whom, and who is late with it, stays out of the channel.
 */
void notify_compose(struct arena *a, const struct notify_about *about, struct notify_text *out)
{
	char due[TS_BUF];
	ts_format_date(about->due_at, due);
	const char *words = task_words(about->relation);
	const char *of =
	        !strcmp(words, "Self review") || !strcmp(words, "Manager review") ? "of" : "for";
	const char *what = arena_printf(a, "%s %s %s", words, of, about->reviewee_name);
	const char *sentence = "", *ask = "", *chat = "";
	switch (about->kind) {
	case NOTIFY_DUE:
		sentence = arena_printf(a, "%s in cycle %s is due on %s.", what, about->cycle, due);
		out->subject = arena_printf(a, "Due %s: %s (%s)", due, what, about->cycle);
		ask = "Please submit it by then.";
		chat = arena_printf(a, "%s in cycle %s is due on %s.", words, about->cycle, due);
		break;
	case NOTIFY_OVERDUE:
		sentence = arena_printf(a, "%s in cycle %s was due on %s and is not submitted yet.",
		                        what, about->cycle, due);
		out->subject = arena_printf(a, "Overdue: %s (%s), due %s", what, about->cycle, due);
		ask = "Please submit it as soon as you can, or tell your manager why you cannot.";
		chat = arena_printf(a, "%s in cycle %s was due on %s and is overdue.", words,
		                    about->cycle, due);
		break;
	case NOTIFY_ESCALATION: {
		const char *late = days_late(a, about->due_at, about->as_of);
		/* A self review names its writer already. */
		bool self = !strcmp(words, "Self review");
		const char *whose =
		        self ? what : arena_printf(a, "%s by %s", what, about->reviewer_name);
		sentence = arena_printf(a, "%s in cycle %s was due on %s and is %s overdue.", whose,
		                        about->cycle, due, late);
		out->subject = arena_printf(a, "Escalation: %s is %s overdue (%s)", whose, late,
		                            about->cycle);
		ask = arena_printf(a,
		                   "You receive this as %s's manager. Please follow up with them.",
		                   about->reviewer_name);
		/* Not who is late: for a self review, that is the person reviewed. */
		chat = arena_printf(a,
		                    "%s by one of your reports in cycle %s is %s overdue (due %s).",
		                    words, about->cycle, late, due);
		break;
	}
	default:
		BUG("notify kind %d", (int)about->kind);
	}
	out->body = arena_printf(a,
	                         "Hello %s,\n\n%s\n\n%s\n\n-- \nplumb review reminders: each "
	                         "reminder is sent once.\n",
	                         about->recipient_name, sentence, ask);
	out->chat = arena_printf(a, "%s: %s", about->recipient_name, chat);
}

/* ---- reading what is due ---- */

struct open_cycle {
	int64_t id;
	const char *name, *phase;
};

/* One reminder to send, and what its text needs. */
struct planned {
	struct notify_reminder r;
	int64_t recipient_id;
	int64_t owner_id; /* who owes the row (its writer): an escalation is about them */
	/* Since when: a stand-in's from the day their leaver left (record_stands);
	 * 0 for others. */
	int64_t owner_since;
	const char *skip; /* why it cannot go out at all, or NULL */
};

struct plan {
	struct planned *items;
	size_t n, alloc;
};

static const char *or_id(const char *name, const char *id)
{
	return name && *name ? name : id;
}

/*
 * Add the reminders one assignment calls for, on every channel in use.
 * Upward feedback is reminded by email only and never escalated: the
 * reviewer's manager is usually the person reviewed, who must not learn
 * which reports have not written yet.  For the same reason nothing is
 * escalated to the person reviewed.
 */
static void plan_assignment(struct ctx *ctx, const struct notify_options *o,
                            const struct open_cycle *c, const struct cycle_assignment *as,
                            struct plan *plan)
{
	unsigned kinds = notify_kinds(as->due_at, o->as_of, o->due_within_days, o->grace_days);
	bool upward = !strcmp(as->relation, "upward");
	if (upward || (as->reviewer_manager_id && as->reviewer_manager_id == as->reviewee_human_id))
		kinds &= ~(1u << NOTIFY_ESCALATION);
	for (int k = 0; k < NOTIFY_KIND_COUNT; k++) {
		if (!(kinds & (1u << k)))
			continue;
		for (int ch = 0; ch < NOTIFY_CHANNEL_COUNT; ch++) {
			/* An upward reminder with chat alone cannot go out at all: it
			 * is planned on chat to be reported skipped, saying why, as
			 * any other such (found in review: dropped silently). */
			bool upward_unsent = ch == NOTIFY_CHAT && upward && o->chat && !o->smtp;
			if ((ch == NOTIFY_EMAIL && !o->smtp) ||
			    (ch == NOTIFY_CHAT && (!o->chat || upward) && !upward_unsent))
				continue;
			plan->items = arena_grow(ctx->arena, plan->items, plan->n, &plan->alloc,
			                         sizeof *plan->items);
			struct planned *p = &plan->items[plan->n++];
			memset(p, 0, sizeof *p);
			if (upward_unsent)
				p->skip = "upward feedback is reminded by email only, and no SMTP "
				          "server is set (--smtp-url)";
			/* Their work will not be done (found in review: a peer, or a
			 * reviewee's self review, was reminded at the address of one who
			 * had left). */
			/* Owed, by nobody to remind (cycle_stand_in). */
			else if (as->unowned)
				p->skip = "the manager in the cycle has left, and the reviewee has "
				          "no manager now to stand in";
			else if (as->reviewer_left)
				p->skip = "the reviewer has left";
			/* Work about a leaver is no longer owed (cycle_assignment). */
			else if (as->withdrawn)
				p->skip = "the reviewee has left";
			struct notify_reminder *r = &p->r;
			r->cycle_id = c->id;
			r->cycle = c->name;
			r->assignment_id = as->id;
			r->relation = as->relation;
			r->reviewee = as->reviewee;
			r->reviewer = as->reviewer;
			r->reviewee_name = or_id(as->reviewee_name, as->reviewee);
			/* A stand-in's work is theirs: an escalation of it names them
			 * to their manager (found in review: it named the leaver). */
			r->reviewer_name = as->stand_in ? or_id(as->writer_name, as->writer)
			                                : or_id(as->reviewer_name, as->reviewer);
			r->kind = (enum notify_kind)k;
			r->channel = (enum notify_channel)ch;
			r->due_at = as->due_at;
			p->owner_id = as->writer_id;
			p->owner_since = as->stand_in ? as->leaver_left_on : 0;
			if (k == NOTIFY_ESCALATION) {
				p->recipient_id =
				        as->reviewer_manager_id; /* named by name_managers */
			} else {
				/* The human as the record they use now: a merged
				 * record's work is theirs to write there (found
				 * hunting merges: it was skipped as a leaver's). */
				p->recipient_id = as->writer_id;
				r->recipient = as->writer;
				r->recipient_name = or_id(as->writer_name, as->writer);
				r->recipient_email = as->reviewer_email;
			}
		}
	}
}

static void sent_key(char *buf, size_t size, int64_t assignment, const char *kind,
                     const char *channel)
{
	snprintf(buf, size, "%" PRId64 ":%s:%s", assignment, kind, channel);
}

/* Whether a reminder of kind, recorded as sent at sent_at to the human
 * was_human, stands for one to recipient about owner (the row's writer,
 * owing it since owner_since): once to each human and row.  The same human
 * was sent a due or overdue one; an escalation about the owner went to a
 * manager of theirs, and the owner's manager changing (a reorganization)
 * does not send it again (found in review: their new manager was escalated
 * to again).  A due or overdue reminder sent to another, and an escalation
 * about another (sent before the owner owed it: about a leaver the owner
 * stands in for, also where one manager has both, found in review), are not
 * the recipient's: the record passes to them. */
static int record_stands(struct ctx *ctx, enum notify_kind kind, int64_t was_human, int64_t sent_at,
                         int64_t recipient, int64_t owner, int64_t owner_since, bool *stands,
                         struct error *err)
{
	if (kind == NOTIFY_ESCALATION && sent_at < owner_since) {
		*stands = false;
		return 0;
	}
	*stands = was_human == recipient;
	if (*stands || kind != NOTIFY_ESCALATION || !was_human || !owner)
		return 0;
	return cycle_ever_managed(ctx, was_human, owner, ts_now_ms(), stands, err);
}

/* Drop from the plan what earlier runs sent (the reminders of open cycles)
 * where it stands for the planned one (record_stands): one standing in for
 * a leaver is reminded of work the leaver was reminded of (found in review:
 * never, as it was sent).  The same as a human (ORG_HUMAN), as the plan
 * names them: one reminded as a record since merged is not reminded again
 * (found in review: they were). */
/* clang-format off */
static const char sent_sql[] =
	"SELECT r.assignment_id, r.kind, r.channel, " ORG_HUMAN("r.recipient_id") ", r.sent_at"
	" FROM reminders r JOIN cycles c ON c.id = r.cycle_id WHERE c.phase <> 'closed'";
/* clang-format on */

static int drop_sent(struct ctx *ctx, struct plan *plan, struct error *err)
{
	struct sent_record {
		int64_t human, sent_at;
	} *records = NULL;
	size_t nrecords = 0, alloc = 0;
	struct hmap sent; /* key -> index in records */
	hmap_init(&sent);
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sent_sql, &st, err);
	char key[96];
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		sent_key(key, sizeof key, stmt_int(st, 0), stmt_text(st, 1), stmt_text(st, 2));
		records = arena_grow(ctx->arena, records, nrecords, &alloc, sizeof *records);
		records[nrecords] = (struct sent_record){stmt_int(st, 3), stmt_int(st, 4)};
		hmap_put(&sent, key, (int64_t)nrecords++);
	}
	if (rc >= 0)
		stmt_reset(st);
	size_t kept = 0;
	for (size_t i = 0; rc >= 0 && i < plan->n; i++) {
		const struct planned *p = &plan->items[i];
		int64_t at;
		bool stands = false;
		sent_key(key, sizeof key, p->r.assignment_id, notify_kind_name(p->r.kind),
		         notify_channel_name(p->r.channel));
		if (hmap_get(&sent, key, &at))
			rc = record_stands(ctx, p->r.kind, records[at].human, records[at].sent_at,
			                   p->recipient_id, p->owner_id, p->owner_since, &stands,
			                   err);
		if (!stands)
			plan->items[kept++] = *p;
	}
	if (rc >= 0)
		plan->n = kept;
	hmap_release(&sent);
	return rc < 0 ? rc : 0;
}

/* The managers an escalation goes to: name and address from people. */
static int name_managers(struct ctx *ctx, struct plan *plan, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store, "SELECT employee_id, name, email FROM people WHERE id = ?", &st, err);
	for (size_t i = 0; rc >= 0 && i < plan->n; i++) {
		struct planned *p = &plan->items[i];
		if (p->r.kind != NOTIFY_ESCALATION || !p->recipient_id)
			continue;
		stmt_bind_int(st, 1, p->recipient_id);
		if ((rc = stmt_step(st, err)) == STORE_ROW) {
			p->r.recipient = stmt_text_dup(st, 0, ctx->arena);
			p->r.recipient_name = stmt_text_dup(st, 1, ctx->arena);
			p->r.recipient_email = stmt_text_dup(st, 2, ctx->arena);
		}
		stmt_reset(st);
	}
	return rc < 0 ? rc : 0;
}

struct plan_args {
	const struct notify_options *o;
	struct notify_report *out;
	struct plan *plan;
};

/* One snapshot: the open cycles, their pending assignments, what is due
 * and not sent yet.  Writes nothing. */
static int plan_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct plan_args *a = arg;
	a->plan->n = 0;
	a->out->cycles = a->out->pending = 0;
	struct open_cycle *cycles = NULL;
	size_t ncycles = 0, alloc = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id, name, phase FROM cycles WHERE phase <> 'closed' "
	                       "ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		cycles = arena_grow(ctx->arena, cycles, ncycles, &alloc, sizeof *cycles);
		struct open_cycle *c = &cycles[ncycles++];
		c->id = stmt_int(st, 0);
		c->name = stmt_text_dup(st, 1, ctx->arena);
		c->phase = stmt_text_dup(st, 2, ctx->arena);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	a->out->cycles = (int)ncycles;
	for (size_t i = 0; i < ncycles; i++) {
		struct cycle_assignment *as;
		size_t n;
		if ((rc = cycle_assignments(ctx, cycles[i].id, &as, &n, err)) < 0)
			return rc;
		for (size_t k = 0; k < n; k++) {
			if (as[k].done || as[k].covered || strcmp(as[k].status, "active") != 0 ||
			    !as[k].phase || strcmp(as[k].phase, cycles[i].phase) != 0)
				continue;
			/* A leaver's is reported skipped, but owed by no one. */
			a->out->pending += !as[k].withdrawn;
			plan_assignment(ctx, a->o, &cycles[i], &as[k], a->plan);
		}
	}
	if ((rc = drop_sent(ctx, a->plan, err)) < 0 || (rc = name_managers(ctx, a->plan, err)) < 0)
		return rc;
	return CTX_ROLLBACK;
}

/* ---- recording and sending ---- */

struct claim_args {
	const struct notify_options *o;
	const struct notify_reminder *r;
	int64_t recipient_id, owner_id, owner_since, sent_at;
	int64_t *id; /* 0: another run recorded it first, or it is no longer due */
	bool *stale; /* it is no longer due */
	/* The earlier recipient's record it replaces, to put back if sending
	 * fails (release_body); 0 if none. */
	int64_t *was_recipient, *was_sent_at;
};

static int record_audit(struct ctx *ctx, const char *action, const struct notify_reminder *r,
                        int64_t reminder_id, const char *error, struct error *err)
{
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "cycle", r->cycle);
	jw_kstr(&w, "kind", notify_kind_name(r->kind));
	jw_kstr(&w, "channel", notify_channel_name(r->channel));
	jw_kstr(&w, "recipient", r->recipient);
	jw_kint(&w, "reminder", reminder_id);
	if (error)
		jw_kstr(&w, "error", error);
	jw_object_end(&w);
	char object[24];
	snprintf(object, sizeof object, "%" PRId64, r->assignment_id);
	int rc = audit_append(ctx, action, "assignment", object, detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* Whether r is still called for as the write lock finds it: its assignment
 * pending in its cycle's current phase, its reviewer still here, its kind
 * still due.  What is due was read before, and work done since (feedback
 * submitted while notify waited for the lock or sent earlier reminders, a
 * phase advanced, a due date moved) must not be reminded (found by a race:
 * a self review submitted while notify waited for the lock was reminded as
 * due). */
static int still_due(struct ctx *ctx, const struct notify_options *o,
                     const struct notify_reminder *r, bool *due, struct error *err)
{
	*due = false;
	struct cycle_info info;
	int rc = cycle_info(ctx, r->cycle_id, &info, err);
	if (rc < 0 || strcmp(info.phase, "closed") == 0)
		return rc;
	struct cycle_assignment *as;
	size_t n;
	if ((rc = cycle_reviewer_assignments(ctx, r->cycle_id, r->reviewer, &as, &n, err)) < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const struct cycle_assignment *x = &as[i];
		if (x->id != r->assignment_id)
			continue;
		unsigned kinds =
		        notify_kinds(x->due_at, o->as_of, o->due_within_days, o->grace_days);
		*due = !x->done && !x->covered && strcmp(x->status, "active") == 0 && x->phase &&
		       strcmp(x->phase, info.phase) == 0 && !x->withdrawn &&
		       (kinds & (1u << r->kind));
	}
	return 0;
}

/* The record of one reminder: its recipient, when sent, and their human. */
/* clang-format off */
static const char claimed_sql[] =
	"SELECT recipient_id, sent_at, " ORG_HUMAN("recipient_id")
	" FROM reminders WHERE assignment_id = ? AND kind = ? AND channel = ?";
/* clang-format on */

static int claim_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct claim_args *a = arg;
	*a->id = 0;
	*a->stale = false;
	bool due;
	int rc = still_due(ctx, a->o, a->r, &due, err);
	if (rc < 0)
		return rc;
	if (!due) {
		*a->stale = true;
		return CTX_ROLLBACK;
	}
	/* One record per assignment, kind and channel (the schema's): sent to
	 * another recipient before, to a leaver the stand-in replaces, it
	 * becomes the stand-in's; where it stands for this one (record_stands,
	 * as drop_sent decided), another run has it. */
	struct store_stmt *st;
	rc = store_prepare(ctx->store, claimed_sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->r->assignment_id);
	stmt_bind_text(st, 2, notify_kind_name(a->r->kind));
	stmt_bind_text(st, 3, notify_channel_name(a->r->channel));
	*a->was_recipient = *a->was_sent_at = 0;
	int64_t was_human = 0;
	if ((rc = stmt_step(st, err)) == STORE_ROW) {
		*a->was_recipient = stmt_int(st, 0);
		*a->was_sent_at = stmt_int(st, 1);
		was_human = stmt_int(st, 2);
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	bool stands = false;
	if (was_human &&
	    (rc = record_stands(ctx, a->r->kind, was_human, *a->was_sent_at, a->recipient_id,
	                        a->owner_id, a->owner_since, &stands, err)) < 0)
		return rc;
	if (stands)
		return CTX_ROLLBACK;
	rc = store_prepare(ctx->store,
	                   *a->was_recipient
	                           ? "UPDATE reminders SET cycle_id = ?, recipient_id = ?, "
	                             "sent_at = ? WHERE assignment_id = ? AND kind = ? AND "
	                             "channel = ? RETURNING id"
	                           : "INSERT INTO reminders(cycle_id, recipient_id, sent_at, "
	                             "assignment_id, kind, channel) VALUES (?, ?, ?, ?, ?, ?) "
	                             "ON CONFLICT (assignment_id, kind, channel) DO NOTHING "
	                             "RETURNING id",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->r->cycle_id);
	stmt_bind_int(st, 2, a->recipient_id);
	stmt_bind_int(st, 3, a->sent_at);
	stmt_bind_int(st, 4, a->r->assignment_id);
	stmt_bind_text(st, 5, notify_kind_name(a->r->kind));
	stmt_bind_text(st, 6, notify_channel_name(a->r->channel));
	rc = stmt_step(st, err);
	*a->id = rc == STORE_ROW ? stmt_int(st, 0) : 0;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	if (!*a->id)
		return CTX_ROLLBACK;
	return record_audit(ctx, "notify.send", a->r, *a->id, NULL, err);
}

struct release_args {
	const struct notify_reminder *r;
	int64_t id;
	const char *why;
	int64_t was_recipient, was_sent_at; /* claim_args */
	int64_t recipient_id, sent_at;      /* as the claim recorded it */
};

static int release_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct release_args *a = arg;
	struct store_stmt *st;
	/* The earlier recipient's record stands again: they were sent it.  Only
	 * while the record is still this claim's: another run, planned before
	 * this one claimed, may hold it now, sent (found in review: put back
	 * over theirs, or deleted). */
	int rc = store_prepare(ctx->store,
	                       a->was_recipient
	                               ? "UPDATE reminders SET recipient_id = ?, sent_at = ? "
	                                 "WHERE id = ? AND recipient_id = ? AND sent_at = ? "
	                                 "RETURNING id"
	                               : "DELETE FROM reminders WHERE id = ? AND recipient_id = "
	                                 "? AND sent_at = ? RETURNING id",
	                       &st, err);
	if (rc < 0)
		return rc;
	int col = 1;
	if (a->was_recipient) {
		stmt_bind_int(st, col++, a->was_recipient);
		stmt_bind_int(st, col++, a->was_sent_at);
	}
	stmt_bind_int(st, col++, a->id);
	stmt_bind_int(st, col++, a->recipient_id);
	stmt_bind_int(st, col, a->sent_at);
	rc = stmt_step(st, err);
	bool released = rc == STORE_ROW;
	stmt_reset(st);
	if (rc < 0)
		return rc;
	return record_audit(ctx, "notify.failed", a->r, a->id,
	                    released ? a->why
	                             : arena_printf(ctx->arena,
	                                            "%s; the record is another run's now, kept",
	                                            a->why),
	                    err);
}

/* "message: detail" of a failure, for the report and the audit entry. */
static const char *failure_text(struct ctx *ctx, const struct error *e)
{
	return e->detail[0] ? arena_printf(ctx->arena, "%s (%s)", e->message, e->detail)
	                    : arena_strdup(ctx->arena, e->message);
}

/* The domain of the sender's address, for Message-IDs. */
static const char *from_domain(const struct mail_smtp *smtp)
{
	const char *at = strrchr(smtp->from, '@');
	return at ? at + 1 : "localhost";
}

/* Send r on its channel; 0, or the error of mail_send/mail_chat_post. */
static int deliver(struct ctx *ctx, const struct notify_options *o, const struct notify_reminder *r,
                   struct error *err)
{
	struct notify_text text;
	struct notify_about about = {.kind = r->kind,
	                             .cycle = r->cycle,
	                             .relation = r->relation,
	                             .reviewee_name = r->reviewee_name,
	                             .reviewer_name = r->reviewer_name,
	                             .recipient_name = or_id(r->recipient_name, r->recipient),
	                             .due_at = r->due_at,
	                             .as_of = o->as_of};
	notify_compose(ctx->arena, &about, &text);
	if (r->channel == NOTIFY_CHAT)
		return mail_chat_post(o->chat, text.chat, err);
	struct mail_smtp smtp = *o->smtp;
	if (!smtp.from_name)
		smtp.from_name = NOTIFY_FROM_NAME;
	struct mail_message m = {
	        .to = r->recipient_email,
	        .to_name = about.recipient_name,
	        .subject = text.subject,
	        .text = text.body,
	        .message_id = arena_printf(ctx->arena, "plumb-reminder-%" PRId64 "@%s",
	                                   r->reminder_id, from_domain(o->smtp)),
	        .date = ts_clock_ms(),
	};
	return mail_send(&smtp, &m, err);
}

/* Why a reminder cannot go out at all, or NULL. */
static const char *unsendable(const struct notify_reminder *r, int64_t recipient_id)
{
	if (r->kind == NOTIFY_ESCALATION && (!recipient_id || !r->recipient))
		return "the reviewer has no manager to escalate to";
	if (r->channel == NOTIFY_EMAIL && (!r->recipient_email || !*r->recipient_email))
		return "no email address on record";
	if (r->channel == NOTIFY_EMAIL && !mail_address_valid(r->recipient_email))
		return "the email address on record is not one plumb sends to";
	return NULL;
}

struct run_state {
	struct error first;                      /* the first failure, for the return */
	struct error down[NOTIFY_CHANNEL_COUNT]; /* a server found unusable this run */
};

/*
 * Record, then send: the row is claimed (inserted with its audit entry,
 * committed) before the message goes out, and deleted again, with a
 * notify.failed entry, when the send fails.  So a reminder is never sent
 * twice, even by two runs at once (the second claim finds the row and
 * skips).  A crash between the claim and the send loses that one reminder:
 * it is recorded as sent but never went out; the later kinds (overdue,
 * escalation) still go.  Sending first would instead send it again after
 * such a crash.
 */
static void send_one(struct ctx *ctx, const struct notify_options *o, struct planned *p,
                     struct notify_report *out, struct run_state *s)
{
	struct notify_reminder *r = &p->r;
	const char *why = p->skip ? p->skip : unsendable(r, p->recipient_id);
	if (why) {
		r->outcome = NOTIFY_SKIPPED;
		r->why = why;
		out->skipped++;
		return;
	}
	if (o->dry_run) {
		r->outcome = NOTIFY_WOULD_SEND;
		out->would_send++;
		return;
	}
	struct error e = {0};
	if (s->down[r->channel].code) {
		/* Waiting on the same server again would only delay the run. */
		r->outcome = NOTIFY_FAILED;
		r->why = r->channel == NOTIFY_EMAIL
		                 ? "not attempted: the SMTP server failed earlier in this run"
		                 : "not attempted: the chat webhook failed earlier in this run";
		out->failed++;
		return;
	}
	int64_t id = 0;
	bool stale = false;
	/* What is due follows --as-of (business time); sent_at records when it
	 * went out, by the system clock. */
	int64_t was_recipient = 0, was_sent_at = 0;
	struct claim_args claim = {
	        o,   r,      p->recipient_id, p->owner_id, p->owner_since, ts_clock_ms(),
	        &id, &stale, &was_recipient,  &was_sent_at};
	int rc = ctx_run(ctx, OP_NOTIFY, claim_body, &claim, &e);
	if (rc == 0 && stale) {
		r->outcome = NOTIFY_SKIPPED;
		r->why = "no longer pending: done or changed since notify read what is due";
		out->skipped++;
		return;
	}
	if (rc == 0 && !id) {
		/* Another run recorded it between our read and now: it is theirs. */
		r->outcome = NOTIFY_SKIPPED;
		r->why = "recorded by another notify run";
		out->skipped++;
		return;
	}
	if (rc == 0) {
		r->reminder_id = id;
		rc = deliver(ctx, o, r, &e);
		if (rc == ERR_IO)
			s->down[r->channel] = e;
		if (rc < 0) {
			struct error release_err = {0};
			struct release_args rel = {r,
			                           id,
			                           failure_text(ctx, &e),
			                           was_recipient,
			                           was_sent_at,
			                           p->recipient_id,
			                           claim.sent_at};
			if (ctx_run(ctx, OP_NOTIFY, release_body, &rel, &release_err) < 0)
				err_detail(&e, "and the reminder stays recorded as sent: %s",
				           release_err.message);
			r->reminder_id = 0;
		}
	}
	if (rc < 0) {
		r->outcome = NOTIFY_FAILED;
		r->why = failure_text(ctx, &e);
		out->failed++;
		if (!s->first.code)
			s->first = e;
		return;
	}
	r->outcome = NOTIFY_SENT;
	out->sent++;
}

static int check_options(const struct notify_options *o, struct error *err)
{
	if (!o->smtp && !o->chat) {
		err_set(err, ERR_USAGE, "no way to send reminders");
		err_hint(err, "give --smtp-url and --from for email, --chat-webhook-env for a "
		              "chat, or both");
		return ERR_USAGE;
	}
	if (o->due_within_days < 0 || o->due_within_days > NOTIFY_DAYS_MAX || o->grace_days < 0 ||
	    o->grace_days > NOTIFY_DAYS_MAX)
		return err_set(err, ERR_USAGE, "day counts go from 0 to %d", NOTIFY_DAYS_MAX);
	int rc = 0;
	if (o->smtp && (rc = mail_smtp_check(o->smtp, err)) < 0)
		return rc;
	if (o->chat && (rc = mail_chat_check(o->chat, err)) < 0)
		return rc;
	return 0;
}

int notify_run(struct ctx *ctx, const struct notify_options *o, struct notify_report *out,
               struct error *err)
{
	memset(out, 0, sizeof *out);
	out->as_of = o->as_of;
	out->dry_run = o->dry_run;
	int rc = check_options(o, err);
	struct plan plan = {0};
	struct plan_args pa = {o, out, &plan};
	if (rc == 0)
		rc = ctx_run(ctx, OP_NOTIFY, plan_body, &pa, err);
	if (rc < 0)
		return rc;
	struct run_state state = {0};
	size_t alloc = 0;
	for (size_t i = 0; i < plan.n; i++) {
		if (o->stop && o->stop(o->stop_data)) {
			out->stopped = true;
			break;
		}
		struct planned *p = &plan.items[i];
		send_one(ctx, o, p, out, &state);
		out->reminders = arena_grow(ctx->arena, out->reminders, out->n, &alloc,
		                            sizeof *out->reminders);
		out->reminders[out->n++] = p->r;
	}
	if (out->failed) {
		err_set(err, ERR_FAILED, "%d of %d %s could not be sent", out->failed,
		        out->failed + out->sent,
		        out->failed + out->sent == 1 ? "reminder" : "reminders");
		err_detail(err, "first: %s", failure_text(ctx, &state.first));
		err_hint(err, "%s",
		         state.first.hint[0] ? state.first.hint
		                             : "they are not recorded: the next run sends "
		                               "them again");
		return ERR_FAILED;
	}
	return 0;
}
