/*
 * What the files of the benchmark engine share (benchmark.c runs,
 * benchmark_show.c reading them back, export.c items and exports, demo.c):
 * small helpers over the backend, run lookup and number formatting.
 */
#ifndef SRA_LIB_BENCHMARK_INT_H
#define SRA_LIB_BENCHMARK_INT_H

#include "common.h"
#include "db_int.h"
#include "sra/benchmark.h"
#include "sra/metrics.h"

#include <jansson.h>

#include "util/uuid.h"

/*
 * A boolean cell as the backends give it ("t"/"f" from PostgreSQL, "1"/"0"
 * from SQLite): 1, 0, or -1 for NULL.
 */
int sra_bm__bool_cell(const char *cell);

/* append a double in the shortest form that reads back exactly */
void sra_bm__put_double(sra_buf *b, double v);

/* a numeric cell as a JSON number (real), or null for NULL / not a number */
json_t *sra_bm__num_json(const char *cell);

/* an integer cell as a JSON integer, or null */
json_t *sra_bm__int_json(const char *cell);

/* the dump flags of every JSON document sra writes */
#define SRA_BM_JSON_FLAGS (JSON_REAL_PRECISION(17) | JSON_PRESERVE_ORDER)

/*
 * Read a whole run row: columns in the order of SRA_BM_RUN_COLUMNS (the
 * run's full id first).  SRA_ENOTFOUND when `run` names none.
 */
#define SRA_BM_RUN_COLUMNS \
	"id, review_id, status, started_at, finished_at, uncertain_policy, n_items, n_unknown," \
	" n_uncertain, tp, fp, fn, tn, sensitivity, specificity, accuracy, ppv, npv, f1_score," \
	" mcc, cohen_kappa, pabak, lr_plus, lr_minus, config_details, metrics_detail, run_notes," \
	" created_at"
enum {
	BM_RUN_ID, BM_RUN_REVIEW, BM_RUN_STATUS, BM_RUN_STARTED, BM_RUN_FINISHED, BM_RUN_POLICY,
	BM_RUN_N_ITEMS, BM_RUN_N_UNKNOWN, BM_RUN_N_UNCERTAIN, BM_RUN_TP, BM_RUN_FP, BM_RUN_FN,
	BM_RUN_TN, BM_RUN_SENSITIVITY, BM_RUN_SPECIFICITY, BM_RUN_ACCURACY, BM_RUN_PPV,
	BM_RUN_NPV, BM_RUN_F1, BM_RUN_MCC, BM_RUN_KAPPA, BM_RUN_PABAK, BM_RUN_LR_PLUS,
	BM_RUN_LR_MINUS, BM_RUN_CONFIG, BM_RUN_DETAIL, BM_RUN_NOTES, BM_RUN_CREATED,
	BM_RUN_NCOLS
};
int sra_bm__load_run(sra_rows **out, sra_db *db, const char *run);

/* usage accounting (benchmark_usage.c) */
typedef void (*sra_bm_warn_fn)(void *payload, const char *message);

/* tokens of one call from response_metadata in the four shapes of the spec: 1 and *in, *out, or 0 */
int sra_bm__usage_tokens(int64_t *in, int64_t *out, const json_t *meta);

/* the same from the text of response_metadata (invalid JSON: 0) */
int sra_bm__usage_tokens_text(int64_t *in, int64_t *out, const char *text);

/* the nearest-rank percentile `pct` of n sorted values (-1 when n is 0) */
int64_t sra_bm__nearest_rank(const int64_t *sorted, size_t n, unsigned int pct);

/*
 * Usage in two steps, so that a run reads the calls before it writes its
 * items (the pages it reads are then still in the cache for the items):
 * sra_bm__usage_gather() reads the calls linked from the review's records
 * into *out (new; sra_bm__usage_free() frees it, NULL is harmless), and
 * sra_bm__usage_json() makes the run's "usage" object from them:
 * {"reviewers": {...}, "total": U}.  `prices` (borrowed) may be NULL (costs
 * null); a model without a price makes the cost null and is named through
 * `warn` (may be NULL).  The object is new (the caller decrefs it); it sorts
 * `usage`'s latencies and models in place.
 */
typedef struct sra_bm_usage sra_bm_usage;
int sra_bm__usage_gather(sra_bm_usage **out, sra_db *db, const char *review_id);
json_t *sra_bm__usage_json(sra_bm_usage *usage, const json_t *prices, int64_t records, int64_t included,
			   sra_bm_warn_fn warn, void *warn_payload);
void sra_bm__usage_free(sra_bm_usage *usage);

/* the typed metric columns, in the order of BM_RUN_SENSITIVITY … BM_RUN_LR_MINUS */
extern const char *const sra_bm__typed_metrics[11];

/* write through a sra_benchmark_write_fn, keeping the first failure */
typedef struct sra_bm_out {
	sra_benchmark_write_fn write;
	void *payload;
	sra_buf buf;	/* pending bytes, flushed when large */
	int error;
} sra_bm_out;

void sra_bm__out_put(sra_bm_out *o, const char *s, size_t len);
void sra_bm__out_puts(sra_bm_out *o, const char *s);
int sra_bm__out_flush(sra_bm_out *o);
void sra_bm__out_dispose(sra_bm_out *o);

/* the items of a run as RIS records (export_ris.c) */
int sra_bm__export_ris(sra_db *db, const char *run, sra_bm_out *o);

/* a JSON cell parsed (a string when it is not JSON; null for NULL); new reference */
json_t *sra_bm__parse_json_cell(const char *cell);

/*
 * The objects in j rebuilt with their keys in jsonb's order (shorter first,
 * then bytewise), so a jsonb column prints the same from SQLite as from
 * PostgreSQL.  Takes j; returns the new value.
 */
json_t *sra_bm__jsonb_order(json_t *j);

/* the final 2x2 table of a run row: metrics_detail, else the typed columns; 0 when none */
int sra_bm__final_counts(sra_confusion *c, const sra_rows *run, const json_t *detail);

/*
 * Write the file `path` (src/lib/output.c): `produce` streams its content
 * through the write function it is given.  A regular file is written to a
 * temporary file next to it and renamed over it, keeping its permissions;
 * on any failure it is untouched and the temporary file removed.  A FIFO,
 * a device or /dev/stdout is written through, never replaced.  Returns
 * produce's error, or -1 (SRA_ERROR_OS) with the system's message.
 */
typedef int (*sra_bm_produce_fn)(void *ctx, sra_benchmark_write_fn write, void *payload);
int sra_bm__write_file(const char *path, sra_bm_produce_fn produce, void *ctx);

/*
 * Remove the files of dir named ".BASE.sra-tmp.PID" or ".BASE.sra-tmp.PID.ANY"
 * whose process PID is gone: what a killed run left behind (output.c).
 */
void sra_bm__clean_stale_temps(const char *dir, const char *base);

/*
 * A CSV text field, quoted when it holds a comma, a quote, CR or LF (RFC
 * 4180); unless raw, a leading "'" when it starts like a formula
 * (sra_bm__csv_formula_like).  Every text cell of every CSV sra writes goes
 * through here.  NULL writes nothing (an empty field).
 */
void sra_bm__put_csv_field(sra_buf *b, const char *s, int raw);

/* 1 when s starts with '=', '+', '-', '@', a tab or a CR (benchmark.md) */
int sra_bm__csv_formula_like(const char *s);

/*
 * One worksheet of an XLSX export (export_xlsx.c; libxlsxwriter loaded on
 * first use).  open makes the workbook in a temporary file; string and
 * number set a cell (row 0 is the header; `column` and `item` name the
 * cell in the error when text is too long, may be NULL); finish writes the
 * workbook through `o` and frees the sheet whatever happens; free (NULL is
 * fine) drops an unfinished one and its temporary file.
 */
typedef struct sra_bm_sheet sra_bm_sheet;
int sra_bm__sheet_open(sra_bm_sheet **out, const char *name);
int sra_bm__sheet_string(sra_bm_sheet *sh, uint32_t row, uint16_t col, const char *s, const char *column,
			 const char *item);
int sra_bm__sheet_number(sra_bm_sheet *sh, uint32_t row, uint16_t col, double v);
int sra_bm__sheet_finish(sra_bm_sheet *sh, sra_bm_out *o);
void sra_bm__sheet_free(sra_bm_sheet *sh);

#endif
