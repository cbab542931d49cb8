/*
 * leakcheck: LeakSanitizer's roots in the ASan build, less the sanitizer's own data.
 *
 * At exit LeakSanitizer scans every loaded module's writable data for pointers into the
 * heap. The largest of those regions is the ASan runtime's own: 5.6 MB of libasan.so's
 * zeroed data, mostly never touched, where each untouched page costs a page fault when
 * read (about 1,400 a command; on the VMs the suite runs on, most of the leak check's
 * time: docs/PERFORMANCE.md, "The test suite"). The runtime holds no pointer of the
 * program's. So the ASan build turns LeakSanitizer's scan of globals off (use_globals=0)
 * and, at exit, registers every other module's writable segments as root regions: the
 * same roots, less the runtime's. In other builds leakcheck_init does nothing.
 *
 * The ASan build's UBSan checks trap rather than print (Makefile), so the module also sets
 * ASan's handle_sigill: a trap is then reported with the file and line it happened at.
 */
#ifndef PLUMB_LEAKCHECK_H
#define PLUMB_LEAKCHECK_H

/* Call once, early in main: the roots are registered by an atexit handler, which runs
 * before the leak check (registered before main, it runs last). */
void leakcheck_init(void);

#endif
