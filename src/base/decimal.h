/*
 * decimal: a number as people write one in a file, a form or on a command
 * line: an optional '-', digits with an optional fraction, and an optional
 * exponent (2.5, -1, 1e2, 4.0E-3, as spreadsheets and R write them).  Not
 * the rest of what strtod takes, which a person writing a score did not
 * mean: spaces, '+', hex ("0x10", "0x1p4"), inf, nan, or a bare ".5" or
 * "5.".  Pure; thread-safe.
 */
#ifndef PLUMB_DECIMAL_H
#define PLUMB_DECIMAL_H

#include <stdbool.h>

/* The number s writes into *out; false (and *out untouched) when s is not
 * one as above or is out of a double's range. */
bool decimal_parse(const char *s, double *out);

#endif
