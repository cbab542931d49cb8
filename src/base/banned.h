/*
 * banned: functions plumb does not use.  Force-included through prelude.h
 * into every plumb source file, so a use is a compile error.  Use sb_* for
 * strings, snprintf for fixed buffers, and strtoll with checks for numbers.
 */
#ifndef PLUMB_BANNED_H
#define PLUMB_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_plumb

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef gets
#define gets(x) BANNED(gets)

#endif
