/* deploy formats: not written yet. */
#include "ingest/parse.h"

const struct parse_format parse_deploy_formats[] = {{0}};
