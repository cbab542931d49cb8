/* source: configuring data sources (validation, storage, listing). */
#include "ingest/source.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/consent.h"
#include "core/ctx.h"
#include "core/identities.h"
#include "core/org.h"
#include "core/sourceacl.h"
#include "ingest/event.h"
#include "ingest/pjson.h"
#include "metrics/slo.h"
#include "store/store.h"

#define SOURCE_VALUE_MAX 2000 /* a JQL query, a URL */

/* Which settings each kind takes, and its default API. */
enum {
	S_REPOS = 1 << 0,
	S_ORG = 1 << 1,
	S_URL = 1 << 2,
	S_PROJECT = 1 << 3,
	S_JQL = 1 << 4,
	S_JOB = 1 << 5,
	S_SERVICES = 1 << 6,
	S_WEBHOOK = 1 << 7, /* a kind with a webhook route (server_hooks.c) */
};

static const struct kind_def {
	const char *name;
	unsigned settings;
	const char *default_api; /* NULL: derived from --url, or none */
} kinds[] = {
        {"github", S_REPOS | S_ORG | S_WEBHOOK, "https://api.github.com"},
        {"jira", S_URL | S_PROJECT | S_JQL, NULL},
        {"jenkins", S_URL | S_JOB, NULL},
        {"pagerduty", S_SERVICES | S_WEBHOOK, "https://api.pagerduty.com"},
        {"deploy", S_WEBHOOK, NULL},
        {"prometheus", 0, NULL},
};

static int bad(struct error *err, const char *setting, const char *value, const char *expected)
{
	err_set(err, ERR_USAGE, "--%s '%s': expected %s", setting, value, expected);
	err_hint(err, "nothing was stored; see 'plumb help source add'");
	return ERR_USAGE;
}

static bool only_chars(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr(extra, *p)))
			return false;
	return true;
}

/* A host and optional port, "[v6]" kept in its brackets: the part of
 * text before the first of ends.  *port 0 when none is given. */
static void split_host_port(const char *text, size_t len, const char **host, size_t *hlen,
                            long *port)
{
	const char *close = text[0] == '[' ? memchr(text, ']', len) : NULL;
	const char *from = close ? close : text;
	const char *colon = memchr(from, ':', len - (size_t)(from - text));
	*host = text;
	*hlen = colon ? (size_t)(colon - text) : len;
	*port = 0;
	for (const char *p = colon ? colon + 1 : text + len; p < text + len && *port <= 65535; p++)
		*port = *p >= '0' && *p <= '9' ? *port * 10 + (*p - '0') : 65536;
	if (colon && (colon + 1 == text + len || *port == 0))
		*port = 65536; /* "host:" and "host:0" name no port */
}

/* A host name of letters, digits and '-' in dot-separated labels, or an
 * IPv6 address in brackets: nothing a resolver or libcurl could read as
 * another host than the patterns do (a '%', an empty label). */
static bool plain_host(const char *host, size_t hlen)
{
	if (hlen > 0 && host[0] == '[') {
		char inner[INET6_ADDRSTRLEN];
		struct in6_addr a6;
		if (hlen < 3 || hlen - 2 >= sizeof inner || host[hlen - 1] != ']')
			return false;
		memcpy(inner, host + 1, hlen - 2);
		inner[hlen - 2] = '\0';
		return inet_pton(AF_INET6, inner, &a6) == 1;
	}
	size_t label = 0; /* characters of the label being read */
	for (size_t i = 0; i < hlen; i++) {
		if (host[i] == '.' && label == 0)
			return false;
		if (host[i] == '.')
			label = 0;
		else if (isalnum((unsigned char)host[i]) || host[i] == '-')
			label++;
		else
			return false;
	}
	return label > 0;
}

/* An https URL, or http to this machine (tests, a local proxy): a token
 * must not cross a network in clear.  No user or password in it either:
 * the URL is stored and audited, so a credential there would be too.  The
 * value is not echoed back, for the same reason. */
static int check_url(const char *setting, const char *url, struct error *err)
{
	const char *host = NULL;
	bool plain = false;
	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7, plain = true;
	bool clean = strlen(url) <= SOURCE_VALUE_MAX;
	for (const unsigned char *p = (const unsigned char *)url; clean && *p; p++)
		clean = *p > 0x20 && *p < 0x7f;
	size_t alen = host ? strcspn(host, "/?#") : 0;
	if (!host || alen == 0) {
		/* Said apart: HTTPS:// read as a URL with a credential (found in review). */
		bool upper = !host && (strncasecmp(url, "https://", 8) == 0 ||
		                       strncasecmp(url, "http://", 7) == 0);
		err_set(err, ERR_USAGE,
		        "--%s: expected a URL starting https:// (http:// to this machine) and "
		        "naming a host%s",
		        setting, upper ? " (the scheme in lower case)" : "");
		err_hint(err, "nothing was stored");
		return ERR_USAGE;
	}
	if (memchr(host, '@', alen)) {
		err_set(err, ERR_USAGE, "--%s: expected a URL without user or password", setting);
		err_hint(err, "credentials go in --token-env; nothing was stored");
		return ERR_USAGE;
	}
	/* Not echoed: a URL may hold what should not be printed. */
	if (!clean || memchr(host, '\\', alen)) {
		err_set(err, ERR_USAGE,
		        "--%s: expected a URL of at most %d printable characters, without spaces "
		        "or "
		        "backslashes",
		        setting, SOURCE_VALUE_MAX);
		err_hint(err, "nothing was stored");
		return ERR_USAGE;
	}
	/* A base URL: plumb adds paths and queries; a query there would swallow
	 * them, and a token put there would be stored in clear (found in review).
	 * Checked before anything that echoes the URL. */
	if (strpbrk(host + alen, "?#")) {
		err_set(err, ERR_USAGE, "--%s: expected a base URL without a query or fragment",
		        setting);
		err_hint(err, "credentials go in --token-env; nothing was stored");
		return ERR_USAGE;
	}
	/* host[:port], the port 1 to 65535; an IPv6 host in brackets, closed */
	size_t hlen;
	long port;
	split_host_port(host, alen, &host, &hlen, &port);
	if (hlen == 0 || port > 65535 || (host[0] == '[' && (hlen < 3 || host[hlen - 1] != ']')))
		return bad(err, setting, url,
		           "an https:// URL with a host and an optional :port from 1 to 65535");
	if (plain) {
		static const char *const local[] = {"127.0.0.1", "localhost", "[::1]"};
		bool ok = false;
		for (size_t i = 0; i < sizeof local / sizeof local[0]; i++)
			ok |= strlen(local[i]) == hlen && strncmp(host, local[i], hlen) == 0;
		if (!ok)
			return bad(
			        err, setting, url,
			        "an https:// URL (http:// only to this machine: a token must not "
			        "cross a network in clear)");
	}
	return 0;
}

/* Two optional texts (NULL: not set) are the same. */
static bool opt_eq(const char *x, const char *y)
{
	return x == y || (x && y && strcmp(x, y) == 0);
}

/* ---- the hosts a URL given over the API may name ---------------------------- */

/* The hosted APIs, which every server allows (source.h). */
static const char *const hosted_apis[] = {"api.github.com", "api.pagerduty.com", "*.atlassian.net"};

int source_host_pattern_check(const char *pattern, struct error *err)
{
	size_t len = strlen(pattern);
	const char *host;
	size_t hlen;
	long port;
	split_host_port(pattern, len, &host, &hlen, &port);
	/* "*." before a name: any name under it */
	size_t at = hlen > 2 && host[0] == '*' && host[1] == '.' && host[2] != '[' ? 2 : 0;
	if (len > 0 && len <= 255 && port <= 65535 && plain_host(host + at, hlen - at))
		return 0;
	err_set(err, ERR_USAGE,
	        "--source-host '%s': expected HOST, HOST:PORT or *.DOMAIN (a port from 1 to "
	        "65535; an IPv6 address in brackets)",
	        pattern);
	err_hint(err, "api.github.com, ghe.example.com:8443, *.example.com, [::1]:9000");
	return ERR_USAGE;
}

/* Whether host:port (port 0: the scheme's) is pattern's, in any case:
 * "*.example.com" any name under example.com, a pattern without a port
 * any port. */
static bool host_matches(const char *pattern, const char *host, size_t hlen, long port)
{
	const char *ph;
	size_t plen;
	long pport;
	split_host_port(pattern, strlen(pattern), &ph, &plen, &pport);
	if (pport && pport != port)
		return false;
	if (plen > 2 && ph[0] == '*' && ph[1] == '.')
		return hlen > plen - 1 &&
		       strncasecmp(host + hlen - (plen - 1), ph + 1, plen - 1) == 0;
	return hlen == plen && strncasecmp(host, ph, plen) == 0;
}

/* ORDER BY outside quoted text, in any case: plumb orders the search itself. */
static bool jql_has_order_by(const char *q)
{
	char quote = 0;
	for (const char *p = q; *p; p++) {
		if (quote) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == quote)
				quote = 0;
			continue;
		}
		if (*p == '"' || *p == '\'') {
			quote = *p;
			continue;
		}
		bool word_start = p == q || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		if (!word_start || strncasecmp(p, "order", 5) != 0 || !isspace((unsigned char)p[5]))
			continue;
		const char *b = p + 5;
		while (isspace((unsigned char)*b))
			b++;
		if (strncasecmp(b, "by", 2) == 0 && !(isalnum((unsigned char)b[2]) || b[2] == '_'))
			return true;
	}
	return false;
}

/* The first value of list given twice (case-blind), or NULL. */
static const char *repeated(struct source_list_arg l)
{
	for (size_t i = 0; i < l.n; i++)
		for (size_t j = i + 1; j < l.n; j++)
			if (strcasecmp(l.items[i], l.items[j]) == 0)
				return l.items[j];
	return NULL;
}

/* The name of an environment variable, and not a secret pasted in its
 * place (the value would be stored and audited in clear). */
static int check_env_name(const char *setting, const char *name, struct error *err)
{
	static const char *const token_prefixes[] = {"ghp_", "gho_",        "ghu_",   "ghs_",
	                                             "ghr_", "github_pat_", "glpat-", "xox"};
	for (size_t i = 0; i < sizeof token_prefixes / sizeof token_prefixes[0]; i++)
		if (strncasecmp(name, token_prefixes[i], strlen(token_prefixes[i])) == 0) {
			err_set(err, ERR_USAGE,
			        "--%s takes the name of an environment variable, not a token",
			        setting);
			err_detail(err,
			           "the value given looks like a credential; it was not stored");
			err_hint(err, "export GITHUB_TOKEN=...; then --%s GITHUB_TOKEN", setting);
			return ERR_USAGE;
		}
	/* Conventional names only (upper case, digits, _): most tokens are
	 * mixed or lower case, so one pasted here is refused, and not echoed. */
	bool ok = ((*name >= 'A' && *name <= 'Z') || *name == '_') && strlen(name) <= 128;
	for (const char *p = name; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
	if (!ok) {
		err_set(err, ERR_USAGE,
		        "--%s: expected the name of an environment variable in upper case "
		        "(A-Z, 0-9, _; at most 128), such as GITHUB_TOKEN",
		        setting);
		err_hint(err,
		         "the value given is not repeated here in case it is a secret; nothing "
		         "was stored");
		return ERR_USAGE;
	}
	return 0;
}

static int check_list(const char *setting, struct source_list_arg l, const char *expected,
                      struct error *err)
{
	for (size_t i = 0; i < l.n; i++)
		if (!*l.items[i] || !org_valid_text(l.items[i], 200))
			return bad(err, setting, l.items[i], expected);
	return 0;
}

/* A repository name pattern as fnmatch means it: every '[' closed (fnmatch
 * takes an unclosed one literally, which no repository name holds: found
 * in acceptance, --include '[' matched nothing) and no '\\' at the end.
 * Inside brackets a '\\' escapes the next character and "[:alpha:]"
 * (also [.x.] and [=x=]) is one member, as glibc reads them. */
static bool glob_valid(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\') {
			if (!*++p)
				return false;
			continue;
		}
		if (*p != '[')
			continue;
		const char *q = p + 1;
		q += *q == '!' || *q == '^';
		q += *q == ']'; /* a ']' first is one of the set */
		while (*q && *q != ']') {
			if (*q == '\\') {
				if (!q[1])
					return false;
				q += 2;
			} else if (*q == '[' && (q[1] == ':' || q[1] == '.' || q[1] == '=')) {
				const char *close = strchr(q + 2, ']');
				while (close && close[-1] != q[1])
					close = strchr(close + 1, ']');
				q = close ? close + 1 : q + 1;
			} else {
				q++;
			}
		}
		if (!*q)
			return false;
		p = q;
	}
	return true;
}

/* The patterns given, not those stored before plumb checked them (which
 * match nothing, as they did): a source holding one can still be changed. */
static int check_globs(const struct source_spec *given, struct error *err)
{
	const struct source_list_arg *lists[] = {&given->include, &given->exclude};
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < lists[k]->n; i++)
			if (!glob_valid(lists[k]->items[i]))
				return bad(
				        err, k ? "exclude" : "include", lists[k]->items[i],
				        "a repository name pattern (*, ? and [...] as in a shell; "
				        "every [ closed by ])");
	return 0;
}

/* "." and ".." would walk the API's paths once sync builds them. */
static bool not_dots(const char *s)
{
	return strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

bool source_valid_job(const char *job)
{
	if (!*job || !org_valid_text(job, 200) || strpbrk(job, "?#\\"))
		return false;
	for (const char *seg = job;;) {
		size_t n = strcspn(seg, "/");
		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (!seg[n])
			return true;
		seg += n + 1;
	}
}

bool source_valid_repo(const char *r)
{
	const char *slash = strchr(r, '/');
	char owner[201];
	if (!slash || slash == r || strchr(slash + 1, '/') || (size_t)(slash - r) >= sizeof owner ||
	    strlen(slash + 1) > 200)
		return false;
	snprintf(owner, sizeof owner, "%.*s", (int)(slash - r), r);
	return only_chars(owner, "-_.") && only_chars(slash + 1, "-_.") && not_dots(owner) &&
	       not_dots(slash + 1);
}

bool source_valid_service_id(const char *id)
{
	/* PagerDuty's ids are upper case: a lower-case one, read nowhere,
	 * would scope away every delivery and match no incident. */
	for (const char *p = id; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			return false;
	return only_chars(id, "") && strlen(id) <= 200;
}

bool source_valid_project_key(const char *key)
{
	bool ok = *key >= 'A' && *key <= 'Z' && strlen(key) <= 64;
	for (const char *p = key; ok && *p; p++)
		ok = (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_';
	return ok;
}

/* GitHub allows 100 characters in a repository name; room for more. */
#define REPO_TEXT_MAX 256

/* ASCII lower case of s into buf; false when it does not fit. */
static bool lower_into(const char *s, char buf[REPO_TEXT_MAX])
{
	size_t n = strlen(s);
	if (n >= REPO_TEXT_MAX)
		return false;
	for (size_t i = 0; i <= n; i++)
		buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
	return true;
}

/* Whether name (lower case) matches one of the globs, in any case. */
static bool matches_any(const cJSON *globs, const char *name)
{
	const cJSON *g;
	cJSON_ArrayForEach(g, globs)
	{
		char glob[REPO_TEXT_MAX];
		if (cJSON_IsString(g) &&
		    fnmatch(lower_into(g->valuestring, glob) ? glob : g->valuestring, name, 0) == 0)
			return true;
	}
	return false;
}

bool source_github_wants(const cJSON *config, const char *repository)
{
	char name[REPO_TEXT_MAX];
	const char *slash = repository ? strchr(repository, '/') : NULL;
	if (!slash || !lower_into(slash + 1, name))
		return false;
	const cJSON *r, *repos = cJSON_GetObjectItemCaseSensitive(config, "repos");
	cJSON_ArrayForEach(r, repos)
	{
		if (cJSON_IsString(r) && strcasecmp(r->valuestring, repository) == 0)
			return true;
	}
	const cJSON *org = cJSON_GetObjectItemCaseSensitive(config, "org");
	size_t owner_len = (size_t)(slash - repository);
	if (!cJSON_IsString(org) || strlen(org->valuestring) != owner_len ||
	    strncasecmp(org->valuestring, repository, owner_len) != 0)
		return false;
	const cJSON *inc = cJSON_GetObjectItemCaseSensitive(config, "include");
	const cJSON *exc = cJSON_GetObjectItemCaseSensitive(config, "exclude");
	return (cJSON_GetArraySize(inc) == 0 || matches_any(inc, name)) && !matches_any(exc, name);
}

bool source_pagerduty_wants(const cJSON *config, const char *service)
{
	const cJSON *v, *services = cJSON_GetObjectItemCaseSensitive(config, "services");
	if (cJSON_GetArraySize(services) == 0)
		return true;
	cJSON_ArrayForEach(v, services)
	{
		if (cJSON_IsString(v) && service && strcmp(v->valuestring, service) == 0)
			return true;
	}
	return false;
}

/* A setting given to a kind that does not take it. */
static int not_for(const char *setting, const char *kind, struct error *err)
{
	err_set(err, ERR_USAGE, "--%s does not apply to a %s source", setting, kind);
	err_hint(err, "see 'plumb help source add' for each kind's settings");
	return ERR_USAGE;
}

static const struct kind_def *kind_named(const char *name)
{
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(name, kinds[i].name) == 0)
			return &kinds[i];
	return NULL;
}

/* Whether bot is one of the source's stored bots (NULL for a new source),
 * in any case, as bots are compared (a stored GitHub bot outside its login
 * rule, given again in another case beside a new one, was refused). */
static bool bot_stored(const struct source_list_arg *stored, const char *bot)
{
	for (size_t i = 0; stored && i < stored->n; i++)
		if (strcasecmp(stored->items[i], bot) == 0)
			return true;
	return false;
}

/* A bot is an account of the source's own system as identity link takes
 * it (found in session 52: every kind's was held to a GitHub login's
 * rule), or an email address: a commit's author known only by one.  A
 * deploy actor is often a name ("Release Bot"), with spaces inside.  One
 * stored before is not checked again (validate): an earlier plumb stored
 * bots with a no-break space at an end, which it refuses now, and the
 * source's other settings could not be changed (found in review). */
static int check_bot(const char *kind, const char *bot, struct error *err)
{
	static const struct {
		const char *kind, *expected;
	} rules[] = {
	        {"github", IDENTITY_GITHUB_LOGIN_RULE ", or an email address"},
	        {"jira", "a Jira account id, one word, or an email address"},
	        {"jenkins", "a Jenkins user id, one word, or an email address"},
	        {"pagerduty", "a PagerDuty user id, one word, or an email address"},
	        {"deploy", "a deploy account, one line without spaces around it"},
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		if (strcmp(kind, rules[i].kind) != 0)
			continue;
		if (identity_account_entry_valid(kind, bot) ||
		    identity_account_entry_valid("email", bot))
			return 0;
		return bad(err, "bot", bot, rules[i].expected);
	}
	err_set(err, ERR_USAGE, "--bot goes with a source of accounts, not a %s source", kind);
	err_hint(err, "nothing was stored; see 'plumb help source add'");
	return ERR_USAGE;
}

/* stored_bots: the bots the source holds before a change (NULL for a new
 * source), which were checked as they were stored. */
static int validate(const struct source_spec *s, const struct source_list_arg *stored_bots,
                    const struct kind_def **out, struct error *err)
{
	const struct kind_def *k = kind_named(s->kind);
	if (!k) {
		err_set(err, ERR_USAGE, "unknown source kind '%s'", s->kind);
		err_hint(err,
		         "the kinds are github, jira, jenkins, pagerduty, deploy and prometheus");
		return ERR_USAGE;
	}
	*out = k;
	if (!s->name || !org_valid_name(s->name))
		return bad(err, "name", s->name ? s->name : "",
		           "1 to 64 letters, digits, '-', '_' or '.'");
	struct {
		unsigned flag;
		const char *setting;
		bool given;
	} given[] = {
	        {S_REPOS, "repo", s->repos.n > 0},
	        {S_ORG, "org", s->org != NULL},
	        {S_ORG, "include", s->include.n > 0},
	        {S_ORG, "exclude", s->exclude.n > 0},
	        {S_URL, "url", s->url != NULL},
	        {S_PROJECT, "project", s->project != NULL},
	        {S_JQL, "jql", s->jql != NULL},
	        {S_JOB, "job", s->job != NULL},
	        {S_SERVICES, "service", s->services.n > 0},
	        {S_WEBHOOK, "webhook-secret-env", s->webhook_secret_env != NULL},
	};
	for (size_t i = 0; i < sizeof given / sizeof given[0]; i++)
		if (given[i].given && !(k->settings & given[i].flag))
			return not_for(given[i].setting, k->name, err);
	int rc = 0;
	if (s->api_url)
		rc = check_url("api-url", s->api_url, err);
	if (rc == 0 && s->url)
		rc = check_url("url", s->url, err);
	if (rc == 0 && s->token_env)
		rc = check_env_name("token-env", s->token_env, err);
	if (rc == 0 && s->webhook_secret_env)
		rc = check_env_name("webhook-secret-env", s->webhook_secret_env, err);
	if (rc < 0)
		return rc;
	if (strcmp(k->name, "github") == 0) {
		if ((s->repos.n > 0) == (s->org != NULL))
			return err_set(
			        err, ERR_USAGE,
			        "a github source reads either --repo OWNER/NAME (repeatable) or "
			        "--org ORG, one of the two");
		if ((s->include.n || s->exclude.n) && !s->org)
			return err_set(err, ERR_USAGE, "--include and --exclude go with --org");
		for (size_t i = 0; i < s->repos.n; i++)
			if (!source_valid_repo(s->repos.items[i]))
				return bad(err, "repo", s->repos.items[i], "OWNER/NAME");
		if (repeated(s->repos))
			return bad(err, "repo", repeated(s->repos),
			           "each repository once (names are case-blind)");
		if (s->org && (!only_chars(s->org, "-_.") || !not_dots(s->org)))
			return bad(err, "org", s->org, "a GitHub organization login");
		rc = check_list("include", s->include, "a repository name pattern", err);
		if (rc == 0)
			rc = check_list("exclude", s->exclude, "a repository name pattern", err);
	} else if (strcmp(k->name, "jira") == 0) {
		if (!s->url)
			return err_set(
			        err, ERR_USAGE,
			        "a jira source needs --url (the site, https://acme.atlassian.net)");
		if ((s->project != NULL) == (s->jql != NULL))
			return err_set(
			        err, ERR_USAGE,
			        "a jira source reads either --project KEY or --jql QUERY, one of "
			        "the two");
		if (s->project && !source_valid_project_key(s->project))
			return bad(err, "project", s->project, "a Jira project key, such as PAY");
		if (s->jql && (!*s->jql || !org_valid_text(s->jql, SOURCE_VALUE_MAX)))
			return bad(err, "jql", s->jql, "a JQL query on one line");
		if (s->jql && jql_has_order_by(s->jql))
			return bad(err, "jql", s->jql,
			           "a JQL query without ORDER BY (sync orders by created)");
	} else if (strcmp(k->name, "jenkins") == 0) {
		if (!s->url || !s->job)
			return err_set(err, ERR_USAGE, "a jenkins source needs --url and --job");
		if (!source_valid_job(s->job))
			return bad(err, "job", s->job, "a job name (folders as a/b)");
	} else if (strcmp(k->name, "prometheus") == 0) {
		if (!s->api_url)
			return err_set(err, ERR_USAGE,
			               "a prometheus source needs --api-url (the server, "
			               "https://prometheus.example:9090)");
	} else if (strcmp(k->name, "pagerduty") == 0) {
		for (size_t i = 0; rc == 0 && i < s->services.n; i++)
			if (!source_valid_service_id(s->services.items[i]))
				rc = bad(err, "service", s->services.items[i],
				         "a PagerDuty service id, upper-case letters and digits "
				         "such as PIJ90N7");
		if (rc == 0 && repeated(s->services))
			rc = bad(err, "service", repeated(s->services), "each service once");
	}
	for (size_t i = 0; rc == 0 && i < s->bots.n; i++)
		if (!bot_stored(stored_bots, s->bots.items[i]))
			rc = check_bot(k->name, s->bots.items[i], err);
	return rc;
}

static void json_list(struct jw *w, const char *key, struct source_list_arg l)
{
	if (!l.n)
		return;
	jw_key(w, key);
	jw_array_begin(w);
	for (size_t i = 0; i < l.n; i++)
		jw_str(w, l.items[i]);
	jw_array_end(w);
}

/* The API URL: where requests, and with them the token, go. */
static const char *api_of(const struct source_spec *s, const struct kind_def *k)
{
	return s->api_url ? s->api_url : k->default_api ? k->default_api : s->url;
}

/* Where the server fetches for a source set over the API stays within the
 * hosts it allows: else an admin's source would have it fetch from any host
 * its machine reaches (an internal service, a cloud metadata address) and
 * show what came back in sync --status (found in review).  Checked for each
 * URL given or changed, and for where the API goes when that moves (an
 * api-url unset sends a Jenkins source's fetches to its url); one set on the
 * server's machine and left as it is stays the operator's. */
static int remote_hosts(struct ctx *ctx, const struct source_spec *before,
                        const struct source_spec *after, struct error *err)
{
	if (!ctx->actor.remote)
		return 0;
	const struct kind_def *k = kind_named(after->kind);
	const char *api_before = before ? api_of(before, k) : NULL, *api_after = api_of(after, k);
	const struct {
		const char *setting, *was, *now;
	} urls[] = {{"api-url", before ? before->api_url : NULL, after->api_url},
	            {"url", before ? before->url : NULL, after->url},
	            {after->api_url ? "api-url" : "url", api_before, api_after}};
	for (size_t i = 0; i < sizeof urls / sizeof urls[0]; i++) {
		const char *url = urls[i].now;
		if (!url || (before && opt_eq(urls[i].was, url)))
			continue;
		bool tls = strncmp(url, "https://", 8) == 0;
		const char *authority = url + (tls ? 8 : 7);
		const char *host;
		size_t hlen;
		long port;
		split_host_port(authority, strcspn(authority, "/?#"), &host, &hlen, &port);
		if (!port)
			port = tls ? 443 : 80;
		bool ok = false;
		for (size_t j = 0; j < sizeof hosted_apis / sizeof hosted_apis[0]; j++)
			ok |= host_matches(hosted_apis[j], host, hlen, port);
		for (size_t j = 0; j < ctx->nsource_hosts; j++)
			ok |= host_matches(ctx->source_hosts[j], host, hlen, port);
		if (ok && plain_host(host, hlen))
			continue;
		struct sb allowed = SB_INIT;
		for (size_t j = 0; j < sizeof hosted_apis / sizeof hosted_apis[0]; j++)
			sb_printf(&allowed, "%s%s", j ? ", " : "", hosted_apis[j]);
		for (size_t j = 0; j < ctx->nsource_hosts; j++)
			sb_printf(&allowed, ", %s", ctx->source_hosts[j]);
		err_set(err, ERR_DENIED,
		        "over the API, source %s's %s must name a host this server allows",
		        after->name, urls[i].setting);
		if (ok)
			err_detail(err, "%.*s is not a plain host name", (int)hlen, host);
		else
			err_detail(err, "%.*s:%ld is not among %s", (int)hlen, host, port,
			           allowed.buf);
		err_hint(err,
		         "the server's operator allows more with 'plumb serve --source-host HOST', "
		         "or gives this URL with plumb source on the server's machine; nothing "
		         "was changed");
		sb_release(&allowed);
		ctx_note_denied(ctx, err);
		return ERR_DENIED;
	}
	return 0;
}

/* The length of a base URL without the slashes that end it: plumb adds
 * its paths after one, and https://acme.atlassian.net/ is the same site
 * as without (found in session 39's hunt: a set that added the slash was
 * a change of scope, and the next sync started over). */
static size_t url_len(const char *url)
{
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	return n;
}

static const char *url_trimmed(struct arena *a, const char *url)
{
	return url ? arena_strndup(a, url, url_len(url)) : NULL;
}

static void jw_kurl(struct jw *w, const char *key, const char *url)
{
	char trimmed[SOURCE_VALUE_MAX + 1];
	snprintf(trimmed, sizeof trimmed, "%.*s", (int)url_len(url), url);
	jw_kstr(w, key, trimmed);
}

/* The kind's settings as stored: only what applies, API URL resolved, base
 * URLs without a trailing slash. */
static void config_json(const struct source_spec *s, const struct kind_def *k, struct sb *out)
{
	struct jw w;
	jw_init(&w, out, false);
	jw_object_begin(&w);
	const char *api = api_of(s, k);
	if (api)
		jw_kurl(&w, "api_url", api);
	json_list(&w, "repos", s->repos);
	if (s->org)
		jw_kstr(&w, "org", s->org);
	json_list(&w, "include", s->include);
	json_list(&w, "exclude", s->exclude);
	if (s->url)
		jw_kurl(&w, "url", s->url);
	if (s->project)
		jw_kstr(&w, "project", s->project);
	if (s->jql)
		jw_kstr(&w, "jql", s->jql);
	if (s->job)
		jw_kstr(&w, "job", s->job);
	json_list(&w, "services", s->services);
	json_list(&w, "bots", s->bots);
	jw_object_end(&w);
}

struct add_args {
	const struct source_spec *spec;
	const char *config;
};

static int add_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct add_args *a = arg;
	const struct source_spec *s = a->spec;
	int64_t now = ts_clock_ms();
	struct store_stmt *st;
	int64_t owner = 0;
	int rc = remote_hosts(ctx, NULL, s, err);
	if (rc < 0)
		return rc;
	if (s->owner && (rc = org_team_id(ctx, s->owner, &owner, err)) < 0) {
		if (rc == ERR_NOT_FOUND) { /* name the option that was wrong */
			err_clear(err);
			err_set(err, ERR_NOT_FOUND, "--owner: no team '%s'", s->owner);
			err_hint(err, "list teams with 'plumb org tree'");
		}
		return rc;
	}
	rc = store_prepare(ctx->store,
	                   "INSERT INTO sources(name, kind, config, token_env, "
	                   "webhook_secret_env, created_at, updated_at, owner_team_id) "
	                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_opt_int(st, 7, owner, owner != 0);
	stmt_bind_text(st, 1, s->name);
	stmt_bind_text(st, 2, s->kind);
	stmt_bind_text(st, 3, a->config);
	stmt_bind_text(st, 4, s->token_env);
	stmt_bind_text(st, 5, s->webhook_secret_env);
	stmt_bind_int(st, 6, now);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc == ERR_CONFLICT) {
		err_clear(err);
		err_set(err, ERR_CONFLICT, "a source named %s exists already", s->name);
		err_hint(err, "list sources with 'plumb source list'");
		return ERR_CONFLICT;
	}
	/* Checked with the source stored, rolled back with it: a second
	 * Prometheus source would read the SLOs that name none as the first
	 * does, each sync over the other's samples. */
	if (rc >= 0 && strcmp(s->kind, "prometheus") == 0)
		rc = slo_prometheus_refs_check_tx(ctx, s->name, err);
	if (rc < 0)
		return rc;
	/* The entry names the variables, never their values. */
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "kind", s->kind);
	jw_key(&w, "config");
	jw_raw(&w, a->config);
	jw_kstr(&w, "token_env", s->token_env);
	jw_kstr(&w, "webhook_secret_env", s->webhook_secret_env);
	if (s->owner)
		jw_kstr(&w, "owner", s->owner);
	jw_object_end(&w);
	rc = audit_append(ctx, "source.add", "source", s->name, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int source_add(struct ctx *ctx, const struct source_spec *spec, struct error *err)
{
	/* Permission first: someone who may not configure sources learns
	 * nothing from the validation of what they sent. */
	int rc = ctx_op_check(ctx, OP_SOURCE_ADD, err);
	const struct kind_def *k = NULL;
	if (rc == 0)
		rc = validate(spec, NULL, &k, err);
	if (rc == 0)
		rc = check_globs(spec, err);
	if (rc < 0)
		return rc;
	struct sb config = SB_INIT;
	config_json(spec, k, &config);
	struct add_args a = {spec, config.buf};
	rc = ctx_run(ctx, OP_SOURCE_ADD, add_body, &a, err);
	sb_release(&config);
	return rc;
}

/* ---- source set ----------------------------------------------------------- */

/* A stored list setting, its strings in a. */
static struct source_list_arg stored_list(struct arena *a, const cJSON *config, const char *key)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(config, key), *v;
	size_t n = 0, alloc = 0;
	const char **items = NULL;
	cJSON_ArrayForEach(v, arr)
	{
		if (!cJSON_IsString(v))
			continue;
		items = arena_grow(a, items, n, &alloc, sizeof *items);
		items[n++] = arena_strdup(a, v->valuestring);
	}
	return (struct source_list_arg){items, n};
}

static const char *stored_text(struct arena *a, const cJSON *config, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(config, key);
	return cJSON_IsString(v) ? arena_strdup(a, v->valuestring) : NULL;
}

static bool listed(struct source_list_arg l, const char *item)
{
	for (size_t i = 0; i < l.n; i++)
		if (strcasecmp(l.items[i], item) == 0)
			return true;
	return false;
}

/* The same items, in any order and any case: bots are compared so, and a
 * list given again so is no change to store or audit. */
static bool same_case_blind(struct source_list_arg x, struct source_list_arg y)
{
	if (x.n != y.n)
		return false;
	for (size_t i = 0; i < x.n; i++)
		if (!listed(y, x.items[i]) || !listed(x, y.items[i]))
			return false;
	return true;
}

/* What --unset clears: the settings a source may go without. */
static int apply_unset(struct source_spec *cur, const struct source_spec *ch, const char *what,
                       struct error *err)
{
	struct source_list_arg none = {NULL, 0};
	bool given = false;
	if (strcmp(what, "api-url") == 0) {
		given = ch->api_url != NULL;
		cur->api_url = NULL;
	} else if (strcmp(what, "token-env") == 0) {
		given = ch->token_env != NULL;
		cur->token_env = NULL;
	} else if (strcmp(what, "webhook-secret-env") == 0) {
		given = ch->webhook_secret_env != NULL;
		cur->webhook_secret_env = NULL;
	} else if (strcmp(what, "bot") == 0) {
		given = ch->bots.n > 0;
		cur->bots = none;
	} else if (strcmp(what, "include") == 0) {
		given = ch->include.n > 0;
		cur->include = none;
	} else if (strcmp(what, "exclude") == 0) {
		given = ch->exclude.n > 0;
		cur->exclude = none;
	} else if (strcmp(what, "service") == 0) {
		given = ch->services.n > 0;
		cur->services = none;
	} else {
		err_set(err, ERR_USAGE, "--unset: '%s' is not a setting a source may go without",
		        what);
		err_hint(err, "one of api-url, token-env, webhook-secret-env, bot, include, "
		              "exclude and service");
		return ERR_USAGE;
	}
	if (given)
		return err_set(err, ERR_USAGE, "--%s is both given and unset", what);
	return 0;
}

/* The stored settings with the changes over them: a setting given
 * replaces the stored one (a list, the whole list), and one of two a kind
 * reads either of (--repo or --org, --project or --jql) replaces the
 * other.  An API URL that was only the default or the server's own is
 * derived again, so a new --url brings its API along.  A --bot list that
 * is the stored one in another case or order keeps the stored spelling, and
 * a --service list the stored one in another order its order. */
static void merged_spec(struct arena *a, const char *kind, const cJSON *config,
                        const struct source_spec *ch, struct source_spec *cur)
{
	const struct kind_def *k = kind_named(kind);
	cur->api_url = url_trimmed(a, stored_text(a, config, "api_url"));
	cur->url = url_trimmed(a, stored_text(a, config, "url"));
	if (cur->api_url && k &&
	    ((k->default_api && strcmp(cur->api_url, k->default_api) == 0) ||
	     (!k->default_api && cur->url && strcmp(cur->api_url, cur->url) == 0)))
		cur->api_url = NULL;
	cur->repos = stored_list(a, config, "repos");
	cur->org = stored_text(a, config, "org");
	cur->include = stored_list(a, config, "include");
	cur->exclude = stored_list(a, config, "exclude");
	cur->project = stored_text(a, config, "project");
	cur->jql = stored_text(a, config, "jql");
	cur->job = stored_text(a, config, "job");
	cur->services = stored_list(a, config, "services");
	cur->bots = stored_list(a, config, "bots");
	struct source_list_arg none = {NULL, 0};
	if (ch->api_url)
		cur->api_url = url_trimmed(a, ch->api_url);
	if (ch->token_env)
		cur->token_env = ch->token_env;
	if (ch->webhook_secret_env)
		cur->webhook_secret_env = ch->webhook_secret_env;
	if (ch->repos.n) {
		cur->repos = ch->repos;
		cur->org = NULL;
		cur->include = cur->exclude = none;
	}
	if (ch->org) {
		cur->org = ch->org;
		cur->repos = none;
	}
	if (ch->include.n)
		cur->include = ch->include;
	if (ch->exclude.n)
		cur->exclude = ch->exclude;
	if (ch->url)
		cur->url = url_trimmed(a, ch->url);
	if (ch->project) {
		cur->project = ch->project;
		cur->jql = NULL;
	}
	if (ch->jql) {
		cur->jql = ch->jql;
		cur->project = NULL;
	}
	if (ch->job)
		cur->job = ch->job;
	/* The same services in another order are the same scope: kept as
	 * stored, no change to reset a cursor for (found by a reordered list:
	 * the next sync started over). */
	if (ch->services.n && !same_case_blind(ch->services, cur->services))
		cur->services = ch->services;
	if (ch->bots.n && !same_case_blind(ch->bots, cur->bots))
		cur->bots = ch->bots;
}

/* The logins whose stored events are marked again, each with its new mark:
 * the connection's own table, emptied before the transaction ends, so a
 * rollback empties it too (as map_follow is). */
static const char *const sql_remark_table =
        "CREATE TEMP TABLE IF NOT EXISTS bot_remark (login TEXT PRIMARY KEY, "
        "mark INTEGER NOT NULL)";

/* The source's events whose login bot_remark gives the other mark, each
 * given it, and the mark now, the event and its person. */
static const char *const sql_remark =
        "UPDATE events SET is_bot = 1 - is_bot WHERE source_id = ?1 AND ("
        "(is_bot = 0 AND lower(COALESCE(account, account_email)) IN "
        "(SELECT login FROM bot_remark WHERE mark = 1)) OR "
        "(is_bot = 1 AND lower(COALESCE(account, account_email)) IN "
        "(SELECT login FROM bot_remark WHERE mark = 0))) RETURNING is_bot, id, person_id";

/* Put each account on one list and not the other in bot_remark, lowered,
 * with the mark [on]: put on (1), or taken off (0, unless the built-in rules
 * make its login a bot's).  *added counts the rows offered. */
static int remark_add(struct ctx *ctx, struct store_stmt *st, struct source_list_arg from,
                      struct source_list_arg to, bool on, size_t *added, struct error *err)
{
	int rc = 0;
	for (size_t i = 0; i < from.n && rc == 0; i++) {
		const char *who = arena_strlower(ctx->arena, from.items[i]);
		if (listed(to, who) || (!on && event_login_is_bot(who)))
			continue;
		stmt_bind_text(st, 1, who);
		stmt_bind_int(st, 2, on);
		rc = stmt_step(st, err);
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
		(*added)++;
	}
	return rc;
}

/* Mark the source's stored events of each account on the new list and not
 * the old (*marked counts them) or on the old and not the new (*unmarked)
 * again, in one pass over the events for both lists: a count and an update
 * per bot took time in bots times events (64 bots over 100,000 events
 * 3.97 s).  The two sets of logins are disjoint, so an event's mark changes
 * at most once, and RETURNING says which way.  A bot's records are stored
 * as they come; taken off the list, those matched to nobody are held as the
 * policy holds an unmatched account's (*held counts them). */
static int remark_bots(struct ctx *ctx, int64_t source_id, const char *kind,
                       struct source_list_arg old_bots, struct source_list_arg new_bots,
                       int64_t *marked, int64_t *unmarked, int64_t *held, struct error *err)
{
	struct store_stmt *st;
	size_t added = 0;
	int rc = store_exec(ctx->store, sql_remark_table, err);
	if (rc == 0)
		rc = store_prepare(ctx->store,
		                   "INSERT INTO bot_remark(login, mark) VALUES (?1, ?2) "
		                   "ON CONFLICT (login) DO NOTHING",
		                   &st, err);
	if (rc == 0)
		rc = remark_add(ctx, st, new_bots, old_bots, true, &added, err);
	if (rc == 0)
		rc = remark_add(ctx, st, old_bots, new_bots, false, &added, err);
	if (rc < 0 || added == 0)
		return rc;
	rc = store_prepare(ctx->store, sql_remark, &st, err);
	int64_t *unmatched = NULL;
	size_t nunmatched = 0, alloc = 0;
	if (rc == 0) {
		stmt_bind_int(st, 1, source_id);
		while ((rc = stmt_step(st, err)) == STORE_ROW) {
			if (stmt_int(st, 0)) {
				(*marked)++;
				continue;
			}
			(*unmarked)++;
			if (!stmt_is_null(st, 2))
				continue;
			unmatched = arena_grow(ctx->arena, unmatched, nunmatched, &alloc,
			                       sizeof *unmatched);
			unmatched[nunmatched++] = stmt_int(st, 1);
		}
		stmt_reset(st);
	}
	if (rc >= 0)
		rc = consent_hold_unmatched_tx(ctx, NULL, NULL, unmatched, nunmatched, held, err);
	/* Put on the list, an account's records held pseudonymized as an
	 * unmatched person's are a bot's (found in session 39: none was marked). */
	for (size_t i = 0; rc >= 0 && i < new_bots.n; i++) {
		int64_t n = 0;
		if (listed(old_bots, new_bots.items[i]))
			continue;
		rc = consent_resolve_held_bot_tx(ctx, source_id, kind, new_bots.items[i], &n, err);
		*marked += n;
	}
	return rc < 0 ? rc : store_exec(ctx->store, "DELETE FROM bot_remark", err);
}

struct set_args {
	const char *name;
	const struct source_spec *changes;
	const char *const *unset;
	size_t nunset;
	struct source_set_result *out;
};

/* *run: a run of the source going on now (staging, its run lock held), or
 * 0.  One left staging by a process that ended is none. */
static int live_run(struct ctx *ctx, int64_t source_id, int64_t *run, struct error *err)
{
	*run = 0;
	struct store_stmt *st;
	int rc = store_prepare(ctx->store,
	                       "SELECT id FROM ingest_runs WHERE source_id = ? AND status = "
	                       "'staging' ORDER BY id",
	                       &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	int64_t *runs = NULL;
	size_t n = 0, alloc = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW) {
		runs = arena_grow(ctx->arena, runs, n, &alloc, sizeof *runs);
		runs[n++] = stmt_int(st, 0);
	}
	stmt_reset(st);
	for (size_t i = 0; rc >= 0 && i < n && !*run; i++) {
		bool live = false;
		if ((rc = store_run_live(ctx->store, runs[i], &live, err)) == 0 && live)
			*run = runs[i];
	}
	return rc < 0 ? rc : 0;
}

/* What source set refuses before merging: two settings of which a kind
 * reads one, given together (source add refuses them too); a pattern
 * fnmatch would take literally; unsetting what the kind has not; and any
 * change while a run of the source is going on, which staged its rows
 * under the settings it began with (a bot mark taken off would come back
 * when it publishes). */
static int set_refusals(struct ctx *ctx, int64_t id, const char *kind, const struct set_args *a,
                        struct error *err)
{
	const struct source_spec *ch = a->changes;
	if (ch->repos.n && ch->org)
		return err_set(err, ERR_USAGE,
		               "a github source reads either --repo OWNER/NAME (repeatable) or "
		               "--org ORG, one of the two");
	if (ch->project && ch->jql)
		return err_set(err, ERR_USAGE,
		               "a jira source reads either --project KEY or --jql QUERY, one of "
		               "the two");
	int rc = check_globs(ch, err);
	if (rc < 0)
		return rc;
	const struct kind_def *k = kind_named(kind);
	static const struct {
		const char *setting;
		unsigned flag;
	} needs[] = {{"include", S_ORG},
	             {"exclude", S_ORG},
	             {"service", S_SERVICES},
	             {"webhook-secret-env", S_WEBHOOK}};
	for (size_t i = 0; i < a->nunset; i++)
		for (size_t j = 0; k && j < sizeof needs / sizeof needs[0]; j++)
			if (strcmp(a->unset[i], needs[j].setting) == 0 &&
			    !(k->settings & needs[j].flag))
				return err_set(err, ERR_USAGE, "--unset %s: a %s source has no %s",
				               needs[j].setting, kind, needs[j].setting);
	int64_t run;
	if ((rc = live_run(ctx, id, &run, err)) < 0)
		return rc;
	if (run) {
		err_set(err, ERR_CONFLICT, "run %lld of source %s is going on", (long long)run,
		        a->name);
		err_detail(err, "its rows were read under the settings it began with");
		err_hint(err, "change the source once the run has ended");
		return ERR_CONFLICT;
	}
	return 0;
}

/* Whether a change of settings changes what a kind's one cursor counts
 * from: Jira's issues follow its site and query, Jenkins' builds its
 * server and job, PagerDuty's incidents its services.  Kept, the cursor
 * would make a widened query or a new service start from the newest change
 * seen, so their older records never came (found in acceptance: a project
 * added by --jql).  A GitHub repository has cursors of its own; an API URL
 * is the same data by another way. */
static bool scope_changed(const char *kind, const char *before, const char *after)
{
	static const struct {
		const char *kind, *keys[3];
	} scopes[] = {
	        {"jira", {"url", "project", "jql"}},
	        {"jenkins", {"url", "job", NULL}},
	        {"pagerduty", {"services", NULL, NULL}},
	};
	cJSON *b = cJSON_Parse(before), *a = cJSON_Parse(after);
	bool changed = false;
	for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) {
		if (strcmp(kind, scopes[i].kind) != 0)
			continue;
		for (size_t k = 0; k < 3 && scopes[i].keys[k] && !changed; k++) {
			const cJSON *x = cJSON_GetObjectItemCaseSensitive(b, scopes[i].keys[k]);
			const cJSON *y = cJSON_GetObjectItemCaseSensitive(a, scopes[i].keys[k]);
			/* A URL stored before with its trailing slash is the same. */
			bool urls = cJSON_IsString(x) && cJSON_IsString(y) &&
			            strcmp(scopes[i].keys[k], "url") == 0;
			changed = urls ? url_len(x->valuestring) != url_len(y->valuestring) ||
			                          strncmp(x->valuestring, y->valuestring,
			                                  url_len(x->valuestring)) != 0
			               : (x || y) && !(x && y && cJSON_Compare(x, y, true));
		}
	}
	cJSON_Delete(b);
	cJSON_Delete(a);
	return changed;
}

/* The next sync starts over, from --since or the first sync's window; what
 * it reads again is upserted and changes nothing. */
static int reset_cursors(struct ctx *ctx, int64_t source_id, int64_t *n, struct error *err)
{
	struct store_stmt *st;
	int rc = store_prepare(
	        ctx->store, "DELETE FROM sync_cursors WHERE source_id = ? RETURNING 1", &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, source_id);
	*n = 0;
	while ((rc = stmt_step(st, err)) == STORE_ROW)
		(*n)++;
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

/* The source's row, by select (its one parameter the name), on *st for the
 * caller to read and reset; ERR_NOT_FOUND when there is none. */
static int source_row(struct ctx *ctx, const char *select, const char *name, struct store_stmt **st,
                      struct error *err)
{
	int rc = store_prepare(ctx->store, select, st, err);
	if (rc < 0)
		return rc;
	stmt_bind_text(*st, 1, name);
	rc = stmt_step(*st, err);
	if (rc == STORE_ROW)
		return 0;
	stmt_reset(*st);
	if (rc < 0)
		return rc;
	return sourceacl_no_source(name, err);
}

/* The token goes wherever api-url (or a jira or jenkins url) points.  Over
 * the API, an admin who could move it while the source holds a token would
 * have the server send its operator's credential to a host of their choosing
 * (found in review), so that stays the operator's, on the server's machine. */
static int remote_redirect(struct ctx *ctx, const struct source_spec *before,
                           const struct source_spec *after, struct error *err)
{
	if (!ctx->actor.remote || !after->token_env)
		return 0;
	const struct kind_def *k = kind_named(after->kind);
	const char *moved = opt_eq(api_of(before, k), api_of(after, k)) ? NULL
	                    : !opt_eq(before->url, after->url)          ? "url"
	                                                                : "api-url";
	if (!moved)
		return 0;
	err_set(err, ERR_DENIED,
	        "over the API, source %s's %s does not change while it has a token-env",
	        after->name, moved);
	err_detail(err, "the server would send the token in $%s to the new URL", after->token_env);
	err_hint(err,
	         "run 'plumb source set %s --%s URL' on the server's machine; nothing was changed",
	         after->name, moved);
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

static int set_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct set_args *a = arg;
	struct arena *ar = ctx->arena;
	/* A retried transaction starts afresh. */
	a->out->token_to = a->out->token_env = NULL;
	a->out->marked = a->out->unmarked = 0;
	struct store_stmt *st;
	int rc = source_row(ctx,
	                    "SELECT id, kind, config, token_env, webhook_secret_env FROM sources "
	                    "WHERE name = ?",
	                    a->name, &st, err);
	if (rc < 0)
		return rc;
	int64_t id = stmt_int(st, 0);
	struct source_spec cur = {.name = a->name,
	                          .kind = stmt_text_dup(st, 1, ar),
	                          .token_env = stmt_text_dup(st, 3, ar),
	                          .webhook_secret_env = stmt_text_dup(st, 4, ar)};
	const char *old_token_env = cur.token_env, *old_secret_env = cur.webhook_secret_env;
	const char *stored_config = stmt_text_dup(st, 2, ar);
	cJSON *config = cJSON_Parse(stored_config);
	stmt_reset(st);
	rc = set_refusals(ctx, id, cur.kind, a, err);
	if (rc < 0) {
		cJSON_Delete(config);
		return rc;
	}
	const struct source_spec no_change = {0};
	struct source_spec before = {0};
	merged_spec(ar, cur.kind, config, &no_change, &before);
	merged_spec(ar, cur.kind, config, a->changes, &cur);
	struct source_list_arg old_bots = stored_list(ar, config, "bots");
	cJSON_Delete(config);
	for (size_t i = 0; i < a->nunset && rc >= 0; i++)
		rc = apply_unset(&cur, a->changes, a->unset[i], err);
	const struct kind_def *k = NULL;
	if (rc >= 0)
		rc = validate(&cur, &old_bots, &k, err);
	if (rc >= 0)
		rc = remote_redirect(ctx, &before, &cur, err);
	if (rc >= 0)
		rc = remote_hosts(ctx, &before, &cur, err);
	if (rc < 0)
		return rc;
	/* Said whenever a token is given or goes elsewhere: the operator who
	 * gives one sees where it will go, whoever set the URL (found in
	 * review: an API admin's URL, then the operator's --token-env). */
	if (cur.token_env &&
	    (!opt_eq(cur.token_env, old_token_env) || !opt_eq(api_of(&before, k), api_of(&cur, k))))
		a->out->token_to = api_of(&cur, k), a->out->token_env = cur.token_env;
	struct sb json = SB_INIT;
	config_json(&cur, k, &json);
	a->out->kind = cur.kind;
	/* Settings given as they are stored (an --unset of what is not set, the
	 * same --repo again): nothing to write or audit, as for service set. */
	a->out->unchanged = strcmp(json.buf, stored_config) == 0 &&
	                    opt_eq(cur.token_env, old_token_env) &&
	                    opt_eq(cur.webhook_secret_env, old_secret_env);
	if (a->out->unchanged) {
		sb_release(&json);
		return CTX_ROLLBACK;
	}
	rc = store_prepare(
	        ctx->store,
	        "UPDATE sources SET config = ?2, token_env = ?3, webhook_secret_env = ?4, "
	        "updated_at = ?5 WHERE id = ?1",
	        &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, id);
		stmt_bind_text(st, 2, json.buf);
		stmt_bind_text(st, 3, cur.token_env);
		stmt_bind_text(st, 4, cur.webhook_secret_env);
		stmt_bind_int(st, 5, ts_clock_ms());
		rc = stmt_step(st, err);
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == 0)
		rc = remark_bots(ctx, id, cur.kind, old_bots, cur.bots, &a->out->marked,
		                 &a->out->unmarked, &a->out->held, err);
	if (rc == 0 && scope_changed(cur.kind, stored_config, json.buf))
		rc = reset_cursors(ctx, id, &a->out->cursors_reset, err);
	if (rc < 0) {
		sb_release(&json);
		return rc;
	}
	/* The entry names the variables, never their values. */
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kstr(&w, "kind", cur.kind);
	jw_key(&w, "config");
	jw_raw(&w, json.buf);
	jw_kstr(&w, "token_env", cur.token_env);
	jw_kstr(&w, "webhook_secret_env", cur.webhook_secret_env);
	jw_kint(&w, "events_marked_bot", a->out->marked);
	jw_kint(&w, "events_unmarked_bot", a->out->unmarked);
	jw_kint(&w, "events_held", a->out->held);
	jw_kint(&w, "cursors_reset", a->out->cursors_reset);
	jw_object_end(&w);
	rc = audit_append(ctx, "source.set", "source", a->name, detail.buf, err);
	sb_release(&detail);
	sb_release(&json);
	return rc;
}

int source_set(struct ctx *ctx, const char *name, const struct source_spec *changes,
               const char *const *unset, size_t nunset, struct source_set_result *out,
               struct error *err)
{
	*out = (struct source_set_result){0};
	int rc = ctx_op_check(ctx, OP_SOURCE_SET, err);
	if (rc < 0)
		return rc;
	if (changes->name || changes->owner || changes->kind)
		BUG("source_set: name, kind and owner are not settings it changes");
	struct set_args a = {name, changes, unset, nunset, out};
	return ctx_run(ctx, OP_SOURCE_SET, set_body, &a, err);
}

struct source_pause source_pause_read(struct store_stmt *st, int col, struct arena *a)
{
	return (struct source_pause){
	        .at = stmt_is_null(st, col) ? 0 : stmt_int(st, col),
	        .by = stmt_text_dup(st, col + 1, a),
	        .reason = stmt_text_dup(st, col + 2, a),
	};
}

void source_pause_json(struct jw *w, const char *key, const struct source_pause *p)
{
	char when[TS_BUF];
	jw_key(w, key);
	if (!p->at) {
		jw_null(w);
		return;
	}
	jw_object_begin(w);
	jw_kstr(w, "at", ts_format(p->at, when));
	jw_kstr(w, "by", p->by);
	jw_kstr(w, "reason", p->reason);
	jw_object_end(w);
}

const char *source_pause_text(struct arena *a, const struct source_pause *p)
{
	char when[TS_BUF];
	return arena_printf(a, "since %s by %s%s%s", ts_format(p->at, when),
	                    p->by ? p->by : "an admin", p->reason ? ": " : "",
	                    p->reason ? p->reason : "");
}

struct pause_args {
	const char *name, *reason;
	bool pause, *changed;
	struct source_pause *state;
};

static int pause_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct pause_args *a = arg;
	struct store_stmt *st;
	int rc = source_row(ctx,
	                    "SELECT id, paused_at, paused_by, paused_reason FROM sources "
	                    "WHERE name = ?",
	                    a->name, &st, err);
	if (rc < 0)
		return rc;
	int64_t id = stmt_int(st, 0);
	*a->state = source_pause_read(st, 1, ctx->arena);
	stmt_reset(st);
	*a->changed = (a->state->at == 0) == a->pause;
	if (!*a->changed)
		return CTX_ROLLBACK;
	struct source_pause was = *a->state;
	if (a->pause)
		*a->state = (struct source_pause){ts_clock_ms(), ctx->actor.name, a->reason};
	rc = store_prepare(ctx->store,
	                   "UPDATE sources SET paused_at = ?2, paused_by = ?3, paused_reason = ?4, "
	                   "updated_at = ?5 WHERE id = ?1",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, id);
	stmt_bind_opt_int(st, 2, a->state->at, a->pause);
	stmt_bind_text(st, 3, a->pause ? a->state->by : NULL);
	stmt_bind_text(st, 4, a->pause ? a->state->reason : NULL);
	stmt_bind_int(st, 5, ts_clock_ms());
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	/* Resuming says which pause it ended. */
	const struct source_pause *p = a->pause ? a->state : &was;
	char when[TS_BUF];
	struct sb d = SB_INIT;
	struct jw w;
	jw_init(&w, &d, false);
	jw_object_begin(&w);
	jw_kstr(&w, "paused_at", ts_format(p->at, when));
	jw_kstr(&w, "paused_by", p->by);
	jw_kstr(&w, "reason", p->reason);
	jw_object_end(&w);
	rc = audit_append(ctx, a->pause ? "source.pause" : "source.resume", "source", a->name,
	                  d.buf, err);
	sb_release(&d);
	return rc;
}

int source_pause(struct ctx *ctx, const char *name, const char *reason, bool *changed,
                 struct source_pause *state, struct error *err)
{
	*changed = false;
	*state = (struct source_pause){0};
	/* The permission first: a refusal is audited whatever the reason given. */
	int rc = ctx_op_check(ctx, OP_SOURCE_PAUSE, err);
	if (rc < 0)
		return rc;
	if (reason && (rc = org_check_reason(reason, err)) < 0)
		return rc;
	struct pause_args a = {name, reason, true, changed, state};
	return ctx_run(ctx, OP_SOURCE_PAUSE, pause_body, &a, err);
}

int source_resume(struct ctx *ctx, const char *name, bool *changed, struct source_pause *was,
                  struct error *err)
{
	*changed = false;
	*was = (struct source_pause){0};
	struct pause_args a = {name, NULL, false, changed, was};
	return ctx_run(ctx, OP_SOURCE_RESUME, pause_body, &a, err);
}

struct rewind_args {
	const char *name, *reason;
	int64_t *cursors;
};

static int rewind_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct rewind_args *a = arg;
	struct store_stmt *st;
	int rc = source_row(ctx, "SELECT id FROM sources WHERE name = ?", a->name, &st, err);
	if (rc < 0)
		return rc;
	int64_t id = stmt_int(st, 0);
	stmt_reset(st);
	/* Its cursors become the source's when a run going on publishes: a
	 * rewind under it would be undone while saying it was done (found in
	 * review). */
	int64_t run;
	if ((rc = live_run(ctx, id, &run, err)) < 0)
		return rc;
	if (run) {
		err_set(err, ERR_CONFLICT, "source %s is being synced now (run %" PRId64 ")",
		        a->name, run);
		err_detail(err, "that run sets the source's cursors again when it publishes");
		err_hint(err, "rewind once it has ended ('plumb sync --status' shows it)");
		return ERR_CONFLICT;
	}
	if ((rc = reset_cursors(ctx, id, a->cursors, err)) < 0)
		return rc;
	if (*a->cursors == 0)
		return CTX_ROLLBACK;
	struct sb d = SB_INIT;
	struct jw w;
	jw_init(&w, &d, false);
	jw_object_begin(&w);
	jw_kint(&w, "cursors_reset", *a->cursors);
	jw_kstr(&w, "reason", a->reason);
	jw_object_end(&w);
	rc = audit_append(ctx, "source.rewind", "source", a->name, d.buf, err);
	sb_release(&d);
	return rc;
}

int source_rewind(struct ctx *ctx, const char *name, const char *reason, int64_t *cursors,
                  struct error *err)
{
	*cursors = 0;
	/* The permission first: a refusal is audited whatever the reason given. */
	int rc = ctx_op_check(ctx, OP_SOURCE_REWIND, err);
	if (rc < 0)
		return rc;
	if (reason && (rc = org_check_reason(reason, err)) < 0)
		return rc;
	struct rewind_args a = {name, reason, cursors};
	return ctx_run(ctx, OP_SOURCE_REWIND, rewind_body, &a, err);
}

struct remove_args {
	const char *name;
};

static int remove_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct remove_args *a = arg;
	struct store_stmt *st;
	int rc =
	        source_row(ctx,
	                   "SELECT s.id, s.kind, s.config, s.token_env, s.webhook_secret_env, "
	                   "(SELECT COUNT(*) FROM ingest_runs r WHERE r.source_id = s.id), "
	                   "(SELECT COUNT(*) FROM events e WHERE e.source_id = s.id), "
	                   "(SELECT COUNT(*) FROM raw_payloads p WHERE p.source_id = s.id) + "
	                   "(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.source_id = s.id) + "
	                   "(SELECT COUNT(*) FROM withheld_records w WHERE w.source_id = s.id) + "
	                   "(SELECT COUNT(*) FROM sync_cursors c WHERE c.source_id = s.id), "
	                   "(SELECT t.name FROM teams t WHERE t.id = s.owner_team_id) "
	                   "FROM sources s WHERE s.name = ?",
	                   a->name, &st, err);
	if (rc < 0)
		return rc;
	int64_t id = stmt_int(st, 0), runs = stmt_int(st, 5), events = stmt_int(st, 6),
	        other = stmt_int(st, 7);
	struct sb d = SB_INIT;
	struct jw w;
	jw_init(&w, &d, false);
	jw_object_begin(&w);
	jw_kstr(&w, "kind", stmt_text(st, 1));
	/* As the JSON object it is, or null: the entry's detail must be JSON
	 * whatever a hand edit left in the column. */
	const char *config = pj_object_text(ctx->arena, stmt_text(st, 2));
	jw_key(&w, "config");
	if (config)
		jw_raw(&w, config);
	else
		jw_null(&w);
	jw_kstr(&w, "token_env", stmt_text(st, 3));
	jw_kstr(&w, "webhook_secret_env", stmt_text(st, 4));
	/* Its owning team (source owner) goes with it too. */
	jw_kstr(&w, "owner", stmt_text(st, 8));
	stmt_reset(st);
	if (runs + events + other > 0) {
		sb_release(&d);
		/* A failed run is history too: run ids mark what the metrics have
		 * seen, and SQLite would give a removed last id out again. */
		err_set(err, ERR_CONFLICT,
		        "source %s has a history (%lld %s, %lld %s): it is kept for its lineage",
		        a->name, (long long)runs, runs == 1 ? "run" : "runs", (long long)events,
		        events == 1 ? "event" : "events");
		err_hint(err,
		         "'plumb source set %s' corrects its settings; 'plumb source pause %s "
		         "--reason ...' stops it bringing data",
		         a->name, a->name);
		return ERR_CONFLICT;
	}
	/* Its sharing goes with it, named in the entry. */
	int64_t readers = 0;
	rc = store_prepare(ctx->store,
	                   "DELETE FROM source_readers WHERE source_id = ?1 RETURNING 1", &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, id);
		while ((rc = stmt_step(st, err)) == STORE_ROW)
			readers++;
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	jw_kint(&w, "readers_removed", readers);
	jw_object_end(&w);
	if (rc == 0)
		rc = store_prepare(ctx->store, "DELETE FROM sources WHERE id = ?1", &st, err);
	if (rc == 0) {
		stmt_bind_int(st, 1, id);
		rc = stmt_step(st, err);
		stmt_reset(st);
		rc = rc < 0 ? rc : 0;
	}
	if (rc == 0)
		rc = audit_append(ctx, "source.remove", "source", a->name, d.buf, err);
	sb_release(&d);
	return rc;
}

int source_remove(struct ctx *ctx, const char *name, struct error *err)
{
	struct remove_args a = {name};
	return ctx_run(ctx, OP_SOURCE_REMOVE, remove_body, &a, err);
}

struct list_args {
	struct source_info **out;
	size_t *n;
};

static int list_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct list_args *a = arg;
	struct store_stmt *st;
	int rc =
	        store_prepare(ctx->store,
	                      "SELECT s.name, s.kind, s.config, s.token_env, s.webhook_secret_env, "
	                      "s.created_at, o.name, s.paused_at, s.paused_by, s.paused_reason "
	                      "FROM sources s "
	                      "LEFT JOIN teams o ON o.id = s.owner_team_id ORDER BY s.name",
	                      &st, err);
	size_t count = 0, alloc = 0;
	struct source_info *items = NULL;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		items = arena_grow(ctx->arena, items, count, &alloc, sizeof *items);
		struct source_info *s = &items[count++];
		s->name = stmt_text_dup(st, 0, ctx->arena);
		s->kind = stmt_text_dup(st, 1, ctx->arena);
		s->config = stmt_text_dup(st, 2, ctx->arena);
		s->token_env = stmt_text_dup(st, 3, ctx->arena);
		s->webhook_secret_env = stmt_text_dup(st, 4, ctx->arena);
		s->created_at = stmt_int(st, 5);
		s->owner = stmt_text_dup(st, 6, ctx->arena);
		s->paused = source_pause_read(st, 7, ctx->arena);
	}
	if (rc < 0)
		return rc;
	stmt_reset(st);
	rc = store_prepare(ctx->store,
	                   "SELECT s.name, t.name FROM source_readers r JOIN sources s ON s.id = "
	                   "r.source_id JOIN teams t ON t.id = r.team_id ORDER BY s.name, t.name",
	                   &st, err);
	size_t ralloc = 0, at = 0;
	while (rc >= 0 && (rc = stmt_step(st, err)) == STORE_ROW) {
		const char *source = stmt_text(st, 0);
		while (at < count && strcmp(items[at].name, source) < 0) {
			at++;
			ralloc = 0;
		}
		if (at == count || strcmp(items[at].name, source) != 0)
			continue; /* both lists are sorted by name */
		struct source_info *s = &items[at];
		s->readers = arena_grow(ctx->arena, s->readers, s->nreaders, &ralloc,
		                        sizeof *s->readers);
		s->readers[s->nreaders++] = stmt_text_dup(st, 1, ctx->arena);
	}
	if (rc < 0)
		return rc;
	stmt_reset(st);
	*a->out = items;
	*a->n = count;
	return 0;
}

int source_list(struct ctx *ctx, struct source_info **out, size_t *n, struct error *err)
{
	struct list_args a = {out, n};
	return ctx_run(ctx, OP_SOURCE_LIST, list_body, &a, err);
}
