/* UUIDs made in C (SQLite has no generator); util/uuid.c says which when. */
#ifndef SRA_UTIL_UUID_H
#define SRA_UTIL_UUID_H

/* Each writes 36 characters and a NUL, lowercase. */

/* random: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" */
void sra__uuid_v4(char out[37]);

/* time-ordered, for rows made in bulk: "tttttttt-tttt-7ccc-yxxx-xxxxxxxxxxxx",
 * strictly increasing within one process */
void sra__uuid_v7(char out[37]);

/* whether s is a uuid in 8-4-4-4-12 hex form, either case */
int sra__uuid_valid(const char *s);

/* s lowercased into out when it is a uuid (sra__uuid_valid); else -1 */
int sra__uuid_norm(char out[37], const char *s);

#endif
