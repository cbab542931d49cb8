/*
 * calsession: calibration sessions.  A session looks at one review cycle's
 * members in its population teams (and their subteams): each person's
 * proposed ratings (the newest evaluation when the session was loaded) and
 * axis scores.  Before the session participants mark each person agree,
 * question or no opinion; questioned people come first on the agenda.
 * While the session is open a participant changes a rating with a reason
 * and evidence; the original and every change stay visible.  Closing
 * writes the changed ratings back as evaluation versions with source
 * 'calibration' (evaluation_revise_tx); nobody re-enters anything.  The
 * performance distribution is checked against the session's guidance
 * ranges when it closes, and a departure needs a recorded reason.
 *
 * Who may do what (checked here):
 *   create         admins and people partners whose units cover the population
 *   open, close    the facilitator, or such a people partner
 *   mark           participants and the facilitator, before the session opens
 *   change         participants and the facilitator, while it is open; never
 *                  about themselves
 *   read           participants, the facilitator, people partners over everyone
 * The cycle must be in its calibration phase to open, change and close.
 * Everything returned lives in the ctx's unit arena.
 */
#ifndef PLUMB_CALSESSION_H
#define PLUMB_CALSESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "calibrate/calrater.h"
#include "review/framework.h"

struct ctx;

#define CALSESSION_CURVE_MINIMUM 30 /* people a forced curve needs, at least */
#define CALSESSION_GUIDANCE_MAX  16

/* What a participant says about a person's proposed ratings. */
#define CALSESSION_MARK_TABLE(X)                                                                   \
	X(AGREE, "agree")                                                                          \
	X(QUESTION, "question")                                                                    \
	X(NONE, "none")
#define CALSESSION_MARK_ENUM_(id, name) CALSESSION_MARK_##id,
enum calsession_mark { CALSESSION_MARK_TABLE(CALSESSION_MARK_ENUM_) CALSESSION_MARK_COUNT };
#undef CALSESSION_MARK_ENUM_

/* The edge cases flagged for discussion. */
#define CALSESSION_FLAG_TABLE(X)                                                                   \
	X(HIGH_PERFORMER_LOW_IMPACT, "high-performer-low-impact")                                  \
	X(LOW_VISIBILITY, "low-visibility")                                                        \
	X(RECENCY, "recency-heavy-evidence")                                                       \
	X(MOVED_MORE_THAN_ONE_STEP, "moved-more-than-one-step")                                    \
	X(RATER_FLAGGED, "rater-flagged")
#define CALSESSION_FLAG_ENUM_(id, name) CALSESSION_FLAG_##id,
enum calsession_flag { CALSESSION_FLAG_TABLE(CALSESSION_FLAG_ENUM_) CALSESSION_FLAG_COUNT };
#undef CALSESSION_FLAG_ENUM_
const char *calsession_flag_name(enum calsession_flag f);

/* A guidance range for one rating value: lo..hi percent of the population. */
struct calsession_guidance {
	int rating;
	double lo, hi;
};

struct calsession_create_options {
	const char *name; /* NULL: CYCLE-TEAM */
	const char *cycle;
	const char **teams;
	size_t nteams;
	const char *facilitator;
	const char **participants;
	size_t nparticipants;
	const char **guidance; /* "RATING=LO-HI" (percent); none: the defaults */
	size_t nguidance;
	const char *scheduled; /* YYYY-MM-DD or NULL */
	int curve_minimum;     /* 0: CALSESSION_CURVE_MINIMUM; never below it */
};

struct calsession_create_result {
	int64_t id;
	const char *name;
	int people;
	const char **warnings; /* blackout windows the scheduled day falls in */
	size_t nwarnings;
};

int calsession_create(struct ctx *ctx, const struct calsession_create_options *opt,
                      struct calsession_create_result *out, struct error *err);

struct calsession_mark_row {
	const char *participant;
	enum calsession_mark mark;
	const char *comment;
	int64_t at;
};

struct calsession_rating {
	const char *dimension, *name;
	double original; /* the proposed rating the session started from */
	double current;  /* after the session's changes */
	double stored;   /* the newest evaluation's, as loaded */
	bool recency_flag;
	int nevidence;
	/* The stored rating the room's latest run of changes started from: the
	 * first change's from, or a later change's that took up a re-rating. */
	double changed_from;
	bool changed; /* the session changed it */
};

/* A rating a newer evaluation version holds at neither the rating the
 * room's changes of it started from nor where they left it. */
struct calsession_conflict {
	const char *person, *dimension;
	double stored; /* the newest evaluation version's rating */
	int version;   /* that version */
	double from, to;
};

struct calsession_change {
	int64_t id;
	const char *person, *dimension;
	double from, to;
	const char *reason;
	const char **evidence; /* KIND:REF */
	size_t nevidence;
	const char *by;
	int64_t at;
	/* About the reader's record or one merged into it, in the population
	 * or not: calsession_hide_reader drops it. */
	bool about_reader;
};

/* A change that cannot be written back: one per person and competency,
 * however many changes the room made to it. */
struct calsession_dropped {
	const char *person, *dimension;
	const char *text;  /* "E201 delivery: no longer in the population" */
	bool about_reader; /* as a change's */
};

struct calsession_person {
	int64_t person_id;
	bool is_reader; /* the reader's record, or one person merge folded into it */
	const char *employee_id, *name, *team, *manager, *level, *role_profile, *country;
	bool evaluated;
	int evaluation_version;
	const char *rated_by; /* who wrote the newest manager evaluation */
	struct calsession_rating *ratings;
	size_t nratings;
	bool scored[FW_AXIS_COUNT];
	double axis[FW_AXIS_COUNT]; /* scores of the stored evaluation */
	int performance;  /* the performance score rounded to the scale; CALSESSION_UNRATED unscored
	                   */
	int evidence;     /* evidence items over all ratings */
	double peer_mean; /* peer feedback ratings' mean when shown as a group, else NAN */
	int marks[CALSESSION_MARK_COUNT];
	struct calsession_mark_row *mark_rows;
	size_t nmarks;
	unsigned flags; /* 1 << enum calsession_flag */
	const char *flag_why[CALSESSION_FLAG_COUNT];
};

struct calsession_override {
	const char *kind, *detail, *reason, *by;
	int64_t at;
	bool reason_removed; /* retention anonymized the reason ("" since) */
};

struct calsession {
	int64_t id;
	const char *name, *status; /* draft, open, closed */
	int64_t cycle_id;
	const char *cycle, *cycle_phase;
	const struct framework *fw;
	const struct fw_scale *scale; /* the performance axis's */
	const char *facilitator;
	const char **participants;
	size_t nparticipants;
	const char **teams;
	size_t nteams;
	struct calsession_guidance guidance[CALSESSION_GUIDANCE_MAX];
	size_t nguidance;
	int curve_minimum;
	int64_t scheduled_at, created_at, opened_at, closed_at;
	const char *created_by, *closed_by;
	struct calsession_person *people; /* agenda order: most questioned first */
	size_t npeople;
	/* The reader is in the population and their row was dropped
	 * (calsession_hide_reader): every view's counts and tests are over
	 * npeople of npeople_all, and the faces say so. */
	bool reader_excluded;
	size_t npeople_all;                /* the population, the reader included */
	struct calsession_change *changes; /* oldest first */
	size_t nchanges;
	struct calsession_override *overrides;
	size_t noverrides;
	struct calrater_model raters; /* the cycle's rater effects */
	/* Ratings a newer evaluation version re-rated since the room took them
	 * up: closing refuses while there are any (record the change again to
	 * settle one); status lists them. */
	struct calsession_conflict *conflicts;
	size_t nconflicts;
	/* Changes that cannot be written back (the person left the population,
	 * the newest evaluation no longer rates it): closing reports them. */
	struct calsession_dropped *dropped;
	size_t ndropped;
};

/* Load the session for its readers inside the caller's operation: the
 * people, marks, changes, overrides, rater effects and flags.  A reader
 * who is in the population does not see their own row, marks or changes:
 * their calibration is not theirs to read before delivery.  An audited
 * read's subject is the session. */
int calsession_load_tx(struct ctx *ctx, const char *session, struct calsession *out,
                       struct error *err);
/* calsession_load_tx in two steps, for a decision about the whole session
 * that must not depend on who reads it (the curve's guardrails): the load
 * keeps the reader's own row and changes; calsession_hide_reader then
 * removes them, before anything is shown, and sets reader_excluded and
 * npeople_all.  Dropping the row changes what each participant's views
 * count (deliberately: with it, a reader could work out their own rating
 * by difference), so the faces say how many people are shown of how many. */
int calsession_load_whole_tx(struct ctx *ctx, const char *session, struct calsession *out,
                             struct error *err);
void calsession_hide_reader(const struct ctx *ctx, struct calsession *s);
/* A rating of dimension (a competency of s's framework) as every face
 * writes one, by one rule: two decimals, with more where those would read
 * on another side of one of its scale's points than the rating is (the
 * performance scale's for a dimension the framework does not have).
 * Returns buf (48 bytes are enough).  Pure; thread-safe. */
const char *calsession_rating_text(char *buf, size_t n, const struct calsession *s,
                                   const char *dimension, double rating);
/* "E201 delivery is 5.00 in evaluation version 2; the session changed it
 * from 3.00 to 4.00" (calsession_rating_text), in a. */
const char *calsession_conflict_text(struct arena *a, const struct calsession *s,
                                     const struct calsession_conflict *c);

int calsession_status(struct ctx *ctx, const char *session, struct calsession *out,
                      struct error *err);

struct calsession_summary {
	int64_t id;
	const char *name, *cycle, *status, *facilitator;
	int people;
};
/* Sessions the actor may read, newest first. */
int calsession_list(struct ctx *ctx, const char *cycle, struct calsession_summary **out, size_t *n,
                    struct error *err);

int calsession_open(struct ctx *ctx, const char *session, struct error *err);

struct calsession_close_result {
	/* Evaluation versions written and the session's changes, and those
	 * not written back, and why: about others only when the closer is in
	 * the population (reader_excluded), as every view of theirs. */
	int versions;
	int changes;
	const char **outside; /* guidance ranges the distribution falls outside */
	size_t noutside;
	const char **dropped;
	size_t ndropped;
	bool reader_excluded;
};
/* override_reason: required when the performance distribution falls
 * outside the guidance (ERR_POLICY without it, naming the ranges). */
int calsession_close(struct ctx *ctx, const char *session, const char *override_reason,
                     struct calsession_close_result *out, struct error *err);

int calsession_mark(struct ctx *ctx, const char *session, const char *person, const char *mark,
                    const char *comment, struct error *err);

struct calsession_change_request {
	const char *session, *person, *dimension;
	/* As typed (--rating, the form's field): digits, a value of the
	 * competency's scale; "4.0", "4.5", "+4" or " 4" is ERR_USAGE. */
	const char *rating;
	const char *reason;
	const char **evidence; /* KIND:REF */
	size_t nevidence;
	/* NULL: the CLI's request, whose refusals name its options ("--reason
	 * must be ..."); else the name of the page's form that sent it, and a
	 * refusal about a field says "FORM: FIELD: reason" (person, dimension,
	 * rating, reason, evidence) for the page to tie to that field. */
	const char *form;
};
int calsession_change(struct ctx *ctx, const struct calsession_change_request *req, int64_t *id,
                      struct error *err);

/* ---- for calviews, inside its own operation ---- */

/* Whether the actor may read the session, and may act in it (the
 * facilitator or a participant). */
int calsession_may_read_tx(struct ctx *ctx, const struct calsession *s, bool *acts,
                           struct error *err);
/* Whether the actor is the session's facilitator or a participant: who
 * marks and changes ratings (faces use it to offer the forms). */
bool calsession_acts(const struct ctx *ctx, const struct calsession *s);
/* The performance rating a score rounds to on scale: its nearest point, the
 * higher one halfway; CALSESSION_UNRATED for NAN.  Not 0, which a scale may
 * have (0 to 4). */
#define CALSESSION_UNRATED (-1)
int calsession_round(const struct fw_scale *scale, double score);
/* The size of scale's step at score, in scale units: the gap from the point
 * at or below it to the next (so from meets, meets + the step is the next
 * point); the last gap from the top point up, the first below the bottom.
 * 1 without a scale or with a single point.  The flags and the 9-box count
 * steps with it: on a scale of 0, 2 and 4 one step above meets (2) is 4. */
double calsession_step(const struct fw_scale *scale, double score);

#endif
