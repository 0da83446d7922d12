/*
 * UUIDs made in C (SQLite has no generator): version 4 (random) and
 * version 7 (RFC 9562: a millisecond Unix timestamp, then random bits).
 *
 * Version 7 is for rows made in bulk: ids that grow with time land at the
 * right-hand end of a primary-key B-tree instead of on a random page, which
 * is what keeps a large import's index inserts in the page cache.  Within one
 * millisecond the 12 bits after the version are a counter (RFC 9562 6.2,
 * method 1), so the ids one process makes are strictly increasing.
 *
 * Random bytes come from getrandom(2), read 4 KiB at a time.  The buffer and
 * the counter are per thread, like libsra's error state.
 */
#define _DEFAULT_SOURCE
#include "util/uuid.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

static _Thread_local unsigned char pool[4096];
static _Thread_local size_t pool_left;

static void random_bytes(unsigned char *out, size_t n)
{
	while (n > 0) {
		size_t take;

		if (pool_left == 0) {
			size_t got = 0;

			while (got < sizeof(pool)) {
				ssize_t r = getrandom(pool + got, sizeof(pool) - got, 0);
				if (r <= 0) {
					fprintf(stderr, "sra: getrandom failed\n");
					abort();
				}
				got += (size_t)r;
			}
			pool_left = sizeof(pool);
		}
		take = n < pool_left ? n : pool_left;
		memcpy(out, pool + sizeof(pool) - pool_left, take);
		pool_left -= take;
		out += take;
		n -= take;
	}
}

static void format(char out[37], const unsigned char b[16])
{
	static const char hex[] = "0123456789abcdef";
	size_t i, o = 0;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0f];
	}
	out[o] = '\0';
}

void sra__uuid_v4(char out[37])
{
	unsigned char b[16];

	random_bytes(b, sizeof(b));
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);	/* version 4 */
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 9562 variant */
	format(out, b);
}

void sra__uuid_v7(char out[37])
{
	static _Thread_local uint64_t last_ms;
	static _Thread_local unsigned counter;	/* 12 bits */
	unsigned char b[16];
	struct timespec ts;
	uint64_t ms;
	int i;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	random_bytes(b + 6, 10);
	if (ms > last_ms) {
		last_ms = ms;
		counter = ((unsigned)b[6] << 8 | b[7]) & 0x3ff;	/* a random start, room to count */
	} else if (++counter > 0xfff) {
		last_ms++;	/* the counter is spent: borrow the next millisecond */
		counter = 0;
	}
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(last_ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (counter >> 8));	/* version 7 */
	b[7] = (unsigned char)(counter & 0xff);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);	/* RFC 9562 variant */
	format(out, b);
}

int sra__uuid_valid(const char *s)
{
	size_t i;

	if (!s || strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i])) {
			return 0;
		}
	}
	return 1;
}

int sra__uuid_norm(char out[37], const char *s)
{
	size_t i;

	if (!sra__uuid_valid(s))
		return -1;
	for (i = 0; i < 36; i++)
		out[i] = (char)tolower((unsigned char)s[i]);
	out[36] = '\0';
	return 0;
}
