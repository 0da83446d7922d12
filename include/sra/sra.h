/*
 * libsra: the umbrella header.  A program that uses libsra includes this and
 * links -lsra.
 */
#ifndef SRA_SRA_H
#define SRA_SRA_H

#include "common.h"
#include "error.h"
#include "db.h"
#include "migrate.h"
#include "catalog.h"
#include "metrics.h"
#include "review.h"
#include "import.h"
#include "benchmark.h"

#endif
