/*
 * plan.c - reading and checking a sampling plan (see plan.h).
 *
 * The file is read with the rule loader's YAML helpers (rules_keys.h), so
 * its mistakes read exactly as a pack's: file:line:column, the line and a
 * caret, "did you mean", every mistake in one run.
 *
 * plan_load produces the strata with their `where` sources kept; plan_bind
 * builds each stage's view of its level (a copy of the pack's level whose
 * indicators are the pack's, marked required or used as the plan needs
 * them, then the plan's columns, all required) and compiles the
 * expressions against it.
 *
 * Invariants: after a successful plan_bind, every stratum's `where` is
 * NULL or a boolean expression over the stage's slots; a pps stratum has a
 * positive take and a numeric size column; stratum ids are unique within
 * their stage and are identifiers (so they never hold the 0x1f separator
 * of the selection rule).
 */
#include "plan.h"
#include "rules_impl.h"
#include "rules_keys.h"
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const plan_state_names[PSTATE__COUNT] = {"registered", "claimed", "exited", "exited_earlier"};

typedef struct plan_column {
    rule_indicator ind;
    int level;                /* the stage it belongs to, after plan_bind; -1 before */
    const char *level_name;
    const ynode *level_node, *name_node; /* where they were written (the plan keeps its document) */
} plan_column;

struct plan {
    arena *a;
    ydoc *doc;
    const char *id, *version, *source, *pack, *path;
    text2 title;
    srcpos pack_pos;
    char sha256[65];
    plan_column *cols;
    size_t ncols;
    plan_stage stage[PLAN__STAGES];
    esrc *where_src[PLAN__STAGES];   /* per stratum */
    const ynode **size_node[PLAN__STAGES]; /* per stratum: where `size` was written */
    const ruleset *rs;
    srcpos stage_pos[PLAN__STAGES];
    int load_errors;          /* mistakes plan_load found: plan_bind still checks the rest, then fails */
};

static const char *const stage_keys[PLAN__STAGES] = {"villages", "households"};

/* ---------- plan_load ---------- */

static int parse_take(loader *L, const ynode *m, plan_stratum *st)
{
    const ynode *v = rules_get_scalar(L, m, "take", 1, "a stratum");
    if (!v)
        return -1;
    if (strcmp(v->str, "all") == 0) {
        st->take = PLAN_TAKE_ALL;
        return 0;
    }
    char *end;
    errno = 0;
    long n = strtol(v->str, &end, 10);
    if (v->len == 0 || *end || n <= 0 || errno == ERANGE || n > 100000000 || v->str[0] == '+' || v->str[0] == ' ') {
        rules_err_node(L, v, "'take' of a stratum must be a whole number of units (1 to 100000000) or 'all', found '%s'",
                       v->str);
        return -1;
    }
    st->take = n;
    return 0;
}

static void load_stratum(loader *L, plan *p, plan_stage_id s, size_t k, const ynode *m)
{
    static const char *const keys[] = {"id", "title", "where", "take", "method", "size", "note", NULL};
    plan_stratum *st = &p->stage[s].strata[k];
    st->size = -1;
    st->take = 0;
    st->pos = rules_pos_of(L, m);
    if (!rules_want_kind(L, m, YN_MAP, "a stratum"))
        return;
    rules_check_keys(L, m, "a stratum", keys);
    st->id = rules_get_ident(L, m, "id", "a stratum");
    st->title = rules_get_text2(L, m, "title", "a stratum");
    st->note = rules_get_str(L, m, "note", 0, "a stratum");
    if (ynode_get(m, "where") && !rules_get_expr(L, m, "where", 0, "a stratum", &p->where_src[s][k]))
        st->where_text = p->where_src[s][k].text;
    parse_take(L, m, st);
    const ynode *meth = rules_get_scalar(L, m, "method", 0, "a stratum");
    const ynode *size = rules_get_scalar(L, m, "size", 0, "a stratum");
    st->method = PLAN_SRS;
    if (meth && strcmp(meth->str, "pps") == 0)
        st->method = PLAN_PPS;
    else if (meth && strcmp(meth->str, "srs") != 0)
        rules_err_node(L, meth, "unknown method '%s' (expected srs or pps)", meth->str);
    if (st->method == PLAN_PPS && !size)
        rules_err_node(L, meth, "a pps stratum needs 'size': the column whose value the units are drawn in proportion to");
    if (st->method == PLAN_PPS && st->take == PLAN_TAKE_ALL)
        rules_err_node(L, ynode_get(m, "take"),
                       "a pps stratum draws a number of units: 'take: all' takes every unit whatever their size (drop 'method: pps')");
    if (size && st->method != PLAN_PPS)
        rules_err_node(L, size, "'size' is read only by 'method: pps'");
    if (size && st->method == PLAN_PPS) {
        st->size_name = rules_dup_scalar(L, size);
        p->size_node[s][k] = size;
    }
    for (size_t j = 0; st->id && j < k; j++)
        if (p->stage[s].strata[j].id && strcmp(p->stage[s].strata[j].id, st->id) == 0)
            rules_err_node(L, ynode_get(m, "id"), "a second stratum '%s' in '%s' (the first is at line %ld)", st->id,
                           stage_keys[s], p->stage[s].strata[j].pos.line);
}

static void load_stage(loader *L, plan *p, plan_stage_id s, const ynode *root)
{
    const ynode *seq = ynode_get(root, stage_keys[s]);
    if (!seq) {
        rules_err_node(L, root, "the plan has no '%s': the strata in which %s are drawn", stage_keys[s],
                       stage_keys[s]);
        return;
    }
    p->stage_pos[s] = rules_pos_of(L, seq);
    char what[64];
    snprintf(what, sizeof what, "'%s'", stage_keys[s]);
    if (!rules_want_kind(L, seq, YN_SEQ, what))
        return;
    if (seq->n == 0) {
        rules_err_node(L, seq, "'%s' lists no stratum", stage_keys[s]);
        return;
    }
    plan_stage *sg = &p->stage[s];
    sg->strata = arena_alloc(p->a, (seq->n) * sizeof *sg->strata);
    p->where_src[s] = arena_alloc(p->a, (seq->n) * sizeof(esrc));
    p->size_node[s] = arena_alloc(p->a, (seq->n) * sizeof(ynode *));
    if (!sg->strata || !p->where_src[s] || !p->size_node[s]) {
        rules_oom(L);
        return;
    }
    sg->nstrata = seq->n;
    for (size_t k = 0; k < seq->n; k++)
        load_stratum(L, p, s, k, seq->items[k]);
}

/* columns: {LEVEL: {NAME: TYPE or {type, zh, aliases, title}}} */
static void load_columns(loader *L, plan *p, const ynode *cols)
{
    if (!cols || !rules_want_kind(L, cols, YN_MAP, "'columns'"))
        return;
    size_t total = 0;
    for (size_t i = 1; i < cols->n; i += 2)
        if (cols->items[i]->kind == YN_MAP)
            total += cols->items[i]->n / 2;
    p->cols = arena_alloc(p->a, (total + 1) * sizeof *p->cols);
    if (!p->cols) {
        rules_oom(L);
        return;
    }
    static const char *const ckeys[] = {"type", "zh", "aliases", "title", NULL};
    for (size_t i = 0; i + 1 < cols->n; i += 2) {
        const ynode *lk = cols->items[i], *lm = cols->items[i + 1];
        if (lk->kind != YN_SCALAR || !rules_want_kind(L, lm, YN_MAP, "a level's columns"))
            continue;
        for (size_t j = 0; j + 1 < lm->n; j += 2) {
            const ynode *nk = lm->items[j], *nv = lm->items[j + 1];
            if (nk->kind != YN_SCALAR) {
                rules_err_node(L, nk, "a column's name must be a scalar");
                continue;
            }
            plan_column *c = &p->cols[p->ncols];
            memset(c, 0, sizeof *c);
            c->level = -1;
            c->level_name = rules_dup_scalar(L, lk);
            c->level_node = lk;
            c->name_node = nk;
            /* the name, checked as an id: wrap it as {id: NAME} would lose the position, so check here */
            const ynode *tnode = nv;
            if (nv->kind == YN_MAP) {
                rules_check_keys(L, nv, "a column", ckeys);
                tnode = rules_get_scalar(L, nv, "type", 1, "a column");
                c->ind.zh = rules_get_str(L, nv, "zh", 0, "a column");
                c->ind.title = rules_get_text2(L, nv, "title", "a column");
                const ynode *al = ynode_get(nv, "aliases");
                if (al && rules_want_kind(L, al, YN_SEQ, "'aliases' of a column") && al->n) {
                    c->ind.aliases = arena_alloc(p->a, (al->n) * sizeof(char *));
                    if (!c->ind.aliases)
                        rules_oom(L);
                    for (size_t k = 0; c->ind.aliases && k < al->n; k++)
                        if (rules_want_kind(L, al->items[k], YN_SCALAR, "an alias"))
                            c->ind.aliases[c->ind.naliases++] = rules_dup_scalar(L, al->items[k]);
                }
            } else if (nv->kind != YN_SCALAR) {
                rules_err_node(L, nv, "a column is a type (number, integer, bool, text) or a mapping with 'type'");
                continue;
            }
            if (!tnode)
                continue;
            if (ind_type_parse(tnode->str, &c->ind.type)) {
                rules_err_node(L, tnode, "unknown column type '%s' (expected number, integer, bool or text)",
                               tnode->str);
                continue;
            }
            /* reuse the id check of rules_get_ident on a one-entry view */
            ynode key = {.kind = YN_SCALAR};
            ynode *kv[2] = {&key, (ynode *)nk};
            key.str = "id";
            key.len = 2;
            ynode wrap = {.kind = YN_MAP, .line = nk->line, .column = nk->column, .items = kv, .n = 2};
            c->ind.id = rules_get_ident(L, &wrap, "id", "a column");
            c->ind.pos = rules_pos_of(L, nk);
            c->ind.required = 1;
            if (c->ind.id)
                p->ncols++;
        }
    }
}

plan *plan_load(const char *path, diag_list *d)
{
    plan *p = mem_calloc(1, sizeof *p);
    if (!p || !(p->a = arena_new())) {
        mem_free(p);
        diag_oom(d);
        return NULL;
    }
    loader L = {NULL, d, NULL, 0, p->a, NULL};
    p->path = arena_strdup(p->a, path);
    if (!p->path) {
        diag_oom(d);
        plan_free(&p);
        return NULL;
    }
    L.path = p->path;
    p->doc = L.doc = ydoc_load(path, d);
    if (!p->doc) {
        plan_free(&p);
        return NULL;
    }
    memcpy(p->sha256, ydoc_sha256(p->doc), 65);
    const ynode *root = ydoc_root(p->doc);
    if (!root || root->kind != YN_MAP) {
        if (root)
            rules_err_node(&L, root, "a plan must be a mapping with 'plan', 'villages' and 'households'");
        else
            rules_err_pos(&L, (srcpos){p->path, 0, 0}, "the plan is empty");
        plan_free(&p);
        return NULL;
    }
    static const char *const keys[] = {"plan", "version", "title", "pack", "source", "note", "columns",
                                       "villages", "households", NULL};
    rules_check_keys(&L, root, "a plan", keys);
    p->id = rules_get_str(&L, root, "plan", 1, "the plan");
    p->version = rules_get_str(&L, root, "version", 0, "the plan");
    p->title = rules_get_text2(&L, root, "title", "the plan");
    p->source = rules_get_str(&L, root, "source", 0, "the plan");
    rules_get_str(&L, root, "note", 0, "the plan");
    const ynode *pk = rules_get_scalar(&L, root, "pack", 0, "the plan");
    if (pk) {
        p->pack = rules_dup_scalar(&L, pk);
        p->pack_pos = rules_pos_of(&L, pk);
    }
    load_columns(&L, p, ynode_get(root, "columns"));
    for (int s = 0; s < PLAN__STAGES; s++)
        load_stage(&L, p, (plan_stage_id)s, root);
    /* the document stays until plan_free: plan_bind points at its nodes */
    p->load_errors = L.errors;
    return p;
}

void plan_free(plan **pp)
{
    if (!pp || !*pp)
        return;
    plan *p = *pp;
    ydoc_free(&p->doc);
    for (int s = 0; s < PLAN__STAGES; s++) {
        if (p->stage[s].view) {
            mem_free(((rule_level *)p->stage[s].view)->ind);
            mem_free((void *)p->stage[s].view);
        }
        mem_free((void *)p->stage[s].params);
    }
    arena_free(&p->a);
    mem_free(p);
    *pp = NULL;
}

const char *plan_id(const plan *p) { return p->id; }
const char *plan_version(const plan *p) { return p->version; }
text2 plan_title(const plan *p) { return p->title; }
const char *plan_source(const plan *p) { return p->source; }
const char *plan_path(const plan *p) { return p->path; }
const char *plan_sha256(const plan *p) { return p->sha256; }
const char *plan_pack(const plan *p, srcpos *pos)
{
    if (pos)
        *pos = p->pack_pos;
    return p->pack;
}
const plan_stage *plan_get_stage(const plan *p, plan_stage_id s) { return &p->stage[s]; }

/* ---------- plan_bind ---------- */

typedef struct bind_scope {
    const plan *p;
    const ruleset *rs;
    const plan_stage *sg;
    const char *suggest;
    loader *L;
    const esrc *src;
} bind_scope;

static int name_is(const char *id, const char *name, size_t len)
{
    return id && strlen(id) == len && memcmp(id, name, len) == 0;
}

static void consider(bind_scope *sc, const char *cand, const char *name, size_t len, size_t *best)
{
    char buf[128];
    if (!cand || len >= sizeof buf)
        return;
    memcpy(buf, name, len);
    buf[len] = '\0';
    size_t dist = rules_distance(buf, cand);
    if (dist < *best && dist <= 2 + len / 4) {
        *best = dist;
        sc->suggest = cand;
    }
}

static int bind_resolve(void *ctx, const char *name, size_t len, expr_symbol *out)
{
    bind_scope *sc = ctx;
    const plan_stage *sg = sc->sg;
    const rule_level *v = sg->view;
    for (int k = 0; k < PSTATE__COUNT; k++)
        if (name_is(plan_state_names[k], name, len)) {
            out->slot = sg->state_base + k;
            out->type = VT_BOOL;
            return 1;
        }
    for (size_t i = 0; i < v->nind; i++)
        if (name_is(v->ind[i].id, name, len)) {
            out->slot = (int)i;
            out->type = rules_ind_vtype(v->ind[i].type);
            return 1;
        }
    for (size_t i = 0; i < rules_nparams(sc->rs); i++)
        if (name_is(rules_param(sc->rs, i)->id, name, len)) {
            out->slot = sg->param_base + (int)i;
            out->type = VT_NUM;
            return 1;
        }
    size_t best = 99;
    sc->suggest = NULL;
    for (int k = 0; k < PSTATE__COUNT; k++)
        consider(sc, plan_state_names[k], name, len, &best);
    for (size_t i = 0; i < v->nind; i++)
        consider(sc, v->ind[i].id, name, len, &best);
    for (size_t i = 0; i < rules_nparams(sc->rs); i++)
        consider(sc, rules_param(sc->rs, i)->id, name, len, &best);
    return 0;
}

static void bind_error(void *ctx, size_t off, size_t len, const char *message)
{
    bind_scope *sc = ctx;
    char buf[300];
    if (!strncmp(message, "unknown name", 12) && !sc->suggest) {
        /* the expression compiler's wording names what a rule sees; say what a plan sees */
        snprintf(buf, sizeof buf,
                 "unknown name '%.*s' (not a column of level '%s', a column of the plan, an exit state or a parameter)",
                 (int)len, sc->src->text + off, sc->sg->view->id);
        message = buf;
    }
    rules_err_expr(sc->L, sc->src, off, len, message, sc->suggest);
    sc->suggest = NULL;
}

/* Marks what e reads: a pack column required (used when the pack calls it
 * optional), a parameter noted for plan_unit_slots. */
static int mark_reads(plan_stage *sg, rule_level *v, const expr *e, int *params, size_t *np)
{
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++) {
        int s = refs[i];
        if (s < (int)v->nind) {
            if (v->ind[s].optional)
                v->ind[s].used = 1;
            else
                v->ind[s].required = 1;
        } else if (s >= sg->param_base) {
            size_t k = 0;
            while (k < *np && params[k] != s)
                k++;
            if (k == *np)
                params[(*np)++] = s;
        }
    }
    return 0;
}

/* The stage's view of level li: the pack's indicators, none required but
 * the keys (the roles read wherever present), then the plan's columns of
 * that level. */
static rule_level *make_view(loader *L, plan *p, const ruleset *rs, int li)
{
    const rule_level *lv = rules_level(rs, (size_t)li);
    size_t ncols = 0;
    for (size_t c = 0; c < p->ncols; c++)
        if (p->cols[c].level == li)
            ncols++;
    rule_level *v = mem_calloc(1, sizeof *v);
    rule_indicator *ind = v ? mem_calloc(lv->nind + ncols + 1, sizeof *ind) : NULL;
    if (!ind) {
        mem_free(v);
        rules_oom(L);
        return NULL;
    }
    *v = *lv;
    v->ind = ind;
    for (size_t i = 0; i < lv->nind; i++) {
        ind[i] = lv->ind[i];
        ind[i].required = ind[i].used = 0;
    }
    v->nind = lv->nind;
    for (size_t c = 0; c < p->ncols; c++)
        if (p->cols[c].level == li)
            ind[v->nind++] = p->cols[c].ind;
    if (v->key >= 0)
        ind[v->key].required = 1;
    if (v->parent_key >= 0)
        ind[v->parent_key].required = 1;
    int roles[] = {v->name, v->year, v->claim, v->exit_year, v->registered, v->people};
    for (size_t r = 0; r < sizeof roles / sizeof *roles; r++)
        if (roles[r] >= 0)
            ind[roles[r]].used = 1;
    return v;
}

/* Each plan column to its level: a level the plan draws, and a name the
 * level's own indicators, the exit states and the parameters do not
 * already have. */
static void bind_columns(loader *L, plan *p, const ruleset *rs, const int *stage_level)
{
    for (size_t c = 0; c < p->ncols; c++) {
        plan_column *col = &p->cols[c];
        int li = rules_find_level(rs, col->level_name);
        if (li < 0 || (li != stage_level[PLAN_VILLAGES] && li != stage_level[PLAN_HOUSEHOLDS])) {
            rules_err_node(L, col->level_node,
                          "'%s' is not a level this plan draws: columns are given for '%s' or '%s' (the pack '%s')",
                          col->level_name, rules_level(rs, (size_t)stage_level[PLAN_VILLAGES])->id,
                          rules_level(rs, (size_t)stage_level[PLAN_HOUSEHOLDS])->id, rules_id(rs));
            continue;
        }
        const rule_level *lv = rules_level(rs, (size_t)li);
        int clash = 0;
        for (size_t i = 0; i < lv->nind; i++)
            if (!strcmp(lv->ind[i].id, col->ind.id))
                clash = 1;
        for (int k = 0; k < PSTATE__COUNT; k++)
            if (!strcmp(plan_state_names[k], col->ind.id))
                clash = 1;
        for (size_t i = 0; i < rules_nparams(rs); i++)
            if (!strcmp(rules_param(rs, i)->id, col->ind.id))
                clash = 1;
        for (size_t j = 0; j < c; j++)
            if (p->cols[j].level == li && !strcmp(p->cols[j].ind.id, col->ind.id))
                clash = 1;
        if (clash) {
            rules_err_node(L, col->name_node,
                          "the column '%s' is already a name of level '%s' (an indicator of the pack '%s', an exit state, a parameter or another column)",
                          col->ind.id, lv->id, rules_id(rs));
            continue;
        }
        col->level = li;
    }
}

static void bind_stage(loader *L, plan *p, const ruleset *rs, plan_stage_id s, int li)
{
    plan_stage *sg = &p->stage[s];
    rule_level *v = make_view(L, p, rs, li);
    if (!v)
        return;
    sg->level = li;
    sg->view = v;
    sg->state_base = (int)v->nind;
    sg->param_base = sg->state_base + PSTATE__COUNT;
    sg->nslots = (size_t)sg->param_base + rules_nparams(rs);
    int *params = mem_calloc(rules_nparams(rs) + 1, sizeof(int));
    if (!params) {
        rules_oom(L);
        return;
    }
    sg->params = params;
    bind_scope sc = {p, rs, sg, NULL, L, NULL};
    for (size_t k = 0; k < sg->nstrata; k++) {
        plan_stratum *st = &sg->strata[k];
        const esrc *src = &p->where_src[s][k];
        if (src->text) {
            sc.src = src;
            st->where = expr_compile(p->a, src->text, src->len, bind_resolve, bind_error, &sc);
            if (st->where && expr_type(st->where) != VT_BOOL) {
                char msg[200];
                snprintf(msg, sizeof msg, "'where' of a stratum must be a bool, this expression is a %s",
                         vtype_name(expr_type(st->where)));
                bind_error(&sc, 0, src->len, msg);
                st->where = NULL;
            } else if (st->where) {
                mark_reads(sg, v, st->where, params, &sg->nparams_read);
            }
        }
        if (st->size_name) {
            int i = -1;
            for (size_t c = 0; c < v->nind; c++)
                if (!strcmp(v->ind[c].id, st->size_name))
                    i = (int)c;
            if (i < 0)
                rules_err_node(L, p->size_node[s][k], "'size' names '%s', which is not a column of level '%s'",
                              st->size_name, v->id);
            else if (v->ind[i].type != IND_NUMBER && v->ind[i].type != IND_INTEGER)
                rules_err_node(L, p->size_node[s][k], "'size' must name a number column; '%s' is a %s column",
                              st->size_name, ind_type_name(v->ind[i].type));
            else {
                st->size = i;
                v->ind[i].required = 1;
            }
        }
    }
}

int plan_bind(plan *p, const ruleset *rs, diag_list *d)
{
    loader L = {NULL, d, p->doc, 0, p->a, p->path};
    p->rs = rs;
    size_t nl = rules_nlevels(rs);
    if (nl < 2) {
        rules_err_pos(&L, (srcpos){p->path, 0, 0},
                      "the pack '%s' has one level: a sample draws units of one level within those of another",
                      rules_id(rs));
        return -1;
    }
    if (p->pack && strcmp(p->pack, rules_id(rs)) != 0)
        rules_err_pos(&L, p->pack_pos, "the plan is written for the pack '%s', the rules given are the pack '%s'",
                      p->pack, rules_id(rs));
    int stage_level[PLAN__STAGES] = {(int)nl - 2, (int)nl - 1};
    bind_columns(&L, p, rs, stage_level);
    for (int s = 0; s < PLAN__STAGES; s++)
        bind_stage(&L, p, rs, (plan_stage_id)s, stage_level[s]);
    return L.errors || p->load_errors ? -1 : 0;
}

/* ---------- per row ---------- */

void plan_unit_slots(const plan *p, plan_stage_id s, value *slots)
{
    const plan_stage *sg = &p->stage[s];
    const rule_level *v = sg->view;
    int conflict;
    unit_exit ex = unit_exit_of(v, slots, &conflict);
    value *st = slots + sg->state_base;
    st[PSTATE_REGISTERED] = unit_registered_of(v, slots);
    st[PSTATE_CLAIMED] = value_bool(ex == UEXIT_THIS_YEAR);
    st[PSTATE_EXITED] = value_bool(ex != UEXIT_NONE);
    st[PSTATE_EXITED_EARLIER] = value_bool(ex == UEXIT_EARLIER);
    if (!sg->nparams_read)
        return;
    const value *y = v->year >= 0 ? &slots[v->year] : NULL;
    int have_year = y && y->kind == V_NUM;
    for (size_t i = 0; i < sg->nparams_read; i++) {
        int slot = sg->params[i];
        slots[slot] = rules_param_value(rules_param(p->rs, (size_t)(slot - sg->param_base)), have_year,
                                        have_year ? (int)y->u.num : 0, NULL);
    }
}

int plan_stratum_of(const plan *p, plan_stage_id s, const value *slots)
{
    const plan_stage *sg = &p->stage[s];
    for (size_t k = 0; k < sg->nstrata; k++) {
        const expr *w = sg->strata[k].where;
        if (!w)
            return (int)k;
        value v = expr_eval(w, slots);
        if (v.kind == V_BOOL && v.u.b)
            return (int)k;
    }
    return -1;
}

int plan_sniff(const char *path)
{
    diag_list *d = diag_new();
    if (!d)
        return 0;
    ydoc *doc = ydoc_load(path, d);
    const ynode *root = doc ? ydoc_root(doc) : NULL;
    int is = root && root->kind == YN_MAP && ynode_get(root, "plan") != NULL;
    ydoc_free(&doc);
    diag_free(&d);
    return is;
}
