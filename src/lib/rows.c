/* sra_rows: a fully fetched result set, filled by the backends. */
#include "common.h"
#include "sra/sys/backend.h"

sra_rows *sra_rows__new(size_t ncols)
{
	sra_rows *rows = sra__calloc(1, sizeof(*rows));

	rows->ncols = ncols;
	rows->names = sra__calloc(ncols ? ncols : 1, sizeof(char *));
	return rows;
}

void sra_rows__append(sra_rows *rows, const char *const *cells, const size_t *lens)
{
	size_t base = rows->nrows * rows->ncols, i;

	/* grow by doubling: capacity is the next power of two of the row count */
	if ((rows->nrows & (rows->nrows - 1)) == 0) {
		size_t cap = rows->nrows ? rows->nrows * 2 : 1;
		rows->cells = sra__realloc(rows->cells, cap * (rows->ncols ? rows->ncols : 1) * sizeof(char *));
	}
	for (i = 0; i < rows->ncols; i++)
		rows->cells[base + i] = cells[i]
			? (lens ? sra__strndup(cells[i], lens[i]) : sra__strdup(cells[i]))
			: NULL;
	rows->nrows++;
}

const char *sra_rows_get(const sra_rows *rows, size_t row, size_t col)
{
	if (!rows || row >= rows->nrows || col >= rows->ncols)
		return NULL;
	return rows->cells[row * rows->ncols + col];
}

void sra_rows_free(sra_rows *rows)
{
	size_t i;

	if (!rows)
		return;
	for (i = 0; i < rows->nrows * rows->ncols; i++)
		free(rows->cells[i]);
	for (i = 0; i < rows->ncols; i++)
		free(rows->names[i]);
	free(rows->cells);
	free(rows->names);
	free(rows);
}
