/* Loading a shared library on first use (see dl.h). */
#include "dl.h"

#include <dlfcn.h>

int sra__dl_load(int *loaded, void *api, const char *soname, const char *purpose, const char *package,
		 int klass, const sra__dl_sym *syms, size_t nsyms)
{
	void *lib;
	size_t i;

	if (*loaded)
		return 0;
	if (!(lib = dlopen(soname, RTLD_NOW | RTLD_LOCAL)))
		return sra_error_set(klass, SRA_EBACKEND, "cannot load %s to %s (apt-get install %s): %s",
				     soname, purpose, package, dlerror());
	for (i = 0; i < nsyms; i++) {
		void *fn = dlsym(lib, syms[i].name);

		if (!fn)
			return sra_error_set(klass, SRA_EBACKEND, "%s has no %s", soname, syms[i].name);
		/* POSIX guarantees that object and function pointers convert */
		memcpy((char *)api + syms[i].offset, &fn, sizeof(fn));
	}
	*loaded = 1;
	return 0;
}
