/* Random (version 4) UUIDs, made in C: SQLite has no generator. */
#ifndef SRA_UTIL_UUID_H
#define SRA_UTIL_UUID_H

/* writes 36 characters and a NUL, lowercase: "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx" */
void sra__uuid_v4(char out[37]);

#endif
