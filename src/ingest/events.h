/*
 * events: reading the normalized event history (`events list`) and the
 * source accounts it could not attribute (`identity unmatched`).  Person
 * attribution is shown only for people the actor may see (authz); for
 * others person, account and attrs are null.  Results live in ctx->arena.
 */
#ifndef PLUMB_EVENTS_H
#define PLUMB_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "ingest/event.h"

struct ctx;

struct events_filter {
	enum event_kind kind;
	const char *source;  /* NULL: all */
	const char *service; /* NULL: all */
	int64_t since, until;
	bool has_since, has_until;
	int64_t limit; /* 0: no limit */
};

struct event_row {
	int64_t id; /* plumb's own, as evaluation evidence and calibration changes cite it */
	const char *kind, *source, *external_id, *service, *team, *person;
	const char *account_system, *account;
	bool bot;
	int64_t occurred_at, ended_at, updated_at;
	bool has_ended, has_updated;
	const char *status, *environment, *sha, *ref, *number, *title, *url, *parent_id;
	/* A JSON object, written afresh; NULL when hidden, none is stored, or
	 * what is stored is no JSON object (attrs_unreadable: a warning's
	 * matter, never the output's). */
	const char *attrs;
	bool attrs_unreadable;
	int64_t version, raw_id;
};

/* Oldest first; *total is how many match without the limit. */
int events_list(struct ctx *ctx, const struct events_filter *f, struct event_row **out, size_t *n,
                int64_t *total, struct error *err);

struct unmatched_account {
	const char *system, *login, *name, *email;
	bool bot;
	int64_t events, first, last;
};

/* Accounts with events and no person, most events first; bots only when
 * with_bots. */
int identity_unmatched(struct ctx *ctx, bool with_bots, struct unmatched_account **out, size_t *n,
                       struct error *err);

#endif
