/*
 * aggregate.c - the table of aggregate kinds and their results (see
 * aggregate.h). The table is indexed by agg_kind; its size is checked
 * against the enum at compile time.
 */
#include "aggregate.h"

#include <assert.h>

typedef struct agg_kind_info {
    const char *name;         /* the key in a rule file */
    int needs_value;          /* reads a value expression of the child */
} agg_kind_info;

static const agg_kind_info kinds[] = {
    [AGG_COUNT] = {"count", 0},
    [AGG_SUM] = {"sum", 1},
    [AGG_MIN] = {"min", 1},
    [AGG_MAX] = {"max", 1},
};
_Static_assert(sizeof kinds / sizeof kinds[0] == AGG__COUNT, "one row per aggregate kind");

const char *aggregate_kind_name(agg_kind k)
{
    assert((unsigned)k < AGG__COUNT);
    return kinds[k].name;
}

int aggregate_needs_value(agg_kind k)
{
    assert((unsigned)k < AGG__COUNT);
    return kinds[k].needs_value;
}

value aggregate_result(agg_kind k, const agg_acc *a, int level_read)
{
    if (!level_read || a->unknown)
        return value_unknown(WHY_NO_DATA);
    switch (k) {
    case AGG_COUNT: return value_num((double)a->n);
    case AGG_SUM: return value_num(a->v);
    case AGG_MIN:
    case AGG_MAX: return a->n ? value_num(a->v) : value_unknown(WHY_NO_DATA);
    }
    assert(!"an aggregate kind out of range");
    return value_unknown(WHY_NO_DATA);
}
