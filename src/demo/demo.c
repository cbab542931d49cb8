/*
 * demo: a realistic engineering organization generated from a seed, written
 * as the HRIS export a customer would hand plumb and loaded through the same
 * import path (org_parse, org_import_tx): a January import, a mid-year
 * re-org, services and their owners, and a user for every role.  Then its
 * source data (demo_sources.c), once the organization is committed, and
 * its review cycles (demo_reviews.c).
 */
#include "demo/demo.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/hmap.h"
#include "base/jw.h"
#include "base/mem.h"
#include "base/rng.h"
#include "base/sb.h"
#include "base/ts.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/org.h"
#include "core/users.h"
#include "store/store.h"

#define DEMO_LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define DEMO_DEFAULT_PEOPLE 120 /* engineers on teams, team managers included */
#define DEMO_MIN_PEOPLE     10
#define DEMO_MAX_PEOPLE     100000
#define DEMO_PER_TEAM       10
#define DEMO_MIN_TEAMS      4
#define DEMO_TEAM_MIN       3
#define DEMO_TEAM_MAX       18

/* The calendar the demo is planned on: January's import, July's, and the
 * day the data ends, which is also "now" for the imports' view of who has
 * left.  demo_create moves it all by whole weeks (weekdays and the
 * Sunday-started weeks stay) so the data ends where the week of the day
 * asked for starts: the same seed and week give the same demo, and a demo
 * made today has its six months up to this week. */
#define DEMO_BASE_YEAR     2026
#define DEMO_JANUARY       1 /* month of the first import */
#define DEMO_JULY          7 /* month of the mid-year import */
#define DEMO_AS_OF_MONTH   11
#define DEMO_EARLIEST_YEAR 2000 /* the earliest as-of: hires go back ten years before it */
#define DEMO_PROJECT_TEAM  "launch-tiger"

#define DEMO_CSV_HEADER                                                                            \
	"employee_id,name,email,manager_id,team,title,level,track,role_profile,country,"           \
	"start_date,end_date,parent_team,team_kind,github_login,jira_account_id,"                  \
	"pagerduty_user_id,emails\n"

/* ---- the shape of the organization ------------------------------------ */

enum demo_group { GROUP_PRODUCT, GROUP_PLATFORM, GROUP_INFRA, GROUP_COUNT };

/* Team indices: the root, one group team per director, then the teams. */
#define ROOT_TEAM     0
#define GROUP_TEAM(g) (1 + (int)(g))
#define FIRST_TEAM    (1 + GROUP_COUNT)

static const struct group_def {
	const char *name, *title;
} group_defs[GROUP_COUNT] = {
        {"product", "Product"},
        {"platform", "Platform"},
        {"infrastructure", "Infrastructure"},
};

/* Ordered so that the first three cover every group (the smallest demo has
 * four teams); the first twelve make the default organization. */
static const struct team_def {
	const char *name;
	enum demo_group group;
	const char *profile; /* role profile of its engineers; NULL: mostly backend */
} team_defs[] = {
        {"payments", GROUP_PRODUCT, NULL},
        {"search", GROUP_PLATFORM, NULL},
        {"sre", GROUP_INFRA, "sre"},
        {"checkout", GROUP_PRODUCT, NULL},
        {"identity", GROUP_PLATFORM, NULL},
        {"observability", GROUP_INFRA, "sre"},
        {"mobile", GROUP_PRODUCT, "mobile"},
        {"data-platform", GROUP_PLATFORM, "data"},
        {"storage", GROUP_INFRA, NULL},
        {"web", GROUP_PRODUCT, "frontend"},
        {"build-tools", GROUP_INFRA, NULL},
        {"growth", GROUP_PRODUCT, NULL},
        {"billing", GROUP_PRODUCT, NULL},
        {"security", GROUP_PLATFORM, NULL},
        {"networking", GROUP_INFRA, NULL},
        {"analytics", GROUP_PRODUCT, "data"},
        {"ml-platform", GROUP_PLATFORM, "data"},
        {"release-engineering", GROUP_INFRA, NULL},
        {"messaging", GROUP_PRODUCT, NULL},
        {"api-gateway", GROUP_PLATFORM, NULL},
        {"compute", GROUP_INFRA, NULL},
        {"onboarding", GROUP_PRODUCT, "frontend"},
        {"developer-portal", GROUP_PLATFORM, "frontend"},
        {"databases", GROUP_INFRA, NULL},
};

/* team: index into team_defs (taken modulo the number of teams). */
static const struct service_def {
	const char *name;
	int team;
	const char *description;
} service_defs[] = {
        {"payments-api", 0, "Card and wallet payments API"},
        {"payments-ledger", 0, "Double-entry ledger of settled payments"},
        {"fraud-scoring", 0, "Real-time fraud risk scoring"},
        {"search-api", 1, "Product search queries"},
        {"search-indexer", 1, "Builds the search indexes from the catalog"},
        {"incident-bot", 2, "Chat bot that runs incident response"},
        {"status-page", 2, "Public service status page"},
        {"checkout-web", 3, "Checkout flow front end"},
        {"cart-service", 3, "Shopping cart state"},
        {"auth-gateway", 4, "Sign-in, sessions and tokens"},
        {"identity-service", 4, "Accounts, profiles and permissions"},
        {"metrics-collector", 5, "Metrics ingestion and aggregation"},
        {"log-router", 5, "Log shipping and routing"},
        {"mobile-ios", 6, "iOS app"},
        {"mobile-android", 6, "Android app"},
        {"event-pipeline", 7, "Streaming event pipeline"},
        {"data-warehouse", 7, "Analytics warehouse and batch jobs"},
        {"blob-store", 8, "Object storage"},
        {"db-proxy", 8, "Connection pooling proxy for the databases"},
        {"web-storefront", 9, "Storefront web application"},
        {"design-system", 9, "Shared UI components"},
        {"ci-runners", 10, "Build and test runners"},
        {"artifact-registry", 10, "Container images and packages"},
        {"experiments-api", 11, "A/B experiment assignment"},
        {"notification-sender", 11, "Email, SMS and push notifications"},
};

/* Ownership changes of the mid-year re-org. */
static const struct service_move {
	const char *name;
	int team;
} service_moves[] = {
        {"status-page", 5},
        {"fraud-scoring", 7},
};

/* ---- names and places ------------------------------------------------- */

enum name_pool_id {
	POOL_ANGLO,
	POOL_GERMAN,
	POOL_INDIAN,
	POOL_BRAZILIAN,
	POOL_POLISH,
	POOL_SPANISH,
	POOL_EAST_ASIAN,
	POOL_WEST_AFRICAN,
	POOL_ARABIC,
	POOL_COUNT
};

static const struct country_def {
	const char *code;
	int weight;
	enum name_pool_id pool;
} country_defs[] = {
        {"US", 33, POOL_ANGLO}, {"IN", 16, POOL_INDIAN}, {"DE", 12, POOL_GERMAN},
        {"GB", 11, POOL_ANGLO}, {"PL", 9, POOL_POLISH},  {"BR", 8, POOL_BRAZILIAN},
        {"CA", 6, POOL_ANGLO},  {"ES", 5, POOL_SPANISH},
};

static const char *const anglo_first[] = {
        "James",  "Emily",  "Michael", "Sarah",     "David",   "Jessica", "Daniel", "Ashley",
        "Ryan",   "Megan",  "Chris",   "Olivia",    "Matthew", "Hannah",  "Andrew", "Lauren",
        "Tyler",  "Rachel", "Ethan",   "Grace",     "Liam",    "Chloe",   "Noah",   "Amelia",
        "Connor", "Sophie", "Jack",    "Charlotte", "Owen",    "Zoe",
};
static const char *const anglo_last[] = {
        "Smith",  "Johnson", "Williams", "Brown",       "Jones",    "Miller",
        "Davis",  "Wilson",  "Taylor",   "Anderson",    "Thomas",   "Moore",
        "Clark",  "Walker",  "Hall",     "Young",       "King",     "Wright",
        "Evans",  "Roberts", "O'Brien",  "MacDonald",   "Campbell", "Hughes",
        "Murphy", "Bennett", "Fraser",   "Harris-Cole", "Turner",   "Cooper",
};
static const char *const german_first[] = {
        "Lukas",  "Anna",  "Felix",  "Lena",    "Jonas",  "Marie",     "Maximilian", "Leonie",
        "Leon",   "Laura", "Paul",   "Julia",   "Tobias", "Katharina", "Jan",        "Hanna",
        "Niklas", "Lea",   "Moritz", "Johanna", "Jürgen", "Sabine",    "Björn",      "Anja",
};
static const char *const german_last[] = {
        "Müller",  "Schmidt",    "Schneider", "Fischer", "Weber",    "Meyer", "Wagner",   "Becker",
        "Schulz",  "Hoffmann",   "Koch",      "Richter", "Klein",    "Wolf",  "Schröder", "Neumann",
        "Schwarz", "Zimmermann", "Braun",     "Krüger",  "Hartmann", "Lange", "Werner",   "Krause",
};
static const char *const indian_first[] = {
        "Aarav",  "Priya",   "Rohan",  "Ananya", "Vikram",  "Sneha",   "Arjun",     "Kavya",
        "Rahul",  "Pooja",   "Aditya", "Divya",  "Karthik", "Meera",   "Siddharth", "Neha",
        "Sanjay", "Lakshmi", "Amit",   "Shreya", "Nikhil",  "Deepika", "Varun",     "Ishaan",
};
static const char *const indian_last[] = {
        "Sharma",   "Patel", "Gupta",   "Reddy",    "Iyer",       "Nair",  "Singh",    "Kumar",
        "Rao",      "Menon", "Joshi",   "Mehta",    "Chatterjee", "Das",   "Banerjee", "Pillai",
        "Kulkarni", "Desai", "Agarwal", "Krishnan", "Bhat",       "Verma", "Chopra",   "Malhotra",
};
static const char *const brazilian_first[] = {
        "João",     "Maria",   "Pedro",  "Ana",     "Lucas",   "Juliana", "Gabriel",
        "Fernanda", "Rafael",  "Camila", "Thiago",  "Beatriz", "Matheus", "Larissa",
        "Felipe",   "Letícia", "Bruno",  "Mariana", "Gustavo", "Aline",
};
static const char *const brazilian_last[] = {
        "Silva",   "Santos",     "Oliveira", "Souza",   "Pereira",  "Costa",    "Rodrigues",
        "Almeida", "Nascimento", "Lima",     "Araújo",  "Carvalho", "Gomes",    "Ribeiro",
        "Martins", "Rocha",      "Barbosa",  "Cardoso", "Teixeira", "da Silva",
};
static const char *const polish_first[] = {
        "Jakub",     "Zofia",  "Kacper",    "Maja",     "Mateusz",   "Aleksandra", "Piotr",
        "Katarzyna", "Tomasz", "Agnieszka", "Michał",   "Magdalena", "Paweł",      "Natalia",
        "Krzysztof", "Joanna", "Łukasz",    "Weronika", "Bartosz",   "Małgorzata",
};
static const char *const polish_last[] = {
        "Nowak", "Wójcik", "Kowalczyk", "Woźniak",   "Mazur",    "Krawczyk",
        "Zając", "Król",   "Wieczorek", "Pawlak",    "Michalak", "Sikora",
        "Baran", "Duda",   "Szymczak",  "Kaczmarek", "Walczak",  "Adamczyk",
};
static const char *const spanish_first[] = {
        "Alejandro", "Lucía", "Javier", "Carmen",   "Pablo",  "Elena",  "Sergio",
        "Marta",     "Diego", "Paula",  "Álvaro",   "Laura",  "Adrián", "Sara",
        "Raúl",      "Irene", "Jorge",  "Cristina", "Manuel", "Nuria",
};
static const char *const spanish_last[] = {
        "García", "Fernández", "González", "Rodríguez", "López",   "Martínez",  "Sánchez",
        "Pérez",  "Gómez",     "Martín",   "Jiménez",   "Ruiz",    "Hernández", "Díaz",
        "Moreno", "Muñoz",     "Álvarez",  "Romero",    "Navarro", "Torres",
};
static const char *const east_asian_first[] = {
        "Wei",     "Mei",    "Jun", "Hiroshi", "Yuki",  "Min-jun", "Seo-yeon", "Haruto", "Jing",
        "Takeshi", "Ji-woo", "Hao", "Sakura",  "Kenji", "Lan",     "Minh",     "Linh",   "Thanh",
};
static const char *const east_asian_last[] = {
        "Wang", "Li",  "Zhang", "Chen",   "Liu",  "Tanaka", "Suzuki", "Sato",     "Kim",
        "Park", "Lee", "Choi",  "Nguyen", "Tran", "Pham",   "Huang",  "Yamamoto", "Wu",
};
static const char *const west_african_first[] = {
        "Chinedu", "Ngozi", "Oluwaseun", "Amara", "Kwame",  "Abena", "Tunde",
        "Folake",  "Emeka", "Adaeze",    "Kofi",  "Zainab", "Yaw",   "Efua",
};
static const char *const west_african_last[] = {
        "Okafor", "Adeyemi",  "Mensah", "Okonkwo", "Balogun", "Nwosu",    "Boateng",
        "Eze",    "Abubakar", "Owusu",  "Adebayo", "Asante",  "Oyelaran", "Danso",
};
static const char *const arabic_first[] = {
        "Omar",  "Layla",  "Youssef", "Fatima", "Karim", "Noor",  "Ahmed",
        "Salma", "Hassan", "Yasmin",  "Ali",    "Rania", "Tariq", "Leila",
};
static const char *const arabic_last[] = {
        "Haddad", "Khalil", "Nasser",  "Mansour", "Saleh",   "Aziz",   "Farouk",
        "Hamdan", "Rahman", "El-Amin", "Sayed",   "Darwish", "Hakimi", "Qureshi",
};

static const struct name_pool {
	const char *const *first;
	int nfirst;
	const char *const *last;
	int nlast;
} name_pools[POOL_COUNT] = {
#define POOL(f, l)                                                                                 \
	{                                                                                          \
		f, DEMO_LEN(f), l, DEMO_LEN(l)                                                     \
	}
        [POOL_ANGLO] = POOL(anglo_first, anglo_last),
        [POOL_GERMAN] = POOL(german_first, german_last),
        [POOL_INDIAN] = POOL(indian_first, indian_last),
        [POOL_BRAZILIAN] = POOL(brazilian_first, brazilian_last),
        [POOL_POLISH] = POOL(polish_first, polish_last),
        [POOL_SPANISH] = POOL(spanish_first, spanish_last),
        [POOL_EAST_ASIAN] = POOL(east_asian_first, east_asian_last),
        [POOL_WEST_AFRICAN] = POOL(west_african_first, west_african_last),
        [POOL_ARABIC] = POOL(arabic_first, arabic_last),
#undef POOL
};

/* Letters in the names above, as they are spelled in an email address. */
static const struct translit {
	const char *utf8, *ascii;
} translits[] = {
        {"ä", "ae"}, {"ö", "oe"}, {"ü", "ue"}, {"ß", "ss"}, {"á", "a"}, {"Á", "a"}, {"à", "a"},
        {"â", "a"},  {"ã", "a"},  {"é", "e"},  {"ê", "e"},  {"è", "e"}, {"í", "i"}, {"ó", "o"},
        {"ô", "o"},  {"õ", "o"},  {"ú", "u"},  {"ç", "c"},  {"ñ", "n"}, {"ł", "l"}, {"Ł", "l"},
        {"ś", "s"},  {"ż", "z"},  {"ź", "z"},  {"ć", "c"},  {"ń", "n"}, {"ą", "a"}, {"ę", "e"},
};

/* ---- the generated organization --------------------------------------- */

enum demo_rank { RANK_VP, RANK_DIRECTOR, RANK_MANAGER, RANK_ENGINEER };

struct demo_team {
	const char *name, *parent, *kind;
	const char *profile; /* role profile of its engineers; NULL: mostly backend */
	const char *country; /* where most of its people sit */
	enum demo_group group;
	int head;     /* person index of its manager; -1: none */
	int size;     /* members in January */
	bool on_call; /* its engineers carry a pager */
};

struct demo_person {
	char employee_id[16];
	const char *name, *email, *github, *jira, *pagerduty, *emails;
	const char *role_profile, *country;
	enum demo_rank rank;
	int team, manager, level;             /* January; manager -1: none */
	int team_mid, manager_mid, level_mid; /* from July */
	int64_t start_day, end_day;           /* days since the epoch; end_day 0: none */
};

/* People: the VP, the directors, one manager per team, then engineers. */
struct demo_org {
	struct demo_person *people;
	int npeople;
	struct demo_team *teams; /* root, groups, permanent teams, the project */
	int nteams, nperm, project;
	int *engineers; /* person indices of the engineers, shuffled */
	int nengineers;
	int movers;
	int sample_engineer, sample_manager, sample_leader, sample_partner;
	enum demo_group partner_group;
	int64_t january_ms, july_ms, as_of_ms; /* the calendar, moved (DEMO_BASE_YEAR) */
};

#define FIRST_MANAGER (1 + GROUP_COUNT)

/* ---- small helpers ---------------------------------------------------- */

static int pick(struct rng *r, int n)
{
	return (int)rng_below(r, (uint64_t)n);
}

static bool chance(struct rng *r, int percent)
{
	return pick(r, 100) < percent;
}

static void shuffle(struct rng *r, int *v, int n)
{
	for (int i = n - 1; i > 0; i--) {
		int j = pick(r, i + 1);
		int t = v[i];
		v[i] = v[j];
		v[j] = t;
	}
}

static const struct country_def *pick_country(struct rng *r)
{
	int total = 0;
	for (int i = 0; i < DEMO_LEN(country_defs); i++)
		total += country_defs[i].weight;
	int x = pick(r, total);
	for (int i = 0; i < DEMO_LEN(country_defs); i++) {
		if (x < country_defs[i].weight)
			return &country_defs[i];
		x -= country_defs[i].weight;
	}
	BUG("country weights");
}

static const struct country_def *country_by_code(const char *code)
{
	for (int i = 0; i < DEMO_LEN(country_defs); i++)
		if (strcmp(country_defs[i].code, code) == 0)
			return &country_defs[i];
	BUG("unknown country %s", code);
}

/* Append ascii to out[*len] when it fits (one byte is kept for the NUL). */
static void slug_put(char *out, size_t n, size_t *len, const char *ascii)
{
	size_t k = strlen(ascii);
	if (*len + k + 1 > n)
		return;
	memcpy(out + *len, ascii, k);
	*len += k;
}

/* Lowercase ASCII letters, digits and single inner hyphens: how a name is
 * spelled in an address or a login ("O'Brien" -> "obrien"). */
static void name_slug(const char *s, char *out, size_t n)
{
	size_t len = 0;
	while (*s) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x80) {
			char ch[2] = {(char)c, 0};
			if (c >= 'A' && c <= 'Z')
				ch[0] = (char)(c - 'A' + 'a');
			if ((ch[0] >= 'a' && ch[0] <= 'z') || (ch[0] >= '0' && ch[0] <= '9') ||
			    (c == '-' && len > 0 && out[len - 1] != '-'))
				slug_put(out, n, &len, ch);
			s++;
			continue;
		}
		size_t used = 0;
		for (int i = 0; i < DEMO_LEN(translits); i++) {
			size_t k = strlen(translits[i].utf8);
			if (strncmp(s, translits[i].utf8, k) == 0) {
				slug_put(out, n, &len, translits[i].ascii);
				used = k;
				break;
			}
		}
		if (used == 0) /* a letter we cannot spell: drop the whole sequence */
			for (used = 1; ((unsigned char)s[used] & 0xC0) == 0x80; used++)
				;
		s += used;
	}
	while (len > 0 && out[len - 1] == '-')
		len--;
	out[len] = '\0';
}

/* Reserve value in system; false when someone already has it. */
static bool claim(struct hmap *taken, const char *system, const char *value)
{
	char key[256];
	snprintf(key, sizeof key, "%s:%s", system, value);
	return hmap_put(taken, key, 1);
}

/* ---- people ----------------------------------------------------------- */

static const char *make_email(struct arena *a, struct hmap *taken, const char *first,
                              const char *last)
{
	char email[160];
	snprintf(email, sizeof email, "%s.%s@example.com", first, last);
	for (int n = 2; !claim(taken, "email", email); n++)
		snprintf(email, sizeof email, "%s.%s%d@example.com", first, last, n);
	return arena_strdup(a, email);
}

static const char *make_github(struct rng *r, struct arena *a, struct hmap *taken,
                               const char *first, const char *last)
{
	char login[128];
	for (int attempt = 0;; attempt++) {
		int style = pick(r, 10);
		int number = 10 + pick(r, 90);
		if (attempt >= 5)
			snprintf(login, sizeof login, "%s-%s-%d", first, last,
			         100 + pick(r, 99900));
		else if (style < 6)
			snprintf(login, sizeof login, "%c%s-%d", first[0], last, number);
		else if (style < 8)
			snprintf(login, sizeof login, "%s-%s", first, last);
		else
			snprintf(login, sizeof login, "%s%s%d", first, last, number);
		if (claim(taken, "github", login))
			return arena_strdup(a, login);
	}
}

static const char *make_jira(struct rng *r, struct arena *a)
{
	char id[32];
	uint64_t high = rng_next(r), low = rng_next(r) & UINT64_C(0xffffffff);
	snprintf(id, sizeof id, "%016" PRIx64 "%08" PRIx64, high, low);
	return arena_strdup(a, id);
}

static const char *make_pagerduty(struct rng *r, struct arena *a, struct hmap *taken)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char id[8];
	do {
		id[0] = 'P';
		for (int i = 1; i < 7; i++)
			id[i] = alnum[pick(r, (int)sizeof alnum - 1)];
		id[7] = '\0';
	} while (!claim(taken, "pagerduty", id));
	return arena_strdup(a, id);
}

/* A few people have older addresses too: a legacy domain, GitHub's relay. */
static const char *make_extra_emails(struct rng *r, struct arena *a, struct hmap *taken,
                                     const char *email, const char *github)
{
	if (!chance(r, 6))
		return "";
	size_t local = strcspn(email, "@");
	char legacy[192], relay[160];
	snprintf(legacy, sizeof legacy, "%.*s@legacy.example.com", (int)local, email);
	claim(taken, "email", legacy);
	if (!chance(r, 35))
		return arena_strdup(a, legacy);
	snprintf(relay, sizeof relay, "%d+%s@users.noreply.github.com", 1000000 + pick(r, 9000000),
	         github);
	claim(taken, "email", relay);
	return arena_printf(a, "%s;%s", legacy, relay);
}

static const char *engineer_profile(struct rng *r, const struct demo_team *team)
{
	if (team->profile)
		return team->profile;
	int x = pick(r, 100);
	return x < 80 ? "backend" : x < 93 ? "frontend" : "data";
}

static int engineer_level(struct rng *r)
{
	static const int weights[] = {5, 20, 30, 25, 15, 5}; /* L1..L6 */
	int x = pick(r, 100);
	for (int i = 0; i < DEMO_LEN(weights); i++) {
		if (x < weights[i])
			return i + 1;
		x -= weights[i];
	}
	BUG("level weights");
}

/* A hire date in the given years, clipped to 2016..2025.  growing takes the
 * later of two draws, so recent years hold more hires, as in a company that
 * grows. */
static int64_t hire_day(struct rng *r, int first_year, int years, bool growing)
{
	int64_t start = ts_days_from_civil(2016, 1, 1);
	int64_t lo = ts_days_from_civil(first_year, 1, 1);
	int64_t hi = ts_days_from_civil(first_year + years, 1, 1);
	int64_t end = ts_days_from_civil(2026, 1, 1);
	if (lo < start)
		lo = start;
	if (hi > end)
		hi = end;
	int64_t day = lo + pick(r, (int)(hi - lo));
	if (growing) {
		int64_t other = lo + pick(r, (int)(hi - lo));
		if (other > day)
			day = other;
	}
	return day;
}

/* Name, identities and place of p, whose rank and team are set. */
static void make_person(struct rng *r, struct arena *a, struct hmap *taken, struct demo_person *p,
                        const char *country, bool pager)
{
	const struct country_def *home = country_by_code(country);
	const struct name_pool *pool =
	        &name_pools[chance(r, 70) ? home->pool : (enum name_pool_id)pick(r, POOL_COUNT)];
	const char *first = pool->first[pick(r, pool->nfirst)];
	const char *last = pool->last[pick(r, pool->nlast)];
	char first_slug[48], last_slug[48];
	name_slug(first, first_slug, sizeof first_slug);
	name_slug(last, last_slug, sizeof last_slug);

	p->country = home->code;
	p->name = arena_printf(a, "%s %s", first, last);
	p->email = make_email(a, taken, first_slug, last_slug);
	p->github = make_github(r, a, taken, first_slug, last_slug);
	p->jira = chance(r, 97) ? make_jira(r, a) : "";
	p->pagerduty = pager ? make_pagerduty(r, a, taken) : "";
	p->emails = make_extra_emails(r, a, taken, p->email, p->github);
	p->team_mid = p->team;
	p->manager_mid = p->manager;
	p->level_mid = p->level;
}

/* Share members out among the permanent teams in proportion to weights,
 * each team between DEMO_TEAM_MIN (two in the smallest demos) and
 * DEMO_TEAM_MAX people, its manager included. */
static void size_teams(struct demo_org *org, struct rng *r, const int *weights, int members)
{
	struct demo_team *teams = &org->teams[FIRST_TEAM];
	int nperm = org->nperm;
	int least = members >= nperm * DEMO_TEAM_MIN ? DEMO_TEAM_MIN : 2;
	int64_t total = 0;
	for (int i = 0; i < nperm; i++)
		total += weights[i];
	int extra = members - nperm * least, placed = 0;
	for (int i = 0; i < nperm; i++) {
		int64_t share = (int64_t)extra * weights[i] / total;
		teams[i].size = least + (int)share;
		if (teams[i].size > DEMO_TEAM_MAX)
			teams[i].size = DEMO_TEAM_MAX;
		placed += teams[i].size;
	}
	/* Rounding and the cap leave a few people: seat them one by one
	 * (there is room, since DEMO_TEAM_MAX * nperm > members). */
	while (placed < members) {
		struct demo_team *t = &teams[pick(r, nperm)];
		if (t->size < DEMO_TEAM_MAX) {
			t->size++;
			placed++;
		}
	}
}

/* Teams: the root, the group teams, nperm permanent teams and the project. */
static void plan_teams(struct demo_org *org, struct rng *r, struct arena *a, int members)
{
	int nperm = members / DEMO_PER_TEAM;
	if (nperm < DEMO_MIN_TEAMS)
		nperm = DEMO_MIN_TEAMS;
	org->nperm = nperm;
	org->nteams = FIRST_TEAM + nperm + 1;
	org->project = org->nteams - 1;
	org->teams = arena_array(a, (size_t)org->nteams, sizeof *org->teams);

	struct demo_team *root = &org->teams[ROOT_TEAM];
	*root = (struct demo_team){.name = "engineering",
	                           .parent = "",
	                           .kind = "permanent",
	                           .country = "US",
	                           .head = 0};
	for (int g = 0; g < GROUP_COUNT; g++)
		org->teams[GROUP_TEAM(g)] = (struct demo_team){.name = group_defs[g].name,
		                                               .parent = "engineering",
		                                               .kind = "permanent",
		                                               .country = pick_country(r)->code,
		                                               .group = (enum demo_group)g,
		                                               .head = 1 + g};

	int *weights = arena_array(a, (size_t)nperm, sizeof *weights);
	for (int i = 0; i < nperm; i++) {
		const struct team_def *def = &team_defs[i % DEMO_LEN(team_defs)];
		struct demo_team *t = &org->teams[FIRST_TEAM + i];
		t->name = i < DEMO_LEN(team_defs) ? def->name
		                                  : arena_printf(a, "%s-%d", def->name,
		                                                 i / DEMO_LEN(team_defs) + 1);
		t->parent = group_defs[def->group].name;
		t->kind = "permanent";
		t->profile = def->profile;
		t->country = pick_country(r)->code;
		t->group = def->group;
		t->head = FIRST_MANAGER + i;
		t->on_call = def->group == GROUP_INFRA || chance(r, 30);
		int w = 1 + pick(r, 5);
		weights[i] = w * w; /* a few large teams, several small ones */
	}
	size_teams(org, r, weights, members);
	org->teams[org->project] = (struct demo_team){.name = DEMO_PROJECT_TEAM,
	                                              .parent = group_defs[GROUP_PRODUCT].name,
	                                              .kind = "project",
	                                              .country = "US",
	                                              .group = GROUP_PRODUCT,
	                                              .head = -1};
}

/* Engineers in order of hire get the lower employee ids, as in an HRIS. */
static int by_hire(const void *x, const void *y)
{
	const struct demo_person *a = x, *b = y;
	if (a->start_day != b->start_day)
		return a->start_day < b->start_day ? -1 : 1;
	return strcmp(a->github, b->github); /* unique: a total order */
}

/* "E007": zero-padded to digits, which hold every number in the demo. */
static void format_employee_id(char out[static 16], int number, int digits)
{
	out[0] = 'E';
	for (int k = digits; k >= 1; k--, number /= 10)
		out[k] = (char)('0' + number % 10);
	out[digits + 1] = '\0';
}

static void plan_people(struct demo_org *org, struct rng *r, struct arena *a, int members)
{
	int nengineers = members - org->nperm;
	org->npeople = FIRST_MANAGER + members;
	org->people = arena_array(a, (size_t)org->npeople, sizeof *org->people);
	struct hmap taken;
	hmap_init(&taken);

	/* One draw per statement: C leaves the order of argument and
	 * initializer evaluation open, and the seed must fix the result. */
	struct demo_person *vp = &org->people[0];
	*vp = (struct demo_person){.rank = RANK_VP,
	                           .team = ROOT_TEAM,
	                           .manager = -1,
	                           .level = 4,
	                           .role_profile = "manager"};
	vp->start_day = hire_day(r, 2016, 2, false);
	make_person(r, a, &taken, vp, "US", false);
	for (int g = 0; g < GROUP_COUNT; g++) {
		struct demo_person *p = &org->people[1 + g];
		*p = (struct demo_person){.rank = RANK_DIRECTOR,
		                          .team = GROUP_TEAM(g),
		                          .manager = 0,
		                          .level = 3,
		                          .role_profile = "manager"};
		p->start_day = hire_day(r, 2016, 4, false);
		make_person(r, a, &taken, p, org->teams[GROUP_TEAM(g)].country, false);
	}
	for (int i = 0; i < org->nperm; i++) {
		const struct demo_team *t = &org->teams[FIRST_TEAM + i];
		struct demo_person *p = &org->people[t->head];
		*p = (struct demo_person){.rank = RANK_MANAGER,
		                          .team = FIRST_TEAM + i,
		                          .manager = org->teams[GROUP_TEAM(t->group)].head,
		                          .role_profile = "manager"};
		p->level = chance(r, 60) ? 1 : 2;
		p->start_day = hire_day(r, 2016, 8, false);
		const char *country = chance(r, 80) ? t->country : pick_country(r)->code;
		make_person(r, a, &taken, p, country, t->on_call && t->group == GROUP_INFRA);
	}

	/* One seat per engineer in each team, dealt out in random order. */
	int *seats = arena_array(a, (size_t)nengineers, sizeof *seats);
	int nseats = 0;
	for (int i = 0; i < org->nperm; i++)
		for (int k = 1; k < org->teams[FIRST_TEAM + i].size; k++)
			seats[nseats++] = FIRST_TEAM + i;
	if (nseats != nengineers)
		BUG("%d seats for %d engineers", nseats, nengineers);
	shuffle(r, seats, nseats);
	struct demo_person *engineers = &org->people[FIRST_MANAGER + org->nperm];
	for (int i = 0; i < nengineers; i++) {
		const struct demo_team *t = &org->teams[seats[i]];
		struct demo_person *p = &engineers[i];
		*p = (struct demo_person){
		        .rank = RANK_ENGINEER, .team = seats[i], .manager = t->head};
		p->level = engineer_level(r);
		p->role_profile = engineer_profile(r, t);
		p->start_day = hire_day(r, 2016, 10, true);
		const char *country = chance(r, 60) ? t->country : pick_country(r)->code;
		bool pager = t->on_call ? chance(r, 90) : chance(r, 12);
		make_person(r, a, &taken, p, country, pager);
	}
	hmap_release(&taken);
	qsort(engineers, (size_t)nengineers, sizeof *engineers, by_hire);

	int digits = 3;
	for (int n = org->npeople; n > 999; n /= 10)
		digits++;
	for (int i = 0; i < org->npeople; i++)
		format_employee_id(org->people[i].employee_id, i + 1, digits);

	org->nengineers = nengineers;
	org->engineers = arena_array(a, (size_t)nengineers, sizeof *org->engineers);
	for (int i = 0; i < nengineers; i++)
		org->engineers[i] = FIRST_MANAGER + org->nperm + i;
	shuffle(r, org->engineers, nengineers);
}

/* ---- the mid-year re-org ---------------------------------------------- */

static bool settled(const struct demo_person *p)
{
	return p->end_day == 0 && p->team_mid == p->team && p->level_mid == p->level;
}

static int percent_of(int n, int percent, int at_least)
{
	int k = (n * percent + 50) / 100;
	return k < at_least ? at_least : k;
}

/* Leavers, the project team, movers and promotions, each drawn from the
 * engineers not already picked, in the shuffled order. */
static void plan_midyear(struct demo_org *org, struct rng *r)
{
	int64_t leave_lo = ts_days_from_civil(2026, 2, 1);
	int64_t leave_hi = ts_days_from_civil(2026, 11, 1);
	int n = org->nengineers, next = 0;
	int leavers = percent_of(n, 3, 1);
	for (; next < leavers && next < n; next++)
		org->people[org->engineers[next]].end_day =
		        leave_lo + pick(r, (int)(leave_hi - leave_lo));

	int want = 4 + pick(r, 3), joined = 0;
	for (int i = next; i < n && joined < want; i++) {
		struct demo_person *p = &org->people[org->engineers[i]];
		if (settled(p) && org->teams[p->team].group == GROUP_PRODUCT) {
			p->team_mid = org->project;
			joined++;
		}
	}

	int movers = percent_of(n, 8, 1), moved = 0;
	for (int i = next; i < n && moved < movers; i++) {
		struct demo_person *p = &org->people[org->engineers[i]];
		if (!settled(p))
			continue;
		int team = FIRST_TEAM + pick(r, org->nperm - 1);
		if (team >= p->team)
			team++;
		p->team_mid = team;
		p->manager_mid = org->teams[team].head;
		moved++;
	}
	org->movers = joined + moved;

	int promotions = percent_of(n, 4, 2), promoted = 0;
	for (int i = n - 1; i >= next && promoted < promotions; i--) {
		struct demo_person *p = &org->people[org->engineers[i]];
		if (settled(p) && p->level < 6) {
			p->level_mid = p->level + 1;
			promoted++;
		}
	}
}

/* People to try: the manager of the largest team, one of their engineers,
 * the director above, and a people partner for that group from elsewhere. */
static void pick_samples(struct demo_org *org)
{
	int largest = FIRST_TEAM;
	for (int i = FIRST_TEAM; i < FIRST_TEAM + org->nperm; i++)
		if (org->teams[i].size > org->teams[largest].size)
			largest = i;
	const struct demo_team *team = &org->teams[largest];
	org->sample_manager = team->head;
	org->sample_leader = org->teams[GROUP_TEAM(team->group)].head;
	org->partner_group = team->group;
	org->sample_engineer = -1;
	org->sample_partner = -1;
	for (int i = 0; i < org->nengineers; i++) {
		int k = org->engineers[i];
		const struct demo_person *p = &org->people[k];
		if (p->end_day != 0 || p->team_mid != p->team)
			continue;
		if (org->sample_engineer < 0 && p->team == largest)
			org->sample_engineer = k;
		else if (org->sample_partner < 0 && org->teams[p->team].group != team->group)
			org->sample_partner = k;
	}
	/* Every team has engineers and every group a team, but stay safe. */
	for (int i = 0;
	     i < org->nengineers && (org->sample_engineer < 0 || org->sample_partner < 0); i++) {
		int k = org->engineers[i];
		if (org->people[k].end_day != 0 || k == org->sample_engineer ||
		    k == org->sample_partner)
			continue;
		if (org->sample_engineer < 0)
			org->sample_engineer = k;
		else
			org->sample_partner = k;
	}
}

/* ---- the HRIS export -------------------------------------------------- */

static const char *discipline(const char *role_profile)
{
	if (!strcmp(role_profile, "frontend"))
		return "Frontend Engineer";
	if (!strcmp(role_profile, "sre"))
		return "Site Reliability Engineer";
	if (!strcmp(role_profile, "data"))
		return "Data Engineer";
	if (!strcmp(role_profile, "mobile"))
		return "Mobile Engineer";
	return "Software Engineer";
}

static void person_title(const struct demo_org *org, const struct demo_person *p, int level,
                         char *buf, size_t n)
{
	/* The ladder of examples/framework.yaml: L1 Engineer I .. L6 Principal Engineer. */
	static const char *const prefix[] = {
	        "", "", "", "Senior ", "Staff ", "Senior Staff ", "Principal "};
	static const char *const suffix[] = {"", " I", " II", "", "", "", ""};
	switch (p->rank) {
	case RANK_VP:
		snprintf(buf, n, "VP of Engineering");
		return;
	case RANK_DIRECTOR:
		snprintf(buf, n, "Director of Engineering, %s",
		         group_defs[org->teams[p->team].group].title);
		return;
	case RANK_MANAGER:
		snprintf(buf, n, "%s",
		         level >= 2 ? "Senior Engineering Manager" : "Engineering Manager");
		return;
	case RANK_ENGINEER:
		snprintf(buf, n, "%s%s%s", prefix[level], discipline(p->role_profile),
		         suffix[level]);
		return;
	}
}

static void csv_row(struct sb *out, const char *const *fields, int n)
{
	for (int i = 0; i < n; i++) {
		if (i > 0)
			sb_putc(out, ',');
		sb_csv_field(out, fields[i]);
	}
	sb_putc(out, '\n');
}

/* The export as of January, or as of July (midyear) with the re-org. */
static void write_csv(const struct demo_org *org, bool midyear, struct sb *out)
{
	sb_puts(out, DEMO_CSV_HEADER);
	for (int i = 0; i < org->npeople; i++) {
		const struct demo_person *p = &org->people[i];
		int team = midyear ? p->team_mid : p->team;
		int manager = midyear ? p->manager_mid : p->manager;
		int level = midyear ? p->level_mid : p->level;
		const struct demo_team *t = &org->teams[team];
		char title[96], level_text[16], start[TS_BUF], end[TS_BUF] = "";
		person_title(org, p, level, title, sizeof title);
		snprintf(level_text, sizeof level_text, "%c%d",
		         p->rank == RANK_ENGINEER ? 'L' : 'M', level);
		ts_format_date(p->start_day * MS_PER_DAY, start);
		if (p->end_day)
			ts_format_date(p->end_day * MS_PER_DAY, end);
		const char *fields[] = {
		        p->employee_id,  p->name,
		        p->email,        manager >= 0 ? org->people[manager].employee_id : "",
		        t->name,         title,
		        level_text,      p->rank == RANK_ENGINEER ? "ic" : "manager",
		        p->role_profile, p->country,
		        start,           end,
		        t->parent,       t->kind,
		        p->github,       p->jira,
		        p->pagerduty,    p->emails,
		};
		csv_row(out, fields, DEMO_LEN(fields));
	}
}

/* ---- loading it ------------------------------------------------------- */

static int import_csv(struct ctx *ctx, const struct demo_org *org, const char *file_name,
                      const struct sb *csv, int64_t effective, int64_t *identities,
                      struct error *err)
{
	if (csv->toobig)
		return err_set(err, ERR_TOO_BIG, "demo export %s is too large", file_name);
	struct org_import_options opts = {.effective = effective, .as_of = org->as_of_ms};
	struct org_import_input input;
	struct org_import_summary summary;
	memset(&input, 0, sizeof input);
	memset(&summary, 0, sizeof summary);
	int rc = org_parse(ctx, file_name, ORG_FORMAT_CSV, csv->buf, csv->len, &input, err);
	if (rc == 0)
		rc = org_import_tx(ctx, &input, &opts, &summary, err);
	if (rc < 0)
		return rc;
	*identities += summary.identities_added;
	return 0;
}

static int import_org(struct ctx *ctx, const struct demo_org *org, int64_t *identities,
                      struct error *err)
{
	struct sb january = SB_INIT, july = SB_INIT;
	write_csv(org, false, &january);
	write_csv(org, true, &july);
	int rc = import_csv(ctx, org, "demo.csv", &january, org->january_ms, identities, err);
	if (rc == 0)
		rc = import_csv(ctx, org, "demo-midyear.csv", &july, org->july_ms, identities, err);
	sb_release(&january);
	sb_release(&july);
	return rc;
}

static const char *service_team(const struct demo_org *org, int def_team)
{
	return org->teams[FIRST_TEAM + def_team % org->nperm].name;
}

static const struct service_def *service_by_name(const char *name)
{
	for (int i = 0; i < DEMO_LEN(service_defs); i++)
		if (!strcmp(service_defs[i].name, name))
			return &service_defs[i];
	BUG("no service %s", name);
}

/* The team index owning s in January and, after the mid-year moves, July. */
static void service_owners(const struct demo_org *org, const struct service_def *s, int *january,
                           int *july)
{
	*january = *july = FIRST_TEAM + s->team % org->nperm;
	for (int i = 0; i < DEMO_LEN(service_moves); i++) {
		if (strcmp(service_moves[i].name, s->name) != 0)
			continue;
		int to = service_moves[i].team;
		if (to % org->nperm == s->team % org->nperm)
			to = s->team + 1; /* a small demo folds both onto one team */
		*july = FIRST_TEAM + to % org->nperm;
	}
}

static int add_services(struct ctx *ctx, const struct demo_org *org, int64_t *count,
                        struct error *err)
{
	int64_t january = org->january_ms, july = org->july_ms;
	int rc = 0;
	for (int i = 0; rc == 0 && i < DEMO_LEN(service_defs); i++) {
		const struct service_def *s = &service_defs[i];
		bool created = false, changed = false;
		rc = org_service_set_tx(ctx, s->name, service_team(org, s->team), s->description,
		                        january, &created, &changed, err);
	}
	for (int i = 0; rc == 0 && i < DEMO_LEN(service_moves); i++) {
		const struct service_def *s = service_by_name(service_moves[i].name);
		int from, to;
		service_owners(org, s, &from, &to);
		bool created = false, changed = false;
		rc = org_service_set_tx(ctx, s->name, org->teams[to].name, s->description, july,
		                        &created, &changed, err);
	}
	if (rc < 0)
		return rc;
	*count = DEMO_LEN(service_defs);
	return 0;
}

static int add_users(struct ctx *ctx, const struct demo_org *org, int64_t *count, struct error *err)
{
	int64_t created_users = 0;
	for (int i = 0; i < org->npeople; i++) {
		const struct demo_person *p = &org->people[i];
		const char *roles[2] = {"employee", NULL};
		size_t nroles = 1;
		char scoped[96];
		switch (p->rank) {
		case RANK_VP:
			roles[nroles++] = "leader";
			break;
		case RANK_DIRECTOR:
			snprintf(scoped, sizeof scoped, "leader:%s", org->teams[p->team].name);
			roles[nroles++] = scoped;
			break;
		case RANK_MANAGER:
			roles[nroles++] = "manager";
			break;
		case RANK_ENGINEER:
			if (i == org->sample_partner) {
				snprintf(scoped, sizeof scoped, "people-partner:%s",
				         group_defs[org->partner_group].name);
				roles[nroles++] = scoped;
			}
			break;
		}
		bool created = false;
		int rc = users_add_tx(ctx, p->employee_id, roles, nroles, &created, err);
		if (rc < 0)
			return rc;
		if (created)
			created_users++;
	}
	*count = created_users;
	return 0;
}

static int append_audit(struct ctx *ctx, uint64_t seed, const struct demo_summary *out,
                        struct error *err)
{
	char seed_text[24];
	snprintf(seed_text, sizeof seed_text, "%" PRIu64, seed);
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "people", out->people);
	jw_kint(&w, "teams", out->teams);
	jw_kstr(&w, "seed", seed_text); /* a string: JSON numbers lose 64-bit seeds */
	jw_key(&w, "as_of");
	jw_date(&w, out->as_of_ms, true);
	jw_object_end(&w);
	int rc = audit_append(ctx, "demo.create", "demo", seed_text, detail.buf, err);
	sb_release(&detail);
	return rc;
}

static int refuse_populated(struct ctx *ctx, struct error *err)
{
	int64_t people = 0;
	int rc = store_query_int(ctx->store, "SELECT COUNT(*) FROM people", &people, NULL, err);
	if (rc < 0)
		return rc;
	if (people == 0)
		return 0;
	err_set(err, ERR_CONFLICT, "the database already holds people");
	err_detail(err,
	           "it holds %" PRId64 " people; the demo builds a whole organization of its own",
	           people);
	err_hint(err, "create the demo in a new database: give a new --db file");
	return ERR_CONFLICT;
}

static void fill_summary(struct ctx *ctx, const struct demo_org *org, struct demo_summary *out)
{
	int countries = 0;
	for (int c = 0; c < DEMO_LEN(country_defs); c++)
		for (int i = 0; i < org->npeople; i++)
			if (!strcmp(org->people[i].country, country_defs[c].code)) {
				countries++;
				break;
			}
	out->people = org->npeople;
	out->teams = org->nteams;
	out->project_teams = 1;
	out->directors = GROUP_COUNT;
	out->managers = org->nperm;
	out->countries = countries;
	out->movers = org->movers;
	out->sample_employee =
	        arena_strdup(ctx->arena, org->people[org->sample_engineer].employee_id);
	out->sample_manager =
	        arena_strdup(ctx->arena, org->people[org->sample_manager].employee_id);
	out->sample_leader = arena_strdup(ctx->arena, org->people[org->sample_leader].employee_id);
	out->sample_partner =
	        arena_strdup(ctx->arena, org->people[org->sample_partner].employee_id);
}

/* Everything derives from the seed, on the base calendar; then every date
 * moves by shift_days, a whole number of weeks. */
static void plan_org(struct demo_org *org, struct arena *a, int members, uint64_t seed,
                     int64_t shift_days)
{
	struct rng r;
	rng_seed(&r, seed);
	memset(org, 0, sizeof *org);
	plan_teams(org, &r, a, members);
	plan_people(org, &r, a, members);
	plan_midyear(org, &r);
	pick_samples(org);
	for (int i = 0; i < org->npeople; i++) {
		org->people[i].start_day += shift_days;
		if (org->people[i].end_day)
			org->people[i].end_day += shift_days;
	}
	org->january_ms =
	        (ts_days_from_civil(DEMO_BASE_YEAR, DEMO_JANUARY, 1) + shift_days) * MS_PER_DAY;
	org->july_ms = (ts_days_from_civil(DEMO_BASE_YEAR, DEMO_JULY, 1) + shift_days) * MS_PER_DAY;
	org->as_of_ms =
	        (ts_days_from_civil(DEMO_BASE_YEAR, DEMO_AS_OF_MONTH, 1) + shift_days) * MS_PER_DAY;
}

/* The organization as demo_sources sees it, in ctx->arena. */
static void make_world(struct ctx *ctx, const struct demo_org *org, uint64_t seed,
                       struct demo_world *w)
{
	memset(w, 0, sizeof *w);
	w->midyear_ms = org->july_ms;
	w->end_ms = org->as_of_ms;
	w->seed = seed;
	struct demo_world_person *people =
	        arena_array(ctx->arena, (size_t)org->npeople, sizeof *people);
	for (int i = 0; i < org->npeople; i++) {
		const struct demo_person *p = &org->people[i];
		people[i] = (struct demo_world_person){
		        .name = p->name,
		        .email = p->email,
		        .github = p->github,
		        .emails = p->emails,
		        .jira = p->jira,
		        .pagerduty = p->pagerduty,
		        .engineer = p->rank == RANK_ENGINEER,
		        .team = p->team,
		        .team_mid = p->team_mid,
		        .end_day = p->end_day,
		};
	}
	const char **teams = arena_array(ctx->arena, (size_t)org->nteams, sizeof *teams);
	for (int i = 0; i < org->nteams; i++)
		teams[i] = org->teams[i].name;
	struct demo_world_service *services =
	        arena_array(ctx->arena, (size_t)DEMO_LEN(service_defs), sizeof *services);
	for (int i = 0; i < DEMO_LEN(service_defs); i++) {
		services[i].name = service_defs[i].name;
		service_owners(org, &service_defs[i], &services[i].team, &services[i].team_mid);
	}
	w->people = people;
	w->npeople = org->npeople;
	w->teams = teams;
	w->nteams = org->nteams;
	w->services = services;
	w->nservices = DEMO_LEN(service_defs);
}

struct build_args {
	const struct demo_options *opts;
	int members;
	const char *data_dir;
	int64_t shift_days;
	struct demo_summary *out;
	struct demo_org org;
};

/* The body of the operation, inside its transaction: refuses a populated
 * database or a used data directory before writing anything. */
static int build_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct build_args *a = arg;
	struct demo_summary *out = a->out;
	memset(out, 0, sizeof *out);
	int rc = refuse_populated(ctx, err);
	if (rc == 0 && a->data_dir)
		rc = demo_sources_check_dir(a->data_dir, err);
	if (rc < 0)
		return rc;
	plan_org(&a->org, ctx->arena, a->members, a->opts->seed, a->shift_days);
	fill_summary(ctx, &a->org, out);
	out->as_of_ms = a->org.as_of_ms;
	rc = import_org(ctx, &a->org, &out->identities, err);
	if (rc == 0)
		rc = add_services(ctx, &a->org, &out->services, err);
	if (rc == 0)
		rc = add_users(ctx, &a->org, &out->users, err);
	if (rc == 0)
		rc = append_audit(ctx, a->opts->seed, out, err);
	return rc;
}

struct data_audit_args {
	uint64_t seed;
	const struct demo_summary *out;
};

/* The closing entry of the demo, in an operation of its own: what the
 * source data added (each source, mapping and ingest run has its own). */
static int data_audit_body(struct ctx *ctx, void *arg, struct error *err)
{
	const struct data_audit_args *a = arg;
	const struct demo_sources_summary *d = &a->out->sources;
	char seed_text[24];
	snprintf(seed_text, sizeof seed_text, "%" PRIu64, a->seed);
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "events", d->events);
	jw_kint(&w, "files", d->files);
	jw_kint(&w, "sources", d->nsources);
	jw_kint(&w, "mappings", d->mappings);
	jw_kstr(&w, "seed", seed_text);
	jw_object_end(&w);
	int rc = audit_append(ctx, "demo.data", "demo", seed_text, detail.buf, err);
	sb_release(&detail);
	return rc;
}

/* The review cycles: the annual review covers the three groups (everyone
 * but the VP, whose own review is the CEO's and outside plumb); the
 * check-in the first two teams, payments and search, whose manager and
 * people partner are demo sign-ins. */
static int run_reviews(struct ctx *ctx, const struct demo_org *org, uint64_t seed,
                       struct demo_summary *out, struct error *err)
{
	const char *scope[GROUP_COUNT];
	for (int g = 0; g < GROUP_COUNT; g++)
		scope[g] = org->teams[GROUP_TEAM(g)].name;
	const char *checkin[] = {org->teams[FIRST_TEAM].name, org->teams[FIRST_TEAM + 1].name};
	struct demo_reviews_input in = {
	        .seed = seed,
	        .period_start = out->sources.start_ms,
	        .period_end = out->sources.end_ms,
	        .scope = scope,
	        .nscope = GROUP_COUNT,
	        .checkin_teams = checkin,
	        .ncheckin = DEMO_LEN(checkin),
	        .project_team = org->teams[org->project].name,
	        .partner_group = group_defs[org->partner_group].name,
	};
	return demo_reviews_create(ctx, &in, &out->reviews, err);
}

/* "demo.db" -> "demo-data" beside it; NULL for PostgreSQL. */
static const char *default_data_dir(struct ctx *ctx)
{
	if (strcmp(ctx_db_engine(ctx), "sqlite") != 0)
		return NULL;
	const char *db = ctx_db_url(ctx);
	size_t n = strlen(db);
	static const char *const exts[] = {".db", ".sqlite3", ".sqlite"};
	for (int i = 0; i < DEMO_LEN(exts); i++) {
		size_t k = strlen(exts[i]);
		if (n > k && strcmp(db + n - k, exts[i]) == 0) {
			n -= k;
			break;
		}
	}
	return arena_printf(ctx->arena, "%.*s-data", (int)n, db);
}

/* A fresh directory under TMPDIR, in ctx->arena; NULL on failure. */
static const char *temp_data_dir(struct ctx *ctx, struct error *err)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = arena_printf(ctx->arena, "%s/plumb-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		err_set(err, ERR_IO, "cannot create a temporary directory for the demo's data");
		err_detail(err, "%s: %s", dir, strerror(errno));
		err_hint(err, "give one with --data-dir DIR");
		return NULL;
	}
	return dir;
}

/* The whole weeks the base calendar moves by so its data ends where the
 * week (Sunday to Saturday, UTC) of opts->as_of starts, today by default:
 * never after today (business time, PLUMB_NOW's day when pinned), whose
 * data would lie in the future of the review cycles the demo runs as of
 * today. */
static int as_of_shift(const struct demo_options *opts, int64_t *shift_days, struct error *err)
{
	int64_t today = ts_day_floor(ts_now_ms()) / MS_PER_DAY;
	int64_t day = opts->has_as_of ? ts_day_floor(opts->as_of) / MS_PER_DAY : today;
	int64_t earliest = ts_days_from_civil(DEMO_EARLIEST_YEAR, 1, 1);
	if (day > today || day < earliest) {
		char d[TS_BUF], t[TS_BUF];
		ts_format_date(day * MS_PER_DAY, d);
		ts_format_date(today * MS_PER_DAY, t);
		err_set(err, ERR_USAGE,
		        "as-of day %s is %s: expected a day from %d-01-01 to today, %s", d,
		        day > today ? "after today" : "too early", DEMO_EARLIEST_YEAR, t);
		err_hint(err, "the demo's data ends where the week of its as-of day starts");
		return ERR_USAGE;
	}
	int64_t from_base = day - ts_days_from_civil(DEMO_BASE_YEAR, DEMO_AS_OF_MONTH, 1);
	int64_t weeks = from_base >= 0 ? from_base / 7 : -((-from_base + 6) / 7);
	*shift_days = weeks * 7;
	return 0;
}

int demo_create(struct ctx *ctx, const struct demo_options *opts, struct demo_summary *out,
                struct error *err)
{
	int members = opts->people ? opts->people : DEMO_DEFAULT_PEOPLE;
	if (members < DEMO_MIN_PEOPLE || members > DEMO_MAX_PEOPLE) {
		err_set(err, ERR_INVALID, "demo size %d is out of range", opts->people);
		err_hint(err, "ask for %d to %d people", DEMO_MIN_PEOPLE, DEMO_MAX_PEOPLE);
		return ERR_INVALID;
	}
	if (opts->org_only && opts->data_dir)
		return err_set(err, ERR_USAGE,
		               "--data-dir is for the source data --org-only leaves out");
	int64_t shift_days;
	if (as_of_shift(opts, &shift_days, err) < 0)
		return err->code;
	const char *dir = opts->data_dir ? opts->data_dir : default_data_dir(ctx);
	bool temporary = dir == NULL && !opts->org_only;
	if (temporary && !(dir = temp_data_dir(ctx, err)))
		return err->code;
	if (opts->org_only)
		dir = NULL;
	struct build_args *a = arena_alloc(ctx->arena, sizeof *a);
	*a = (struct build_args){.opts = opts,
	                         .members = members,
	                         .data_dir = dir,
	                         .shift_days = shift_days,
	                         .out = out};
	int rc = ctx_run(ctx, OP_DEMO, build_body, a, err);
	if (opts->org_only)
		return rc;
	/* The organization is committed: the sources' own operations follow. */
	struct demo_world world;
	if (rc == 0) {
		make_world(ctx, &a->org, opts->seed, &world);
		rc = demo_sources_create(ctx, &world, dir, &out->sources, err);
	}
	struct data_audit_args audit = {opts->seed, out};
	if (rc == 0)
		rc = ctx_run(ctx, OP_DEMO, data_audit_body, &audit, err);
	out->reviews_left_out = opts->no_reviews || members > DEMO_REVIEWS_MAX_PEOPLE;
	if (rc == 0 && !out->reviews_left_out)
		rc = run_reviews(ctx, &a->org, opts->seed, out, err);
	out->data_dir = dir;
	if (temporary) {
		demo_sources_remove_dir(dir);
		out->data_dir_removed = true;
	}
	return rc;
}
