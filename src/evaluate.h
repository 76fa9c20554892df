/*
 * evaluate.h - evaluation of one unit against its level's targets.
 *
 * Given a unit record whose indicator slots are filled in (and, for an
 * upper level, whose `below` holds what roll-ups counted into it), the
 * evaluator fills in, in this order: the parameters for the row's year,
 * the aggregates over child units, the recomputed figures (replacing the
 * reported ones the targets see, the reported ones kept beside them), the
 * derived values, each target's status (then the waivers, when there
 * are any, turn the excused ones into ST_WAIVED: waiver.h), the unit's status, its exit (this
 * year's, an earlier one, or none: unit_exit_of) and that exit's outcome,
 * and the verdict slots its parent's aggregates read.
 *
 * A missing value is UNKNOWN, never 0: an aggregate over a level whose
 * table was not read, or over children some of whose values are unknown,
 * is unknown; so is a parameter with no value for the year. The evaluator
 * notes each parameter and year that was needed and had no value (with a
 * warning, once) and the data years seen. It counts nothing: counting is
 * the roll-up's job.
 */
#ifndef EXITCHECK_EVALUATE_H
#define EXITCHECK_EVALUATE_H

#include "diag.h"
#include "rules.h"
#include "unit.h"

/* A parameter and year that was needed and had no value. */
typedef struct missing_param {
    const rule_param *param;
    int year;                         /* 0 = the year cell was missing */
    long units;
} missing_param;

typedef struct evaluator evaluator;

/* The evaluator keeps rs and d (which must outlive it). NULL after a
 * diagnostic when out of memory. */
evaluator *evaluate_new(const ruleset *rs, diag_list *d);
void evaluate_free(evaluator **ev);

struct waivers;
/* Waivers to apply to every unit evaluated from now on (NULL: none); w
 * must outlive the evaluator's use of it. */
void evaluate_set_waivers(evaluator *ev, struct waivers *w);

/* Level L's table was read: aggregates over it have data. */
void evaluate_set_read(evaluator *ev, int level);

/* Evaluates u (see above). */
void evaluate_unit(evaluator *ev, unit_rec *u);

/* The level whose data recompute entry r of lv comes from: that of the
 * first aggregate it reads (the child level if it reads none). */
int evaluate_recompute_source(const rule_level *lv, const rule_recompute *r);

/* Each parameter and year that was needed and had no value, in the order
 * first met. */
size_t evaluate_missing_params(const evaluator *ev, const missing_param **out);
/* The data years seen (at most EVALUATE_MAX_YEARS distinct), ascending. */
enum { EVALUATE_MAX_YEARS = 32 };
size_t evaluate_years(const evaluator *ev, const int **years);

#endif
