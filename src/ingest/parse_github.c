/* github formats: not written yet. */
#include "ingest/parse.h"

const struct parse_format parse_github_formats[] = {{0}};
