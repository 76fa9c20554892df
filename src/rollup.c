/*
 * rollup.c - the kept upper-level units, parent links and counters (see
 * rollup.h).
 *
 * Invariants:
 * - a kept unit's slots [0, nind) are its row's values, its text copied
 *   into the level's arena; its `below.acc` has one accumulator per
 *   aggregate of its level;
 * - a unit is counted into its ancestors' `below` by rollup_add only, and
 *   taken back only by rollup_reset: `counted` records which levels have
 *   added to them, so a reset that would take back another level's counts
 *   is caught by an assert.
 */
#include "rollup.h"
#include "idmap.h"
#include "mem.h"

#include <assert.h>
#include <string.h>

typedef struct kept_level {
    unit_rec *units;
    size_t n, cap;
    idmap *ids;
    arena *a;
    level_summary sum;
    int read;                 /* the level's table was read */
    const char *path;
    int consistency[RULES_MAX_LEVELS];  /* ancestor levels whose key column this level also carries: index + 1 */
} kept_level;

struct rollup {
    const ruleset *rs;
    diag_list *d;
    size_t nlevels;
    kept_level lv[RULES_MAX_LEVELS];
    int counted[RULES_MAX_LEVELS];      /* the level's units were added to their ancestors */
};

/* A level as a diagnostic names it: its id, or the pack's Chinese title of
 * it when messages are translated (Chinese is the only translation, and
 * every level has a Chinese title beside its English one). */
static const char *level_word(const rollup *r, const rule_level *lv)
{
    return diag_translator(r->d) && lv->title.zh ? lv->title.zh : lv->id;
}

rollup *rollup_new(const ruleset *rs, diag_list *d)
{
    rollup *r = mem_calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->rs = rs;
    r->d = d;
    r->nlevels = rules_nlevels(rs);
    assert(r->nlevels <= RULES_MAX_LEVELS);
    for (size_t i = 0; i < r->nlevels; i++) {
        const rule_level *lv = rules_level(rs, i);
        kept_level *kl = &r->lv[i];
        kl->a = arena_new();
        kl->ids = idmap_new();
        kl->sum.target_fail = mem_calloc(lv->ntargets + 1, sizeof(long));
        kl->sum.target_unknown = mem_calloc(lv->ntargets + 1, sizeof(long));
        kl->sum.target_warn = mem_calloc(lv->ntargets + 1, sizeof(long));
        if (!kl->a || !kl->ids || !kl->sum.target_fail || !kl->sum.target_unknown || !kl->sum.target_warn)
            goto oom;
        /* a level that also carries the key column of a level above its
         * parent (household.county_id) is checked against its parent's */
        for (int a = lv->parent >= 0 ? rules_level(rs, (size_t)lv->parent)->parent : -1; a >= 0;
             a = rules_level(rs, (size_t)a)->parent) {
            const rule_level *al = rules_level(rs, (size_t)a);
            for (size_t k = 0; k < lv->nind; k++)
                if (strcmp(lv->ind[k].id, al->ind[al->key].id) == 0)
                    kl->consistency[a] = (int)k + 1;
        }
    }
    return r;
oom:
    diag_oom(d);
    rollup_free(&r);
    return NULL;
}

void rollup_free(rollup **rp)
{
    if (!rp || !*rp)
        return;
    rollup *r = *rp;
    for (size_t i = 0; i < r->nlevels; i++) {
        kept_level *kl = &r->lv[i];
        for (size_t k = 0; k < kl->n; k++)
            mem_free(kl->units[k].below.acc);
        mem_free(kl->units);
        idmap_free(&kl->ids);
        arena_free(&kl->a);
        mem_free(kl->sum.target_fail);
        mem_free(kl->sum.target_unknown);
        mem_free(kl->sum.target_warn);
    }
    mem_free(r);
    *rp = NULL;
}

void rollup_set_read(rollup *r, int level, const char *path)
{
    assert(level >= 0 && (size_t)level < r->nlevels);
    r->lv[level].read = 1;
    r->lv[level].path = path;
}

level_summary *rollup_summary(rollup *r, int level) { return &r->lv[level].sum; }

size_t rollup_units(rollup *r, int level, unit_rec **units)
{
    *units = r->lv[level].units;
    return r->lv[level].n;
}

/* Warns when the unit also names an ancestor above its parent
 * (household.county_id) that is not its parent's own. */
static void check_ancestors(rollup *r, const rule_level *lv, const value *vals, const char *path, long line,
                            long idx)
{
    const rule_level *pl = rules_level(r->rs, (size_t)lv->parent);
    const kept_level *kl = &r->lv[lv->index], *ps = &r->lv[lv->parent];
    long a_idx = ps->units[idx].parent_idx;
    for (int a = pl->parent; a >= 0 && a_idx >= 0; a = rules_level(r->rs, (size_t)a)->parent) {
        const unit_rec *anc = &r->lv[a].units[a_idx];
        if (kl->consistency[a]) {
            const value *mine = &vals[kl->consistency[a] - 1];
            if (mine->kind == V_TEXT && (strlen(anc->id) != mine->len || memcmp(anc->id, mine->u.s, mine->len) != 0))
                diag_add(r->d, DIAG_WARNING, path, line, 0,
                         "%s '%.*s' differs from that of its %s '%s' ('%s'); counted under the %s's",
                         lv->ind[kl->consistency[a] - 1].id, (int)mine->len, mine->u.s, level_word(r, pl),
                         ps->units[idx].id, anc->id, level_word(r, pl));
        }
        a_idx = anc->parent_idx;
    }
}

long rollup_find_parent(rollup *r, const rule_level *lv, const value *vals, const char *path, long line, int *orphan,
                        int warn)
{
    *orphan = 0;
    if (lv->parent < 0 || lv->parent_key < 0)
        return -1;
    const kept_level *ps = &r->lv[lv->parent];
    if (!ps->read)
        return -1; /* no parent table: nothing to check against */
    const value *pk = &vals[lv->parent_key];
    const rule_level *pl = rules_level(r->rs, (size_t)lv->parent);
    if (pk->kind != V_TEXT) {
        *orphan = 1;
        if (warn)
            diag_add(r->d, DIAG_WARNING, path, line, 0, "no %s: this %s is not counted in any figure above it",
                     lv->ind[lv->parent_key].id, level_word(r, lv));
        return -1;
    }
    long idx = idmap_get(ps->ids, pk->u.s, pk->len);
    if (idx < 0) {
        *orphan = 1;
        if (warn)
            diag_add(r->d, DIAG_WARNING, path, line, 0,
                     "%s '%.*s' is not in the %s table (%s): this %s is not counted in any figure above it",
                     lv->ind[lv->parent_key].id, (int)pk->len, pk->u.s, level_word(r, pl), ps->path,
                     level_word(r, lv));
        return -1;
    }
    if (warn)
        check_ancestors(r, lv, vals, path, line, idx);
    return idx;
}

unit_rec *rollup_keep(rollup *r, const rule_level *lv, const value *vals, long line, const char *path,
                      long *dup_line)
{
    kept_level *kl = &r->lv[lv->index];
    const value *key = &vals[lv->key];
    *dup_line = 0;
    long prev = idmap_get(kl->ids, key->u.s, key->len);
    if (prev >= 0) {
        *dup_line = kl->units[prev].line;
        return NULL;
    }
    if (mem_grow(&kl->units, &kl->cap, kl->n + 1, sizeof *kl->units))
        goto oom;
    unit_rec *u = &kl->units[kl->n];
    memset(u, 0, sizeof *u);
    u->level = lv;
    u->line = line;
    u->slots = arena_alloc(kl->a, lv->nslots * sizeof(value));
    u->tstatus = arena_alloc(kl->a, lv->ntargets + 1);
    u->reported = arena_alloc(kl->a, (lv->nrecompute + 1) * sizeof(value));
    u->differs = arena_alloc(kl->a, lv->nrecompute + 1);
    u->applied = arena_alloc(kl->a, lv->nrecompute + 1);
    u->below.acc = mem_calloc(lv->nagg + 1, sizeof(agg_acc));
    if (!u->slots || !u->tstatus || !u->reported || !u->differs || !u->applied || !u->below.acc)
        goto oom_unit;
    for (size_t i = 0; i < lv->nind; i++) {
        u->slots[i] = vals[i];
        if (vals[i].kind == V_TEXT && !(u->slots[i].u.s = arena_strndup(kl->a, vals[i].u.s, vals[i].len)))
            goto oom_unit;
    }
    u->id = u->slots[lv->key].u.s;
    u->parent = lv->parent_key >= 0 && u->slots[lv->parent_key].kind == V_TEXT ? u->slots[lv->parent_key].u.s : NULL;
    u->name = lv->name >= 0 && u->slots[lv->name].kind == V_TEXT ? u->slots[lv->name].u.s : NULL;
    u->parent_idx = rollup_find_parent(r, lv, vals, path, line, &u->orphan, 1);
    if (idmap_put(kl->ids, key->u.s, key->len, (long)kl->n) == -2)
        goto oom_unit;
    kl->n++;
    return u;
oom_unit:
    mem_free(u->below.acc); /* the unit is not kept, so rollup_free would not free it */
oom:
    diag_oom(r->d);
    return NULL;
}

void rollup_count(rollup *r, const unit_rec *u)
{
    const rule_level *lv = u->level;
    level_summary *sum = &r->lv[lv->index].sum;
    for (size_t i = 0; i < lv->ntargets; i++) {
        sum->target_unknown[i] += u->tstatus[i] == ST_UNKNOWN;
        sum->target_warn[i] += u->tstatus[i] == ST_WARN;
        sum->target_fail[i] += u->tstatus[i] == ST_FAIL;
    }
    sum->units++;
    switch (u->status) {
    case ST_PASS: sum->pass++; break;
    case ST_FAIL: sum->fail++; break;
    case ST_UNKNOWN: sum->unknown++; break;
    case ST_WARN: sum->warn++; break;
    }
    claim_tally_add(&sum->claims, u->claim);
    sum->orphans += u->orphan != 0;
    for (size_t i = 0; i < lv->nrecompute; i++)
        sum->differs += u->differs[i] != 0;
}

/* Adds one child unit's values to an ancestor's aggregates over lv. */
static void add_aggregates(const rule_level *al, const rule_level *lv, agg_acc *acc, const value *slots)
{
    for (size_t i = 0; i < al->nagg; i++) {
        const rule_aggregate *ag = &al->agg[i];
        if (ag->of != lv->index)
            continue;
        agg_acc *a = &acc[i];
        if (ag->where) {
            value w = expr_eval(ag->where, slots);
            if (w.kind == V_UNKNOWN) {
                a->unknown++;
                continue;
            }
            if (!w.u.b)
                continue;
        }
        if (!ag->value) { /* a kind that reads no value: count */
            aggregate_add(ag->kind, a, 0);
            continue;
        }
        value v = expr_eval(ag->value, slots);
        if (v.kind == V_UNKNOWN) {
            a->unknown++;
            continue;
        }
        aggregate_add(ag->kind, a, v.u.num);
    }
}

void rollup_add(rollup *r, const rule_level *lv, const value *slots, claim_status claim, long parent_idx)
{
    int is_leaf = lv->child < 0;
    r->counted[lv->index] = 1;
    int first = 1;
    for (int L = lv->parent; L >= 0 && parent_idx >= 0; L = rules_level(r->rs, (size_t)L)->parent) {
        const rule_level *al = rules_level(r->rs, (size_t)L);
        unit_rec *u = &r->lv[L].units[parent_idx];
        unit_below *b = &u->below;
        if (first)
            b->children++;
        first = 0;
        b->desc[lv->index]++;
        if (is_leaf)
            claim_tally_add(&b->leaf_claims, claim);
        add_aggregates(al, lv, b->acc, slots);
        parent_idx = u->parent_idx;
    }
}

void rollup_reset(rollup *r, int level)
{
    const rule_level *lv = rules_level(r->rs, (size_t)level);
    level_summary *sum = &r->lv[level].sum;
    long *tf = sum->target_fail, *tu = sum->target_unknown, *tw = sum->target_warn;
    memset(sum, 0, sizeof *sum);
    memset(tf, 0, lv->ntargets * sizeof(long));
    memset(tu, 0, lv->ntargets * sizeof(long));
    memset(tw, 0, lv->ntargets * sizeof(long));
    sum->target_fail = tf;
    sum->target_unknown = tu;
    sum->target_warn = tw;
    for (size_t L = 0; L < r->nlevels; L++)
        assert(!r->counted[L] || (int)L == level); /* only this level's counts are in the ancestors */
    r->counted[level] = 0;
    for (int L = lv->parent; L >= 0; L = rules_level(r->rs, (size_t)L)->parent) {
        const rule_level *al = rules_level(r->rs, (size_t)L);
        kept_level *kl = &r->lv[L];
        for (size_t k = 0; k < kl->n; k++) {
            unit_below *b = &kl->units[k].below;
            agg_acc *acc = b->acc;
            memset(b, 0, sizeof *b);
            memset(acc, 0, al->nagg * sizeof *acc);
            b->acc = acc;
        }
    }
}
