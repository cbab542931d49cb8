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
/* The characters (code points) of len bytes into *chars; false, *chars
 * untouched, when they are not UTF-8. */
bool utf8_count(const char *s, size_t len, size_t *chars);
/* The length of the well-formed sequence s starts with (1 for ASCII), within
 * avail bytes; 0 when it starts none. */
size_t utf8_seq_len(const char *s, size_t avail);
/* Whether a (alen bytes) and b (blen bytes) are the same text ignoring
 * case: ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic capitals are
 * folded to their small letters one for one ("TERMINÉ" is "Terminé",
 * "ГОТОВО" is "Готово"; final sigma is sigma), as people retype names a
 * system prints in capitals.  No full Unicode case folding (no "ß" for
 * "SS"); bytes of no UTF-8 sequence compare as they are. */
bool utf8_equal_fold(const char *a, size_t alen, const char *b, size_t blen);
/* The length of the control character s starts with: 1 for a C0 control
 * (tabs and newlines included) or DEL, 2 for a C1 control (U+0080 to U+009F,
 * NEL among them); 0 for anything else.  s is NUL-terminated. */
size_t utf8_control_len(const char *s);
/* The length of the blank s starts with: a space character or one that
 * shows nothing (a zero-width space, U+FEFF); 0 for anything else.  s is
 * NUL-terminated. */
size_t utf8_blank_len(const char *s);
/* Whether s starts or ends with such a blank, which listings do not show. */
bool utf8_blank_at_an_end(const char *s);
/* The span [*start, *end) of s without such blanks, tabs and line breaks
 * around it (*start == *end when nothing else is left). */
void utf8_trim_blanks(const char *s, size_t *start, size_t *end);
/* s onto out with each control character, and each byte that starts no UTF-8
 * character, as '?' (tabs and line breaks kept when lines), so text from
 * outside cannot move a terminal's cursor or add lines to output. */
struct sb;
void utf8_put_visible(struct sb *out, const char *s, bool lines);
/* len bytes of s onto out with each byte of no well-formed sequence as
 * U+FFFD, so what reaches a database or a JSON document is text. */
void utf8_put_replaced(struct sb *out, const char *s, size_t len);

#endif
