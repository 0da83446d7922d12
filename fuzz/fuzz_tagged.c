/* fuzz_tagged.h: the tagged reader whole and in pieces, then the import */
#include "fuzz.h"
#include "fuzz_db.h"
#include "fuzz_tagged.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint64_t h; size_t nrec; } digest;

static void mix(digest *d, const void *p, size_t n)
{
	const unsigned char *s = p;

	while (n--)
		d->h = (d->h ^ *s++) * 1099511628211u;	/* FNV-1a */
}

static int on_record(void *payload, size_t line, size_t index, size_t ntags, const sra_import__tag *tags)
{
	digest *d = payload;
	size_t i;

	d->nrec++;
	mix(d, &line, sizeof(line));
	mix(d, &index, sizeof(index));
	for (i = 0; i < ntags; i++) {	/* every byte, for ASan too */
		mix(d, tags[i].name, strlen(tags[i].name) + 1);
		mix(d, &tags[i].line, sizeof(tags[i].line));
		mix(d, tags[i].value, strlen(tags[i].value) + 1);
	}
	return 0;
}

void fuzz_tagged(sra_import_format format, const char *file_name, const uint8_t *data, size_t size)
{
	sra_import_options opts = SRA_IMPORT_OPTIONS_INIT;
	sra_import_summary sum = SRA_IMPORT_SUMMARY_INIT;
	digest whole = { 14695981039346656037u, 0 }, pieces = whole;
	sra_import__tagged t;
	const char *review;
	sra_db *db = fuzz_db(&review);
	size_t off = 0, n;
	int rc_whole, rc_pieces = 0;

	(void)sra_import__tagged_detect((const char *)data, size);
	rc_whole = sra_import__tagged_parse(file_name, format, (const char *)data, size, on_record, &whole);
	sra_import__tagged_init(&t, file_name, format, on_record, &pieces);
	while (off < size && rc_pieces == 0) {
		n = 1 + (data[off] + off) % 8;
		if (n > size - off)
			n = size - off;
		rc_pieces = sra_import__tagged_feed(&t, (const char *)data + off, n);
		off += n;
	}
	if (rc_pieces == 0)
		rc_pieces = sra_import__tagged_finish(&t);
	sra_import__tagged_dispose(&t);
	if ((rc_whole < 0) != (rc_pieces < 0) || (rc_whole == 0 && (whole.h != pieces.h || whole.nrec != pieces.nrec))) {
		fprintf(stderr, "fuzz_tagged: whole %d (%zu records) and in pieces %d (%zu records) differ\n",
			rc_whole, whole.nrec, rc_pieces, pieces.nrec);
		abort();
	}
	opts.format = format;
	if (sra_import_records(&sum, db, review, fuzz_file(file_name, data, size), &opts) == 0)
		sra_import_summary_dispose(&sum);
}
