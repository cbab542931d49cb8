/*
 * cli: the command-line face.  Each command group file (cli_org.c, ...)
 * exports one struct cli_group whose rows declare a command once: its words,
 * the core operation it runs, its positional arguments and options, and its
 * help.  main.c dispatches on these rows and generates all help from them;
 * nothing here decides permissions or touches SQL (the core does).
 *
 * How to add a command: add an op row in src/core/ops.h, then a row in the
 * group's commands[] naming that op, with its options and handler.
 */
#ifndef PLUMB_CLI_H
#define PLUMB_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "base/err.h"
#include "base/jw.h"
#include "base/sb.h"
#include "core/ops.h"

struct ctx;

#define CLI_MAX_OPTS   24
#define CLI_MAX_VALUES 64

enum cli_opt_flags {
	OPT_VALUE = 1 << 0,    /* takes an argument */
	OPT_REPEAT = 1 << 1,   /* may be given more than once */
	OPT_REQUIRED = 1 << 2, /* must be given */
	/* Goes alone, instead of the positional arguments and the other
	 * options ("service map --file FILE"): help shows it as a usage line
	 * of its own, and giving anything else with it is a usage error. */
	OPT_ALONE = 1 << 3,
	/* Required, but the command checks it itself, for an error of its own
	 * ("a rating change in calibration needs a reason"): help shows it as
	 * OPT_REQUIRED's, and the parser leaves its absence to the command. */
	OPT_REQUIRED_BY_COMMAND = 1 << 4,
};

/* An option's help says what it is; "(required)" and "(repeatable)" are
 * added from its flags, and help shows an OPT_ALONE option's usage, so none
 * of these is written by hand (tests/unit/test_ops.c checks). */

struct cli_opt {
	const char *name; /* without the leading -- */
	const char *arg;  /* argument placeholder, e.g. DATE */
	unsigned flags;
	const char *help;
};

enum cli_cmd_flags {
	CMD_JSON = 1 << 0,      /* read command: supports --json */
	CMD_CSV = 1 << 1,       /* table output: supports --csv */
	CMD_NO_DB = 1 << 2,     /* does not open the database */
	CMD_CREATE_DB = 1 << 3, /* creates the database (init) */
	CMD_DB_FROM = 1 << 4,   /* the database is named by --from, not --db */
};

struct cli_run;

struct cli_command {
	const char *name;     /* "org import" */
	enum op_id op;        /* the operation it runs (its permission and audit decision) */
	const char *synopsis; /* positional arguments, e.g. "FILE" */
	int min_pos, max_pos;
	unsigned flags;
	const struct cli_opt *opts; /* terminated by a row with name NULL */
	int (*run)(struct cli_run *r);
	const char *summary;     /* one line */
	const char *description; /* a paragraph, may be NULL */
};

struct cli_group {
	const char *name;
	const struct cli_command *commands;
	size_t ncommands;
};

/* Global options, accepted anywhere on the command line. */
/* How long a command's write waits for another writer (a large ingest
 * publishing) before it fails busy, exit 75, unless --lock-wait or
 * PLUMB_LOCK_WAIT says otherwise: in seconds, at most CLI_LOCK_WAIT_MAX_S. */
#define CLI_LOCK_WAIT_S     60
#define CLI_LOCK_WAIT_MAX_S 3600

struct cli_global {
	const char *prog; /* how plumb was invoked (argv[0]), for commands to suggest */
	const char *db;
	const char *as;
	const char *audit_key;
	const char *lock_wait; /* as given, checked into lock_wait_s */
	int lock_wait_s;       /* --lock-wait, else $PLUMB_LOCK_WAIT, else CLI_LOCK_WAIT_S */
	bool json, csv, help;
	bool compact; /* --json on one line (the API), not indented */
};

struct cli_run {
	const struct cli_command *cmd;
	struct cli_global *global;
	struct ctx *ctx;  /* NULL for CMD_NO_DB commands */
	const char **pos; /* as many as the command line has */
	int npos;
	const char *values[CLI_MAX_OPTS][CLI_MAX_VALUES];
	int nvalues[CLI_MAX_OPTS];
	struct error err;
	FILE *out;
	/* A command that succeeded but found something (policy check: 1 when
	 * there are violations) sets the exit status here; the API answers
	 * 200 with the report regardless.  A command that fails after writing
	 * its whole report (reconcile's mismatches, audit verify --json on a
	 * chain that does not verify) sets it too: the CLI prints the error
	 * and exits with its status, the API answers 200 with the report. */
	int found_status;
};

/* Option lookups by name (BUG when the command did not declare it). */
const char *cli_opt(struct cli_run *r, const char *name);
int cli_opt_count(struct cli_run *r, const char *name);
const char *cli_opt_at(struct cli_run *r, const char *name, int i);
bool cli_flag(struct cli_run *r, const char *name);
/* Parse an option as a time (RFC 3339 or YYYY-MM-DD); ERR_USAGE names the option. */
int cli_opt_time(struct cli_run *r, const char *name, int64_t *ms, bool *given);
/* Whether text is a positive id: digits only (no sign or space), in range
 * (nothing strtoll would clamp). */
bool cli_parse_id(const char *text, int64_t *id);
/* Whether text starts as a number is written: a digit, or a minus and a
 * digit; strtoll would also skip spaces and take a plus. */
bool cli_number_start(const char *text);
/* Parse an option as an integer within [min, max]: digits, a minus for a
 * negative one, nothing around them. */
int cli_opt_int(struct cli_run *r, const char *name, long long min, long long max, long long *value,
                bool *given);

/* --version N as a version number (0 when not given). */
int cli_opt_version(struct cli_run *r, int *version);
/* A positional version number; ERR_USAGE naming what ("policy", "framework"). */
int cli_parse_version(struct cli_run *r, const char *text, const char *what, int *out);
/* A versioned document's diff (one line per change; --json {from, to, changes}) and its
 * text as imported (--json {yaml}). */
void cli_print_changes(struct cli_run *r, int a, int b, const char **lines, size_t n,
                       const char *what);
void cli_print_yaml(struct cli_run *r, const char *text);

/* Output helpers: a table printed aligned, or as CSV with --csv. */
struct cli_table {
	size_t ncols, nrows, alloc;
	const char *const *headers;
	char **cells; /* nrows * ncols, heap copies */
};
void cli_table_init(struct cli_table *t, const char *const *headers, size_t ncols);
void cli_table_add(struct cli_table *t, ...); /* ncols const char * values (NULL = "") */
/* "plumb: warning: ..." on stderr, its control characters shown as '?'
 * (utf8_put_visible), so a value cannot redraw the screen. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "plumb: note: ...", the same way: what a report left out or assumed. */
void cli_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* While sink is set (NULL ends it), this thread's warnings and notes are
 * appended to it instead, one line each ("warning: ...", "note: ..."): the
 * API answers them with the command's output (server_api.c). */
void cli_gather_warnings(struct sb *sink);
/* One line on out, shown the same way: for lines quoting what an API sent
 * (a repository's name, an error body). */
void cli_print_visible(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_table_print(struct cli_run *r, struct cli_table *t);
/* The same, but a table without rows as text is the line none (there are none, and
 * how to make one) instead of a lone header row; --csv keeps its header, an empty
 * table, as --json has its empty array. */
void cli_table_print_or(struct cli_run *r, struct cli_table *t, const char *none);
void cli_table_release(struct cli_table *t);

/* "1 person", "2 people": the word for n. */
const char *cli_plural(int64_t n, const char *one, const char *many);
/* The fraction v as a percentage with its sign, into buf: as
 * decimal_percent_marked writes it against the nmarks marks[] (never 100%
 * below 1, never on the other side of a target), or "-" without data (!has). */
const char *cli_percent(char *buf, size_t n, double v, bool has, int digits, int decimals,
                        const double *marks, size_t nmarks);

/* Start and finish --json output. */
void cli_json_begin(struct cli_run *r, struct sb *buf, struct jw *w);
void cli_json_end(struct cli_run *r, struct sb *buf);
/* Between the two, for a long listing: writes what buf holds once it holds
 * CLI_JSON_FLUSH bytes, and empties it, so the document is never held whole
 * (a calibration session's agenda, 1.6 KB a person).  Only once nothing can
 * fail any more: what was written stays written. */
#define CLI_JSON_FLUSH ((size_t)1 << 16)
void cli_json_flush(struct cli_run *r, struct sb *buf);

/* Parse a command's arguments (the words after its name) into r; ERR_USAGE
 * names the argument.  Used by main and by the server. */
int cli_parse_args(struct cli_run *r, int argc, char **argv, struct error *err);
/* Run r's handler; the operation it ran must be its row's. */
int cli_run_command(struct cli_run *r, struct error *err);
/* The first command that runs op, or NULL. */
const struct cli_command *cli_command_for_op(enum op_id op);
int cli_usage_error(struct error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_take_value(int argc, char **argv, int *i, const char *eq, const char *name,
                   const char **value, struct error *err);

/* Review helpers shared by cli_evaluation.c and cli_score.c. */
struct evaluation_evidence;
void cli_evidence_json(struct jw *w, const struct evaluation_evidence *e);
/* One line in s (reset first): kind, ref, date, title, a metric's value. */
const char *cli_evidence_text(struct sb *s, const struct evaluation_evidence *e);
/* plumb explain score:CYCLE:EMPLOYEE_ID: the score's arithmetic, as score show
 * prints it (cli_score.c). */
/* The calibration session header fields (id, session, cycle, ...) into an open object. */
struct calsession;
void cli_calsession_header_json(struct jw *w, const struct calsession *s);
/* Statistics helpers shared by calibrate reliability and calibrate agreement
 * (cli_calibrate.c).  cli_three_places: v to three places into buf, 0.000
 * for a rounding error below zero, "undefined" (static) where --json
 * writes null.  cli_icc_json: the key "icc" and the six ICCs with their
 * intervals, or null without a complete design (or without res).
 * cli_icc_text: the same as lines on out, or why there are none. */
struct reliability_result;
const char *cli_three_places(char *buf, size_t size, double v);
void cli_icc_json(struct jw *w, const struct reliability_result *res);
void cli_icc_text(FILE *out, const struct reliability_result *res);
int cli_score_explain(struct cli_run *r, const char *ref);

/* How reminders go out (cli_notify.c): the options `plumb notify` and
 * `plumb serve --notify-every` share, and their parsing into o (smtp and
 * chat are filled and pointed to from o when given). */
/* clang-format off */
#define CLI_NOTIFY_OPTS                                                                            \
	{"smtp-url", "URL", OPT_VALUE,                                                             \
	 "send email through this server: smtp://HOST[:PORT] (STARTTLS when offered) or "          \
	 "smtps://HOST[:PORT]"},                                                                   \
	{"from", "ADDR", OPT_VALUE, "the sender address of reminder emails"},                      \
	{"smtp-user", "USER", OPT_VALUE, "log in to the SMTP server as USER"},                     \
	{"smtp-password-env", "VAR", OPT_VALUE,                                                    \
	 "the environment variable holding the SMTP password"},                                    \
	{"chat-webhook-env", "VAR", OPT_VALUE,                                                     \
	 "post reminders to the chat incoming-webhook URL held in this environment variable"},     \
	{"due-within", "DAYS", OPT_VALUE, "remind reviewers of work due within DAYS (default 2)"}, \
	{"grace", "DAYS", OPT_VALUE,                                                               \
	 "escalate to the reviewer's manager when more than DAYS overdue (default 3)"}
/* clang-format on */
struct notify_options;
struct mail_smtp;
struct mail_chat;
int cli_notify_options(struct cli_run *r, struct notify_options *o, struct mail_smtp *smtp,
                       struct mail_chat *chat);

/* Every group, in help order (cli_groups.c): add a new group there. */
extern const struct cli_group *const cli_groups[];
extern const size_t cli_ngroups;

/* What a command's help shows after its options when it is generated from
 * a table outside the CLI (ingest's formats, from the parsers' own), by
 * command name (cli_groups.c; test_ops.c checks each names a command). */
struct cli_help_more {
	const char *command;
	void (*print)(FILE *out);
};
extern const struct cli_help_more cli_help_more[];
extern const size_t cli_nhelp_more;
/* Where a run's or a delivery's records went, as parts that add up to them:
 * "3 new, 0 updated, 0 unchanged, 1 merged within the run", and ", 2
 * skipped by policy" when the policy kept some out.  (The pseudonymized are
 * stored, so in the first three.) */
struct cli_outcomes {
	int64_t inserted, updated, unchanged, merged, skipped;
	const char *within; /* "run", "delivery" */
};
void cli_print_outcomes(struct cli_run *r, const struct cli_outcomes *o);
/* ingest's formats, one a line: name, source kind, what one document is. */
void cli_ingest_formats_help(FILE *out);

extern const struct cli_group cli_group_db;
extern const struct cli_group cli_group_org;
extern const struct cli_group cli_group_user;
extern const struct cli_group cli_group_token;
extern const struct cli_group cli_group_serve;
extern const struct cli_group cli_group_source;
extern const struct cli_group cli_group_audit;
extern const struct cli_group cli_group_ingest;
extern const struct cli_group cli_group_measure;
extern const struct cli_group cli_group_slo;
extern const struct cli_group cli_group_metrics;
extern const struct cli_group cli_group_dashboard;
extern const struct cli_group cli_group_webhook;
extern const struct cli_group cli_group_policy;
extern const struct cli_group cli_group_me;
extern const struct cli_group cli_group_framework;
extern const struct cli_group cli_group_cycle;
extern const struct cli_group cli_group_calendar;
extern const struct cli_group cli_group_evaluation;
extern const struct cli_group cli_group_score;
extern const struct cli_group cli_group_feedback;
extern const struct cli_group cli_group_packet;
extern const struct cli_group cli_group_calsession;
extern const struct cli_group cli_group_mechanism;
extern const struct cli_group cli_group_consent;
extern const struct cli_group cli_group_key;
extern const struct cli_group cli_group_demographics;
extern const struct cli_group cli_group_aup;
extern const struct cli_group cli_group_signoff;
extern const struct cli_group cli_group_retention;
extern const struct cli_group cli_group_hold;
extern const struct cli_group cli_group_notify;
extern const struct cli_group cli_group_calibrate;

#endif
