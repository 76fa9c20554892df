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
    const char *unmatched_id; /* the first id a unit named that matched no unit of ... */
    int unmatched_level;      /* ... this ancestor level */
} kept_level;

struct rollup {
    const ruleset *rs;
    diag_list *d;
    size_t nlevels;
    kept_level lv[RULES_MAX_LEVELS];
    int counted[RULES_MAX_LEVELS];      /* the level's units were added to their ancestors */
};

/* A level as a diagnostic names it (Chinese is the only translation). */
static const char *level_word(const rollup *r, const rule_level *lv)
{
    return rules_level_word(lv, diag_translator(r->d) != NULL);
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
        kl->sum.target_waived = mem_calloc(lv->ntargets + 1, sizeof(long));
        if (!kl->a || !kl->ids || !kl->sum.target_fail || !kl->sum.target_unknown || !kl->sum.target_warn ||
            !kl->sum.target_waived)
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
        mem_free(kl->sum.target_waived);
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

/* The kept unit of level L whose id is the text v, or -1. */
static long find_id(const rollup *r, int L, const value *v)
{
    return v->kind == V_TEXT ? idmap_get(r->lv[L].ids, v->u.s, v->len) : -1;
}

/* Notes a unit of lv that matches no unit of the nearest ancestor level
 * whose table was read (the first such id is kept for the mismatch hint). */
static void note_unmatched(rollup *r, const rule_level *lv, int L, const value *v)
{
    kept_level *kl = &r->lv[lv->index];
    if (kl->unmatched_id || v->kind != V_TEXT)
        return;
    kl->unmatched_level = L;
    kl->unmatched_id = arena_strndup(kl->a, v->u.s, v->len); /* NULL when out of memory: no hint */
}

static int same_id(const char *id, const value *v)
{
    return v->kind == V_TEXT && strlen(id) == v->len && memcmp(id, v->u.s, v->len) == 0;
}

/* The direct parent: its index in lv's parent level, or -1. */
static long link_parent(rollup *r, const rule_level *lv, const value *vals, const char *path, long line, int *orphan,
                        int warn)
{
    const kept_level *ps = &r->lv[lv->parent];
    const rule_level *pl = rules_level(r->rs, (size_t)lv->parent);
    const value *pk = &vals[lv->parent_key];
    long idx = find_id(r, lv->parent, pk);
    if (idx >= 0)
        return idx;
    *orphan = 1;
    if (!warn)
        return -1;
    if (pk->kind != V_TEXT)
        diag_add(r->d, DIAG_WARNING, path, line, 0, "no %s: this %s is counted in no %s figure",
                 lv->ind[lv->parent_key].id, level_word(r, lv), level_word(r, pl));
    else
        diag_add(r->d, DIAG_WARNING, path, line, 0,
                 "%s '%.*s' is not in the %s table (%s): this %s is counted in no %s figure",
                 lv->ind[lv->parent_key].id, (int)pk->len, pk->u.s, level_word(r, pl), ps->path, level_word(r, lv),
                 level_word(r, pl));
    return -1;
}

long rollup_link(rollup *r, const rule_level *lv, const value *vals, const char *path, long line, long *anc,
                 unit_rec *u, int warn)
{
    for (int L = 0; L < RULES_MAX_LEVELS; L++)
        anc[L] = -1;
    u->orphan = u->unmatched = 0;
    if (lv->parent < 0 || lv->parent_key < 0)
        return -1;
    const kept_level *kl = &r->lv[lv->index];
    int nearest = -1;      /* the nearest ancestor level whose table was read */
    const value *named = NULL;
    if (r->lv[lv->parent].read) {
        nearest = lv->parent;
        named = &vals[lv->parent_key];
        anc[lv->parent] = link_parent(r, lv, vals, path, line, &u->orphan, warn);
    }
    /* higher ancestors: through the unit's own column for that level
     * (household.county_id) where it has one, else through the chain */
    int below = lv->parent;
    for (int A = rules_level(r->rs, (size_t)below)->parent; A >= 0;
         below = A, A = rules_level(r->rs, (size_t)A)->parent) {
        long chain = anc[below] >= 0 ? r->lv[below].units[anc[below]].parent_idx : -1;
        const value *own = kl->consistency[A] ? &vals[kl->consistency[A] - 1] : NULL;
        if (!r->lv[A].read || !own || own->kind != V_TEXT) {
            anc[A] = chain;
            continue;
        }
        if (nearest < 0) {
            nearest = A;
            named = own;
        }
        if (chain >= 0 && same_id(r->lv[A].units[chain].id, own)) {
            anc[A] = chain;
            continue;
        }
        /* its own, where that is in the table; else its parent's */
        long mine = find_id(r, A, own);
        anc[A] = mine >= 0 || chain < 0 ? mine : chain;
        if (warn && chain >= 0) {
            /* the unit of the level below A that the chain went through */
            const rule_level *bl = rules_level(r->rs, (size_t)below);
            const rule_level *al = rules_level(r->rs, (size_t)A);
            const char *via = r->lv[below].units[anc[below]].id;
            if (mine >= 0)
                diag_add(r->d, DIAG_WARNING, path, line, 0,
                         "%s '%.*s' differs from that of its %s '%s' ('%s'); this %s is counted under its own %s",
                         lv->ind[kl->consistency[A] - 1].id, (int)own->len, own->u.s, level_word(r, bl), via,
                         r->lv[A].units[chain].id, level_word(r, lv), level_word(r, al));
            else
                diag_add(r->d, DIAG_WARNING, path, line, 0,
                         "%s '%.*s' differs from that of its %s '%s' ('%s') and is not in the %s table; counted under the %s's",
                         lv->ind[kl->consistency[A] - 1].id, (int)own->len, own->u.s, level_word(r, bl), via,
                         r->lv[A].units[chain].id, level_word(r, al), level_word(r, bl));
        }
    }
    if (nearest >= 0 && anc[nearest] < 0) {
        u->unmatched = 1;
        if (warn)
            note_unmatched(r, lv, nearest, named);
    }
    return anc[lv->parent];
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
    long anc[RULES_MAX_LEVELS];
    u->parent_idx = rollup_link(r, lv, vals, path, line, anc, u, 1);
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
        sum->target_waived[i] += u->tstatus[i] == ST_WAIVED;
    }
    sum->units++;
    switch (u->status) {
    case ST_PASS: sum->pass++; break;
    case ST_FAIL: sum->fail++; break;
    case ST_UNKNOWN: sum->unknown++; break;
    case ST_WARN: sum->warn++; break;
    case ST_WAIVED: assert(!"a unit's status is never waived"); break;
    }
    int by_waiver = unit_by_waiver(u);
    sum->by_waiver += by_waiver;
    const value *people = lv->people >= 0 ? &u->slots[lv->people] : NULL;
    claim_tally_add(u->exit == UEXIT_EARLIER ? &sum->earlier : &sum->claims, u->claim, people, by_waiver);
    sum->orphans += u->orphan != 0;
    sum->unmatched += u->unmatched != 0;
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

void rollup_add(rollup *r, const unit_rec *u, const long *anc)
{
    const rule_level *lv = u->level;
    int is_leaf = lv->child < 0;
    int by_waiver = is_leaf && unit_by_waiver(u); /* once, not per ancestor */
    const value *people = lv->people >= 0 ? &u->slots[lv->people] : NULL;
    r->counted[lv->index] = 1;
    for (int L = lv->parent; L >= 0; L = rules_level(r->rs, (size_t)L)->parent) {
        if (anc[L] < 0)
            continue;
        const rule_level *al = rules_level(r->rs, (size_t)L);
        unit_below *b = &r->lv[L].units[anc[L]].below;
        b->children += L == lv->parent;
        b->desc[lv->index]++;
        if (is_leaf)
            claim_tally_add(u->exit == UEXIT_EARLIER ? &b->leaf_earlier : &b->leaf_claims, u->claim, people,
                            by_waiver);
        add_aggregates(al, lv, b->acc, u->slots);
    }
}

void rollup_reset(rollup *r, int level)
{
    const rule_level *lv = rules_level(r->rs, (size_t)level);
    level_summary *sum = &r->lv[level].sum;
    long *tf = sum->target_fail, *tu = sum->target_unknown, *tw = sum->target_warn, *tv = sum->target_waived;
    memset(sum, 0, sizeof *sum);
    memset(tf, 0, lv->ntargets * sizeof(long));
    memset(tu, 0, lv->ntargets * sizeof(long));
    memset(tw, 0, lv->ntargets * sizeof(long));
    memset(tv, 0, lv->ntargets * sizeof(long));
    sum->target_fail = tf;
    sum->target_unknown = tu;
    sum->target_warn = tw;
    sum->target_waived = tv;
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

int rollup_mismatch(const rollup *r, int level, const char **id, int *ancestor)
{
    const kept_level *kl = &r->lv[level];
    if (kl->sum.unmatched * 2 <= kl->sum.units || !kl->unmatched_id)
        return 0;
    *id = kl->unmatched_id;
    *ancestor = kl->unmatched_level;
    return 1;
}

/* 1 when s (n bytes) with prefix pre and suffix suf is an id of level L. */
static int respelt_found(const rollup *r, int L, const char *pre, const char *s, size_t n, const char *suf)
{
    char buf[256];
    size_t a = strlen(pre), b = strlen(suf);
    if (a + n + b >= sizeof buf)
        return 0;
    memcpy(buf, pre, a);
    memcpy(buf + a, s, n);
    memcpy(buf + a + n, suf, b);
    return idmap_get(r->lv[L].ids, buf, a + n + b) >= 0;
}

rollup_id_hint rollup_mismatch_hint(const rollup *r, const char *id, int ancestor)
{
    size_t n = strlen(id);
    if (n > 2 && strcmp(id + n - 2, ".0") == 0)
        return IDHINT_DOT_ZERO;
    if (id[0] == '\'')
        return IDHINT_APOSTROPHE;
    if (strstr(id, "E+") || strstr(id, "e+"))
        return IDHINT_EXPONENT;
    for (size_t i = 0; i + 2 < n; i++) {
        const unsigned char *u = (const unsigned char *)id + i;
        if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99)
            return IDHINT_FULLWIDTH; /* U+FF10..U+FF19 */
        if ((u[0] == 0xC2 && u[1] == 0xA0) || (u[0] == 0xE2 && u[1] == 0x80 && u[2] <= 0x8B))
            return IDHINT_SPACES;    /* U+00A0, U+2000..U+200B */
    }
    if (n >= 2 && ((unsigned char)id[n - 2] == 0xC2 && (unsigned char)id[n - 1] == 0xA0))
        return IDHINT_SPACES;
    if (respelt_found(r, ancestor, "", id, n, ".0"))
        return IDHINT_PARENT_DOT_ZERO;
    if (respelt_found(r, ancestor, "'", id, n, ""))
        return IDHINT_PARENT_APOSTROPHE;
    return IDHINT_NONE;
}
