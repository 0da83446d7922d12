/*
 * The review and import commands (cmd_review.c, cmd_import.c), for main.c's
 * command table:
 *   { "review", cmd_review, "Create, import, list and show review protocols" },
 *   { "import", cmd_import, "Import records with human decisions, or AI decisions" },
 */
#ifndef SRA_CLI_CMD_IMPORT_H
#define SRA_CLI_CMD_IMPORT_H

int cmd_review(int argc, char **argv);
int cmd_import(int argc, char **argv);

#endif
