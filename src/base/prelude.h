/*
 * prelude: force-included into every plumb translation unit by the build.
 * It pulls in the C library headers that declare the banned functions first,
 * so banned.h can then poison those names everywhere (as git's
 * git-compat-util.h does).
 */
#ifndef PLUMB_PRELUDE_H
#define PLUMB_PRELUDE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/banned.h"

#endif
