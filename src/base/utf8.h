/*
 * utf8: validation of UTF-8 text (RFC 3629): no overlong forms, no
 * surrogates, nothing above U+10FFFF.  Text that reaches --json output must
 * pass, or the output would not be JSON.  Pure; thread-safe.
 */
#ifndef PLUMB_UTF8_H
#define PLUMB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t len);

#endif
