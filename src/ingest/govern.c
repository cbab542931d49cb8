/* govern: the consent gate applied to an ingest run's staged rows (see govern.h). */
#include "ingest/govern.h"

#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "core/consent.h"
#include "core/ctx.h"
#include "core/identities.h"
#include "core/mask.h"
#include "core/pseudonym.h"
#include "ingest/event.h"
#include "store/store.h"

/* Each staged row with the person its account names (as publishing will
 * attribute it, through publish_accounts) and their country.  What only a
 * governed row needs is read for it alone (load_detail): a million rows
 * the policy stores as they are cost no attributes read twice. */
static const char sql_staged[] =
        "SELECT events.seq, events.kind, events.account_system, events.account, "
        "events.account_email, events.is_bot, pa.person_id, p.country FROM ingest_staging "
        "events LEFT JOIN publish_accounts pa ON (pa.system_k, pa.login_k, pa.email_k) = "
        "(" ACCOUNT_KEYS ") LEFT JOIN people p ON p.id = pa.person_id WHERE events.run_id = ?1 "
        "ORDER BY events.seq";

/* The row's key and attributes, and the stored record's account when the
 * record is stored already, and whether it is stored without a person,
 * email or name (as pseudonymizing leaves it). */
static const char sql_detail[] =
        "SELECT s.external_id, s.attrs, (SELECT COUNT(*) FROM events e WHERE e.source_id = ?3 "
        "AND e.kind = s.kind AND e.external_id = s.external_id), (SELECT e.account FROM events "
        "e WHERE e.source_id = ?3 AND e.kind = s.kind AND e.external_id = s.external_id), "
        "(SELECT COUNT(*) FROM events e WHERE e.source_id = ?3 AND e.kind = s.kind AND "
        "e.external_id = s.external_id AND e.person_id IS NULL AND e.account_email IS NULL AND "
        "e.account_name IS NULL) FROM ingest_staging s WHERE s.run_id = ?1 AND s.seq = ?2";

struct staged {
	int64_t seq;
	const char *kind, *account_system, *account, *email;
	bool bot, stored, stored_nameless;
	int64_t person_id;
	const char *country, *stored_account, *external_id, *attrs;
};

static void tally(struct ingest_counts *k, const struct consent_decision *d, bool skipped)
{
	struct ingest_governed *g = NULL;
	for (size_t i = 0; i < k->ngoverned && !g; i++)
		if (strcmp(k->governed[i].mechanism, d->mechanism) == 0 &&
		    strcmp(k->governed[i].reason, d->reason) == 0)
			g = &k->governed[i];
	if (!g && k->ngoverned < INGEST_GOVERNED_MAX) {
		g = &k->governed[k->ngoverned++];
		memset(g, 0, sizeof *g);
		snprintf(g->mechanism, sizeof g->mechanism, "%s", d->mechanism);
		snprintf(g->reason, sizeof g->reason, "%s", d->reason);
	}
	if (!g)
		g = &k->governed[INGEST_GOVERNED_MAX - 1];
	if (skipped) {
		g->skipped++;
		k->skipped++;
	} else {
		g->pseudonymized++;
		k->pseudonymized++;
	}
}

/* The kind's static name: a million rows name a handful of kinds. */
static const char *kind_name(const char *text, struct arena *a)
{
	enum event_kind k;
	struct error ignored = {0};
	return event_kind_parse(text, &k, &ignored) == 0 ? event_kind_name(k)
	                                                 : arena_strdup(a, text);
}

static int load_staged(struct ctx *ctx, int64_t run_id, struct staged **out, size_t *n,
                       struct error *err)
{
	*out = NULL;
	*n = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql_staged, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	size_t alloc = 0;
	struct arena *a = ctx->arena;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		*out = arena_grow(a, *out, *n, &alloc, sizeof **out);
		struct staged *s = &(*out)[(*n)++];
		memset(s, 0, sizeof *s);
		s->seq = stmt_int(st, 0);
		s->kind = kind_name(stmt_text(st, 1), a);
		s->account_system = stmt_text_dup(st, 2, a);
		s->account = stmt_text_dup(st, 3, a);
		s->email = stmt_text_dup(st, 4, a);
		s->bot = stmt_int(st, 5) != 0;
		s->person_id = stmt_is_null(st, 6) ? 0 : stmt_int(st, 6);
		s->country = stmt_text_dup(st, 7, a);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int load_detail(struct ctx *ctx, int64_t run_id, int64_t source_id, struct staged *s,
                       struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql_detail, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, s->seq);
	stmt_bind_int(st, 3, source_id);
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		s->external_id = stmt_text_dup(st, 0, ctx->arena);
		s->attrs = stmt_text_dup(st, 1, ctx->arena);
		s->stored = stmt_int(st, 2) > 0;
		s->stored_account = stmt_text_dup(st, 3, ctx->arena);
		s->stored_nameless = stmt_int(st, 4) > 0;
	} else if (rc == STORE_DONE) {
		rc = err_set(err, ERR_FAILED, "staged row %lld of run %lld is gone",
		             (long long)s->seq, (long long)run_id);
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int exec_seq(struct ctx *ctx, const char *sql, int64_t run_id, int64_t seq, const char *text,
                    struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql, &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, seq);
	if (text)
		stmt_bind_text(st, 3, text);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A pseudonymized record keeps no one's name: its account becomes the
 * pseudonym and its attributes lose the keys that name people (a Jira
 * issue's reporter and transition authors, a build's commit authors).  An
 * account known only by its email is held as the email account the
 * pseudonym stands for (system email), as identity unmatched and events
 * list name it unheld, not as an account of the source's system. */
static int pseudonymize_staged(struct ctx *ctx, int64_t run_id, const struct staged *s,
                               const char *pseudo, const char *system, struct error *err)
{
	struct store_stmt *st;
	/* The branch name too, which often carries its author's login
	 * (alice/fix-login; found in review), but a deployment's, which says
	 * what was deployed, as retention's anonymize keeps it. */
	int rc = store_prepare(ctx->store,
	                       "UPDATE ingest_staging SET account = ?3, account_email = NULL, "
	                       "account_name = NULL, attrs = ?4, account_system = ?5, ref = CASE "
	                       "WHEN kind = 'deployment' THEN ref END WHERE run_id = ?1 AND seq = "
	                       "?2",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, run_id);
	stmt_bind_int(st, 2, s->seq);
	stmt_bind_text(st, 3, pseudo);
	stmt_bind_text(st, 4, mask_attrs_strip_people(ctx->arena, s->attrs));
	stmt_bind_text(st, 5, system);
	rc = stmt_step(st, err);
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* A record stored pseudonymized under an older key generation keeps the
 * pseudonym it was stored with (held accounts remember their generation):
 * after a key rotation the newest key's pseudonym differs from the stored
 * one, and the record was counted as one stored with its account, skipped,
 * its updates lost.  So does one held under its email's pseudonym while it
 * also names a login (an email unlinked by hand, which a link of the email
 * resolves: found in review, the next ingest moved it under the login's).
 * pseudo (and *system) become the stored pseudonym (and its system) when it
 * is this account's, or this email's, under the generation it names. */
static int stored_generation(struct ctx *ctx, const struct staged *s, char pseudo[PSEUDONYM_TEXT],
                             const char **system, struct error *err)
{
	const char *stored = s->stored_account;
	if (!stored || strcmp(stored, pseudo) == 0 || !pseudonym_account_shaped(stored))
		return 0;
	int gen = 0;
	for (const char *c = stored + 1; *c >= '0' && *c <= '9' && gen < 100000; c++)
		gen = gen * 10 + (*c - '0');
	const struct {
		const char *system, *login;
	} keys[] = {{s->account ? s->account_system : "email", s->account ? s->account : s->email},
	            {"email", s->account ? s->email : NULL}};
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < sizeof keys / sizeof keys[0]; k++) {
		char older[PSEUDONYM_TEXT];
		if (!keys[k].login)
			continue;
		rc = pseudonym_account(ctx, gen, keys[k].system, keys[k].login, older, err);
		if (rc == ERR_NOT_FOUND) { /* a generation the ring lacks: not this account's */
			err_clear(err);
			return 0;
		}
		if (rc == 0 && strcasecmp(older, stored) == 0) {
			snprintf(pseudo, PSEUDONYM_TEXT, "%s", stored);
			*system = keys[k].system;
			break;
		}
	}
	return rc;
}

int ingest_govern_tx(struct ctx *ctx, int64_t run_id, int64_t source_id,
                     struct ingest_counts *counts, struct error *err)
{
	counts->skipped = counts->pseudonymized = 0;
	counts->ngoverned = 0;
	struct consent_gate *g;
	int rc = consent_gate_open(ctx, &g, err);
	if (rc < 0 || !g)
		return rc;
	struct staged *rows;
	size_t n;
	if ((rc = load_staged(ctx, run_id, &rows, &n, err)) < 0)
		return rc;
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct staged *s = &rows[i];
		/* A system alone marks a row that names nobody (run.c); an address
		 * alone, without a system (a Jira assignee known by email only),
		 * names someone (found in fix-consent4: such a row was taken for
		 * nobody's and stored as its person's without their consent).  A
		 * bot's account linked to a person stores the row as that person's,
		 * so their consent decides (found hunting: a person's login put on a
		 * source's --bot list was collected without it). */
		enum consent_subject who = !s->account && !s->email ? CONSENT_NOBODY
		                           : s->person_id           ? CONSENT_PERSON
		                           : s->bot                 ? CONSENT_BOT
		                                                    : CONSENT_UNMATCHED;
		struct consent_decision d;
		rc = consent_gate_decide(g, s->kind, who, s->person_id, s->country, &d, err);
		if (rc < 0 || d.verdict == CONSENT_STORE)
			continue;
		if ((rc = load_detail(ctx, run_id, source_id, s, err)) < 0)
			break;
		/* A record a withdrawal removed stays out while consent is
		 * withdrawn, even where the policy collects others pseudonymized:
		 * its number, title and link lead to its author all the same. */
		bool removed = false;
		if (d.verdict == CONSENT_PSEUDONYMIZE && !s->stored &&
		    (rc = consent_withheld(ctx, source_id, s->kind, s->external_id, true, &removed,
		                           err)) < 0)
			break;
		if (removed)
			d.verdict = CONSENT_SKIP;
		char pseudo[PSEUDONYM_TEXT] = "";
		const char *system = s->account ? s->account_system : "email";
		if (d.verdict == CONSENT_PSEUDONYMIZE)
			rc = s->account ? pseudonym_account(ctx, 0, s->account_system, s->account,
			                                    pseudo, err)
			                : pseudonym_account(ctx, 0, "email", s->email, pseudo, err);
		if (rc == 0 && d.verdict == CONSENT_PSEUDONYMIZE && s->stored)
			rc = stored_generation(ctx, s, pseudo, &system, err);
		if (rc < 0)
			break;
		/* A record stored with its account before stays as it was: a
		 * pseudonymized copy would not replace what it names (updates keep
		 * what a snapshot leaves out), so nothing of it is collected now.
		 * One stored pseudonymized names no one, nor does one stored without
		 * an account: its update is stored, under the pseudonym of the
		 * account it now names (found hunting: a held deployment whose actor
		 * changed kept its first status for good; and in the parsers' hunt, a
		 * Jira issue created unassigned, then assigned, every update). */
		bool stored_nameless =
		        s->stored && s->stored_nameless &&
		        (!s->stored_account || pseudonym_account_shaped(s->stored_account));
		bool skip = d.verdict == CONSENT_SKIP ||
		            (s->stored && !stored_nameless &&
		             (!s->stored_account || strcmp(s->stored_account, pseudo)));
		tally(counts, &d, skip);
		if (skip && !s->stored)
			rc = consent_note_withheld_tx(ctx, source_id, s->kind, s->external_id,
			                              d.reason, run_id, err);
		if (skip && rc == 0)
			rc = exec_seq(ctx,
			              "DELETE FROM ingest_staging WHERE run_id = ?1 AND seq = ?2",
			              run_id, s->seq, NULL, err);
		else if (rc == 0)
			rc = pseudonymize_staged(ctx, run_id, s, pseudo, system, err);
	}
	return rc;
}
