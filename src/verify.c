/*
 * verify.c - the register against the survey (see verify.h for the order
 * of work and the estimators).
 *
 * Receives the pack, the register's tables, the survey and (optionally)
 * the manifest of the sample; produces a record per household surveyed
 * or drawn, per county and overall estimates with their vetoes, and the
 * accuracy of the register.
 *
 * Invariants:
 * - every survey row is rejected with a reason or becomes a household
 *   record with a finding; every manifest household without a survey row
 *   becomes one with the finding not_surveyed;
 * - a household's weight is its manifest weight, 1 without a manifest,
 *   and unknown only for a household not in the register (which enters
 *   no rate);
 * - a rate counts a household in its numerator and denominator only when
 *   the household's answer to the rate's question is known; the others of
 *   its domain are counted as undecided beside it.
 */
#include "verify.h"
#include "digest.h"
#include "evaluate.h"
#include "idmap.h"
#include "mem.h"
#include "sample_write.h"
#include "strbuf.h"
#include "xsort.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const verify_finding_names[FIND__COUNT] = {"ok",        "wrong_exit",      "missed",
                                                       "undecided", "not_in_register", "not_surveyed"};

/* A manifest row. */
typedef struct mrow {
    const char *id, *parent, *county, *stratum;
    double weight;
    int have_weight;
    long line;
    int seen;                 /* households: found in the register */
    int surveyed;
    int registered;           /* per the register, once seen: 1, 0, -1 unknown */
    unit_exit exit;
    long reg_line;
} mrow;

typedef struct input {
    const char *path;
    table_stats stats;
    int have;
} input;

struct verifier {
    const ruleset *rs;
    diag_list *d;
    arena *a;
    const rule_level *lv;     /* the household level */
    struct waivers *w;        /* documented exceptions, or NULL */
    int county_level;         /* -1 when the pack has none above the villages */
    int county_col;           /* the household level's column holding its county id, -1 when none */
    input in[VIN__COUNT];
    /* manifest */
    mrow *m;
    size_t nm, capm;
    idmap *mvillages, *mhouseholds; /* id -> index in m */
    int weighted;
    /* survey */
    verify_household *h;
    size_t nh, caph;
    size_t nsurveyed;
    idmap *survey;            /* household id -> index in h */
    int recognition_col;      /* the survey view's column of recognition */
    unsigned char *survey_has; /* per column of the survey view: the survey table has it */
    long manifest_id_col;     /* the manifest's unit_id column (1-based) */
    xsort *ids;               /* the register's household ids, to find repeats */
    long *rejected;           /* lines of repeated register households, ascending */
    long *rejected_first;     /* for each, the line of the row it repeats */
    diag_list *loud;          /* during the replay: where its messages go (d is a quiet sink then) */
    int estimated;            /* the counties were judged (verify_counties lists them) */
    size_t nrejected, caprejected;
    int replay;               /* the second pass over the register that leaves them out */
    rule_level *survey_view, *register_view;
    /* register */
    idmap *village_county;    /* village id -> index in vcounty */
    const char **vcounty;
    size_t nvc, capvc;
    idmap *cmap;              /* county id -> index in counties */
    verify_county *counties;
    size_t ncounties, capc;
    verify_county overall;
    int year;                 /* the register's year */
    verify_accuracy *acc;     /* per indicator */
    verify_accuracy hacc;
    /* the primary units of the variances: villages, sorted by county and stratum */
    struct psu *psus;
    size_t npsus;
    idmap *psu_map;           /* village id -> index in psus */
    long *hpsu;               /* per household: its psu, -1 for none */
    double *z;                /* per psu: the sum of z_i of one estimate */
    int failed;
};

/* ---------- lifecycle ---------- */

verifier *verify_new(const ruleset *rs, diag_list *d)
{
    verifier *v = mem_calloc(1, sizeof *v);
    if (!v) {
        diag_oom(d);
        return NULL;
    }
    v->rs = rs;
    v->d = d;
    v->lv = rules_level(rs, rules_nlevels(rs) - 1);
    v->county_level = rules_nlevels(rs) >= 3 ? (int)rules_nlevels(rs) - 3 : -1;
    v->county_col = -1;
    if (v->county_level >= 0) {
        const rule_level *cl = rules_level(rs, (size_t)v->county_level);
        if (cl->key >= 0)
            for (size_t i = 0; i < v->lv->nind; i++)
                if (!strcmp(v->lv->ind[i].id, cl->ind[cl->key].id))
                    v->county_col = (int)i;
    }
    v->a = arena_new();
    v->mvillages = idmap_new();
    v->mhouseholds = idmap_new();
    v->survey = idmap_new();
    v->village_county = idmap_new();
    v->cmap = idmap_new();
    v->acc = mem_calloc(v->lv->nind + 1, sizeof *v->acc);
    v->ids = xsort_new(2u << 20);
    if (!v->ids || !v->a || !v->mvillages || !v->mhouseholds || !v->survey || !v->village_county || !v->cmap || !v->acc) {
        diag_oom(d);
        verify_free(&v);
    }
    return v;
}

static void free_view(rule_level *lv)
{
    if (lv) {
        mem_free(lv->ind);
        mem_free(lv);
    }
}

void verify_free(verifier **vp)
{
    if (!vp || !*vp)
        return;
    verifier *v = *vp;
    for (size_t i = 0; i < v->ncounties; i++)
        mem_free(v->counties[i].vetoes);
    mem_free(v->overall.vetoes);
    mem_free(v->counties);
    for (size_t i = 0; i < v->nh; i++)
        mem_free(v->h[i].diffs);
    mem_free(v->h);
    mem_free(v->m);
    mem_free(v->vcounty);
    mem_free(v->acc);
    mem_free(v->survey_has);
    mem_free(v->rejected);
    mem_free(v->rejected_first);
    xsort_free(&v->ids);
    mem_free(v->psus);
    mem_free(v->hpsu);
    mem_free(v->z);
    idmap_free(&v->psu_map);
    free_view(v->survey_view);
    free_view(v->register_view);
    idmap_free(&v->mvillages);
    idmap_free(&v->mhouseholds);
    idmap_free(&v->survey);
    idmap_free(&v->village_county);
    idmap_free(&v->cmap);
    arena_free(&v->a);
    mem_free(v);
    *vp = NULL;
}

static int grow(verifier *v, void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *p = mem_realloc(*arr, n * size);
    if (!p) {
        diag_oom(v->d);
        v->failed = 1;
        return -1;
    }
    *arr = p;
    *cap = n;
    return 0;
}

static const char *dup_text(verifier *v, const value *x)
{
    if (x->kind != V_TEXT)
        return NULL;
    const char *s = arena_strndup(v->a, x->u.s, x->len);
    if (!s) {
        diag_oom(v->d);
        v->failed = 1;
    }
    return s;
}

/* A copy of lv whose columns are read wherever a table has them and
 * required only as keep lists (the key, the parent key); extra, when not
 * NULL, is appended. */
static rule_level *make_view(verifier *v, const rule_level *lv, int all_used, const rule_indicator *extra)
{
    rule_level *w = mem_calloc(1, sizeof *w);
    rule_indicator *ind = w ? mem_calloc(lv->nind + 2, sizeof *ind) : NULL;
    if (!ind) {
        mem_free(w);
        diag_oom(v->d);
        v->failed = 1;
        return NULL;
    }
    *w = *lv;
    w->ind = ind;
    for (size_t i = 0; i < lv->nind; i++) {
        ind[i] = lv->ind[i];
        ind[i].required = 0;
        ind[i].used = all_used;
    }
    if (extra)
        ind[w->nind++] = *extra;
    if (w->key >= 0)
        ind[w->key].required = 1;
    if (w->parent_key >= 0)
        ind[w->parent_key].required = 1;
    if (w->people >= 0)
        ind[w->people].used = 1;
    return w;
}

/* ---------- reading a table ---------- */

/* The manifest's columns (SPEC §7.1), in the order of its view. */
enum { M_LEVEL, M_ID, M_PARENT, M_COUNTY, M_STRATUM, M_PI, M_WEIGHT, M_U, M__COUNT };

static int read_table(verifier *v, verify_input which, const char *path, const rule_level *view,
                      const table_opts *opts, table_row_fn fn)
{
    input *in = &v->in[which];
    in->path = arena_strdup(v->a, path);
    if (!in->path) {
        diag_oom(v->d);
        v->failed = 1;
        return -1;
    }
    in->have = 1;
    table *t = table_open(path, view, opts, v->d);
    if (!t) {
        in->stats.encoding = N_("unread");
        in->stats.unread = 1;
        digest_file_hex(path, in->stats.sha256);
        return -1;
    }
    if (which == VIN_MANIFEST)
        v->manifest_id_col = table_column(t, M_ID);
    if (which == VIN_SURVEY) {
        v->survey_has = mem_calloc(view->nind + 1, 1);
        for (size_t i = 0; v->survey_has && i < view->nind; i++)
            v->survey_has[i] = (unsigned char)table_has_column(t, i);
        if (!v->survey_has) {
            diag_oom(v->d);
            v->failed = 1;
        }
    }
    int rc = table_read(t, fn, v);
    in->stats = *table_get_stats(t);
    table_close(&t);
    return rc;
}

/* ---------- the manifest ---------- */

static int manifest_row(void *ctx, const table_row *row)
{
    verifier *v = ctx;
    if (v->failed || grow(v, (void **)&v->m, &v->capm, v->nm + 1, sizeof *v->m))
        return 0;
    const value *x = row->vals;
    const char *level = x[M_LEVEL].kind == V_TEXT ? x[M_LEVEL].u.s : "";
    size_t llen = x[M_LEVEL].kind == V_TEXT ? x[M_LEVEL].len : 0;
    const char *hl = v->lv->id, *vl = v->lv->parent >= 0 ? rules_level(v->rs, (size_t)v->lv->parent)->id : "";
    int is_h = llen == strlen(hl) && !memcmp(level, hl, llen);
    int is_v = llen == strlen(vl) && !memcmp(level, vl, llen);
    if (!is_h && !is_v) {
        diag_add(v->d, DIAG_ERROR, v->in[VIN_MANIFEST].path, row->line, 1,
                 "row rejected: level '%.*s' is neither %s nor %s", (int)llen, level, vl, hl);
        return 1;
    }
    mrow *r = &v->m[v->nm];
    memset(r, 0, sizeof *r);
    r->line = row->line;
    r->id = dup_text(v, &x[M_ID]);
    r->parent = dup_text(v, &x[M_PARENT]);
    r->county = dup_text(v, &x[M_COUNTY]);
    r->stratum = dup_text(v, &x[M_STRATUM]);
    if (!r->parent)
        r->parent = "";
    if (!r->county)
        r->county = "";
    if (!r->stratum)
        r->stratum = "";
    if (x[M_WEIGHT].kind == V_NUM && x[M_WEIGHT].u.num >= 1) {
        r->weight = x[M_WEIGHT].u.num;
        r->have_weight = 1;
    } else if (is_h) {
        diag_add(v->d, DIAG_ERROR, v->in[VIN_MANIFEST].path, row->line, M_WEIGHT + 1,
                 "the weight of a household must be a number of 1 or more (1 / pi)");
    }
    if (!r->id)
        return 0;
    idmap *map = is_h ? v->mhouseholds : v->mvillages;
    long first = idmap_put(map, r->id, strlen(r->id), (long)v->nm);
    if (first == -2) {
        diag_oom(v->d);
        v->failed = 1;
        return 0;
    }
    if (first >= 0) {
        diag_add(v->d, DIAG_ERROR, v->in[VIN_MANIFEST].path, row->line, 0,
                 "row rejected: %s '%s' is in the manifest twice (first at line %ld)", is_h ? hl : vl, r->id,
                 v->m[first].line);
        return 1;
    }
    v->nm++;
    return 0;
}

static int read_manifest(verifier *v, const char *path, const table_opts *opts)
{
    static const char *const names[M__COUNT] = {"level", "unit_id", "parent_id", "county_id",
                                                "stratum", "pi", "weight", "u"};
    rule_indicator ind[M__COUNT];
    memset(ind, 0, sizeof ind);
    for (int i = 0; i < M__COUNT; i++) {
        ind[i].id = names[i];
        ind[i].type = i == M_PI || i == M_WEIGHT ? IND_NUMBER : IND_TEXT;
        ind[i].required = i != M_PI && i != M_U; /* pi and u are for people; weight is 1 / pi */
        ind[i].used = 1;
    }
    rule_level ml;
    rules_own_view(&ml, "manifest", ind, M__COUNT, M_ID);
    v->weighted = 1;
    return read_table(v, VIN_MANIFEST, path, &ml, opts, manifest_row);
}

/* ---------- the survey ---------- */

static int survey_row(void *ctx, const table_row *row)
{
    verifier *v = ctx;
    if (v->failed || grow(v, (void **)&v->h, &v->caph, v->nh + 1, sizeof *v->h))
        return 0;
    const rule_level *sv = v->survey_view;
    const value *key = &row->vals[sv->key];
    long first = idmap_put(v->survey, key->u.s, key->len, (long)v->nh);
    if (first == -2) {
        diag_oom(v->d);
        v->failed = 1;
        return 0;
    }
    if (first >= 0) {
        diag_add(v->d, DIAG_ERROR, v->in[VIN_SURVEY].path, row->line, 0,
                 "row rejected: household '%.*s' is in the survey twice (first at line %ld)", (int)key->len, key->u.s,
                 v->h[first].line);
        return 1;
    }
    verify_household *h = &v->h[v->nh++];
    memset(h, 0, sizeof *h);
    h->line = row->line;
    h->registered = -1;
    h->identify = -1;
    h->recognition = -1;
    h->county = "";
    value *vals = arena_alloc(v->a, (sv->nind + 1) * sizeof *vals);
    if (!vals) {
        diag_oom(v->d);
        v->failed = 1;
        return 0;
    }
    for (size_t i = 0; i < sv->nind; i++) {
        vals[i] = row->vals[i];
        if (vals[i].kind == V_TEXT && !(vals[i].u.s = dup_text(v, &row->vals[i])))
            return 0;
    }
    h->survey = vals;
    h->id = vals[sv->key].u.s;
    h->village = sv->parent_key >= 0 && vals[sv->parent_key].kind == V_TEXT ? vals[sv->parent_key].u.s : "";
    if (sv->registered >= 0 && vals[sv->registered].kind == V_BOOL)
        h->registered = vals[sv->registered].u.b;
    if (sv->people >= 0 && vals[sv->people].kind == V_NUM && vals[sv->people].u.num >= 0) {
        h->members = vals[sv->people].u.num;
        h->have_members = 1;
    }
    const value *rec = &vals[v->recognition_col];
    if (rec->kind == V_BOOL)
        h->recognition = rec->u.b;
    return 0;
}

static int read_survey(verifier *v, const char *path, const table_opts *opts)
{
    static const char *const rec_aliases[] = {"群众认可", "认可度", "是否认可"};
    rule_indicator rec;
    memset(&rec, 0, sizeof rec);
    rec.id = "recognition";
    rec.type = IND_BOOL;
    rec.zh = "认可";
    rec.aliases = (const char **)rec_aliases;
    rec.naliases = 3;
    rec.used = 1;
    int have = -1;
    for (size_t i = 0; i < v->lv->nind; i++)
        if (!strcmp(v->lv->ind[i].id, "recognition"))
            have = (int)i;
    v->survey_view = make_view(v, v->lv, 1, have < 0 ? &rec : NULL);
    if (!v->survey_view)
        return -1;
    v->recognition_col = have >= 0 ? have : (int)v->lv->nind;
    int rc = read_table(v, VIN_SURVEY, path, v->survey_view, opts, survey_row);
    unsigned char *want = v->survey_has ? mem_calloc(v->lv->nind + 1, 1) : NULL;
    if (want) {
        sample_form_columns(v->lv, want);
        strbuf names = STRBUF_INIT;
        for (size_t i = 0; i < v->lv->nind; i++)
            if (want[i] && !v->survey_has[i])
                strbuf_printf(&names, "%s%s", names.len ? ", " : "", v->lv->ind[i].id);
        if (names.len)
            diag_add(v->d, DIAG_WARNING, path, 1, 0,
                     "the survey has no column for %s, which the targets read: a household whose status depends on it is undecided",
                     strbuf_str(&names));
        strbuf_free(&names);
        mem_free(want);
    }
    return rc;
}

/* ---------- the register ---------- */

static verify_county *county_named(verifier *v, const char *id, size_t len)
{
    long k = idmap_get(v->cmap, id, len);
    if (k >= 0)
        return &v->counties[k];
    if (grow(v, (void **)&v->counties, &v->capc, v->ncounties + 1, sizeof *v->counties))
        return NULL;
    verify_county *c = &v->counties[v->ncounties];
    memset(c, 0, sizeof *c);
    c->id = arena_strndup(v->a, id, len);
    c->vetoes = mem_calloc(rules_nvetoes(v->rs) + 1, sizeof *c->vetoes);
    if (!c->id || !c->vetoes || idmap_put(v->cmap, id, len, (long)v->ncounties) == -2) {
        mem_free(c->vetoes);
        diag_oom(v->d);
        v->failed = 1;
        return NULL;
    }
    v->ncounties++;
    return c;
}

static int county_row(void *ctx, const table_row *row)
{
    verifier *v = ctx;
    const rule_level *cl = rules_level(v->rs, (size_t)v->county_level);
    const value *key = &row->vals[cl->key];
    verify_county *c = county_named(v, key->u.s, key->len);
    if (c && cl->people >= 0 && row->vals[cl->people].kind == V_NUM && row->vals[cl->people].u.num > 0) {
        c->population = row->vals[cl->people].u.num;
        c->have_population = 1;
    }
    return 0;
}

static int village_row(void *ctx, const table_row *row)
{
    verifier *v = ctx;
    const rule_level *vl = rules_level(v->rs, (size_t)v->lv->parent);
    const value *key = &row->vals[vl->key];
    if (vl->parent_key < 0 || row->vals[vl->parent_key].kind != V_TEXT)
        return 0;
    if (grow(v, (void **)&v->vcounty, &v->capvc, v->nvc + 1, sizeof *v->vcounty))
        return 0;
    const char *c = dup_text(v, &row->vals[vl->parent_key]);
    if (!c)
        return 0;
    long first = idmap_put(v->village_county, key->u.s, key->len, (long)v->nvc);
    if (first == -2) {
        diag_oom(v->d);
        v->failed = 1;
        return 0;
    }
    if (first < 0)
        v->vcounty[v->nvc++] = c;
    return 0;
}

/* The county of a household: its village's, else its own county column. */
static const char *county_of(verifier *v, const char *village, size_t vlen, const value *own)
{
    long k = village ? idmap_get(v->village_county, village, vlen) : -1;
    if (k >= 0)
        return v->vcounty[k];
    if (own && own->kind == V_TEXT) {
        verify_county *c = county_named(v, own->u.s, own->len);
        return c ? c->id : NULL;
    }
    return NULL;
}

static int agree(const rule_indicator *ind, const value *r, const value *s)
{
    if (r->kind != s->kind)
        return 0;
    switch (r->kind) {
    case V_NUM: {
        double d = fabs(s->u.num - r->u.num), tol = ind->tol_rel * fabs(s->u.num);
        if (ind->tol_abs > tol)
            tol = ind->tol_abs;
        return d <= tol;
    }
    case V_BOOL: return r->u.b == s->u.b;
    case V_TEXT: return r->len == s->len && !memcmp(r->u.s, s->u.s, r->len);
    case V_UNKNOWN: return 1;
    }
    return 0;
}

/* Indicators compared: all but the ids, the year and the exit columns
 * (the survey does not re-ask when a household exited). */
static int compared_column(const verifier *v, size_t i)
{
    const rule_level *lv = v->lv;
    int skip[] = {lv->key, lv->parent_key, lv->year, lv->claim, lv->exit_year, v->county_col};
    for (size_t k = 0; k < sizeof skip / sizeof *skip; k++)
        if ((int)i == skip[k])
            return 0;
    return 1;
}

/* A register row of a surveyed household: its status, and the survey
 * compared with it cell by cell. */
static void match(verifier *v, verify_household *h, const table_row *row, const table *t)
{
    const rule_level *lv = v->lv;
    const value *r = row->vals;
    h->reg_line = row->line;
    if (lv->year >= 0 && r[lv->year].kind == V_NUM)
        h->year = (int)r[lv->year].u.num;
    value reg = unit_registered_of(lv, r);
    h->registered = reg.kind == V_BOOL ? reg.u.b : -1;
    int conflict;
    h->exit = unit_exit_of(lv, r, &conflict);
    /* the village the register gives is the household's primary unit; a
     * survey that puts it elsewhere is a difference */
    const value *rvil = lv->parent_key >= 0 ? &r[lv->parent_key] : NULL;
    if (rvil && rvil->kind == V_TEXT && (strlen(h->village) != rvil->len || memcmp(h->village, rvil->u.s, rvil->len))) {
        verify_diff *dd = mem_realloc(h->diffs, (h->ndiffs + 1) * sizeof *dd);
        if (dd)
            h->diffs = dd;
        const char *copy = dd ? dup_text(v, rvil) : NULL;
        if (!copy) {
            diag_oom(v->d);
            v->failed = 1;
            return;
        }
        h->diffs[h->ndiffs++] = (verify_diff){lv->parent_key, *rvil, h->survey[lv->parent_key]};
        h->diffs[h->ndiffs - 1].reg.u.s = copy;
        h->village = copy;
    }
    if (h->registered < 0 && h->exit != UEXIT_NONE)
        h->registered = 1; /* only a registered household exits */
    else if (h->registered < 0 && !v->replay)
        diag_add(v->d, DIAG_WARNING, v->in[VIN_HOUSEHOLD].path, row->line, table_column(t, (size_t)lv->registered),
                 "%s of surveyed household '%s' is missing: whether it was missed cannot be decided", lv->ind[lv->registered].id, h->id);
    for (size_t i = 0; i < lv->nind; i++) {
        if (!compared_column(v, i) || !table_has_column(t, i) || !v->survey_has[i])
            continue;
        const value *rv = &r[i], *sv = &h->survey[i];
        if (rv->kind == V_UNKNOWN || sv->kind == V_UNKNOWN)
            continue;
        h->compared++;
        v->acc[i].compared++;
        if (agree(&lv->ind[i], rv, sv)) {
            h->agreed++;
            v->acc[i].agreed++;
            continue;
        }
        verify_diff *dd = mem_realloc(h->diffs, (h->ndiffs + 1) * sizeof *dd);
        if (!dd) {
            diag_oom(v->d);
            v->failed = 1;
            return;
        }
        h->diffs = dd;
        verify_diff *df = &h->diffs[h->ndiffs++];
        df->ind = (int)i;
        df->sur = *sv;
        df->reg = *rv;
        if (rv->kind == V_TEXT && !(df->reg.u.s = dup_text(v, rv)))
            return;
    }
}

typedef struct reg_ctx {
    verifier *v;
    const table *t;
} reg_ctx;

static int register_row(void *ctx, const table_row *row)
{
    reg_ctx *rc = ctx;
    verifier *v = rc->v;
    if (v->failed)
        return 0;
    const rule_level *lv = v->lv;
    const value *r = row->vals;
    const value *key = &r[lv->key];
    if (v->replay) {
        size_t lo = 0, hi = v->nrejected;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (v->rejected[mid] < row->line)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < v->nrejected && v->rejected[lo] == row->line) {
            diag_add(v->loud, DIAG_ERROR, v->in[VIN_HOUSEHOLD].path, row->line, 0,
                     "row rejected: duplicate %s '%.*s' (first at line %ld)", lv->ind[lv->key].id, (int)key->len,
                     key->u.s, v->rejected_first[lo]);
            return 0;
        }
    } else {
        xrec xr = {idmap_hash(key->u.s, key->len), idmap_hash2(key->u.s, key->len), (uint64_t)row->line,
                   (int64_t)row->line};
        if (xsort_add(v->ids, &xr)) {
            diag_add(v->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file to find repeated ids");
            v->failed = 1;
            return 0;
        }
    }
    if (!v->year && lv->year >= 0 && r[lv->year].kind == V_NUM)
        v->year = (int)r[lv->year].u.num;
    int conflict;
    unit_exit ex = unit_exit_of(lv, r, &conflict);
    if (conflict && lv->exit_year >= 0 && !v->replay)
        unit_exit_conflict(lv, r, v->d, v->in[VIN_HOUSEHOLD].path, row->line, table_column(rc->t, (size_t)lv->exit_year));
    value reg = unit_registered_of(lv, r);
    const value *pv = lv->parent_key >= 0 ? &r[lv->parent_key] : NULL;
    const char *county = county_of(v, pv && pv->kind == V_TEXT ? pv->u.s : NULL, pv ? pv->len : 0,
                                   v->county_col >= 0 ? &r[v->county_col] : NULL);
    verify_county *c = county ? county_named(v, county, strlen(county)) : NULL;
    const value *ppl = lv->people >= 0 ? &r[lv->people] : NULL;
    if (c && reg.kind == V_BOOL && reg.u.b && ppl && ppl->kind == V_NUM) {
        c->reg_people += ppl->u.num;
        if (ex == UEXIT_NONE)
            c->poor_people += ppl->u.num;
        else
            c->exited_people += ppl->u.num;
    }
    long mi = idmap_get(v->mhouseholds, key->u.s, key->len);
    if (mi >= 0) {
        mrow *m = &v->m[mi];
        m->seen = 1;
        m->registered = reg.kind == V_BOOL ? reg.u.b : -1;
        m->exit = ex;
        m->reg_line = row->line;
    }
    long k = idmap_get(v->survey, key->u.s, key->len);
    if (k < 0)
        return 0;
    verify_household *h = &v->h[k];
    if (h->reg_line) /* a repeat: found and rejected after the table, then left out of the replay */
        return 0;
    h->county = county ? county : "";
    match(v, h, row, rc->t);
    return 0;
}

/* After the register's household table: a repeated id anywhere in it is
 * an error at the later row, which is rejected; 1 when there were some. */
static int find_repeats(verifier *v)
{
    const rule_level *lv = v->lv;
    table_stats *stats = &v->in[VIN_HOUSEHOLD].stats;
    if (xsort_start(v->ids)) {
        diag_add(v->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file to find repeated ids");
        v->failed = 1;
        return 0;
    }
    xrec r, first = {0};
    int k, have = 0;
    while ((k = xsort_next(v->ids, &r)) == 1) {
        if (have && r.k1 == first.k1 && r.k2 == first.k2) {
            /* reported by the replay, which has the id */
            stats->rows_rejected++;
            stats->rejected[REJECT_DUPLICATE]++;
            size_t cap = v->caprejected;
            if (grow(v, (void **)&v->rejected, &v->caprejected, v->nrejected + 1, sizeof *v->rejected))
                return 0;
            if (v->caprejected != cap) {
                long *f = mem_realloc(v->rejected_first, v->caprejected * sizeof *f);
                if (!f) {
                    diag_oom(v->d);
                    v->failed = 1;
                    return 0;
                }
                v->rejected_first = f;
            }
            v->rejected_first[v->nrejected] = (long)first.line;
            v->rejected[v->nrejected++] = (long)r.line;
            continue;
        }
        first = r;
        have = 1;
    }
    if (k < 0) {
        diag_add(v->d, DIAG_ERROR, NULL, 0, 0, "cannot use a temporary file to find repeated ids");
        v->failed = 1;
    }
    for (size_t i = 1; i < v->nrejected; i++) /* by line, the pairs together (repeats are few) */
        for (size_t j = i; j > 0 && v->rejected[j - 1] > v->rejected[j]; j--) {
            long t = v->rejected[j], f = v->rejected_first[j];
            v->rejected[j] = v->rejected[j - 1];
            v->rejected_first[j] = v->rejected_first[j - 1];
            v->rejected[j - 1] = t;
            v->rejected_first[j - 1] = f;
        }
    (void)lv;
    return v->nrejected > 0;
}

/* With repeated ids the register is read again leaving the rejected rows
 * out: the counties' people and the surveyed households' matches are then
 * those of the table without them. What the first pass reported is not
 * reported again. */
static int replay_register(verifier *v, const table_opts *opts)
{
    for (size_t i = 0; i < v->ncounties; i++)
        v->counties[i].reg_people = v->counties[i].poor_people = v->counties[i].exited_people = 0;
    for (size_t i = 0; i < v->nh; i++) {
        verify_household *h = &v->h[i];
        mem_free(h->diffs);
        h->diffs = NULL;
        h->ndiffs = 0;
        h->compared = h->agreed = 0;
        h->reg_line = 0;
        h->year = 0;
        h->exit = UEXIT_NONE;
        int rc0 = v->survey_view->registered;
        h->registered = h->survey && rc0 >= 0 && h->survey[rc0].kind == V_BOOL ? h->survey[rc0].u.b : -1;
    }
    for (size_t i = 0; i < v->nm; i++)
        v->m[i].seen = 0, v->m[i].reg_line = 0;
    memset(v->acc, 0, v->lv->nind * sizeof *v->acc);
    diag_list *quiet = diag_new(), *d = v->d;
    if (!quiet)
        return -1;
    diag_set_limit(quiet, 1);
    v->loud = d;
    v->d = quiet;
    v->replay = 1;
    table *t = table_open(v->in[VIN_HOUSEHOLD].path, v->register_view, opts, quiet);
    int rc = -1;
    if (t) {
        reg_ctx r = {v, t};
        rc = table_read(t, register_row, &r);
        table_close(&t);
    }
    v->replay = 0;
    v->d = d;
    if (diag_out_of_memory(quiet))
        diag_oom(d);
    diag_free(&quiet);
    return rc;
}

/* ---------- evaluation on the survey's values ---------- */

void verify_set_waivers(verifier *v, struct waivers *w) { v->w = w; }
const struct waivers *verify_waivers(const verifier *v) { return v->w; }

static void evaluate_survey(verifier *v)
{
    const rule_level *lv = v->lv;
    evaluator *ev = evaluate_new(v->rs, v->d);
    if (ev)
        evaluate_set_waivers(ev, v->w);
    unit_rec u;
    memset(&u, 0, sizeof u);
    u.level = lv;
    u.parent_idx = -1;
    u.slots = mem_calloc(lv->nslots + 1, sizeof(value));
    u.tstatus = mem_calloc(lv->ntargets + 1, 1);
    u.reported = mem_calloc(lv->nrecompute + 1, sizeof(value));
    u.differs = mem_calloc(lv->nrecompute + 1, 1);
    u.applied = mem_calloc(lv->nrecompute + 1, 1);
    if (!ev || !u.slots || !u.tstatus || !u.reported || !u.differs || !u.applied) {
        diag_oom(v->d);
        v->failed = 1;
    }
    for (size_t i = 0; i < v->nh && !v->failed; i++) {
        verify_household *h = &v->h[i];
        if (!h->survey)
            continue;
        memcpy(u.slots, h->survey, lv->nind * sizeof(value));
        /* the survey has no year of its own: the register's */
        int year = h->year ? h->year : v->year;
        if (lv->year >= 0)
            u.slots[lv->year] = year ? value_num(year) : value_unknown(WHY_MISSING);
        if (lv->claim >= 0)
            u.slots[lv->claim] = value_unknown(WHY_NO_COLUMN);
        if (lv->exit_year >= 0)
            u.slots[lv->exit_year] = value_unknown(WHY_NO_COLUMN);
        u.line = h->line;
        u.id = h->id;
        evaluate_unit(ev, &u);
        h->verified = u.status;
        for (size_t t = 0; t < lv->ntargets && t < 64; t++) {
            if (u.tstatus[t] == ST_FAIL || u.tstatus[t] == ST_WARN)
                h->not_met |= 1ull << t;
            if (u.tstatus[t] == ST_WAIVED)
                h->waived |= 1ull << t;
        }
        if (lv->identify) {
            value id = expr_eval(lv->identify, u.slots);
            h->identify = id.kind == V_BOOL ? id.u.b : -1;
        }
    }
    evaluate_free(&ev);
    mem_free(u.slots);
    mem_free(u.tstatus);
    mem_free(u.reported);
    mem_free(u.differs);
    mem_free(u.applied);
}

static void find(verifier *v)
{
    for (size_t i = 0; i < v->nh; i++) {
        verify_household *h = &v->h[i];
        if (!h->survey) {
            h->finding = FIND_NOT_SURVEYED;
            continue;
        }
        if (!h->reg_line && h->registered == 1) {
            h->finding = FIND_NOT_IN_REGISTER;
            continue;
        }
        if (!h->reg_line)
            h->registered = 0; /* absent from the register and not saying registered: not registered */
        if (h->registered < 0)
            h->finding = FIND_UNDECIDED;
        else if (h->registered == 1 && h->exit != UEXIT_NONE)
            h->finding = h->verified == ST_FAIL ? FIND_WRONG_EXIT : h->verified == ST_UNKNOWN ? FIND_UNDECIDED : FIND_OK;
        else if (h->registered == 0)
            h->finding = h->identify == 1 ? FIND_MISSED : h->identify < 0 ? FIND_UNDECIDED : FIND_OK;
        else
            h->finding = FIND_OK;
    }
}

/* ---------- the estimates ---------- */

/* What a household contributes to rate r: *x the denominator's, *y the
 * numerator's (before weighting); 0 when outside its domain, -1 when in
 * it and undecided, 1 when counted. */
static int contribution(const verify_household *h, verify_rate r, double *y, double *x)
{
    *x = *y = 0;
    if (!h->survey || h->finding == FIND_NOT_IN_REGISTER || !h->have_weight)
        return 0;
    switch (r) {
    case RATE_WRONG_EXIT:
        if (h->registered != 1 || h->exit == UEXIT_NONE)
            return 0;
        if (h->verified == ST_UNKNOWN || !h->have_members)
            return -1;
        *x = h->members;
        *y = h->verified == ST_FAIL ? h->members : 0;
        return 1;
    case RATE_MISSED:
        if (h->registered < 0)
            return -1; /* in the register without a registered cell: maybe in the domain */
        if (h->registered != 0)
            return 0;
        if (h->identify < 0 || !h->have_members)
            return -1;
        *x = h->members;
        *y = h->identify == 1 ? h->members : 0;
        return 1;
    case RATE_RECOGNITION:
        if (h->recognition < 0)
            return -1;
        *x = 1;
        *y = h->recognition;
        return 1;
    case RATE_COMPREHENSIVE: return 0;
    }
    return 0;
}

typedef struct psu {
    const char *county, *stratum, *village;
} psu;

static int cmp_psu(const void *a, const void *b)
{
    const psu *x = a, *y = b;
    int c = strcmp(x->county, y->county);
    if (!c)
        c = strcmp(x->stratum, y->stratum);
    if (!c)
        c = strcmp(x->village, y->village);
    return c;
}

static int add_psu(verifier *v, size_t *cap, const char *county, const char *stratum, const char *village)
{
    if (idmap_get(v->psu_map, village, strlen(village)) >= 0)
        return 0;
    if (grow(v, (void **)&v->psus, cap, v->npsus + 1, sizeof *v->psus))
        return -1;
    if (idmap_put(v->psu_map, village, strlen(village), (long)v->npsus) == -2) {
        diag_oom(v->d);
        v->failed = 1;
        return -1;
    }
    v->psus[v->npsus++] = (psu){county, stratum, village};
    return 0;
}

/* The primary units: with a manifest, its villages (stratum and county as
 * it gives them), and the villages of surveyed households it lacks;
 * without one, the villages of the surveyed households, one stratum per
 * county. Sorted by county, stratum and village; each household's unit
 * noted. */
static void make_psus(verifier *v)
{
    size_t cap = 0;
    if (!(v->psu_map = idmap_new())) {
        diag_oom(v->d);
        v->failed = 1;
        return;
    }
    for (size_t i = 0; v->weighted && i < v->nm && !v->failed; i++) {
        const mrow *m = &v->m[i];
        if (idmap_get(v->mvillages, m->id, strlen(m->id)) == (long)i)
            add_psu(v, &cap, m->parent, m->stratum, m->id);
    }
    for (size_t i = 0; i < v->nh && !v->failed; i++) {
        const verify_household *h = &v->h[i];
        if (h->survey && h->finding != FIND_NOT_IN_REGISTER)
            add_psu(v, &cap, h->county, "", h->village);
    }
    if (v->failed)
        return;
    if (v->npsus)
        qsort(v->psus, v->npsus, sizeof *v->psus, cmp_psu);
    idmap_free(&v->psu_map);
    v->psu_map = idmap_new();
    v->hpsu = mem_calloc(v->nh + 1, sizeof *v->hpsu);
    v->z = mem_calloc(v->npsus + 1, sizeof *v->z);
    if (!v->psu_map || !v->hpsu || !v->z) {
        diag_oom(v->d);
        v->failed = 1;
        return;
    }
    for (size_t i = 0; i < v->npsus; i++)
        if (idmap_put(v->psu_map, v->psus[i].village, strlen(v->psus[i].village), (long)i) == -2) {
            diag_oom(v->d);
            v->failed = 1;
            return;
        }
    for (size_t i = 0; i < v->nh; i++)
        v->hpsu[i] = idmap_get(v->psu_map, v->h[i].village, strlen(v->h[i].village));
    /* the strata of one unit: each adds 0 to every variance (flagged) */
    for (size_t a = 0; a < v->npsus;) {
        size_t b = a;
        while (b < v->npsus && !strcmp(v->psus[b].county, v->psus[a].county) &&
               !strcmp(v->psus[b].stratum, v->psus[a].stratum))
            b++;
        if (b - a == 1) {
            long k = idmap_get(v->cmap, v->psus[a].county, strlen(v->psus[a].county));
            if (k >= 0)
                v->counties[k].single_strata++;
            v->overall.single_strata++;
        }
        a = b;
    }
}

/* Rate r over the households of county (NULL: all), into e; *single
 * (may be NULL) counts the strata of one unit. */
static void estimate(verifier *v, const char *county, verify_rate r, verify_estimate *e, long *single)
{
    memset(e, 0, sizeof *e);
    double num = 0, den = 0;
    for (size_t i = 0; i < v->nh; i++) {
        const verify_household *h = &v->h[i];
        if (county && strcmp(h->county, county))
            continue;
        double y, x;
        int k = contribution(h, r, &y, &x);
        if (k < 0)
            e->undecided++;
        if (k <= 0)
            continue;
        e->households++;
        num += h->weight * y;
        den += h->weight * x;
    }
    e->num = num;
    e->den = den;
    if (!(den > 0) || !isfinite(num) || !isfinite(den))
        return; /* no household to decide, or weights and members too large to sum: no estimate */
    double R = num / den;
    memset(v->z, 0, v->npsus * sizeof *v->z);
    for (size_t i = 0; i < v->nh; i++) {
        const verify_household *h = &v->h[i];
        double y, x;
        if ((county && strcmp(h->county, county)) || v->hpsu[i] < 0 || contribution(h, r, &y, &x) <= 0)
            continue;
        v->z[v->hpsu[i]] += h->weight * (y - R * x) / den;
    }
    double var = 0;
    for (size_t a = 0; a < v->npsus;) {
        size_t b = a;
        double sum = 0;
        while (b < v->npsus && !strcmp(v->psus[b].county, v->psus[a].county) &&
               !strcmp(v->psus[b].stratum, v->psus[a].stratum))
            sum += v->z[b++];
        size_t n = b - a;
        if (county && strcmp(v->psus[a].county, county)) {
            a = b;
            continue;
        }
        if (n > 1) {
            double mean = sum / (double)n, ss = 0;
            for (size_t k = a; k < b; k++)
                ss += (v->z[k] - mean) * (v->z[k] - mean);
            var += (double)n / (double)(n - 1) * ss;
        } else if (single) {
            (*single)++;
        }
        a = b;
    }
    if (!isfinite(var) || !isfinite(R))
        return;
    e->known = 1;
    e->value = R * 100.0;
    e->se = sqrt(var) * 100.0;
    e->lo = fmax(0.0, e->value - 1.96 * e->se);
    e->hi = fmin(100.0, e->value + 1.96 * e->se);
}

static void comprehensive(verify_county *c)
{
    verify_estimate *e = &c->rates[RATE_COMPREHENSIVE];
    const verify_estimate *w = &c->rates[RATE_WRONG_EXIT], *m = &c->rates[RATE_MISSED];
    memset(e, 0, sizeof *e);
    e->households = w->households + m->households;
    e->undecided = w->undecided + m->undecided;
    if (!c->have_population || !w->known || !m->known)
        return;
    double P = c->population, outside = P - c->reg_people;
    double M = m->value / 100.0 * outside, W = w->value / 100.0 * c->exited_people;
    double se = sqrt(outside * outside * m->se * m->se + c->exited_people * c->exited_people * w->se * w->se) / P;
    if (!isfinite(c->poor_people + M + W) || !isfinite(se))
        return;
    e->known = 1;
    e->num = c->poor_people + M + W;
    e->den = P;
    e->value = e->num / P * 100.0;
    e->se = se;
    e->lo = fmax(0.0, e->value - 1.96 * e->se);
    e->hi = fmin(100.0, e->value + 1.96 * e->se);
}

static void judge(verifier *v, verify_county *c)
{
    int fail = 0, unknown = 0;
    for (size_t k = 0; k < rules_nvetoes(v->rs); k++) {
        const rule_veto *vt = rules_veto(v->rs, k);
        verify_veto_result *res = &c->vetoes[k];
        const verify_estimate *e = &c->rates[vt->rate];
        value t = rules_veto_threshold(v->rs, vt, v->year != 0, v->year);
        res->have_threshold = t.kind == V_NUM;
        res->threshold = res->have_threshold ? t.u.num : 0;
        if (!e->known || !res->have_threshold) {
            res->status = ST_UNKNOWN;
            unknown = 1;
            continue;
        }
        res->status = rules_veto_holds(vt, e->value, res->threshold) ? ST_PASS : ST_FAIL;
        res->within_margin = e->lo <= res->threshold && res->threshold <= e->hi;
        fail |= res->status == ST_FAIL;
    }
    /* a pack without vetoes judges nothing: no county passes by default */
    c->status = fail ? ST_FAIL : unknown || !rules_nvetoes(v->rs) ? ST_UNKNOWN : ST_PASS;
}

static int cmp_county(const void *a, const void *b)
{
    return strcmp(((const verify_county *)a)->id, ((const verify_county *)b)->id);
}

static void estimate_all(verifier *v)
{
    v->estimated = 1;
    make_psus(v);
    if (v->failed)
        return;
    /* only counties with a surveyed household are judged */
    size_t keep = 0;
    for (size_t i = 0; i < v->ncounties; i++) {
        verify_county *c = &v->counties[i];
        for (size_t k = 0; k < v->nh; k++)
            if (v->h[k].survey && !strcmp(v->h[k].county, c->id))
                c->surveyed++;
        if (c->surveyed)
            v->counties[keep++] = *c;
        else
            mem_free(c->vetoes);
    }
    v->ncounties = keep;
    if (v->ncounties)
        qsort(v->counties, v->ncounties, sizeof *v->counties, cmp_county);
    verify_county *o = &v->overall;
    o->id = "";
    o->vetoes = mem_calloc(rules_nvetoes(v->rs) + 1, sizeof *o->vetoes);
    if (!o->vetoes) {
        diag_oom(v->d);
        v->failed = 1;
        return;
    }
    o->have_population = v->ncounties > 0;
    for (size_t i = 0; i < v->ncounties && !v->failed; i++) {
        verify_county *c = &v->counties[i];
        for (int r = 0; r < RATE_COMPREHENSIVE; r++)
            estimate(v, c->id, (verify_rate)r, &c->rates[r], NULL);
        comprehensive(c);
        judge(v, c);
        o->surveyed += c->surveyed;
        o->have_population &= c->have_population;
        o->population += c->population;
        o->reg_people += c->reg_people;
        o->poor_people += c->poor_people;
        o->exited_people += c->exited_people;
    }
    for (int r = 0; r < RATE_COMPREHENSIVE && !v->failed; r++)
        estimate(v, NULL, (verify_rate)r, &o->rates[r], NULL);
    comprehensive(o);
    judge(v, o);
}

/* ---------- the run ---------- */

/* The households of the manifest without a survey row, as records. */
static void add_not_surveyed(verifier *v)
{
    for (size_t i = 0; i < v->nm && !v->failed; i++) {
        mrow *m = &v->m[i];
        if (idmap_get(v->mhouseholds, m->id, strlen(m->id)) != (long)i)
            continue;
        long k = idmap_get(v->survey, m->id, strlen(m->id));
        if (k >= 0) {
            v->h[k].weight = m->weight;
            v->h[k].have_weight = m->have_weight;
            v->h[k].in_manifest = 1;
            m->surveyed = 1;
            continue;
        }
        if (grow(v, (void **)&v->h, &v->caph, v->nh + 1, sizeof *v->h))
            return;
        verify_household *h = &v->h[v->nh++];
        memset(h, 0, sizeof *h);
        h->id = m->id;
        h->village = m->parent;
        h->county = m->county;
        h->registered = m->seen ? m->registered : -1;
        h->exit = m->seen ? m->exit : UEXIT_NONE;
        h->reg_line = m->reg_line;
        h->identify = -1;
        h->recognition = -1;
        h->verified = ST_UNKNOWN;
        h->weight = m->weight;
        h->have_weight = m->have_weight;
        h->in_manifest = 1;
        h->finding = FIND_NOT_SURVEYED;
    }
}

/* With a manifest: a surveyed household in the register must be one that
 * was drawn; and the manifest's households must be in the register (else
 * the sample was drawn from another frame). */
static void check_manifest(verifier *v)
{
    long absent = 0, line = 0;
    const char *first = NULL;
    for (size_t i = 0; i < v->nm; i++) {
        const mrow *m = &v->m[i];
        if (idmap_get(v->mhouseholds, m->id, strlen(m->id)) != (long)i || m->seen)
            continue;
        if (!absent++) {
            first = m->id;
            line = m->line;
        }
    }
    if (absent)
        diag_add(v->d, DIAG_ERROR, v->in[VIN_MANIFEST].path, line, v->manifest_id_col,
                 "%ld households of the manifest are not in the register (the first '%s'): the sample was drawn from another frame",
                 absent, first);
    for (size_t i = 0; i < v->nh; i++) {
        verify_household *h = &v->h[i];
        if (!h->survey || h->in_manifest || (!h->reg_line && h->registered == 1))
            continue;
        diag_add(v->d, DIAG_ERROR, v->in[VIN_SURVEY].path, h->line, 0,
                 "household '%s' is not in the manifest: a survey compares the households drawn", h->id);
    }
}

int verify_run(verifier *v, const char *const *tables, const char *survey, const char *manifest,
               const table_opts *opts)
{
    int rc = 0;
    size_t leaf = rules_nlevels(v->rs) - 1;
    if (manifest && read_manifest(v, manifest, opts))
        rc = -1;
    if (!v->failed && read_survey(v, survey, opts))
        rc = -1;
    if (v->failed)
        return -1;
    if (v->county_level >= 0 && tables[v->county_level]) {
        rule_level *cv = make_view(v, rules_level(v->rs, (size_t)v->county_level), 0, NULL);
        if (!cv || read_table(v, VIN_COUNTY, tables[v->county_level], cv, opts, county_row))
            rc = -1;
        free_view(cv);
    }
    if (v->lv->parent >= 0 && tables[v->lv->parent]) {
        rule_level *vv = make_view(v, rules_level(v->rs, (size_t)v->lv->parent), 0, NULL);
        if (!vv || read_table(v, VIN_VILLAGE, tables[v->lv->parent], vv, opts, village_row))
            rc = -1;
        free_view(vv);
    }
    if (v->failed)
        return -1;
    /* the register's households, streamed */
    v->register_view = make_view(v, v->lv, 1, NULL);
    input *in = &v->in[VIN_HOUSEHOLD];
    in->path = tables[leaf] ? arena_strdup(v->a, tables[leaf]) : NULL;
    in->have = 1;
    table *t = v->register_view && in->path ? table_open(in->path, v->register_view, opts, v->d) : NULL;
    if (!t) {
        in->stats.encoding = N_("unread");
        in->stats.unread = 1;
        if (in->path)
            digest_file_hex(in->path, in->stats.sha256);
        rc = -1;
    } else {
        reg_ctx r = {v, t};
        if (table_read(t, register_row, &r))
            rc = -1;
        in->stats = *table_get_stats(t);
    }
    table_close(&t);
    if (!v->failed && in->stats.rows_read && find_repeats(v) && replay_register(v, opts)) {
        diag_add(v->d, DIAG_ERROR, in->path, 0, 0, "cannot read the table again to leave its repeated ids out");
        v->failed = 1;
    }
    if (v->failed)
        return -1;
    if (!v->survey_has) /* the survey could not be read: nothing to compare */
        return -1;
    /* survey households not in the register: their county through their village */
    for (size_t i = 0; i < v->nh; i++) {
        verify_household *h = &v->h[i];
        if (!h->reg_line && h->survey) {
            const char *c = county_of(v, h->village, strlen(h->village), NULL);
            h->county = c ? c : "";
        }
        if (!v->weighted) {
            h->weight = 1;
            h->have_weight = 1;
        }
    }
    if (v->weighted) {
        add_not_surveyed(v);
        for (size_t i = 0; i < v->nh; i++) /* not in the register: no weight, in no rate */
            if (v->h[i].survey && !v->h[i].reg_line && v->h[i].registered == 1)
                v->h[i].have_weight = 0;
        check_manifest(v);
    } else {
        diag_add(v->d, DIAG_WARNING, v->in[VIN_SURVEY].path, 0, 0,
                 "no manifest (--manifest): every household weighs 1, so the rates are the survey's own, unweighted, and the villages of each county form one stratum");
    }
    evaluate_survey(v);
    find(v);
    for (size_t i = 0; i < v->nh; i++)
        if (v->h[i].compared) {
            v->hacc.compared++;
            v->hacc.agreed += v->h[i].agreed == v->h[i].compared;
        }
    estimate_all(v);
    return v->failed ? -1 : rc;
}

/* ---------- results ---------- */

size_t verify_counties(const verifier *v, const verify_county **out)
{
    *out = v->counties;
    return v->estimated ? v->ncounties : 0;
}
const verify_county *verify_overall(const verifier *v) { return &v->overall; }
size_t verify_households(const verifier *v, const verify_household **out)
{
    *out = v->h;
    return v->nh;
}
const verify_accuracy *verify_indicator_accuracy(const verifier *v) { return v->acc; }
verify_accuracy verify_household_accuracy(const verifier *v) { return v->hacc; }
const rule_level *verify_level(const verifier *v) { return v->lv; }
int verify_year(const verifier *v) { return v->year; }
int verify_weighted(const verifier *v) { return v->weighted; }

const table_stats *verify_stats(const verifier *v, verify_input in)
{
    return v->in[in].have ? &v->in[in].stats : NULL;
}
const char *verify_input_path(const verifier *v, verify_input in) { return v->in[in].path; }

int verify_verdict(const verifier *v)
{
    if (!v->estimated || !v->ncounties)
        return 1;
    for (size_t i = 0; i < v->ncounties; i++)
        if (v->counties[i].status != ST_PASS)
            return 1;
    return 0;
}
