/* cli_key: the keys kept outside the database (plumb key rotate). */
#include "cli/cli.h"
#include "core/keys.h"

static int cmd_key_rotate(struct cli_run *r)
{
	struct key_rotate_result res;
	int rc = key_rotate(r->ctx, &res, &r->err);
	if (rc < 0)
		return rc;
	if (r->global->json) {
		struct sb buf;
		struct jw w;
		cli_json_begin(r, &buf, &w);
		jw_object_begin(&w);
		jw_kint(&w, "generation", res.generation);
		jw_kstr(&w, "path", res.path);
		jw_object_end(&w);
		cli_json_end(r, &buf);
		return 0;
	}
	fprintf(r->out, "pseudonym key rotated: generation %d in %s\n", res.generation, res.path);
	fprintf(r->out,
	        "analysts now see new pseudonyms; keep the new key file with your backups\n");
	return 0;
}

static const struct cli_command key_commands[] = {
        {"key rotate", OP_KEY_ROTATE, "", 0, 0, CMD_JSON, NULL, cmd_key_rotate,
         "rotate the pseudonym key: analysts see new pseudonyms from now on",
         "Appends a new key to the pseudonym key ring (the file beside the audit key, or "
         "$PLUMB_PSEUDONYM_KEY) and records the rotation, with the key's generation and never "
         "the key, in the audit log.  Accounts held pseudonymized earlier are still found "
         "under the generation they were made with."},
};

const struct cli_group cli_group_key = {"key", key_commands,
                                        sizeof key_commands / sizeof key_commands[0]};
