/*
 * unit.c - the evaluated-unit record's small rules: the names of statuses
 * and claim outcomes, how a unit's status follows from its targets', how a
 * claim's outcome follows from the status, and the verdict slots a
 * parent's aggregates read. Every stage that decides or shows a verdict
 * goes through here, so the rule is written once.
 */
#include "unit.h"

#include <assert.h>

static const char *const status_names[TST__COUNT] = {
    [ST_PASS] = "pass", [ST_FAIL] = "fail", [ST_UNKNOWN] = "unknown", [ST_WARN] = "warn", [ST_WAIVED] = "waived",
};
static const char *const claim_names[CLAIM__COUNT] = {
    [CLAIM_NONE] = "none", [CLAIM_SUPPORTED] = "supported", [CLAIM_WRONG] = "wrong_exit",
    [CLAIM_UNSUPPORTED] = "unsupported",
};

static const char *const exit_names[UEXIT__COUNT] = {
    [UEXIT_NONE] = "none", [UEXIT_THIS_YEAR] = "this_year", [UEXIT_EARLIER] = "earlier",
};

const char *unit_exit_name(unit_exit e)
{
    assert((unsigned)e < UEXIT__COUNT);
    return exit_names[e];
}

const char *unit_status_name(unit_status s)
{
    assert((unsigned)s < TST__COUNT);
    return status_names[s];
}

const char *claim_status_name(claim_status c)
{
    assert((unsigned)c < CLAIM__COUNT);
    return claim_names[c];
}

void claim_tally_add(claim_tally *t, claim_status c, const value *people, int by_waiver)
{
    switch (c) {
    case CLAIM_NONE: return;
    case CLAIM_SUPPORTED:
        t->supported++;
        t->by_waiver += by_waiver != 0;
        break;
    case CLAIM_WRONG: t->wrong++; break;
    case CLAIM_UNSUPPORTED: t->unsupported++; break;
    }
    t->claimed++;
    if (!people || people->kind != V_NUM) {
        t->people_unknown++;
        return;
    }
    t->people += people->u.num;
    if (c == CLAIM_WRONG)
        t->people_wrong += people->u.num;
}

size_t unit_waived(const unit_rec *u)
{
    size_t n = 0;
    for (size_t i = 0; i < u->level->ntargets; i++)
        n += u->tstatus[i] == ST_WAIVED;
    return n;
}

int unit_by_waiver(const unit_rec *u)
{
    return (u->status == ST_PASS || u->status == ST_WARN) && unit_waived(u) > 0;
}

int unit_has_children(const unit_rec *u)
{
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        if (u->below.desc[L])
            return 1;
    return 0;
}

claim_status unit_claim_of(unit_exit exit, unit_status status)
{
    if (exit == UEXIT_NONE)
        return CLAIM_NONE;
    switch (status) {
    case ST_PASS:
    case ST_WARN: return CLAIM_SUPPORTED;
    case ST_FAIL: return CLAIM_WRONG;
    case ST_UNKNOWN: return CLAIM_UNSUPPORTED;
    case ST_WAIVED: break;
    }
    assert(!"a unit status out of range");
    return CLAIM_UNSUPPORTED;
}

unit_exit unit_exit_of(const rule_level *lv, const value *slots, int *conflict)
{
    *conflict = 0;
    int claims = lv->claim >= 0 && slots[lv->claim].kind == V_BOOL && slots[lv->claim].u.b;
    const value *y = lv->year >= 0 ? &slots[lv->year] : NULL;
    const value *ey = lv->exit_year >= 0 ? &slots[lv->exit_year] : NULL;
    if (!ey || ey->kind != V_NUM || !y || y->kind != V_NUM)
        return claims ? UEXIT_THIS_YEAR : UEXIT_NONE;
    if (ey->u.num > y->u.num || (claims && ey->u.num < y->u.num)) {
        *conflict = 1;
        return claims ? UEXIT_THIS_YEAR : UEXIT_NONE;
    }
    return claims || ey->u.num == y->u.num ? UEXIT_THIS_YEAR : UEXIT_EARLIER;
}

int unit_exit_conflict(const rule_level *lv, const value *vals, diag_list *d, const char *path, long line, long col)
{
    int conflict;
    unit_exit_of(lv, vals, &conflict);
    if (!conflict)
        return 0;
    const value *ey = &vals[lv->exit_year], *y = &vals[lv->year];
    if (ey->u.num > y->u.num)
        diag_add(d, DIAG_ERROR, path, line, col,
                 "%s %.0f is after the row's %s %.0f: a unit cannot have exited after the year of its data",
                 lv->ind[lv->exit_year].id, ey->u.num, lv->ind[lv->year].id, y->u.num);
    else
        diag_add(d, DIAG_ERROR, path, line, col,
                 "%s %.0f is before the row's %s %.0f while %s says yes: this year's claim and an earlier exit contradict each other",
                 lv->ind[lv->exit_year].id, ey->u.num, lv->ind[lv->year].id, y->u.num, lv->ind[lv->claim].id);
    return 1;
}

value unit_registered_of(const rule_level *lv, const value *slots)
{
    if (lv->registered < 0)
        return value_bool(1);
    const value *r = &slots[lv->registered];
    if (r->kind == V_BOOL)
        return *r;
    return r->kind == V_UNKNOWN && r->why == WHY_NO_COLUMN ? value_bool(1) : value_unknown((vwhy)r->why);
}

void unit_set_verdicts(const rule_level *lv, value *slots, unit_status status, unit_exit exit, claim_status claim)
{
    value *vd = slots + lv->verdict_base;
    vd[VERDICT_MEETS] = value_bool(status == ST_PASS || status == ST_WARN);
    vd[VERDICT_FAILS] = value_bool(status == ST_FAIL);
    vd[VERDICT_UNDECIDED] = value_bool(status == ST_UNKNOWN);
    vd[VERDICT_CLAIMS] = value_bool(exit == UEXIT_THIS_YEAR);
    vd[VERDICT_SUPPORTED] = value_bool(claim == CLAIM_SUPPORTED);
    vd[VERDICT_WRONG_EXIT] = value_bool(claim == CLAIM_WRONG);
    vd[VERDICT_UNSUPPORTED] = value_bool(claim == CLAIM_UNSUPPORTED);
    vd[VERDICT_EXITED] = value_bool(exit != UEXIT_NONE);
    vd[VERDICT_EXITED_EARLIER] = value_bool(exit == UEXIT_EARLIER);
    vd[VERDICT_REGISTERED] = unit_registered_of(lv, slots);
}
