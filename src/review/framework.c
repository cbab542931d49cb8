/* framework: the career framework file: parse, validate, store versions, diff. */
#include "review/framework.h"

#include <math.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "base/arena.h"
#include "base/facts.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "base/utf8.h"
#include "base/yamldoc.h"
#include "base/yamlread.h"
#include "core/actor.h"
#include "core/audit.h"
#include "core/ctx.h"
#include "core/mask.h"
#include "metrics/catalog.h"
#include "store/store.h"

#define TEXT_MAX     4000
#define LEVELS_MAX   40
#define ITEMS_MAX    200
#define WEIGHT_SLACK 0.0005 /* decimal weights such as 0.1 do not add up exactly */

#define NAME_(id, name) name,
static const char *const axis_names[] = {FW_AXIS_TABLE(NAME_) NULL};
static const char *const relation_names[] = {FW_RELATION_TABLE(NAME_) NULL};
static const char *const kind_names[] = {FW_KIND_TABLE(NAME_) NULL};
#undef NAME_

const char *fw_axis_name(enum fw_axis axis)
{
	return axis_names[axis];
}

const char *fw_relation_name(enum fw_relation rel)
{
	return relation_names[rel];
}

static int index_of(const char *const *names, const char *text)
{
	for (int i = 0; text && names[i]; i++)
		if (strcmp(names[i], text) == 0)
			return i;
	return -1;
}

int fw_relation_parse(const char *text)
{
	return index_of(relation_names, text);
}

const char *fw_kind_name(enum fw_kind kind)
{
	return kind_names[kind];
}

int fw_kind_parse(const char *text)
{
	return index_of(kind_names, text);
}

/* ---- parsing ---- */

struct fp {
	struct yread y;
	struct framework *fw;
	/* Where the file gives anonymity.threshold and assignments.peers.max. */
	const yaml_node_t *threshold_at, *peers_max_at;
};

static size_t map_len(const yaml_node_t *n)
{
	return (size_t)(n->data.mapping.pairs.top - n->data.mapping.pairs.start);
}

static size_t seq_len(const yaml_node_t *n)
{
	return (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
}

static const char *path(struct fp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *path(struct fp *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return arena_strdup(p->y.a, buf);
}

/* An id: letters, digits, '_' and '-', starting with a letter. */
static bool valid_id(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	size_t n = 0;
	for (; s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= 'A' && s[n] <= 'Z') ||
		      (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
			return false;
	return n <= 64;
}

static int id_key(struct fp *p, const yaml_node_t *k, const char *where, const char **out)
{
	int rc = yread_nonempty(&p->y, k, where, 64, out);
	if (rc == 0 && !valid_id(*out))
		rc = yread_err(&p->y, k, where,
		               "'%s': expected an id (letters, digits, '_' or '-', starting with "
		               "a letter)",
		               *out);
	return rc;
}

static int expect_map(struct fp *p, const yaml_node_t *n, const char *where, size_t min)
{
	if (n->type != YAML_MAPPING_NODE)
		return yread_err(&p->y, n, where, "expected a mapping (key: value lines)");
	if (map_len(n) < min)
		return yread_err(&p->y, n, where, "expected at least %zu entries", min);
	if (map_len(n) > ITEMS_MAX)
		return yread_err(&p->y, n, where, "more than %d entries", ITEMS_MAX);
	return 0;
}

/* Fields of one mapping, by name; a missing required one is an error at
 * the mapping's line. */
struct fields {
	const char *const *known;
	const yaml_node_t *node[16];
	const yaml_node_t *key[16];
};

static int collect(struct yread *y, int f, const yaml_node_t *k, const yaml_node_t *v, void *arg)
{
	(void)y;
	struct fields *fs = arg;
	fs->node[f] = v;
	fs->key[f] = k;
	return 0;
}

static int read_fields(struct fp *p, const yaml_node_t *map, const char *where, struct fields *fs,
                       const char *const *required)
{
	memset(fs->node, 0, sizeof fs->node);
	/* The top mapping is where paths start: its fields are named alone. */
	bool top = map == yaml_document_get_root_node(p->y.doc);
	int rc = yread_each_field(&p->y, map, top ? NULL : where, where, fs->known, collect, fs);
	for (int i = 0; rc == 0 && required && required[i]; i++) {
		int f = index_of(fs->known, required[i]);
		if (!fs->node[f])
			rc = yread_err(&p->y, map, where, "missing required field '%s'",
			               required[i]);
	}
	return rc;
}

static const struct fw_scale *find_scale(const struct framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->nscales; i++)
		if (strcmp(fw->scales[i].id, id) == 0)
			return &fw->scales[i];
	return NULL;
}

static bool scale_has(const struct fw_scale *s, int v)
{
	for (size_t i = 0; i < s->npoints; i++)
		if (s->points[i].value == v)
			return true;
	return false;
}

static int cmp_point(const void *a, const void *b)
{
	const struct fw_scale_point *x = a, *y = b;
	return (x->value > y->value) - (x->value < y->value);
}

static int parse_scales(struct fp *p, const yaml_node_t *n)
{
	int rc = expect_map(p, n, "scales", 1);
	if (rc < 0)
		return rc;
	struct framework *fw = p->fw;
	fw->scales = arena_array(p->y.a, map_len(n), sizeof *fw->scales);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key),
		                  *v = yread_node(&p->y, pr->value);
		struct fw_scale *s = &fw->scales[fw->nscales];
		rc = id_key(p, k, "scales", &s->id);
		if (rc < 0)
			return rc;
		if (find_scale(fw, s->id))
			return yread_err(&p->y, k, path(p, "scales.%s", s->id), "given twice");
		const char *where = path(p, "scales.%s", s->id);
		rc = expect_map(p, v, where, 3);
		if (rc < 0)
			return rc;
		s->points = arena_array(p->y.a, map_len(v), sizeof *s->points);
		const yaml_node_t *meets = NULL;
		for (yaml_node_pair_t *q = v->data.mapping.pairs.start;
		     q < v->data.mapping.pairs.top; q++) {
			const yaml_node_t *qk = yread_node(&p->y, q->key);
			const yaml_node_t *qv = yread_node(&p->y, q->value);
			const char *key;
			rc = yread_nonempty(&p->y, qk, where, 32, &key);
			if (rc < 0)
				return rc;
			if (yamldoc_repeated_key(p->y.doc, v, q))
				return yread_err(&p->y, qk, path(p, "%s.%s", where, key),
				                 "given twice");
			if (strcmp(key, "meets") == 0) {
				meets = qv;
				continue;
			}
			long value;
			rc = yread_int(&p->y, qk, where, 0, 10, &value);
			if (rc < 0)
				return rc;
			/* "1" and "01" (or "+1") are different keys with one value. */
			if (scale_has(s, (int)value))
				return yread_err(&p->y, qk, path(p, "%s.%s", where, key),
				                 "the value %ld is given twice", value);
			struct fw_scale_point *pt = &s->points[s->npoints++];
			pt->value = (int)value;
			rc = yread_name(&p->y, qv, path(p, "%s.%ld", where, value), 200,
			                &pt->label);
			if (rc < 0)
				return rc;
			/* "between X and Y" and "rated N (label)" name a point by its
			 * label, and a reader takes "Meets" and "meets" for one (found
			 * in session 52: accepted).  Imports only: a stored version
			 * reads as accepted. */
			for (size_t i = 0; !p->y.stored && i + 1 < s->npoints; i++) {
				const char *other = s->points[i].label;
				if (utf8_equal_fold(other, strlen(other), pt->label,
				                    strlen(pt->label)))
					return yread_err(&p->y, qv, path(p, "%s.%ld", where, value),
					                 "the label '%s' is also value %d's%s%s%s: "
					                 "each value "
					                 "needs its own label",
					                 pt->label, s->points[i].value,
					                 strcmp(other, pt->label) ? " (as '" : "",
					                 strcmp(other, pt->label) ? other : "",
					                 strcmp(other, pt->label)
					                         ? "', in another case)"
					                         : "");
			}
		}
		if (s->npoints < 2)
			return yread_err(&p->y, v, where,
			                 "expected at least two values with labels");
		qsort(s->points, s->npoints, sizeof *s->points, cmp_point);
		if (!meets)
			return yread_err(&p->y, v, where,
			                 "missing required field 'meets' (the value that means "
			                 "\"meets the level's expectations\")");
		long m;
		rc = yread_int(&p->y, meets, path(p, "%s.meets", where), 0, 10, &m);
		if (rc < 0)
			return rc;
		if (!scale_has(s, (int)m))
			return yread_err(&p->y, meets, path(p, "%s.meets", where),
			                 "%ld is not one of the scale's values", m);
		s->meets = (int)m;
		fw->nscales++;
	}
	return 0;
}

static int scale_ref(struct fp *p, const yaml_node_t *n, const char *where,
                     const struct fw_scale **out)
{
	const char *id;
	int rc = yread_nonempty(&p->y, n, where, 64, &id);
	if (rc < 0)
		return rc;
	*out = find_scale(p->fw, id);
	if (!*out)
		return yread_err(&p->y, n, where, "'%s' is not a scale defined under scales", id);
	return 0;
}

static int parse_tracks(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"name", "levels", NULL};
	static const char *const required[] = {"name", "levels", NULL};
	static const char *const level_known[] = {"id", "name", NULL};
	int rc = expect_map(p, n, "tracks", 1);
	if (rc < 0)
		return rc;
	struct framework *fw = p->fw;
	fw->tracks = arena_array(p->y.a, map_len(n), sizeof *fw->tracks);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key),
		                  *v = yread_node(&p->y, pr->value);
		struct fw_track *t = &fw->tracks[fw->ntracks];
		rc = id_key(p, k, "tracks", &t->id);
		if (rc < 0)
			return rc;
		if (yamldoc_repeated_key(p->y.doc, n, pr))
			return yread_err(&p->y, k, path(p, "tracks.%s", t->id), "given twice");
		const char *where = path(p, "tracks.%s", t->id);
		struct fields fs = {.known = known};
		rc = read_fields(p, v, where, &fs, required);
		if (rc == 0)
			rc = yread_name(&p->y, fs.node[0], path(p, "%s.name", where), 200,
			                &t->name);
		if (rc < 0)
			return rc;
		const yaml_node_t *levels = fs.node[1];
		const char *lwhere = path(p, "%s.levels", where);
		if (levels->type != YAML_SEQUENCE_NODE || seq_len(levels) == 0)
			return yread_err(&p->y, levels, lwhere,
			                 "expected a list of levels, junior to senior, such as "
			                 "[{id: L1, name: Engineer I}]");
		if (seq_len(levels) > LEVELS_MAX)
			return yread_err(&p->y, levels, lwhere, "more than %d levels", LEVELS_MAX);
		t->levels = arena_array(p->y.a, seq_len(levels), sizeof *t->levels);
		for (yaml_node_item_t *it = levels->data.sequence.items.start;
		     it < levels->data.sequence.items.top; it++) {
			struct fw_level *l = &t->levels[t->nlevels];
			const yaml_node_t *item = yread_node(&p->y, *it);
			const char *iwhere = path(p, "%s[%zu]", lwhere, t->nlevels);
			struct fields lf = {.known = level_known};
			rc = read_fields(p, item, iwhere, &lf, level_known);
			if (rc == 0)
				rc = id_key(p, lf.node[0], path(p, "%s.id", iwhere), &l->id);
			if (rc == 0)
				rc = yread_name(&p->y, lf.node[1], path(p, "%s.name", iwhere), 200,
				                &l->name);
			if (rc < 0)
				return rc;
			if (framework_level(fw, l->id))
				return yread_err(&p->y, lf.node[0], path(p, "%s.id", iwhere),
				                 "level '%s' is given twice", l->id);
			for (size_t j = 0; j < t->nlevels; j++)
				if (strcmp(t->levels[j].id, l->id) == 0)
					return yread_err(&p->y, lf.node[0],
					                 path(p, "%s.id", iwhere),
					                 "level '%s' is given twice", l->id);
			l->track = t->id;
			l->rank = (int)t->nlevels;
			t->nlevels++;
		}
		fw->ntracks++;
	}
	return 0;
}

static int parse_competencies(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"name", "scale", "expectations", NULL};
	int rc = expect_map(p, n, "competencies", 1);
	if (rc < 0)
		return rc;
	struct framework *fw = p->fw;
	size_t nlevels = 0;
	for (size_t t = 0; t < fw->ntracks; t++)
		nlevels += fw->tracks[t].nlevels;
	fw->competencies = arena_array(p->y.a, map_len(n), sizeof *fw->competencies);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key),
		                  *v = yread_node(&p->y, pr->value);
		struct fw_competency *c = &fw->competencies[fw->ncompetencies];
		rc = id_key(p, k, "competencies", &c->id);
		if (rc < 0)
			return rc;
		const char *where = path(p, "competencies.%s", c->id);
		if (yamldoc_repeated_key(p->y.doc, n, pr))
			return yread_err(&p->y, k, where, "given twice");
		struct fields fs = {.known = known};
		rc = read_fields(p, v, where, &fs, known);
		if (rc == 0)
			rc = yread_name(&p->y, fs.node[0], path(p, "%s.name", where), 200,
			                &c->name);
		if (rc == 0)
			rc = scale_ref(p, fs.node[1], path(p, "%s.scale", where), &c->scale);
		if (rc < 0)
			return rc;
		const yaml_node_t *ex = fs.node[2];
		const char *ewhere = path(p, "%s.expectations", where);
		rc = expect_map(p, ex, ewhere, 1);
		if (rc < 0)
			return rc;
		c->expectations = arena_array(p->y.a, map_len(ex), sizeof *c->expectations);
		for (yaml_node_pair_t *q = ex->data.mapping.pairs.start;
		     q < ex->data.mapping.pairs.top; q++) {
			const yaml_node_t *qk = yread_node(&p->y, q->key);
			struct fw_expectation *e = &c->expectations[c->nexpectations];
			rc = yread_nonempty(&p->y, qk, ewhere, 64, &e->level);
			if (rc < 0)
				return rc;
			const char *lwhere = path(p, "%s.%s", ewhere, e->level);
			if (!framework_level(fw, e->level))
				return yread_err(&p->y, qk, lwhere,
				                 "'%s' is not a level of any track", e->level);
			if (yamldoc_repeated_key(p->y.doc, ex, q))
				return yread_err(&p->y, qk, lwhere, "given twice");
			rc = yread_nonempty(&p->y, yread_node(&p->y, q->value), lwhere, TEXT_MAX,
			                    &e->text);
			if (rc < 0)
				return rc;
			c->nexpectations++;
		}
		if (c->nexpectations < nlevels)
			for (size_t t = 0; t < fw->ntracks; t++)
				for (size_t l = 0; l < fw->tracks[t].nlevels; l++) {
					const char *lid = fw->tracks[t].levels[l].id;
					if (!framework_expectation(c, lid))
						return yread_err(
						        &p->y, ex, ewhere,
						        "level %s (track %s) has no expectation; "
						        "every "
						        "level needs one for every competency",
						        lid, fw->tracks[t].id);
				}
		fw->ncompetencies++;
	}
	return 0;
}

static int parse_axes(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"scale", "description", NULL};
	static const char *const required[] = {"scale", NULL};
	struct fields fs = {.known = axis_names};
	int rc = read_fields(p, n, "axes", &fs, axis_names);
	for (int a = 0; rc == 0 && a < FW_AXIS_COUNT; a++) {
		const char *where = path(p, "axes.%s", axis_names[a]);
		struct fields af = {.known = known};
		rc = read_fields(p, fs.node[a], where, &af, required);
		if (rc == 0)
			rc = scale_ref(p, af.node[0], path(p, "%s.scale", where),
			               &p->fw->axes[a].scale);
		p->fw->axes[a].description = "";
		if (rc == 0 && af.node[1])
			rc = yread_text(&p->y, af.node[1], path(p, "%s.description", where),
			                TEXT_MAX, &p->fw->axes[a].description);
	}
	return rc;
}

static int parse_band(struct fp *p, const yaml_node_t *n, const char *where, bool last,
                      struct fw_band *b)
{
	static const char *const known[] = {"at_most", "at_least", "rating", NULL};
	static const char *const required[] = {"rating", NULL};
	struct fields fs = {.known = known};
	int rc = read_fields(p, n, where, &fs, required);
	long rating = 0;
	if (rc == 0)
		rc = yread_int(&p->y, fs.node[2], path(p, "%s.rating", where), 0, 10, &rating);
	if (rc == 0 && fs.node[0])
		rc = yread_number(&p->y, fs.node[0], path(p, "%s.at_most", where), -1e15, 1e15,
		                  &b->at_most);
	if (rc == 0 && fs.node[1])
		rc = yread_number(&p->y, fs.node[1], path(p, "%s.at_least", where), -1e15, 1e15,
		                  &b->at_least);
	if (rc < 0)
		return rc;
	b->rating = (int)rating;
	b->line = yamldoc_line(fs.node[2]);
	b->has_at_most = fs.node[0] != NULL;
	b->has_at_least = fs.node[1] != NULL;
	if (b->has_at_most && b->has_at_least)
		return yread_err(&p->y, n, where, "give at_most or at_least, not both");
	if (last && (b->has_at_most || b->has_at_least))
		return yread_err(&p->y, n, where,
		                 "the last band takes everything the others did not: give it "
		                 "only a rating");
	if (!last && !b->has_at_most && !b->has_at_least)
		return yread_err(&p->y, n, where,
		                 "only the last band may have no at_most or at_least");
	return 0;
}

static int parse_evidence(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"recent_share", "metrics", NULL};
	static const char *const mknown[] = {"max_weight", "bands", NULL};
	struct fields fs = {.known = known};
	int rc = read_fields(p, n, "evidence", &fs, NULL);
	if (rc == 0 && fs.node[0])
		rc = yread_number(&p->y, fs.node[0], "evidence.recent_share", 0, 1,
		                  &p->fw->recent_share);
	if (rc < 0 || !fs.node[1])
		return rc;
	const yaml_node_t *m = fs.node[1];
	rc = expect_map(p, m, "evidence.metrics", 0);
	if (rc < 0)
		return rc;
	struct framework *fw = p->fw;
	fw->metrics = arena_array(p->y.a, map_len(m) ? map_len(m) : 1, sizeof *fw->metrics);
	for (yaml_node_pair_t *pr = m->data.mapping.pairs.start; pr < m->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key),
		                  *v = yread_node(&p->y, pr->value);
		struct fw_metric *x = &fw->metrics[fw->nmetrics];
		rc = yread_nonempty(&p->y, k, "evidence.metrics", 64, &x->key);
		if (rc < 0)
			return rc;
		const char *where = path(p, "evidence.metrics.%s", x->key);
		if (!yread_valid_key(x->key))
			return yread_err(&p->y, k, where, "expected a metric key (a-z, 0-9, _)");
		if (yamldoc_repeated_key(p->y.doc, m, pr))
			return yread_err(&p->y, k, where, "given twice");
		/* A profile weight names a dimension by its id alone: one that is both
		 * would score the metric's band and drop the manager's rating of the
		 * competency unsaid (found hunting scores).  Imports only: a stored
		 * version is read as it was accepted. */
		if (!p->y.stored && framework_competency(fw, x->key))
			return yread_err(&p->y, k, where,
			                 "'%s' is also a competency's id: a profile's weight on it "
			                 "could not tell which it means; rename the competency",
			                 x->key);
		x->line = yamldoc_line(k);
		struct fields mf = {.known = mknown};
		rc = read_fields(p, v, where, &mf, mknown);
		if (rc == 0)
			rc = yread_number(&p->y, mf.node[0], path(p, "%s.max_weight", where), 0, 1,
			                  &x->max_weight);
		if (rc < 0)
			return rc;
		const yaml_node_t *bands = mf.node[1];
		const char *bwhere = path(p, "%s.bands", where);
		if (bands->type != YAML_SEQUENCE_NODE || seq_len(bands) < 2)
			return yread_err(&p->y, bands, bwhere,
			                 "expected a list of at least two bands, such as "
			                 "[{at_least: 10, rating: 4}, {rating: 3}]");
		x->bands = arena_array(p->y.a, seq_len(bands), sizeof *x->bands);
		for (yaml_node_item_t *it = bands->data.sequence.items.start;
		     it < bands->data.sequence.items.top; it++) {
			bool last = it + 1 == bands->data.sequence.items.top;
			rc = parse_band(p, yread_node(&p->y, *it),
			                path(p, "%s[%zu]", bwhere, x->nbands), last,
			                &x->bands[x->nbands]);
			if (rc < 0)
				return rc;
			x->nbands++;
		}
		fw->nmetrics++;
	}
	return 0;
}

static int parse_scoring(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"cap", "dominance", NULL};
	struct fields fs = {.known = known};
	int rc = read_fields(p, n, "scoring", &fs, NULL);
	if (rc == 0 && fs.node[0])
		rc = yread_number(&p->y, fs.node[0], "scoring.cap", 0.05, 1, &p->fw->cap);
	if (rc == 0 && fs.node[1])
		rc = yread_number(&p->y, fs.node[1], "scoring.dominance", 0.05, 1,
		                  &p->fw->dominance);
	return rc;
}

static const char *num(struct arena *a, double v);

static int parse_weights(struct fp *p, enum fw_axis axis, const yaml_node_t *n, const char *where,
                         struct fw_weight **out, size_t *count)
{
	int rc = expect_map(p, n, where, 1);
	if (rc < 0)
		return rc;
	struct framework *fw = p->fw;
	*out = arena_array(p->y.a, map_len(n), sizeof **out);
	*count = 0;
	double sum = 0;
	for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < n->data.mapping.pairs.top;
	     q++) {
		const yaml_node_t *k = yread_node(&p->y, q->key), *v = yread_node(&p->y, q->value);
		struct fw_weight *w = &(*out)[*count];
		rc = yread_nonempty(&p->y, k, where, 64, &w->dimension);
		if (rc < 0)
			return rc;
		const char *wwhere = path(p, "%s.%s", where, w->dimension);
		if (yamldoc_repeated_key(p->y.doc, n, q))
			return yread_err(&p->y, k, wwhere, "given twice");
		const struct fw_metric *m = framework_metric(fw, w->dimension);
		if (!framework_competency(fw, w->dimension) && !m)
			return yread_err(&p->y, k, wwhere,
			                 "'%s' is neither a competency nor a metric listed under "
			                 "evidence.metrics",
			                 w->dimension);
		w->is_metric = m != NULL;
		rc = yread_number(&p->y, v, wwhere, 0, 1, &w->weight);
		if (rc < 0)
			return rc;
		if (w->weight <= 0)
			return yread_err(&p->y, v, wwhere,
			                 "a weight must be above 0; leave out what "
			                 "does not count");
		if (w->weight > fw->cap)
			return yread_err(
			        &p->y, v, wwhere,
			        "%s is above the cap of %s: no single competency or metric "
			        "may carry more of an axis (scoring.cap)",
			        num(p->y.a, w->weight), num(p->y.a, fw->cap));
		if (m && w->weight > m->max_weight)
			return yread_err(&p->y, v, wwhere,
			                 "%s is above the metric's max_weight of %s "
			                 "(evidence.metrics.%s)",
			                 num(p->y.a, w->weight), num(p->y.a, m->max_weight),
			                 m->key);
		const struct fw_competency *c = framework_competency(fw, w->dimension);
		if (c && c->scale != fw->axes[axis].scale)
			return yread_err(
			        &p->y, k, wwhere,
			        "competency %s is rated on scale '%s' and the %s axis is on "
			        "'%s': a weighted sum needs one scale",
			        c->id, c->scale->id, axis_names[axis], fw->axes[axis].scale->id);
		sum += w->weight;
		(*count)++;
	}
	if (fabs(sum - 1) > WEIGHT_SLACK)
		return yread_err(&p->y, n, where, "the weights sum to %.4g; expected 1", sum);
	return 0;
}

/* A metric's bands rate it on the scale of each axis a profile weighs it on;
 * reported at the band, once the profiles are known. */
static int check_bands(struct fp *p)
{
	const struct framework *fw = p->fw;
	for (size_t i = 0; i < fw->nprofiles; i++)
		for (int a = 0; a < FW_AXIS_COUNT; a++)
			for (size_t j = 0; j < fw->profiles[i].nweights[a]; j++) {
				const struct fw_weight *w = &fw->profiles[i].weights[a][j];
				const struct fw_metric *m =
				        w->is_metric ? framework_metric(fw, w->dimension) : NULL;
				for (size_t b = 0; m && b < m->nbands; b++)
					if (!scale_has(fw->axes[a].scale, m->bands[b].rating))
						return err_set(
						        p->y.err, ERR_INVALID,
						        "%s:%ld: "
						        "evidence.metrics.%s.bands[%zu].rating: "
						        "%d is not a value of the %s axis's scale "
						        "'%s' "
						        "(profile %s weighs %s on it)",
						        p->y.name, m->bands[b].line, m->key, b,
						        m->bands[b].rating, axis_names[a],
						        fw->axes[a].scale->id, fw->profiles[i].id,
						        m->key);
			}
	return 0;
}

static int parse_profiles(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"name", "track", "weights", "composite", NULL};
	static const char *const required[] = {"name", "track", "weights", NULL};
	int rc = expect_map(p, n, "profiles", 1);
	if (rc < 0)
		return rc;
	struct framework *fw = p->fw;
	fw->profiles = arena_array(p->y.a, map_len(n), sizeof *fw->profiles);
	for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top;
	     pr++) {
		const yaml_node_t *k = yread_node(&p->y, pr->key),
		                  *v = yread_node(&p->y, pr->value);
		struct fw_profile *prof = &fw->profiles[fw->nprofiles];
		rc = id_key(p, k, "profiles", &prof->id);
		if (rc < 0)
			return rc;
		const char *where = path(p, "profiles.%s", prof->id);
		if (yamldoc_repeated_key(p->y.doc, n, pr))
			return yread_err(&p->y, k, where, "given twice");
		struct fields fs = {.known = known};
		rc = read_fields(p, v, where, &fs, required);
		if (rc == 0)
			rc = yread_name(&p->y, fs.node[0], path(p, "%s.name", where), 200,
			                &prof->name);
		if (rc == 0)
			rc = yread_nonempty(&p->y, fs.node[1], path(p, "%s.track", where), 64,
			                    &prof->track);
		if (rc < 0)
			return rc;
		bool track_found = false;
		for (size_t t = 0; t < fw->ntracks; t++)
			track_found = track_found || strcmp(fw->tracks[t].id, prof->track) == 0;
		if (!track_found)
			return yread_err(&p->y, fs.node[1], path(p, "%s.track", where),
			                 "'%s' is not a track defined under tracks", prof->track);
		const char *wwhere = path(p, "%s.weights", where);
		struct fields wf = {.known = axis_names};
		rc = read_fields(p, fs.node[2], wwhere, &wf, axis_names);
		for (int a = 0; rc == 0 && a < FW_AXIS_COUNT; a++)
			rc = parse_weights(p, (enum fw_axis)a, wf.node[a],
			                   path(p, "%s.%s", wwhere, axis_names[a]),
			                   &prof->weights[a], &prof->nweights[a]);
		if (rc == 0 && fs.node[3]) {
			const char *cwhere = path(p, "%s.composite", where);
			struct fields cf = {.known = axis_names};
			rc = read_fields(p, fs.node[3], cwhere, &cf, NULL);
			double sum = 0;
			for (int a = 0; rc == 0 && a < FW_AXIS_COUNT; a++) {
				if (cf.node[a])
					rc = yread_number(&p->y, cf.node[a],
					                  path(p, "%s.%s", cwhere, axis_names[a]),
					                  0, 1, &prof->composite[a]);
				sum += prof->composite[a];
			}
			if (rc == 0 && fabs(sum - 1) > WEIGHT_SLACK)
				rc = yread_err(&p->y, fs.node[3], cwhere,
				               "the axis weights sum to %.4g; expected 1", sum);
			/* As for an axis's competencies: performance on 1 to 5 and
			 * potential on 1 to 9 made a composite on neither scale (found
			 * hunting scores).  Imports only, as the rules added since. */
			int first = -1;
			for (int a = 0; rc == 0 && !p->y.stored && a < FW_AXIS_COUNT; a++) {
				if (prof->composite[a] <= 0)
					continue;
				if (first < 0)
					first = a;
				else if (fw->axes[a].scale != fw->axes[first].scale)
					rc = yread_err(&p->y, fs.node[3], cwhere,
					               "the %s axis is on scale '%s' and the %s "
					               "axis on '%s': a weighted sum needs one "
					               "scale",
					               axis_names[first], fw->axes[first].scale->id,
					               axis_names[a], fw->axes[a].scale->id);
			}
			prof->has_composite = true;
		}
		if (rc < 0)
			return rc;
		fw->nprofiles++;
	}
	return 0;
}

static bool attributable(const char *s)
{
	return strcmp(s, "peer") == 0 || strcmp(s, "cross_functional") == 0;
}

static int parse_anonymity(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"threshold", "partner_sees_authors", NULL};
	struct fields fs = {.known = known};
	int rc = read_fields(p, n, "anonymity", &fs, NULL);
	long threshold = p->fw->anonymity_threshold;
	if (rc == 0 && fs.node[0])
		rc = yread_int(&p->y, fs.node[0], "anonymity.threshold", 3, 50, &threshold);
	p->threshold_at = fs.node[0];
	p->fw->anonymity_threshold = (int)threshold;
	if (rc < 0 || !fs.node[1])
		return rc;
	const char **rels;
	size_t n_rels;
	rc = yread_scalar_list(&p->y, fs.node[1], "anonymity.partner_sees_authors", attributable,
	                       "peer or cross_functional (upward feedback is never attributed)",
	                       &rels, &n_rels);
	for (size_t i = 0; rc == 0 && i < n_rels; i++)
		p->fw->partner_sees_authors[fw_relation_parse(rels[i])] = true;
	return rc;
}

static int parse_assignments(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"peers", "reviewer_cap", NULL};
	static const char *const pknown[] = {"min", "max", NULL};
	struct fields fs = {.known = known};
	int rc = read_fields(p, n, "assignments", &fs, NULL);
	long v;
	if (rc == 0 && fs.node[1]) {
		rc = yread_int(&p->y, fs.node[1], "assignments.reviewer_cap", 1, 100, &v);
		p->fw->reviewer_cap = (int)v;
	}
	if (rc < 0 || !fs.node[0])
		return rc;
	struct fields pf = {.known = pknown};
	rc = read_fields(p, fs.node[0], "assignments.peers", &pf, pknown);
	if (rc == 0)
		rc = yread_int(&p->y, pf.node[0], "assignments.peers.min", 0, 20, &v);
	p->fw->peers_min = (int)v;
	if (rc == 0)
		rc = yread_int(&p->y, pf.node[1], "assignments.peers.max", 0, 20, &v);
	p->fw->peers_max = (int)v;
	p->peers_max_at = pf.node[1];
	if (rc == 0 && p->fw->peers_max < p->fw->peers_min)
		rc = yread_err(&p->y, pf.node[1], "assignments.peers.max",
		               "%d is below peers.min (%d)", p->fw->peers_max, p->fw->peers_min);
	return rc;
}

/* Peer feedback is shown to the reviewee and their manager only as a group of
 * at least anonymity.threshold writers: with fewer peers allowed than that,
 * every peer group is withheld for good (a people partner named in
 * partner_sees_authors still reads it, which is not what a 360 is for).
 * Refused at import, naming the field given last in the file's terms: the
 * peers' maximum, else the threshold above the default maximum. */
static int check_peer_groups(struct fp *p)
{
	const struct framework *fw = p->fw;
	if (p->y.stored || fw->peers_max == 0 || fw->peers_max >= fw->anonymity_threshold)
		return 0;
	return yread_err(&p->y, p->peers_max_at ? p->peers_max_at : p->threshold_at,
	                 p->peers_max_at ? "assignments.peers.max" : "anonymity.threshold",
	                 "at most %d peers (assignments.peers.max) can never reach the anonymity "
	                 "threshold of %d responses (anonymity.threshold): every peer group "
	                 "would be withheld from the reviewee and their manager; raise "
	                 "peers.max to %d or more, or lower the threshold",
	                 fw->peers_max, fw->anonymity_threshold, fw->anonymity_threshold);
}

static bool is_relation(const char *s)
{
	return fw_relation_parse(s) >= 0;
}

static bool is_kind(const char *s)
{
	return fw_kind_parse(s) >= 0;
}

static int parse_questions(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"id", "text", "relations", "kinds", NULL};
	if (n->type != YAML_SEQUENCE_NODE || seq_len(n) == 0)
		return yread_err(
		        &p->y, n, "questions",
		        "expected a list of questions, such as [{id: strengths, text: ..., "
		        "relations: [self, peer], kinds: [annual]}]");
	if (seq_len(n) > ITEMS_MAX)
		return yread_err(&p->y, n, "questions", "more than %d questions", ITEMS_MAX);
	struct framework *fw = p->fw;
	fw->questions = arena_array(p->y.a, seq_len(n), sizeof *fw->questions);
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		struct fw_question *q = &fw->questions[fw->nquestions];
		const char *where = path(p, "questions[%zu]", fw->nquestions);
		const yaml_node_t *item = yread_node(&p->y, *it);
		struct fields fs = {.known = known};
		int rc = read_fields(p, item, where, &fs, known);
		if (rc == 0)
			rc = id_key(p, fs.node[0], path(p, "%s.id", where), &q->id);
		if (rc == 0)
			rc = yread_nonempty(&p->y, fs.node[1], path(p, "%s.text", where), TEXT_MAX,
			                    &q->text);
		const char **list = NULL;
		size_t nlist = 0;
		if (rc == 0)
			rc = yread_scalar_list(
			        &p->y, fs.node[2], path(p, "%s.relations", where), is_relation,
			        "self, manager, peer, upward or cross_functional", &list, &nlist);
		for (size_t i = 0; rc == 0 && i < nlist; i++)
			q->relations[fw_relation_parse(list[i])] = true;
		if (rc == 0)
			rc = yread_scalar_list(&p->y, fs.node[3], path(p, "%s.kinds", where),
			                       is_kind, "checkin, annual or project", &list,
			                       &nlist);
		for (size_t i = 0; rc == 0 && i < nlist; i++)
			q->kinds[fw_kind_parse(list[i])] = true;
		if (rc < 0)
			return rc;
		for (size_t j = 0; j < fw->nquestions; j++)
			if (strcmp(fw->questions[j].id, q->id) == 0)
				return yread_err(&p->y, fs.node[0], path(p, "%s.id", where),
				                 "question '%s' is given twice", q->id);
		fw->nquestions++;
	}
	return 0;
}

static int parse_checkin(struct fp *p, const yaml_node_t *n)
{
	static const char *const known[] = {"ratings", NULL};
	struct fields fs = {.known = known};
	int rc = read_fields(p, n, "checkin", &fs, NULL);
	if (rc == 0 && fs.node[0])
		rc = yread_bool(&p->y, fs.node[0], "checkin.ratings", &p->fw->checkin_ratings);
	return rc;
}

enum top {
	T_NAME,
	T_DESCRIPTION,
	T_SCALES,
	T_TRACKS,
	T_COMPETENCIES,
	T_AXES,
	T_PROFILES,
	T_EVIDENCE,
	T_SCORING,
	T_ANONYMITY,
	T_ASSIGNMENTS,
	T_QUESTIONS,
	T_CHECKIN
};

static int parse_framework(const char *name, const char *data, size_t len, bool stored,
                           struct arena *a, struct framework *out, struct error *err)
{
	static const char *const known[] = {
	        "name",        "description", "scales",   "tracks",  "competencies",
	        "axes",        "profiles",    "evidence", "scoring", "anonymity",
	        "assignments", "questions",   "checkin",  NULL};
	static const char *const required[] = {"name", "scales",   "tracks",    "competencies",
	                                       "axes", "profiles", "questions", NULL};
	memset(out, 0, sizeof *out);
	out->recent_share = 0.5;
	out->cap = 0.4;
	/* A dimension carrying more than half an axis drives it; one at the cap
	 * rated above the rest carries a little more than its weight, which is
	 * not gaming. */
	out->dominance = 0.5;
	out->anonymity_threshold = 3;
	out->peers_min = 3;
	out->peers_max = 5;
	out->reviewer_cap = 8;
	out->description = "";
	yaml_document_t doc;
	int rc = stored ? yamldoc_load_stored(name, data, len, &doc, err)
	                : yamldoc_load(name, data, len, &doc, err);
	if (rc < 0)
		return rc;
	struct fp p = {{name, &doc, a, err, NULL, stored}, out, NULL, NULL};
	const yaml_node_t *root = yaml_document_get_root_node(&doc);
	struct fields fs = {.known = known};
	if (!root)
		rc = err_set(err, ERR_INVALID, "%s: the file is empty; expected a framework", name);
	else
		rc = read_fields(&p, root, "framework", &fs, required);
	if (rc == 0)
		rc = yread_name(&p.y, fs.node[T_NAME], "name", 200, &out->name);
	if (rc == 0 && fs.node[T_DESCRIPTION])
		rc = yread_text(&p.y, fs.node[T_DESCRIPTION], "description", TEXT_MAX,
		                &out->description);
	/* In dependency order, whatever order the file has. */
	if (rc == 0)
		rc = parse_scales(&p, fs.node[T_SCALES]);
	if (rc == 0)
		rc = parse_tracks(&p, fs.node[T_TRACKS]);
	if (rc == 0)
		rc = parse_competencies(&p, fs.node[T_COMPETENCIES]);
	if (rc == 0)
		rc = parse_axes(&p, fs.node[T_AXES]);
	if (rc == 0 && fs.node[T_SCORING])
		rc = parse_scoring(&p, fs.node[T_SCORING]);
	if (rc == 0 && fs.node[T_EVIDENCE])
		rc = parse_evidence(&p, fs.node[T_EVIDENCE]);
	if (rc == 0)
		rc = parse_profiles(&p, fs.node[T_PROFILES]);
	if (rc == 0)
		rc = check_bands(&p);
	if (rc == 0 && fs.node[T_ANONYMITY])
		rc = parse_anonymity(&p, fs.node[T_ANONYMITY]);
	if (rc == 0 && fs.node[T_ASSIGNMENTS])
		rc = parse_assignments(&p, fs.node[T_ASSIGNMENTS]);
	if (rc == 0)
		rc = check_peer_groups(&p);
	if (rc == 0)
		rc = parse_questions(&p, fs.node[T_QUESTIONS]);
	if (rc == 0 && fs.node[T_CHECKIN])
		rc = parse_checkin(&p, fs.node[T_CHECKIN]);
	yaml_document_delete(&doc);
	return rc;
}

int framework_parse(const char *name, const char *data, size_t len, struct arena *a,
                    struct framework *out, struct error *err)
{
	return parse_framework(name, data, len, false, a, out, err);
}

/* ---- lookups ---- */

const struct fw_level *framework_level(const struct framework *fw, const char *id)
{
	for (size_t t = 0; t < fw->ntracks; t++)
		for (size_t l = 0; l < fw->tracks[t].nlevels; l++)
			if (fw->tracks[t].levels[l].id &&
			    strcmp(fw->tracks[t].levels[l].id, id) == 0)
				return &fw->tracks[t].levels[l];
	return NULL;
}

const struct fw_competency *framework_competency(const struct framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->ncompetencies; i++)
		if (strcmp(fw->competencies[i].id, id) == 0)
			return &fw->competencies[i];
	return NULL;
}

const struct fw_profile *framework_profile(const struct framework *fw, const char *id)
{
	for (size_t i = 0; i < fw->nprofiles; i++)
		if (strcmp(fw->profiles[i].id, id) == 0)
			return &fw->profiles[i];
	return NULL;
}

const struct fw_metric *framework_metric(const struct framework *fw, const char *key)
{
	for (size_t i = 0; i < fw->nmetrics; i++)
		if (strcmp(fw->metrics[i].key, key) == 0)
			return &fw->metrics[i];
	return NULL;
}

const char *framework_expectation(const struct fw_competency *c, const char *level)
{
	for (size_t i = 0; i < c->nexpectations; i++)
		if (strcmp(c->expectations[i].level, level) == 0)
			return c->expectations[i].text;
	return NULL;
}

const char *framework_scale_label(const struct fw_scale *s, int value)
{
	for (size_t i = 0; i < s->npoints; i++)
		if (s->points[i].value == value)
			return s->points[i].label;
	return NULL;
}

int framework_band(const struct fw_metric *m, double value)
{
	for (size_t i = 0; i + 1 < m->nbands; i++) {
		const struct fw_band *b = &m->bands[i];
		if ((b->has_at_most && value <= b->at_most) ||
		    (b->has_at_least && value >= b->at_least))
			return b->rating;
	}
	return m->bands[m->nbands - 1].rating;
}

/* ---- storage ---- */

struct stored {
	int version;
	const char *text, *sha256, *imported_by;
	int64_t imported_at;
};

/* A version read back: as it was accepted when imported (yread.stored). */
static int parse_stored(const char *label, const struct stored *s, struct arena *a,
                        struct framework *out, struct error *err)
{
	return parse_framework(label, s->text, strlen(s->text), true, a, out, err);
}

/* The stored version (the newest for 0), with its text when with_text: a framework's
 * YAML runs to tens of kilobytes, and a load that finds its parse cached needs none. */
static int read_version(struct ctx *ctx, int version, bool with_text, struct stored *out,
                        bool *found, struct error *err)
{
	static const char *const sql[2][2] = {
	        {"SELECT version, NULL, sha256, imported_at, imported_by FROM frameworks "
	         "ORDER BY version DESC LIMIT 1",
	         "SELECT version, NULL, sha256, imported_at, imported_by FROM frameworks "
	         "WHERE version = ?"},
	        {"SELECT version, text, sha256, imported_at, imported_by FROM frameworks "
	         "ORDER BY version DESC LIMIT 1",
	         "SELECT version, text, sha256, imported_at, imported_by FROM frameworks "
	         "WHERE version = ?"}};
	struct store_stmt *st;
	int rc = store_prepare(ctx->store, sql[with_text][version > 0], &st, err);
	if (rc < 0)
		return rc;
	if (version > 0)
		stmt_bind_int(st, 1, version);
	*found = false;
	rc = stmt_step(st, err);
	if (rc == STORE_ROW) {
		*found = true;
		out->version = (int)stmt_int(st, 0);
		out->text = with_text ? stmt_text_dup(st, 1, ctx->arena) : NULL;
		out->sha256 = stmt_text_dup(st, 2, ctx->arena);
		out->imported_at = stmt_int(st, 3);
		out->imported_by = stmt_text_dup(st, 4, ctx->arena);
		rc = 0;
	}
	stmt_reset(st);
	return rc < 0 ? rc : 0;
}

static int not_found(int version, struct error *err)
{
	if (version > 0)
		return err_set(err, ERR_NOT_FOUND, "framework version %d does not exist", version);
	err_set(err, ERR_NOT_FOUND, "no career framework has been imported");
	err_hint(err, "start from examples/framework.yaml: plumb framework import FILE.yaml");
	return ERR_NOT_FOUND;
}

/* Parsed frameworks by the SHA-256 of their text: a stored version never
 * changes and the same text parses the same in any database, so services
 * that load it on every step (a cycle's nominations, feedback, scores) parse
 * it once per process.  At most CACHE_MAX, kept until the process ends. */
#define CACHE_MAX 16
static struct {
	char sha256[65];
	const struct framework *fw;
	struct arena *arena; /* holds fw; kept reachable until exit */
} cache[CACHE_MAX];
static int ncache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

/* The cached parse of the text of this SHA-256, or NULL; under cache_lock. */
static const struct framework *cache_find(const char *sha256)
{
	for (int i = 0; i < ncache; i++)
		if (strcmp(cache[i].sha256, sha256) == 0)
			return cache[i].fw;
	return NULL;
}

/* The same, taking the lock: entries are never removed, so what it returns stays good. */
static const struct framework *cached(const char *sha256)
{
	pthread_mutex_lock(&cache_lock);
	const struct framework *fw = cache_find(sha256);
	pthread_mutex_unlock(&cache_lock);
	return fw;
}

/* The parse of s: the cached one, or a new one kept in the cache (parsed
 * under the lock: threads that want the same text wait for one parse), or
 * in a when the cache is full. */
static int parse_cached(const char *label, const struct stored *s, struct arena *a,
                        const struct framework **out, struct error *err)
{
	int rc = 0;
	pthread_mutex_lock(&cache_lock);
	*out = cache_find(s->sha256);
	if (!*out && ncache < CACHE_MAX) {
		struct arena *own = arena_create();
		struct framework *fw = arena_alloc(own, sizeof *fw);
		rc = parse_stored(label, s, own, fw, err);
		if (rc == 0) {
			snprintf(cache[ncache].sha256, sizeof cache[ncache].sha256, "%s",
			         s->sha256);
			cache[ncache].arena = own;
			cache[ncache++].fw = fw;
			*out = fw;
		} else {
			arena_destroy(own);
		}
	}
	pthread_mutex_unlock(&cache_lock);
	if (*out || rc < 0)
		return rc;
	struct framework *fw = arena_alloc(a, sizeof *fw);
	rc = parse_stored(label, s, a, fw, err);
	*out = rc == 0 ? fw : NULL;
	return rc;
}

int framework_load(struct ctx *ctx, int version, const struct framework **out, struct error *err)
{
	*out = NULL;
	struct stored s;
	bool found;
	int rc = read_version(ctx, version, false, &s, &found, err);
	if (rc < 0)
		return rc;
	if (!found)
		return not_found(version, err);
	const struct framework *parsed = cached(s.sha256);
	if (!parsed) {
		rc = read_version(ctx, s.version, true, &s, &found, err);
		if (rc < 0)
			return rc;
		if (!found)
			return not_found(s.version, err);
		char label[64];
		snprintf(label, sizeof label, "framework version %d", s.version);
		rc = parse_cached(label, &s, ctx->arena, &parsed, err);
		if (rc < 0)
			return rc;
	}
	/* A copy carries this database's version and import; the parse is shared. */
	struct framework *fw = arena_alloc(ctx->arena, sizeof *fw);
	*fw = *parsed;
	fw->version = s.version;
	fw->sha256 = s.sha256;
	fw->imported_at = s.imported_at;
	fw->imported_by = s.imported_by;
	*out = fw;
	return 0;
}

/* Admins keep the configuration; people partners over the whole company own
 * how people are evaluated (a framework applies to everyone). */
static int may_import(struct ctx *ctx, struct error *err)
{
	for (int i = 0; i < ctx->actor.nroles; i++) {
		const struct actor_role *r = &ctx->actor.roles[i];
		if (r->role == ROLE_ADMIN || (r->role == ROLE_PEOPLE_PARTNER && !r->team_id))
			return 0;
	}
	err_set(err, ERR_DENIED, "%s may not import a career framework", ctx->actor.name);
	err_hint(err, "admins and company-wide people partners import frameworks (it applies to "
	              "everyone)");
	ctx_note_denied(ctx, err);
	return ERR_DENIED;
}

/* Checks that need the database: each evidence metric is in the catalogue,
 * computable, and allows the individual scope. */
static int check_metrics(struct ctx *ctx, const char *name, const struct framework *fw,
                         struct error *err)
{
	for (size_t i = 0; i < fw->nmetrics; i++) {
		const struct fw_metric *m = &fw->metrics[i];
		struct metric_def def;
		struct error why = {0};
		int rc = catalog_active(ctx, m->key, ctx->arena, &def, &why);
		if (rc == ERR_NOT_FOUND || rc == ERR_CONFLICT) {
			err_set(err, ERR_INVALID, "%s:%ld: evidence.metrics.%s: %s", name, m->line,
			        m->key, why.message);
			if (rc == ERR_NOT_FOUND)
				err_hint(err, "define it first: plumb metrics define FILE.yaml");
			else
				err_hint(err,
				         "a proposed version needs its stakeholders' approval: "
				         "plumb metrics proposals shows who has yet to approve");
			return ERR_INVALID;
		}
		if (rc < 0) {
			*err = why;
			return rc;
		}
		if (!catalog_list_has(def.scopes, "individual"))
			return err_set(err, ERR_INVALID,
			               "%s:%ld: evidence.metrics.%s: the metric's definition "
			               "(version %d) allows the scopes %s, not individual, so it "
			               "cannot be evidence about a person",
			               name, m->line, m->key, def.version, def.scopes);
	}
	return 0;
}

struct import_args {
	const char *name, *data;
	size_t len;
	struct framework *parsed;
	struct framework_import_result *out;
};

static int import_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct import_args *a = arg;
	int rc = may_import(ctx, err);
	if (rc == 0)
		rc = framework_parse(a->name, a->data, a->len, ctx->arena, a->parsed, err);
	if (rc == 0)
		rc = check_metrics(ctx, a->name, a->parsed, err);
	if (rc < 0)
		return rc;
	unsigned char h[crypto_hash_sha256_BYTES];
	char sha[65];
	crypto_hash_sha256(h, (const unsigned char *)a->data, a->len);
	sodium_bin2hex(sha, sizeof sha, h, sizeof h);
	struct stored cur;
	bool found;
	rc = read_version(ctx, 0, false, &cur, &found, err);
	if (rc < 0)
		return rc;
	if (found && strcmp(cur.sha256, sha) == 0) {
		a->out->version = cur.version;
		return CTX_ROLLBACK;
	}
	a->out->version = found ? cur.version + 1 : 1;
	a->out->created = true;
	char *text = arena_alloc(ctx->arena, a->len + 1);
	memcpy(text, a->data, a->len);
	text[a->len] = '\0';
	struct store_stmt *st;
	rc = store_prepare(ctx->store,
	                   "INSERT INTO frameworks(version, name, text, sha256, imported_at, "
	                   "imported_by) VALUES (?, ?, ?, ?, ?, ?)",
	                   &st, err);
	if (rc < 0)
		return rc;
	stmt_bind_int(st, 1, a->out->version);
	stmt_bind_text(st, 2, a->parsed->name);
	stmt_bind_text(st, 3, text);
	stmt_bind_text(st, 4, sha);
	stmt_bind_int(st, 5, ts_clock_ms()); /* when it was imported: never PLUMB_NOW */
	stmt_bind_text(st, 6, ctx->actor.name);
	rc = stmt_step(st, err);
	stmt_reset(st);
	if (rc < 0)
		return rc;
	struct sb detail = SB_INIT;
	struct jw w;
	jw_init(&w, &detail, false);
	jw_object_begin(&w);
	jw_kint(&w, "version", a->out->version);
	jw_kstr(&w, "name", a->parsed->name);
	jw_kstr(&w, "sha256", sha);
	if (found)
		jw_kint(&w, "replaces", cur.version);
	jw_object_end(&w);
	char id[24];
	snprintf(id, sizeof id, "%d", a->out->version);
	rc = audit_append(ctx, "framework.import", "framework", id, detail.buf, err);
	sb_release(&detail);
	return rc;
}

int framework_import(struct ctx *ctx, const char *name, const char *data, size_t len,
                     struct framework_import_result *out, struct error *err)
{
	memset(out, 0, sizeof *out);
	int rc = ctx_op_check(ctx, OP_FRAMEWORK_IMPORT, err);
	if (rc < 0)
		return rc;
	struct framework *parsed = arena_alloc(ctx->arena, sizeof *parsed);
	struct import_args a = {name, data, len, parsed, out};
	rc = ctx_run(ctx, OP_FRAMEWORK_IMPORT, import_body, &a, err);
	return rc == CTX_ROLLBACK ? 0 : rc;
}

struct show_args {
	int version;
	const struct framework *fw;
	const char *text;
};

static int show_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	const struct framework *loaded;
	int rc = framework_load(ctx, a->version, &loaded, err);
	if (rc < 0)
		return rc;
	/* Who imported it is a person's user: an analyst sees a pseudonym. */
	struct framework *fw = arena_alloc(ctx->arena, sizeof *fw);
	*fw = *loaded;
	a->fw = fw;
	return mask_user(ctx, fw->imported_by, &fw->imported_by, err);
}

int framework_show(struct ctx *ctx, int version, const struct framework **out, struct error *err)
{
	struct show_args a = {version, NULL, NULL};
	int rc = ctx_run(ctx, OP_FRAMEWORK_SHOW, show_body, &a, err);
	*out = a.fw;
	return rc;
}

static int export_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct show_args *a = arg;
	struct stored s;
	bool found;
	int rc = read_version(ctx, a->version, true, &s, &found, err);
	if (rc < 0)
		return rc;
	if (!found)
		return not_found(a->version, err);
	a->text = s.text;
	return 0;
}

int framework_export(struct ctx *ctx, int version, const char **text, struct error *err)
{
	struct show_args a = {version, NULL, NULL};
	int rc = ctx_run(ctx, OP_FRAMEWORK_EXPORT, export_body, &a, err);
	*text = a.text;
	return rc;
}

/* ---- JSON and diff ---- */

static void json_scale_ref(struct jw *w, const char *key, const struct fw_scale *s)
{
	jw_kstr(w, key, s->id);
}

void framework_json(struct jw *w, const struct framework *fw)
{
	jw_object_begin(w);
	jw_kint(w, "version", fw->version);
	jw_kstr(w, "name", fw->name);
	jw_kstr(w, "description", fw->description);
	if (fw->version) {
		jw_kstr(w, "sha256", fw->sha256);
		jw_kstr(w, "imported_by", fw->imported_by);
		jw_key(w, "imported_at");
		jw_time(w, fw->imported_at, true);
	}
	jw_key(w, "scales");
	jw_object_begin(w);
	for (size_t i = 0; i < fw->nscales; i++) {
		const struct fw_scale *s = &fw->scales[i];
		jw_key(w, s->id);
		jw_object_begin(w);
		jw_kint(w, "meets", s->meets);
		jw_key(w, "points");
		jw_array_begin(w);
		for (size_t j = 0; j < s->npoints; j++) {
			jw_object_begin(w);
			jw_kint(w, "value", s->points[j].value);
			jw_kstr(w, "label", s->points[j].label);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_key(w, "tracks");
	jw_array_begin(w);
	for (size_t t = 0; t < fw->ntracks; t++) {
		const struct fw_track *tr = &fw->tracks[t];
		jw_object_begin(w);
		jw_kstr(w, "id", tr->id);
		jw_kstr(w, "name", tr->name);
		jw_key(w, "levels");
		jw_array_begin(w);
		for (size_t l = 0; l < tr->nlevels; l++) {
			jw_object_begin(w);
			jw_kstr(w, "id", tr->levels[l].id);
			jw_kstr(w, "name", tr->levels[l].name);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "competencies");
	jw_array_begin(w);
	for (size_t i = 0; i < fw->ncompetencies; i++) {
		const struct fw_competency *c = &fw->competencies[i];
		jw_object_begin(w);
		jw_kstr(w, "id", c->id);
		jw_kstr(w, "name", c->name);
		json_scale_ref(w, "scale", c->scale);
		jw_key(w, "expectations");
		jw_object_begin(w);
		for (size_t e = 0; e < c->nexpectations; e++)
			jw_kstr(w, c->expectations[e].level, c->expectations[e].text);
		jw_object_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "axes");
	jw_object_begin(w);
	for (int a = 0; a < FW_AXIS_COUNT; a++) {
		jw_key(w, axis_names[a]);
		jw_object_begin(w);
		json_scale_ref(w, "scale", fw->axes[a].scale);
		jw_kstr(w, "description", fw->axes[a].description);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_key(w, "profiles");
	jw_array_begin(w);
	for (size_t i = 0; i < fw->nprofiles; i++) {
		const struct fw_profile *pr = &fw->profiles[i];
		jw_object_begin(w);
		jw_kstr(w, "id", pr->id);
		jw_kstr(w, "name", pr->name);
		jw_kstr(w, "track", pr->track);
		jw_key(w, "weights");
		jw_object_begin(w);
		for (int a = 0; a < FW_AXIS_COUNT; a++) {
			jw_key(w, axis_names[a]);
			jw_object_begin(w);
			for (size_t j = 0; j < pr->nweights[a]; j++) {
				jw_key(w, pr->weights[a][j].dimension);
				jw_double(w, pr->weights[a][j].weight);
			}
			jw_object_end(w);
		}
		jw_object_end(w);
		jw_key(w, "composite");
		if (pr->has_composite) {
			jw_object_begin(w);
			for (int a = 0; a < FW_AXIS_COUNT; a++) {
				jw_key(w, axis_names[a]);
				jw_double(w, pr->composite[a]);
			}
			jw_object_end(w);
		} else {
			jw_null(w);
		}
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_key(w, "evidence");
	jw_object_begin(w);
	jw_key(w, "recent_share");
	jw_double(w, fw->recent_share);
	jw_key(w, "metrics");
	jw_object_begin(w);
	for (size_t i = 0; i < fw->nmetrics; i++) {
		const struct fw_metric *m = &fw->metrics[i];
		jw_key(w, m->key);
		jw_object_begin(w);
		jw_key(w, "max_weight");
		jw_double(w, m->max_weight);
		jw_key(w, "bands");
		jw_array_begin(w);
		for (size_t b = 0; b < m->nbands; b++) {
			jw_object_begin(w);
			if (m->bands[b].has_at_most) {
				jw_key(w, "at_most");
				jw_double(w, m->bands[b].at_most);
			}
			if (m->bands[b].has_at_least) {
				jw_key(w, "at_least");
				jw_double(w, m->bands[b].at_least);
			}
			jw_kint(w, "rating", m->bands[b].rating);
			jw_object_end(w);
		}
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_object_end(w);
	jw_object_end(w);
	jw_key(w, "scoring");
	jw_object_begin(w);
	jw_key(w, "cap");
	jw_double(w, fw->cap);
	jw_key(w, "dominance");
	jw_double(w, fw->dominance);
	jw_object_end(w);
	jw_key(w, "anonymity");
	jw_object_begin(w);
	jw_kint(w, "threshold", fw->anonymity_threshold);
	jw_key(w, "partner_sees_authors");
	jw_array_begin(w);
	for (int r = 0; r < FW_REL_COUNT; r++)
		if (fw->partner_sees_authors[r])
			jw_str(w, relation_names[r]);
	jw_array_end(w);
	jw_object_end(w);
	jw_key(w, "assignments");
	jw_object_begin(w);
	jw_kint(w, "peers_min", fw->peers_min);
	jw_kint(w, "peers_max", fw->peers_max);
	jw_kint(w, "reviewer_cap", fw->reviewer_cap);
	jw_object_end(w);
	jw_kbool(w, "checkin_ratings", fw->checkin_ratings);
	jw_key(w, "questions");
	jw_array_begin(w);
	for (size_t i = 0; i < fw->nquestions; i++) {
		const struct fw_question *q = &fw->questions[i];
		jw_object_begin(w);
		jw_kstr(w, "id", q->id);
		jw_kstr(w, "text", q->text);
		jw_key(w, "relations");
		jw_array_begin(w);
		for (int r = 0; r < FW_REL_COUNT; r++)
			if (q->relations[r])
				jw_str(w, relation_names[r]);
		jw_array_end(w);
		jw_key(w, "kinds");
		jw_array_begin(w);
		for (int k = 0; k < FW_KIND_COUNT; k++)
			if (q->kinds[k])
				jw_str(w, kind_names[k]);
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_array_end(w);
	jw_object_end(w);
}

static const char *flags(struct arena *a, const bool *set, const char *const *names, int n)
{
	struct sb s = SB_INIT;
	for (int i = 0; i < n; i++)
		if (set[i])
			sb_printf(&s, "%s%s", s.len ? ", " : "", names[i]);
	const char *out = arena_strdup(a, s.len ? s.buf : "none");
	sb_release(&s);
	return out;
}

/* A number of the file as it reads back: two versions whose numbers differ
 * never read the same (%g would print 1000000 and 1000001 both as 1e+06). */
static const char *num(struct arena *a, double v)
{
	struct sb s = SB_INIT;
	sb_double(&s, v);
	const char *out = arena_strdup(a, s.buf);
	sb_release(&s);
	return out;
}

static const char *band_text(struct arena *a, const struct fw_metric *m)
{
	struct sb s = SB_INIT;
	for (size_t b = 0; b < m->nbands; b++) {
		const struct fw_band *x = &m->bands[b];
		if (b)
			sb_puts(&s, "; ");
		if (x->has_at_most || x->has_at_least) {
			sb_puts(&s, x->has_at_most ? "at most " : "at least ");
			sb_double(&s, x->has_at_most ? x->at_most : x->at_least);
			sb_printf(&s, ": %d", x->rating);
		} else {
			sb_printf(&s, "otherwise %d", x->rating);
		}
	}
	const char *out = arena_strdup(a, s.buf ? s.buf : "");
	sb_release(&s);
	return out;
}

/* A framework as readable facts, so that a diff reads like a review comment. */
static void framework_facts(const struct framework *fw, struct facts *f)
{
	char what[256];
	facts_add(f, "name", "%s", fw->name);
	facts_add(f, "description", "%s", fw->description);
	for (size_t i = 0; i < fw->nscales; i++) {
		const struct fw_scale *s = &fw->scales[i];
		for (size_t j = 0; j < s->npoints; j++) {
			snprintf(what, sizeof what, "scale %s value %d", s->id, s->points[j].value);
			facts_add(f, what, "%s", s->points[j].label);
		}
		snprintf(what, sizeof what, "scale %s meets", s->id);
		facts_add(f, what, "%d", s->meets);
	}
	for (size_t t = 0; t < fw->ntracks; t++) {
		snprintf(what, sizeof what, "track %s", fw->tracks[t].id);
		facts_add(f, what, "%s", fw->tracks[t].name);
		for (size_t l = 0; l < fw->tracks[t].nlevels; l++) {
			const struct fw_level *lv = &fw->tracks[t].levels[l];
			snprintf(what, sizeof what, "track %s level %s", fw->tracks[t].id, lv->id);
			facts_add(f, what, "%s (rank %d)", lv->name, lv->rank + 1);
		}
	}
	for (size_t i = 0; i < fw->ncompetencies; i++) {
		const struct fw_competency *c = &fw->competencies[i];
		snprintf(what, sizeof what, "competency %s", c->id);
		facts_add(f, what, "%s, scale %s", c->name, c->scale->id);
		for (size_t e = 0; e < c->nexpectations; e++) {
			snprintf(what, sizeof what, "competency %s expectation at %s", c->id,
			         c->expectations[e].level);
			facts_add(f, what, "\"%s\"", c->expectations[e].text);
		}
	}
	for (int a = 0; a < FW_AXIS_COUNT; a++) {
		snprintf(what, sizeof what, "axis %s", axis_names[a]);
		facts_add(f, what, "scale %s", fw->axes[a].scale->id);
		snprintf(what, sizeof what, "axis %s description", axis_names[a]);
		facts_add(f, what, "\"%s\"", fw->axes[a].description);
	}
	for (size_t i = 0; i < fw->nprofiles; i++) {
		const struct fw_profile *pr = &fw->profiles[i];
		snprintf(what, sizeof what, "profile %s", pr->id);
		facts_add(f, what, "%s, track %s", pr->name, pr->track);
		for (int a = 0; a < FW_AXIS_COUNT; a++)
			for (size_t j = 0; j < pr->nweights[a]; j++) {
				snprintf(what, sizeof what, "profile %s %s weight of %s", pr->id,
				         axis_names[a], pr->weights[a][j].dimension);
				facts_add(f, what, "%s", num(f->a, pr->weights[a][j].weight));
			}
		for (int a = 0; pr->has_composite && a < FW_AXIS_COUNT; a++) {
			snprintf(what, sizeof what, "profile %s composite weight of %s", pr->id,
			         axis_names[a]);
			facts_add(f, what, "%s", num(f->a, pr->composite[a]));
		}
	}
	for (size_t i = 0; i < fw->nmetrics; i++) {
		const struct fw_metric *m = &fw->metrics[i];
		snprintf(what, sizeof what, "evidence metric %s", m->key);
		facts_add(f, what, "max weight %s, bands %s", num(f->a, m->max_weight),
		          band_text(f->a, m));
	}
	facts_add(f, "evidence recent share", "%s", num(f->a, fw->recent_share));
	facts_add(f, "scoring cap", "%s", num(f->a, fw->cap));
	facts_add(f, "scoring dominance", "%s", num(f->a, fw->dominance));
	facts_add(f, "anonymity threshold", "%d responses", fw->anonymity_threshold);
	facts_add(f, "people partners see the authors of", "%s",
	          flags(f->a, fw->partner_sees_authors, relation_names, FW_REL_COUNT));
	facts_add(f, "peers per reviewee", "%d to %d", fw->peers_min, fw->peers_max);
	facts_add(f, "reviewer cap", "%d assignments", fw->reviewer_cap);
	facts_add(f, "check-in ratings", "%s", fw->checkin_ratings ? "yes" : "no");
	for (size_t i = 0; i < fw->nquestions; i++) {
		const struct fw_question *q = &fw->questions[i];
		snprintf(what, sizeof what, "question %s", q->id);
		facts_add(f, what, "\"%s\" (%s; %s)", q->text,
		          flags(f->a, q->relations, relation_names, FW_REL_COUNT),
		          flags(f->a, q->kinds, kind_names, FW_KIND_COUNT));
	}
}

struct diff_args {
	int a, b;
	const char **lines;
	size_t n;
};

static int diff_body(struct ctx *ctx, void *arg, struct error *err)
{
	struct diff_args *d = arg;
	const struct framework *fa, *fb;
	int rc = framework_load(ctx, d->a, &fa, err);
	if (rc == 0)
		rc = framework_load(ctx, d->b, &fb, err);
	if (rc < 0)
		return rc;
	struct facts xa = {.a = ctx->arena}, xb = {.a = ctx->arena}, out = {.a = ctx->arena};
	framework_facts(fa, &xa);
	framework_facts(fb, &xb);
	facts_diff(&xa, &xb, &out);
	d->lines = out.value;
	d->n = out.n;
	return 0;
}

int framework_diff(struct ctx *ctx, int a, int b, const char ***lines, size_t *n, struct error *err)
{
	if (a <= 0 || b <= 0)
		return err_set(err, ERR_USAGE, "framework versions are numbers from 1");
	struct diff_args d = {a, b, NULL, 0};
	int rc = ctx_run(ctx, OP_FRAMEWORK_DIFF, diff_body, &d, err);
	*lines = d.lines;
	*n = d.n;
	return rc;
}
