/*
 * evaluate.c - one unit against its level's targets (see evaluate.h for the
 * order of work).
 *
 * Invariants: slots [0, nind) hold the unit's indicator values when
 * evaluate_unit is called, and every other slot is written before it is
 * read (parameters, aggregates, recomputed indicators, derived values in
 * declaration order, verdicts last); a target's status is ST_WARN only for
 * a warning target and ST_FAIL only for a blocking one.
 */
#include "evaluate.h"
#include "mem.h"
#include "waiver.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

struct evaluator {
    const ruleset *rs;
    diag_list *d;
    int *param_used[RULES_MAX_LEVELS];  /* per level, per parameter: some expression of the level reads it */
    int read[RULES_MAX_LEVELS];         /* the level's table was read */
    missing_param *missing;
    size_t nmissing, cap_missing;
    waivers *w;                         /* documented exceptions, or NULL */
    int years[EVALUATE_MAX_YEARS];      /* data years seen, ascending */
    size_t nyears;
};

static void mark_params(const ruleset *rs, const rule_level *lv, const expr *e, int *used)
{
    if (!e)
        return;
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++)
        if (refs[i] >= lv->param_base && refs[i] < lv->param_base + (int)rules_nparams(rs))
            used[refs[i] - lv->param_base] = 1;
}

evaluator *evaluate_new(const ruleset *rs, diag_list *d)
{
    evaluator *ev = mem_calloc(1, sizeof *ev);
    if (!ev)
        goto oom;
    ev->rs = rs;
    ev->d = d;
    size_t np = rules_nparams(rs);
    assert(rules_nlevels(rs) <= RULES_MAX_LEVELS);
    for (size_t L = 0; L < rules_nlevels(rs); L++) {
        const rule_level *lv = rules_level(rs, L);
        int *used = ev->param_used[L] = mem_calloc(np ? np : 1, sizeof(int));
        if (!used)
            goto oom;
        for (size_t t = 0; t < lv->ntargets; t++)
            mark_params(rs, lv, lv->targets[t].e, used);
        for (size_t k = 0; k < lv->nderived; k++) {
            mark_params(rs, lv, lv->derived[k].e, used);
            for (size_t j = 0; j < lv->derived[k].ncases; j++) {
                mark_params(rs, lv, lv->derived[k].cases[j].when, used);
                mark_params(rs, lv, lv->derived[k].cases[j].value, used);
            }
        }
        for (size_t k = 0; k < lv->nrecompute; k++)
            mark_params(rs, lv, lv->recompute[k].e, used);
    }
    /* a parent's aggregate reads parameters in the child's slots, for the
     * child's year: they are the child's to note when missing */
    for (size_t L = 0; L < rules_nlevels(rs); L++) {
        const rule_level *lv = rules_level(rs, L);
        for (size_t k = 0; k < lv->nagg; k++) {
            const rule_aggregate *ag = &lv->agg[k];
            if (ag->of < 0)
                continue;
            const rule_level *child = rules_level(rs, (size_t)ag->of);
            mark_params(rs, child, ag->where, ev->param_used[ag->of]);
            mark_params(rs, child, ag->value, ev->param_used[ag->of]);
        }
    }
    return ev;
oom:
    diag_oom(d);
    evaluate_free(&ev);
    return NULL;
}

void evaluate_free(evaluator **evp)
{
    if (!evp || !*evp)
        return;
    evaluator *ev = *evp;
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        mem_free(ev->param_used[L]);
    mem_free(ev->missing);
    mem_free(ev);
    *evp = NULL;
}

void evaluate_set_read(evaluator *ev, int level)
{
    assert(level >= 0 && level < RULES_MAX_LEVELS);
    ev->read[level] = 1;
}

size_t evaluate_missing_params(const evaluator *ev, const missing_param **out)
{
    *out = ev->missing;
    return ev->nmissing;
}

size_t evaluate_years(const evaluator *ev, const int **years)
{
    *years = ev->years;
    return ev->nyears;
}

static void note_missing_param(evaluator *ev, const rule_param *p, int year)
{
    for (size_t i = 0; i < ev->nmissing; i++)
        if (ev->missing[i].param == p && ev->missing[i].year == year) {
            ev->missing[i].units++;
            return;
        }
    if (mem_grow(&ev->missing, &ev->cap_missing, ev->nmissing + 1, sizeof *ev->missing)) {
        diag_oom(ev->d);
        return;
    }
    ev->missing[ev->nmissing++] = (missing_param){p, year, 1};
    if (year)
        diag_add(ev->d, DIAG_WARNING, NULL, 0, 0,
                 "parameter '%s' has no value for %d: the targets that need it are unknown for %d (give --param %s=VALUE)",
                 p->id, year, year, p->id);
    else
        diag_add(ev->d, DIAG_WARNING, NULL, 0, 0,
                 "parameter '%s' is needed by rows without a year (or with one outside 1-9999): their targets that need it are unknown",
                 p->id);
}

/* A data year outside the years the pack declares it applies to is a
 * warning, once per year. */
static void check_pack_years(evaluator *ev, int year)
{
    int from, to;
    if (!rules_years(ev->rs, &from, &to) || ((!from || year >= from) && (!to || year <= to)))
        return;
    char range[32];
    if (from && to)
        snprintf(range, sizeof range, "%d-%d", from, to);
    else if (from)
        snprintf(range, sizeof range, "%d-", from);
    else
        snprintf(range, sizeof range, "-%d", to);
    diag_add(ev->d, DIAG_WARNING, NULL, 0, 0,
             "data of %d: the pack %s applies to the years %s, so its targets may not be those in force in %d",
             year, rules_id(ev->rs), range, year);
}

static void note_year(evaluator *ev, int year)
{
    size_t i = 0;
    while (i < ev->nyears && ev->years[i] < year)
        i++;
    if (i < ev->nyears && ev->years[i] == year)
        return;
    check_pack_years(ev, year); /* first seen */
    if (ev->nyears == EVALUATE_MAX_YEARS)
        return;
    memmove(&ev->years[i + 1], &ev->years[i], (ev->nyears - i) * sizeof(int));
    ev->years[i] = year;
    ev->nyears++;
}

static value eval_derived(const rule_derived *dv, const value *slots)
{
    if (dv->e)
        return expr_eval(dv->e, slots);
    for (size_t i = 0; i < dv->ncases; i++) {
        const rule_case *cs = &dv->cases[i];
        if (!cs->value)
            continue;
        if (!cs->when)
            return expr_eval(cs->value, slots);
        value w = expr_eval(cs->when, slots);
        if (w.kind == V_UNKNOWN)
            return w;
        if (w.u.b)
            return expr_eval(cs->value, slots);
    }
    return value_unknown(WHY_NO_CASE);
}

/* 1 when every aggregate e reads has data from its level. */
static int aggs_have_data(const rule_level *lv, const expr *e, const long *desc)
{
    const int *refs;
    size_t n = expr_refs(e, &refs);
    int any = 0;
    for (size_t i = 0; i < n; i++)
        if (refs[i] >= lv->agg_base && refs[i] < lv->verdict_base) {
            const rule_aggregate *ag = &lv->agg[refs[i] - lv->agg_base];
            if (ag->of < 0 || desc[ag->of] == 0)
                return 0;
            any = 1;
        }
    return any;
}

int evaluate_recompute_source(const rule_level *lv, const rule_recompute *r)
{
    const int *refs;
    size_t n = expr_refs(r->e, &refs);
    for (size_t i = 0; i < n; i++)
        if (refs[i] >= lv->agg_base && refs[i] < lv->verdict_base && lv->agg[refs[i] - lv->agg_base].of >= 0)
            return lv->agg[refs[i] - lv->agg_base].of;
    return lv->child;
}

/* Parameters for the unit's year (noting the year and any missing value). */
static void eval_params(evaluator *ev, const rule_level *lv, value *slots)
{
    int have_year = 0, year = 0;
    if (lv->year >= 0 && slots[lv->year].kind == V_NUM && slots[lv->year].u.num >= 1 &&
        slots[lv->year].u.num <= 9999) {
        have_year = 1;
        year = (int)slots[lv->year].u.num;
        note_year(ev, year);
    }
    size_t np = rules_nparams(ev->rs);
    const int *used = ev->param_used[lv->index];
    for (size_t i = 0; i < np; i++) {
        const rule_param *p = rules_param(ev->rs, i);
        value v = rules_param_value(p, have_year, year, NULL);
        slots[lv->param_base + (int)i] = v;
        if (v.kind == V_UNKNOWN && used[i])
            note_missing_param(ev, p, have_year ? year : 0);
    }
}

/* Recomputed figures: where the unit has the child data a recomputation
 * reads, the recomputed value replaces the reported one in its slot. */
static void eval_recomputed(const rule_level *lv, unit_rec *u)
{
    value *slots = u->slots;
    for (size_t i = 0; i < lv->nrecompute; i++) {
        const rule_recompute *rc = &lv->recompute[i];
        u->reported[i] = slots[rc->indicator];
        u->differs[i] = 0;
        u->applied[i] = (unsigned char)aggs_have_data(lv, rc->e, u->below.desc);
        if (!u->applied[i])
            continue;
        value r = expr_eval(rc->e, slots);
        if (r.kind == V_NUM && u->reported[i].kind == V_NUM &&
            fabs(r.u.num - u->reported[i].u.num) > rc->tolerance + 1e-9)
            u->differs[i] = 1;
        slots[rc->indicator] = r;
    }
}

void evaluate_set_waivers(evaluator *ev, waivers *w) { ev->w = w; }

void evaluate_unit(evaluator *ev, unit_rec *u)
{
    const rule_level *lv = u->level;
    value *slots = u->slots;
    eval_params(ev, lv, slots);
    for (size_t i = 0; i < lv->nagg; i++)
        slots[lv->agg_base + (int)i] = u->below.acc && lv->agg[i].of >= 0
                                           ? aggregate_result(lv->agg[i].kind, &u->below.acc[i], ev->read[lv->agg[i].of])
                                           : value_unknown(WHY_NO_DATA);
    eval_recomputed(lv, u);
    for (size_t i = 0; i < lv->nderived; i++)
        slots[lv->derived_base + (int)i] = eval_derived(&lv->derived[i], slots);
    unsigned seen = 0;
    for (size_t i = 0; i < lv->ntargets; i++) {
        const rule_target *t = &lv->targets[i];
        value v = expr_eval(t->e, slots);
        unit_status st = v.kind == V_UNKNOWN ? ST_UNKNOWN
                         : v.u.b             ? ST_PASS
                         : t->severity == SEV_WARN ? ST_WARN
                                                   : ST_FAIL;
        u->tstatus[i] = (unsigned char)st;
        seen |= 1u << st;
    }
    if (ev->w && waivers_apply(ev->w, u)) { /* the statuses again, a waived target counting as met */
        seen = 0;
        for (size_t i = 0; i < lv->ntargets; i++)
            seen |= 1u << (u->tstatus[i] == ST_WAIVED ? ST_PASS : u->tstatus[i]);
    }
    u->status = unit_status_of(seen);
    int conflict;
    u->exit = unit_exit_of(lv, slots, &conflict);
    u->claim = unit_claim_of(u->exit, u->status);
    unit_set_verdicts(lv, slots, u->status, u->exit, u->claim);
}
