/*
 * What the fuzz targets share (fuzz/README.md).
 *
 * Each target defines LLVMFuzzerTestOneInput.  Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer binary (`make fuzz`); built with any
 * compiler and replay_main.c's main() it runs the files named on its command line
 * once each (the `fuzz_replay_*` tests of `make test`).
 *
 * The readers that take a path get the input through a file in a private
 * temporary directory that this process makes once and removes at exit.
 */
#ifndef SRA_FUZZ_H
#define SRA_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the process's temporary directory (made on first use, removed at exit) */
const char *fuzz_dir(void);
/* write data to fuzz_dir()/name; returns the path (static storage) or aborts */
const char *fuzz_file(const char *name, const uint8_t *data, size_t size);
/* data as a NUL-terminated heap string; the caller frees */
char *fuzz_cstr(const uint8_t *data, size_t size);

#endif
