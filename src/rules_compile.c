/*
 * rules_compile.c - pass two of rules_load: lays out each level's slots
 * (see rules.h) and compiles every expression pass one kept, in a scope
 * that says which names it can see (rules_resolve.h).
 *
 * Receives levels whose parents and role columns are resolved; produces
 * the slot bases, the compiled and typed expressions of derived values,
 * targets, recomputed figures and aggregates, and the required/used marks
 * of the indicators and parameters they read. A derived value sees only
 * those declared before it; a recomputation runs before derived values;
 * an aggregate is compiled in the scope of the child level it runs over,
 * so all levels' derived values are typed before any aggregate compiles.
 * A source slot pass one left empty compiles to NULL without a message
 * (pass one reported why); mistakes are diagnostics at the expression.
 */
#include "rules_compile.h"
#include "rules_keys.h"
#include "rules_resolve.h"

#include <stdio.h>
#include <string.h>

/* ---------- expressions in a scope ---------- */

static void on_expr_error(void *ctx, size_t off, size_t len, const char *message)
{
    scope *sc = ctx;
    rules_err_expr(sc->L, sc->src, off, len, message, sc->suggest);
    sc->suggest = NULL;
}

static expr *compile_typed(scope *sc, const esrc *src, vtype want, const char *what)
{
    if (!src || !src->text)
        return NULL;
    sc->src = src;
    expr *e = expr_compile(sc->L->rs->a, src->text, src->len, rules_resolve, on_expr_error, sc);
    if (e && want != VT_ANY && expr_type(e) != want) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s must be a %s, this expression is a %s", what, vtype_name(want),
                 vtype_name(expr_type(e)));
        on_expr_error(sc, 0, src->len, msg);
        return NULL;
    }
    return e;
}

static void mark_refs(ruleset *rs, rule_level *lv, const expr *e)
{
    if (!e)
        return;
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++) {
        int s = refs[i];
        if (s < (int)lv->nind && lv->ind[s].optional)
            lv->ind[s].used = 1;
        else if (s < (int)lv->nind)
            lv->ind[s].required = 1;
        else if (s >= lv->param_base && s < lv->param_base + (int)rs->nparams)
            rs->params[s - lv->param_base].used = 1;
    }
}

static int uses_params(const ruleset *rs, const rule_level *lv, const expr *e)
{
    if (!e)
        return 0;
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++)
        if (refs[i] >= lv->param_base && refs[i] < lv->param_base + (int)rs->nparams)
            return 1;
    return 0;
}

/* Compiles src in sc, marks what it reads and returns it; *needs_year
 * becomes 1 when it reads a parameter (whose value depends on the year). */
static expr *compile_marked(scope *sc, const esrc *src, vtype want, const char *what, int *needs_year)
{
    ruleset *rs = sc->L->rs;
    expr *e = compile_typed(sc, src, want, what);
    mark_refs(rs, sc->lv, e);
    *needs_year |= uses_params(rs, sc->lv, e);
    return e;
}

/* ---------- one level ---------- */

static void lay_out_slots(const ruleset *rs, rule_level *lv)
{
    lv->param_base = (int)lv->nind;
    lv->derived_base = lv->param_base + (int)rs->nparams;
    lv->agg_base = lv->derived_base + (int)lv->nderived;
    lv->verdict_base = lv->agg_base + (int)lv->nagg;
    lv->nslots = (size_t)lv->verdict_base + VERDICT__COUNT;
}

/* Names must not collide across kinds within a level: a name resolves to
 * the first kind that has it, and the others would be unreachable. */
static void check_collisions(loader *L, const rule_level *lv)
{
    const ruleset *rs = L->rs;
    for (size_t i = 0; i < lv->nderived; i++) {
        for (size_t j = 0; j < lv->nind; j++)
            if (strcmp(lv->derived[i].id, lv->ind[j].id) == 0)
                rules_err_pos(L, lv->derived[i].pos, "derived value '%s' has the name of an indicator",
                              lv->derived[i].id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(lv->derived[i].id, lv->derived[j].id) == 0)
                rules_err_pos(L, lv->derived[i].pos, "duplicate derived value '%s'", lv->derived[i].id);
        for (size_t j = 0; j < rs->nparams; j++)
            if (strcmp(lv->derived[i].id, rs->params[j].id) == 0)
                rules_err_pos(L, lv->derived[i].pos, "derived value '%s' has the name of a parameter",
                              lv->derived[i].id);
    }
    for (size_t i = 0; i < lv->nagg; i++) {
        const rule_aggregate *ag = &lv->agg[i];
        for (size_t j = 0; j < lv->nind; j++)
            if (strcmp(ag->id, lv->ind[j].id) == 0)
                rules_err_pos(L, ag->pos, "aggregate '%s' has the name of an indicator", ag->id);
        for (size_t j = 0; j < rs->nparams; j++)
            if (strcmp(ag->id, rs->params[j].id) == 0)
                rules_err_pos(L, ag->pos, "aggregate '%s' has the name of a parameter", ag->id);
        for (size_t j = 0; j < lv->nderived; j++)
            if (strcmp(ag->id, lv->derived[j].id) == 0)
                rules_err_pos(L, ag->pos, "aggregate '%s' has the name of a derived value", ag->id);
        for (int v = 0; v < VERDICT__COUNT; v++)
            if (strcmp(ag->id, verdict_names[v]) == 0)
                rules_err_pos(L, ag->pos, "'%s' is a verdict name and cannot name an aggregate", ag->id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(ag->id, lv->agg[j].id) == 0)
                rules_err_pos(L, ag->pos, "duplicate aggregate '%s'", ag->id);
    }
    for (size_t j = 0; j < lv->nind; j++)
        for (size_t k = 0; k < rs->nparams; k++)
            if (strcmp(lv->ind[j].id, rs->params[k].id) == 0)
                rules_err_pos(L, lv->ind[j].pos, "indicator '%s' has the name of a parameter", lv->ind[j].id);
}

/* Derived value i given by cases: each 'when' is a bool, and every value
 * has the type of the first value that compiles. Without an 'else', a row
 * that no case matches is unknown; that is allowed. */
static void compile_cases(scope *sc, size_t i, int *needs_year)
{
    rule_level *lv = sc->lv;
    level_src *ls = &sc->L->rs->lsrc[lv->index];
    rule_derived *dv = &lv->derived[i];
    int have_type = 0;
    for (size_t k = 0; k < dv->ncases; k++) {
        rule_case *c = &dv->cases[k];
        if (ls->case_when[i][k].text)
            c->when = compile_marked(sc, &ls->case_when[i][k], VT_BOOL, "the 'when' of a case", needs_year);
        c->value = compile_marked(sc, &ls->case_value[i][k], VT_ANY, "a case value", needs_year);
        if (!c->value)
            continue;
        if (!have_type) {
            dv->type = expr_type(c->value);
            have_type = 1;
        } else if (expr_type(c->value) != dv->type) {
            sc->src = &ls->case_value[i][k];
            char msg[160];
            snprintf(msg, sizeof msg, "every case of '%s' must give a %s, this one gives a %s", dv->id,
                     vtype_name(dv->type), vtype_name(expr_type(c->value)));
            on_expr_error(sc, 0, sc->src->len, msg);
        }
    }
}

/* Each derived value sees the level's aggregates and the derived values
 * declared before it; its type is that of its expression. */
static void compile_derived(scope *sc, int *needs_year)
{
    rule_level *lv = sc->lv;
    level_src *ls = &sc->L->rs->lsrc[lv->index];
    for (size_t i = 0; i < lv->nderived; i++) {
        rule_derived *dv = &lv->derived[i];
        sc->derived_limit = i;
        sc->allow_aggs = 1;
        if (dv->cases) {
            compile_cases(sc, i, needs_year);
            continue;
        }
        dv->e = compile_marked(sc, &ls->derived_expr[i], VT_ANY, "a derived value", needs_year);
        dv->type = dv->e ? expr_type(dv->e) : VT_NUM;
    }
}

/* A target's requirement sees every derived value and aggregate. */
static void compile_targets(scope *sc, int *needs_year)
{
    rule_level *lv = sc->lv;
    level_src *ls = &sc->L->rs->lsrc[lv->index];
    sc->derived_limit = lv->nderived;
    sc->allow_aggs = 1;
    for (size_t i = 0; i < lv->ntargets; i++)
        lv->targets[i].e = compile_marked(sc, &ls->target[i], VT_BOOL, "a requirement", needs_year);
}

/* The indicator recomputation i recomputes: a number of the level, and
 * recomputed only once. */
static void find_recomputed(loader *L, rule_level *lv, size_t i, const char *name)
{
    rule_recompute *rc = &lv->recompute[i];
    rc->indicator = rules_find_ind(lv, name);
    if (rc->indicator < 0)
        rules_err_pos(L, rc->pos, "recomputed indicator '%s' is not an indicator of level '%s'", name, lv->id);
    else if (lv->ind[rc->indicator].type == IND_BOOL || lv->ind[rc->indicator].type == IND_TEXT)
        rules_err_pos(L, rc->pos, "recomputed indicator '%s' must be a number", name);
    else
        lv->ind[rc->indicator].used = 1;
    for (size_t j = 0; j < i; j++)
        if (rc->indicator >= 0 && lv->recompute[j].indicator == rc->indicator)
            rules_err_pos(L, rc->pos, "indicator '%s' is recomputed twice", name);
}

static int reads_aggregate(const rule_level *lv, const expr *e)
{
    const int *refs;
    size_t n = expr_refs(e, &refs);
    int reads_agg = 0;
    for (size_t k = 0; k < n; k++)
        reads_agg |= refs[k] >= lv->agg_base && refs[k] < lv->verdict_base;
    return reads_agg;
}

/* A recomputation runs before derived values, so it sees none of them;
 * it must read an aggregate, as it applies only where the child units'
 * data are there. */
static void compile_recompute(scope *sc, int *needs_year)
{
    loader *L = sc->L;
    rule_level *lv = sc->lv;
    level_src *ls = &L->rs->lsrc[lv->index];
    for (size_t i = 0; i < lv->nrecompute; i++) {
        rule_recompute *rc = &lv->recompute[i];
        if (ls->recompute_ind_name[i])
            find_recomputed(L, lv, i, ls->recompute_ind_name[i]);
        sc->derived_limit = 0;
        sc->allow_aggs = 1;
        rc->e = compile_typed(sc, &ls->recompute[i], VT_NUM, "a recomputation");
        if (rc->e && !reads_aggregate(lv, rc->e))
            rules_err_pos(L, rc->pos, "a recomputation must read an aggregate over child units (it applies only where "
                                      "their data are there)");
        mark_refs(L->rs, lv, rc->e);
        *needs_year |= uses_params(L->rs, lv, rc->e);
    }
}

void rules_compile_level(loader *L, rule_level *lv)
{
    ruleset *rs = L->rs;
    lay_out_slots(rs, lv);
    check_collisions(L, lv);
    /* one scope for the level, narrowed or widened for each kind */
    scope sc = {L, lv, 0, 0, 0, NULL, NULL};
    int needs_year = 0;
    compile_derived(&sc, &needs_year);
    compile_targets(&sc, &needs_year);
    compile_recompute(&sc, &needs_year);
    /* identify sees what a target sees; it marks nothing required: only
     * verify reads it, from a survey that has the columns it has */
    sc.derived_limit = lv->nderived;
    sc.allow_aggs = 0;
    lv->identify = compile_typed(&sc, &L->rs->lsrc[lv->index].identify, VT_BOOL, "'identify'");
    if (lv->identify && lv->child >= 0)
        rules_err_pos(L, lv->identify_pos,
                      "'identify' belongs to the bottom level (the households verify reads a survey of); level '%s' has the child level '%s'",
                      lv->id, rs->levels[lv->child].id);
    lv->identify_text = L->rs->lsrc[lv->index].identify.text;
    if (lv->identify && uses_params(rs, lv, lv->identify))
        needs_year = 1;
    if (needs_year && lv->year < 0 && rs->nparams)
        rules_err_pos(L, lv->pos, "level '%s' uses parameters by year but declares no 'year' column", lv->id);
    if (needs_year && lv->year >= 0)
        lv->ind[lv->year].required = 1;
}

/* ---------- aggregates, once every level is compiled ---------- */

/* The level aggregate i of lv runs over: the one its 'of' names, which
 * must be below lv, or else lv's child; -1 (reported) when there is none. */
static int aggregated_level(loader *L, const rule_level *lv, size_t i)
{
    ruleset *rs = L->rs;
    const level_src *ls = &rs->lsrc[lv->index];
    const rule_aggregate *ag = &lv->agg[i];
    const char *of = ls->agg_of_name[i];
    int target = lv->child;
    if (of) {
        rule_level *o = rules_level_named(rs, of);
        target = -1;
        if (!o)
            rules_err_pos(L, ls->agg_of_pos[i], "unknown level '%s' in 'of'", of);
        else {
            /* must be a descendant */
            for (int c = lv->child; c >= 0; c = rs->levels[c].child)
                if (c == o->index)
                    target = c;
            if (target < 0)
                rules_err_pos(L, ls->agg_of_pos[i], "aggregate '%s' runs over '%s', which is not below level '%s'",
                              ag->id, of, lv->id);
        }
    } else if (target < 0) {
        rules_err_pos(L, ag->pos, "aggregate '%s': level '%s' has no child level to aggregate", ag->id, lv->id);
    }
    return target;
}

void rules_compile_aggregates(loader *L, rule_level *lv)
{
    ruleset *rs = L->rs;
    level_src *ls = &rs->lsrc[lv->index];
    for (size_t i = 0; i < lv->nagg; i++) {
        rule_aggregate *ag = &lv->agg[i];
        int target = aggregated_level(L, lv, i);
        ag->of = target;
        if (target < 0)
            continue;
        /* evaluated in the child's slots: its derived values and verdict */
        rule_level *child = &rs->levels[target];
        scope sc = {L, child, 0, 1, child->nderived, NULL, NULL};
        int needs_year = 0; /* the child's: its parameters are for its row's year */
        if (ls->agg_where[i].text)
            ag->where = compile_marked(&sc, &ls->agg_where[i], VT_BOOL, "the 'where' of an aggregate", &needs_year);
        if (aggregate_needs_value(ag->kind)) {
            ag->value = compile_marked(&sc, &ls->agg_value[i], VT_NUM, "an aggregated value", &needs_year);
        }
        if (needs_year && child->year >= 0)
            child->ind[child->year].required = 1;
    }
}
