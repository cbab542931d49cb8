/*
 * demo_sources: the demo's six months of GitHub, Jira, PagerDuty and deploy
 * data, written page by page in the APIs' own shapes and ingested through
 * ingest_files like any export (see demo_sources.h).  Everything is drawn
 * from one generator seeded by the demo's seed, in a fixed order.
 */
#include "demo/demo_sources.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/ctx.h"
#include "demo/demo_examples.h"
#include "ingest/ingest.h"
#include "ingest/ownership.h"
#include "ingest/source.h"
#include "metrics/slo.h"

#define LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define MS_PER_MIN  INT64_C(60000)
#define MS_PER_HOUR INT64_C(3600000)
#define WEEKS       26
#define PAGE_ITEMS  100 /* the APIs' largest page */

#define GH_OWNER   "acme"
#define GH_API     "https://api.github.com/repos/"
#define GH_WEB     "https://github.com/"
#define JIRA_URL   "https://demo.atlassian.net"
#define PD_WEB     "https://demo.pagerduty.com"
#define DEPLOY_WEB "https://argo.demo.example.com"

/* The repository no mapping covers: it becomes a service of its own. */
#define UNMAPPED_REPO "infra-scripts"
/* The repository renamed mid-period: old name before, the service's after. */
#define MIGRATED_SERVICE "search-indexer"
#define MIGRATED_FROM    "indexer"

/* ---- how each service works ------------------------------------------- */

enum cadence { DAILY, WEEKLY, BIWEEKLY };
enum deploy_via { VIA_GITHUB, VIA_DEPLOY_JSON, VIA_DEPLOY_CSV };

static const struct profile {
	const char *service;
	enum cadence cadence;
	enum deploy_via via;
	int incidents_per_quarter; /* 0: no PagerDuty service */
	const char *bot;           /* dependency bot opening weekly PRs, or NULL */
} profiles[] = {
        {"payments-api", DAILY, VIA_GITHUB, 40, "dependabot[bot]"},
        {"payments-ledger", WEEKLY, VIA_GITHUB, 3, NULL},
        {"fraud-scoring", WEEKLY, VIA_GITHUB, 2, NULL},
        {"search-api", DAILY, VIA_GITHUB, 4, "renovate[bot]"},
        {"search-indexer", WEEKLY, VIA_GITHUB, 0, NULL},
        {"incident-bot", WEEKLY, VIA_GITHUB, 0, NULL},
        {"status-page", BIWEEKLY, VIA_GITHUB, 0, NULL},
        {"checkout-web", DAILY, VIA_GITHUB, 5, "dependabot[bot]"},
        {"cart-service", WEEKLY, VIA_GITHUB, 2, NULL},
        {"auth-gateway", DAILY, VIA_GITHUB, 4, "renovate[bot]"},
        {"identity-service", WEEKLY, VIA_GITHUB, 1, NULL},
        {"metrics-collector", WEEKLY, VIA_GITHUB, 2, NULL},
        {"log-router", BIWEEKLY, VIA_GITHUB, 0, NULL},
        {"mobile-ios", BIWEEKLY, VIA_GITHUB, 0, "dependabot[bot]"},
        {"mobile-android", BIWEEKLY, VIA_GITHUB, 0, "renovate[bot]"},
        {"event-pipeline", WEEKLY, VIA_DEPLOY_JSON, 3, NULL},
        {"data-warehouse", WEEKLY, VIA_DEPLOY_JSON, 0, NULL},
        {"blob-store", WEEKLY, VIA_DEPLOY_CSV, 2, NULL},
        {"db-proxy", BIWEEKLY, VIA_DEPLOY_CSV, 3, NULL},
        {"web-storefront", DAILY, VIA_GITHUB, 3, "dependabot[bot]"},
        {"design-system", WEEKLY, VIA_GITHUB, 0, "renovate[bot]"},
        {"ci-runners", WEEKLY, VIA_GITHUB, 0, NULL},
        {"artifact-registry", BIWEEKLY, VIA_GITHUB, 1, NULL},
        {"experiments-api", DAILY, VIA_GITHUB, 1, NULL},
        {"notification-sender", WEEKLY, VIA_GITHUB, 2, NULL},
};

static const struct profile default_profile = {NULL, WEEKLY, VIA_GITHUB, 0, NULL};
/* Its weekly bot pull requests make sure it has activity in any demo. */
static const struct profile unmapped_profile = {UNMAPPED_REPO, WEEKLY, VIA_GITHUB, 0,
                                                "renovate[bot]"};

/* Outside accounts that match nobody in the HRIS export. */
static const struct contractor {
	const char *login, *email, *name, *service;
} contractors[] = {
        {"jlee-contract", "j.lee@contractor-partners.example.net", "Jordan Lee", "mobile-ios"},
        {"pk-freelance", "pavel@freelance.example.org", "Pavel Kuznetsov", "web-storefront"},
};

static const char *const verbs[] = {"Add",    "Fix", "Refactor", "Remove",   "Speed up", "Document",
                                    "Handle", "Log", "Validate", "Simplify", "Test",     "Cache"};
static const char *const objects[] = {"retries on upstream timeouts",
                                      "pagination of the list endpoint",
                                      "config loading",
                                      "the health check",
                                      "metrics for slow queries",
                                      "error messages",
                                      "the batch job",
                                      "feature flag cleanup",
                                      "input validation",
                                      "the rate limiter",
                                      "connection pooling",
                                      "flaky integration test",
                                      "the on-call runbook",
                                      "request tracing",
                                      "schema migration",
                                      "locale fallbacks",
                                      "the admin page",
                                      "idempotency keys",
                                      "the cache warmup",
                                      "audit logging"};
static const char *const incident_titles[] = {"Error rate above 5%",
                                              "p99 latency over 2s",
                                              "Health check failing",
                                              "Queue backlog growing",
                                              "Disk usage over 90%",
                                              "5xx spike after deploy",
                                              "Upstream dependency timing out",
                                              "Certificate expiring"};

/* ---- the generator's state --------------------------------------------- */

/* Someone whose name is on GitHub activity. */
struct author {
	const char *login, *email, *name;
	bool bot;
	int person;            /* index into the world's people, or -1 */
	const char *alt_email; /* an older address some commits carry, or NULL */
};

struct item {
	int64_t at; /* sort key: newest first on the page */
	int64_t seq;
	const char *json;
};

struct item_list {
	struct item *v;
	size_t n, alloc;
};

struct repo {
	const char *full_name, *name;
	struct item_list pulls, commits, deployments, runs;
};

struct svc {
	const char *name;
	int team, team_mid;
	const struct profile *prof;
	struct repo *repo, *old_repo; /* old_repo: until migrate_ms */
	int64_t migrate_ms;
	char pd_id[8]; /* "" without a PagerDuty service */
	char head[41]; /* the main branch's head as history is replayed */
	int next_number;
	bool mapped;
};

struct commit {
	char sha[41];
	int64_t at;
};

#define PR_COMMITS 6
#define PR_REVIEWS 3

struct review {
	int64_t id, at;
	int reviewer; /* person */
	const char *state;
};

struct pull {
	struct svc *svc;
	const struct author *author;
	int number;
	int64_t created, merged, closed;
	bool has_merged, has_closed;
	const char *title, *branch;
	struct commit commits[PR_COMMITS];
	int ncommits;
	struct review reviews[PR_REVIEWS];
	int nreviews;
	int64_t run_ids[2], run_at[2];
	bool run_failed[2];
	int nruns;
	char merge_sha[41];
};

struct issue {
	int team, assignee, reporter;
	int64_t created, started, done;
	const char *title, *type;
	int number;
};

struct incident {
	struct svc *svc;
	int assignee; /* person, or -1 */
	int64_t created, acked, resolved;
	const char *title;
	bool high;
};

struct gen {
	struct ctx *ctx;
	const struct demo_world *w;
	struct arena *a;
	struct rng r;
	const char *dir;
	int64_t start_ms, end_ms, next_id;
	struct svc *svcs;
	int nsvcs; /* the world's services, then the unmapped repository */
	struct repo *repos;
	int nrepos;
	struct author *authors; /* one per person, then contractors, then bots */
	struct author *bots;
	bool *slow; /* per person: takes days to review */
	/* Engineers of each team before and after the re-org, person indices. */
	int *members[2];
	int *member_from[2]; /* team t's members: members[h][member_from[h][t] ..
	                        member_from[h][t + 1]) */
	struct pull **pulls;
	size_t npulls, apulls;
	int64_t files, seq;
	/* Per team: its Jira project's key, and whether any issue is in it. */
	const char **jira_keys;
	bool *jira_used;
	struct incident *incidents; /* every service's, by creation */
	size_t nincidents;
	const char *slo_csv[2]; /* the SLO samples written, in a (slo_files order) */
	char made_dir[4096];    /* the last directory made: the next file is likely there */
	struct error *err;
	int rc;
};

static int pick(struct rng *r, int n)
{
	return (int)rng_below(r, (uint64_t)n);
}

static bool chance(struct rng *r, int percent)
{
	return pick(r, 100) < percent;
}

static void make_sha(struct rng *r, char out[41])
{
	static const char hex[] = "0123456789abcdef";
	for (int i = 0; i < 40; i += 16) {
		uint64_t v = rng_next(r);
		for (int k = 0; k < 16 && i + k < 40; k++, v >>= 4)
			out[i + k] = hex[v & 15];
	}
	out[40] = '\0';
}

/* "2026-05-04T10:15:00Z", as GitHub and PagerDuty write times. */
static const char *gh_time(struct gen *g, int64_t ms)
{
	char buf[TS_BUF];
	ts_format(ms - ms % 1000, buf);
	return arena_printf(g->a, "%.19sZ", buf);
}

/* "2026-05-04T10:15:00.000+0000", as Jira writes them. */
static const char *jira_time(struct gen *g, int64_t ms)
{
	char buf[TS_BUF];
	ts_format(ms, buf);
	return arena_printf(g->a, "%.23s+0000", buf);
}

static int person_team_at(const struct gen *g, int person, int64_t at)
{
	const struct demo_world_person *p = &g->w->people[person];
	return at < g->w->midyear_ms ? p->team : p->team_mid;
}

static bool active_at(const struct gen *g, int person, int64_t at)
{
	int64_t end = g->w->people[person].end_day;
	return end == 0 || end * MS_PER_DAY > at;
}

static int svc_team_at(const struct gen *g, const struct svc *s, int64_t at)
{
	return at < g->w->midyear_ms ? s->team : s->team_mid;
}

static struct repo *repo_at(const struct svc *s, int64_t at)
{
	return s->old_repo && at < s->migrate_ms ? s->old_repo : s->repo;
}

/* A working-hours time on day (ms of its midnight). */
static int64_t work_time(struct rng *r, int64_t day)
{
	return day + 8 * MS_PER_HOUR + pick(r, 10 * 60) * MS_PER_MIN + pick(r, 60) * 1000;
}

/* An engineer of team at time at, other than not; -1 when none. */
static int teammate(struct gen *g, int team, int64_t at, int not )
{
	int h = at >= g->w->midyear_ms;
	const int *m = g->members[h] + g->member_from[h][team];
	int n = g->member_from[h][team + 1] - g->member_from[h][team], ok = 0;
	for (int i = 0; i < n; i++)
		ok += m[i] != not &&active_at(g, m[i], at);
	if (ok == 0)
		return -1;
	int k = pick(&g->r, ok);
	for (int i = 0; i < n; i++)
		if (m[i] != not &&active_at(g, m[i], at) && k-- == 0)
			return m[i];
	BUG("teammate");
}

/* The members lists teammate reads, by counting sort on the team. */
static void index_members(struct gen *g)
{
	const struct demo_world *w = g->w;
	for (int h = 0; h < 2; h++) {
		int *from = arena_array(g->a, (size_t)w->nteams + 1, sizeof *from);
		int *list = arena_array(g->a, (size_t)w->npeople + 1, sizeof *list);
		for (int i = 0; i < w->npeople; i++)
			if (w->people[i].engineer)
				from[(h ? w->people[i].team_mid : w->people[i].team) + 1]++;
		for (int t = 0; t < w->nteams; t++)
			from[t + 1] += from[t];
		int *next = arena_array(g->a, (size_t)w->nteams, sizeof *next);
		for (int i = 0; i < w->npeople; i++) {
			if (!w->people[i].engineer)
				continue;
			int t = h ? w->people[i].team_mid : w->people[i].team;
			list[from[t] + next[t]++] = i;
		}
		g->members[h] = list;
		g->member_from[h] = from;
	}
}

static void list_add(struct gen *g, struct item_list *l, int64_t at, struct sb *json)
{
	l->v = arena_grow(g->a, l->v, l->n, &l->alloc, sizeof *l->v);
	l->v[l->n++] = (struct item){at, g->seq++, arena_strdup(g->a, json->buf)};
	sb_reset(json);
}

static int newest_first(const void *x, const void *y)
{
	const struct item *a = x, *b = y;
	if (a->at != b->at)
		return a->at > b->at ? -1 : 1;
	return a->seq > b->seq ? -1 : a->seq < b->seq;
}

/* ---- files --------------------------------------------------------------- */

/* mkdir -p for the parent directories of path. */
static int make_parents(const char *path, struct error *err)
{
	char buf[4096];
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return err_set(err, ERR_INVALID, "%s: path too long", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return err_set(err, ERR_IO, "%s: cannot create the directory: %s", buf,
			               strerror(errno));
		*p = '/';
	}
	return 0;
}

static void write_file(struct gen *g, const char *rel, const char *data, size_t len)
{
	if (g->rc < 0)
		return;
	const char *path = arena_printf(g->a, "%s/%s", g->dir, rel);
	size_t dir_len = (size_t)(strrchr(path, '/') - path);
	if (strlen(g->made_dir) != dir_len || strncmp(g->made_dir, path, dir_len) != 0) {
		if ((g->rc = make_parents(path, g->err)) < 0)
			return;
		snprintf(g->made_dir, sizeof g->made_dir, "%.*s", (int)dir_len, path);
	}
	FILE *f = fopen(path, "wb");
	if (!f) {
		g->rc = err_set(g->err, ERR_IO, "%s: cannot write: %s", path, strerror(errno));
		return;
	}
	size_t put = fwrite(data, 1, len, f);
	if (fclose(f) != 0 || put != len)
		g->rc = err_set(g->err, ERR_IO, "%s: cannot write: %s", path, strerror(errno));
	g->files++;
}

/* A list as JSON array pages of at most PAGE_ITEMS, newest first, named
 * rel_prefix-NNN.json; runs_shape: the Actions runs object around them.
 * An empty list writes nothing (an empty page says nothing of its kind). */
static void write_pages(struct gen *g, struct item_list *l, const char *rel_prefix, bool runs_shape)
{
	if (l->n == 0)
		return;
	qsort(l->v, l->n, sizeof *l->v, newest_first);
	struct sb page = SB_INIT;
	for (size_t from = 0, no = 1; from < l->n; from += PAGE_ITEMS, no++) {
		sb_reset(&page);
		if (runs_shape)
			sb_printf(&page, "{\"total_count\":%zu,\"workflow_runs\":", l->n);
		sb_putc(&page, '[');
		for (size_t i = from; i < l->n && i < from + PAGE_ITEMS; i++) {
			if (i > from)
				sb_puts(&page, ",\n");
			sb_puts(&page, l->v[i].json);
		}
		sb_puts(&page, runs_shape ? "]}\n" : "]\n");
		write_file(g, arena_printf(g->a, "%s-%03zu.json", rel_prefix, no), page.buf,
		           page.len);
	}
	sb_release(&page);
}

int demo_sources_check_dir(const char *dir, struct error *err)
{
	struct stat st;
	if (stat(dir, &st) != 0)
		return 0;
	bool empty = false;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(dir);
		empty = d != NULL;
		struct dirent *e;
		while (d && (e = readdir(d)))
			if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
				empty = false;
		if (d)
			closedir(d);
	}
	if (empty)
		return 0;
	err_set(err, ERR_CONFLICT, "the demo's data directory %s is not empty", dir);
	err_detail(err, "the demo writes its source files into a directory of its own");
	err_hint(err, "remove it, or give another directory with --data-dir");
	return ERR_CONFLICT;
}

void demo_sources_remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (d) {
		struct dirent *e;
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			struct sb p = SB_INIT;
			sb_printf(&p, "%s/%s", dir, e->d_name);
			struct stat st;
			if (lstat(p.buf, &st) == 0 && S_ISDIR(st.st_mode))
				demo_sources_remove_dir(p.buf);
			else
				unlink(p.buf);
			sb_release(&p);
		}
		closedir(d);
	}
	rmdir(dir);
}

/* ---- setting up ---------------------------------------------------------- */

static const struct profile *profile_of(const char *service)
{
	for (int i = 0; i < LEN(profiles); i++)
		if (!strcmp(profiles[i].service, service))
			return &profiles[i];
	return &default_profile;
}

static struct repo *add_repo(struct gen *g, const char *name)
{
	struct repo *r = &g->repos[g->nrepos++];
	memset(r, 0, sizeof *r);
	r->name = name;
	r->full_name = arena_printf(g->a, GH_OWNER "/%s", name);
	return r;
}

static uint64_t login_id(const char *login)
{
	uint64_t h = 1469598103934665603u;
	for (const char *p = login; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211u;
	return 1000000 + h % 90000000;
}

static void setup(struct gen *g)
{
	const struct demo_world *w = g->w;
	g->nsvcs = w->nservices + 1;
	g->svcs = arena_array(g->a, (size_t)g->nsvcs, sizeof *g->svcs);
	g->repos = arena_array(g->a, (size_t)g->nsvcs + 1, sizeof *g->repos);
	for (int i = 0; i < g->nsvcs; i++) {
		struct svc *s = &g->svcs[i];
		if (i < w->nservices) {
			s->name = w->services[i].name;
			s->team = w->services[i].team;
			s->team_mid = w->services[i].team_mid;
			s->prof = profile_of(s->name);
			s->mapped = true;
		} else { /* the scripts repository, worked on by the first service's team */
			s->name = UNMAPPED_REPO;
			s->team = w->services[2 % w->nservices].team;
			s->team_mid = w->services[2 % w->nservices].team_mid;
			s->prof = &unmapped_profile;
		}
		s->repo = add_repo(g, s->name);
		if (!strcmp(s->name, MIGRATED_SERVICE)) {
			s->old_repo = add_repo(g, MIGRATED_FROM);
			s->migrate_ms = g->start_ms + 13 * 7 * MS_PER_DAY;
		}
		make_sha(&g->r, s->head);
		s->next_number = 1 + pick(&g->r, 400);
		if (s->prof->incidents_per_quarter) {
			static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
			s->pd_id[0] = 'P';
			for (int k = 1; k < 7; k++)
				s->pd_id[k] = alnum[pick(&g->r, (int)sizeof alnum - 1)];
		}
	}

	int nauthors = w->npeople + LEN(contractors) + 3;
	g->authors = arena_array(g->a, (size_t)nauthors, sizeof *g->authors);
	for (int i = 0; i < w->npeople; i++) {
		const struct demo_world_person *p = &w->people[i];
		struct author *au = &g->authors[i];
		au->login = p->github;
		au->email = p->email;
		au->name = p->name;
		au->person = i;
		if (p->emails && *p->emails)
			au->alt_email = arena_strndup(g->a, p->emails, strcspn(p->emails, ";"));
	}
	for (int i = 0; i < LEN(contractors); i++)
		g->authors[w->npeople + i] = (struct author){contractors[i].login,
		                                             contractors[i].email,
		                                             contractors[i].name,
		                                             false,
		                                             -1,
		                                             NULL};
	g->bots = &g->authors[w->npeople + LEN(contractors)];
	g->bots[0] = (struct author){"dependabot[bot]",
	                             "49699333+dependabot[bot]@users.noreply.github.com",
	                             "dependabot[bot]",
	                             true,
	                             -1,
	                             NULL};
	g->bots[1] = (struct author){"renovate[bot]",
	                             "29139614+renovate[bot]@users.noreply.github.com",
	                             "renovate[bot]",
	                             true,
	                             -1,
	                             NULL};
	g->bots[2] = (struct author){"github-actions[bot]",
	                             "41898282+github-actions[bot]@users.noreply.github.com",
	                             "github-actions[bot]",
	                             true,
	                             -1,
	                             NULL};

	index_members(g);
	/* Slow reviewers: about one engineer in twenty takes days. */
	g->slow = arena_array(g->a, (size_t)w->npeople, sizeof *g->slow);
	for (int i = 0; i < w->npeople; i++)
		g->slow[i] = w->people[i].engineer && chance(&g->r, 6);
}

/* ---- pull requests ------------------------------------------------------- */

static const char *make_title(struct gen *g)
{
	int v = pick(&g->r, LEN(verbs));
	int o = pick(&g->r, LEN(objects));
	return arena_printf(g->a, "%s %s", verbs[v], objects[o]);
}

static void add_commit(struct gen *g, struct pull *p, int64_t at)
{
	if (p->ncommits == PR_COMMITS)
		return;
	struct commit *c = &p->commits[p->ncommits++];
	make_sha(&g->r, c->sha);
	c->at = at;
}

static void add_run(struct gen *g, struct pull *p, int64_t at, bool failed)
{
	if (p->nruns == 2)
		return;
	p->run_ids[p->nruns] = 9000000000 + g->next_id++;
	p->run_at[p->nruns] = at;
	p->run_failed[p->nruns] = failed;
	p->nruns++;
}

static void add_review(struct gen *g, struct pull *p, int reviewer, int64_t at, const char *state)
{
	if (p->nreviews == PR_REVIEWS || at >= g->end_ms)
		return;
	p->reviews[p->nreviews++] = (struct review){2000000000 + g->next_id++, at, reviewer, state};
}

/* How long reviewer takes to get to a review. */
static int64_t review_delay(struct gen *g, int reviewer)
{
	if (g->slow[reviewer])
		return (30 + pick(&g->r, 80)) * MS_PER_HOUR + pick(&g->r, 60) * MS_PER_MIN;
	int64_t minutes = 20 + pick(&g->r, 240);
	if (chance(&g->r, 25))
		minutes += pick(&g->r, 20 * 60); /* the next morning */
	return minutes * MS_PER_MIN;
}

/* One pull request by au on s, opened at created; its commits, CI runs,
 * reviews and outcome, cut at the demo's today. */
static void make_pull(struct gen *g, struct svc *s, const struct author *au, int64_t created,
                      bool bot)
{
	struct pull *p = arena_alloc(g->a, sizeof *p);
	p->svc = s;
	p->author = au;
	p->created = created;
	int team = svc_team_at(g, s, created);
	if (bot) {
		p->title =
		        arena_printf(g->a, "Bump %s from 1.%d.%d to 1.%d.0",
		                     au == &g->bots[0] ? "github.com/stretchr/testify" : "lodash",
		                     pick(&g->r, 9), pick(&g->r, 9), 10 + pick(&g->r, 9));
		p->branch = arena_printf(g->a, "%s/deps-%d",
		                         au == &g->bots[0] ? "dependabot" : "renovate",
		                         pick(&g->r, 100000));
		add_commit(g, p, created - pick(&g->r, 60) * 1000);
	} else {
		p->title = make_title(g);
		p->branch = arena_printf(g->a, "%s/%d", au->login, pick(&g->r, 100000));
		int k = 1 + pick(&g->r, 3);
		int64_t at = created - (int64_t)pick(&g->r, 36) * MS_PER_HOUR;
		for (int i = 0; i < k; i++) {
			add_commit(g, p, at);
			at += (created - at) / 2 + pick(&g->r, 30) * MS_PER_MIN;
			if (at > created)
				at = created;
		}
	}
	int64_t t = created + (2 + pick(&g->r, 3)) * MS_PER_MIN;
	bool failed = chance(&g->r, 12);
	add_run(g, p, t, failed);
	if (failed) { /* a fix, and a green run */
		t += (40 + pick(&g->r, 150)) * MS_PER_MIN;
		add_commit(g, p, t);
		add_run(g, p, t + 3 * MS_PER_MIN, false);
	}

	int author_person = au->person;
	int reviewer = teammate(g, team, created, author_person);
	int64_t decided = t;
	bool approved = false;
	if (reviewer >= 0) {
		int64_t at = created + review_delay(g, reviewer);
		if (at < t)
			at = t + 5 * MS_PER_MIN;
		if (!bot && chance(&g->r, 20)) {
			add_review(g, p, reviewer, at, "CHANGES_REQUESTED");
			at += (1 + pick(&g->r, 20)) * MS_PER_HOUR;
			add_commit(g, p, at);
			at += review_delay(g, reviewer) / 2 + MS_PER_MIN;
		} else if (chance(&g->r, 15)) {
			int other = teammate(g, team, created, author_person);
			/* Half an hour before the approval, but never before the
			 * pull request was opened (found in review). */
			int64_t comment_at = at - 30 * MS_PER_MIN;
			if (comment_at <= created)
				comment_at = created + (at - created) / 2;
			if (other >= 0 && other != reviewer)
				add_review(g, p, other, comment_at, "COMMENTED");
		}
		add_review(g, p, reviewer, at, "APPROVED");
		decided = at;
		approved = true;
	}
	if (!approved || chance(&g->r, 6)) {
		p->closed = created + (1 + pick(&g->r, 7)) * MS_PER_DAY;
		/* Closed after its last review, not before a slow approval. */
		if (p->closed <= decided)
			p->closed = decided + 30 * MS_PER_MIN;
		p->has_closed = p->closed < g->end_ms;
	} else {
		p->merged = decided + (10 + pick(&g->r, 180)) * MS_PER_MIN;
		p->has_merged = p->has_closed = p->merged < g->end_ms;
		p->closed = p->merged;
	}
	g->pulls = arena_grow(g->a, g->pulls, g->npulls, &g->apulls, sizeof *g->pulls);
	g->pulls[g->npulls++] = p;
}

/* Services team owns at time at, the unmapped repository seldom. */
static struct svc *pick_service(struct gen *g, int team, int64_t at)
{
	int n = 0;
	for (int i = 0; i < g->nsvcs; i++)
		n += svc_team_at(g, &g->svcs[i], at) == team;
	if (n == 0)
		return NULL;
	for (int tries = 0; tries < 3; tries++) {
		int k = pick(&g->r, n);
		for (int i = 0; i < g->nsvcs; i++)
			if (svc_team_at(g, &g->svcs[i], at) == team && k-- == 0) {
				if (g->svcs[i].mapped || chance(&g->r, 30))
					return &g->svcs[i];
				break;
			}
	}
	return NULL;
}

static void plan_pulls(struct gen *g)
{
	const struct demo_world *w = g->w;
	for (int week = 0; week < WEEKS; week++) {
		int64_t sunday = g->start_ms + week * 7 * MS_PER_DAY;
		for (int i = 0; i < w->npeople; i++) {
			if (!w->people[i].engineer)
				continue;
			int x = pick(&g->r, 10), n = x < 4 ? 0 : x < 9 ? 1 : 2;
			for (int k = 0; k < n; k++) {
				int64_t at = work_time(&g->r,
				                       sunday + (1 + pick(&g->r, 5)) * MS_PER_DAY);
				if (at >= g->end_ms || !active_at(g, i, at))
					continue;
				struct svc *s = pick_service(g, person_team_at(g, i, at), at);
				if (s)
					make_pull(g, s, &g->authors[i], at, false);
			}
		}
		for (int c = 0; c < LEN(contractors); c++) {
			int64_t at = work_time(&g->r, sunday + (1 + pick(&g->r, 5)) * MS_PER_DAY);
			for (int i = 0; i < g->nsvcs; i++)
				if (!strcmp(g->svcs[i].name, contractors[c].service) &&
				    at < g->end_ms)
					make_pull(g, &g->svcs[i], &g->authors[w->npeople + c], at,
					          false);
		}
		for (int i = 0; i < g->nsvcs; i++) {
			const char *bot = g->svcs[i].prof->bot;
			int64_t at = sunday + MS_PER_DAY + 6 * MS_PER_HOUR +
			             pick(&g->r, 60) * MS_PER_MIN;
			if (bot && at < g->end_ms)
				make_pull(g, &g->svcs[i],
				          &g->bots[!strcmp(bot, "dependabot[bot]") ? 0 : 1], at,
				          true);
		}
	}
}

static int by_service_created(const void *x, const void *y)
{
	const struct pull *a = *(struct pull *const *)x, *b = *(struct pull *const *)y;
	if (a->svc != b->svc)
		return a->svc < b->svc ? -1 : 1;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return strcmp(a->author->login, b->author->login);
}

static int by_service_merged(const void *x, const void *y)
{
	const struct pull *a = *(struct pull *const *)x, *b = *(struct pull *const *)y;
	if (a->svc != b->svc)
		return a->svc < b->svc ? -1 : 1;
	if (a->has_merged != b->has_merged)
		return a->has_merged ? -1 : 1;
	if (a->merged != b->merged)
		return a->merged < b->merged ? -1 : 1;
	return a->number - b->number;
}

/* ---- GitHub JSON ----------------------------------------------------------- */

static void j_user(struct jw *w, const char *key, const struct author *au)
{
	jw_key(w, key);
	if (!au) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kstr(w, "login", au->login);
	jw_kint(w, "id", (int64_t)login_id(au->login));
	jw_kstr(w, "type", au->bot ? "Bot" : "User");
	jw_kbool(w, "site_admin", false);
	jw_object_end(w);
}

static void j_repo(struct jw *w, const char *key, const struct repo *r)
{
	jw_key(w, key);
	jw_object_begin(w);
	jw_kstr(w, "full_name", r->full_name);
	jw_kstr(w, "name", r->name);
	jw_kbool(w, "private", true);
	jw_object_end(w);
}

static void j_ktime(struct gen *g, struct jw *w, const char *key, int64_t ms, bool has)
{
	jw_kstr(w, key, has ? gh_time(g, ms) : NULL);
}

static int64_t pull_updated(const struct gen *g, const struct pull *p)
{
	int64_t u = p->created;
	for (int i = 0; i < p->ncommits; i++)
		if (p->commits[i].at > u && p->commits[i].at < g->end_ms)
			u = p->commits[i].at;
	for (int i = 0; i < p->nreviews; i++)
		if (p->reviews[i].at > u)
			u = p->reviews[i].at;
	if (p->has_closed && p->closed > u)
		u = p->closed;
	return u;
}

static void pull_json(struct gen *g, const struct pull *p, struct sb *out)
{
	struct repo *r = repo_at(p->svc, p->created);
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "url", arena_printf(g->a, GH_API "%s/pulls/%d", r->full_name, p->number));
	jw_kint(&w, "id", 1500000000 + p->number * 7919 + (int64_t)(p->svc - g->svcs) * 100003);
	jw_kstr(&w, "html_url", arena_printf(g->a, GH_WEB "%s/pull/%d", r->full_name, p->number));
	jw_kint(&w, "number", p->number);
	jw_kstr(&w, "state", p->has_closed ? "closed" : "open");
	jw_kbool(&w, "locked", false);
	jw_kstr(&w, "title", p->title);
	j_user(&w, "user", p->author);
	jw_kstr(&w, "body", NULL);
	j_ktime(g, &w, "created_at", p->created, true);
	j_ktime(g, &w, "updated_at", pull_updated(g, p), true);
	j_ktime(g, &w, "closed_at", p->closed, p->has_closed);
	j_ktime(g, &w, "merged_at", p->merged, p->has_merged);
	jw_kstr(&w, "merge_commit_sha", p->has_merged ? p->merge_sha : NULL);
	jw_kbool(&w, "draft", false);
	jw_key(&w, "head");
	jw_object_begin(&w);
	jw_kstr(&w, "label", arena_printf(g->a, GH_OWNER ":%s", p->branch));
	jw_kstr(&w, "ref", p->branch);
	jw_kstr(&w, "sha", p->commits[p->ncommits - 1].sha);
	j_repo(&w, "repo", r);
	jw_object_end(&w);
	jw_key(&w, "base");
	jw_object_begin(&w);
	jw_kstr(&w, "label", GH_OWNER ":main");
	jw_kstr(&w, "ref", "main");
	j_repo(&w, "repo", r);
	jw_object_end(&w);
	jw_kstr(&w, "author_association", p->author->person >= 0 ? "MEMBER" : "CONTRIBUTOR");
	jw_object_end(&w);
}

static void commit_json(struct gen *g, const struct repo *r, const char *sha, int64_t at,
                        const struct author *au, const char *message, const char *parent1,
                        const char *parent2, bool merge, struct sb *out)
{
	/* Some people's commits carry an older address GitHub knows no account for. */
	bool alt = au->alt_email && !merge && (sha[0] < '4');
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "sha", sha);
	jw_key(&w, "commit");
	jw_object_begin(&w);
	jw_key(&w, "author");
	jw_object_begin(&w);
	jw_kstr(&w, "name", au->name);
	jw_kstr(&w, "email", alt ? au->alt_email : au->email);
	jw_kstr(&w, "date", gh_time(g, at));
	jw_object_end(&w);
	jw_key(&w, "committer");
	jw_object_begin(&w);
	jw_kstr(&w, "name", merge ? "GitHub" : au->name);
	jw_kstr(&w, "email", merge ? "noreply@github.com" : au->email);
	jw_kstr(&w, "date", gh_time(g, at));
	jw_object_end(&w);
	jw_kstr(&w, "message", message);
	jw_kint(&w, "comment_count", 0);
	jw_object_end(&w);
	jw_kstr(&w, "url", arena_printf(g->a, GH_API "%s/commits/%s", r->full_name, sha));
	jw_kstr(&w, "html_url", arena_printf(g->a, GH_WEB "%s/commit/%s", r->full_name, sha));
	j_user(&w, "author", alt ? NULL : au);
	struct author web_flow = {"web-flow", NULL, NULL, false, -1, NULL};
	j_user(&w, "committer", merge ? &web_flow : alt ? NULL : au);
	jw_key(&w, "parents");
	jw_array_begin(&w);
	const char *parents[2] = {parent1, parent2};
	for (int i = 0; i < 2; i++) {
		if (!parents[i])
			continue;
		jw_object_begin(&w);
		jw_kstr(&w, "sha", parents[i]);
		jw_kstr(&w, "url",
		        arena_printf(g->a, GH_API "%s/commits/%s", r->full_name, parents[i]));
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_object_end(&w);
}

static void review_json(struct gen *g, const struct pull *p, const struct review *rv,
                        struct sb *out)
{
	struct repo *r = repo_at(p->svc, p->created);
	const char *commit = p->commits[0].sha;
	for (int i = 0; i < p->ncommits; i++)
		if (p->commits[i].at <= rv->at)
			commit = p->commits[i].sha;
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kint(&w, "id", rv->id);
	j_user(&w, "user", &g->authors[rv->reviewer]);
	jw_kstr(&w, "body", !strcmp(rv->state, "APPROVED") ? "LGTM" : "A few comments inline.");
	jw_kstr(&w, "state", rv->state);
	jw_kstr(&w, "html_url",
	        arena_printf(g->a, GH_WEB "%s/pull/%d#pullrequestreview-%" PRId64, r->full_name,
	                     p->number, rv->id));
	jw_kstr(&w, "pull_request_url",
	        arena_printf(g->a, GH_API "%s/pulls/%d", r->full_name, p->number));
	jw_kstr(&w, "author_association", "MEMBER");
	j_ktime(g, &w, "submitted_at", rv->at, true);
	jw_kstr(&w, "commit_id", commit);
	jw_object_end(&w);
}

static void run_json(struct gen *g, const struct pull *p, int k, struct sb *out)
{
	struct repo *r = repo_at(p->svc, p->created);
	const char *sha = p->commits[0].sha;
	for (int i = 0; i < p->ncommits; i++)
		if (p->commits[i].at <= p->run_at[k])
			sha = p->commits[i].sha;
	int64_t done = p->run_at[k] + (4 + pick(&g->r, 11)) * MS_PER_MIN + pick(&g->r, 60) * 1000;
	bool finished = done < g->end_ms;
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kint(&w, "id", p->run_ids[k]);
	jw_kstr(&w, "name", "CI");
	jw_kstr(&w, "head_branch", p->branch);
	jw_kstr(&w, "head_sha", sha);
	jw_kstr(&w, "path", ".github/workflows/ci.yml");
	jw_kint(&w, "run_number", p->run_ids[k] % 100000);
	jw_kstr(&w, "event", "pull_request");
	jw_kstr(&w, "status", finished ? "completed" : "in_progress");
	jw_kstr(&w, "conclusion", !finished ? NULL : p->run_failed[k] ? "failure" : "success");
	jw_kint(&w, "workflow_id", 40000000 + (int64_t)(p->svc - g->svcs));
	jw_kstr(&w, "html_url",
	        arena_printf(g->a, GH_WEB "%s/actions/runs/%" PRId64, r->full_name, p->run_ids[k]));
	j_ktime(g, &w, "created_at", p->run_at[k], true);
	j_ktime(g, &w, "updated_at", finished ? done : p->run_at[k], true);
	jw_kint(&w, "run_attempt", 1);
	j_ktime(g, &w, "run_started_at", p->run_at[k], true);
	j_user(&w, "actor", p->author);
	j_user(&w, "triggering_actor", p->author);
	j_repo(&w, "repository", r);
	jw_object_end(&w);
}

/* Each pull request's page items: the pull, its reviews page, its runs, and
 * on merge its commits and merge commit onto the replayed main branch. */
static void emit_pulls(struct gen *g)
{
	if (g->npulls == 0)
		return;
	struct sb json = SB_INIT;
	qsort(g->pulls, g->npulls, sizeof *g->pulls, by_service_created);
	for (size_t i = 0; i < g->npulls; i++)
		g->pulls[i]->number = g->pulls[i]->svc->next_number++;
	qsort(g->pulls, g->npulls, sizeof *g->pulls, by_service_merged);
	for (size_t i = 0; i < g->npulls && g->rc == 0; i++) {
		struct pull *p = g->pulls[i];
		struct repo *r = repo_at(p->svc, p->created);
		/* Commits made after today are not there yet. */
		while (p->ncommits > 1 && p->commits[p->ncommits - 1].at >= g->end_ms)
			p->ncommits--;
		if (p->has_merged) {
			struct repo *main_repo = repo_at(p->svc, p->merged);
			const char *parent = p->svc->head;
			const char *base = arena_strdup(g->a, parent);
			for (int k = 0; k < p->ncommits; k++) {
				const char *msg = k == 0 ? p->title : "Address review comments";
				commit_json(g, main_repo, p->commits[k].sha, p->commits[k].at,
				            p->author, msg, k == 0 ? base : p->commits[k - 1].sha,
				            NULL, false, &json);
				list_add(g, &main_repo->commits, p->commits[k].at, &json);
			}
			make_sha(&g->r, p->merge_sha);
			const char *msg = arena_printf(
			        g->a, "Merge pull request #%d from " GH_OWNER "/%s\n\n%s",
			        p->number, p->branch, p->title);
			commit_json(g, main_repo, p->merge_sha, p->merged, p->author, msg, base,
			            p->commits[p->ncommits - 1].sha, true, &json);
			list_add(g, &main_repo->commits, p->merged, &json);
			snprintf(p->svc->head, sizeof p->svc->head, "%s", p->merge_sha);
		}
		pull_json(g, p, &json);
		list_add(g, &r->pulls, p->created, &json);
		for (int k = 0; k < p->nruns; k++)
			if (p->run_at[k] < g->end_ms) {
				run_json(g, p, k, &json);
				list_add(g, &r->runs, p->run_at[k], &json);
			}
		if (p->nreviews > 0) {
			struct item_list reviews = {0};
			for (int k = 0; k < p->nreviews; k++) {
				review_json(g, p, &p->reviews[k], &json);
				list_add(g, &reviews, -(p->reviews[k].at),
				         &json); /* oldest first */
			}
			qsort(reviews.v, reviews.n, sizeof *reviews.v, newest_first);
			sb_puts(&json, "[");
			for (size_t k = 0; k < reviews.n; k++)
				sb_printf(&json, "%s%s", k ? ",\n" : "", reviews.v[k].json);
			sb_puts(&json, "]\n");
			write_file(g,
			           arena_printf(g->a, "github/%s/reviews/pull-%05d.json",
			                        r->full_name, p->number),
			           json.buf, json.len);
			sb_reset(&json);
		}
	}
	sb_release(&json);
}

/* ---- deployments ----------------------------------------------------------- */

struct deploy {
	struct svc *svc;
	int64_t at, finished;
	const char *sha;
	bool failed;
	const struct author *creator;
};

/* The main head of s at time at: the last merge before it. */
static const char *head_at(struct gen *g, const struct svc *s, int64_t at, const char *root)
{
	const char *head = root;
	for (size_t i = 0; i < g->npulls; i++) {
		const struct pull *p = g->pulls[i];
		if (p->svc == s && p->has_merged && p->merged < at)
			head = p->merge_sha;
	}
	return head;
}

static void github_deploy_json(struct gen *g, const struct deploy *d, int64_t id, struct sb *out)
{
	struct repo *r = repo_at(d->svc, d->at);
	const char *url = arena_printf(g->a, GH_API "%s/deployments/%" PRId64, r->full_name, id);
	bool done = d->finished < g->end_ms;
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "url", url);
	jw_kint(&w, "id", id);
	jw_kstr(&w, "sha", d->sha);
	jw_kstr(&w, "ref", "main");
	jw_kstr(&w, "task", "deploy");
	jw_key(&w, "payload");
	jw_object_begin(&w);
	jw_object_end(&w);
	jw_kstr(&w, "original_environment", "production");
	jw_kstr(&w, "environment", "production");
	jw_kstr(&w, "description", arena_printf(g->a, "Deploy %.7s to production", d->sha));
	j_user(&w, "creator", d->creator);
	j_ktime(g, &w, "created_at", d->at, true);
	j_ktime(g, &w, "updated_at", done ? d->finished : d->at + 20000, true);
	jw_kstr(&w, "statuses_url", arena_printf(g->a, "%s/statuses", url));
	jw_kstr(&w, "repository_url", arena_printf(g->a, GH_API "%s", r->full_name));
	jw_kbool(&w, "transient_environment", false);
	jw_kbool(&w, "production_environment", true);
	jw_object_end(&w);
}

static void status_json(struct gen *g, const struct deploy *d, int64_t id, int64_t status_id,
                        const char *state, int64_t at, struct sb *out)
{
	struct repo *r = repo_at(d->svc, d->at);
	const char *url = arena_printf(g->a, GH_API "%s/deployments/%" PRId64, r->full_name, id);
	const char *log = arena_printf(g->a, GH_WEB "%s/actions/runs/%" PRId64, r->full_name,
	                               id + 7000000000);
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "url", arena_printf(g->a, "%s/statuses/%" PRId64, url, status_id));
	jw_kint(&w, "id", status_id);
	jw_kstr(&w, "state", state);
	j_user(&w, "creator", d->creator);
	jw_kstr(&w, "description", "");
	jw_kstr(&w, "environment", "production");
	jw_kstr(&w, "target_url", log);
	jw_kstr(&w, "log_url", log);
	j_ktime(g, &w, "created_at", at, true);
	j_ktime(g, &w, "updated_at", at, true);
	jw_kstr(&w, "deployment_url", url);
	jw_kstr(&w, "repository_url", arena_printf(g->a, GH_API "%s", r->full_name));
	jw_object_end(&w);
}

static void deploy_item_json(struct gen *g, const struct deploy *d, int n, struct sb *out)
{
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "id", arena_printf(g->a, "argo-%s-%d", d->svc->name, n));
	jw_kstr(&w, "service", d->svc->name);
	jw_kstr(&w, "environment", "production");
	jw_kstr(&w, "sha", d->sha);
	jw_kstr(&w, "ref", "refs/heads/main");
	jw_kstr(&w, "started", gh_time(g, d->at));
	if (d->finished < g->end_ms)
		jw_kstr(&w, "finished", gh_time(g, d->finished));
	jw_kstr(&w, "status",
	        d->finished >= g->end_ms ? "in_progress"
	        : d->failed              ? "failure"
	                                 : "success");
	jw_kstr(&w, "url", arena_printf(g->a, DEPLOY_WEB "/applications/%s/%d", d->svc->name, n));
	jw_object_end(&w);
}

static void deploy_csv_row(struct gen *g, const struct deploy *d, int n, struct sb *out)
{
	const char *fields[] = {
	        arena_printf(g->a, "argo-%s-%d", d->svc->name, n),
	        d->svc->name,
	        "production",
	        d->sha,
	        "refs/heads/main",
	        gh_time(g, d->at),
	        d->finished < g->end_ms ? gh_time(g, d->finished) : "",
	        d->finished >= g->end_ms ? "in_progress"
	        : d->failed              ? "failure"
	                                 : "success",
	        arena_printf(g->a, DEPLOY_WEB "/applications/%s/%d", d->svc->name, n),
	};
	for (int i = 0; i < LEN(fields); i++) {
		if (i)
			sb_putc(out, ',');
		sb_csv_field(out, fields[i]);
	}
	sb_putc(out, '\n');
}

static bool deploy_day(const struct svc *s, int day_index)
{
	int dow = day_index % 7; /* the window starts on a Sunday */
	switch (s->prof->cadence) {
	case DAILY:
		return dow >= 1 && dow <= 5;
	case WEEKLY:
		return dow == 2;
	case BIWEEKLY:
		return dow == 3 && (day_index / 7) % 2 == 0;
	}
	BUG("cadence");
}

/* Deploy-tool exports: JSON pages {"deployments": [...]} and CSV pages with
 * a header, at most PAGE_ITEMS each, oldest first. */
static void write_deploy_files(struct gen *g, const struct item_list *l, bool csv)
{
	struct sb file = SB_INIT;
	for (size_t from = 0, no = 1; from < l->n; from += PAGE_ITEMS, no++) {
		sb_reset(&file);
		sb_puts(&file, csv ? "id,service,environment,sha,ref,started,finished,status,url\n"
		                   : "{\"deployments\": [\n");
		for (size_t i = from; i < l->n && i < from + PAGE_ITEMS; i++)
			sb_printf(&file, "%s%s", csv || i == from ? "" : ",\n", l->v[i].json);
		if (!csv)
			sb_puts(&file, "\n]}\n");
		write_file(g, arena_printf(g->a, "deploy/argo-%03zu.%s", no, csv ? "csv" : "json"),
		           file.buf, file.len);
	}
	sb_release(&file);
}

/* One deployment of s: to its repository's deployments page with its own
 * statuses page, or to the deploy tool's export. */
static void emit_deploy(struct gen *g, const struct deploy *d, int n, struct item_list *tool_json,
                        struct item_list *tool_csv, struct sb *json)
{
	const struct svc *s = d->svc;
	if (s->prof->via == VIA_DEPLOY_JSON) {
		deploy_item_json(g, d, n, json);
		list_add(g, tool_json, d->at, json);
		return;
	}
	if (s->prof->via == VIA_DEPLOY_CSV) {
		deploy_csv_row(g, d, n, json);
		list_add(g, tool_csv, d->at, json);
		return;
	}
	int64_t id = 3000000000 + g->next_id++;
	struct repo *r = repo_at(s, d->at);
	github_deploy_json(g, d, id, json);
	list_add(g, &r->deployments, d->at, json);
	struct item_list statuses = {0};
	status_json(g, d, id, 4000000000 + g->next_id++, "in_progress", d->at + 20000, json);
	list_add(g, &statuses, d->at + 20000, json);
	if (d->finished < g->end_ms) {
		status_json(g, d, id, 4000000000 + g->next_id++, d->failed ? "failure" : "success",
		            d->finished, json);
		list_add(g, &statuses, d->finished, json);
	}
	write_pages(g, &statuses,
	            arena_printf(g->a, "github/%s/deployment-statuses/%" PRId64, r->full_name, id),
	            false);
}

/* Every service's deployments over the window, on its cadence; some fail
 * and are redeployed within the hour or two.  Daily deployers ship from CI
 * (github-actions[bot]), the others by an engineer of the owning team. */
static void emit_deploys(struct gen *g)
{
	struct sb json = SB_INIT;
	struct item_list tool_json = {0}, tool_csv = {0};
	int days = (int)((g->end_ms - g->start_ms) / MS_PER_DAY);
	for (int si = 0; si < g->nsvcs && g->rc == 0; si++) {
		struct svc *s = &g->svcs[si];
		if (!s->mapped)
			continue;
		char root[41];
		make_sha(&g->r, root);
		int n = 0;
		for (int day = 0; day < days; day++) {
			if (!deploy_day(s, day))
				continue;
			int64_t midnight = g->start_ms + day * MS_PER_DAY;
			int count = s->prof->cadence == DAILY && chance(&g->r, 30) ? 2 : 1;
			for (int k = 0; k < count; k++) {
				struct deploy d = {.svc = s};
				d.at = midnight + (10 + 3 * k + pick(&g->r, 3)) * MS_PER_HOUR +
				       pick(&g->r, 60) * MS_PER_MIN;
				bool retry = false;
				do {
					if (d.at >= g->end_ms)
						break;
					d.sha = head_at(g, s, d.at, root);
					d.failed = !retry && chance(&g->r, 8);
					d.finished = d.at + (3 + pick(&g->r, 10)) * MS_PER_MIN;
					int who = s->prof->cadence == DAILY
					                  ? -1
					                  : teammate(g, svc_team_at(g, s, d.at),
					                             d.at, -1);
					d.creator = who >= 0 ? &g->authors[who] : &g->bots[2];
					emit_deploy(g, &d, ++n, &tool_json, &tool_csv, &json);
					retry = d.failed;
					d.at = d.finished + (30 + pick(&g->r, 60)) * MS_PER_MIN;
				} while (retry);
			}
		}
	}
	write_deploy_files(g, &tool_json, false);
	write_deploy_files(g, &tool_csv, true);
	sb_release(&json);
}

static void write_github(struct gen *g)
{
	for (int i = 0; i < g->nrepos; i++) {
		struct repo *r = &g->repos[i];
		const char *base = arena_printf(g->a, "github/%s/", r->full_name);
		write_pages(g, &r->pulls, arena_printf(g->a, "%spulls", base), false);
		write_pages(g, &r->commits, arena_printf(g->a, "%scommits", base), false);
		write_pages(g, &r->deployments, arena_printf(g->a, "%sdeployments", base), false);
		write_pages(g, &r->runs, arena_printf(g->a, "%sactions-runs", base), true);
	}
}
/* ---- Jira ------------------------------------------------------------------ */

/* A project key per team: its name's first letters, made unique. */
static const char **project_keys(struct gen *g)
{
	const struct demo_world *w = g->w;
	const char **keys = arena_array(g->a, (size_t)w->nteams, sizeof *keys);
	for (int t = 0; t < w->nteams; t++) {
		char key[8];
		size_t n = 0;
		for (const char *p = w->teams[t]; *p && n < 3; p++)
			if (*p >= 'a' && *p <= 'z')
				key[n++] = (char)(*p - 'a' + 'A');
		key[n] = '\0';
		const char *candidate = arena_strdup(g->a, key);
		for (int k = 2;; k++) {
			bool taken = false;
			for (int u = 0; u < t; u++)
				taken |= !strcmp(keys[u], candidate);
			if (!taken)
				break;
			candidate = arena_printf(g->a, "%s%d", key, k);
		}
		keys[t] = candidate;
	}
	return keys;
}

static bool owns_service(const struct gen *g, int team, int64_t at)
{
	for (int i = 0; i < g->nsvcs; i++)
		if (svc_team_at(g, &g->svcs[i], at) == team)
			return true;
	return false;
}

static int by_team_created(const void *x, const void *y)
{
	const struct issue *a = x, *b = y;
	if (a->team != b->team)
		return a->team - b->team;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return a->assignee - b->assignee;
}

static void jira_person(struct gen *g, struct jw *w, const char *key, int person)
{
	const struct demo_world_person *p = &g->w->people[person];
	jw_key(w, key);
	jw_object_begin(w);
	jw_kstr(w, "self", arena_printf(g->a, JIRA_URL "/rest/api/3/user?accountId=%s", p->jira));
	jw_kstr(w, "accountId", p->jira);
	jw_kstr(w, "emailAddress", p->email);
	jw_kstr(w, "displayName", p->name);
	jw_kbool(w, "active", true);
	jw_kstr(w, "accountType", "atlassian");
	jw_object_end(w);
}

static void jira_history(struct gen *g, struct jw *w, int64_t id, int person, int64_t at,
                         const char *from, const char *to)
{
	jw_object_begin(w);
	jw_kstr(w, "id", arena_printf(g->a, "%" PRId64, id));
	jira_person(g, w, "author", person);
	jw_kstr(w, "created", jira_time(g, at));
	jw_key(w, "items");
	jw_array_begin(w);
	jw_object_begin(w);
	jw_kstr(w, "field", "status");
	jw_kstr(w, "fieldtype", "jira");
	jw_kstr(w, "fieldId", "status");
	jw_kstr(w, "fromString", from);
	jw_kstr(w, "toString", to);
	jw_object_end(w);
	jw_array_end(w);
	jw_object_end(w);
}

static void issue_json(struct gen *g, const struct issue *is, const char *key, struct sb *out)
{
	bool started = is->started < g->end_ms, done = is->done < g->end_ms;
	const char *status = done ? "Done" : started ? "In Progress" : "To Do";
	const char *category = done ? "done" : started ? "indeterminate" : "new";
	int64_t id = 10000 + g->next_id++;
	int64_t updated = done ? is->done : started ? is->started : is->created;
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "expand", "operations,versionedRepresentations,editmeta,changelog");
	jw_kstr(&w, "id", arena_printf(g->a, "%" PRId64, id));
	jw_kstr(&w, "self", arena_printf(g->a, JIRA_URL "/rest/api/3/issue/%" PRId64, id));
	jw_kstr(&w, "key", arena_printf(g->a, "%s-%d", key, is->number));
	jw_key(&w, "changelog");
	jw_object_begin(&w);
	int n = started + done;
	jw_kint(&w, "startAt", 0);
	jw_kint(&w, "maxResults", n);
	jw_kint(&w, "total", n);
	jw_key(&w, "histories");
	jw_array_begin(&w);
	if (done)
		jira_history(g, &w, 50000 + g->next_id++, is->assignee, is->done, "In Progress",
		             "Done");
	if (started)
		jira_history(g, &w, 50000 + g->next_id++, is->assignee, is->started, "To Do",
		             "In Progress");
	jw_array_end(&w);
	jw_object_end(&w);
	jw_key(&w, "fields");
	jw_object_begin(&w);
	jw_kstr(&w, "summary", is->title);
	jw_key(&w, "issuetype");
	jw_object_begin(&w);
	jw_kstr(&w, "name", is->type);
	jw_kbool(&w, "subtask", false);
	jw_object_end(&w);
	jw_key(&w, "project");
	jw_object_begin(&w);
	jw_kstr(&w, "key", key);
	jw_kstr(&w, "name", g->w->teams[is->team]);
	jw_object_end(&w);
	jw_key(&w, "priority");
	jw_object_begin(&w);
	jw_kstr(&w, "name", is->number % 7 == 0 ? "High" : "Medium");
	jw_object_end(&w);
	jw_key(&w, "status");
	jw_object_begin(&w);
	jw_kstr(&w, "name", status);
	jw_key(&w, "statusCategory");
	jw_object_begin(&w);
	jw_kstr(&w, "key", category);
	jw_kstr(&w, "name", done ? "Done" : started ? "In Progress" : "To Do");
	jw_object_end(&w);
	jw_object_end(&w);
	jira_person(g, &w, "assignee", is->assignee);
	jira_person(g, &w, "reporter", is->reporter);
	jw_kstr(&w, "created", jira_time(g, is->created));
	jw_kstr(&w, "updated", jira_time(g, updated));
	jw_kstr(&w, "resolutiondate", done ? jira_time(g, is->done) : NULL);
	jw_object_end(&w);
	jw_object_end(&w);
}

/* Work items: each engineer with a Jira account takes on a story or a bug
 * most weeks, in their team's project; *jql gets the source's query. */
static void emit_jira(struct gen *g, const char **jql)
{
	const struct demo_world *w = g->w;
	const char **keys = project_keys(g);
	struct issue *issues = NULL;
	size_t n = 0, alloc = 0;
	for (int week = 0; week < WEEKS; week++) {
		int64_t sunday = g->start_ms + week * 7 * MS_PER_DAY;
		for (int i = 0; i < w->npeople; i++) {
			if (!w->people[i].engineer || !*w->people[i].jira || !chance(&g->r, 70))
				continue;
			struct issue is = {.assignee = i, .reporter = i};
			is.created = work_time(&g->r, sunday + (1 + pick(&g->r, 5)) * MS_PER_DAY);
			if (is.created >= g->end_ms || !active_at(g, i, is.created))
				continue;
			is.team = person_team_at(g, i, is.created);
			if (!owns_service(g, is.team, is.created))
				continue; /* the demo's activity is around its services */
			int other = teammate(g, is.team, is.created, i);
			if (other >= 0 && *w->people[other].jira && chance(&g->r, 50))
				is.reporter = other;
			is.started = is.created + (int64_t)pick(&g->r, 5 * 24) * MS_PER_HOUR;
			is.done = is.started + (4 + (int64_t)pick(&g->r, 8 * 24)) * MS_PER_HOUR;
			is.type = chance(&g->r, 25) ? "Bug" : chance(&g->r, 20) ? "Task" : "Story";
			is.title = make_title(g);
			issues = arena_grow(g->a, issues, n, &alloc, sizeof *issues);
			issues[n++] = is;
		}
	}
	if (n > 0)
		qsort(issues, n, sizeof *issues, by_team_created);
	int *next = arena_array(g->a, (size_t)w->nteams, sizeof *next);
	bool *used = arena_array(g->a, (size_t)w->nteams, sizeof *used);
	for (size_t i = 0; i < n; i++) {
		issues[i].number = ++next[issues[i].team];
		used[issues[i].team] = true;
	}
	struct sb q = SB_INIT;
	sb_puts(&q, "project in (");
	for (int t = 0, first = 1; t < w->nteams; t++)
		if (used[t]) {
			sb_printf(&q, "%s%s", first ? "" : ", ", keys[t]);
			first = 0;
		}
	sb_puts(&q, ")"); /* sync adds its own ORDER BY */
	g->jira_keys = keys;
	g->jira_used = used;
	*jql = arena_strdup(g->a, q.buf);
	sb_release(&q);

	struct sb page = SB_INIT, json = SB_INIT;
	for (size_t from = 0, no = 1; from < n && g->rc == 0; from += PAGE_ITEMS, no++) {
		sb_reset(&page);
		sb_printf(&page,
		          "{\"expand\": \"names,schema\", \"startAt\": %zu, \"maxResults\": %d, "
		          "\"total\": %zu, \"isLast\": %s, \"issues\": [\n",
		          from, PAGE_ITEMS, n, from + PAGE_ITEMS >= n ? "true" : "false");
		for (size_t i = from; i < n && i < from + PAGE_ITEMS; i++) {
			issue_json(g, &issues[i], keys[issues[i].team], &json);
			sb_printf(&page, "%s%s", i > from ? ",\n" : "", json.buf);
			sb_reset(&json);
		}
		sb_puts(&page, "\n]}\n");
		write_file(g, arena_printf(g->a, "jira/search-%03zu.json", no), page.buf, page.len);
	}
	sb_release(&page);
	sb_release(&json);
}

/* ---- PagerDuty ----------------------------------------------------------- */

static int by_created(const void *x, const void *y)
{
	const struct incident *a = x, *b = y;
	if (a->created != b->created)
		return a->created < b->created ? -1 : 1;
	return a->svc < b->svc ? -1 : a->svc > b->svc;
}

/* Someone on call for s at time at: an engineer of its team with a pager. */
static int on_call(struct gen *g, const struct svc *s, int64_t at)
{
	int team = svc_team_at(g, s, at);
	for (int tries = 0; tries < 6; tries++) {
		int p = teammate(g, team, at, -1);
		if (p >= 0 && *g->w->people[p].pagerduty)
			return p;
	}
	return -1;
}

static void incident_json(struct gen *g, const struct incident *in, int number, struct sb *out)
{
	char id[16];
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	id[0] = 'Q';
	for (int k = 1; k < 14; k++)
		id[k] = alnum[pick(&g->r, (int)sizeof alnum - 1)];
	id[14] = '\0';
	bool acked = in->acked < g->end_ms, resolved = in->resolved < g->end_ms;
	const char *status = resolved ? "resolved" : acked ? "acknowledged" : "triggered";
	int64_t changed = resolved ? in->resolved : acked ? in->acked : in->created;
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	jw_kstr(&w, "id", id);
	jw_kstr(&w, "type", "incident");
	jw_kstr(&w, "summary", arena_printf(g->a, "[#%d] %s", number, in->title));
	jw_kstr(&w, "self", arena_printf(g->a, "https://api.pagerduty.com/incidents/%s", id));
	jw_kstr(&w, "html_url", arena_printf(g->a, PD_WEB "/incidents/%s", id));
	jw_kint(&w, "incident_number", number);
	jw_kstr(&w, "title", in->title);
	jw_kstr(&w, "created_at", gh_time(g, in->created));
	jw_kstr(&w, "updated_at", gh_time(g, changed));
	jw_kstr(&w, "status", status);
	jw_kstr(&w, "incident_key", arena_printf(g->a, "%s-%d", in->svc->name, number));
	jw_key(&w, "service");
	jw_object_begin(&w);
	jw_kstr(&w, "id", in->svc->pd_id);
	jw_kstr(&w, "type", "service_reference");
	jw_kstr(&w, "summary", in->svc->name);
	jw_object_end(&w);
	jw_key(&w, "assignments");
	jw_array_begin(&w);
	if (in->assignee >= 0 && !resolved) {
		jw_object_begin(&w);
		jw_kstr(&w, "at", gh_time(g, in->created));
		jw_key(&w, "assignee");
		jw_object_begin(&w);
		jw_kstr(&w, "id", g->w->people[in->assignee].pagerduty);
		jw_kstr(&w, "type", "user_reference");
		jw_kstr(&w, "summary", g->w->people[in->assignee].name);
		jw_object_end(&w);
		jw_object_end(&w);
	}
	jw_array_end(&w);
	jw_kstr(&w, "last_status_change_at", gh_time(g, changed));
	if (resolved)
		jw_kstr(&w, "resolved_at", gh_time(g, in->resolved));
	jw_key(&w, "escalation_policy");
	jw_object_begin(&w);
	jw_kstr(&w, "id", arena_printf(g->a, "PE%.5s", in->svc->pd_id + 1));
	jw_kstr(&w, "type", "escalation_policy_reference");
	jw_kstr(&w, "summary", g->w->teams[svc_team_at(g, in->svc, in->created)]);
	jw_object_end(&w);
	jw_kstr(&w, "urgency", in->high ? "high" : "low");
	jw_object_end(&w);
}

/* Incidents at any hour on the services with a pager; payments-api pages
 * several times a week. */
static void emit_pagerduty(struct gen *g)
{
	struct incident *list = NULL;
	size_t n = 0, alloc = 0;
	int64_t span = g->end_ms - g->start_ms;
	for (int si = 0; si < g->nsvcs; si++) {
		struct svc *s = &g->svcs[si];
		int count = s->prof->incidents_per_quarter * 2; /* the window is two quarters */
		for (int k = 0; k < count; k++) {
			struct incident in = {.svc = s};
			in.created = g->start_ms +
			             (int64_t)(rng_below(&g->r, (uint64_t)(span / 1000))) * 1000;
			in.acked = in.created + (2 + pick(&g->r, 20)) * MS_PER_MIN;
			in.resolved = in.acked + (10 + pick(&g->r, 240)) * MS_PER_MIN;
			in.title = incident_titles[pick(&g->r, LEN(incident_titles))];
			in.high = chance(&g->r, 60);
			in.assignee = on_call(g, s, in.created);
			list = arena_grow(g->a, list, n, &alloc, sizeof *list);
			list[n++] = in;
		}
	}
	if (n > 0)
		qsort(list, n, sizeof *list, by_created);
	g->incidents = list;
	g->nincidents = n;
	struct sb page = SB_INIT, json = SB_INIT;
	for (size_t from = 0, no = 1; from < n && g->rc == 0; from += PAGE_ITEMS, no++) {
		sb_reset(&page);
		sb_puts(&page, "{\"incidents\": [\n");
		for (size_t i = from; i < n && i < from + PAGE_ITEMS; i++) {
			incident_json(g, &list[i], 1000 + (int)i, &json);
			sb_printf(&page, "%s%s", i > from ? ",\n" : "", json.buf);
			sb_reset(&json);
		}
		sb_printf(&page,
		          "\n], \"limit\": %d, \"offset\": %zu, \"more\": %s, \"total\": %zu}\n",
		          PAGE_ITEMS, from, from + PAGE_ITEMS < n ? "true" : "false", n);
		write_file(g, arena_printf(g->a, "pagerduty/incidents-%03zu.json", no), page.buf,
		           page.len);
	}
	sb_release(&page);
	sb_release(&json);
}

/* ---- service level objectives ------------------------------------------------- */

/* The example SLOs (examples/slo, built in) are of the checkout flow: its
 * requests, counted each hour over the whole period, and its p95 latency,
 * a sample a minute over the latency SLO's 30-day window.  Traffic follows
 * the day and the week; while one of checkout-web's incidents is open,
 * requests fail and latency climbs, so the error budgets show them. */
#define SLO_SERVICE      "checkout-web"
#define SLO_LATENCY_DAYS 30
static const struct {
	const char *example, *slo, *file;
} slo_files[] = {
        {"examples/slo/availability.yaml", "checkout-availability",
         "slo/checkout-availability.csv"},
        {"examples/slo/latency.yaml", "checkout-latency", "slo/checkout-latency.csv"},
};

/* The share of [from, to) one of the service's incidents was open. */
static double incident_share(const struct gen *g, int64_t from, int64_t to)
{
	int64_t open = 0;
	for (size_t i = 0; i < g->nincidents; i++) {
		const struct incident *in = &g->incidents[i];
		if (strcmp(in->svc->name, SLO_SERVICE) != 0)
			continue;
		int64_t a = in->created > from ? in->created : from;
		int64_t b = in->resolved < to ? in->resolved : to;
		open += b > a ? b - a : 0;
	}
	return open >= to - from ? 1.0 : (double)open / (double)(to - from);
}

/* Requests an hour ending at t: a busy afternoon (UTC), quieter weekends. */
static int64_t hourly_requests(struct rng *r, int64_t t)
{
	static const int by_hour[24] = {30, 25, 20, 18, 18, 22, 30, 45, 60, 72, 80, 85,
	                                88, 90, 92, 90, 86, 80, 72, 64, 56, 48, 40, 34};
	int64_t day = t / MS_PER_DAY;
	int hour = (int)((t % MS_PER_DAY) / MS_PER_HOUR);
	bool weekend = (day + 4) % 7 >= 5; /* 1970-01-01 was a Thursday */
	int64_t n = 400 * by_hour[hour] * (weekend ? 6 : 10) / 10;
	return n + (int64_t)rng_below(r, (uint64_t)(n / 5 + 1));
}

static void emit_slo(struct gen *g)
{
	struct rng r;
	rng_seed(&r, g->w->seed ^ UINT64_C(0x510b0d9e7c4ec3a1));
	struct sb csv = SB_INIT;
	sb_puts(&csv, "time,good,total\n");
	for (int64_t t = g->start_ms + MS_PER_HOUR; t <= g->end_ms; t += MS_PER_HOUR) {
		int64_t total = hourly_requests(&r, t);
		/* A few in 10,000 fail anyway; an incident fails 3 to 8 % while open. */
		double failing = (1 + (double)rng_below(&r, 4)) / 10000.0 +
		                 incident_share(g, t - MS_PER_HOUR, t) *
		                         (3 + (double)rng_below(&r, 6)) / 100.0;
		int64_t bad = (int64_t)((double)total * failing + 0.5);
		sb_printf(&csv, "%" PRId64 ",%" PRId64 ",%" PRId64 "\n", t / 1000, total - bad,
		          total);
	}
	g->slo_csv[0] = arena_strdup(g->a, csv.buf);
	write_file(g, slo_files[0].file, csv.buf, csv.len);
	sb_reset(&csv);
	sb_puts(&csv, "time,value\n");
	int64_t from = g->end_ms - SLO_LATENCY_DAYS * MS_PER_DAY;
	for (int64_t t = from + MS_PER_MIN; t <= g->end_ms; t += MS_PER_MIN) {
		/* 120 to 260 ms, a slower afternoon; 350 ms to 1.2 s during an incident,
		 * and now and then a slow minute (the budget's 1 % allows 432). */
		int hour = (int)((t % MS_PER_DAY) / MS_PER_HOUR);
		int ms = 120 + (hour >= 12 && hour < 18 ? 60 : 0) + (int)rng_below(&r, 80);
		if (incident_share(g, t - MS_PER_MIN, t) > 0.5)
			ms = 350 + (int)rng_below(&r, 850);
		else if (rng_below(&r, 400) == 0)
			ms = 310 + (int)rng_below(&r, 200);
		sb_printf(&csv, "%" PRId64 ",%d.%03d\n", t / 1000, ms / 1000, ms % 1000);
	}
	g->slo_csv[1] = arena_strdup(g->a, csv.buf);
	write_file(g, slo_files[1].file, csv.buf, csv.len);
	sb_release(&csv);
}

/* Import the example SLOs and ingest their samples, as `plumb slo import`
 * and `plumb slo ingest` do. */
static int load_slos(struct gen *g, struct demo_sources_summary *out)
{
	for (size_t i = 0; i < LEN(slo_files); i++) {
		const struct demo_example *x = demo_example_find(slo_files[i].example);
		if (!x)
			BUG("%s is not built in", slo_files[i].example);
		struct slo_import_result imported;
		int rc = slo_import(g->ctx, x->path, x->text, x->len, &imported, g->err);
		if (rc < 0)
			return rc;
		out->slos += imported.slos;
		/* Named within the data directory, as the summary names it: the
		 * audit entry is then the same wherever the directory is (a
		 * temporary one for PostgreSQL; engines-identical compares them). */
		struct slo_ingest_opts o = {.slo = slo_files[i].slo,
		                            .file = slo_files[i].file,
		                            .data = g->slo_csv[i],
		                            .len = strlen(g->slo_csv[i]),
		                            .format = "csv"};
		struct slo_ingest_result res;
		if ((rc = slo_ingest(g->ctx, &o, &res, g->err)) < 0)
			return rc;
		out->slo_samples += res.samples;
	}
	out->slo_service = SLO_SERVICE;
	return 0;
}

/* ---- sources, mappings, ingest ----------------------------------------------- */

static int map_one(struct ctx *ctx, const char *service, const char *system, const char *key,
                   int64_t *count, struct error *err)
{
	struct ownership_key k = {system, key, NULL};
	bool changed = false;
	int64_t moved;
	struct ownership_key stored;
	int rc = ownership_map(ctx, service, &k, &changed, &moved, &stored, err);
	*count += rc == 0;
	return rc;
}

/* The service a team's Jira project maps to: one the team owns all along,
 * else one it owns for part of the window (its issues are only where it
 * owns a service); NULL when it owns none. */
static const char *project_service(const struct gen *g, int team)
{
	const char *part = NULL;
	for (int i = 0; i < g->nsvcs; i++) {
		const struct svc *s = &g->svcs[i];
		if (!s->mapped)
			continue;
		if (s->team == team && s->team_mid == team)
			return s->name;
		if (!part && (s->team == team || s->team_mid == team))
			part = s->name;
	}
	return part;
}

static int configure(struct gen *g, const char *jql, struct demo_sources_summary *out)
{
	struct ctx *ctx = g->ctx;
	struct error *err = g->err;
	const char **repos = arena_array(g->a, (size_t)g->nrepos, sizeof *repos);
	const char **pd = arena_array(g->a, (size_t)g->nsvcs, sizeof *pd);
	size_t npd = 0;
	for (int i = 0; i < g->nrepos; i++)
		repos[i] = g->repos[i].full_name;
	for (int i = 0; i < g->nsvcs; i++)
		if (g->svcs[i].pd_id[0])
			pd[npd++] = g->svcs[i].pd_id;
	const struct source_spec specs[] = {
	        {.kind = "github", .name = "github", .repos = {repos, (size_t)g->nrepos}},
	        {.kind = "jira", .name = "jira", .url = JIRA_URL, .jql = jql},
	        {.kind = "pagerduty", .name = "pagerduty", .services = {pd, npd}},
	        {.kind = "deploy", .name = "argo"},
	};
	int rc = 0;
	for (int i = 0; i < LEN(specs) && rc == 0; i++) {
		rc = source_add(ctx, &specs[i], err);
		out->sources[out->nsources++] =
		        (struct demo_source_result){.name = specs[i].name, .kind = specs[i].kind};
	}
	for (int i = 0; i < g->nsvcs && rc == 0; i++) {
		const struct svc *s = &g->svcs[i];
		if (!s->mapped) {
			out->unmapped_repo = arena_strdup(ctx->arena, s->repo->full_name);
			continue;
		}
		rc = map_one(ctx, s->name, "github", s->repo->full_name, &out->mappings, err);
		if (rc == 0 && s->old_repo)
			rc = map_one(ctx, s->name, "github", s->old_repo->full_name, &out->mappings,
			             err);
		if (rc == 0 && s->pd_id[0])
			rc = map_one(ctx, s->name, "pagerduty", s->pd_id, &out->mappings, err);
	}
	/* Each team's Jira project to a service of the team, so that its work
	 * items count for the team as of their time. */
	for (int t = 0; t < g->w->nteams && rc == 0; t++) {
		const char *service = g->jira_used[t] ? project_service(g, t) : NULL;
		if (service)
			rc = map_one(ctx, service, "jira", g->jira_keys[t], &out->mappings, err);
	}
	return rc;
}

static int ingest_all(struct gen *g, struct demo_sources_summary *out)
{
	static const char *const subdirs[] = {"github", "jira", "pagerduty", "deploy"};
	for (int i = 0; i < out->nsources; i++) {
		struct demo_source_result *res = &out->sources[i];
		const char *path = arena_printf(g->a, "%s/%s", g->dir, subdirs[i]);
		struct ingest_files_opts o = {.source = res->name, .paths = &path, .npaths = 1};
		struct ingest_counts k;
		int64_t run_id;
		int rc = ingest_files(g->ctx, &o, &k, &run_id, g->err);
		if (rc < 0) {
			err_detail(g->err, "while ingesting the demo's %s data in %s", res->name,
			           path);
			return rc;
		}
		res->files = k.documents;
		res->records = k.records;
		res->events = k.inserted;
		res->services_created = k.services_created;
		res->unmatched_accounts = k.unmatched_accounts;
		res->bots = k.bots;
		out->events += k.inserted;
		out->files += k.documents;
	}
	return 0;
}

int demo_sources_create(struct ctx *ctx, const struct demo_world *world, const char *dir,
                        struct demo_sources_summary *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = demo_sources_check_dir(dir, err);
	if (rc < 0)
		return rc;
	struct gen g = {.ctx = ctx, .w = world, .a = arena_create(), .dir = dir, .err = err};
	rng_seed(&g.r, world->seed ^ UINT64_C(0x5d1e5eed0fdeca1d));
	g.end_ms = world->end_ms;
	g.start_ms = g.end_ms - WEEKS * 7 * MS_PER_DAY;
	out->start_ms = g.start_ms;
	out->end_ms = g.end_ms;
	setup(&g);
	plan_pulls(&g);
	emit_pulls(&g);
	emit_deploys(&g);
	write_github(&g);
	const char *jql = NULL;
	emit_jira(&g, &jql);
	emit_pagerduty(&g);
	emit_slo(&g);
	rc = g.rc;
	if (rc == 0)
		rc = configure(&g, jql, out);
	if (rc == 0)
		rc = ingest_all(&g, out);
	if (rc == 0)
		rc = load_slos(&g, out);
	arena_destroy(g.a);
	return rc;
}
