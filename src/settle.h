/*
 * settle.h - duplicate settling for the bottom level: which households
 * repeat an earlier row's id, found in bounded memory after the table.
 *
 * As each bottom-level row is counted (on the assumption that its id is
 * new), settle_note keeps a 128-bit hash of its id with its spool offset
 * and line, sorted on disk past a memory budget (xsort). After the table,
 * settle_run sorts them; only when some id repeats does it read the spool
 * back once, in file order: the repeats are rejected (an error naming the
 * first row, counted in the table's rejected rows, marked in the spool)
 * and every other unit is counted again, from zero, into its level's
 * summary and its ancestors (rollup_reset, then rollup_count and
 * rollup_add, the same calls as the streaming path).
 *
 * Ownership: the settle owns its sort files; spool, rollup and stats stay
 * the caller's.
 */
#ifndef EXITCHECK_SETTLE_H
#define EXITCHECK_SETTLE_H

#include <stdint.h>

#include "diag.h"
#include "rollup.h"
#include "rules.h"
#include "spool.h"
#include "table.h"

typedef struct settle settle;

/* NULL after a diagnostic when out of memory. */
settle *settle_new(diag_list *d);
void settle_free(settle **s);

/* Notes a row's id (len bytes), its spool offset and line. 0, or -1 after
 * a diagnostic. */
int settle_note(settle *s, const char *id, size_t len, uint64_t off, long line);

/* Settles level lv (read from path) as above. scratch holds lv->nslots
 * values (overwritten). Returns 0, or -1 after a diagnostic when a
 * temporary file cannot be used. */
int settle_run(settle *s, spool *sp, rollup *r, const rule_level *lv, const ruleset *rs, const char *path,
               table_stats *stats, value *scratch);

#endif
