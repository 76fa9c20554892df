/*
 * rules_resolve.c - resolving names, between the passes of rules_load:
 * each level's parent and child, its role columns (key, parent_key, name,
 * year, claim) and the ancestor key columns it carries; and, while pass
 * two compiles, each name in an expression to a slot of its level.
 *
 * Receives levels whose names pass one collected (level_src); produces
 * parent/child indices, role indicator indices and the required/used
 * marks of those columns. A name resolves in a scope (rules_resolve.h):
 * indicators, then parameters, then the derived values declared before,
 * then, where the scope allows them, the level's aggregates and the
 * unit's verdict. An unknown name leaves the closest visible name in the
 * scope for the compiler's "did you mean".
 */
#include "rules_resolve.h"
#include "rules_keys.h"

#include <string.h>

/* ---------- levels, after pass one ---------- */

/* Level i's parent, which must be declared before it and have no other
 * child; every level below the first has one. */
static void link_parent(loader *L, size_t i)
{
    ruleset *rs = L->rs;
    rule_level *lv = &rs->levels[i];
    const level_src *ls = &rs->lsrc[i];
    if (ls->parent_name) {
        rule_level *p = rules_level_named(rs, ls->parent_name);
        if (!p)
            rules_err_pos(L, ls->parent_pos, "unknown parent level '%s'", ls->parent_name);
        else if (p == lv)
            rules_err_pos(L, ls->parent_pos, "level '%s' cannot be its own parent", lv->id);
        else if (p->child >= 0)
            rules_err_pos(L, ls->parent_pos, "level '%s' already has the child level '%s' (levels form one chain)",
                          p->id, rs->levels[p->child].id);
        else if (p->index > lv->index)
            rules_err_pos(L, ls->parent_pos, "declare level '%s' before its child '%s'", p->id, lv->id);
        else {
            lv->parent = p->index;
            p->child = lv->index;
        }
    } else if (i > 0) {
        rules_err_pos(L, lv->pos, "level '%s' has no parent: only the first level is the top", lv->id);
    }
}

/* Each role column the level names must be one of its indicators, of the
 * role's type (a year, an exit year or a people count may be a number);
 * the key columns are required; the status columns across years and the
 * people column are read wherever a table has them (a table without
 * them: every unit registered, no exit year, no people count). */
static void resolve_roles(loader *L, rule_level *lv, const level_src *ls)
{
    static const ind_type role_types[] = {IND_TEXT, IND_TEXT, IND_TEXT, IND_INTEGER, IND_BOOL, IND_INTEGER, IND_BOOL, IND_INTEGER};
    _Static_assert(sizeof role_types / sizeof *role_types == ROLE__COUNT, "a type for every level_role");
    int *roles[] = {&lv->key,   &lv->parent_key, &lv->name,       &lv->year,
                    &lv->claim, &lv->exit_year,  &lv->registered, &lv->people};
    _Static_assert(sizeof roles / sizeof *roles == ROLE__COUNT, "a field for every level_role");
    for (int r = 0; r < ROLE__COUNT; r++) {
        if (!ls->role_name[r])
            continue;
        int k = rules_find_ind(lv, ls->role_name[r]);
        if (k < 0) {
            rules_err_pos(L, ls->role_pos[r], "the %s column '%s' of level '%s' is not one of its indicators",
                          rules_role_keys[r], ls->role_name[r], lv->id);
            continue;
        }
        ind_type want = role_types[r];
        ind_type have = lv->ind[k].type;
        if (have != want && !(want == IND_INTEGER && have == IND_NUMBER))
            rules_err_pos(L, lv->ind[k].pos, "indicator '%s' is the %s column of level '%s', so its type must be %s",
                          lv->ind[k].id, rules_role_keys[r], lv->id, ind_type_name(want));
        *roles[r] = k;
    }
    if (lv->key >= 0)
        lv->ind[lv->key].required = 1;
    if (lv->parent_key >= 0)
        lv->ind[lv->parent_key].required = 1;
    /* an exit year is compared with the row's year */
    const int read[] = {lv->exit_year, lv->registered, lv->people, lv->exit_year >= 0 ? lv->year : -1};
    for (size_t i = 0; i < sizeof read / sizeof *read; i++)
        if (read[i] >= 0)
            lv->ind[read[i]].used = 1;
}

void rules_resolve_levels(loader *L)
{
    ruleset *rs = L->rs;
    for (size_t i = 0; i < rs->nlevels; i++) {
        rule_level *lv = &rs->levels[i];
        link_parent(L, i);
        resolve_roles(L, lv, &rs->lsrc[i]);
        if (!lv->nind)
            rules_err_pos(L, lv->pos, "level '%s' has no indicators (is its file included?)", lv->id);
    }
}

int rules_find_ind(const rule_level *lv, const char *id)
{
    for (size_t i = 0; i < lv->nind; i++)
        if (strcmp(lv->ind[i].id, id) == 0)
            return (int)i;
    return -1;
}

/* A level that also carries the key column of a level above its parent
 * (household.county_id) has it read, so the unit can be checked against
 * its parent's own parent. */
void rules_mark_ancestor_keys(ruleset *rs)
{
    for (size_t i = 0; i < rs->nlevels; i++) {
        rule_level *lv = &rs->levels[i];
        if (lv->parent < 0)
            continue;
        for (int a = rs->levels[lv->parent].parent; a >= 0; a = rs->levels[a].parent) {
            const rule_level *al = &rs->levels[a];
            if (al->key < 0)
                continue;
            int k = rules_find_ind(lv, al->ind[al->key].id);
            if (k >= 0)
                lv->ind[k].used = 1;
        }
    }
}

/* ---------- names in expressions, during pass two ---------- */

/* The visible name closest to name[0..len), for "did you mean". */
static const char *suggest_name(const scope *sc, const char *name, size_t len)
{
    char buf[64];
    if (len >= sizeof buf)
        return NULL;
    memcpy(buf, name, len);
    buf[len] = '\0';
    const char *best = NULL;
    size_t bd = len > 5 ? 3 : 2;
    const rule_level *lv = sc->lv;
    const ruleset *rs = sc->L->rs;
#define TRY(id)                                \
    do {                                       \
        size_t d_ = rules_distance(buf, (id)); \
        if (d_ < bd) {                         \
            bd = d_;                           \
            best = (id);                       \
        }                                      \
    } while (0)
    for (size_t i = 0; i < lv->nind; i++)
        TRY(lv->ind[i].id);
    for (size_t i = 0; i < rs->nparams; i++)
        TRY(rs->params[i].id);
    for (size_t i = 0; i < sc->derived_limit; i++)
        TRY(lv->derived[i].id);
    if (sc->allow_aggs)
        for (size_t i = 0; i < lv->nagg; i++)
            TRY(lv->agg[i].id);
    if (sc->allow_verdict)
        for (int i = 0; i < VERDICT__COUNT; i++)
            TRY(verdict_names[i]);
#undef TRY
    return best;
}

vtype rules_ind_vtype(ind_type t)
{
    return t == IND_BOOL ? VT_BOOL : t == IND_TEXT ? VT_TEXT : VT_NUM;
}

static int name_is(const char *id, const char *name, size_t len)
{
    return strlen(id) == len && memcmp(id, name, len) == 0;
}

int rules_resolve(void *ctx, const char *name, size_t len, expr_symbol *out)
{
    scope *sc = ctx;
    rule_level *lv = sc->lv;
    ruleset *rs = sc->L->rs;
    /* where the unit's verdict is visible (a parent's aggregate), the
     * registered column by its own name is the `registered` builtin: it
     * also holds for a table without the column */
    if (sc->allow_verdict && lv->registered >= 0 && name_is(lv->ind[lv->registered].id, name, len) &&
        name_is(verdict_names[VERDICT_REGISTERED], name, len)) {
        out->slot = lv->verdict_base + VERDICT_REGISTERED;
        out->type = VT_BOOL;
        return 1;
    }
    for (size_t i = 0; i < lv->nind; i++)
        if (name_is(lv->ind[i].id, name, len)) {
            out->slot = (int)i;
            out->type = rules_ind_vtype(lv->ind[i].type);
            return 1;
        }
    for (size_t i = 0; i < rs->nparams; i++)
        if (name_is(rs->params[i].id, name, len)) {
            out->slot = lv->param_base + (int)i;
            out->type = VT_NUM;
            return 1;
        }
    for (size_t i = 0; i < sc->derived_limit; i++)
        if (name_is(lv->derived[i].id, name, len)) {
            out->slot = lv->derived_base + (int)i;
            out->type = lv->derived[i].type;
            return 1;
        }
    if (sc->allow_aggs)
        for (size_t i = 0; i < lv->nagg; i++)
            if (name_is(lv->agg[i].id, name, len)) {
                out->slot = lv->agg_base + (int)i;
                out->type = VT_NUM;
                return 1;
            }
    if (sc->allow_verdict)
        for (int i = 0; i < VERDICT__COUNT; i++)
            if (name_is(verdict_names[i], name, len)) {
                out->slot = lv->verdict_base + i;
                out->type = VT_BOOL;
                return 1;
            }
    sc->suggest = suggest_name(sc, name, len);
    return 0;
}
