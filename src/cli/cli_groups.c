/* cli_groups: the list of command groups, read by the dispatcher, help and tests, and
 * the commands whose help lists another table's rows. */
#include "cli/cli.h"

const struct cli_group *const cli_groups[] = {
        &cli_group_db,           &cli_group_org,       &cli_group_user,      &cli_group_token,
        &cli_group_source,       &cli_group_ingest,    &cli_group_webhook,   &cli_group_metrics,
        &cli_group_measure,      &cli_group_slo,       &cli_group_dashboard, &cli_group_audit,
        &cli_group_serve,        &cli_group_policy,    &cli_group_aup,       &cli_group_mechanism,
        &cli_group_consent,      &cli_group_retention, &cli_group_hold,      &cli_group_key,
        &cli_group_demographics, &cli_group_signoff,   &cli_group_me,        &cli_group_framework,
        &cli_group_cycle,        &cli_group_calendar,  &cli_group_notify,    &cli_group_evaluation,
        &cli_group_score,        &cli_group_feedback,  &cli_group_packet,    &cli_group_calsession,
        &cli_group_calibrate,
};
const size_t cli_ngroups = sizeof cli_groups / sizeof cli_groups[0];

const struct cli_help_more cli_help_more[] = {
        {"ingest", cli_ingest_formats_help},
};
const size_t cli_nhelp_more = sizeof cli_help_more / sizeof cli_help_more[0];
