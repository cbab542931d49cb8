/*
 * identities: fixing by hand which person an account in another system
 * belongs to (the org import sets them from the HRIS file; connectors will
 * list the accounts they could not match).  Systems: github, jira,
 * pagerduty, jenkins, deploy, email.  Both operations are audited writes,
 * and both re-attribute the account's events in the same transaction.
 */
#ifndef PLUMB_IDENTITIES_H
#define PLUMB_IDENTITIES_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"
#include "core/consent.h"

struct arena;
struct ctx;

/* The blanks utf8_blank_len knows, in UTF-8: the space, U+00A0, U+1680,
 * U+180E, U+2000 to U+200D, U+202F, U+205F, U+2060, U+3000 and U+FEFF. */
#define IDENTITY_BLANKS                                                                            \
	" \xc2\xa0\xe1\x9a\x80\xe1\xa0\x8e\xe2\x80\x80\xe2\x80\x81\xe2\x80\x82\xe2\x80\x83"        \
	"\xe2\x80\x84\xe2\x80\x85\xe2\x80\x86\xe2\x80\x87\xe2\x80\x88\xe2\x80\x89\xe2\x80\x8a"     \
	"\xe2\x80\x8b\xe2\x80\x8c\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\x9f\xe2\x81\xa0\xe3\x80\x80"     \
	"\xef\xbb\xbf"
/* The identity an account (events.account) is with blanks after it
 * (IDENTITY_BLANKS), as SQL subqueries, each followed by a comma: one
 * for the systems compared exactly (IDENTITY_TRIMMED_RANGE), one
 * for GitHub's lower case (IDENTITY_TRIMMED_RANGE_GITHUB).  Each reads two
 * ranges of an index, the logins that are the account and then a
 * character from FIRST to before PAST: a space, then U+00A0 to U+FEFF
 * (U+10FFFF: above every character).  Not every login starting with the
 * account (an unmatched actor "gh-" beside 20,000 "gh-N" logins read them
 * all per event), nor two ranges ORed (SQLite's planner then read every
 * identity of the system in an UPDATE): rows of a UNION ALL, one range
 * each, of which the lowest person id is taken, as of two spellings of a
 * GitHub login ("ng " and "ng" and U+00A0 of two people went to the
 * space's, found in session 52). */
#define IDENTITY_TRIMMED_RANGE(first, past)                                                        \
	"SELECT i.person_id FROM identities i WHERE events.account_system <> 'github' AND "        \
	"i.system = events.account_system AND i.login >= events.account || '" first "' AND "       \
	"i.login < events.account || '" past "' AND rtrim(i.login, '" IDENTITY_BLANKS              \
	"') = events.account"
#define IDENTITY_TRIMMED_RANGE_GITHUB(first, past)                                                 \
	"SELECT i.person_id FROM identities i WHERE events.account_system = 'github' AND "         \
	"i.system || '' = 'github' AND lower(i.login) >= lower(events.account) || '" first         \
	"' AND lower(i.login) < lower(events.account) || '" past                                   \
	"' AND rtrim(lower(i.login), '" IDENTITY_BLANKS "') = lower(events.account)"
#define IDENTITY_TRIMMED_OF_EVENT(range)                                                           \
	"(SELECT MIN(t.person_id) FROM (" range(" ", "!") " UNION ALL " range(                     \
	        "\xc2\xa0", "\xef\xbb\xbf\xf4\x8f\xbf\xbf") ") t), "
/* The person behind an event's account, as an SQL expression over the
 * columns of `events` (account_system, account, account_email, stored
 * lower case where the system is case-blind): the account itself, then
 * its email as an identity, then as someone's primary address.  Shaped
 * for the lower() indexes, which SQLite uses only so: both sides of each
 * case-blind comparison are lower() expressions (a column on one side
 * would lend it an affinity the index lacks, and a scan follows), and
 * `i.system || ''` keeps the planner off the primary key's (system, login)
 * prefix: every GitHub identity per event otherwise.  An account an earlier
 * plumb linked with blanks after it (IDENTITY_BLANKS: "Ng, Alice" and a
 * no-break space) is the account ingestion now reads without them
 * (pj_account_trimmed), so it is matched too when no identity is the
 * account exactly: the logins that are the account and then blanks, read
 * by ranges of the index (IDENTITY_TRIMMED_OF_EVENT) and rtrim(), the
 * same on both engines. */
#define IDENTITY_PERSON_OF_EVENT                                                                   \
	"COALESCE("                                                                                \
	"(SELECT i.person_id FROM identities i WHERE events.account_system <> 'github' AND "       \
	"i.system = events.account_system AND i.login = events.account), "                         \
	"(SELECT MIN(i.person_id) FROM identities i WHERE events.account_system = 'github' AND "   \
	"i.system || '' = 'github' AND lower(i.login) = "                                          \
	"lower(events.account)), " IDENTITY_TRIMMED_OF_EVENT(IDENTITY_TRIMMED_RANGE)               \
	        IDENTITY_TRIMMED_OF_EVENT(                                                         \
	                IDENTITY_TRIMMED_RANGE_GITHUB) "(SELECT MIN(i.person_id) FROM identities " \
	                                               "i WHERE i.system || '' = 'email' AND "     \
	                                               "lower(i.login) = "                         \
	                                               "lower(events.account_email)), "            \
	                                               "(SELECT MIN(COALESCE(m.into_person_id, "   \
	                                               "p.id)) FROM people p LEFT JOIN "           \
	                                               "person_merges m "                          \
	                                               "ON m.from_person_id = p.id WHERE "         \
	                                               "lower(p.email) = "                         \
	                                               "lower(events.account_email)))"

/* 0 when system is one of the systems above, else ERR_USAGE naming it
 * and listing them.  Thread-safe (no state). */
int identity_check_system(const char *system, struct error *err);

/* Whether login is an account of system (one of the systems above) that
 * `identity link` takes: one line of UTF-8 without control characters, up
 * to ORG_TEXT_MAX bytes, without spaces (a deploy account: none around it)
 * nor a blank that shows nothing at an end (utf8_blank_len), an address for
 * email.  Ingestion holds accounts to it, so every account it
 * stores can be linked.  Thread-safe (no state). */
bool identity_account_valid(const char *system, const char *login);

/* identity_account_valid, and for github GitHub's rule for its logins
 * (IDENTITY_GITHUB_LOGIN_RULE): what plumb takes where a user enters an
 * account (org import, identity link, a source's --bot).  Ingestion keeps
 * what an API names, which it holds to identity_account_valid only.
 * Thread-safe (no state). */
bool identity_account_entry_valid(const char *system, const char *login);
#define IDENTITY_GITHUB_LOGIN_RULE                                                                 \
	"a GitHub login: letters, digits and single hyphens, not first, at most 39 "               \
	"characters (an app's with [bot] after, an Enterprise Managed User's with _SHORTCODE)"

/* The account as events store it and audit entries name it
 * (identity:SYSTEM:KEY): a GitHub login or an email address with its ASCII
 * letters in lower case (the same account in any case), other systems' ids
 * as given.  Allocated in arena when folded, else login itself.
 * Thread-safe (no state). */
const char *identity_account_key(struct arena *arena, const char *system, const char *login);

/* Link SYSTEM LOGIN to the person; *changed is false when it was already.
 * Either way the account's events whose person the identities now give
 * differs are attributed afresh; *events counts them (a link that changes
 * neither writes nothing), and *kept those the person's consent gate kept
 * back from them (consent_gate_reattributed_tx).  ERR_CONFLICT for an account linked to someone
 * else (unlink it first), a person merged into another (naming whom), or
 * events that would leave a person under a legal hold. */
int identity_link(struct ctx *ctx, const char *system, const char *login, const char *employee_id,
                  bool *changed, int64_t *events, struct consent_kept_back *kept,
                  struct error *err);
/* Remove the link; ERR_NOT_FOUND when there is none, ERR_CONFLICT when its
 * events would leave a person under a legal hold.  *employee_id gets whom
 * it pointed to (ctx->arena); *events counts the events attributed afresh
 * (to nobody, or to whom their email names), *held those of them matched
 * to nobody that the policy holds pseudonymized, as ingestion holds an
 * unmatched account's (consent_hold_unmatched_tx), *kept those kept back
 * from whom their email names (consent_gate_reattributed_tx). */
int identity_unlink(struct ctx *ctx, const char *system, const char *login,
                    const char **employee_id, int64_t *events, int64_t *held,
                    struct consent_kept_back *kept, struct error *err);

/* Inside the caller's transaction (the org import's, after it added
 * identities or changed primary emails): every event whose stored person
 * is not the one IDENTITY_PERSON_OF_EVENT gives now is attributed afresh,
 * except events of a person under an active legal hold, which stay with
 * them.  *moved counts the events changed, *kept those a hold kept, *held
 * those matched to nobody now that the policy holds pseudonymized,
 * *kept_back those the consent gate of their new person kept back from
 * them (consent_gate_reattributed_tx; its hold_kept are counted in *kept
 * too).  One pass over the events table. */
int identity_reattribute_all_tx(struct ctx *ctx, int64_t *moved, int64_t *kept, int64_t *held,
                                struct consent_kept_back *kept_back, struct error *err);

/* What identity_merge_people did. */
struct identity_merge_result {
	int64_t identities, events;    /* moved to INTO */
	int64_t assignments_declined;  /* review work no longer asked of the one human */
	int64_t cycles_withdrawn;      /* running cycles FROM is no reviewee of any more */
	struct consent_kept_back kept; /* events of FROM's accounts not given to INTO (consent.h) */
};

/* Two people found to be one: FROM's accounts move to INTO, their events
 * are attributed to INTO, and the merge is recorded (person_merges) with
 * its reason; FROM's own org history stays as it was.  In running review
 * cycles the human becomes one reviewee (docs/cli.md, person merge).  An
 * audited write; *out says how much moved and was withdrawn. */
int identity_merge_people(struct ctx *ctx, const char *from, const char *into, const char *reason,
                          struct identity_merge_result *out, struct error *err);

#endif
