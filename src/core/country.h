/*
 * country: the ISO 3166-1 alpha-2 country codes, one table for every input
 * that names a country (the org file's country column, the policy's
 * per-country overrides), so the two cannot accept different codes.
 */
#ifndef PLUMB_COUNTRY_H
#define PLUMB_COUNTRY_H

#include <stdbool.h>

/* Whether code is an assigned ISO 3166-1 alpha-2 code: two upper-case
 * letters (de or DEU are not).  Reads a constant table: thread-safe. */
bool country_valid(const char *code);

#endif
