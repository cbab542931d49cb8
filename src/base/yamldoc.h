/*
 * yamldoc: loading a YAML file people edit (org files, service mappings,
 * later frameworks and policies) with libyaml, and the checks every such
 * file needs: one document only, no deep flow nesting (libyaml's time grows
 * with its square), no key given twice in a mapping (YAML keeps the last,
 * dropping data silently), no aliases (an error would name the anchor's
 * line, and nested ones blow up).  Errors say "NAME:LINE: ...".
 *
 * yamldoc_load fills a caller's yaml_document_t, freed with
 * yaml_document_delete.  Text returned by yamldoc_scalar lives in the arena.
 */
#ifndef PLUMB_YAMLDOC_H
#define PLUMB_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "base/err.h"

struct arena;

int yamldoc_load(const char *name, const char *data, size_t len, yaml_document_t *doc,
                 struct error *err);
/* A file stored when it was imported, read as it was accepted then: the
 * rules about tags added since apply to imports, not to what is kept. */
int yamldoc_load_stored(const char *name, const char *data, size_t len, yaml_document_t *doc,
                        struct error *err);
/* Every document of a stream (YAML's "---" between them), at most max:
 * *docs (malloc'd, the caller deletes each document and frees the array)
 * and *n.  Errors as yamldoc_load's; nothing is handed out on error. */
int yamldoc_load_all(const char *name, const char *data, size_t len, size_t max,
                     yaml_document_t **docs, size_t *n, struct error *err);
long yamldoc_line(const yaml_node_t *node);
/* ERR_INVALID "NAME:LINE: expected WHAT" unless node has type. */
int yamldoc_expect(const char *name, const yaml_node_t *node, yaml_node_type_t type,
                   const char *what, struct error *err);
/* Whether an earlier key of map has the same text as pair's key. */
bool yamldoc_repeated_key(yaml_document_t *doc, const yaml_node_t *map,
                          const yaml_node_pair_t *pair);
/* A scalar's text ("" for a plain null: null, Null, NULL or ~, YAML 1.2's
 * core schema); ERR_INVALID naming field for a NUL in it or a node that is
 * not a scalar. */
int yamldoc_scalar(const char *name, const yaml_node_t *node, const char *field, struct arena *a,
                   const char **out, struct error *err);
/* A YAML 1.2 core-schema boolean: 1 for a plain scalar true, True or TRUE,
 * 0 for false, False or FALSE, -1 for anything else.  Quoted ("TRUE") it is
 * text, as YAML reads it: every reader of plumb's YAML (catalogue,
 * policies, frameworks, SLO specs) takes the one rule.  node is a scalar. */
int yamldoc_bool(const yaml_node_t *node);

#endif
