/*
 * unit.c - the evaluated-unit record's small rules: the names of statuses
 * and claim outcomes, how a unit's status follows from its targets', how a
 * claim's outcome follows from the status, and the verdict slots a
 * parent's aggregates read. Every stage that decides or shows a verdict
 * goes through here, so the rule is written once.
 */
#include "unit.h"

#include <assert.h>

static const char *const status_names[ST__COUNT] = {
    [ST_PASS] = "pass", [ST_FAIL] = "fail", [ST_UNKNOWN] = "unknown", [ST_WARN] = "warn",
};
static const char *const claim_names[CLAIM__COUNT] = {
    [CLAIM_NONE] = "none", [CLAIM_SUPPORTED] = "supported", [CLAIM_WRONG] = "wrong_exit",
    [CLAIM_UNSUPPORTED] = "unsupported",
};

const char *unit_status_name(unit_status s)
{
    assert((unsigned)s < ST__COUNT);
    return status_names[s];
}

const char *claim_status_name(claim_status c)
{
    assert((unsigned)c < CLAIM__COUNT);
    return claim_names[c];
}

void claim_tally_add(claim_tally *t, claim_status c)
{
    switch (c) {
    case CLAIM_NONE: return;
    case CLAIM_SUPPORTED: t->supported++; break;
    case CLAIM_WRONG: t->wrong++; break;
    case CLAIM_UNSUPPORTED: t->unsupported++; break;
    }
    t->claimed++;
}

int unit_has_children(const unit_rec *u)
{
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        if (u->below.desc[L])
            return 1;
    return 0;
}

claim_status unit_claim_of(int claims, unit_status status)
{
    if (!claims)
        return CLAIM_NONE;
    switch (status) {
    case ST_PASS:
    case ST_WARN: return CLAIM_SUPPORTED;
    case ST_FAIL: return CLAIM_WRONG;
    case ST_UNKNOWN: return CLAIM_UNSUPPORTED;
    }
    assert(!"a unit status out of range");
    return CLAIM_UNSUPPORTED;
}

void unit_set_verdicts(const rule_level *lv, value *slots, unit_status status, claim_status claim)
{
    value *vd = slots + lv->verdict_base;
    vd[VERDICT_MEETS] = value_bool(status == ST_PASS || status == ST_WARN);
    vd[VERDICT_FAILS] = value_bool(status == ST_FAIL);
    vd[VERDICT_UNDECIDED] = value_bool(status == ST_UNKNOWN);
    vd[VERDICT_CLAIMS] = value_bool(claim != CLAIM_NONE);
    vd[VERDICT_SUPPORTED] = value_bool(claim == CLAIM_SUPPORTED);
    vd[VERDICT_WRONG_EXIT] = value_bool(claim == CLAIM_WRONG);
    vd[VERDICT_UNSUPPORTED] = value_bool(claim == CLAIM_UNSUPPORTED);
}
