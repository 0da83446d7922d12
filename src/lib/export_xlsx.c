/*
 * Exports as an Excel workbook (sra_bm_sheet, benchmark_int.h): one sheet
 * written with libxlsxwriter in its constant-memory mode (each row goes to
 * a temporary file as it is written, so a large run needs no more memory
 * than a small one), then streamed through the export's write function, so
 * that `-o FILE` goes through the one output path (output.c).
 *
 * libxlsxwriter links libminizip and libcrypto: like libzip (zip_dl.h) it
 * is loaded with dlopen() the first time a workbook is written, so no other
 * command pays for it.  Cells are typed: text is written as a string (a
 * spreadsheet never reads a string cell as a formula, so no "'" prefix is
 * needed), numbers as numbers.  A cell holds at most 32,767 characters and a
 * sheet 1,048,576 rows (Excel's limits): beyond either the export fails
 * naming the item and column, rather than cutting text.
 */
#include "common.h"
#include "benchmark_int.h"
#include "dl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <xlsxwriter.h>

typedef struct xl_api {
	lxw_workbook *(*workbook_new_opt)(const char *, lxw_workbook_options *);
	lxw_worksheet *(*workbook_add_worksheet)(lxw_workbook *, const char *);
	lxw_error (*worksheet_write_string)(lxw_worksheet *, lxw_row_t, lxw_col_t, const char *, lxw_format *);
	lxw_error (*worksheet_write_number)(lxw_worksheet *, lxw_row_t, lxw_col_t, double, lxw_format *);
	lxw_error (*workbook_close)(lxw_workbook *);
	void (*workbook_free)(lxw_workbook *);
	char *(*strerror)(lxw_error);
} xl_api;

static xl_api xl;

static int loaded;

static int load(void)
{
	static const sra__dl_sym syms[] = {
		{ "workbook_new_opt", offsetof(xl_api, workbook_new_opt) },
		{ "workbook_add_worksheet", offsetof(xl_api, workbook_add_worksheet) },
		{ "worksheet_write_string", offsetof(xl_api, worksheet_write_string) },
		{ "worksheet_write_number", offsetof(xl_api, worksheet_write_number) },
		{ "workbook_close", offsetof(xl_api, workbook_close) },
		{ "lxw_workbook_free", offsetof(xl_api, workbook_free) },
		{ "lxw_strerror", offsetof(xl_api, strerror) },
	};

	return sra__dl_load(&loaded, &xl, "libxlsxwriter.so.4", "write XLSX files", "libxlsxwriter4",
			    SRA_ERROR_BENCHMARK, syms, SRA_ARRAY_SIZE(syms));
}

struct sra_bm_sheet {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char *path;	/* the temporary workbook */
};

void sra_bm__sheet_free(sra_bm_sheet *sh)
{
	if (!sh)
		return;
	if (sh->wb)
		xl.workbook_free(sh->wb);
	if (sh->path) {
		unlink(sh->path);
		free(sh->path);
	}
	free(sh);
}

int sra_bm__sheet_open(sra_bm_sheet **out, const char *name)
{
	lxw_workbook_options wo = { LXW_TRUE, NULL, LXW_FALSE };
	const char *dir = getenv("TMPDIR");
	sra_bm_sheet *sh;
	int fd, error;

	*out = NULL;
	if ((error = load()) < 0)
		return error;
	sh = sra__calloc(1, sizeof(*sh));
	/* libxlsxwriter 1.1.4 writes only to a named file: named so a later run removes it after a kill */
	dir = dir && *dir ? dir : "/tmp";
	sra_bm__clean_stale_temps(dir, "sra-xlsx");
	sh->path = sra__sprintf("%s/.sra-xlsx.sra-tmp.%ld.XXXXXX", dir, (long)getpid());
	if ((fd = mkstemp(sh->path)) < 0) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot create a temporary file for the workbook: %s",
				      strerror(errno));
		free(sh->path);
		sh->path = NULL;
		goto fail;
	}
	close(fd);
	if (!(sh->wb = xl.workbook_new_opt(sh->path, &wo)) || !(sh->ws = xl.workbook_add_worksheet(sh->wb, name))) {
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot start a workbook");
		goto fail;
	}
	*out = sh;
	return 0;
fail:
	sra_bm__sheet_free(sh);
	return error;
}

static int cell_error(lxw_error e, uint32_t row, uint16_t col, const char *column, const char *item)
{
	if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EINVALID,
				     "item %s: %s is longer than a spreadsheet cell holds (32767 characters); "
				     "export it as CSV or JSON", item ? item : "?", column ? column : "a cell");
	if (e == LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE)
		return sra_error_set(SRA_ERROR_BENCHMARK, SRA_EINVALID,
				     "more rows than a spreadsheet holds (1048576); export it as CSV or JSON");
	return sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot write cell %u,%u of the workbook: %s",
			     (unsigned)row + 1, (unsigned)col + 1, xl.strerror(e));
}

int sra_bm__sheet_string(sra_bm_sheet *sh, uint32_t row, uint16_t col, const char *s, const char *column,
			 const char *item)
{
	lxw_error e = xl.worksheet_write_string(sh->ws, row, col, s, NULL);

	return e == LXW_NO_ERROR ? 0 : cell_error(e, row, col, column, item);
}

int sra_bm__sheet_number(sra_bm_sheet *sh, uint32_t row, uint16_t col, double v)
{
	lxw_error e = xl.worksheet_write_number(sh->ws, row, col, v, NULL);

	return e == LXW_NO_ERROR ? 0 : cell_error(e, row, col, NULL, NULL);
}

int sra_bm__sheet_finish(sra_bm_sheet *sh, sra_bm_out *o)
{
	lxw_error e = xl.workbook_close(sh->wb);	/* frees the workbook */
	char chunk[64 * 1024];
	int error = 0;
	FILE *f;

	sh->wb = NULL;
	if (e != LXW_NO_ERROR) {
		error = sra_error_set(SRA_ERROR_BENCHMARK, SRA_ERROR, "cannot write the workbook: %s",
				      xl.strerror(e));
		goto done;
	}
	if (!(f = fopen(sh->path, "rb"))) {
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read the workbook back: %s", strerror(errno));
		goto done;
	}
	for (;;) {
		size_t n = fread(chunk, 1, sizeof(chunk), f);

		if (n)
			sra_bm__out_put(o, chunk, n);
		if (n < sizeof(chunk) || o->error)
			break;
	}
	if (ferror(f))
		error = sra_error_set(SRA_ERROR_OS, SRA_ERROR, "cannot read the workbook back: %s", strerror(errno));
	fclose(f);
	if (error == 0)
		error = o->error;
done:
	sra_bm__sheet_free(sh);
	return error;
}
