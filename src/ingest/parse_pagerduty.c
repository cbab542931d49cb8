/* pagerduty formats: not written yet. */
#include "ingest/parse.h"

const struct parse_format parse_pagerduty_formats[] = {{0}};
