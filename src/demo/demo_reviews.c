/*
 * demo_reviews: the demo's annual review and quarterly check-in, each step
 * taken through the review services by the person who would take it (see
 * demo_reviews.h).  A plan is drawn first from the seed (who is portrayed
 * how, who reviews whom, what each rating is); then it is played: the
 * admin runs the cycles, reviewees write self reviews and nominate peers,
 * managers decide and name cross-functional reviewers, reviewers write,
 * managers evaluate.
 */
#include "demo/demo_reviews.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/sb.h"
#include "base/ts.h"
#include "calibrate/calsession.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "demo/demo_examples.h"
#include "metrics/catalog.h"
#include "review/cycle.h"
#include "review/evaluation.h"
#include "review/feedback.h"
#include "review/framework.h"
#include "store/store.h"

#define LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define FRAMEWORK_FILE "examples/framework.yaml"
static const char *const metric_files[] = {
        "examples/metrics/reviews-given.yaml",
        "examples/metrics/prs-merged.yaml",
};

/* The rater effects calibration should find: every rating a lenient
 * manager gives is this much higher before rounding, a severe one's lower. */
#define LENIENT_OFFSET      0.8
#define SEVERE_OFFSET       (-0.8)
#define CROSS_REVIEWERS     3 /* for each manager: enough for a group that is shown */
#define DECLINE_PERCENT     12
#define PEER_SKIP_PERCENT   3
#define UPWARD_SKIP_PERCENT 6

/* The default schedule: each phase's due date, days from the cycle's start. */
#define PHASE_DAYS_(id, name, days) days,
static const int phase_days[] = {CYCLE_PHASE_TABLE(PHASE_DAYS_)};
#undef PHASE_DAYS_

/* ---- the plan ----------------------------------------------------------- */

struct work {
	int64_t id, at;
	bool deployment; /* else a merged pull request */
	const char *title, *service;
};

enum portrayal { PORTRAY_NONE, PORTRAY_HIGH_PERFORMER, PORTRAY_QUIET, PORTRAY_SMALL_TEAM };
enum tone { TONE_DEVELOPING, TONE_SOLID, TONE_STRONG };

struct member {
	int64_t person;
	const char *eid, *first, *team, *group, *level, *profile;
	const char *manager_eid; /* "" when the cycle names no manager */
	int manager;             /* index of the manager among the members, or -1 */
	bool manages;            /* on the manager track */
	int reports;             /* members whose manager they are */
	double merit;            /* how the half went, on the five-point scale */
	double offset;           /* the manager's rater effect */
	enum portrayal portrayal;
	struct work *work; /* merged pull requests and deployments in the period */
	size_t nwork;
	int merged;
	const char *service; /* where most of their work was; "" for none */
	int load;            /* feedback assignments held */
	int submitted[FW_REL_COUNT];
	bool skips_self;
	int revise;          /* a second version: 0 none, 1 a rating changed, 2 evidence added */
	int *ratings;        /* by the framework's competency order */
	uint32_t used[3][4]; /* lines written about them: by writer kind, question */
};

struct assignment {
	int reviewee, reviewer;
	enum fw_relation rel;
	const char *declined; /* the manager's reason, or NULL */
	bool skipped;         /* never written */
	bool draft_first;     /* a draft saved before the submission */
};

struct plan {
	struct ctx *ctx; /* a sibling of the caller's, where every step runs */
	struct arena *a; /* the plan's own memory: steps reset the ctx's */
	struct error *err;
	struct rng r;
	const struct demo_reviews_input *in;
	struct framework fw;
	int fw_version;
	struct member *m;
	size_t n;
	struct assignment *as;
	size_t nas, aas;
	const char *annual, *checkin;
	const char *step, *actor; /* what was being done when an error came */
	struct demo_reviews_summary *out;
	struct arena *out_arena;
};

static int pick(struct rng *r, int n)
{
	return n <= 1 ? 0 : (int)rng_below(r, (uint64_t)n);
}

static bool chance(struct rng *r, int percent)
{
	return pick(r, 100) < percent;
}

static double unit_draw(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int clamp_rating(double x)
{
	int v = (int)floor(x + 0.5);
	return v < 1 ? 1 : v > 5 ? 5 : v;
}

static enum tone tone_of(double merit)
{
	return merit >= 3.7 ? TONE_STRONG : merit < 2.7 ? TONE_DEVELOPING : TONE_SOLID;
}

static const char *pick_line(struct rng *r, const char *const *lines)
{
	int n = 0;
	while (lines[n])
		n++;
	return lines[pick(r, n)];
}

/* ---- what people write -------------------------------------------------- */

/* Lines by tone (developing, solid, strong), each NULL-terminated.  In the
 * templates {svc} is where the person's work was, {pr} one of their merged
 * pull requests, {team}, {first}, {level} and {project} what they say. */
typedef const char *const lines3[3][8];

static lines3 ic_strengths = {
        {"Cares about getting things right; {pr} was careful work once it landed.",
         "Helpful when asked directly, especially with questions about {svc}.",
         "Has started to take on more of the {svc} backlog, which the team noticed.",
         "Friendly and patient in reviews, and open to suggestions on their own changes.",
         "Tests their changes thoroughly; {pr} needed no follow-up fixes.", NULL},
        {"Dependable on {svc}: picks up the work the team agreed on, finishes it, and says "
         "what changed.",
         "{pr} was solid, well-tested work in small pull requests that were easy to review.",
         "Responsive and constructive in code review, usually within a few hours.",
         "Knows {svc} well and explains it patiently to newer teammates.",
         "Steady through the busy weeks: {pr} landed on the day we planned, with the "
         "monitoring it needed.",
         "Keeps the team informed: when {pr} turned out larger than expected, we heard early.",
         NULL},
        {"Raised the bar on {svc} this half: {pr} went out without a rollback, and the "
         "approach behind it is now how the team does similar work.",
         "The person I go to when something in {svc} is unclear; their reviews of my changes "
         "caught two problems before they reached production.",
         "Took {pr} from a vague ticket to a clean rollout, and wrote down the trade-offs so "
         "the rest of us could follow.",
         "Unblocks others all the time: pairs without being asked and answers questions in "
         "the channel within minutes.",
         "Their design for {pr} was the clearest I read this year, and the rollout went "
         "exactly as the plan said.",
         "Spotted the performance problem in {svc} before it paged anyone, fixed it, and "
         "showed the rest of us how to find the next one.",
         NULL},
};
static lines3 strengths_follow = {
        {"It was good to see that grow over the half.",
         "More of that next year would help the team.", NULL},
        {"Easy to work with.", "I can count on what they say they will do.",
         "The kind of teammate every team needs.", NULL},
        {"I learned more from their code reviews than from any document.",
         "Working next to them made the whole team faster.",
         "They make hard problems look routine.",
         "I would happily work on any project with them again.", NULL},
};
static lines3 ic_growth = {
        {"Estimates have been optimistic: several {svc} tasks ran well past what was agreed, "
         "and the team found out late.",
         "Asking for help sooner would save days; a few changes sat blocked without anyone "
         "knowing.",
         "Taking a regular share of code reviews would help the team and speed up their own "
         "learning.",
         "Smaller pull requests would help: the large ones waited days for review and were "
         "hard to test.",
         "Could follow changes into production more closely; two problems after rollouts "
         "were found by others.",
         NULL},
        {"Could speak up earlier in planning. Their concerns about {svc} were right but "
         "arrived after the plan was set.",
         "Pull request descriptions could say more about why, not only what, so reviewers "
         "outside the team can follow.",
         "Would grow from owning a larger piece end to end, from the design to the rollout.",
         "Could take part in more design reviews outside the team; they have the judgement "
         "for it.",
         "Writing decisions down would help: twice this half we discussed again something "
         "they had already settled.",
         NULL},
        {"Could share more of what they know beyond the team; a short write-up of how {svc} "
         "is put together would help the whole group.",
         "Sometimes carries too much alone. Handing a piece of the next project to someone "
         "more junior would grow them and protect their own time.",
         "Ready for work that spans teams; I would like to see them lead one of the "
         "cross-team designs next year.",
         "Could say no more often: they pick up every request, and their own roadmap work "
         "waits.",
         "Their reviews are thorough but can read as blunt to newer engineers; a word of "
         "context would land better.",
         NULL},
};
static const char *const growth_follow[] = {
        "Pairing on the next project would be a good start.",
        "A mentor outside the team could help with that.",
        "Their manager could make room for it in the next plan.", NULL};
static lines3 ic_impact = {
        {"{pr} fixed a problem customers had reported on {svc}, though it took a couple of "
         "attempts to get right.",
         "Their fixes to {svc} helped, though the bigger items planned for the half are still "
         "open.",
         "{pr} was a useful clean-up of {svc}, even if customers will not notice it.", NULL},
        {"{pr} removed a recurring source of support questions about {svc}.",
         "Their changes to {svc} made the next feature much easier for the rest of us to "
         "build.",
         "{pr} fixed a long-standing annoyance in how {svc} is deployed.",
         "{pr} made the logs of {svc} useful again; the last incident was diagnosed in "
         "minutes because of it.",
         NULL},
        {"{pr} cut the alerts we get from {svc}; on-call was noticeably quieter in the weeks "
         "after it shipped.",
         "Because of {pr}, the {team} team releases {svc} without the manual checks we used "
         "to need.",
         "{pr} took the slowest request on {svc} from seconds to well under one; the support "
         "tickets about it stopped.",
         "After {pr}, other teams could use {svc} without asking us first, which saved "
         "everyone time.",
         NULL},
};
static lines3 mgr_strengths = {
        {"Open and easy to reach; the {team} team likes working for them.",
         "Cares about the team's wellbeing, which shows in how they talk about on-call.",
         "Willing to help other teams when asked, even when {team} is busy.", NULL},
        {"A reliable partner in planning: the {team} team's estimates hold up.",
         "Handles cross-team dependencies calmly and keeps the other managers informed.",
         "Fair and clear with their team; I have never heard a complaint about how decisions "
         "are made on {team}.",
         "Good at turning a vague request into a plan the {team} team can commit to.", NULL},
        {"Runs one of the most predictable teams around: {team} commits to a plan and meets "
         "it, and when something slips we hear about it early.",
         "Grows people: two of their engineers took on work this half that nobody would have "
         "given them a year ago.",
         "The manager other managers ask for advice; they helped me through a difficult "
         "reorganisation.",
         "Made the {team} on-call rotation sustainable without slowing the roadmap.", NULL},
};
static lines3 mgr_growth = {
        {"Plans change often and late, which makes it hard for neighbouring teams to depend "
         "on {team}.",
         "Decisions sometimes wait on them for days; delegating more would unblock the team.",
         "Commitments to other teams slipped twice this half without warning.", NULL},
        {"Could push back earlier when the roadmap overloads {team}; the team absorbed too "
         "much this half.",
         "Status updates could be shorter and say what is at risk first.",
         "Could involve neighbouring teams earlier when the plans of {team} affect them.", NULL},
        {"Could let the senior engineers on {team} run more of the planning; they are ready "
         "for it.",
         "Would help the wider group by writing down how {team} runs its design reviews.",
         "Could take on a cross-team initiative; the organization would benefit from their "
         "judgement.",
         NULL},
};
static lines3 mgr_impact = {
        {"Started the clean-up of the {team} backlog; the results should show next half.",
         "Got the {team} team through a hard half without losing anyone.", NULL},
        {"Brought the {team} roadmap and ours together, which saved both teams weeks of "
         "duplicate work.",
         "Their hiring this half filled the gaps {team} had been carrying for a year.", NULL},
        {"The on-call load of {team} dropped markedly after the reliability work they "
         "championed.",
         "They turned {team} around: missed deadlines were the norm in January and the "
         "exception by autumn.",
         NULL},
};
static lines3 up_strengths = {
        {"Approachable, and the team trusts them.", "Keeps most of the noise away from the team.",
         "Cares about us as people; that is felt.",
         "Always willing to jump in and help with the work itself.", NULL},
        {"Clear about priorities and available when something is blocked.",
         "Gives useful feedback on my work and follows up on what we agreed.",
         "Keeps the team informed about what is happening around us.",
         "Fair in how work is shared out, the on-call and the chores included.",
         "Listens before deciding, and explains the decision afterwards.", NULL},
        {"Runs the best one-to-ones I have had: prepared, honest, and always ending with "
         "something concrete.",
         "Protects the team's focus. When priorities changed mid-quarter they explained why "
         "and took the pressure themselves.",
         "Gives credit in public and feedback in private, and both are specific.",
         "Trusts the team with real decisions and backs us when they go wrong.",
         "Made time for my career even in the busiest weeks; I know what the next level asks "
         "of me.",
         NULL},
};
static lines3 up_growth = {
        {"Decisions get revisited often, which makes it hard to commit to a plan.",
         "One-to-ones get cancelled when things are busy, which is when they matter most.",
         "Priorities change week to week and we are not always told why.",
         "Feedback on my work is rare; I do not know where I stand.", NULL},
        {"Feedback sometimes arrives weeks after the fact; closer to the moment would help "
         "more.",
         "Team meetings run long; a sharper agenda would give us time back.",
         "Could say no to more requests from other teams; we are stretched.",
         "Career conversations happen only when I ask for them.", NULL},
        {"Could delegate more of the planning to the senior engineers; they are ready for it.",
         "Sometimes takes on too much themselves; we would happily carry more.",
         "Could tell us about the wider company's plans earlier.", NULL},
};
static lines3 up_support = {
        {"Helping when I ask. I would like regular conversations about my growth, not only "
         "about delivery.",
         "Being friendly and approachable. Clearer priorities would help me most.",
         "Covering for us with other teams. I need more direction on what matters this "
         "quarter.",
         NULL},
        {"Removing blockers quickly. I would like to hear more about how our work connects "
         "to the company's goals.",
         "Regular one-to-ones help. More feedback between them would help too.",
         "Being available. Fewer meetings for the whole team would help more.", NULL},
        {"Being clear about what good looks like and trusting me with the how. Please keep "
         "doing that.",
         "Shielding the team from churn and giving honest feedback. Nothing I would change.",
         "Sponsoring me for visible work. Please keep the one-to-ones weekly.", NULL},
};
static lines3 self_strengths = {
        {"I finished {pr} and several smaller {svc} fixes, and learned a lot about how the "
         "service runs in production.",
         "I got {pr} done and started to take on larger {svc} tasks.", NULL},
        {"I delivered the {svc} work we planned for the half, including {pr}, and took my "
         "share of reviews and on-call.",
         "I shipped {pr} on time and kept up with reviews for the team.",
         "I picked up most of the {svc} maintenance this half; {pr} was the largest piece.", NULL},
        {"I led {pr} from the first design to the rollout, and reviewed most of the team's "
         "changes to {svc}.",
         "I took on the hardest part of the {svc} work this half and shipped it without a "
         "rollback.",
         "I designed and shipped {pr}, and mentored a newer teammate through their first "
         "changes to {svc}.",
         NULL},
};
static lines3 self_growth = {
        {"I want to estimate more realistically and ask for help sooner when I am stuck.",
         "I want to learn {svc} more deeply so I need less help with the harder changes.", NULL},
        {"I want to own a larger project end to end and speak up earlier in planning.",
         "I want to get better at estimating and at saying early when something will take "
         "longer.",
         NULL},
        {"I want to lead a design across teams next year, and write designs down before I "
         "build.",
         "I want to grow others more: take on a mentee and run the team's design reviews.", NULL},
};
static lines3 self_impact = {
        {"{pr}: it fixed a problem customers had reported on {svc}.", NULL},
        {"{pr}: it removed a recurring source of support questions about {svc}.",
         "{pr}: it made the next feature on {svc} easier to build.", NULL},
        {"{pr}: fewer alerts from {svc} and a calmer on-call rotation for the team.",
         "{pr}: it made {svc} faster for every customer request.", NULL},
};
static const char *const self_mgr_strengths[] = {
        "I kept {team} on its plan this half and held regular one-to-ones with everyone.",
        "I hired for the open roles on {team} and got the new people productive quickly.",
        "I cut the on-call load of {team} and kept the roadmap moving.", NULL};
static const char *const self_mgr_growth[] = {
        "I want to delegate more of the planning to the team's senior engineers.",
        "I want to give feedback closer to the moment instead of saving it for one-to-ones.",
        "I want to push back earlier when the roadmap overloads the team.", NULL};
static const char *const self_mgr_impact[] = {
        "The {team} team met its goals for the half with an on-call load it can sustain.",
        "Two people on {team} grew into larger roles this half.", NULL};

/* The portrayed people, as those around them see them. */
static const char *const high_strengths[] = {
        "Did the best engineering I saw this year, on the {project} prototype: fast, careful "
        "and well documented.",
        "Carried the {project} team technically; every hard problem on it ended up on their "
        "desk and got solved.",
        "Built the data model of the {project} prototype in a week and got it right the "
        "first time.",
        "Their test harness for {project} is the best I have seen here; we are copying it "
        "for other work.",
        "Kept the {project} team calm and focused when the scope changed twice.",
        NULL};
static const char *const high_growth[] = {
        "The work deserved a bigger stage. I hope their next project is one the company "
        "depends on.",
        "Could push harder on whether a project is worth doing before pouring this much "
        "into it.",
        "Ready for more scope; it would be a waste to keep them on side projects.",
        "Could share what they learned on {project} with the wider organization; it would "
        "save others from the same dead end.",
        NULL};
static const char *const high_impact[] = {
        "The {project} prototype answered its question quickly: the market was not there "
        "yet. Little of it will ship, through no fault of theirs.",
        "Honestly, little: the {project} project was paused. The engineering was excellent, "
        "the outcome small.",
        "The {project} work showed the idea would not pay off before the company spent more "
        "on it.",
        "Not much reached customers, because {project} stopped; the reusable parts may help "
        "the next project.",
        NULL};
static const char *const high_self[] = {
        "I built most of the {project} prototype and its test harness.",
        "I want my next project to be one that ships to customers.",
        "The {project} project showed early that the idea would not pay off, which saved a "
        "larger investment."};
static const char *const quiet_strengths[] = {
        "Quiet, but the person everyone asks about {svc}; spent a long afternoon helping me "
        "find a caching bug and never mentioned it again.",
        "Always the first to help a new teammate get a change of theirs into production.",
        "Their reviews are short and always right; I trust a change they have approved.",
        "Keeps {svc} healthy with small fixes nobody asks for and everybody benefits from.",
        "Calm in incidents: they find the log line that matters while the rest of us are "
        "still reading.",
        NULL};
static const char *const quiet_growth[] = {
        "Should make their work more visible: write up the fixes, run a design review, so "
        "others see how much they carry.",
        "Could speak up more in planning; they usually know the answer and wait to be asked.",
        "Would be great to see them lead one piece of the roadmap rather than support "
        "everyone else's.",
        NULL};
static const char *const quiet_impact[] = {
        "Much of what they do is helping the rest of us ship; it does not show in their own "
        "pull requests.",
        "My first two changes to {svc} went out because they paired with me on both.",
        "The {svc} deploys stopped failing after the small fixes they made to the pipeline.", NULL};
static const char *const quiet_self[] = {
        "Most of my time went to pairing with newer teammates and answering questions about "
        "{svc}, which does not show in pull requests.",
        "I want to make my work more visible and lead one piece of the roadmap myself.",
        "I helped two newer engineers get their first {svc} changes into production."};

static const char *const checkin_progress[] = {
        "Since the last check-in I finished {pr} and started on the next item of the plan. "
        "The main thing in my way is waiting on reviews from another team.",
        "The {svc} work is on track; {pr} is done. Nothing is blocking me right now.",
        "I moved {pr} forward but it is not finished: a change another team owns is holding "
        "it up.",
        NULL};
static const char *const checkin_support[] = {
        "Help getting a decision on the next {svc} priority before the end of the quarter.",
        "Time in our one-to-ones to talk about what the next level asks of me.",
        "A second reviewer for the larger {svc} changes.", NULL};
static const char *const checkin_mgr_progress[] = {
        "The {team} team is on track for the quarter; hiring for the open role is the main "
        "risk.",
        NULL};
static const char *const checkin_mgr_support[] = {"A decision on the headcount request for {team}.",
                                                  NULL};

static const char *const decline_reasons[] = {
        "already reviews several people this cycle; ask someone with more room",
        "worked with you only in January; choose someone who saw this half's work",
        "is on leave for most of the feedback phase",
        "joined your project only last month; too little to go on", NULL};

static const char *const revise_reasons[] = {
        "",
        "Raised collaboration by one point after reading the peer feedback again: it shows "
        "more help to the team than I had credited.",
        "Added the onboarding guide they wrote, which a teammate pointed me to, as evidence "
        "for mentoring.",
};

/* A pull request of x's, as a phrase: "the 'Fix config loading' change". */
static void put_pull_request(struct plan *p, const struct member *x, struct sb *s)
{
	int prs = 0;
	for (size_t i = 0; i < x->nwork; i++)
		prs += !x->work[i].deployment;
	if (prs == 0) {
		sb_printf(s, "the %s work", *x->service ? x->service : x->team);
		return;
	}
	int k = pick(&p->r, prs);
	for (size_t i = 0; i < x->nwork; i++)
		if (!x->work[i].deployment && k-- == 0)
			sb_printf(s, "the '%s' change", x->work[i].title);
}

/* The template with x's particulars; in the plan's arena. */
static const char *fill(struct plan *p, const struct member *x, const char *tmpl)
{
	struct sb s = SB_INIT;
	for (const char *c = tmpl; *c;) {
		if (*c != '{') {
			sb_putc(&s, *c++);
			continue;
		}
		size_t k = strcspn(c, "}");
		if (!strncmp(c, "{svc}", 5))
			sb_puts(&s, *x->service ? x->service : x->team);
		else if (!strncmp(c, "{pr}", 4))
			put_pull_request(p, x, &s);
		else if (!strncmp(c, "{team}", 6))
			sb_puts(&s, x->team);
		else if (!strncmp(c, "{first}", 7))
			sb_puts(&s, x->first);
		else if (!strncmp(c, "{level}", 7))
			sb_puts(&s, x->level);
		else if (!strncmp(c, "{project}", 9))
			sb_puts(&s, p->in->project_team);
		else
			BUG("template field %.*s", (int)k + 1, c);
		c += c[k] ? k + 1 : k;
	}
	/* A sentence starts with a capital even when it starts with {pr}. */
	if (s.len && s.buf[0] >= 'a' && s.buf[0] <= 'z')
		s.buf[0] = (char)(s.buf[0] - 'a' + 'A');
	const char *text = arena_strdup(p->a, s.buf ? s.buf : "");
	sb_release(&s);
	return text;
}

enum { SLOT_STRENGTHS, SLOT_GROWTH, SLOT_IMPACT, SLOT_SUPPORT, SLOTS };

/* A line of lines not yet written about x for this question by this kind
 * of writer (self, upward, the others), while there are some: what several
 * people write about one person differs. */
static const char *fresh_line(struct plan *p, struct member *x, int slot, enum fw_relation rel,
                              const char *const *lines)
{
	int kind = rel == FW_REL_SELF ? 0 : rel == FW_REL_UPWARD ? 1 : 2;
	uint32_t *used = &x->used[kind][slot];
	int n = 0, free = 0;
	while (lines[n])
		n++;
	for (int i = 0; i < n && i < 32; i++)
		free += !(*used >> i & 1);
	if (free == 0) {
		*used = 0;
		free = n;
	}
	int k = pick(&p->r, free);
	for (int i = 0; i < n; i++)
		if (!(*used >> i & 1) && k-- == 0) {
			*used |= UINT32_C(1) << (i & 31);
			return lines[i];
		}
	return lines[0];
}

/* One answer of a writer in relation rel about x, for question id q;
 * NULL for a question the banks do not know (left unanswered). */
static const char *annual_answer(struct plan *p, struct member *x, enum fw_relation rel,
                                 const char *q)
{
	enum tone t = tone_of(x->merit);
	int slot = !strcmp(q, "strengths")         ? SLOT_STRENGTHS
	           : !strcmp(q, "growth_areas")    ? SLOT_GROWTH
	           : !strcmp(q, "impact_example")  ? SLOT_IMPACT
	           : !strcmp(q, "manager_support") ? SLOT_SUPPORT
	                                           : -1;
	bool upward = rel == FW_REL_UPWARD;
	if (slot < 0 || (slot == SLOT_SUPPORT && !upward) || (slot == SLOT_IMPACT && upward))
		return NULL;
	bool portrayed = x->portrayal == PORTRAY_HIGH_PERFORMER || x->portrayal == PORTRAY_QUIET;
	if (rel == FW_REL_SELF && portrayed)
		return fill(p, x, (x->portrayal == PORTRAY_QUIET ? quiet_self : high_self)[slot]);
	const char *const *lines;
	if (rel == FW_REL_SELF && x->manages) {
		const char *const *mine[] = {self_mgr_strengths, self_mgr_growth, self_mgr_impact};
		lines = mine[slot];
	} else if (rel == FW_REL_SELF) {
		lines = (slot == SLOT_STRENGTHS ? self_strengths
		         : slot == SLOT_GROWTH  ? self_growth
		                                : self_impact)[t];
	} else if (upward) {
		lines = (slot == SLOT_STRENGTHS ? up_strengths
		         : slot == SLOT_GROWTH  ? up_growth
		                                : up_support)[t];
	} else if (x->portrayal == PORTRAY_HIGH_PERFORMER) {
		const char *const *his[] = {high_strengths, high_growth, high_impact};
		lines = his[slot];
	} else if (x->portrayal == PORTRAY_QUIET) {
		const char *const *theirs[] = {quiet_strengths, quiet_growth, quiet_impact};
		lines = theirs[slot];
	} else if (x->manages) {
		lines = (slot == SLOT_STRENGTHS ? mgr_strengths
		         : slot == SLOT_GROWTH  ? mgr_growth
		                                : mgr_impact)[t];
	} else {
		lines = (slot == SLOT_STRENGTHS ? ic_strengths
		         : slot == SLOT_GROWTH  ? ic_growth
		                                : ic_impact)[t];
	}
	const char *text = fresh_line(p, x, slot, rel, lines);
	/* Others sometimes say a little more. */
	if (rel != FW_REL_SELF && !portrayed && slot <= SLOT_GROWTH && chance(&p->r, 50))
		text = arena_printf(p->a, "%s %s", text,
		                    pick_line(&p->r, slot == SLOT_STRENGTHS ? strengths_follow[t]
		                                                            : growth_follow));
	return fill(p, x, text);
}

/* text as a YAML double-quoted scalar. */
static void put_quoted(struct sb *s, const char *text)
{
	sb_putc(s, '"');
	for (const char *c = text; *c; c++) {
		if (*c == '"' || *c == '\\')
			sb_putc(s, '\\');
		sb_putc(s, (unsigned char)*c < 0x20 ? ' ' : *c);
	}
	sb_putc(s, '"');
}

static bool has_competency(const struct plan *p, const char *id)
{
	return framework_competency(&p->fw, id) != NULL;
}

/* How a writer rates x: near x's merit, never the manager's offset. */
static int peer_rating(struct plan *p, const struct member *x, double lift)
{
	return clamp_rating(x->merit + lift + (unit_draw(&p->r) - 0.5) * 1.4);
}

static const char *feedback_text(struct plan *p, struct member *x, enum fw_relation rel,
                                 enum fw_kind kind, bool draft)
{
	struct sb s = SB_INIT;
	sb_puts(&s, "answers:\n");
	for (size_t i = 0; i < p->fw.nquestions; i++) {
		const struct fw_question *q = &p->fw.questions[i];
		if (!q->relations[rel] || !q->kinds[kind])
			continue;
		const char *text = NULL;
		if (kind == FW_KIND_CHECKIN) {
			bool progress = !strcmp(q->id, "checkin_progress");
			if (!progress && strcmp(q->id, "checkin_support") != 0)
				continue;
			if (draft && !progress)
				continue; /* a draft: the second answer not written yet */
			const char *const *lines =
			        x->manages ? progress ? checkin_mgr_progress : checkin_mgr_support
			        : progress ? checkin_progress
			                   : checkin_support;
			text = fill(p, x,
			            draft ? "Since the last check-in I have been working on {svc}, "
			                    "mostly on"
			                  : pick_line(&p->r, lines));
		} else {
			text = annual_answer(p, x, rel, q->id);
		}
		if (!text)
			continue;
		sb_printf(&s, "  %s: ", q->id);
		put_quoted(&s, text);
		sb_putc(&s, '\n');
	}
	if (kind == FW_KIND_ANNUAL && rel != FW_REL_SELF) {
		/* Writers rate what they saw: peers the work, reports the managing. */
		const char *rated[2] = {"collaboration",
		                        x->manages ? "leadership" : "technical_skill"};
		if (rel == FW_REL_UPWARD)
			rated[0] = "mentoring";
		double lift = x->portrayal == PORTRAY_QUIET ? 0.5 : 0;
		bool any = false;
		for (int i = 0; i < 2; i++) {
			if (!has_competency(p, rated[i]))
				continue;
			sb_printf(&s, "%s  %s: %d\n", any ? "" : "ratings:\n", rated[i],
			          peer_rating(p, x, lift));
			any = true;
		}
	}
	const char *text = arena_strdup(p->a, s.buf);
	sb_release(&s);
	return text;
}

/* ---- running steps as people ---------------------------------------------- */

/* The next steps run as user (NULL: the admin); step says what they do,
 * for an error's detail. */
static int act_as(struct plan *p, const char *user, const char *step)
{
	p->step = step;
	p->actor = user ? user : "admin";
	return ctx_begin_request(p->ctx, user, p->err);
}

static const struct demo_example *example(const char *path)
{
	const struct demo_example *x = demo_example_find(path);
	if (!x)
		BUG("%s is not built into the binary (scripts/embed)", path);
	return x;
}

/* The example metrics, defined and approved by each stakeholder function
 * as `plumb metrics define` and `approve` do, then the framework. */
static int import_framework(struct plan *p)
{
	int rc = act_as(p, NULL, "importing the example framework and its metrics");
	for (int i = 0; rc == 0 && i < LEN(metric_files); i++) {
		const struct demo_example *x = example(metric_files[i]);
		struct catalog_file file;
		struct catalog_define_result def;
		rc = catalog_parse(x->path, x->text, x->len, p->a, &file, p->err);
		if (rc == 0)
			rc = catalog_define(p->ctx, x->path, x->text, x->len, &def, p->err);
		const char *next = rc == 0 ? file.def.stakeholders : NULL;
		while (rc == 0 && next && *next) {
			size_t k = strcspn(next, ",");
			const char *function = arena_strndup(p->a, next, k);
			struct catalog_decide_result res;
			rc = catalog_decide(p->ctx, def.key, def.version, function, CATALOG_APPROVE,
			                    NULL, &res, p->err);
			next += next[k] ? k + 1 : k;
		}
	}
	const struct demo_example *fw = example(FRAMEWORK_FILE);
	struct framework_import_result res = {0, false};
	if (rc == 0)
		rc = framework_import(p->ctx, fw->path, fw->text, fw->len, &res, p->err);
	if (rc == 0)
		rc = framework_parse(fw->path, fw->text, fw->len, p->a, &p->fw, p->err);
	p->fw_version = res.version;
	return rc;
}

/* ---- reading the cycle back ------------------------------------------------ */

struct read_args {
	struct plan *p;
	const char *cycle;
	bool with_work;
	struct member *m;
	size_t n;
};

static int read_work(struct ctx *ctx, struct read_args *ra, int64_t cycle, struct hmap *index,
                     struct error *err)
{
	struct plan *p = ra->p;
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store,
	        "SELECT e.person_id, e.id, e.kind, e.occurred_at, COALESCE(e.title, ''),"
	        " COALESCE(s.name, '') FROM events e"
	        " JOIN cycle_members cm ON cm.person_id = e.person_id AND cm.cycle_id = ?"
	        " LEFT JOIN services s ON s.id = e.service_id"
	        " WHERE e.is_bot = 0 AND e.occurred_at >= ? AND e.occurred_at < ?"
	        " AND ((e.kind = 'pull_request' AND e.status = 'merged')"
	        "  OR (e.kind = 'deployment' AND e.status = 'success'))"
	        " ORDER BY e.person_id, e.occurred_at, e.id",
	        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	stmt_bind_int(st, 2, p->in->period_start);
	stmt_bind_int(st, 3, p->in->period_end);
	struct work *all = NULL;
	int *owner = NULL;
	size_t n = 0, alloc = 0, oalloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		char key[24];
		int64_t who;
		snprintf(key, sizeof key, "%" PRId64, stmt_int(st, 0));
		if (!hmap_get(index, key, &who))
			continue;
		all = arena_grow(p->a, all, n, &alloc, sizeof *all);
		owner = arena_grow(p->a, owner, n, &oalloc, sizeof *owner);
		owner[n] = (int)who;
		all[n++] = (struct work){
		        .id = stmt_int(st, 1),
		        .deployment = !strcmp(stmt_text(st, 2), "deployment"),
		        .at = stmt_int(st, 3),
		        .title = stmt_text_dup(st, 4, p->a),
		        .service = stmt_text_dup(st, 5, p->a),
		};
	}
	stmt_reset(st);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct member *x = &ra->m[owner[i]];
		if (!x->work)
			x->work = &all[i];
		x->nwork++;
		x->merged += !all[i].deployment;
	}
	/* Where most of each person's work was. */
	for (size_t i = 0; i < ra->n; i++) {
		struct member *x = &ra->m[i];
		int best = 0;
		for (size_t j = 0; j < x->nwork; j++) {
			int same = 0;
			for (size_t k = 0; k < x->nwork; k++)
				same += !strcmp(x->work[k].service, x->work[j].service);
			if (same > best && *x->work[j].service) {
				best = same;
				x->service = x->work[j].service;
			}
		}
	}
	return 0;
}

/* The cycle's members (and, with_work, what they delivered in the period):
 * a read inside the demo's operation, ended without writing. */
static int read_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct read_args *ra = arg;
	struct plan *p = ra->p;
	ra->m = NULL;
	ra->n = 0;
	int64_t cycle;
	int rc = cycle_find(ctx, ra->cycle, &cycle, err);
	struct store_stmt *st;
	if (rc == 0)
		rc = store_prepare(
		        ctx->store,
		        "SELECT p.id, p.employee_id, p.name, t.name, COALESCE(pt.name, ''),"
		        " CASE WHEN gt.id IS NULL THEN 0 ELSE 1 END, cm.level,"
		        " cm.role_profile, cm.track, COALESCE(mp.employee_id, '')"
		        " FROM cycle_members cm"
		        " JOIN people p ON p.id = cm.person_id JOIN teams t ON t.id = cm.team_id"
		        " LEFT JOIN teams pt ON pt.id = t.parent_id"
		        " LEFT JOIN teams gt ON gt.id = pt.parent_id"
		        " LEFT JOIN people mp ON mp.id = cm.manager_id"
		        " WHERE cm.cycle_id = ? ORDER BY p.employee_id",
		        &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, cycle);
	size_t alloc = 0;
	struct hmap index;
	hmap_init(&index);
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		ra->m = arena_grow(p->a, ra->m, ra->n, &alloc, sizeof *ra->m);
		struct member *x = &ra->m[ra->n];
		memset(x, 0, sizeof *x);
		x->person = stmt_int(st, 0);
		x->eid = stmt_text_dup(st, 1, p->a);
		const char *name = stmt_text(st, 2);
		x->first = arena_strndup(p->a, name, strcspn(name, " "));
		x->team = stmt_text_dup(st, 3, p->a);
		/* The director's group: the team's parent, or the team itself
		 * when it is a group (its parent is the root). */
		x->group = stmt_int(st, 5) ? stmt_text_dup(st, 4, p->a) : x->team;
		x->level = stmt_text_dup(st, 6, p->a);
		x->profile = stmt_text_dup(st, 7, p->a);
		x->manages = !strcmp(stmt_text(st, 8), "manager");
		x->manager_eid = stmt_text_dup(st, 9, p->a);
		x->manager = -1;
		x->service = "";
		char key[24];
		snprintf(key, sizeof key, "%" PRId64, x->person);
		hmap_put(&index, key, (int64_t)ra->n);
		ra->n++;
	}
	stmt_reset(st);
	if (rc >= 0 && ra->with_work)
		rc = read_work(ctx, ra, cycle, &index, err);
	hmap_release(&index);
	return rc < 0 ? rc : CTX_ROLLBACK;
}

static int read_members(struct plan *p, const char *cycle, bool with_work, struct member **m,
                        size_t *n)
{
	struct read_args ra = {p, cycle, with_work, NULL, 0};
	int rc = act_as(p, NULL, "reading the cycle's members");
	if (rc == 0)
		rc = ctx_run(p->ctx, OP_DEMO, read_body, &ra, p->err);
	*m = ra.m;
	*n = ra.n;
	for (size_t i = 0; rc == 0 && i < ra.n; i++)
		for (size_t j = 0; j < ra.n; j++)
			if (!strcmp(ra.m[i].manager_eid, ra.m[j].eid)) {
				ra.m[i].manager = (int)j;
				ra.m[j].reports++;
			}
	return rc;
}

/* ---- the plan: who is portrayed how ----------------------------------------- */

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], s))
			return true;
	return false;
}

/* 0 for the most junior level of x's track. */
static int rank_of(const struct plan *p, const struct member *x)
{
	const struct fw_level *lv = framework_level(&p->fw, x->level);
	return lv ? lv->rank : 0;
}

static int head_of(const struct plan *p, const char *team)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->m[i].manages && !strcmp(p->m[i].team, team))
			return (int)i;
	return -1;
}

/* The smallest permanent team with at least two people: its peer feedback
 * cannot be anonymous. */
static const char *portray_small_team(struct plan *p)
{
	const char *best = NULL;
	int best_n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const char *t = p->m[i].team;
		if (in_list(p->in->scope, p->in->nscope, t) || !strcmp(t, p->in->project_team))
			continue;
		int k = 0;
		for (size_t j = 0; j < p->n; j++)
			k += !strcmp(p->m[j].team, t);
		if (k >= 2 && (!best || k < best_n || (k == best_n && strcmp(t, best) < 0))) {
			best = t;
			best_n = k;
		}
	}
	for (size_t i = 0; best && i < p->n; i++)
		if (!strcmp(p->m[i].team, best))
			p->m[i].portrayal = PORTRAY_SMALL_TEAM;
	return best;
}

/* On the project team: preferably reporting to the first check-in team's
 * manager (a demo sign-in), a backend engineer (whose profile weighs
 * impact apart from performance most), the more senior. */
static int portray_high_performer(struct plan *p)
{
	int lead = p->in->ncheckin ? head_of(p, p->in->checkin_teams[0]) : -1;
	int best = -1, best_score = -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct member *x = &p->m[i];
		if (x->manages || x->portrayal || strcmp(x->team, p->in->project_team) != 0)
			continue;
		int score = (lead >= 0 && x->manager == lead) * 100 +
		            !strcmp(x->profile, "backend") * 10 + rank_of(p, x);
		if (score > best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	if (best >= 0) {
		p->m[best].portrayal = PORTRAY_HIGH_PERFORMER;
		p->m[best].merit = 4.5;
	}
	return best;
}

/* The engineer with the fewest merged pull requests, preferably in the
 * people partner's group (a demo sign-in). */
static int portray_quiet(struct plan *p)
{
	int best = -1, best_score = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct member *x = &p->m[i];
		if (x->manages || x->portrayal || !strcmp(x->team, p->in->project_team))
			continue;
		bool near = p->in->partner_group && !strcmp(x->group, p->in->partner_group);
		int score = (near ? 0 : 100000) + x->merged;
		if (best < 0 || score < best_score) {
			best = (int)i;
			best_score = score;
		}
	}
	if (best >= 0) {
		p->m[best].portrayal = PORTRAY_QUIET;
		p->m[best].merit = 3.0;
	}
	return best;
}

static bool manages_portrayed(const struct plan *p, int k)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->m[i].portrayal && (p->m[i].manager == k || (int)i == k))
			return true;
	return false;
}

/* Team managers with at least three reports and no portrayed person among
 * them, the largest teams first: the first and fourth are lenient, the
 * second and third severe.  Their reports' every rating moves by the offset. */
static void portray_raters(struct plan *p, struct sb *lenient, struct sb *severe)
{
	int cand[4], ncand = 0;
	bool *taken = arena_array(p->a, p->n + 1, sizeof *taken);
	while (ncand < 4) {
		int best = -1;
		for (size_t i = 0; i < p->n; i++) {
			const struct member *x = &p->m[i];
			bool first_line = rank_of(p, x) < 2; /* not a director (M3) */
			if (taken[i] || !x->manages || !first_line || x->reports < 3 ||
			    manages_portrayed(p, (int)i))
				continue;
			if (best < 0 || x->reports > p->m[best].reports)
				best = (int)i;
		}
		if (best < 0)
			break;
		taken[best] = true;
		cand[ncand++] = best;
	}
	for (int c = 0; c < ncand; c++) {
		bool easy = c == 0 || c == 3;
		struct sb *list = easy ? lenient : severe;
		sb_printf(list, "%s%s", list->len ? ", " : "", p->m[cand[c]].eid);
		for (size_t i = 0; i < p->n; i++)
			if (p->m[i].manager == cand[c])
				p->m[i].offset = easy ? LENIENT_OFFSET : SEVERE_OFFSET;
	}
}

/* Ratings on each competency: merit, a strength or weakness of the
 * person's own, the manager's offset. */
static void plan_ratings(struct plan *p)
{
	size_t nc = p->fw.ncompetencies;
	for (size_t i = 0; i < p->n; i++) {
		struct member *x = &p->m[i];
		x->ratings = arena_array(p->a, nc ? nc : 1, sizeof *x->ratings);
		for (size_t c = 0; c < nc; c++)
			x->ratings[c] =
			        clamp_rating(x->merit + x->offset + (unit_draw(&p->r) - 0.5) * 1.8);
		/* Excellent work that changed little: the performance axis's
		 * competencies high, impact's delivery and leadership not.  A quiet
		 * contributor meets the bar, and helps others more than that. */
		static const char *const ids[] = {
		        "technical_skill", "collaboration", "operational_excellence",
		        "mentoring",       "delivery",      "leadership"};
		static const int high[] = {5, 5, 5, 4, 3, 2}, quiet[] = {3, 4, 3, 4, 3, 3};
		const int *fixed = x->portrayal == PORTRAY_HIGH_PERFORMER ? high
		                   : x->portrayal == PORTRAY_QUIET        ? quiet
		                                                          : NULL;
		for (size_t c = 0; fixed && c < nc; c++)
			for (int k = 0; k < LEN(ids); k++)
				if (!strcmp(p->fw.competencies[c].id, ids[k]))
					x->ratings[c] = fixed[k];
	}
}

static int competency_index(const struct plan *p, const char *id)
{
	for (size_t c = 0; c < p->fw.ncompetencies; c++)
		if (!strcmp(p->fw.competencies[c].id, id))
			return (int)c;
	return -1;
}

/* ---- the plan: who reviews whom --------------------------------------------- */

static void add_assignment(struct plan *p, int reviewee, int reviewer, enum fw_relation rel)
{
	p->as = arena_grow(p->a, p->as, p->nas, &p->aas, sizeof *p->as);
	p->as[p->nas++] = (struct assignment){reviewee, reviewer, rel, NULL, false, false};
	p->m[reviewer].load++;
}

/* The best reviewers for i not yet chosen: higher affinity first (same
 * kind of work, team, group; or, cross-functional, another group), less
 * loaded, a little chance.  Returns how many were put in out. */
static int choose_reviewers(struct plan *p, int i, bool cross, int want, int *out)
{
	const struct member *x = &p->m[i];
	double *score = arena_array(p->a, p->n, sizeof *score);
	bool *reviews_already = arena_array(p->a, p->n, sizeof *reviews_already);
	for (size_t k = 0; k < p->nas; k++)
		if (p->as[k].reviewee == i)
			reviews_already[p->as[k].reviewer] = true;
	for (size_t j = 0; j < p->n; j++) {
		const struct member *y = &p->m[j];
		score[j] = -1e9;
		if ((int)j == i || y->load >= p->fw.reviewer_cap || x->manager == (int)j ||
		    y->manager == i || reviews_already[j])
			continue;
		double s = unit_draw(&p->r) - 0.25 * y->load;
		if (cross) {
			if (!strcmp(y->group, x->group))
				continue;
			s += y->manages == x->manages ? 1 : 0;
		} else {
			s += (y->manages == x->manages) * 4 + !strcmp(y->team, x->team) * 3 +
			     !strcmp(y->group, x->group) * 1.5;
		}
		score[j] = s;
	}
	int got = 0;
	while (got < want) {
		int best = -1;
		for (size_t j = 0; j < p->n; j++)
			if (score[j] > -1e8 && (best < 0 || score[j] > score[best]))
				best = (int)j;
		if (best < 0)
			break;
		score[best] = -1e9;
		out[got++] = best;
	}
	return got;
}

static void plan_assignments(struct plan *p)
{
	/* Upward: the cycle makes one from each report to their manager. */
	for (size_t i = 0; i < p->n; i++)
		if (p->m[i].manager >= 0)
			add_assignment(p, p->m[i].manager, (int)i, FW_REL_UPWARD);
	/* Cross-functional: three from other groups for each manager whose
	 * manager can name them (not the small team's: nothing is shown there). */
	for (size_t i = 0; i < p->n; i++) {
		const struct member *x = &p->m[i];
		if (!x->manages || !*x->manager_eid || x->portrayal == PORTRAY_SMALL_TEAM)
			continue;
		int chosen[CROSS_REVIEWERS];
		int k = choose_reviewers(p, (int)i, true, CROSS_REVIEWERS, chosen);
		for (int c = 0; c < k; c++)
			add_assignment(p, (int)i, chosen[c], FW_REL_CROSS_FUNCTIONAL);
	}
	/* Peers: three to five, two for the small team; now and then one more
	 * whom the manager declines. */
	for (size_t i = 0; i < p->n; i++) {
		const struct member *x = &p->m[i];
		if (!*x->manager_eid)
			continue; /* nobody would approve them */
		int want = x->portrayal == PORTRAY_SMALL_TEAM
		                   ? p->fw.anonymity_threshold - 1
		                   : p->fw.peers_min +
		                             pick(&p->r, p->fw.peers_max - p->fw.peers_min + 1);
		bool decline = !x->portrayal && chance(&p->r, DECLINE_PERCENT);
		if (decline && want + 1 > p->fw.peers_max)
			want = p->fw.peers_max - 1;
		int chosen[16];
		int total = want + decline;
		if (total > LEN(chosen))
			total = LEN(chosen);
		int k = choose_reviewers(p, (int)i, false, total, chosen);
		for (int c = 0; c < k; c++) {
			add_assignment(p, (int)i, chosen[c], FW_REL_PEER);
			if (decline && c == k - 1 && k == total)
				p->as[p->nas - 1].declined = pick_line(&p->r, decline_reasons);
		}
	}
	/* Who never gets to write, who saves a draft first. */
	for (size_t k = 0; k < p->nas; k++) {
		struct assignment *as = &p->as[k];
		const struct member *x = &p->m[as->reviewee];
		bool spare = !x->portrayal && !x->revise;
		if (as->declined)
			continue;
		if (as->rel == FW_REL_PEER && spare)
			as->skipped = chance(&p->r, PEER_SKIP_PERCENT);
		else if (as->rel == FW_REL_UPWARD && spare)
			as->skipped = chance(&p->r, UPWARD_SKIP_PERCENT);
		as->draft_first = !as->skipped && chance(&p->r, 3);
		if (!as->skipped)
			p->m[as->reviewee].submitted[as->rel]++;
	}
}

static void plan_people(struct plan *p, struct sb *lenient, struct sb *severe)
{
	for (size_t i = 0; i < p->n; i++) {
		double u = unit_draw(&p->r) + unit_draw(&p->r) + unit_draw(&p->r);
		double merit = 3.1 + (u - 1.5) * 0.9;
		p->m[i].merit = merit < 1.7 ? 1.7 : merit > 4.6 ? 4.6 : merit;
	}
	const char *small = portray_small_team(p);
	int high = portray_high_performer(p);
	int quiet = portray_quiet(p);
	portray_raters(p, lenient, severe);
	plan_ratings(p);
	/* Two evaluations get a second version: the quiet contributor's
	 * (evidence found later) and one in the first check-in team. */
	if (quiet >= 0)
		p->m[quiet].revise = 2;
	for (size_t i = 0; p->in->ncheckin && i < p->n; i++) {
		struct member *x = &p->m[i];
		int c = competency_index(p, "collaboration");
		if (!x->portrayal && !x->manages && c >= 0 && x->ratings[c] < 5 &&
		    !strcmp(x->team, p->in->checkin_teams[0])) {
			x->revise = 1;
			break;
		}
	}
	/* Almost everyone writes a self review. */
	for (int skips = p->n >= 20 ? 2 : 0, tries = 0; skips > 0 && tries < 100; tries++) {
		struct member *x = &p->m[pick(&p->r, (int)p->n)];
		if (!x->portrayal && !x->revise && !x->skips_self) {
			x->skips_self = true;
			skips--;
		}
	}
	plan_assignments(p);
	struct demo_reviews_summary *o = p->out;
	struct arena *oa = p->out_arena;
	if (small) {
		struct sb who = SB_INIT;
		for (size_t i = 0; i < p->n; i++)
			if (p->m[i].portrayal == PORTRAY_SMALL_TEAM)
				sb_printf(&who, "%s%s", who.len ? ", " : "", p->m[i].eid);
		o->small_team = arena_strdup(oa, small);
		o->small_team_people = arena_strdup(oa, who.buf);
		sb_release(&who);
	}
	if (high >= 0) {
		o->high_performer = arena_strdup(oa, p->m[high].eid);
		o->high_performer_manager = arena_strdup(oa, p->m[high].manager_eid);
	}
	if (quiet >= 0) {
		o->quiet = arena_strdup(oa, p->m[quiet].eid);
		o->quiet_manager = arena_strdup(oa, p->m[quiet].manager_eid);
	}
}

/* ---- the manager's evaluation ------------------------------------------------ */

struct evidence {
	struct sb items;
	int n;
};

static const char *date_in_period(struct plan *p)
{
	int64_t span = p->in->period_end - p->in->period_start;
	/* The first three quarters: a document is rarely written at the end. */
	int64_t at = p->in->period_start + (int64_t)(unit_draw(&p->r) * 0.7 * (double)span);
	char buf[TS_BUF];
	return arena_strdup(p->a, ts_format_date(at, buf));
}

static void cite_event(struct evidence *e, const struct work *w)
{
	sb_printf(&e->items, "      - {kind: event, ref: %" PRId64 "}\n", w->id);
	e->n++;
}

static void cite(struct evidence *e, const char *kind, const char *ref)
{
	sb_printf(&e->items, "      - {kind: %s, ref: %s}\n", kind, ref);
	e->n++;
}

/* A document or link: ref https://docs.acme.example/PATH, with a date. */
static void cite_doc(struct plan *p, struct evidence *e, const char *kind, const char *path,
                     const char *title)
{
	sb_printf(&e->items,
	          "      - {kind: %s, ref: \"https://docs.acme.example/%s\", date: %s, "
	          "title: ",
	          kind, path, date_in_period(p));
	put_quoted(&e->items, title);
	sb_puts(&e->items, "}\n");
	e->n++;
}

/* The k-th of `of` spread-out pieces of x's work of one sort (deployments
 * or pull requests), so cited evidence spans the period. */
static const struct work *work_piece(struct plan *p, const struct member *x, bool deployment, int k,
                                     int of)
{
	size_t n = 0;
	for (size_t i = 0; i < x->nwork; i++)
		n += x->work[i].deployment == deployment;
	if (n == 0)
		return NULL;
	size_t lo = n * (size_t)k / (size_t)of, hi = n * (size_t)(k + 1) / (size_t)of;
	if (hi <= lo)
		hi = lo + 1;
	size_t want = lo + (size_t)pick(&p->r, (int)(hi - lo));
	for (size_t i = 0; i < x->nwork; i++)
		if (x->work[i].deployment == deployment && want-- == 0)
			return &x->work[i];
	return NULL;
}

static bool shown(const struct plan *p, const struct member *x, enum fw_relation rel)
{
	return x->submitted[rel] >= p->fw.anonymity_threshold;
}

static bool weighs(const struct plan *p, const struct member *x, const char *metric)
{
	const struct fw_profile *pr = framework_profile(&p->fw, x->profile);
	for (int a = 0; pr && a < FW_AXIS_COUNT; a++)
		for (size_t w = 0; w < pr->nweights[a]; w++)
			if (pr->weights[a][w].is_metric &&
			    !strcmp(pr->weights[a][w].dimension, metric))
				return true;
	return false;
}

static const char *slug(struct plan *p, const char *text)
{
	char *s = arena_strdup(p->a, text);
	for (char *c = s; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9')))
			*c = *c >= 'A' && *c <= 'Z' ? (char)(*c - 'A' + 'a') : '-';
	return s;
}

static const char *const design_topics[] = {"retry budget",
                                            "schema migration plan",
                                            "cache invalidation",
                                            "per-tenant rate limits",
                                            "event versioning",
                                            "read replicas",
                                            NULL};

/* What the manager cites for competency id of x, or the reason for citing
 * nothing (*reason).  version 2 of a quiet contributor's finds a document. */
static void gather(struct plan *p, const struct member *x, const char *id, int version,
                   struct evidence *e, const char **reason)
{
	const char *where = *x->service ? x->service : x->team;
	bool quiet = x->portrayal == PORTRAY_QUIET;
	bool senior = rank_of(p, x) >= 2; /* L3, a senior engineer, and above */
	*reason = NULL;
	if (!strcmp(id, "technical_skill")) {
		if (!x->manages) {
			const struct work *w = work_piece(p, x, false, 0, 2);
			if (w)
				cite_event(e, w);
			if ((w = work_piece(p, x, false, 1, 2)) && !quiet)
				cite_event(e, w);
		}
		if ((senior || x->manages) && !quiet) {
			const char *topic = pick_line(&p->r, design_topics);
			cite_doc(p, e, "design_review",
			         arena_printf(p->a, "design/%s/%s", slug(p, where), slug(p, topic)),
			         arena_printf(p->a, "Design review: %s for %s", topic, where));
		}
	} else if (!strcmp(id, "delivery")) {
		const struct work *w = work_piece(p, x, false, 1, 2);
		if (w)
			cite_event(e, w);
		if (!quiet && (w = work_piece(p, x, true, 0, 1)))
			cite_event(e, w);
		if (weighs(p, x, "prs_merged"))
			cite(e, "metric", "prs_merged");
		if (x->manages)
			cite_doc(p, e, "document",
			         arena_printf(p->a, "plans/%s-h2", slug(p, x->team)),
			         arena_printf(p->a, "%s: the half's plan and what shipped",
			                      x->team));
	} else if (!strcmp(id, "collaboration")) {
		if (shown(p, x, FW_REL_PEER))
			cite(e, "feedback", "peer");
		if (weighs(p, x, "reviews_given"))
			cite(e, "metric", "reviews_given");
	} else if (!strcmp(id, "mentoring")) {
		if (quiet && version < 2) {
			*reason = "Pairs with the two newest engineers most weeks; none of it "
			          "leaves a trace in the tools plumb reads, and I know it from our "
			          "one-to-ones and from them.";
			return;
		}
		if (x->manages && shown(p, x, FW_REL_UPWARD))
			cite(e, "feedback", "upward");
		else if (!quiet && shown(p, x, FW_REL_PEER))
			cite(e, "feedback", "peer");
		else
			cite_doc(p, e, "document",
			         arena_printf(p->a, "onboarding/%s", slug(p, where)),
			         arena_printf(p->a, "Onboarding guide for %s", where));
	} else if (!strcmp(id, "operational_excellence")) {
		if (quiet) {
			*reason = "Took their on-call weeks, which were quiet: no pages means no "
			          "record, and nothing here should count against them for it.";
			return;
		}
		const struct work *w = x->manages ? NULL : work_piece(p, x, true, 0, 1);
		if (w)
			cite_event(e, w);
		else
			cite_doc(p, e, "document",
			         arena_printf(p->a, "runbooks/%s", slug(p, where)),
			         arena_printf(p->a, "%s runbook", where));
	} else if (!strcmp(id, "leadership")) {
		if (x->portrayal == PORTRAY_HIGH_PERFORMER) {
			*reason = "Led nothing beyond their own part of a project that was paused: "
			          "there was no room to show it, and nothing to cite either way.";
			return;
		}
		if (quiet) {
			*reason =
			        "Not visible yet: what they lead happens in conversations, not in "
			        "documents or pull requests. Making it visible is their goal for "
			        "next half.";
			return;
		}
		if (x->manages && shown(p, x, FW_REL_UPWARD))
			cite(e, "feedback", "upward");
		if (x->manages && shown(p, x, FW_REL_CROSS_FUNCTIONAL))
			cite(e, "feedback", "cross_functional");
		if (senior || x->manages)
			cite_doc(p, e, "document",
			         arena_printf(p->a, "rfc/%s-%s", slug(p, where),
			                      slug(p, pick_line(&p->r, design_topics))),
			         arena_printf(p->a, "RFC for %s, written and driven to a decision",
			                      where));
	}
	if (e->n == 0 && !x->skips_self) {
		cite(e, "feedback", "self");
	} else if (e->n == 0) {
		*reason = "Seen in our one-to-ones and in the team's work day to day; nothing in "
		          "the tools shows this part of it.";
	}
}

static const char *manager_case(struct plan *p, const struct member *x, double mean)
{
	const char *line =
	        mean >= 3.8   ? "{first} exceeded what we expect at {level} this half."
	        : mean >= 3.0 ? "{first} met the expectations of {level} consistently this half, "
	                        "with dependable work on {svc} and good collaboration."
	        : mean >= 2.5
	                ? "{first} met some of the expectations of {level} this half and fell "
	                  "short of others, mostly in delivery."
	                : "{first} is below the {level} bar this half, mostly in delivery.";
	const char *more =
	        x->portrayal == PORTRAY_HIGH_PERFORMER
	                ? " Their work on {project} was the strongest engineering on the team, "
	                  "but the project was paused and little of it reached customers, so the "
	                  "impact of the half is modest through no fault of theirs. They should "
	                  "lead work that ships next."
	        : x->portrayal == PORTRAY_QUIET
	                ? " Much of what they contribute is helping others and keeping {svc} "
	                  "healthy, which leaves little trace in the tools; several ratings say "
	                  "so rather than cite evidence. We agreed they make more of it visible "
	                  "next half."
	        : x->portrayal == PORTRAY_SMALL_TEAM
	                ? " The {team} team is too small for anonymous peer feedback, so this "
	                  "evaluation rests on the work itself and on our one-to-ones."
	        : mean >= 3.8 ? " I would like to see them take on a larger scope next year."
	        : mean >= 3.0 ? " The next step is to own a larger piece of work end to end."
	                      : " We agreed on a development plan and review it every two weeks.";
	return fill(p, x, arena_printf(p->a, "%s%s", line, more));
}

static const char *evaluation_text(struct plan *p, const struct member *x, int version)
{
	/* Drawn from the person alone, so a second version cites what the
	 * first did but for what it changes. */
	struct rng saved = p->r;
	rng_seed(&p->r, p->in->seed ^ (uint64_t)x->person * UINT64_C(0x9e3779b97f4a7c15));
	struct sb s = SB_INIT;
	sb_puts(&s, "ratings:\n");
	double sum = 0;
	for (size_t c = 0; c < p->fw.ncompetencies; c++) {
		const char *id = p->fw.competencies[c].id;
		int rating = x->ratings[c];
		if (version == 2 && x->revise == 1 && !strcmp(id, "collaboration"))
			rating++;
		sum += rating;
		struct evidence e = {SB_INIT, 0};
		const char *reason;
		gather(p, x, id, version, &e, &reason);
		sb_printf(&s, "  %s:\n    rating: %d\n", id, rating);
		if (reason) {
			sb_puts(&s, "    no_evidence_reason: ");
			put_quoted(&s, reason);
			sb_putc(&s, '\n');
		} else {
			sb_printf(&s, "    evidence:\n%s", e.items.buf);
		}
		sb_release(&e.items);
	}
	double mean = p->fw.ncompetencies ? sum / (double)p->fw.ncompetencies : 3;
	sb_puts(&s, "case: ");
	put_quoted(&s, manager_case(p, x, mean));
	sb_putc(&s, '\n');
	const char *text = arena_strdup(p->a, s.buf);
	sb_release(&s);
	p->r = saved;
	return text;
}

/* ---- playing the plan ------------------------------------------------------ */

static int submit_feedback(struct plan *p, const char *cycle, struct member *about,
                           enum fw_relation rel, enum fw_kind kind, bool draft)
{
	const char *text = feedback_text(p, about, rel, kind, draft);
	struct feedback_submit_options o = {
	        .cycle = cycle,
	        .reviewee = about->eid,
	        .relation = fw_relation_name(rel),
	        .draft = draft,
	        .name = arena_printf(p->a, "%s-%s.yaml", fw_relation_name(rel), about->eid),
	        .data = text,
	        .len = strlen(text),
	};
	struct feedback_submit_result res;
	return feedback_submit(p->ctx, &o, &res, p->err);
}

static int nominate(struct plan *p, const struct assignment *as)
{
	struct cycle_nomination nom = {p->annual, p->m[as->reviewee].eid, p->m[as->reviewer].eid,
	                               fw_relation_name(as->rel)};
	struct cycle_nominate_result res;
	return cycle_nominate(p->ctx, &nom, &res, p->err);
}

/* Self reviews and peer nominations, each as the reviewee. */
static int play_self_review(struct plan *p)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < p->n; i++) {
		struct member *x = &p->m[i];
		rc = act_as(p, x->eid, "writing a self review and nominating peers");
		if (rc == 0 && !x->skips_self) {
			rc = submit_feedback(p, p->annual, x, FW_REL_SELF, FW_KIND_ANNUAL, false);
			p->out->self_reviews++;
		}
		for (size_t k = 0; rc == 0 && k < p->nas; k++)
			if (p->as[k].reviewee == (int)i && p->as[k].rel == FW_REL_PEER) {
				rc = nominate(p, &p->as[k]);
				p->out->nominations++;
			}
	}
	return rc;
}

/* The members' managers' employee ids, each once, in order (the VP's too:
 * the directors report to them). */
static const char **managers(struct plan *p, size_t *n)
{
	const char **v = arena_array(p->a, p->n + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const char *eid = p->m[i].manager_eid;
		if (*eid && !in_list(v, *n, eid))
			v[(*n)++] = eid;
	}
	for (size_t i = 1; i < *n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v;
}

/* Each manager decides on their reports' nominations and names
 * cross-functional reviewers. */
static int play_decisions(struct plan *p)
{
	size_t nm;
	const char **mgrs = managers(p, &nm);
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < nm; k++) {
		rc = act_as(p, mgrs[k], "deciding on peer nominations");
		for (size_t a = 0; rc == 0 && a < p->nas; a++) {
			const struct assignment *as = &p->as[a];
			if (strcmp(p->m[as->reviewee].manager_eid, mgrs[k]) != 0)
				continue;
			if (as->rel == FW_REL_PEER) {
				struct cycle_nomination nom = {p->annual, p->m[as->reviewee].eid,
				                               p->m[as->reviewer].eid, "peer"};
				rc = cycle_decide(p->ctx, &nom, !as->declined, as->declined,
				                  p->err);
				p->out->declined += as->declined != NULL;
			} else if (as->rel == FW_REL_CROSS_FUNCTIONAL) {
				rc = nominate(p, as);
				p->out->cross_functional++;
			}
		}
	}
	return rc;
}

static int play_feedback(struct plan *p)
{
	int rc = 0;
	for (size_t j = 0; rc == 0 && j < p->n; j++) {
		rc = act_as(p, p->m[j].eid, "writing feedback");
		for (size_t a = 0; rc == 0 && a < p->nas; a++) {
			const struct assignment *as = &p->as[a];
			if (as->reviewer != (int)j || as->declined || as->skipped)
				continue;
			struct member *x = &p->m[as->reviewee];
			if (as->draft_first)
				rc = submit_feedback(p, p->annual, x, as->rel, FW_KIND_ANNUAL,
				                     true);
			if (rc == 0)
				rc = submit_feedback(p, p->annual, x, as->rel, FW_KIND_ANNUAL,
				                     false);
			p->out->feedback++;
		}
	}
	return rc;
}

static int submit_evaluation(struct plan *p, const struct member *x, int version)
{
	const char *text = evaluation_text(p, x, version);
	struct evaluation_submission sub = {
	        .cycle = p->annual,
	        .person = x->eid,
	        .name = arena_printf(p->a, "evaluation-%s.yaml", x->eid),
	        .data = text,
	        .len = strlen(text),
	        .reason = version > 1 ? revise_reasons[x->revise] : NULL,
	};
	struct evaluation_submit_result res;
	return evaluation_submit(p->ctx, &sub, &res, p->err);
}

static int play_evaluations(struct plan *p, struct sb *revised)
{
	size_t nm;
	const char **mgrs = managers(p, &nm);
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < nm; k++) {
		rc = act_as(p, mgrs[k], "evaluating their reports");
		for (size_t i = 0; rc == 0 && i < p->n; i++)
			if (!strcmp(p->m[i].manager_eid, mgrs[k])) {
				rc = submit_evaluation(p, &p->m[i], 1);
				p->out->evaluations++;
			}
		for (size_t i = 0; rc == 0 && i < p->n; i++)
			if (p->m[i].revise && !strcmp(p->m[i].manager_eid, mgrs[k])) {
				rc = submit_evaluation(p, &p->m[i], 2);
				p->out->revised++;
				sb_printf(revised, "%s%s", revised->len ? ", " : "", p->m[i].eid);
			}
	}
	return rc;
}

static int advance(struct plan *p, const char *cycle, const char **phase)
{
	struct cycle_advance_result res;
	int rc = act_as(p, NULL, "advancing the annual review");
	if (rc == 0)
		rc = cycle_advance(p->ctx, cycle, &res, p->err);
	if (rc == 0)
		*phase = arena_strdup(p->out_arena, res.to);
	return rc;
}

/* ---- calibration ---------------------------------------------------------- */

static int competency_rating(const struct plan *p, const struct member *x, const char *id)
{
	for (size_t c = 0; c < p->fw.ncompetencies; c++)
		if (!strcmp(p->fw.competencies[c].id, id))
			return x->ratings[c];
	return 0;
}

/* One change in the room: a report of a lenient manager comes down a step
 * on delivery, one of a severe manager's goes up, each with a reason and
 * the calibration notes as evidence. */
static int change_one(struct plan *p, const char *session, const struct member *x, int step)
{
	int from = competency_rating(p, x, "delivery");
	if (!from || from + step < 1 || from + step > 5)
		return 0;
	const char *evidence[] = {arena_printf(
	        p->a, "document:https://wiki.example.com/calibration/%s/%s", p->annual, x->eid)};
	struct calsession_change_request q = {
	        .session = session,
	        .person = x->eid,
	        .dimension = "delivery",
	        .rating = arena_printf(p->a, "%d", from + step),
	        .reason = step < 0 ? arena_printf(p->a,
	                                          "Delivery evidence shows meets, not exceeds; "
	                                          "%s's ratings run high against peer feedback",
	                                          x->manager_eid)
	                           : arena_printf(p->a,
	                                          "Shipped the milestones on plan; %s rates below "
	                                          "what the evidence shows",
	                                          x->manager_eid),
	        .evidence = evidence,
	        .nevidence = 1,
	};
	int64_t id;
	int rc = calsession_change(p->ctx, &q, &id, p->err);
	if (rc == 0)
		p->out->calibration_changes++;
	return rc;
}

static int play_calibration(struct plan *p)
{
	const char **parts = arena_array(p->a, p->n + 1, sizeof *parts);
	size_t nparts = 0;
	int most = -1;
	for (size_t i = 0; i < p->n; i++) {
		if (!p->m[i].reports)
			continue;
		parts[nparts++] = p->m[i].eid;
		if (most < 0 || p->m[i].reports > p->m[most].reports)
			most = (int)i;
	}
	if (!nparts)
		return 0;
	/* The director over the largest team runs the room. */
	const char *facilitator = *p->m[most].manager_eid ? p->m[most].manager_eid : parts[0];
	const char *name = arena_printf(p->a, "%s-calibration", p->annual);
	struct calsession_create_options o = {
	        .name = name,
	        .cycle = p->annual,
	        .teams = (const char **)p->in->scope,
	        .nteams = p->in->nscope,
	        .facilitator = facilitator,
	        .participants = parts,
	        .nparticipants = nparts,
	};
	struct calsession_create_result res;
	int rc = act_as(p, NULL, "creating the calibration session");
	if (rc == 0)
		rc = calsession_create(p->ctx, &o, &res, p->err);
	/* Before the room: each manager reads the other teams' proposals and
	 * questions those whose ratings look out of line with peer feedback. */
	for (size_t k = 0; rc == 0 && k < nparts; k++) {
		if ((rc = act_as(p, parts[k], "marking proposed ratings")) < 0)
			break;
		int marked = 0;
		for (size_t i = 0; rc == 0 && i < p->n && marked < 3; i++) {
			const struct member *x = &p->m[i];
			if (!strcmp(x->manager_eid, parts[k]) || !strcmp(x->eid, parts[k]) ||
			    !chance(&p->r, 25))
				continue;
			const char *mark = x->offset != 0      ? "question"
			                   : chance(&p->r, 15) ? "none"
			                                       : "agree";
			const char *comment =
			        x->offset > 0   ? "Ratings look high next to the peer feedback."
			        : x->offset < 0 ? "Peers describe more than these ratings say."
			                        : "";
			rc = calsession_mark(p->ctx, name, x->eid, mark, comment, p->err);
			marked++;
			p->out->calibration_marks++;
		}
	}
	if (rc == 0)
		rc = act_as(p, facilitator, "running the calibration session");
	if (rc == 0)
		rc = calsession_open(p->ctx, name, p->err);
	int down = 0, up = 0;
	for (size_t i = 0; rc == 0 && i < p->n; i++) {
		const struct member *x = &p->m[i];
		if (x->revise || !strcmp(x->eid, facilitator))
			continue;
		if (x->offset > 0 && down < 2 && competency_rating(p, x, "delivery") >= 4) {
			rc = change_one(p, name, x, -1);
			down++;
		} else if (x->offset < 0 && up < 2 && competency_rating(p, x, "delivery") <= 2) {
			rc = change_one(p, name, x, 1);
			up++;
		}
	}
	struct calsession_close_result closed;
	if (rc == 0)
		rc = calsession_close(p->ctx, name, NULL, &closed, p->err);
	if (rc == ERR_POLICY) {
		err_clear(p->err);
		rc = calsession_close(p->ctx, name,
		                      "A strong year for these teams: the leadership team agreed "
		                      "the distribution may sit above guidance.",
		                      &closed, p->err);
	}
	if (rc == 0) {
		p->out->calibration = arena_strdup(p->out_arena, name);
		p->out->calibration_facilitator = arena_strdup(p->out_arena, facilitator);
	}
	return rc;
}

/* ---- the cycles ------------------------------------------------------------ */

/* Due dates of the finished annual review, all before today: the default
 * schedule's proportions over the days between the period's end and
 * yesterday (at most the whole schedule, at least six days), each due by
 * the end of its day as --due DATE gives it. */
static void annual_dues(const struct plan *p, int64_t *due)
{
	int64_t last = phase_days[CYCLE_PHASE_COUNT - 1];
	int64_t yesterday = ts_day_floor(ts_now_ms()) - MS_PER_DAY;
	int64_t span = yesterday - ts_day_floor(p->in->period_end);
	if (span > last * MS_PER_DAY)
		span = last * MS_PER_DAY;
	if (span < 6 * MS_PER_DAY)
		span = 6 * MS_PER_DAY;
	for (int i = 0; i < CYCLE_PHASE_COUNT; i++)
		due[i] = ts_day_floor(yesterday - span + span * phase_days[i] / last) + MS_PER_DAY -
		         1;
}

static int run_annual(struct plan *p)
{
	struct demo_reviews_summary *o = p->out;
	char buf[TS_BUF];
	ts_format_date(p->in->period_end - MS_PER_DAY, buf);
	p->annual = arena_printf(p->a, "%.4s-annual", buf);
	struct cycle_create_options opt = {
	        .name = p->annual,
	        .kind = FW_KIND_ANNUAL,
	        .teams = (const char **)p->in->scope,
	        .nteams = p->in->nscope,
	        .period_start = p->in->period_start,
	        .period_end = p->in->period_end,
	        .ratings = -1,
	};
	annual_dues(p, opt.due);
	struct cycle_create_result res;
	int rc = act_as(p, NULL, "creating the annual review");
	if (rc == 0)
		rc = cycle_create(p->ctx, &opt, &res, p->err);
	if (rc == 0)
		rc = read_members(p, p->annual, true, &p->m, &p->n);
	if (rc < 0)
		return rc;
	struct sb lenient = SB_INIT, severe = SB_INIT, revised = SB_INIT;
	plan_people(p, &lenient, &severe);
	o->lenient = arena_strdup(p->out_arena, lenient.buf ? lenient.buf : "");
	o->severe = arena_strdup(p->out_arena, severe.buf ? severe.buf : "");
	sb_release(&lenient);
	sb_release(&severe);
	rc = play_self_review(p);
	if (rc == 0)
		rc = play_decisions(p);
	const char *phase = "";
	if (rc == 0)
		rc = advance(p, p->annual, &phase);
	if (rc == 0)
		rc = play_feedback(p);
	if (rc == 0)
		rc = advance(p, p->annual, &phase);
	if (rc == 0)
		rc = play_evaluations(p, &revised);
	if (rc == 0)
		rc = advance(p, p->annual, &phase);
	if (rc == 0)
		rc = play_calibration(p);
	while (rc == 0 && strcmp(phase, "closed") != 0)
		rc = advance(p, p->annual, &phase);
	o->annual = arena_strdup(p->out_arena, p->annual);
	o->annual_phase = phase;
	o->annual_people = (int)p->n;
	o->annual_start = p->in->period_start;
	o->annual_end = p->in->period_end;
	o->revised_people = arena_strdup(p->out_arena, revised.buf ? revised.buf : "");
	sb_release(&revised);
	return rc;
}

/* The check-in of the quarter the data ends in: the self review was due
 * two days ago, so whoever has not submitted is late. */
static int run_checkin(struct plan *p)
{
	struct demo_reviews_summary *o = p->out;
	if (!p->in->ncheckin)
		return 0;
	int y;
	unsigned mo, d;
	/* The quarter of the data's last day, as the annual review's year is: the
	 * period ends at the start of a Sunday that may open a new quarter
	 * (found in review: data to 2022-12-31 made a 2023-q1 check-in). */
	ts_civil_from_days((p->in->period_end - 1) / MS_PER_DAY, &y, &mo, &d);
	unsigned q = (mo - 1) / 3;
	int64_t start = ts_days_from_civil(y, q * 3 + 1, 1) * MS_PER_DAY;
	int64_t end =
	        (q == 3 ? ts_days_from_civil(y + 1, 1, 1) : ts_days_from_civil(y, q * 3 + 4, 1)) *
	        MS_PER_DAY;
	p->checkin = arena_printf(p->a, "%d-q%u-checkin", y, q + 1);
	int64_t today = ts_day_floor(ts_now_ms());
	struct cycle_create_options opt = {
	        .name = p->checkin,
	        .kind = FW_KIND_CHECKIN,
	        .teams = (const char **)p->in->checkin_teams,
	        .nteams = p->in->ncheckin,
	        .period_start = start,
	        .period_end = end,
	        .ratings = -1,
	};
	/* By the end of each day, as --due DATE gives it. */
	int64_t day_end = MS_PER_DAY - 1;
	opt.due[CYCLE_PHASE_SELF_REVIEW] = today - 2 * MS_PER_DAY + day_end;
	opt.due[CYCLE_PHASE_MANAGER_REVIEW] = today + 12 * MS_PER_DAY + day_end;
	opt.due[CYCLE_PHASE_DELIVERY] = today + 26 * MS_PER_DAY + day_end;
	struct cycle_create_result res;
	int rc = act_as(p, NULL, "creating the check-in");
	if (rc == 0)
		rc = cycle_create(p->ctx, &opt, &res, p->err);
	struct member *m = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = read_members(p, p->checkin, false, &m, &n);
	/* Their work and service as the annual review read them. */
	for (size_t i = 0; rc == 0 && i < n; i++)
		for (size_t j = 0; j < p->n; j++)
			if (!strcmp(m[i].eid, p->m[j].eid))
				m[i] = p->m[j];
	/* Half submitted, a quarter saving drafts, a quarter not started. */
	struct sb late = SB_INIT;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		int state = (int)(i % 4);
		if (state == 3) {
			o->checkin_not_started++;
			sb_printf(&late, "%s%s", late.len ? ", " : "", m[i].eid);
			continue;
		}
		rc = act_as(p, m[i].eid, "writing a check-in self review");
		if (rc == 0)
			rc = submit_feedback(p, p->checkin, &m[i], FW_REL_SELF, FW_KIND_CHECKIN,
			                     state == 2);
		if (state == 2) {
			o->checkin_drafts++;
			sb_printf(&late, "%s%s", late.len ? ", " : "", m[i].eid);
		} else {
			o->checkin_submitted++;
		}
	}
	struct sb teams = SB_INIT;
	for (size_t t = 0; t < p->in->ncheckin; t++)
		sb_printf(&teams, "%s%s", t ? ", " : "", p->in->checkin_teams[t]);
	o->checkin = arena_strdup(p->out_arena, p->checkin);
	o->checkin_phase = cycle_phase_name(CYCLE_PHASE_SELF_REVIEW);
	o->checkin_people = (int)n;
	o->checkin_start = start;
	o->checkin_end = end;
	o->checkin_teams = arena_strdup(p->out_arena, teams.buf ? teams.buf : "");
	o->checkin_late = arena_strdup(p->out_arena, late.buf ? late.buf : "");
	sb_release(&teams);
	sb_release(&late);
	return rc;
}

/* The closing entry: what the review cycles added. */
static int audit_body(struct ctx *ctx, void *arg, struct error *err)
{
	const struct plan *p = arg;
	const struct demo_reviews_summary *o = p->out;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "annual", o->annual);
	jw_kstr(&w, "checkin", o->checkin ? o->checkin : "");
	jw_kint(&w, "framework_version", o->framework_version);
	jw_kint(&w, "feedback", o->feedback + o->self_reviews);
	jw_kint(&w, "evaluations", o->evaluations + o->revised);
	jw_kstr(&w, "lenient", o->lenient);
	jw_kstr(&w, "severe", o->severe);
	jw_object_end(&w);
	char seed[24];
	snprintf(seed, sizeof seed, "%" PRIu64, p->in->seed);
	int rc = audit_append(ctx, "demo.reviews", "demo", seed, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int demo_reviews_create(struct ctx *ctx, const struct demo_reviews_input *in,
                        struct demo_reviews_summary *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	struct plan p = {.in = in, .out = out, .out_arena = ctx->arena, .err = err};
	rng_seed(&p.r, in->seed ^ UINT64_C(0x7e71e3c1c1e5a11d));
	int rc = ctx_open_sibling(ctx, &p.ctx, err);
	if (rc < 0)
		return rc;
	p.a = arena_create();
	rc = import_framework(&p);
	if (rc == 0) {
		out->framework = arena_strdup(ctx->arena, p.fw.name);
		out->framework_version = p.fw_version;
		rc = run_annual(&p);
	}
	if (rc == 0)
		rc = run_checkin(&p);
	if (rc == 0)
		rc = act_as(&p, NULL, "recording the demo's review cycles");
	if (rc == 0)
		rc = ctx_run(p.ctx, OP_DEMO, audit_body, &p, err);
	if (rc < 0)
		err_detail(err, "the demo's review cycles stopped while %s as %s", p.step, p.actor);
	arena_destroy(p.a);
	ctx_close(p.ctx);
	return rc;
}
