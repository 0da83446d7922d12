/*
 * `sra benchmark …` (runs and what shows them) and `sra demo`, for main.c's
 * command table.
 */
#ifndef SRA_CLI_CMD_BENCHMARK_H
#define SRA_CLI_CMD_BENCHMARK_H

int cmd_benchmark(int argc, char **argv);
int cmd_demo(int argc, char **argv);

#endif
