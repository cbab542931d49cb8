/* yamldoc: YAML files people edit (see yamldoc.h). */
#include "base/yamldoc.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/mem.h"

#define YAML_MAX_FLOW_DEPTH 64

/* A bracket in a quoted string does not count; one in a plain scalar
 * might, which only matters past 64 levels. */
static int check_flow_depth(const char *name, const char *data, size_t len, struct error *err)
{
	int depth = 0;
	char quote = 0;
	long line = 1;
	for (size_t i = 0; i < len; i++) {
		char c = data[i];
		if (c == '\n')
			line++;
		if (quote) {
			if (c == quote)
				quote = 0;
			else if (c == '\\' && quote == '"' && i + 1 < len)
				i++;
			continue;
		}
		if (c == '"' || c == '\'')
			quote = c;
		else if (c == '[' || c == '{')
			depth++;
		else if ((c == ']' || c == '}') && depth > 0)
			depth--;
		if (depth > YAML_MAX_FLOW_DEPTH)
			return err_set(err, ERR_INVALID, "%s:%ld: nested deeper than %d levels",
			               name, line, YAML_MAX_FLOW_DEPTH);
	}
	return 0;
}

#define CORE_TAG "tag:yaml.org,2002:"

/* "str" of YAML's tag:yaml.org,2002:str (written !!str); NULL for another. */
static const char *core_tag(const char *tag)
{
	return strncmp(tag, CORE_TAG, sizeof CORE_TAG - 1) == 0 ? tag + sizeof CORE_TAG - 1 : NULL;
}

/* Whether an explicit tag says what plumb reads anyway.  plumb reads a
 * plain scalar by how it looks (null, true, a number, else text) and a
 * quoted or block one as text, so a scalar may carry only !!str or the
 * non-specific "!", and only when quoted or a block; a mapping "!" or
 * !!map, a list "!" or !!seq.  Any other tag would be read against what the
 * file says (found: `!!binary` base64 kept as a feedback answer's words; in
 * review: `!!str null` read as no answer, `!!null hello` as "hello"). */
static bool tag_read_as_written(const yaml_event_t *ev, const char *tag)
{
	if (!tag)
		return true;
	const char *core = core_tag(tag);
	bool any = strcmp(tag, "!") == 0;
	if (ev->type == YAML_MAPPING_START_EVENT)
		return any || (core && strcmp(core, "map") == 0);
	if (ev->type == YAML_SEQUENCE_START_EVENT)
		return any || (core && strcmp(core, "seq") == 0);
	return (any || (core && strcmp(core, "str") == 0)) &&
	       ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
}

static const char *event_tag(const yaml_event_t *ev)
{
	const yaml_char_t *tag = NULL;
	if (ev->type == YAML_SCALAR_EVENT)
		tag = ev->data.scalar.tag;
	else if (ev->type == YAML_MAPPING_START_EVENT)
		tag = ev->data.mapping_start.tag;
	else if (ev->type == YAML_SEQUENCE_START_EVENT)
		tag = ev->data.sequence_start.tag;
	return (const char *)tag;
}

static int tag_refused(const char *name, const yaml_event_t *ev, const char *tag, struct error *err)
{
	const char *core = core_tag(tag);
	bool local = tag[0] == '!';
	err_set(err, ERR_INVALID, "%s:%ld: the tag %s%.60s%s: plumb reads values untagged", name,
	        (long)ev->start_mark.line + 1,
	        core    ? "!!"
	        : local ? ""
	                : "!<",
	        core ? core : tag, core || local ? "" : ">");
	err_hint(err, "leave the tag out; quote a value to make it text");
	return ERR_INVALID;
}

/* libyaml reads UTF-16 when a file starts with its byte order mark, and
 * the file's text, stored as imported and read back as a C string, was then
 * cut at its first NUL byte: a policy or framework version no command could
 * read again (found hunting).  Files people edit are UTF-8. */
static int check_utf8_file(const char *name, const char *data, size_t len, struct error *err)
{
	const unsigned char *u = (const unsigned char *)data;
	/* UTF-32 little-endian starts as UTF-16's mark does, then two NULs. */
	bool utf32 = (len >= 4 && u[0] == 0xFF && u[1] == 0xFE && !u[2] && !u[3]) ||
	             (len >= 4 && !u[0] && !u[1] && u[2] == 0xFE && u[3] == 0xFF);
	if (utf32 ||
	    (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))) {
		err_set(err, ERR_INVALID, "%s:1: the file is %s, not UTF-8", name,
		        utf32 ? "UTF-32" : "UTF-16");
		err_hint(err, "save it as UTF-8 and give it again");
		return ERR_INVALID;
	}
	return 0;
}

/* The parser for data, read as UTF-8 whatever it starts with. */
static void parser_start(yaml_parser_t *parser, const char *data, size_t len)
{
	if (!yaml_parser_initialize(parser))
		BUG("yaml_parser_initialize failed");
	yaml_parser_set_input_string(parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING);
}

/* An alias would make the loaded tree share the anchored node: an error
 * about the value would name the anchor's line, never the alias's (found
 * in review), and nested aliases make a walk of the tree exponential (the
 * "billion laughs").  Files people edit need neither, nor tags beyond
 * those that say what plumb reads anyway (tag_read_as_written).  A syntax
 * error is left to the loader, which says it with its line. */
static int check_events(const char *name, const char *data, size_t len, bool tags,
                        struct error *err)
{
	yaml_parser_t parser;
	parser_start(&parser, data, len);
	int rc = 0;
	for (;;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev))
			break;
		yaml_event_type_t type = ev.type;
		if (type == YAML_ALIAS_EVENT)
			rc = err_set(err, ERR_INVALID,
			             "%s:%ld: an alias (*%.40s): write the value out again; plumb "
			             "reads no YAML aliases",
			             name, (long)ev.start_mark.line + 1,
			             (const char *)ev.data.alias.anchor);
		const char *tag = event_tag(&ev);
		if (rc == 0 && tags && !tag_read_as_written(&ev, tag))
			rc = tag_refused(name, &ev, tag, err);
		yaml_event_delete(&ev);
		if (rc < 0 || type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

/* The line of the parser's problem.  A reader error (bytes that are not
 * UTF-8, a control character) sets no mark, only the byte offset: its line
 * is counted from the data, or every such error would name line 1. */
static long problem_line(const yaml_parser_t *parser, const char *data, size_t len)
{
	if (parser->error != YAML_READER_ERROR)
		return (long)parser->problem_mark.line + 1;
	long line = 1;
	for (size_t i = 0; i < parser->problem_offset && i < len; i++)
		line += data[i] == '\n';
	return line;
}

static int load_doc(const char *name, const char *data, size_t len, bool stored,
                    yaml_document_t *doc, struct error *err)
{
	if (check_utf8_file(name, data, len, err) < 0 ||
	    check_flow_depth(name, data, len, err) < 0 ||
	    check_events(name, data, len, !stored, err) < 0)
		return ERR_INVALID;
	yaml_parser_t parser;
	parser_start(&parser, data, len);
	if (!yaml_parser_load(&parser, doc)) {
		err_set(err, ERR_INVALID, "%s:%ld: invalid YAML: %s", name,
		        problem_line(&parser, data, len),
		        parser.problem ? parser.problem : "syntax error");
		yaml_parser_delete(&parser);
		return ERR_INVALID;
	}
	/* One document per file: a second one would be silently ignored. */
	yaml_document_t second;
	int rc = 0;
	if (yaml_parser_load(&parser, &second)) {
		const yaml_node_t *root = yaml_document_get_root_node(&second);
		bool empty = !root || (root->type == YAML_SCALAR_NODE && !root->data.scalar.length);
		if (!empty)
			rc = err_set(err, ERR_INVALID, "%s:%ld: a second YAML document", name,
			             (long)second.start_mark.line + 1);
		yaml_document_delete(&second);
	}
	yaml_parser_delete(&parser);
	if (rc < 0)
		yaml_document_delete(doc);
	return rc;
}

int yamldoc_load(const char *name, const char *data, size_t len, yaml_document_t *doc,
                 struct error *err)
{
	return load_doc(name, data, len, false, doc, err);
}

int yamldoc_load_stored(const char *name, const char *data, size_t len, yaml_document_t *doc,
                        struct error *err)
{
	return load_doc(name, data, len, true, doc, err);
}

int yamldoc_load_all(const char *name, const char *data, size_t len, size_t max,
                     yaml_document_t **docs, size_t *n, struct error *err)
{
	*docs = NULL;
	*n = 0;
	if (check_utf8_file(name, data, len, err) < 0 ||
	    check_flow_depth(name, data, len, err) < 0 ||
	    check_events(name, data, len, true, err) < 0)
		return ERR_INVALID;
	yaml_parser_t parser;
	parser_start(&parser, data, len);
	yaml_document_t *out = NULL;
	size_t count = 0;
	int rc = 0;
	for (;;) {
		yaml_document_t doc;
		if (!yaml_parser_load(&parser, &doc)) {
			rc = err_set(err, ERR_INVALID, "%s:%ld: invalid YAML: %s", name,
			             problem_line(&parser, data, len),
			             parser.problem ? parser.problem : "syntax error");
			break;
		}
		if (!yaml_document_get_root_node(&doc)) { /* the end of the stream */
			yaml_document_delete(&doc);
			break;
		}
		if (count == max) {
			rc = err_set(err, ERR_TOO_BIG, "%s:%ld: more than %zu YAML documents", name,
			             (long)doc.start_mark.line + 1, max);
			yaml_document_delete(&doc);
			break;
		}
		out = xreallocarray(out, count + 1, sizeof *out);
		out[count++] = doc;
	}
	yaml_parser_delete(&parser);
	if (rc < 0) {
		for (size_t i = 0; i < count; i++)
			yaml_document_delete(&out[i]);
		free(out);
		return rc;
	}
	*docs = out;
	*n = count;
	return 0;
}

long yamldoc_line(const yaml_node_t *node)
{
	return node ? (long)node->start_mark.line + 1 : 0L;
}

int yamldoc_expect(const char *name, const yaml_node_t *node, yaml_node_type_t type,
                   const char *what, struct error *err)
{
	if (node && node->type == type)
		return 0;
	return err_set(err, ERR_INVALID, "%s:%ld: expected %s", name, yamldoc_line(node), what);
}

bool yamldoc_repeated_key(yaml_document_t *doc, const yaml_node_t *map,
                          const yaml_node_pair_t *pair)
{
	const yaml_node_t *k = yaml_document_get_node(doc, pair->key);
	for (const yaml_node_pair_t *p = map->data.mapping.pairs.start; p < pair; p++) {
		const yaml_node_t *earlier = yaml_document_get_node(doc, p->key);
		if (earlier && k && earlier->type == YAML_SCALAR_NODE &&
		    k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)earlier->data.scalar.value,
		           (const char *)k->data.scalar.value) == 0)
			return true;
	}
	return false;
}

int yamldoc_scalar(const char *name, const yaml_node_t *node, const char *field, struct arena *a,
                   const char **out, struct error *err)
{
	if (!node || node->type != YAML_SCALAR_NODE)
		return err_set(err, ERR_INVALID, "%s:%ld: field %s: expected a single value", name,
		               yamldoc_line(node), field);
	const char *v = (const char *)node->data.scalar.value;
	if (strlen(v) != node->data.scalar.length)
		return err_set(err, ERR_INVALID, "%s:%ld: field %s: NUL character in the value",
		               name, yamldoc_line(node), field);
	bool null = node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	            (strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
	             strcmp(v, "NULL") == 0);
	*out = null ? "" : arena_strdup(a, v);
	return 0;
}

int yamldoc_bool(const yaml_node_t *node)
{
	if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return -1;
	const char *v = (const char *)node->data.scalar.value;
	if (strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0)
		return 1;
	if (strcmp(v, "false") == 0 || strcmp(v, "False") == 0 || strcmp(v, "FALSE") == 0)
		return 0;
	return -1;
}
