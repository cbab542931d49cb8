/* cli_framework: the career framework file: import, show, diff, export. */
#include <stdlib.h>

#include "base/fileio.h"
#include "base/jw.h"
#include "base/sb.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "review/framework.h"

#define FRAMEWORK_FILE_MAX (1 << 20)

static int cmd_import(struct cli_run *r)
{
	char *data = NULL;
	size_t len = 0;
	struct framework_import_result res;
	int rc = file_read(r->pos[0], FRAMEWORK_FILE_MAX, &data, &len, &r->err);
	if (rc == 0)
		rc = framework_import(r->ctx, r->pos[0], data, len, &res, &r->err);
	free(data);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "version", res.version);
		jw_kbool(&w, "unchanged", !res.created);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	if (res.created)
		fprintf(r->out, "framework version %d imported\n", res.version);
	else
		fprintf(r->out, "framework unchanged: the file is version %d\n", res.version);
	return 0;
}

static const char *weights_text(struct sb *s, const struct fw_profile *p, enum fw_axis a)
{
	sb_reset(s);
	for (size_t i = 0; i < p->nweights[a]; i++)
		sb_printf(s, "%s%s %g%s", i ? ", " : "", p->weights[a][i].dimension,
		          p->weights[a][i].weight, p->weights[a][i].is_metric ? " (metric)" : "");
	return s->buf;
}

static void print_framework(FILE *o, const struct framework *fw)
{
	struct sb s = SB_INIT;
	char when[TS_BUF];
	fprintf(o, "framework version %d: %s\n", fw->version, fw->name);
	fprintf(o, "imported %s by %s, sha256 %s\n", ts_format(fw->imported_at, when),
	        fw->imported_by, fw->sha256);
	if (*fw->description)
		fprintf(o, "%s\n", fw->description);
	fprintf(o, "\ntracks and levels:\n");
	for (size_t t = 0; t < fw->ntracks; t++) {
		fprintf(o, "  %s (%s):", fw->tracks[t].id, fw->tracks[t].name);
		for (size_t l = 0; l < fw->tracks[t].nlevels; l++)
			fprintf(o, "%s %s %s", l ? "," : "", fw->tracks[t].levels[l].id,
			        fw->tracks[t].levels[l].name);
		fprintf(o, "\n");
	}
	fprintf(o, "\ncompetencies (an expectation for each level: --json shows them):\n");
	for (size_t i = 0; i < fw->ncompetencies; i++)
		fprintf(o, "  %-24s %s, scale %s\n", fw->competencies[i].id,
		        fw->competencies[i].name, fw->competencies[i].scale->id);
	fprintf(o, "\nscales:\n");
	for (size_t i = 0; i < fw->nscales; i++) {
		const struct fw_scale *sc = &fw->scales[i];
		fprintf(o, "  %s:", sc->id);
		for (size_t j = 0; j < sc->npoints; j++)
			fprintf(o, "%s %d %s%s", j ? "," : "", sc->points[j].value,
			        sc->points[j].label,
			        sc->points[j].value == sc->meets ? " (meets)" : "");
		fprintf(o, "\n");
	}
	fprintf(o, "\naxes: each scored on its own, never mixed into one number\n");
	for (int a = 0; a < FW_AXIS_COUNT; a++)
		fprintf(o, "  %-12s %s\n", fw_axis_name((enum fw_axis)a), fw->axes[a].description);
	fprintf(o, "\nrole profiles (weights per axis; no weight above %g):\n", fw->cap);
	for (size_t i = 0; i < fw->nprofiles; i++) {
		const struct fw_profile *p = &fw->profiles[i];
		fprintf(o, "  %s (%s, track %s)\n", p->id, p->name, p->track);
		for (int a = 0; a < FW_AXIS_COUNT; a++)
			fprintf(o, "    %-12s %s\n", fw_axis_name((enum fw_axis)a),
			        weights_text(&s, p, (enum fw_axis)a));
		if (p->has_composite)
			fprintf(o,
			        "    composite    performance %g, impact %g, potential %g "
			        "(shown beside the axes)\n",
			        p->composite[FW_AXIS_PERFORMANCE], p->composite[FW_AXIS_IMPACT],
			        p->composite[FW_AXIS_POTENTIAL]);
	}
	if (fw->nmetrics) {
		fprintf(o, "\nmetrics allowed as evidence:\n");
		for (size_t i = 0; i < fw->nmetrics; i++)
			fprintf(o, "  %-24s at most %g of an axis\n", fw->metrics[i].key,
			        fw->metrics[i].max_weight);
	}
	fprintf(o, "\nanonymity: groups of fewer than %d responses are withheld\n",
	        fw->anonymity_threshold);
	fprintf(o, "peers: %d to %d per reviewee; at most %d assignments per reviewer\n",
	        fw->peers_min, fw->peers_max, fw->reviewer_cap);
	fprintf(o, "questions: %zu; check-ins %s ratings\n", fw->nquestions,
	        fw->checkin_ratings ? "collect" : "collect no");
	sb_release(&s);
}

static int cmd_show(struct cli_run *r)
{
	int version;
	int rc = cli_opt_version(r, &version);
	const struct framework *fw = NULL;
	if (rc == 0)
		rc = framework_show(r->ctx, version, &fw, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		framework_json(&w, fw);
		cli_json_end(r, &buf);
		return 0;
	}
	print_framework(r->out, fw);
	return 0;
}

static int cmd_diff(struct cli_run *r)
{
	int a = 0, b = 0;
	int rc = cli_parse_version(r, r->pos[0], "framework", &a);
	if (rc == 0)
		rc = cli_parse_version(r, r->pos[1], "framework", &b);
	const char **lines = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = framework_diff(r->ctx, a, b, &lines, &n, &r->err);
	if (rc < 0)
		return rc;
	cli_print_changes(r, a, b, lines, n, "framework");
	return 0;
}

static int cmd_export(struct cli_run *r)
{
	int version;
	int rc = cli_opt_version(r, &version);
	const char *text = NULL;
	if (rc == 0)
		rc = framework_export(r->ctx, version, &text, &r->err);
	if (rc < 0)
		return rc;
	cli_print_yaml(r, text);
	return 0;
}

static const struct cli_opt version_opts[] = {
        {"version", "N", OPT_VALUE, "this version instead of the newest"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"framework import", OP_FRAMEWORK_IMPORT, "FILE", 1, 1, CMD_JSON, NULL, cmd_import,
         "import a career framework (YAML) as a new version",
         "The file holds tracks and levels, competencies with an expectation per level, "
         "rating scales, the three axes, role profiles with weights, the metrics allowed as "
         "evidence, anonymity thresholds and the questions feedback asks; docs/review.md "
         "describes every field and examples/framework.yaml is a complete one. Each weight "
         "list sums to 1, no weight is above the cap, every level has an expectation for "
         "every competency, and evidence metrics must exist and allow the individual "
         "scope. Importing the same text again changes nothing. Admins and people partners "
         "import frameworks."},
        {"framework show", OP_FRAMEWORK_SHOW, "", 0, 0, CMD_JSON, version_opts, cmd_show,
         "show the newest career framework (or --version N)",
         "Everyone may read the framework they are evaluated on."},
        {"framework diff", OP_FRAMEWORK_DIFF, "A B", 2, 2, CMD_JSON, NULL, cmd_diff,
         "say what changed from framework version A to version B", NULL},
        {"framework export", OP_FRAMEWORK_EXPORT, "", 0, 0, CMD_JSON, version_opts, cmd_export,
         "write a framework version back as the YAML it was imported from",
         "The text is returned byte for byte as it was imported, comments included."},
};

const struct cli_group cli_group_framework = {"framework", commands,
                                              sizeof commands / sizeof commands[0]};
