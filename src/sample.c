/*
 * sample.c - the draw (see sample.h for the rule and the order of work).
 *
 * Receives a plan bound to the pack and the frame's two tables; produces
 * the units drawn (with U, pi and weight), one cell per stratum draw, and
 * counts that account for every row.
 *
 * Invariants:
 * - a household cell exists only for a drawn village, and holds at most
 *   `take` candidates (a max-heap on the selection key: the worst kept
 *   candidate is on top and is the one a better one replaces), or every
 *   unit of a take: all stratum;
 * - the selection key of a unit depends only on the seed, its stratum and
 *   its id (and, for pps, its size), and ties are broken by id, so the
 *   draw does not depend on the order of the rows;
 * - sums of sizes are kept in long double, exact for whole-number sizes
 *   (their totals below 2^64), so that pi does not depend on the order of
 *   the rows either.
 */
#include "sample.h"
#include "digest.h"
#include "idmap.h"
#include "mem.h"
#include "strbuf.h"
#include "unit.h"
#include "xsort.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* A village of the frame, kept for the whole run. */
typedef struct vrow {
    const char *id, *county, *name;
    long line;
    int stratum;              /* -1: in no stratum (or not drawable) */
    uint64_t u;
    double x;                 /* pps: size */
    long drawn;               /* index among the drawn villages, -1 when not drawn */
    double pi;
} vrow;

/* A household candidate kept by a draw. */
typedef struct cand {
    uint64_t u;
    double key;               /* pps: u / x */
    double x;
    char *id;
    long line;
} cand;

/* A household stratum's draw in one drawn village. */
typedef struct hcell {
    long n;                   /* candidates kept */
    long cap;                 /* allocated */
    long population;
    long double size_total;
    cand *c;
} hcell;

typedef struct stage_in {
    const char *path;
    table_stats stats;
    int have_stats;
    long cell_errors;         /* errors found here beyond the table's own (exit years, sizes, counties) */
} stage_in;

struct sampler {
    const ruleset *rs;
    const plan *p;
    diag_list *d;
    char *seed;
    arena *a;
    stage_in in[PLAN__STAGES];
    value *slots[PLAN__STAGES];
    /* villages */
    vrow *v;
    size_t nv, capv;
    idmap *vmap;              /* village id -> index in v */
    idmap *cmap;              /* county id -> its interned string's index */
    const char **counties;
    size_t ncounties, capc;
    long *vdrawn;             /* indices into v of the drawn villages, in the output order */
    size_t nvdrawn;
    /* households */
    hcell *cells;             /* nvdrawn x the household strata */
    xsort *ids;
    /* results */
    sample_unit *units[PLAN__STAGES];
    size_t nunits[PLAN__STAGES];
    sample_cell *scells;
    size_t nscells, capscells;
    sample_counts counts;
    long *rejected;           /* lines of repeated household ids, ascending */
    size_t nrejected, caprejected;
    int replay;               /* the second pass that leaves the repeats out */
    int failed;               /* out of memory or a temporary file: the run stops */
    strbuf msg;               /* scratch for the selection message */
};

/* ---------- the selection rule ---------- */

int sample_u(const char *seed, const char *stratum, const char *id, size_t idlen, uint64_t *u)
{
    size_t ls = strlen(seed), lt = strlen(stratum);
    if (ls + lt + idlen + 2 > 65536)
        return -1;
    char buf[65536];
    memcpy(buf, seed, ls);
    buf[ls] = 0x1f;
    memcpy(buf + ls + 1, stratum, lt);
    buf[ls + 1 + lt] = 0x1f;
    memcpy(buf + ls + 2 + lt, id, idlen);
    unsigned char h[32];
    if (digest_bytes(buf, ls + lt + idlen + 2, h))
        return -1;
    uint64_t r = 0;
    for (int i = 0; i < 8; i++)
        r = r << 8 | h[i];
    *u = r;
    return 0;
}

static double u_real(uint64_t u) { return (double)u / 18446744073709551616.0; }

/* ---------- lifecycle ---------- */

sampler *sample_new(const ruleset *rs, const plan *p, const char *seed, diag_list *d)
{
    sampler *s = mem_calloc(1, sizeof *s);
    if (!s) {
        diag_oom(d);
        return NULL;
    }
    s->rs = rs;
    s->p = p;
    s->d = d;
    s->seed = mem_strdup(seed);
    s->a = arena_new();
    s->vmap = idmap_new();
    s->cmap = idmap_new();
    s->ids = xsort_new(2u << 20); /* as settle.c's: bounded memory, the rest sorted on disk */
    for (int st = 0; st < PLAN__STAGES; st++)
        s->slots[st] = mem_calloc(plan_get_stage(p, (plan_stage_id)st)->nslots + 1, sizeof(value));
    if (!s->seed || !s->a || !s->vmap || !s->cmap || !s->ids || !s->slots[0] || !s->slots[1]) {
        diag_oom(d);
        sample_free(&s);
    }
    return s;
}

void sample_free(sampler **sp)
{
    if (!sp || !*sp)
        return;
    sampler *s = *sp;
    if (s->cells) {
        size_t nh = plan_get_stage(s->p, PLAN_HOUSEHOLDS)->nstrata;
        for (size_t i = 0; i < s->nvdrawn * nh; i++) {
            for (long k = 0; k < s->cells[i].n; k++)
                mem_free(s->cells[i].c[k].id);
            mem_free(s->cells[i].c);
        }
        mem_free(s->cells);
    }
    for (int st = 0; st < PLAN__STAGES; st++) {
        mem_free(s->slots[st]);
        mem_free(s->units[st]);
    }
    mem_free(s->seed);
    mem_free(s->v);
    mem_free(s->vdrawn);
    mem_free(s->counties);
    mem_free(s->scells);
    mem_free(s->rejected);
    idmap_free(&s->vmap);
    idmap_free(&s->cmap);
    xsort_free(&s->ids);
    arena_free(&s->a);
    strbuf_free(&s->msg);
    mem_free(s);
    *sp = NULL;
}

static int grow(sampler *s, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *p = mem_realloc(*arr, n * size);
    if (!p) {
        diag_oom(s->d);
        s->failed = 1;
        return -1;
    }
    *arr = p;
    *cap = n;
    return 0;
}

static sample_cell *new_cell(sampler *s)
{
    if (grow(s, (void **)&s->scells, &s->capscells, s->nscells + 1, sizeof *s->scells))
        return NULL;
    sample_cell *c = &s->scells[s->nscells++];
    memset(c, 0, sizeof *c);
    return c;
}

/* ---------- rows of either table ---------- */

typedef struct row_ctx {
    sampler *s;
    plan_stage_id st;
    const table *t;
} row_ctx;

/* The row's slots, its exit-year conflict reported, and its stratum; -1
 * when in none. For pps, *x receives the size, or the row is reported and
 * left out (-1) when it has no positive size. */
static int classify(row_ctx *rc, const table_row *row, double *x)
{
    sampler *s = rc->s;
    const plan_stage *sg = plan_get_stage(s->p, rc->st);
    const rule_level *v = sg->view;
    value *slots = s->slots[rc->st];
    memcpy(slots, row->vals, v->nind * sizeof(value));
    if (v->exit_year >= 0 && unit_exit_conflict(v, slots, s->d, s->in[rc->st].path, row->line,
                                                table_column(rc->t, (size_t)v->exit_year)))
        s->in[rc->st].cell_errors++;
    plan_unit_slots(s->p, rc->st, slots);
    int k = plan_stratum_of(s->p, rc->st, slots);
    *x = 0;
    if (k < 0) {
        s->counts.no_stratum[rc->st]++;
        return -1;
    }
    const plan_stratum *ps = &sg->strata[k];
    if (ps->method == PLAN_PPS) {
        const value *sz = &slots[ps->size];
        if (sz->kind != V_NUM || !(sz->u.num > 0)) {
            if (sz->kind == V_UNKNOWN && sz->why == WHY_INVALID) { /* the table has reported the cell */
                s->counts.size_errors[rc->st]++;
                return -1;
            }
            const char *path = s->in[rc->st].path, *col = v->ind[ps->size].id;
            long c = table_column(rc->t, (size_t)ps->size);
            if (sz->kind == V_NUM) {
                strbuf_reset(&s->msg);
                strbuf_num(&s->msg, sz->u.num);
                diag_add(s->d, DIAG_ERROR, path, row->line, c,
                         "%s is %s: a unit of the pps stratum '%s' needs a positive size; the unit is not drawn", col,
                         strbuf_str(&s->msg), ps->id);
            } else {
                diag_add(s->d, DIAG_ERROR, path, row->line, c,
                         "%s is missing: a unit of the pps stratum '%s' needs a positive size; the unit is not drawn",
                         col, ps->id);
            }
            s->in[rc->st].cell_errors++;
            s->counts.size_errors[rc->st]++;
            return -1;
        }
        *x = sz->u.num;
    }
    return k;
}

static const char *county_of(sampler *s, const value *cv)
{
    long k = idmap_get(s->cmap, cv->u.s, cv->len);
    if (k >= 0)
        return s->counties[k];
    if (grow(s, (void **)&s->counties, &s->capc, s->ncounties + 1, sizeof *s->counties))
        return NULL;
    char *c = arena_strndup(s->a, cv->u.s, cv->len);
    if (!c || idmap_put(s->cmap, cv->u.s, cv->len, (long)s->ncounties) == -2) {
        diag_oom(s->d);
        s->failed = 1;
        return NULL;
    }
    s->counties[s->ncounties++] = c;
    return c;
}

/* ---------- villages ---------- */

static int village_row(void *ctx, const table_row *row)
{
    row_ctx *rc = ctx;
    sampler *s = rc->s;
    if (s->failed)
        return 0;
    const rule_level *v = plan_get_stage(s->p, PLAN_VILLAGES)->view;
    const value *key = &row->vals[v->key];
    long first = idmap_put(s->vmap, key->u.s, key->len, (long)s->nv);
    if (first == -2) {
        diag_oom(s->d);
        s->failed = 1;
        return 0;
    }
    if (first >= 0) {
        diag_add(s->d, DIAG_ERROR, s->in[PLAN_VILLAGES].path, row->line, 0,
                 "row rejected: duplicate %s '%.*s' (first at line %ld)", v->ind[v->key].id, (int)key->len, key->u.s,
                 s->v[first].line);
        return 1;
    }
    if (grow(s, (void **)&s->v, &s->capv, s->nv + 1, sizeof *s->v))
        return 0;
    vrow *r = &s->v[s->nv++];
    memset(r, 0, sizeof *r);
    r->line = row->line;
    r->drawn = -1;
    r->id = arena_strndup(s->a, key->u.s, key->len);
    if (v->name >= 0 && row->vals[v->name].kind == V_TEXT)
        r->name = arena_strndup(s->a, row->vals[v->name].u.s, row->vals[v->name].len);
    s->counts.units[PLAN_VILLAGES]++;
    double x;
    r->stratum = classify(rc, row, &x);
    r->x = x;
    r->county = "";
    if (v->parent_key >= 0) {
        const value *cv = &row->vals[v->parent_key];
        if (cv->kind != V_TEXT) {
            if (r->stratum >= 0)
                s->counts.no_stratum[PLAN_VILLAGES]++;
            r->stratum = -1;
            diag_add(s->d, DIAG_ERROR, s->in[PLAN_VILLAGES].path, row->line,
                     table_column(rc->t, (size_t)v->parent_key),
                     "%s is missing: the village cannot be drawn within its county", v->ind[v->parent_key].id);
            s->in[PLAN_VILLAGES].cell_errors++;
        } else {
            r->county = county_of(s, cv);
        }
    }
    if (!r->id || (v->name >= 0 && row->vals[v->name].kind == V_TEXT && !r->name) || !r->county) {
        diag_oom(s->d);
        s->failed = 1;
        return 0;
    }
    if (r->stratum >= 0) {
        const plan_stratum *ps = &plan_get_stage(s->p, PLAN_VILLAGES)->strata[r->stratum];
        if (sample_u(s->seed, ps->id, key->u.s, key->len, &r->u)) {
            diag_add(s->d, DIAG_ERROR, s->in[PLAN_VILLAGES].path, row->line, 0,
                     "cannot compute the selection number of this unit (SHA-256 failed, or the id is too long)");
            s->in[PLAN_VILLAGES].cell_errors++;
            r->stratum = -1;
        }
    }
    return 0;
}

/* Selection order within a stratum: srs by U, pps by u / x; ties by id. */
static int before(plan_method m, uint64_t ua, double ka, const char *ida, uint64_t ub, double kb, const char *idb)
{
    if (m == PLAN_SRS) {
        if (ua != ub)
            return ua < ub;
    } else if (ka != kb) {
        return ka < kb;
    }
    return strcmp(ida, idb) < 0;
}

/* A village in the sort that groups the draws: by county, stratum and
 * selection order. */
typedef struct vkey {
    const vrow *r;
    long idx;
    plan_method m;
    double key;               /* pps: u / x */
} vkey;

static int cmp_village_draw(const void *a, const void *b)
{
    const vkey *x = a, *y = b;
    int c = strcmp(x->r->county, y->r->county);
    if (c)
        return c;
    if (x->r->stratum != y->r->stratum)
        return x->r->stratum < y->r->stratum ? -1 : 1;
    if (before(x->m, x->r->u, x->key, x->r->id, y->r->u, y->key, y->r->id))
        return -1;
    return before(x->m, y->r->u, y->key, y->r->id, x->r->u, x->key, x->r->id) ? 1 : 0;
}

static int cmp_village_out(const void *a, const void *b)
{
    const vkey *x = a, *y = b;
    int c = strcmp(x->r->county, y->r->county);
    return c ? c : strcmp(x->r->id, y->r->id);
}

/* pi of a unit drawn from a stratum of N units, n of them drawn. */
static double pi_of(const plan_stratum *ps, long N, long n, double x, long double total)
{
    if (ps->take == PLAN_TAKE_ALL || N <= ps->take)
        return 1.0;
    if (ps->method == PLAN_SRS)
        return (double)n / (double)N;
    double t = (double)total;
    double pi = (double)n * x / t;
    return pi < 1.0 ? pi : 1.0;
}

/* A stratum of a county: N and n; a warning when it has fewer units than
 * asked, or draws a single village. */
static void village_cell(sampler *s, const char *county, int k, const vkey *vk, long N)
{
    const plan_stratum *ps = &plan_get_stage(s->p, PLAN_VILLAGES)->strata[k];
    long n = ps->take == PLAN_TAKE_ALL || N < ps->take ? N : ps->take;
    long double total = 0;
    for (long i = 0; i < N; i++)
        total += vk[i].r->x;
    sample_cell *c = new_cell(s);
    if (!c)
        return;
    c->stage = PLAN_VILLAGES;
    c->county = county;
    c->stratum = k;
    c->population = N;
    c->drawn = n;
    c->size_total = ps->method == PLAN_PPS ? (double)total : 0;
    for (long i = 0; i < n; i++) {
        vrow *r = &s->v[vk[i].idx];
        r->pi = pi_of(ps, N, n, r->x, total);
        r->drawn = 0; /* numbered below, in output order */
        if (i == 0 || r->pi < c->pi_min)
            c->pi_min = r->pi;
        if (i == 0 || r->pi > c->pi_max)
            c->pi_max = r->pi;
    }
    const char *cw = county;
    if (ps->take != PLAN_TAKE_ALL && N < ps->take) {
        if (N == 0)
            diag_add(s->d, DIAG_WARNING, ps->pos.file, ps->pos.line, ps->pos.column,
                     "county '%s': stratum '%s' has no village (it asks for %ld)", cw ? cw : "", ps->id, ps->take);
        else
            diag_add(s->d, DIAG_WARNING, ps->pos.file, ps->pos.line, ps->pos.column,
                     "county '%s': stratum '%s' has %ld of the %ld villages it asks for: all are drawn", cw ? cw : "",
                     ps->id, N, ps->take);
    }
    if (n == 1)
        diag_add(s->d, DIAG_WARNING, ps->pos.file, ps->pos.line, ps->pos.column,
                 "county '%s': stratum '%s' draws one village: verify cannot estimate the variance within it (the stratum adds 0 and is flagged)",
                 cw ? cw : "", ps->id);
}

static void draw_villages(sampler *s)
{
    const plan_stage *sg = plan_get_stage(s->p, PLAN_VILLAGES);
    vkey *vk = mem_calloc(s->nv + 1, sizeof *vk);
    const char **cs = mem_calloc(s->ncounties + 2, sizeof *cs);
    if (!vk || !cs) {
        mem_free(vk);
        mem_free(cs);
        diag_oom(s->d);
        s->failed = 1;
        return;
    }
    size_t m = 0;
    for (size_t i = 0; i < s->nv; i++) {
        const vrow *r = &s->v[i];
        if (r->stratum < 0)
            continue;
        plan_method meth = sg->strata[r->stratum].method;
        vk[m++] = (vkey){r, (long)i, meth, meth == PLAN_PPS ? u_real(r->u) / r->x : 0};
    }
    qsort(vk, m, sizeof *vk, cmp_village_draw);
    /* every county's strata in the plan's order, empty ones too; the
     * counties in byte order (without a county level, one draw over all) */
    if (s->ncounties)
        memcpy(cs, s->counties, s->ncounties * sizeof *cs);
    size_t nc = s->ncounties;
    if (rules_level(s->rs, (size_t)sg->level)->parent < 0 && s->nv)
        cs[nc++] = "";
    for (size_t a = 1; a < nc; a++) /* insertion sort: counties are few */
        for (size_t b = a; b > 0 && strcmp(cs[b - 1], cs[b]) > 0; b--) {
            const char *t = cs[b];
            cs[b] = cs[b - 1];
            cs[b - 1] = t;
        }
    size_t i = 0;
    for (size_t c = 0; c < nc && !s->failed; c++) {
        for (size_t k = 0; k < sg->nstrata; k++) {
            size_t j = i;
            while (j < m && !strcmp(vk[j].r->county, cs[c]) && vk[j].r->stratum == (int)k)
                j++;
            village_cell(s, cs[c], (int)k, vk + i, (long)(j - i));
            i = j;
        }
    }
    assert(s->failed || i == m);
    mem_free(cs);
    /* the drawn villages, in output order */
    size_t nd = 0;
    for (size_t k = 0; k < s->nv; k++)
        if (s->v[k].drawn == 0)
            vk[nd++] = (vkey){&s->v[k], (long)k, PLAN_SRS, 0};
    qsort(vk, nd, sizeof *vk, cmp_village_out);
    s->vdrawn = mem_calloc(nd + 1, sizeof *s->vdrawn);
    size_t nh = plan_get_stage(s->p, PLAN_HOUSEHOLDS)->nstrata;
    s->cells = mem_calloc(nd * nh + 1, sizeof *s->cells);
    if (!s->vdrawn || !s->cells) {
        mem_free(vk);
        diag_oom(s->d);
        s->failed = 1;
        return;
    }
    for (size_t k = 0; k < nd; k++) {
        s->vdrawn[k] = vk[k].idx;
        s->v[vk[k].idx].drawn = (long)k;
    }
    s->nvdrawn = nd;
    s->counts.drawn[PLAN_VILLAGES] = (long)nd;
    mem_free(vk);
}

/* ---------- households ---------- */

static int cand_before(plan_method m, const cand *a, const cand *b)
{
    return before(m, a->u, a->key, a->id, b->u, b->key, b->id);
}

/* The max-heap of a draw: c[0] is the worst candidate kept. */
static void sift_down(plan_method m, cand *c, long n, long i)
{
    for (;;) {
        long l = 2 * i + 1, r = l + 1, w = i;
        if (l < n && cand_before(m, &c[w], &c[l]))
            w = l;
        if (r < n && cand_before(m, &c[w], &c[r]))
            w = r;
        if (w == i)
            return;
        cand t = c[i];
        c[i] = c[w];
        c[w] = t;
        i = w;
    }
}

static void sift_up(plan_method m, cand *c, long i)
{
    while (i > 0) {
        long up = (i - 1) / 2;
        if (!cand_before(m, &c[up], &c[i]))
            return;
        cand t = c[i];
        c[i] = c[up];
        c[up] = t;
        i = up;
    }
}

static int offer(sampler *s, hcell *h, const plan_stratum *ps, const cand *cd, const value *key)
{
    int all = ps->take == PLAN_TAKE_ALL;
    if (!all && h->n == ps->take) {
        cand tmp = *cd;
        tmp.id = NULL;
        /* compare with the worst kept: the id is needed only on a tie */
        char small[256];
        char *idc = key->len < sizeof small ? small : mem_strndup(key->u.s, key->len);
        if (!idc)
            goto oom;
        if (idc == small) {
            memcpy(small, key->u.s, key->len);
            small[key->len] = '\0';
        }
        tmp.id = idc;
        int better = cand_before(ps->method, &tmp, &h->c[0]);
        if (idc != small)
            mem_free(idc);
        if (!better)
            return 0;
        char *id = mem_strndup(key->u.s, key->len);
        if (!id)
            goto oom;
        mem_free(h->c[0].id);
        h->c[0] = *cd;
        h->c[0].id = id;
        sift_down(ps->method, h->c, h->n, 0);
        return 0;
    }
    if (h->n == h->cap) {
        long cap = h->cap ? h->cap * 2 : (all ? 16 : (ps->take < 64 ? ps->take : 64));
        cand *c = mem_realloc(h->c, (size_t)cap * sizeof *c);
        if (!c)
            goto oom;
        h->c = c;
        h->cap = cap;
    }
    char *id = mem_strndup(key->u.s, key->len);
    if (!id)
        goto oom;
    h->c[h->n] = *cd;
    h->c[h->n].id = id;
    h->n++;
    if (!all)
        sift_up(ps->method, h->c, h->n - 1);
    return 0;
oom:
    diag_oom(s->d);
    s->failed = 1;
    return -1;
}

static int household_row(void *ctx, const table_row *row)
{
    row_ctx *rc = ctx;
    sampler *s = rc->s;
    if (s->failed)
        return 0;
    const plan_stage *sg = plan_get_stage(s->p, PLAN_HOUSEHOLDS);
    const rule_level *v = sg->view;
    const value *key = &row->vals[v->key];
    if (s->replay) {
        size_t lo = 0, hi = s->nrejected; /* binary search: the repeats are few */
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (s->rejected[mid] < row->line)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < s->nrejected && s->rejected[lo] == row->line)
            return 0;
    }
    xrec xr = {idmap_hash(key->u.s, key->len), idmap_hash2(key->u.s, key->len), (uint64_t)row->line,
               (int64_t)row->line};
    if (!s->replay && xsort_add(s->ids, &xr)) {
        diag_add(s->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file to find repeated ids");
        s->failed = 1;
        return 0;
    }
    s->counts.units[PLAN_HOUSEHOLDS]++;
    const value *pv = v->parent_key >= 0 ? &row->vals[v->parent_key] : NULL;
    long vi = pv && pv->kind == V_TEXT ? idmap_get(s->vmap, pv->u.s, pv->len) : -1;
    if (vi < 0) {
        if (!s->counts.orphans++)
            s->counts.orphan_line = row->line;
    }
    if (vi < 0 || s->v[vi].drawn < 0) {
        /* not drawn; its exit year is still checked: a data error is one wherever it is */
        if (v->exit_year >= 0 && unit_exit_conflict(v, row->vals, s->d, s->in[PLAN_HOUSEHOLDS].path, row->line,
                                                    table_column(rc->t, (size_t)v->exit_year)))
            s->in[PLAN_HOUSEHOLDS].cell_errors++;
        return 0;
    }
    const vrow *vr = &s->v[vi];
    s->counts.in_drawn_villages++;
    double x;
    int k = classify(rc, row, &x);
    if (k < 0)
        return 0;
    const plan_stratum *ps = &sg->strata[k];
    cand cd = {0, 0, x, NULL, row->line};
    if (sample_u(s->seed, ps->id, key->u.s, key->len, &cd.u)) {
        diag_add(s->d, DIAG_ERROR, s->in[PLAN_HOUSEHOLDS].path, row->line, 0,
                 "cannot compute the selection number of this unit (SHA-256 failed, or the id is too long)");
        s->in[PLAN_HOUSEHOLDS].cell_errors++;
        return 0;
    }
    if (ps->method == PLAN_PPS)
        cd.key = u_real(cd.u) / x;
    hcell *h = &s->cells[(size_t)vr->drawn * sg->nstrata + (size_t)k];
    h->population++;
    h->size_total += x;
    offer(s, h, ps, &cd, key);
    return 0;
}

/* After the table: a repeated id anywhere in it is an error at the later
 * row, which is counted as rejected. */
static int cmp_long(const void *a, const void *b);

static int find_repeats(sampler *s)
{
    const rule_level *v = plan_get_stage(s->p, PLAN_HOUSEHOLDS)->view;
    table_stats *stats = &s->in[PLAN_HOUSEHOLDS].stats;
    if (xsort_start(s->ids))
        return -1;
    xrec r, first = {0};
    int k, have = 0;
    while ((k = xsort_next(s->ids, &r)) == 1) {
        if (have && r.k1 == first.k1 && r.k2 == first.k2) {
            diag_add(s->d, DIAG_ERROR, s->in[PLAN_HOUSEHOLDS].path, (long)r.line, 0,
                     "row rejected: its %s repeats that of line %ld", v->ind[v->key].id, (long)first.line);
            stats->rows_rejected++;
            stats->rejected[REJECT_DUPLICATE]++;
            if (grow(s, (void **)&s->rejected, &s->caprejected, s->nrejected + 1, sizeof *s->rejected))
                return -1;
            s->rejected[s->nrejected++] = (long)r.line;
            continue;
        }
        first = r;
        have = 1;
    }
    if (k < 0)
        return -1;
    if (s->nrejected > 1) /* by line, for the replay's search (qsort must not see a NULL array) */
        qsort(s->rejected, s->nrejected, sizeof *s->rejected, cmp_long);
    return 0;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

/* With repeated ids the household table is read again, leaving the
 * rejected rows out, so that no repeat is drawn or counted: the draw is
 * then exactly the one the table without them gives. What the first pass
 * reported is not reported again. */
static int replay_households(sampler *s, const table_opts *opts)
{
    const plan_stage *sg = plan_get_stage(s->p, PLAN_HOUSEHOLDS);
    for (size_t i = 0; i < s->nvdrawn * sg->nstrata; i++) {
        for (long k = 0; k < s->cells[i].n; k++)
            mem_free(s->cells[i].c[k].id);
        mem_free(s->cells[i].c);
        memset(&s->cells[i], 0, sizeof s->cells[i]);
    }
    s->counts.units[PLAN_HOUSEHOLDS] = s->counts.no_stratum[PLAN_HOUSEHOLDS] = 0;
    s->counts.in_drawn_villages = s->counts.orphans = s->counts.orphan_line = 0;
    s->counts.size_errors[PLAN_HOUSEHOLDS] = 0;
    diag_list *quiet = diag_new(), *d = s->d;
    if (!quiet)
        return -1;
    diag_set_limit(quiet, 1);
    s->d = quiet;
    s->replay = 1;
    long cell_errors = s->in[PLAN_HOUSEHOLDS].cell_errors;
    table *t = table_open(s->in[PLAN_HOUSEHOLDS].path, sg->view, opts, quiet);
    int rc = -1;
    if (t) {
        row_ctx r = {s, PLAN_HOUSEHOLDS, t};
        rc = table_read(t, household_row, &r);
        table_close(&t);
    }
    s->in[PLAN_HOUSEHOLDS].cell_errors = cell_errors;
    s->replay = 0;
    s->d = d;
    if (diag_out_of_memory(quiet))
        diag_oom(d);
    diag_free(&quiet);
    return rc;
}

static int cmp_unit_id(const void *a, const void *b)
{
    return strcmp(((const sample_unit *)a)->id, ((const sample_unit *)b)->id);
}

/* Every drawn village's household draws into cells and units. */
static void draw_households(sampler *s)
{
    const plan_stage *sg = plan_get_stage(s->p, PLAN_HOUSEHOLDS);
    size_t total = 0;
    for (size_t i = 0; i < s->nvdrawn * sg->nstrata; i++)
        total += (size_t)s->cells[i].n;
    s->units[PLAN_HOUSEHOLDS] = mem_calloc(total + 1, sizeof(sample_unit));
    if (!s->units[PLAN_HOUSEHOLDS]) {
        diag_oom(s->d);
        s->failed = 1;
        return;
    }
    size_t nu = 0;
    /* per stratum: the drawn villages with fewer households than it asks
     * for, one warning each (the cells list every village) */
    long *short_villages = mem_calloc(sg->nstrata, sizeof(long)), *first_short_n = mem_calloc(sg->nstrata, sizeof(long));
    const vrow **first_short = mem_calloc(sg->nstrata, sizeof(vrow *));
    if (!short_villages || !first_short_n || !first_short) {
        mem_free(short_villages);
        mem_free(first_short_n);
        mem_free(first_short);
        diag_oom(s->d);
        s->failed = 1;
        return;
    }
    for (size_t d = 0; d < s->nvdrawn; d++) {
        const vrow *vr = &s->v[s->vdrawn[d]];
        size_t first = nu;
        for (size_t k = 0; k < sg->nstrata; k++) {
            const plan_stratum *ps = &sg->strata[k];
            hcell *h = &s->cells[d * sg->nstrata + k];
            sample_cell *c = new_cell(s);
            if (!c)
                goto done;
            c->stage = PLAN_HOUSEHOLDS;
            c->county = vr->county;
            c->village = vr->id;
            c->stratum = (int)k;
            c->population = h->population;
            c->drawn = h->n;
            c->size_total = ps->method == PLAN_PPS ? (double)h->size_total : 0;
            for (long i = 0; i < h->n; i++) {
                const cand *cd = &h->c[i];
                double own = pi_of(ps, h->population, h->n, cd->x, h->size_total);
                if (i == 0 || own < c->pi_min)
                    c->pi_min = own;
                if (i == 0 || own > c->pi_max)
                    c->pi_max = own;
                sample_unit *u = &s->units[PLAN_HOUSEHOLDS][nu++];
                u->id = cd->id;
                u->parent = vr->id;
                u->county = vr->county;
                u->name = vr->name;
                u->stratum = (int)k;
                u->u = cd->u;
                u->size = ps->method == PLAN_PPS ? cd->x : 0;
                u->pi = vr->pi * own;
                u->weight = 1.0 / u->pi;
                u->line = cd->line;
            }
            if (ps->take != PLAN_TAKE_ALL && h->population < ps->take && !short_villages[k]++) {
                first_short[k] = vr;
                first_short_n[k] = h->population;
            }
        }
        /* a village's households by id */
        qsort(s->units[PLAN_HOUSEHOLDS] + first, nu - first, sizeof(sample_unit), cmp_unit_id);
    }
    for (size_t k = 0; k < sg->nstrata; k++) {
        const plan_stratum *ps = &sg->strata[k];
        if (short_villages[k])
            diag_add(s->d, DIAG_WARNING, ps->pos.file, ps->pos.line, ps->pos.column,
                     "stratum '%s' has fewer households than the %ld it asks for in %ld of the %zu drawn villages, all of whose households in it are drawn (the first: village '%s' at %s:%ld, with %ld)",
                     ps->id, ps->take, short_villages[k], s->nvdrawn, first_short[k]->id, s->in[PLAN_VILLAGES].path,
                     first_short[k]->line, first_short_n[k]);
    }
done:
    mem_free(short_villages);
    mem_free(first_short_n);
    mem_free(first_short);
    s->nunits[PLAN_HOUSEHOLDS] = nu;
    s->counts.drawn[PLAN_HOUSEHOLDS] = (long)nu;
}

int sample_run(sampler *s, const char *village_path, const char *household_path, const table_opts *opts)
{
    const char *paths[PLAN__STAGES] = {village_path, household_path};
    table_row_fn fns[PLAN__STAGES] = {village_row, household_row};
    int rc = 0;
    for (int st = 0; st < PLAN__STAGES && !s->failed; st++) {
        stage_in *in = &s->in[st];
        in->path = arena_strdup(s->a, paths[st]);
        if (!in->path) {
            diag_oom(s->d);
            return -1;
        }
        const plan_stage *sg = plan_get_stage(s->p, (plan_stage_id)st);
        table *t = table_open(in->path, sg->view, opts, s->d);
        if (!t) {
            in->stats.encoding = N_("unread");
            in->stats.unread = 1;
            digest_file_hex(in->path, in->stats.sha256);
            in->have_stats = 1;
            rc = -1;
            if (st == PLAN_VILLAGES)
                return -1; /* no villages: nothing can be drawn */
            continue;
        }
        in->have_stats = 1;
        row_ctx r = {s, (plan_stage_id)st, t};
        if (table_read(t, fns[st], &r))
            rc = -1;
        in->stats = *table_get_stats(t);
        table_close(&t);
        if (st == PLAN_VILLAGES && !s->failed)
            draw_villages(s);
        if (st == PLAN_HOUSEHOLDS && !s->failed && find_repeats(s)) {
            diag_add(s->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file to find repeated ids");
            s->failed = 1;
        }
        if (st == PLAN_HOUSEHOLDS && !s->failed && s->nrejected && replay_households(s, opts)) {
            diag_add(s->d, DIAG_ERROR, in->path, 0, 0, "cannot read the table again to leave its repeated ids out");
            s->failed = 1;
        }
        in->stats.cell_errors += in->cell_errors;
    }
    if (s->failed)
        return -1;
    /* the drawn villages as units */
    s->units[PLAN_VILLAGES] = mem_calloc(s->nvdrawn + 1, sizeof(sample_unit));
    if (!s->units[PLAN_VILLAGES]) {
        diag_oom(s->d);
        return -1;
    }
    for (size_t d = 0; d < s->nvdrawn; d++) {
        const vrow *vr = &s->v[s->vdrawn[d]];
        sample_unit *u = &s->units[PLAN_VILLAGES][d];
        u->id = vr->id;
        u->parent = vr->county;
        u->county = vr->county;
        u->name = vr->name;
        u->stratum = vr->stratum;
        u->u = vr->u;
        u->size = plan_get_stage(s->p, PLAN_VILLAGES)->strata[vr->stratum].method == PLAN_PPS ? vr->x : 0;
        u->pi = vr->pi;
        u->weight = 1.0 / vr->pi;
        u->line = vr->line;
    }
    s->nunits[PLAN_VILLAGES] = s->nvdrawn;
    if (s->in[PLAN_HOUSEHOLDS].have_stats && !s->in[PLAN_HOUSEHOLDS].stats.unread)
        draw_households(s);
    return s->failed ? -1 : rc;
}

/* ---------- results ---------- */

size_t sample_units(const sampler *s, plan_stage_id st, const sample_unit **out)
{
    *out = s->units[st];
    return s->nunits[st];
}

size_t sample_cells(const sampler *s, const sample_cell **out)
{
    *out = s->scells;
    return s->nscells;
}

const sample_counts *sample_get_counts(const sampler *s) { return &s->counts; }

const table_stats *sample_stats(const sampler *s, plan_stage_id st)
{
    return s->in[st].have_stats ? &s->in[st].stats : NULL;
}

const char *sample_input_path(const sampler *s, plan_stage_id st) { return s->in[st].path; }
const char *sample_seed(const sampler *s) { return s->seed; }
const plan *sample_plan(const sampler *s) { return s->p; }
const ruleset *sample_ruleset(const sampler *s) { return s->rs; }
