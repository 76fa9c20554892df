/*
 * check.h - a check: reads each level's table and drives the stages over
 * it: evaluate (evaluate.h) -> roll up (rollup.h), with the bottom level's
 * units spooled (spool.h) and their duplicate ids settled (settle.h).
 *
 * Order of work: the upper levels' tables (county, village) are read first
 * and their units kept; the bottom level's table (households) is streamed:
 * each household is evaluated, counted into its level's summary and its
 * ancestors, and spooled, so memory grows with the number of villages,
 * not households. After that table, repeated ids are settled. Then the
 * upper levels are evaluated bottom-up, each with its child data complete,
 * and counted into their own ancestors.
 *
 * The results are unit records (unit.h) handed to a callback in input
 * order, the per-level summaries and the per-table statistics.
 *
 * Accounting: for every table, rows_read == units evaluated + rows rejected.
 */
#ifndef EXITCHECK_CHECK_H
#define EXITCHECK_CHECK_H

#include "diag.h"
#include "evaluate.h"
#include "rollup.h"
#include "rules.h"
#include "table.h"
#include "unit.h"

typedef struct check_input {
    const char *path;                 /* NULL: no table for the level */
} check_input;

typedef struct checker checker;

/* rs and d must outlive the checker. NULL after a diagnostic when out of
 * memory. */
checker *check_new(const ruleset *rs, diag_list *d);
void check_free(checker **c);

struct waivers;
/* Documented exceptions to apply to every unit (waiver.h); NULL: none.
 * w must outlive the checker. Set before check_run. */
void check_set_waivers(checker *c, struct waivers *w);
/* The waivers set, or NULL. */
const struct waivers *check_waivers(const checker *c);

/* inputs has one entry per level of the pack. Returns 0 when every table
 * given was read, -1 when one could not be read at all (the run has still
 * gone as far as it could). */
int check_run(checker *c, const check_input *inputs, const table_opts *opts);

const level_summary *check_summary(const checker *c, size_t level);
/* NULL when no table of that level was given; for a table that could not
 * be read, encoding is "unread" and the counts are 0. */
const table_stats *check_stats(const checker *c, size_t level);
const char *check_input_path(const checker *c, size_t level);

/* Calls fn for every unit of level, in input order (see unit.h for how
 * long the record lives). Stops early when fn returns non-zero and
 * returns that value; -1 if the spool cannot be read. */
typedef int (*unit_fn)(void *ctx, const unit_rec *u);
int check_foreach(checker *c, size_t level, unit_fn fn, void *ctx);
/* The same for a listing that reads only ids, names, lines, statuses,
 * claims and target statuses: the other slots of a bottom-level unit are
 * not read back and show as unknown. */
int check_foreach_ids(checker *c, size_t level, unit_fn fn, void *ctx);

/* 0: every exit claimed this year, at every level, is supported and no
 * earlier exit is a wrong exit (where no unit claims or has exited: every
 * unit meets); 1: otherwise. */
int check_verdict(const checker *c);

/* Each parameter and year that was needed and had no value. */
size_t check_missing_params(const checker *c, const missing_param **out);

/* The data years seen (at most EVALUATE_MAX_YEARS distinct), ascending. */
size_t check_years(const checker *c, const int **years);

#endif
