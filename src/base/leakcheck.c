#include "base/leakcheck.h"

#if defined(__SANITIZE_ADDRESS__)
#include <link.h>
#include <sanitizer/lsan_interface.h>
#include <stdlib.h>
#include <string.h>

/* Read by the runtime before main; LSAN_OPTIONS in the environment still overrides it. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
	return "use_globals=0";
}

/* UBSan's checks trap (the Makefile's -fsanitize-undefined-trap-on-error): ASan then reports
 * the SIGILL with a stack, as for any crash. ASAN_OPTIONS still overrides it. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "handle_sigill=1";
}

static int register_module(struct dl_phdr_info *info, size_t size, void *unused)
{
	(void)size;
	(void)unused;
	if (info->dlpi_name && strstr(info->dlpi_name, "libasan.so"))
		return 0;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_W) && ph->p_memsz > 0)
			__lsan_register_root_region((void *)(info->dlpi_addr + ph->p_vaddr),
			                            ph->p_memsz);
	}
	return 0;
}

/* At exit, so that the libraries loaded on first use (base/dynlib.h) are among them. */
static void register_roots(void)
{
	dl_iterate_phdr(register_module, NULL);
}

void leakcheck_init(void)
{
	atexit(register_roots);
}
#else
void leakcheck_init(void)
{
}
#endif
