/*
 * packet: a promotion packet, readable in five minutes by someone who does
 * not know the person: the target level's expectations beside the evidence
 * for each competency, the three axes (and the composite beside them, if
 * the framework has one), feedback themes within the anonymity rules, the
 * metrics cited with how each is computed, and the manager's case.
 *
 * Written as Markdown or as a self-contained HTML page from one outline, so
 * both say the same.  Readers: the person's managers (the cycle's home
 * manager counts) and people partners over them; each packet is an audited
 * read of the person.  Every metric shown passes the acceptable-use rule
 * incentive-needs-signoff for use in a promotion.  The text returned lives
 * in the ctx's unit arena.
 */
#ifndef PLUMB_PACKET_H
#define PLUMB_PACKET_H

#include <stdint.h>

#include "base/err.h"

struct ctx;

enum packet_format { PACKET_MD, PACKET_HTML };

struct packet_request {
	const char *cycle;        /* name or id */
	const char *person;       /* employee id */
	const char *target_level; /* a level of the cycle's framework */
	enum packet_format format;
};

struct packet {
	const char *text; /* in the ctx's unit arena; NULL on error */
	/* The person's end date when it has passed (the packet's head says so,
	 * and a face warns: a packet for someone gone is most likely a
	 * mistake, though a backfilled cycle may want one), else 0. */
	int64_t left_on;
};

/* Writes req's packet into *out; 0 or a negative error. */
int packet_write(struct ctx *ctx, const struct packet_request *req, struct packet *out,
                 struct error *err);

/* Whether the actor may write a packet for person (an employee id) in cycle
 * (name or id), without writing one, for a face that offers the packet's
 * form: 0, or the refusal packet_write starts with (an unknown id as one
 * outside the actor's scope; ERR_INVALID for someone the cycle does not
 * review; ERR_DENIED for the person, a peer or an admin).  Run as a
 * cycle.status read: refusals are audited, an answer of 0 is not a read of
 * the person.  Whether they wrote in a feedback group is packet_write's to
 * say. */
int packet_check(struct ctx *ctx, const char *cycle, const char *person, struct error *err);

#endif
