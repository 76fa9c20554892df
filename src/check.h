/*
 * check.h - evaluation: reads a level's table, evaluates every unit
 * against its level's targets, rolls figures up from child units to their
 * parents, and keeps what the reports need.
 *
 * Order of work: the upper levels' tables (county, village) are read first
 * and their units kept in memory; the bottom level's table (households) is
 * streamed: each household is evaluated, counted into its ancestors'
 * aggregates and claim tallies, and written to a spool file, so memory
 * grows with the number of villages, not households. Then the upper levels
 * are evaluated bottom-up, each with its aggregates complete.
 *
 * Per unit: parameters for the row's year -> aggregates -> recomputed
 * figures (replacing the reported ones the targets see) -> derived values
 * -> targets -> status and claim. A unit passes when every target is met
 * (warn-severity targets that are not met make it "warn", which still
 * supports an exit), fails when any blocking target is not met, and is
 * unknown otherwise.
 *
 * Accounting: for every table, rows_read == units evaluated + rows rejected.
 */
#ifndef EXITCHECK_CHECK_H
#define EXITCHECK_CHECK_H

#include <stdio.h>

#include "diag.h"
#include "rules.h"
#include "table.h"

typedef enum { ST_PASS, ST_FAIL, ST_UNKNOWN, ST_WARN } unit_status;
typedef enum { CLAIM_NONE, CLAIM_SUPPORTED, CLAIM_WRONG, CLAIM_UNSUPPORTED } claim_status;

const char *unit_status_name(unit_status s);
const char *claim_status_name(claim_status c);

typedef struct claim_tally {
    long claimed, supported, wrong, unsupported;
} claim_tally;

typedef struct unit_result {
    const rule_level *level;
    const char *id, *parent, *name;   /* parent and name may be NULL */
    long line;
    unit_status status;
    claim_status claim;
    const value *slots;               /* level->nslots values */
    const unsigned char *tstatus;     /* unit_status per target */
    /* per recompute entry of the level */
    const value *reported;            /* the figure as the table gives it */
    const unsigned char *applied;     /* recomputed: the unit has the child data */
    const unsigned char *differs;     /* |reported - recomputed| > tolerance */
    int has_children;                 /* child data was read for this unit */
    long children;                    /* child units counted in */
    claim_tally leaf_claims;          /* claims of its bottom-level descendants */
    int orphan;                       /* its parent is not in the parent table */
} unit_result;

typedef struct level_summary {
    long units, pass, fail, unknown, warn;
    claim_tally claims;
    long orphans;
    long differs;                     /* reported figures (unit x recomputed indicator) that differ */
    long *target_fail;                /* per target: units not meeting it */
    long *target_unknown;
    long *target_warn;
} level_summary;

typedef struct check_input {
    const char *path;                 /* NULL: no table for the level */
} check_input;

typedef struct checker checker;

checker *check_new(const ruleset *rs, diag_list *d);
void check_free(checker **c);

/* inputs has one entry per level of the pack. Returns 0 when every table
 * given was read, -1 when one could not be read at all (the run has still
 * gone as far as it could). */
int check_run(checker *c, const check_input *inputs, const table_opts *opts);

const level_summary *check_summary(const checker *c, size_t level);
/* NULL when no table of that level was given; for a table that could not
 * be read, encoding is "unread" and the counts are 0. */
const table_stats *check_stats(const checker *c, size_t level);
const char *check_input_path(const checker *c, size_t level);
claim_tally check_leaf_claims(const checker *c);

/* Calls fn for every unit of level, in input order. Stops early when fn
 * returns non-zero and returns that value; -1 if the spool cannot be read. */
typedef int (*unit_fn)(void *ctx, const unit_result *u);
int check_foreach(checker *c, size_t level, unit_fn fn, void *ctx);
/* The same for a listing that reads only ids, names, lines, statuses,
 * claims and target statuses: the other slots of a bottom-level unit are
 * not read back and show as unknown. */
int check_foreach_ids(checker *c, size_t level, unit_fn fn, void *ctx);

/* 0: every claimed exit is supported (without claims: every unit meets);
 * 1: otherwise. */
int check_verdict(const checker *c);

/* Each parameter and year that was needed and had no value. */
typedef struct missing_param {
    const rule_param *param;
    int year;                         /* 0 = the year cell was missing */
    long units;
} missing_param;
size_t check_missing_params(const checker *c, const missing_param **out);

/* The data years seen (at most 32 distinct), ascending. */
size_t check_years(const checker *c, const int **years);

#endif
