/*
 * test_cli_docs: docs/cli.md against the command tables.  Every command has
 * a synopsis there (under its "## plumb NAME" section, or beside another
 * command's) that offers --json and --csv exactly when the command does; the
 * contents list links every section, in order; "Command line" names every
 * group.  Run from the repository's root, as the suite runs it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/fileio.h"
#include "base/sb.h"
#include "cli/cli.h"

#define CLI_MD "docs/cli.md"

struct doc {
	char *text;
	char **lines;
	size_t nlines;
};

static void doc_load(struct doc *d)
{
	size_t len = 0;
	struct error err = {0};
	if (file_read(CLI_MD, (size_t)1 << 22, &d->text, &len, &err) != 0)
		fail_msg("cannot read %s: %s", CLI_MD, err.message);
	size_t alloc = 1;
	for (size_t i = 0; i < len; i++)
		alloc += d->text[i] == '\n';
	d->lines = calloc(alloc, sizeof *d->lines);
	assert_non_null(d->lines);
	d->nlines = 0;
	for (char *p = d->text; p && *p;) {
		d->lines[d->nlines++] = p;
		p = strchr(p, '\n');
		if (p)
			*p++ = '\0';
	}
}

static void doc_free(struct doc *d)
{
	free(d->lines);
	free(d->text);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "plumb NAME" at p, ending there or followed by a space. */
static bool names_command(const char *p, const char *name)
{
	size_t n = strlen(name);
	return starts_with(p, "plumb ") && strncmp(p + 6, name, n) == 0 &&
	       (p[6 + n] == '\0' || p[6 + n] == ' ');
}

/* Whether heading ("## plumb A, plumb B") is the section of command name. */
static bool is_section_of(const char *heading, const char *name)
{
	if (!starts_with(heading, "## "))
		return false;
	for (const char *p = heading + 3; p; p = strstr(p, ", ")) {
		p += starts_with(p, ", ") ? 2 : 0;
		size_t n = strlen(name);
		if (starts_with(p, "plumb ") && strncmp(p + 6, name, n) == 0 &&
		    (p[6 + n] == '\0' || p[6 + n] == ','))
			return true;
	}
	return false;
}

/* The synopsis of command name, with its continuation lines, into out; false when
 * cli.md has none. */
static bool synopsis_of(const struct doc *d, const char *name, struct sb *out)
{
	size_t at = d->nlines;
	for (size_t i = 0; i < d->nlines && at == d->nlines; i++) {
		if (!is_section_of(d->lines[i], name))
			continue;
		for (size_t j = i + 1; j < d->nlines && !starts_with(d->lines[j], "## "); j++) {
			const char *p = d->lines[j] + strspn(d->lines[j], " ");
			if (starts_with(p, "plumb ")) {
				at = j;
				break;
			}
		}
	}
	/* A command without a section of its own: its synopsis beside another's. */
	for (size_t i = 0; i < d->nlines && at == d->nlines; i++)
		if (starts_with(d->lines[i], "    ") && names_command(d->lines[i] + 4, name))
			at = i;
	if (at == d->nlines)
		return false;
	sb_reset(out);
	sb_puts(out, d->lines[at]);
	for (size_t j = at + 1; j < d->nlines && starts_with(d->lines[j], "        "); j++)
		sb_printf(out, " %s", d->lines[j]);
	return true;
}

static void every_command_has_a_synopsis_offering_its_outputs(void **state)
{
	(void)state;
	struct doc d;
	doc_load(&d);
	struct sb syn = SB_INIT;
	size_t n = 0;
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t c = 0; c < cli_groups[g]->ncommands; c++, n++) {
			const struct cli_command *cmd = &cli_groups[g]->commands[c];
			if (!synopsis_of(&d, cmd->name, &syn))
				fail_msg("%s does not document 'plumb %s'", CLI_MD, cmd->name);
			bool json = strstr(syn.buf, "--json") != NULL;
			bool csv = strstr(syn.buf, "--csv") != NULL;
			if (json != ((cmd->flags & CMD_JSON) != 0))
				fail_msg("%s: the synopsis of 'plumb %s' %s --json: %s", CLI_MD,
				         cmd->name, json ? "offers" : "lacks", syn.buf);
			if (csv != ((cmd->flags & CMD_CSV) != 0))
				fail_msg("%s: the synopsis of 'plumb %s' %s --csv: %s", CLI_MD,
				         cmd->name, csv ? "offers" : "lacks", syn.buf);
		}
	assert_true(n > 100);
	sb_release(&syn);
	doc_free(&d);
}

/* GitHub's anchor of a heading: lower case, punctuation dropped, spaces to dashes. */
static void anchor(const char *heading, struct sb *out)
{
	sb_reset(out);
	for (const char *p = heading; *p; p++) {
		char ch = *p;
		if (ch >= 'A' && ch <= 'Z')
			sb_putc(out, (char)(ch - 'A' + 'a'));
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		         ch == '_')
			sb_putc(out, ch);
		else if (ch == ' ')
			sb_putc(out, '-');
	}
}

static void contents_links_every_section(void **state)
{
	(void)state;
	struct doc d;
	doc_load(&d);
	size_t i = 0;
	while (i < d.nlines && strcmp(d.lines[i], "Contents:") != 0)
		i++;
	assert_true(i < d.nlines);
	/* The links in order, from "Contents:" to the first section. */
	struct sb links = SB_INIT, sections = SB_INIT, a = SB_INIT;
	for (; i < d.nlines && !starts_with(d.lines[i], "## "); i++)
		for (const char *p = d.lines[i]; (p = strstr(p, "](#"));) {
			const char *end = strchr(p + 3, ')');
			assert_non_null(end);
			sb_printf(&links, "%.*s\n", (int)(end - p - 3), p + 3);
			p = end;
		}
	for (; i < d.nlines; i++)
		if (starts_with(d.lines[i], "## ")) {
			anchor(d.lines[i] + 3, &a);
			sb_printf(&sections, "%s\n", a.buf);
		}
	if (strcmp(links.buf, sections.buf) != 0)
		fail_msg("%s's contents list is not its sections:\n--- links\n%s--- sections\n%s",
		         CLI_MD, links.buf, sections.buf);
	sb_release(&links);
	sb_release(&sections);
	sb_release(&a);
	doc_free(&d);
}

static void command_line_names_every_group(void **state)
{
	(void)state;
	struct doc d;
	doc_load(&d);
	struct sb section = SB_INIT, group = SB_INIT;
	bool in = false;
	for (size_t i = 0; i < d.nlines; i++) {
		if (starts_with(d.lines[i], "### "))
			in = strcmp(d.lines[i], "### Command line") == 0;
		if (in)
			sb_printf(&section, "%s ", d.lines[i]);
	}
	assert_true(section.len > 0);
	for (size_t g = 0; g < cli_ngroups; g++)
		for (size_t c = 0; c < cli_groups[g]->ncommands; c++) {
			const char *name = cli_groups[g]->commands[c].name;
			const char *space = strchr(name, ' ');
			if (!space || space[1] == '-') /* one word, or "sync --status" */
				continue;
			sb_reset(&group);
			sb_printf(&group, "`%.*s`", (int)(space - name), name);
			if (!strstr(section.buf, group.buf))
				fail_msg("%s's Command line section does not name the group %s",
				         CLI_MD, group.buf);
		}
	sb_release(&section);
	sb_release(&group);
	doc_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(every_command_has_a_synopsis_offering_its_outputs),
	        cmocka_unit_test(contents_links_every_section),
	        cmocka_unit_test(command_line_names_every_group),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
