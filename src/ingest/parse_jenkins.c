/* jenkins formats: not written yet. */
#include "ingest/parse.h"

const struct parse_format parse_jenkins_formats[] = {{0}};
