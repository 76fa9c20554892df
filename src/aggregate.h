/*
 * aggregate.h - the kinds of aggregate a level computes over its child
 * units (count, sum, min, max): their names in rule files, how a child's
 * value is added in, and the figure that results.
 *
 * Everything that depends on the kind is here and in aggregate.c: the
 * rule loader takes kinds by name from this table, roll-ups add values
 * through aggregate_add, evaluation reads aggregate_result. Adding a kind
 * means an enum member and its case in aggregate_add (this file), its row
 * in the table (aggregate.c), and its paragraph in exitcheck-rules(5).
 *
 * An accumulator counts the children that were added (n) and those whose
 * `where` or value was unknown; any unknown child makes the figure
 * unknown (missing data is never read as zero).
 */
#ifndef EXITCHECK_AGGREGATE_H
#define EXITCHECK_AGGREGATE_H

#include <stddef.h>

#include "value.h"

typedef enum { AGG_COUNT, AGG_SUM, AGG_MIN, AGG_MAX } agg_kind;
enum { AGG__COUNT = AGG_MAX + 1 };

typedef struct agg_acc {
    double v;
    long n;
    long unknown;             /* children whose where or value was unknown */
} agg_acc;

/* The kind's key in a rule file ("count", "sum", ...). */
const char *aggregate_kind_name(agg_kind k);
/* 1 when the kind reads a value expression of the child (all but count). */
int aggregate_needs_value(agg_kind k);

/* Adds one child that passed the aggregate's `where`, with its value
 * (ignored by count). */
static inline void aggregate_add(agg_kind k, agg_acc *a, double v)
{
    switch (k) {
    case AGG_COUNT: break;
    case AGG_SUM: a->v += v; break;
    case AGG_MIN:
        if (a->n == 0 || v < a->v)
            a->v = v;
        break;
    case AGG_MAX:
        if (a->n == 0 || v > a->v)
            a->v = v;
        break;
    }
    a->n++;
}

/* The figure: unknown (WHY_NO_DATA) when the child level's table was not
 * read, when some child was unknown, or for min and max of no children. */
value aggregate_result(agg_kind k, const agg_acc *a, int level_read);

#endif
