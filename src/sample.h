/*
 * sample.h - drawing a field-verification sample (SPEC §7.1): villages
 * within each county, households within each drawn village, stratum by
 * stratum as a plan (plan.h) says, by a rule anyone can redo with a
 * SHA-256 tool.
 *
 * The selection: a unit with id ID in stratum S gets U, the first 8 bytes
 * of SHA-256(SEED 0x1f S 0x1f ID) read big-endian, and u = U / 2^64.
 *   srs: the n = min(take, N) units of smallest U (ties by id, in byte
 *        order); pi = n / N, 1 when N <= take or take is all.
 *   pps: the n units of smallest u / x, x the size column (u and u / x
 *        in double precision; ties by id); pi = min(1, n x / sum x), 1
 *        when N <= take (every unit is then drawn with certainty).
 * A household's pi is its village's times its own; its weight is 1 / pi.
 *
 * Order of work: the village table is read whole (its units kept: the
 * memory of a sample grows with the villages) and the villages drawn;
 * the household table is then streamed, each household of a drawn village
 * offered to its stratum's draw, which keeps only the best `take`
 * candidates so far: memory grows with the villages and the sample, not
 * the households. Every household's id is also noted (hashes on disk,
 * xsort) so that a repeated id anywhere in the table is an error.
 *
 * Results come out in an order that does not depend on the order of the
 * frame's rows: villages by (county, id), households by (county, village,
 * id), all in byte order.
 *
 * Accounting: every row of each table is rejected with a reason or is a
 * unit of the frame; a unit of the frame is drawn, in a stratum that did
 * not draw it, in no stratum, or (households) in a village not drawn or
 * not in the village table.
 */
#ifndef EXITCHECK_SAMPLE_H
#define EXITCHECK_SAMPLE_H

#include <stdint.h>

#include "diag.h"
#include "plan.h"
#include "rules.h"
#include "table.h"

typedef struct sample_unit {
    const char *id;
    const char *parent;       /* a village's county id, a household's village id ("" when none) */
    const char *county;       /* the county id ("" when the pack has no level above villages) */
    const char *name;         /* a village's name, a household's village's name; NULL when none */
    int stratum;
    uint64_t u;               /* the first 8 bytes of the digest */
    double size;              /* pps: x; 0 for srs */
    double pi, weight;        /* a household's: its village's pi times its own */
    long line;                /* of its row */
} sample_unit;

/* One stratum's draw: within a county (villages) or a drawn village
 * (households). */
typedef struct sample_cell {
    plan_stage_id stage;
    const char *county;
    const char *village;      /* households: the village; NULL for a village stratum */
    int stratum;
    long population;          /* N: the units in the stratum there */
    long drawn;               /* n */
    double size_total;        /* pps: the sum of x; 0 for srs */
    double pi_min, pi_max;    /* of the units drawn, their own pi (not times their village's); 0 when none */
} sample_cell;

typedef struct sample_counts {
    long units[PLAN__STAGES];        /* units of the frame (rows not rejected) */
    long no_stratum[PLAN__STAGES];   /* in no stratum: never drawn */
    long drawn[PLAN__STAGES];
    long in_drawn_villages;          /* households of drawn villages */
    long orphans;                    /* households whose village is not in the village table */
    long orphan_line;                /* the first one's line */
    long size_errors[PLAN__STAGES];  /* pps units without a positive size (errors, not drawn) */
} sample_counts;

typedef struct sampler sampler;

/* rs, p (bound to rs) and d must outlive the sampler; seed is copied. NULL
 * after a diagnostic when out of memory. */
sampler *sample_new(const ruleset *rs, const plan *p, const char *seed, diag_list *d);
void sample_free(sampler **s);

/* Reads the two tables and draws. Returns 0, or -1 when a table could not
 * be read (diagnosed); data errors are diagnostics and the draw goes on. */
int sample_run(sampler *s, const char *village_path, const char *household_path, const table_opts *opts);

/* The units drawn at a stage, in the order above. */
size_t sample_units(const sampler *s, plan_stage_id st, const sample_unit **out);
/* The draws: every village stratum of every county (by county, then the
 * plan's order of strata), then every household stratum of every drawn
 * village (by county, village, stratum). A stratum no unit of a county
 * fell in is listed with N = 0. */
size_t sample_cells(const sampler *s, const sample_cell **out);
const sample_counts *sample_get_counts(const sampler *s);
/* NULL when the table was not opened. */
const table_stats *sample_stats(const sampler *s, plan_stage_id st);
const char *sample_input_path(const sampler *s, plan_stage_id st);
const char *sample_seed(const sampler *s);
const plan *sample_plan(const sampler *s);
const ruleset *sample_ruleset(const sampler *s);

/* U for a unit: the selection rule itself. -1 when the digest failed or
 * the message would be too long (over 64 KiB). */
int sample_u(const char *seed, const char *stratum, const char *id, size_t idlen, uint64_t *u);

#endif
