/* Thread-local error state (see include/sra/error.h). */
#include "common.h"

#include <stdarg.h>
#include <stdio.h>

static _Thread_local struct {
	sra_error err;
	sra_buf msg;
	int set;
} tls;

int sra_error_set(int klass, int code, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = sra_error_vset(klass, code, fmt, ap);
	va_end(ap);
	return error;
}

int sra_error_vset(int klass, int code, const char *fmt, va_list ap)
{
	sra_buf msg = SRA_BUF_INIT;

	sra_buf_vprintf(&msg, fmt, ap);
	/* one line: a driver's message often ends in "\n" */
	while (msg.size && (msg.ptr[msg.size - 1] == '\n' || msg.ptr[msg.size - 1] == ' '))
		sra_buf_truncate(&msg, msg.size - 1);
	sra_buf_dispose(&tls.msg);
	tls.msg = msg;
	tls.err.message = sra_buf_cstr(&tls.msg);
	tls.err.klass = klass;
	tls.set = 1;
	return code;
}

void sra_error_prefix(const char *fmt, ...)
{
	sra_buf msg = SRA_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sra_buf_vprintf(&msg, fmt, ap);
	va_end(ap);
	if (tls.set) {
		sra_buf_puts(&msg, ": ");
		sra_buf_puts(&msg, sra_buf_cstr(&tls.msg));
	}
	sra_buf_dispose(&tls.msg);
	tls.msg = msg;
	tls.err.message = sra_buf_cstr(&tls.msg);
	tls.set = 1;
}

const sra_error *sra_error_last(void)
{
	return tls.set ? &tls.err : NULL;
}

void sra_error_clear(void)
{
	sra_buf_dispose(&tls.msg);
	tls.set = 0;
	tls.err.message = NULL;
	tls.err.klass = SRA_ERROR_NONE;
}

const char *sra_version(void)
{
	return SRA_VERSION;
}
