/* UUIDs made in C (SQLite has no generator); util/uuid.c says which when. */
#ifndef SRA_UTIL_UUID_H
#define SRA_UTIL_UUID_H

/* Each writes 36 characters and a NUL, lowercase. */

/* random: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" */
void sra__uuid_v4(char out[37]);

/* time-ordered, for rows made in bulk: "tttttttt-tttt-7ccc-yxxx-xxxxxxxxxxxx",
 * strictly increasing within one process */
void sra__uuid_v7(char out[37]);

#endif
