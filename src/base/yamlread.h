/*
 * yamlread: reading the fields of a YAML file people edit (policies,
 * frameworks), with errors that say where and what was expected:
 * "NAME:LINE: FIELD: reason".  FIELD is whatever the caller passes, so a
 * caller that wants the path in the document ("profiles.backend.weights")
 * passes the path.
 *
 * A struct yread names the file, the loaded document (yamldoc.h), the arena
 * strings go to and the error to fill; it owns none of them.
 */
#ifndef PLUMB_YAMLREAD_H
#define PLUMB_YAMLREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "base/err.h"

struct arena;

struct yread {
	const char *name;
	yaml_document_t *doc;
	struct arena *a;
	struct error *err;
	const char *at; /* while yread_each_field calls on_field: the mapping's path */
	/* A version stored when imported, read as it was accepted then: rules
	 * added since (one-line names) apply to imports only. */
	bool stored;
};

#define YREAD_NAME_MAX 200 /* the longest name or key a choice or list accepts */
#define YREAD_LIST_MAX 64  /* the most entries yread_scalar_list accepts */

/* ERR_INVALID "NAME:LINE: field: " and the formatted reason. */
int yread_err(struct yread *p, const yaml_node_t *node, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));
const yaml_node_t *yread_node(struct yread *p, int id);
/* A scalar of at most max bytes ("" for ~); nonempty refuses "". */
int yread_text(struct yread *p, const yaml_node_t *n, const char *field, size_t max,
               const char **out);
int yread_nonempty(struct yread *p, const yaml_node_t *n, const char *field, size_t max,
                   const char **out);
/* A name: nonempty, one line (no line break or tab), as tables, pages and
 * packets print it. */
int yread_name(struct yread *p, const yaml_node_t *n, const char *field, size_t max,
               const char **out);
/* One of allowed (NULL-terminated); *out is its index. */
int yread_choice(struct yread *p, const yaml_node_t *n, const char *field,
                 const char *const *allowed, int *out);
int yread_bool(struct yread *p, const yaml_node_t *n, const char *field, bool *out);
int yread_int(struct yread *p, const yaml_node_t *n, const char *field, long lo, long hi,
              long *out);
/* A finite decimal number in [lo, hi]. */
int yread_number(struct yread *p, const yaml_node_t *n, const char *field, double lo, double hi,
                 double *out);
/* [a-z][a-z0-9_]*, at most 64 characters. */
bool yread_valid_key(const char *s);
bool yread_in_list(const char *const *list, const char *s);
/* A list of distinct non-empty scalars, each checked by check (NULL: any),
 * else "'X': expected EXPECTED".  *out lives in the arena. */
int yread_scalar_list(struct yread *p, const yaml_node_t *n, const char *field,
                      bool (*check)(const char *), const char *expected, const char ***out,
                      size_t *count);

/* Walk a mapping: fields must be among known (NULL-terminated; NULL: any
 * key), on_field is called with the index of each (-1 when known is NULL).
 * A field given twice is an error, and so is an unknown one, which lists
 * the known fields.  path is where map is in the document
 * ("profiles.backend.weights"; NULL or "" at the top): those errors name
 * the field by its full path ("profiles.backend.weights.performance").
 * what describes map for the error when it is no mapping, and for an
 * unknown field ("unknown field in WHAT"). */
typedef int (*yread_field_fn)(struct yread *p, int field, const yaml_node_t *key,
                              const yaml_node_t *value, void *arg);
int yread_each_field(struct yread *p, const yaml_node_t *map, const char *path, const char *what,
                     const char *const *known, yread_field_fn on_field, void *arg);
/* A field of the mapping yread_each_field is walking, by its full path
 * ("retention.events.days"), for an on_field's errors; field alone at the
 * top or outside a walk.  In the arena. */
const char *yread_at(struct yread *p, const char *field);

#endif
