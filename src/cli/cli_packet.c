/* cli_packet: plumb packet, a promotion packet in Markdown or HTML. */
#include <string.h>
#include <unistd.h>

#include "base/fileio.h"
#include "base/ts.h"
#include "cli/cli.h"
#include "review/packet.h"

static int cmd_packet(struct cli_run *r)
{
	const char *format = cli_opt(r, "format") ? cli_opt(r, "format") : "md";
	if (strcmp(format, "md") != 0 && strcmp(format, "html") != 0)
		return err_set(&r->err, ERR_USAGE, "--format '%s': expected md or html", format);
	struct packet_request req = {cli_opt(r, "cycle"), cli_opt(r, "person"),
	                             cli_opt(r, "target-level"),
	                             strcmp(format, "html") == 0 ? PACKET_HTML : PACKET_MD};
	const char *output = cli_opt(r, "output");
	/* The file is made before the read: the read's audit entry, written when
	 * it ends, must not record a packet whose file could not be made. */
	int fd = -1;
	if (output && file_open_new(output, 0600, &fd, &r->err) < 0)
		return r->err.code;
	struct packet packet;
	int rc = packet_write(r->ctx, &req, &packet, &r->err);
	const char *text = packet.text;
	if (rc < 0 && output) {
		close(fd);
		unlink(output);
	}
	if (rc < 0)
		return rc;
	if (packet.left_on) {
		char day[TS_BUF];
		cli_warn("%s left on %s: a promotion packet for someone who has left", req.person,
		         ts_format_date(packet.left_on, day));
	}
	if (output) {
		rc = file_write_close(fd, output, text, strlen(text), &r->err);
		if (rc < 0)
			unlink(output);
		return rc;
	}
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kstr(&w, "format", format);
		jw_kstr(&w, "text", text);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fputs(text, r->out);
	return 0;
}

static const struct cli_opt packet_opts[] = {
        {"cycle", "C", OPT_VALUE | OPT_REQUIRED, "the cycle, by name or id"},
        {"person", "EMPLOYEE_ID", OPT_VALUE | OPT_REQUIRED, "the person proposed"},
        {"target-level", "L", OPT_VALUE | OPT_REQUIRED, "the level proposed (the framework's id)"},
        {"format", "md|html", OPT_VALUE, "Markdown (default) or a self-contained HTML page"},
        {"output", "FILE", OPT_VALUE, "write to FILE (a new file, mode 0600), not stdout"},
        {NULL, NULL, 0, NULL},
};

static const struct cli_command commands[] = {
        {"packet", OP_PACKET, "", 0, 0, CMD_JSON, packet_opts, cmd_packet,
         "write a promotion packet for a person in a cycle",
         "The target level's expectations beside the evidence for each competency, the three "
         "axes (and the composite beside them), feedback themes within the anonymity rules, "
         "the metrics cited with how each is computed, and the manager's case: readable by "
         "someone who does not know the person. The person's managers and people partners "
         "write packets; each is an audited read. Metrics must pass incentive-needs-signoff."},
};

const struct cli_group cli_group_packet = {"packet", commands,
                                           sizeof commands / sizeof commands[0]};
