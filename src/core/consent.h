/*
 * consent: the tracking mechanisms the policy in force declares, the
 * works-council or leadership approvals some of them need before they run
 * (mechanism_approvals), each person's consent records (consents: granted
 * or withdrawn, newest row wins, history kept), and the gate ingestion asks
 * whether to store a record, skip it or store it pseudonymized.
 *
 * Who may: anyone reads the mechanism registry; admins and people partners
 * record approvals; a person records their own consent, a people partner
 * the consent of people in their org units, an admin anyone's.
 * Everything returned lives in ctx->arena.
 */
#ifndef PLUMB_CONSENT_H
#define PLUMB_CONSENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "core/policy.h"

struct ctx;
struct jw;

struct mechanism_approval_row {
	int64_t id;
	const char *mechanism, *country; /* country "" : company-wide */
	const char *body;                /* works-council, leadership */
	const char *reference, *recorded_by;
	int64_t approved_at, revoked_at; /* revoked_at 0: in force */
};

/* A mechanism's state for the company default (country "") or one country
 * whose policy overrides the approval it needs. */
struct mechanism_country_state {
	const char *country;
	enum policy_approval approval;           /* what the policy demands there */
	const struct mechanism_approval_row *by; /* the approval in force, or NULL */
	const char *state;                       /* running, waiting, disabled, prohibited */
};

struct mechanism_info {
	const struct policy_mechanism *m;
	struct mechanism_country_state company;
	struct mechanism_country_state *countries; /* where the policy overrides */
	size_t ncountries;
	const char *state_text; /* "waiting for works-council approval (DE)" */
};

/* Operation mechanism.list: every mechanism of the policy in force, in the
 * policy's order, with its effective state.  *policy_version is 0 when no
 * policy was imported (then there are no mechanisms). */
int mechanism_list(struct ctx *ctx, int *policy_version, struct mechanism_info **out, size_t *n,
                   struct error *err);

/* Operation mechanism.approve: record that body approved mechanism key for
 * country (NULL or "": company-wide), citing reference (the minutes or
 * agreement).  ERR_POLICY (acceptable-use rule prohibited-mechanism, audited) for a prohibited
 * mechanism; ERR_NOT_FOUND for a key the policy does not declare;
 * ERR_CONFLICT when the same approval is in force already. */
int mechanism_approve(struct ctx *ctx, const char *key, const char *body, const char *country,
                      const char *reference, struct mechanism_approval_row *out, struct error *err);
/* Operation mechanism.revoke-approval: end the approval in force for key,
 * body and country; *revoked gets how many (ERR_NOT_FOUND when none). */
int mechanism_revoke_approval(struct ctx *ctx, const char *key, const char *body,
                              const char *country, const char *reference, int64_t *revoked,
                              struct error *err);

/* SQL: the note of the consents row aliased c, NULL when none was given
 * (stored as ''). */
#define CONSENT_NOTE "NULLIF(c.note, '')"

struct consent_record {
	int64_t id;
	const char *employee_id, *mechanism;
	const char *state; /* granted, withdrawn */
	int64_t at;
	const char *recorded_by, *note; /* note: NULL when none */
	bool current;                   /* the newest row of its person and mechanism */
};

struct consent_change {
	struct consent_record record;
	/* A withdrawal where the mechanism's on_withdrawal is delete: what
	 * went with it (in the same transaction), and how many events a legal
	 * hold (on the person, or on the events category) kept instead. */
	bool deleted_data;
	int64_t events_deleted, versions_deleted, lineage_deleted;
	/* Earlier versions of others' events (a deployment another person
	 * finished) that named the person: kept, naming no one, but for those
	 * a legal hold on the event's person keeps as they are. */
	int64_t versions_anonymized, versions_held_kept;
	int64_t held_kept;
	/* The actor may not know of the holds concerned (holds_visible_tx: the
	 * person themselves, a people partner outside some event's person):
	 * held_kept and versions_held_kept are not to be shown them.  Decided
	 * whether or not a hold kept anything. */
	bool holds_hidden;
};

/* Operations consent.grant and consent.withdraw (grant false): record a
 * grant or a withdrawal for employee_id (NULL: the acting user's own
 * person).  ERR_POLICY (acceptable-use rule prohibited-mechanism, audited) for a prohibited
 * mechanism; ERR_DENIED outside the actor's scope. */
int consent_set(struct ctx *ctx, const char *employee_id, const char *mechanism, bool grant,
                const char *note, struct consent_change *out, struct error *err);

/* Operation consent.list: the consent history of employee_id (NULL: of
 * everyone the actor may see), newest first per person and mechanism.  An
 * audited read. */
int consent_list(struct ctx *ctx, const char *employee_id, struct consent_record **out, size_t *n,
                 struct error *err);

/* ---- the gate ingestion asks ------------------------------------------------ */

enum consent_verdict {
	CONSENT_STORE,       /* as before governance */
	CONSENT_SKIP,        /* not stored */
	CONSENT_PSEUDONYMIZE /* stored without the person: account pseudonymized */
};

struct consent_decision {
	enum consent_verdict verdict;
	const char *mechanism; /* NULL when no mechanism covers the kind */
	const char *reason;    /* "not enabled", "no consent", ...; NULL when stored */
};

/* What the gate knows about the record's account. */
enum consent_subject {
	CONSENT_NOBODY,    /* the record names no account */
	CONSENT_BOT,       /* an automation account: not a person */
	CONSENT_UNMATCHED, /* an account matched to no person yet: held pseudonymized */
	CONSENT_PERSON     /* a person */
};

struct consent_gate;

/* The gate for the policy in force, read in the caller's transaction; NULL
 * (and 0) when the policy declares no mechanisms: then everything is
 * stored as before governance.  Lives in ctx->arena. */
int consent_gate_open(struct ctx *ctx, struct consent_gate **out, struct error *err);
/* Decide for one record of event kind.  person_id and country matter for
 * CONSENT_PERSON only. */
int consent_gate_decide(struct consent_gate *g, const char *kind, enum consent_subject who,
                        int64_t person_id, const char *country, struct consent_decision *out,
                        struct error *err);

/* The same for one mechanism of the gate's policy (what it would decide
 * for any record the mechanism covers): plumb me asks it for the person. */
int consent_gate_decide_mechanism(struct consent_gate *g, const struct policy_mechanism *m,
                                  enum consent_subject who, int64_t person_id, const char *country,
                                  struct consent_decision *out, struct error *err);

/* After the account system/login (system "email": an address) was linked
 * to person_id, inside the caller's write transaction: the events held
 * pseudonymized for that account (under every key generation) get their
 * account back and the person, or are deleted when the person's consent or
 * the mechanism's approval for their country is missing and the policy says
 * skip (noted withheld naming which: "held account resolved without
 * consent", "... without works-council approval (DE)"); those whose policy
 * says pseudonymize stay held, and so do those a
 * legal hold keeps from deletion as it keeps them from a withdrawal (on the
 * person, on events, on a metric value or evaluation citing one; counted
 * held_kept).  A mechanism that refuses everyone (not enabled, prohibited,
 * no company-wide approval) deletes none and decides nothing of the person,
 * as consent_gate_reattributed_tx has it: they stay held where the person
 * has not given a consent it requires, and are theirs where they have.
 * Audited with counts when anything changed or a hold kept events. */
int consent_resolve_held_tx(struct ctx *ctx, const char *system, const char *login,
                            int64_t person_id, int64_t *resolved, int64_t *dropped,
                            struct error *err);

/* The inverse, inside the caller's write transaction: events ids[0..n)
 * whose account a link no longer gives anyone (an unlink, a primary email
 * changed) are held as ingestion holds an unmatched account's records,
 * where the policy governs their kind: the account becomes a pseudonym
 * under the newest key, and the event and its earlier versions lose the
 * email, name, branch (not a deployment's) and attributes that name
 * people.  The pseudonym is system/login's, the account unlinked (system
 * "email": an address), so that linking it again resolves them; with
 * system NULL, each event's own account's, as ingestion keys it.  None is
 * deleted.  Events of an ungoverned kind, of no account, of a bot or held
 * already stay as they are, and so do all under a legal hold on the events
 * category.  *held counts the events held. */
int consent_hold_unmatched_tx(struct ctx *ctx, const char *system, const char *login,
                              const int64_t *ids, size_t n, int64_t *held, struct error *err);

/* An account put on source source_id's bot list, inside the caller's
 * write transaction: the source's events held pseudonymized under login
 * (under every key generation, as an account of system or as an email
 * address) and attributed to nobody are a bot's, stored as ingestion
 * stores a bot's records: marked, with the login back (a GitHub login in
 * lower case).  *marked counts them. */
int consent_resolve_held_bot_tx(struct ctx *ctx, int64_t source_id, const char *system,
                                const char *login, int64_t *marked, struct error *err);

/* An event a change of identities (identity link or unlink, org import,
 * person merge) has just attributed to person_id. */
struct consent_reattributed {
	int64_t id, person_id; /* person_id 0: to nobody, not gated */
	const char *kind;
};

/* What the gate kept back of them from their new person. */
struct consent_kept_back {
	int64_t deleted;       /* the policy says skip: deleted, noted withheld */
	int64_t pseudonymized; /* it says pseudonymize: held under their account's pseudonym */
	int64_t hold_kept;     /* a legal hold kept from either: attributed to no one */
	/* Of deleted and hold_kept, those kept back for want of the approval
	 * their country names for the mechanism (a works council's), not of
	 * their consent: a missing approval always skips. */
	int64_t deleted_no_approval, hold_kept_no_approval;
};

/* Inside the caller's write transaction, right after re-attribution gave
 * events ev[0..n) their person: the gate ingestion applies (g, opened in
 * that transaction; NULL: no policy, nothing kept back) decides each for
 * that person, so that a change of identities does not give a person
 * events stored as a bot's, an unmatched account's or someone else's
 * without a consent (or their country's approval) the policy requires.
 * Where ingestion would skip the record it is deleted (as a withdrawal
 * deletes, noted withheld); where it would pseudonymize it, the event is
 * held under its account's pseudonym.  A legal hold that would keep it
 * from a withdrawal (on the person, on events, on a metric value or
 * evaluation citing it) leaves it attributed to no one instead.  What the
 * mechanism decides for everyone (not enabled, prohibited, no company-wide
 * approval) deletes nothing: it concerns everyone's stored events alike;
 * but it does not stand in for the person's consent: one who has not given
 * a consent it requires does not get the event, which is held pseudonymized
 * as consent_resolve_held_tx keeps held ones; one who has gets it.  An
 * event that names an address alone is held under the address's pseudonym.
 * The approval of a person
 * whose country names its own is theirs.  Deleted events are noted withheld
 * naming what the person lacked ("re-attributed without consent", "...
 * without works-council approval (DE)").  The caller's audit entry counts
 * what *out says. */
int consent_gate_reattributed_tx(struct consent_gate *g, const struct consent_reattributed *ev,
                                 size_t n, struct consent_kept_back *out, struct error *err);
/* Whether k kept anything back: deleted, held pseudonymized or left to no
 * one under a hold. */
bool consent_kept_back_any(const struct consent_kept_back *k);
/* Add k's counts to *sum. */
void consent_kept_back_add(struct consent_kept_back *sum, const struct consent_kept_back *k);
/* Write k into an open JSON object, when any count is not 0 (an audit
 * entry's detail says nothing of a gate that kept nothing back), by cause:
 * events_deleted_no_consent and events_held_no_consent for want of the
 * person's consent, events_deleted_no_approval for want of their country's
 * approval, and events_kept_by_hold those a legal hold kept from either. */
void consent_kept_back_json(struct jw *w, const struct consent_kept_back *k);

/* Whether any event is held pseudonymized (so an import of new identities
 * needs to resolve them at all). */
int consent_any_held_tx(struct ctx *ctx, bool *any, struct error *err);

/* What an evaluation's evidence says of an event deleted for want of
 * consent: by its person's withdrawal, by resolving its held account to a
 * person without it (consent_resolve_held_tx), by a change of identities
 * giving it such a person (consent_gate_reattributed_tx). */
#define CONSENT_WITHDRAWN_TITLE "(removed when its person withdrew consent)"
#define CONSENT_RESOLVED_TITLE                                                                     \
	"(removed when its held account was matched to a person without a consent or approval "    \
	"the policy requires)"
#define CONSENT_REATTRIBUTED_TITLE                                                                 \
	"(removed when it was re-attributed to a person without a consent or approval the "        \
	"policy requires)"
/* Delete events (with their versions, lineage and deploy change rows) by
 * id, inside the caller's write transaction, noting each as withheld for
 * reason; evidence that cited one loses its time and gets title instead of
 * the event's; counts in the outputs. */
int consent_delete_events_tx(struct ctx *ctx, const int64_t *ids, size_t n, const char *reason,
                             const char *title, int64_t *versions, int64_t *lineage,
                             struct error *err);

/* Withheld records: what governance kept out of events or removed, known
 * by a keyed hash of (kind, external id) under the pseudonym key, never by
 * the record itself, so reconcile can tell them from records ingestion
 * lost.  Note one inside the caller's write transaction (run_id 0: none). */
int consent_note_withheld_tx(struct ctx *ctx, int64_t source_id, const char *kind,
                             const char *external_id, const char *reason, int64_t run_id,
                             struct error *err);
/* Whether a record of source_id was withheld (under any key generation);
 * removed_only: removed from events by a withdrawal (noted without a run),
 * not kept out by an ingest. */
int consent_withheld(struct ctx *ctx, int64_t source_id, const char *kind, const char *external_id,
                     bool removed_only, bool *withheld, struct error *err);

#endif
