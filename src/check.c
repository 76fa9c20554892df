/*
 * check.c - evaluation and roll-ups (see check.h for the order of work).
 *
 * Invariants:
 * - a unit's slots hold, in order, its indicator values (recomputed where
 *   child data allows), parameters for its year, derived values,
 *   aggregates and its own verdict; missing data is UNKNOWN, never 0;
 * - upper-level units live in their level's array, found by id through an
 *   idmap; bottom-level units live only in the spool once evaluated;
 * - every row a table delivers is either evaluated (and counted in the
 *   level's summary) or rejected as a duplicate, never dropped.
 */
#include "check.h"
#include "digest.h"
#include "idmap.h"
#include "mem.h"
#include "strbuf.h"
#include "xsort.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Memory for the ids of bottom-level rows before they go to a temporary
 * file (twice this while sorting): the duplicate check is what would
 * otherwise grow with the number of households. */
enum { LEAF_ID_BUDGET = 2 * 1024 * 1024 };

typedef struct agg_acc {
    double v;
    long n;
    long unknown;
} agg_acc;

typedef struct unit {
    long line;
    const char *id, *parent, *name;
    value *slots;
    unsigned char *tstatus;
    unit_status status;
    claim_status claim;
    long parent_idx;          /* in the parent level, -1 when none */
    int orphan;
    agg_acc *acc;
    long children;
    int has_children;
    long desc[8];             /* descendants counted in, per level */
    claim_tally leaf;
    value *reported;
    unsigned char *differs;
    unsigned char *applied;
} unit;

typedef struct level_state {
    unit *units;
    size_t n, cap;
    idmap *ids;
    arena *a;
    level_summary sum;
    table_stats stats;
    int have_stats;
    int listed;               /* given but unreadable: reported as an input all the same */
    const char *path;
    int *param_used;          /* per parameter: some expression of the level reads it */
    int consistency[8];       /* ancestor levels whose key column this level also carries */
} level_state;

struct checker {
    const ruleset *rs;
    diag_list *d;
    size_t nlevels;
    int leaf;                 /* index of the bottom level */
    level_state lv[8];
    FILE *spool;
    long spooled;
    xsort *leaf_ids;          /* (hash, hash, spool offset, line) of every bottom-level row */
    uint64_t spool_off;       /* bytes spooled so far, the buffered ones too */
    value *scratch;           /* slots of the bottom-level unit being evaluated */
    unsigned char *tscratch;
    value *rscratch;
    unsigned char *dscratch;
    unsigned char *ascratch;
    missing_param *missing;
    size_t nmissing, cap_missing;
    int years[32];            /* data years seen, ascending */
    size_t nyears;
    strbuf rec;               /* one spool record, reused */
    int failed;
};

const char *unit_status_name(unit_status s)
{
    static const char *const n[] = {"pass", "fail", "unknown", "warn"};
    return n[s];
}

const char *claim_status_name(claim_status c)
{
    static const char *const n[] = {"none", "supported", "wrong_exit", "unsupported"};
    return n[c];
}

/* A level as a diagnostic names it: its id, or the pack's Chinese title of
 * it when messages are translated (Chinese is the only translation, and
 * every level has a Chinese title beside its English one). */
static const char *level_word(const checker *c, const rule_level *lv)
{
    return diag_translator(c->d) && lv->title.zh ? lv->title.zh : lv->id;
}

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

checker *check_new(const ruleset *rs, diag_list *d)
{
    checker *c = mem_calloc(1, sizeof *c);
    if (!c)
        goto oom;
    c->rs = rs;
    c->d = d;
    c->nlevels = rules_nlevels(rs);
    c->leaf = (int)c->nlevels - 1;
    size_t np = rules_nparams(rs);
    for (size_t i = 0; i < c->nlevels; i++) {
        const rule_level *lv = rules_level(rs, i);
        level_state *ls = &c->lv[i];
        ls->a = arena_new();
        ls->ids = idmap_new();
        ls->param_used = mem_calloc(np ? np : 1, sizeof(int));
        ls->sum.target_fail = mem_calloc(lv->ntargets + 1, sizeof(long));
        ls->sum.target_unknown = mem_calloc(lv->ntargets + 1, sizeof(long));
        ls->sum.target_warn = mem_calloc(lv->ntargets + 1, sizeof(long));
        if (!ls->a || !ls->ids || !ls->param_used || !ls->sum.target_fail || !ls->sum.target_unknown ||
            !ls->sum.target_warn)
            goto oom;
        for (size_t t = 0; t < lv->ntargets; t++)
            mark_params(rs, lv, lv->targets[t].e, ls->param_used);
        for (size_t k = 0; k < lv->nderived; k++) {
            mark_params(rs, lv, lv->derived[k].e, ls->param_used);
            for (size_t j = 0; j < lv->derived[k].ncases; j++) {
                mark_params(rs, lv, lv->derived[k].cases[j].when, ls->param_used);
                mark_params(rs, lv, lv->derived[k].cases[j].value, ls->param_used);
            }
        }
        for (size_t k = 0; k < lv->nrecompute; k++)
            mark_params(rs, lv, lv->recompute[k].e, ls->param_used);
        /* a level that also carries the key column of a level above its
         * parent (household.county_id) is checked against its parent's */
        for (int a = lv->parent >= 0 ? rules_level(rs, (size_t)lv->parent)->parent : -1; a >= 0;
             a = rules_level(rs, (size_t)a)->parent) {
            const rule_level *al = rules_level(rs, (size_t)a);
            for (size_t k = 0; k < lv->nind; k++)
                if (strcmp(lv->ind[k].id, al->ind[al->key].id) == 0)
                    ls->consistency[a] = (int)k + 1;
        }
    }
    const rule_level *leaf = rules_level(rs, (size_t)c->leaf);
    c->scratch = mem_calloc(leaf->nslots, sizeof(value));
    c->tscratch = mem_calloc(leaf->ntargets + 1, 1);
    c->rscratch = mem_calloc(leaf->nrecompute + 1, sizeof(value));
    c->dscratch = mem_calloc(leaf->nrecompute + 1, 1);
    c->ascratch = mem_calloc(leaf->nrecompute + 1, 1);
    c->leaf_ids = xsort_new(LEAF_ID_BUDGET);
    if (!c->scratch || !c->tscratch || !c->rscratch || !c->dscratch || !c->ascratch || !c->leaf_ids)
        goto oom;
    return c;
oom:
    diag_oom(d);
    check_free(&c);
    return NULL;
}

void check_free(checker **cp)
{
    if (!cp || !*cp)
        return;
    checker *c = *cp;
    for (size_t i = 0; i < c->nlevels; i++) {
        level_state *ls = &c->lv[i];
        for (size_t k = 0; k < ls->n; k++)
            mem_free(ls->units[k].acc);
        mem_free(ls->units);
        idmap_free(&ls->ids);
        arena_free(&ls->a);
        mem_free(ls->param_used);
        mem_free(ls->sum.target_fail);
        mem_free(ls->sum.target_unknown);
        mem_free(ls->sum.target_warn);
    }
    if (c->spool)
        fclose(c->spool);
    xsort_free(&c->leaf_ids);
    mem_free(c->scratch);
    mem_free(c->tscratch);
    mem_free(c->rscratch);
    mem_free(c->dscratch);
    mem_free(c->ascratch);
    mem_free(c->missing);
    strbuf_free(&c->rec);
    mem_free(c);
    *cp = NULL;
}

/* ---------- evaluation of one unit ---------- */

static void note_missing_param(checker *c, const rule_param *p, int year)
{
    for (size_t i = 0; i < c->nmissing; i++)
        if (c->missing[i].param == p && c->missing[i].year == year) {
            c->missing[i].units++;
            return;
        }
    if (mem_grow(&c->missing, &c->cap_missing, c->nmissing + 1, sizeof *c->missing)) {
        diag_oom(c->d);
        return;
    }
    c->missing[c->nmissing++] = (missing_param){p, year, 1};
    if (year)
        diag_add(c->d, DIAG_WARNING, NULL, 0, 0,
                 "parameter '%s' has no value for %d: the targets that need it are unknown for %d (give --param %s=VALUE)",
                 p->id, year, year, p->id);
    else
        diag_add(c->d, DIAG_WARNING, NULL, 0, 0,
                 "parameter '%s' is needed by rows without a year (or with one outside 1-9999): their targets that need it are unknown",
                 p->id);
}

static void note_year(checker *c, int year)
{
    size_t i = 0;
    while (i < c->nyears && c->years[i] < year)
        i++;
    if ((i < c->nyears && c->years[i] == year) || c->nyears == sizeof c->years / sizeof c->years[0])
        return;
    memmove(&c->years[i + 1], &c->years[i], (c->nyears - i) * sizeof(int));
    c->years[i] = year;
    c->nyears++;
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

static value agg_result(const rule_aggregate *ag, const agg_acc *acc, int level_read)
{
    if (!level_read || acc->unknown)
        return value_unknown(WHY_NO_DATA);
    switch (ag->kind) {
    case AGG_COUNT: return value_num((double)acc->n);
    case AGG_SUM: return value_num(acc->v);
    default: return acc->n ? value_num(acc->v) : value_unknown(WHY_NO_DATA);
    }
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
            if (!desc || ag->of < 0 || desc[ag->of] == 0)
                return 0;
            any = 1;
        }
    return any;
}

/* The level whose data a recomputation comes from: that of the first
 * aggregate it reads (the child level if it reads none). */
static int recompute_source(const rule_level *lv, const expr *e)
{
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++)
        if (refs[i] >= lv->agg_base && refs[i] < lv->verdict_base && lv->agg[refs[i] - lv->agg_base].of >= 0)
            return lv->agg[refs[i] - lv->agg_base].of;
    return lv->child;
}

/* Sets the verdict slots (meets, fails, ... unsupported) from a unit's
 * status and claim. */
static void set_verdicts(const rule_level *lv, value *slots, unit_status status, claim_status claim)
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

/* Counts an evaluated unit into its level's summary. */
static void count_unit(level_summary *sum, const rule_level *lv, const unsigned char *tstatus, unit_status status,
                       claim_status claim)
{
    for (size_t i = 0; i < lv->ntargets; i++) {
        sum->target_unknown[i] += tstatus[i] == ST_UNKNOWN;
        sum->target_warn[i] += tstatus[i] == ST_WARN;
        sum->target_fail[i] += tstatus[i] == ST_FAIL;
    }
    sum->units++;
    switch (status) {
    case ST_PASS: sum->pass++; break;
    case ST_FAIL: sum->fail++; break;
    case ST_UNKNOWN: sum->unknown++; break;
    case ST_WARN: sum->warn++; break;
    }
    if (claim != CLAIM_NONE) {
        sum->claims.claimed++;
        sum->claims.supported += claim == CLAIM_SUPPORTED;
        sum->claims.wrong += claim == CLAIM_WRONG;
        sum->claims.unsupported += claim == CLAIM_UNSUPPORTED;
    }
}

/* Evaluates the unit whose indicator slots are filled in. acc and desc
 * describe its child data (NULL for none). Counts it into its level's
 * summary when count is set (the bottom level counts its rows itself, as
 * they come, and again in settle_leaf if an id repeats). */
static void evaluate(checker *c, const rule_level *lv, value *slots, unsigned char *tstatus, const agg_acc *acc,
                     const long *desc, value *reported, unsigned char *differs, unsigned char *applied,
                     unit_status *status_out, claim_status *claim_out, int count)
{
    const ruleset *rs = c->rs;
    level_state *ls = &c->lv[lv->index];
    size_t np = rules_nparams(rs);
    int have_year = 0, year = 0;
    if (lv->year >= 0 && slots[lv->year].kind == V_NUM && slots[lv->year].u.num >= 1 &&
        slots[lv->year].u.num <= 9999) {
        have_year = 1;
        year = (int)slots[lv->year].u.num;
        note_year(c, year);
    }
    for (size_t i = 0; i < np; i++) {
        const rule_param *p = rules_param(rs, i);
        value v = rules_param_value(p, have_year, year, NULL);
        slots[lv->param_base + (int)i] = v;
        if (v.kind == V_UNKNOWN && ls->param_used[i])
            note_missing_param(c, p, have_year ? year : 0);
    }
    for (size_t i = 0; i < lv->nagg; i++)
        slots[lv->agg_base + (int)i] = acc && lv->agg[i].of >= 0
                                           ? agg_result(&lv->agg[i], &acc[i], c->lv[lv->agg[i].of].have_stats)
                                           : value_unknown(WHY_NO_DATA);
    for (size_t i = 0; i < lv->nrecompute; i++) {
        const rule_recompute *rc = &lv->recompute[i];
        reported[i] = slots[rc->indicator];
        differs[i] = 0;
        applied[i] = (unsigned char)aggs_have_data(lv, rc->e, desc);
        if (!applied[i])
            continue;
        value r = expr_eval(rc->e, slots);
        if (r.kind == V_NUM && reported[i].kind == V_NUM && fabs(r.u.num - reported[i].u.num) > rc->tolerance + 1e-9)
            differs[i] = 1;
        slots[rc->indicator] = r;
    }
    for (size_t i = 0; i < lv->nderived; i++)
        slots[lv->derived_base + (int)i] = eval_derived(&lv->derived[i], slots);

    int any_fail = 0, any_unknown = 0, any_warn = 0;
    for (size_t i = 0; i < lv->ntargets; i++) {
        const rule_target *t = &lv->targets[i];
        value v = expr_eval(t->e, slots);
        unit_status st;
        if (v.kind == V_UNKNOWN) {
            st = ST_UNKNOWN;
            any_unknown = 1;
        } else if (v.u.b) {
            st = ST_PASS;
        } else if (t->severity == SEV_WARN) {
            st = ST_WARN;
            any_warn = 1;
        } else {
            st = ST_FAIL;
            any_fail = 1;
        }
        tstatus[i] = (unsigned char)st;
    }
    unit_status status = any_fail ? ST_FAIL : any_unknown ? ST_UNKNOWN : any_warn ? ST_WARN : ST_PASS;
    int claims = lv->claim >= 0 && slots[lv->claim].kind == V_BOOL && slots[lv->claim].u.b;
    claim_status claim = !claims ? CLAIM_NONE
                         : status == ST_FAIL ? CLAIM_WRONG
                         : status == ST_UNKNOWN ? CLAIM_UNSUPPORTED
                                                : CLAIM_SUPPORTED;
    set_verdicts(lv, slots, status, claim);
    if (count)
        count_unit(&ls->sum, lv, tstatus, status, claim);
    *status_out = status;
    *claim_out = claim;
}

/* Counts an evaluated unit of level `child` into its ancestors, starting
 * with unit parent_idx of level parent. */
static void roll_up(checker *c, const rule_level *child, const value *slots, claim_status claim, long parent_idx)
{
    const ruleset *rs = c->rs;
    int is_leaf = child->index == c->leaf;
    int first = 1;
    for (int L = child->parent; L >= 0 && parent_idx >= 0; L = rules_level(rs, (size_t)L)->parent) {
        const rule_level *al = rules_level(rs, (size_t)L);
        unit *u = &c->lv[L].units[parent_idx];
        if (first)
            u->children++;
        first = 0;
        u->has_children = 1;
        u->desc[child->index]++;
        if (is_leaf && claim != CLAIM_NONE) {
            u->leaf.claimed++;
            u->leaf.supported += claim == CLAIM_SUPPORTED;
            u->leaf.wrong += claim == CLAIM_WRONG;
            u->leaf.unsupported += claim == CLAIM_UNSUPPORTED;
        }
        for (size_t i = 0; i < al->nagg; i++) {
            const rule_aggregate *ag = &al->agg[i];
            if (ag->of != child->index)
                continue;
            agg_acc *a = &u->acc[i];
            if (ag->where) {
                value w = expr_eval(ag->where, slots);
                if (w.kind == V_UNKNOWN) {
                    a->unknown++;
                    continue;
                }
                if (!w.u.b)
                    continue;
            }
            if (ag->kind == AGG_COUNT) {
                a->n++;
                continue;
            }
            value v = expr_eval(ag->value, slots);
            if (v.kind == V_UNKNOWN) {
                a->unknown++;
                continue;
            }
            if (ag->kind == AGG_SUM)
                a->v += v.u.num;
            else if (a->n == 0 || (ag->kind == AGG_MIN ? v.u.num < a->v : v.u.num > a->v))
                a->v = v.u.num;
            a->n++;
        }
        parent_idx = u->parent_idx;
    }
}

/* ---------- reading tables ---------- */

typedef struct row_ctx {
    checker *c;
    const rule_level *lv;
    const char *path;
} row_ctx;

/* The parent's index in its level, or -1 (*orphan set when the parent
 * table was read but does not hold it). Warns about orphans and
 * mismatched ancestors when warn is set. */
static long find_parent(checker *c, const rule_level *lv, const value *vals, const char *path, long line, int *orphan,
                        int warn)
{
    *orphan = 0;
    if (lv->parent < 0 || lv->parent_key < 0)
        return -1;
    level_state *ps = &c->lv[lv->parent];
    if (!ps->have_stats)
        return -1; /* no parent table: nothing to check against */
    const value *pk = &vals[lv->parent_key];
    const rule_level *pl = rules_level(c->rs, (size_t)lv->parent);
    if (pk->kind != V_TEXT) {
        *orphan = 1;
        if (warn)
            diag_add(c->d, DIAG_WARNING, path, line, 0, "no %s: this %s is not counted in any figure above it",
                 lv->ind[lv->parent_key].id, level_word(c, lv));
        return -1;
    }
    long idx = idmap_get(ps->ids, pk->u.s, pk->len);
    if (idx < 0) {
        *orphan = 1;
        if (warn)
            diag_add(c->d, DIAG_WARNING, path, line, 0, "%s '%.*s' is not in the %s table (%s): this %s is not counted in any figure above it",
                 lv->ind[lv->parent_key].id, (int)pk->len, pk->u.s, level_word(c, pl), ps->path, level_word(c, lv));
        return -1;
    }
    /* the unit also names an ancestor (household.county_id): it must be
     * the parent's own ancestor */
    level_state *ls = &c->lv[lv->index];
    long a_idx = ps->units[idx].parent_idx;
    for (int a = pl->parent; a >= 0; a = rules_level(c->rs, (size_t)a)->parent) {
        if (ls->consistency[a] && a_idx >= 0) {
            const value *mine = &vals[ls->consistency[a] - 1];
            const unit *anc = &c->lv[a].units[a_idx];
            if (warn && mine->kind == V_TEXT &&
                (strlen(anc->id) != mine->len || memcmp(anc->id, mine->u.s, mine->len) != 0))
                diag_add(c->d, DIAG_WARNING, path, line, 0,
                         "%s '%.*s' differs from that of its %s '%s' ('%s'); counted under the %s's", 
                         lv->ind[ls->consistency[a] - 1].id, (int)mine->len, mine->u.s, level_word(c, pl),
                         ps->units[idx].id, anc->id, level_word(c, pl));
        }
        if (a_idx >= 0)
            a_idx = c->lv[a].units[a_idx].parent_idx;
    }
    return idx;
}

static const char *copy_text(arena *a, const value *v)
{
    if (!v || v->kind != V_TEXT)
        return NULL;
    return arena_strndup(a, v->u.s, v->len);
}

/* Upper levels: keep the unit. */
static int store_row(void *ctx, const table_row *row)
{
    row_ctx *rc = ctx;
    checker *c = rc->c;
    const rule_level *lv = rc->lv;
    level_state *ls = &c->lv[lv->index];
    const value *key = &row->vals[lv->key];
    long prev = idmap_get(ls->ids, key->u.s, key->len);
    if (prev >= 0) {
        diag_add(c->d, DIAG_ERROR, rc->path, row->line, 0, "row rejected: duplicate %s '%.*s' (first at line %ld)",
                 lv->ind[lv->key].id, (int)key->len, key->u.s, ls->units[prev].line);
        return 1;
    }
    if (mem_grow(&ls->units, &ls->cap, ls->n + 1, sizeof *ls->units))
        goto oom;
    unit *u = &ls->units[ls->n];
    memset(u, 0, sizeof *u);
    u->line = row->line;
    u->slots = arena_alloc(ls->a, lv->nslots * sizeof(value));
    u->tstatus = arena_alloc(ls->a, lv->ntargets + 1);
    u->reported = arena_alloc(ls->a, (lv->nrecompute + 1) * sizeof(value));
    u->differs = arena_alloc(ls->a, lv->nrecompute + 1);
    u->applied = arena_alloc(ls->a, lv->nrecompute + 1);
    u->acc = mem_calloc(lv->nagg + 1, sizeof(agg_acc));
    if (!u->slots || !u->tstatus || !u->reported || !u->differs || !u->applied || !u->acc) {
        mem_free(u->acc);
        goto oom;
    }
    for (size_t i = 0; i < lv->nind; i++) {
        u->slots[i] = row->vals[i];
        if (row->vals[i].kind == V_TEXT) {
            const char *s = copy_text(ls->a, &row->vals[i]);
            if (!s) {
                mem_free(u->acc);
                goto oom;
            }
            u->slots[i].u.s = s;
        }
    }
    u->id = u->slots[lv->key].u.s;
    u->parent = lv->parent_key >= 0 && u->slots[lv->parent_key].kind == V_TEXT ? u->slots[lv->parent_key].u.s : NULL;
    u->name = lv->name >= 0 && u->slots[lv->name].kind == V_TEXT ? u->slots[lv->name].u.s : NULL;
    u->parent_idx = find_parent(c, lv, row->vals, rc->path, row->line, &u->orphan, 1);
    if (idmap_put(ls->ids, key->u.s, key->len, (long)ls->n) == -2) {
        mem_free(u->acc); /* the unit is not counted, so check_free would not free it */
        goto oom;
    }
    ls->n++;
    return 0;
oom:
    diag_oom(c->d);
    c->failed = 1;
    return 0;
}

/* ---------- the spool of bottom-level units ---------- */

/* Records are written to c->rec and go to the file 256 KiB at a time; a
 * record is laid out as: u32 length (of the whole record), i64 line,
 * status, claim, flags (SPOOL_ORPHAN, SPOOL_REJECTED: set in place once
 * the duplicates and parents are known), then each slot below agg_base as kind, why and
 * its payload (f64, one byte, or u32 length + bytes + NUL; length
 * UINT32_MAX for no text), then one status byte per target. */
enum { SPOOL_FLUSH = 256 * 1024 };
/* the flags byte (the third after the line) */
enum { SPOOL_ORPHAN = 1, SPOOL_REJECTED = 2 };
enum { FLAGS_AT = 4 + 8 + 2 };

static unsigned char *put_bytes(unsigned char *p, const void *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

static int spool_flush(checker *c)
{
    strbuf *sb = &c->rec;
    if (sb->len && fwrite(sb->s, 1, sb->len, c->spool) != sb->len) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "cannot write the temporary unit file: %s", diag_tr(c->d, strerror(errno)));
        return -1;
    }
    strbuf_reset(sb);
    return 0;
}

static int spool_unit(checker *c, const rule_level *lv, long line, const value *slots, const unsigned char *tstatus,
                      unit_status st, claim_status cl, int orphan)
{
    strbuf *sb = &c->rec;
    /* the most this record can take, so that it is written without checks */
    size_t need = 4 + 8 + 3 + (size_t)lv->agg_base * (2 + sizeof(double) + 4 + 1) + lv->ntargets;
    for (int i = 0; i < lv->agg_base; i++)
        if (slots[i].kind == V_TEXT && slots[i].u.s)
            need += slots[i].len;
    if (strbuf_reserve(sb, need)) {
        diag_oom(c->d);
        return -1;
    }
    unsigned char *start = (unsigned char *)sb->s + sb->len, *p = start + 4;
    int64_t l = line;
    p = put_bytes(p, &l, 8);
    *p++ = (unsigned char)st;
    *p++ = (unsigned char)cl;
    *p++ = (unsigned char)orphan;
    for (int i = 0; i < lv->agg_base; i++) {
        const value *v = &slots[i];
        *p++ = (unsigned char)v->kind;
        *p++ = (unsigned char)v->why;
        if (v->kind == V_NUM) {
            p = put_bytes(p, &v->u.num, sizeof(double));
        } else if (v->kind == V_BOOL) {
            *p++ = (unsigned char)v->u.b;
        } else if (v->kind == V_TEXT) {
            uint32_t n = v->u.s ? (uint32_t)v->len : UINT32_MAX;
            p = put_bytes(p, &n, 4);
            if (v->u.s) {
                p = put_bytes(p, v->u.s, v->len);
                *p++ = '\0'; /* read back in place as a C string */
            }
        }
    }
    p = put_bytes(p, tstatus, lv->ntargets);
    uint32_t len = (uint32_t)(p - start);
    memcpy(start, &len, 4);
    sb->len += len;
    sb->s[sb->len] = '\0';
    c->spooled++;
    c->spool_off += len;
    return sb->len >= SPOOL_FLUSH ? spool_flush(c) : 0;
}

/* A second, independent hash of an id: with idmap_hash it makes 128 bits,
 * so two different ids taken for duplicates are not a practical worry. */
static uint64_t id_hash2(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    return h;
}

/* A bottom-level row: evaluated, counted into its level and ancestors, and
 * spooled at once. Whether it repeats an earlier id is known only after
 * the whole table (settle_leaf, in bounded memory). */
static int stream_row(void *ctx, const table_row *row)
{
    row_ctx *rc = ctx;
    checker *c = rc->c;
    const rule_level *lv = rc->lv;
    const value *key = &row->vals[lv->key];
    value *slots = c->scratch;
    memcpy(slots, row->vals, lv->nind * sizeof(value));
    unit_status st;
    claim_status cl;
    evaluate(c, lv, slots, c->tscratch, NULL, NULL, c->rscratch, c->dscratch, c->ascratch, &st, &cl, 0);
    /* counted now, on the assumption that the id is not repeated; if any
     * id is, settle_leaf counts the level again without the repeats */
    level_state *ls = &c->lv[lv->index];
    int orphan;
    long parent_idx = find_parent(c, lv, slots, rc->path, row->line, &orphan, 1);
    ls->sum.orphans += orphan;
    count_unit(&ls->sum, lv, c->tscratch, st, cl);
    roll_up(c, lv, slots, cl, parent_idx);
    xrec r = {idmap_hash(key->u.s, key->len), id_hash2(key->u.s, key->len), c->spool_off, row->line};
    if (xsort_add(c->leaf_ids, &r)) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "cannot write a temporary file: %s", diag_tr(c->d, strerror(errno)));
        c->failed = 1;
        return 0;
    }
    if (spool_unit(c, lv, row->line, slots, c->tscratch, st, cl, orphan ? SPOOL_ORPHAN : 0))
        c->failed = 1;
    return 0;
}

static int read_level(checker *c, size_t li, const char *path, const table_opts *opts)
{
    const rule_level *lv = rules_level(c->rs, li);
    level_state *ls = &c->lv[li];
    ls->path = arena_strdup(ls->a, path);
    if (!ls->path) {
        diag_oom(c->d);
        c->failed = 1;
        return -1;
    }
    table *t = table_open(path, lv, opts, c->d);
    if (!t) {
        /* still name it among the inputs, with the digest of its bytes */
        ls->stats.encoding = N_("unread");
        ls->stats.unread = 1;
        digest_file_hex(path, ls->stats.sha256);
        ls->listed = 1;
        return -1;
    }
    ls->have_stats = 1;
    row_ctx rc = {c, lv, ls->path};
    int r = table_read(t, (int)li == c->leaf ? stream_row : store_row, &rc);
    ls->stats = *table_get_stats(t);
    table_close(&t);
    return r;
}

static int settle_leaf(checker *c);

int check_run(checker *c, const check_input *inputs, const table_opts *opts)
{
    int rc = 0;
    for (size_t i = 0; i < c->nlevels; i++) {
        if (!inputs[i].path)
            continue;
        if ((int)i == c->leaf) {
            c->spool = xsort_tmpfile();
            if (!c->spool) {
                const char *dir = getenv("TMPDIR");
                diag_add(c->d, DIAG_ERROR, NULL, 0, 0,
                         "cannot create a temporary file in %s (TMPDIR chooses the directory): %s",
                         dir && *dir ? dir : "/tmp", diag_tr(c->d, strerror(errno)));
                return -1;
            }
        }
        if (read_level(c, i, inputs[i].path, opts))
            rc = -1;
        if (c->failed)
            return -1;
        if ((int)i == c->leaf && settle_leaf(c))
            return -1;
    }
    /* upper levels, bottom-up, now that their child data is complete */
    for (int li = c->leaf - 1; li >= 0; li--) {
        const rule_level *lv = rules_level(c->rs, (size_t)li);
        level_state *ls = &c->lv[li];
        for (size_t k = 0; k < ls->n; k++) {
            unit *u = &ls->units[k];
            evaluate(c, lv, u->slots, u->tstatus, u->acc, u->desc, u->reported, u->differs, u->applied, &u->status,
                     &u->claim, 1);
            if (u->orphan)
                ls->sum.orphans++;
            for (size_t r = 0; r < lv->nrecompute; r++) {
                if (!u->differs[r])
                    continue;
                const rule_recompute *rec = &lv->recompute[r];
                strbuf a = STRBUF_INIT, b = STRBUF_INIT, t = STRBUF_INIT;
                strbuf_num_short(&a, u->reported[r].u.num);
                strbuf_num_short(&b, u->slots[rec->indicator].u.num);
                strbuf_num(&t, rec->tolerance);
                if (a.oom || b.oom || t.oom)
                    diag_oom(c->d);
                else
                    diag_add(c->d, DIAG_WARNING, ls->path, u->line, 0,
                             "%s '%s' reports %s %s, its %s data give %s (beyond the tolerance of %s); the targets use %s",
                             level_word(c, lv), u->id, lv->ind[rec->indicator].id, strbuf_str(&a),
                             level_word(c, rules_level(c->rs, (size_t)recompute_source(lv, rec->e))), strbuf_str(&b),
                             strbuf_str(&t), strbuf_str(&b));
                strbuf_free(&t);
                ls->sum.differs++;
                strbuf_free(&a);
                strbuf_free(&b);
            }
            roll_up(c, lv, u->slots, u->claim, u->parent_idx);
        }
    }
    if (c->spool && fflush(c->spool) != 0) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "cannot write the temporary unit file: %s", diag_tr(c->d, strerror(errno)));
        rc = -1;
    }
    return rc;
}

/* ---------- results ---------- */

const level_summary *check_summary(const checker *c, size_t level) { return &c->lv[level].sum; }
const table_stats *check_stats(const checker *c, size_t level)
{
    return c->lv[level].have_stats || c->lv[level].listed ? &c->lv[level].stats : NULL;
}
const char *check_input_path(const checker *c, size_t level) { return c->lv[level].path; }

claim_tally check_leaf_claims(const checker *c) { return c->lv[c->leaf].sum.claims; }

size_t check_years(const checker *c, const int **years)
{
    *years = c->years;
    return c->nyears;
}

size_t check_missing_params(const checker *c, const missing_param **out)
{
    *out = c->missing;
    return c->nmissing;
}

int check_verdict(const checker *c)
{
    long claimed = 0;
    for (size_t i = 0; i < c->nlevels; i++)
        claimed += c->lv[i].sum.claims.claimed;
    for (size_t i = 0; i < c->nlevels; i++) {
        const level_summary *s = &c->lv[i].sum;
        if (claimed ? s->claims.wrong + s->claims.unsupported > 0 : s->fail + s->unknown > 0)
            return 1;
    }
    return 0;
}

static int get_u32(const unsigned char **p, const unsigned char *end, uint32_t *v)
{
    if (end - *p < 4)
        return -1;
    memcpy(v, *p, 4);
    *p += 4;
    return 0;
}

static int get_str(const unsigned char **p, const unsigned char *end, const char **s, unsigned int *n)
{
    uint32_t len;
    if (get_u32(p, end, &len))
        return -1;
    if (len == UINT32_MAX) {
        *s = NULL;
        *n = 0;
        return 0;
    }
    if ((size_t)(end - *p) <= len || (*p)[len] != '\0')
        return -1;
    *s = (const char *)*p;
    *n = len;
    *p += len + 1;
    return 0;
}

/* Reads the spool from its start, a block at a time; a record is parsed
 * where it lies in the block. */
typedef struct spool_reader {
    strbuf buf;
    size_t have, at;
    uint64_t off;             /* of the next record in the file */
} spool_reader;

static int spool_rewind(checker *c, spool_reader *sr)
{
    *sr = (spool_reader){STRBUF_INIT, 0, 0, 0};
    return fseek(c->spool, 0, SEEK_SET) == 0 ? 0 : -1;
}

/* 1 with the next record (and its offset), 0 at the end, -1 on error. */
static int spool_next(checker *c, spool_reader *sr, const unsigned char **rec, uint32_t *len, uint64_t *off)
{
    uint32_t n = 0;
    if (sr->have - sr->at >= 4)
        memcpy(&n, sr->buf.s + sr->at, 4);
    if (sr->have - sr->at < 4 || sr->have - sr->at < n) {
        if (sr->have > sr->at)
            memmove(sr->buf.s, sr->buf.s + sr->at, sr->have - sr->at);
        sr->have -= sr->at;
        sr->at = 0;
        size_t want = n > SPOOL_FLUSH ? n : SPOOL_FLUSH;
        if (strbuf_reserve(&sr->buf, want))
            return -1;
        sr->have += fread(sr->buf.s + sr->have, 1, sr->buf.cap - 1 - sr->have, c->spool);
        if (sr->have == 0)
            return 0;
        if (sr->have < 4)
            return -1;
        memcpy(&n, sr->buf.s, 4);
        if (sr->have < n)
            return -1;
    }
    if (n < 4 + 8 + 3)
        return -1;
    *rec = (const unsigned char *)sr->buf.s + sr->at;
    *len = n;
    *off = sr->off;
    sr->at += n;
    sr->off += n;
    return 1;
}

/* Fills u and slots[0, agg_base) from a spooled record; -1 if it is
 * malformed. Text values, ids and names point into rec, NUL-terminated. */
static int spool_decode(checker *c, const rule_level *lv, const unsigned char *rec, uint32_t len, unit_result *u,
                        value *slots, int upto)
{
    const unsigned char *p = rec + 4, *end = rec + len;
    int64_t line;
    memcpy(&line, p, 8);
    p += 8;
    *u = (unit_result){0};
    u->level = lv;
    u->line = (long)line;
    u->status = (unit_status)p[0];
    u->claim = (claim_status)p[1];
    u->orphan = p[2] & SPOOL_ORPHAN;
    p += 3;
    if (upto > lv->agg_base)
        upto = lv->agg_base;
    if ((size_t)(end - p) < lv->ntargets)
        return -1;
    for (int i = 0; i < upto; i++) {
        value v = {0};
        if (end - p < 2)
            return -1;
        v.kind = *p++;
        v.why = *p++;
        if (v.kind == V_NUM) {
            if ((size_t)(end - p) < sizeof(double))
                return -1;
            memcpy(&v.u.num, p, sizeof(double));
            p += sizeof(double);
        } else if (v.kind == V_BOOL) {
            if (end - p < 1)
                return -1;
            v.u.b = *p++;
        } else if (v.kind == V_TEXT) {
            if (get_str(&p, end, &v.u.s, &v.len))
                return -1;
        }
        slots[i] = v;
    }
    if (upto == lv->agg_base ? (size_t)(end - p) != lv->ntargets : (size_t)(end - p) < lv->ntargets)
        return -1;
    u->tstatus = end - lv->ntargets; /* the last bytes: found without reading the slots before them */
    u->slots = slots;
    u->reported = c->rscratch;
    u->differs = c->dscratch;
    memset(c->ascratch, 0, lv->nrecompute + 1);
    u->applied = c->ascratch;
    /* text is spooled NUL-terminated: ids and names point into the record */
    const int roles[3] = {lv->key, lv->parent_key, lv->name};
    const char **outs[3] = {&u->id, &u->parent, &u->name};
    for (int r = 0; r < 3; r++)
        *outs[r] = roles[r] >= 0 && slots[roles[r]].kind == V_TEXT ? slots[roles[r]].u.s : NULL;
    return 0;
}

/* foreach_spool decodes slots [0, upto) of each unit; with upto below
 * agg_base the rest read as unknown (the light listing needs ids only). */
static int foreach_spool(checker *c, const rule_level *lv, unit_fn fn, void *ctx, int upto)
{
    if (!c->spool)
        return 0;
    for (int i = upto; i < lv->agg_base; i++)
        c->scratch[i] = value_unknown(WHY_NO_DATA);
    spool_reader sr;
    if (spool_rewind(c, &sr))
        return -1;
    int rc = 0, k;
    const unsigned char *rec;
    uint32_t len;
    uint64_t off;
    while ((k = spool_next(c, &sr, &rec, &len, &off)) == 1) {
        if (rec[FLAGS_AT] & SPOOL_REJECTED)
            continue;
        unit_result u;
        if (spool_decode(c, lv, rec, len, &u, c->scratch, upto)) {
            rc = -1;
            break;
        }
        if ((rc = fn(ctx, &u)) != 0)
            break;
    }
    if (k < 0)
        rc = -1;
    strbuf_free(&sr.buf);
    return rc;
}

/* How many leading slots settle_leaf needs: the key, the parent and
 * ancestor keys, and what the ancestors' aggregates over this level read
 * (their verdict slots are set from the unit's status, not decoded). */
static int settle_upto(const checker *c, const rule_level *lv)
{
    int upto = lv->key + 1;
    if (lv->parent_key + 1 > upto)
        upto = lv->parent_key + 1;
    const level_state *ls = &c->lv[lv->index];
    for (int a = 0; a < 8; a++)
        if (ls->consistency[a] > upto)
            upto = ls->consistency[a];
    for (int L = lv->parent; L >= 0; L = rules_level(c->rs, (size_t)L)->parent) {
        const rule_level *al = rules_level(c->rs, (size_t)L);
        for (size_t i = 0; i < al->nagg; i++) {
            const rule_aggregate *ag = &al->agg[i];
            if (ag->of != lv->index)
                continue;
            const expr *es[2] = {ag->where, ag->value};
            for (int k = 0; k < 2; k++) {
                const int *refs;
                size_t n = es[k] ? expr_refs(es[k], &refs) : 0;
                for (size_t j = 0; j < n; j++)
                    if (refs[j] < lv->agg_base && refs[j] + 1 > upto)
                        upto = refs[j] + 1;
            }
        }
    }
    return upto;
}

/* Sets flags in the record at off of the spool (the file, not the buffer:
 * settle_leaf runs after the last flush). */
static int spool_set_flags(checker *c, uint64_t off, unsigned char flags)
{
    return pwrite(fileno(c->spool), &flags, 1, (off_t)(off + FLAGS_AT)) == 1 ? 0 : -1;
}

/* Takes back what the bottom level's rows added to its summary and to its
 * ancestors (at this point nothing else has been counted into them: the
 * upper levels roll up after the bottom one is settled). */
static void uncount_leaf(checker *c)
{
    const rule_level *lv = rules_level(c->rs, (size_t)c->leaf);
    level_summary *sum = &c->lv[c->leaf].sum;
    sum->units = sum->pass = sum->fail = sum->unknown = sum->warn = sum->orphans = 0;
    sum->claims = (claim_tally){0, 0, 0, 0};
    memset(sum->target_fail, 0, lv->ntargets * sizeof(long));
    memset(sum->target_unknown, 0, lv->ntargets * sizeof(long));
    memset(sum->target_warn, 0, lv->ntargets * sizeof(long));
    for (int L = lv->parent; L >= 0; L = rules_level(c->rs, (size_t)L)->parent) {
        const rule_level *al = rules_level(c->rs, (size_t)L);
        level_state *as = &c->lv[L];
        for (size_t k = 0; k < as->n; k++) {
            unit *u = &as->units[k];
            if (L == lv->parent)
                u->children = 0;
            u->has_children = 0;
            u->desc[lv->index] = 0;
            u->leaf = (claim_tally){0, 0, 0, 0};
            for (size_t i = 0; i < al->nagg; i++)
                if (al->agg[i].of == lv->index)
                    u->acc[i] = (agg_acc){0, 0, 0};
        }
    }
}

/* After the bottom-level table: finds the rows whose id repeats an
 * earlier row's (sorting the ids in bounded memory). Only if there are
 * any, reads the spool once, in file order, rejecting those rows and
 * counting every other one again into its level's summary and its
 * ancestors' figures. */
static int settle_leaf(checker *c)
{
    const rule_level *lv = rules_level(c->rs, (size_t)c->leaf);
    level_state *ls = &c->lv[c->leaf];
    if (!c->spool)
        return 0;
    if (spool_flush(c) || fflush(c->spool) != 0)
        return -1;
    xsort *dups = xsort_new(64 * 1024);
    if (!dups) {
        diag_oom(c->d);
        return -1;
    }
    int rc = 0, k = 0;
    xrec r, first = {0};
    if (xsort_start(c->leaf_ids))
        rc = -1;
    for (int have = 0; rc == 0 && (k = xsort_next(c->leaf_ids, &r)) != 0; have = 1) {
        if (k < 0 || (have && r.k1 == first.k1 && r.k2 == first.k2 &&
                      xsort_add(dups, &(xrec){r.off, 0, r.off, first.line}))) {
            rc = -1;
            break;
        }
        if (!have || r.k1 != first.k1 || r.k2 != first.k2)
            first = r;
    }
    xsort_free(&c->leaf_ids);
    if (rc || xsort_start(dups)) {
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file: %s", diag_tr(c->d, strerror(errno)));
        xsort_free(&dups);
        return -1;
    }
    xrec dup;
    int more = xsort_next(dups, &dup);
    if (more == 0) {
        xsort_free(&dups);
        return 0; /* no id repeats: the counts made as the rows came stand */
    }
    uncount_leaf(c);
    spool_reader sr;
    if (spool_rewind(c, &sr))
        rc = -1;
    const unsigned char *rec;
    uint32_t len;
    uint64_t off;
    value *slots = c->scratch;
    int upto = settle_upto(c, lv);
    while (rc == 0 && more >= 0 && (k = spool_next(c, &sr, &rec, &len, &off)) == 1) {
        unit_result u;
        if (spool_decode(c, lv, rec, len, &u, slots, upto)) {
            rc = -1;
            break;
        }
        if (more == 1 && dup.off == off) {
            const value *key = &slots[lv->key];
            diag_add(c->d, DIAG_ERROR, ls->path, u.line, 0, "row rejected: duplicate %s '%.*s' (first at line %ld)",
                     lv->ind[lv->key].id, (int)key->len, key->u.s, (long)dup.line);
            ls->stats.rows_rejected++;
            ls->stats.rejected[REJECT_DUPLICATE]++;
            if (spool_set_flags(c, off, SPOOL_REJECTED))
                rc = -1;
            more = xsort_next(dups, &dup);
            continue;
        }
        int orphan;
        long parent_idx = find_parent(c, lv, slots, ls->path, u.line, &orphan, 0); /* warned as it came */
        ls->sum.orphans += orphan;
        set_verdicts(lv, slots, u.status, u.claim);
        count_unit(&ls->sum, lv, u.tstatus, u.status, u.claim);
        roll_up(c, lv, slots, u.claim, parent_idx);
    }
    if (k < 0 || more < 0)
        rc = -1;
    if (rc)
        diag_add(c->d, DIAG_ERROR, NULL, 0, 0, "cannot read back the temporary unit file: %s", diag_tr(c->d, strerror(errno)));
    strbuf_free(&sr.buf);
    xsort_free(&dups);
    return rc;
}

int check_foreach_ids(checker *c, size_t level, unit_fn fn, void *ctx)
{
    const rule_level *lv = rules_level(c->rs, level);
    if ((int)level != c->leaf)
        return check_foreach(c, level, fn, ctx);
    int upto = lv->key + 1;
    if (lv->parent_key + 1 > upto)
        upto = lv->parent_key + 1;
    if (lv->name + 1 > upto)
        upto = lv->name + 1;
    return foreach_spool(c, lv, fn, ctx, upto);
}

int check_foreach(checker *c, size_t level, unit_fn fn, void *ctx)
{
    const rule_level *lv = rules_level(c->rs, level);
    if ((int)level == c->leaf)
        return foreach_spool(c, lv, fn, ctx, lv->agg_base);
    level_state *ls = &c->lv[level];
    for (size_t k = 0; k < ls->n; k++) {
        const unit *s = &ls->units[k];
        unit_result u = {0};
        u.level = lv;
        u.id = s->id;
        u.parent = s->parent;
        u.name = s->name;
        u.line = s->line;
        u.status = s->status;
        u.claim = s->claim;
        u.slots = s->slots;
        u.tstatus = s->tstatus;
        u.reported = s->reported;
        u.differs = s->differs;
        u.applied = s->applied;
        u.has_children = s->has_children;
        u.children = s->children;
        u.leaf_claims = s->leaf;
        u.orphan = s->orphan;
        int rc = fn(ctx, &u);
        if (rc)
            return rc;
    }
    return 0;
}
