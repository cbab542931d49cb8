/* jira formats: not written yet. */
#include "ingest/parse.h"

const struct parse_format parse_jira_formats[] = {{0}};
