/*
 * rules.c - loads and checks a rule pack (see rules.h, exitcheck-rules(5)).
 *
 * Loading has two passes. Pass one walks the YAML trees of pack.yaml and
 * the files it includes, checking every key and scalar and collecting
 * levels, indicators, parameters and the *source* of every expression with
 * its position. Pass two, once every name is known, lays out each level's
 * slots and compiles the expressions. Errors never stop a pass early: the
 * loader reports all it can find, then rules_load returns NULL.
 *
 * Invariants: no string of a loaded ruleset points into a YAML document
 * (documents are freed after pass one); expression positions are exact
 * file:line:column where the expression is a one-line plain or quoted
 * scalar, and otherwise the scalar's start with the expression as excerpt.
 */
#include "rules_impl.h"
#include "rules_keys.h"
#include "rules_load.h"
#include "rules_resolve.h"
#include "strbuf.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *const verdict_names[VERDICT__COUNT] = {
    "meets", "fails", "undecided", "claims", "supported", "wrong_exit", "unsupported",
};

/* ---------- diagnostics ---------- */

void rules_err_pos(loader *L, srcpos pos, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    diag_add(L->d, DIAG_ERROR, pos.file, pos.line, pos.column, "%s", sb.oom ? "out of memory" : strbuf_str(&sb));
    strbuf_free(&sb);
    L->errors++;
}

void rules_oom(loader *L)
{
    diag_oom(L->d);
    L->errors++;
}

/* ---------- pass one: walking the documents ---------- */

rule_level *rules_level_named(ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nlevels; i++)
        if (strcmp(rs->levels[i].id, id) == 0)
            return &rs->levels[i];
    return NULL;
}

/* ---------- pass two: slots and expressions ---------- */

static void on_expr_error(void *ctx, size_t off, size_t len, const char *message)
{
    scope *sc = ctx;
    const esrc *s = sc->src;
    loader *L = sc->L;
    char buf[400];
    if (strcmp(message, "out of memory") == 0)
        diag_oom(L->d);
    if (sc->suggest && strncmp(message, "unknown name", 12) == 0) {
        snprintf(buf, sizeof buf, "unknown name '%.*s' (did you mean '%s'?)", (int)len, s->text + off, sc->suggest);
        message = buf;
    }
    sc->suggest = NULL;
    if (s->line) {
        diag_add_excerpt(L->d, DIAG_ERROR, s->pos.file, s->pos.line, (long)(s->col0 + off + 1), s->line,
                         s->linelen, s->col0 + off, len, "%s", message);
    } else {
        diag_add_excerpt(L->d, DIAG_ERROR, s->pos.file, s->pos.line, s->pos.column, s->text, s->len, off, len,
                         "%s", message);
    }
    L->errors++;
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
        if (s < (int)lv->nind)
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

static void compile_level(loader *L, rule_level *lv)
{
    ruleset *rs = L->rs;
    level_src *ls = &rs->lsrc[lv->index];
    lv->param_base = (int)lv->nind;
    lv->derived_base = lv->param_base + (int)rs->nparams;
    lv->agg_base = lv->derived_base + (int)lv->nderived;
    lv->verdict_base = lv->agg_base + (int)lv->nagg;
    lv->nslots = (size_t)lv->verdict_base + VERDICT__COUNT;

    /* names must not collide across kinds within a level */
    for (size_t i = 0; i < lv->nderived; i++) {
        for (size_t j = 0; j < lv->nind; j++)
            if (strcmp(lv->derived[i].id, lv->ind[j].id) == 0)
                rules_err_pos(L, lv->derived[i].pos, "derived value '%s' has the name of an indicator", lv->derived[i].id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(lv->derived[i].id, lv->derived[j].id) == 0)
                rules_err_pos(L, lv->derived[i].pos, "duplicate derived value '%s'", lv->derived[i].id);
        for (size_t j = 0; j < rs->nparams; j++)
            if (strcmp(lv->derived[i].id, rs->params[j].id) == 0)
                rules_err_pos(L, lv->derived[i].pos, "derived value '%s' has the name of a parameter", lv->derived[i].id);
    }
    for (size_t i = 0; i < lv->nagg; i++) {
        for (size_t j = 0; j < lv->nind; j++)
            if (strcmp(lv->agg[i].id, lv->ind[j].id) == 0)
                rules_err_pos(L, lv->agg[i].pos, "aggregate '%s' has the name of an indicator", lv->agg[i].id);
        for (size_t j = 0; j < rs->nparams; j++)
            if (strcmp(lv->agg[i].id, rs->params[j].id) == 0)
                rules_err_pos(L, lv->agg[i].pos, "aggregate '%s' has the name of a parameter", lv->agg[i].id);
        for (size_t j = 0; j < lv->nderived; j++)
            if (strcmp(lv->agg[i].id, lv->derived[j].id) == 0)
                rules_err_pos(L, lv->agg[i].pos, "aggregate '%s' has the name of a derived value", lv->agg[i].id);
        for (int v = 0; v < VERDICT__COUNT; v++)
            if (strcmp(lv->agg[i].id, verdict_names[v]) == 0)
                rules_err_pos(L, lv->agg[i].pos, "'%s' is a verdict name and cannot name an aggregate", lv->agg[i].id);
        for (size_t j = 0; j < i; j++)
            if (strcmp(lv->agg[i].id, lv->agg[j].id) == 0)
                rules_err_pos(L, lv->agg[i].pos, "duplicate aggregate '%s'", lv->agg[i].id);
    }
    for (size_t j = 0; j < lv->nind; j++)
        for (size_t k = 0; k < rs->nparams; k++)
            if (strcmp(lv->ind[j].id, rs->params[k].id) == 0)
                rules_err_pos(L, lv->ind[j].pos, "indicator '%s' has the name of a parameter", lv->ind[j].id);

    scope sc = {L, lv, 0, 0, 0, NULL, NULL};
    int needs_year = 0;
    for (size_t i = 0; i < lv->nderived; i++) {
        rule_derived *dv = &lv->derived[i];
        sc.derived_limit = i;
        sc.allow_aggs = 1;
        if (!dv->cases) {
            dv->e = compile_typed(&sc, &ls->derived_expr[i], VT_ANY, "a derived value");
            dv->type = dv->e ? expr_type(dv->e) : VT_NUM;
            mark_refs(rs, lv, dv->e);
            needs_year |= uses_params(rs, lv, dv->e);
            continue;
        }
        int have_type = 0;
        for (size_t k = 0; k < dv->ncases; k++) {
            rule_case *c = &dv->cases[k];
            if (ls->case_when[i][k].text) {
                c->when = compile_typed(&sc, &ls->case_when[i][k], VT_BOOL, "the 'when' of a case");
                mark_refs(rs, lv, c->when);
                needs_year |= uses_params(rs, lv, c->when);
            }
            c->value = compile_typed(&sc, &ls->case_value[i][k], VT_ANY, "a case value");
            mark_refs(rs, lv, c->value);
            needs_year |= uses_params(rs, lv, c->value);
            if (c->value) {
                if (!have_type) {
                    dv->type = expr_type(c->value);
                    have_type = 1;
                } else if (expr_type(c->value) != dv->type) {
                    sc.src = &ls->case_value[i][k];
                    char msg[160];
                    snprintf(msg, sizeof msg, "every case of '%s' must give a %s, this one gives a %s", dv->id,
                             vtype_name(dv->type), vtype_name(expr_type(c->value)));
                    on_expr_error(&sc, 0, sc.src->len, msg);
                }
            }
        }
        if (dv->ncases && dv->cases[dv->ncases - 1].when && dv->cases[dv->ncases - 1].value) {
            /* no else: a row no case matches is unknown; that is allowed */
        }
    }
    sc.derived_limit = lv->nderived;
    sc.allow_aggs = 1;
    for (size_t i = 0; i < lv->ntargets; i++) {
        rule_target *t = &lv->targets[i];
        t->e = compile_typed(&sc, &ls->target[i], VT_BOOL, "a requirement");
        mark_refs(rs, lv, t->e);
        needs_year |= uses_params(rs, lv, t->e);
    }
    for (size_t i = 0; i < lv->nrecompute; i++) {
        rule_recompute *rc = &lv->recompute[i];
        const char *name = ls->recompute_ind_name[i];
        if (name) {
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
        sc.derived_limit = 0; /* recomputation runs before derived values */
        rc->e = compile_typed(&sc, &ls->recompute[i], VT_NUM, "a recomputation");
        if (rc->e) {
            const int *refs;
            size_t n = expr_refs(rc->e, &refs);
            int reads_agg = 0;
            for (size_t k = 0; k < n; k++)
                reads_agg |= refs[k] >= lv->agg_base && refs[k] < lv->verdict_base;
            if (!reads_agg)
                rules_err_pos(L, rc->pos, "a recomputation must read an aggregate over child units (it applies only where "
                                    "their data are there)");
        }
        mark_refs(rs, lv, rc->e);
        needs_year |= uses_params(rs, lv, rc->e);
    }
    if (needs_year && lv->year < 0 && rs->nparams)
        rules_err_pos(L, lv->pos, "level '%s' uses parameters by year but declares no 'year' column", lv->id);
    if (needs_year && lv->year >= 0)
        lv->ind[lv->year].required = 1;
}

static void compile_aggregates(loader *L, rule_level *lv)
{
    ruleset *rs = L->rs;
    level_src *ls = &rs->lsrc[lv->index];
    for (size_t i = 0; i < lv->nagg; i++) {
        rule_aggregate *ag = &lv->agg[i];
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
                    rules_err_pos(L, ls->agg_of_pos[i], "aggregate '%s' runs over '%s', which is not below level '%s'", ag->id,
                            of, lv->id);
            }
        } else if (target < 0) {
            rules_err_pos(L, ag->pos, "aggregate '%s': level '%s' has no child level to aggregate", ag->id, lv->id);
        }
        ag->of = target;
        if (target < 0)
            continue;
        rule_level *child = &rs->levels[target];
        scope sc = {L, child, 0, 1, child->nderived, NULL, NULL};
        if (ls->agg_where[i].text) {
            ag->where = compile_typed(&sc, &ls->agg_where[i], VT_BOOL, "the 'where' of an aggregate");
            mark_refs(rs, child, ag->where);
        }
        if (ag->kind != AGG_COUNT) {
            ag->value = compile_typed(&sc, &ls->agg_value[i], VT_NUM, "an aggregated value");
            mark_refs(rs, child, ag->value);
        }
    }
}

static void free_sources(ruleset *rs)
{
    for (size_t i = 0; i < rs->nlevels; i++) {
        level_src *ls = &rs->lsrc[i];
        mem_free(ls->derived_expr);
        mem_free(ls->case_when);
        mem_free(ls->case_value);
        mem_free(ls->agg_where);
        mem_free(ls->agg_value);
        mem_free(ls->agg_of_name);
        mem_free(ls->agg_of_pos);
        mem_free(ls->recompute);
        mem_free(ls->recompute_ind_name);
        mem_free(ls->target);
        memset(ls, 0, sizeof *ls);
    }
}

ruleset *rules_load(const char *path, diag_list *d)
{
    ruleset *rs = mem_calloc(1, sizeof *rs);
    if (!rs || !(rs->a = arena_new())) {
        mem_free(rs);
        diag_oom(d);
        return NULL;
    }
    loader L = {rs, d, NULL, 0};
    struct stat st;
    strbuf pack = STRBUF_INIT;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(path);
        while (n > 1 && path[n - 1] == '/')
            n--;
        rs->dir = mem_strndup(path, n);
        strbuf_printf(&pack, "%s/pack.yaml", rs->dir ? rs->dir : "");
    } else {
        const char *slash = strrchr(path, '/');
        rs->dir = slash ? mem_strndup(path, (size_t)(slash - path)) : mem_strdup(".");
        strbuf_puts(&pack, path);
    }
    if (!rs->dir || pack.oom) {
        rules_oom(&L);
    } else if (stat(path, &st) != 0) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "no such rule pack (give a pack directory or its pack.yaml)");
        L.errors++;
    } else {
        rules_load_pack(&L, strbuf_str(&pack));
    }
    strbuf_free(&pack);
    if (!L.errors && rs->nlevels == 0) {
        diag_add(d, DIAG_ERROR, rs->nfiles ? rs->files[0].path : path, 0, 0, "the pack declares no levels");
        L.errors++;
    }
    if (rs->nlevels) {
        rules_resolve_levels(&L);
        rules_mark_ancestor_keys(rs);
        for (size_t i = 0; i < rs->nlevels; i++)
            compile_level(&L, &rs->levels[i]);
        for (size_t i = 0; i < rs->nlevels; i++)
            compile_aggregates(&L, &rs->levels[i]);
    }
    free_sources(rs);
    diag_sort(d);
    if (L.errors) {
        rules_free(&rs);
        return NULL;
    }
    return rs;
}

void rules_free(ruleset **rsp)
{
    if (!rsp || !*rsp)
        return;
    ruleset *rs = *rsp;
    free_sources(rs);
    for (size_t i = 0; i < rs->nlevels; i++) {
        rule_level *lv = &rs->levels[i];
        mem_free(lv->ind);
        mem_free(lv->derived);
        mem_free(lv->agg);
        mem_free(lv->recompute);
        mem_free(lv->targets);
    }
    mem_free(rs->params);
    mem_free(rs->files);
    mem_free(rs->dir);
    arena_free(&rs->a);
    mem_free(rs);
    *rsp = NULL;
}

/* ---------- accessors ---------- */

const char *rules_id(const ruleset *rs) { return rs->id; }
const char *rules_version(const ruleset *rs) { return rs->version; }
text2 rules_title(const ruleset *rs) { return rs->title; }
const char *rules_source(const ruleset *rs) { return rs->source; }
const char *rules_dir(const ruleset *rs) { return rs->dir; }
size_t rules_nlevels(const ruleset *rs) { return rs->nlevels; }
const rule_level *rules_level(const ruleset *rs, size_t i) { return i < rs->nlevels ? &rs->levels[i] : NULL; }
size_t rules_nparams(const ruleset *rs) { return rs->nparams; }
const rule_param *rules_param(const ruleset *rs, size_t i) { return i < rs->nparams ? &rs->params[i] : NULL; }
size_t rules_nfiles(const ruleset *rs) { return rs->nfiles; }
const rule_file *rules_file(const ruleset *rs, size_t i) { return i < rs->nfiles ? &rs->files[i] : NULL; }

int rules_find_level(const ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nlevels; i++)
        if (strcmp(rs->levels[i].id, id) == 0)
            return (int)i;
    return -1;
}

int rules_set_param(ruleset *rs, const char *name, double v, diag_list *d)
{
    for (size_t i = 0; i < rs->nparams; i++)
        if (strcmp(rs->params[i].id, name) == 0) {
            rs->params[i].overridden = 1;
            rs->params[i].override = v;
            return 0;
        }
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < rs->nparams; i++)
        strbuf_printf(&sb, "%s%s", i ? ", " : "", rs->params[i].id);
    diag_add(d, DIAG_ERROR, NULL, 0, 0, "--param: the pack '%s' has no parameter '%s' (it has: %s)", rs->id, name,
             strbuf_str(&sb));
    strbuf_free(&sb);
    return -1;
}

value rules_param_value(const rule_param *p, int have_year, int year, const param_value **entry)
{
    if (entry)
        *entry = NULL;
    if (p->overridden)
        return value_num(p->override);
    if (have_year)
        for (size_t i = 0; i < p->nvalues; i++)
            if (p->values[i].year == year) {
                if (entry)
                    *entry = &p->values[i];
                return value_num(p->values[i].value);
            }
    return value_unknown(WHY_NO_PARAM);
}

static const rule_target *find_target_any(const ruleset *rs, const char *id, const rule_level **lvp)
{
    for (size_t i = 0; i < rs->nlevels; i++)
        for (size_t j = 0; j < rs->levels[i].ntargets; j++)
            if (strcasecmp(rs->levels[i].targets[j].id, id) == 0) {
                if (lvp)
                    *lvp = &rs->levels[i];
                return &rs->levels[i].targets[j];
            }
    return NULL;
}

const rule_target *rules_find_target(const ruleset *rs, const char *id, const rule_level **level)
{
    return find_target_any(rs, id, level);
}

size_t rules_ntargets(const ruleset *rs)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->nlevels; i++)
        n += rs->levels[i].ntargets;
    return n;
}

const char *rules_slot_name(const ruleset *rs, const rule_level *lv, int slot)
{
    if (slot < 0)
        return "?";
    if (slot < (int)lv->nind)
        return lv->ind[slot].id;
    if (slot < lv->derived_base)
        return rs->params[slot - lv->param_base].id;
    if (slot < lv->agg_base)
        return lv->derived[slot - lv->derived_base].id;
    if (slot < lv->verdict_base)
        return lv->agg[slot - lv->agg_base].id;
    if (slot < (int)lv->nslots)
        return verdict_names[slot - lv->verdict_base];
    return "?";
}

const char *ind_type_name(ind_type t)
{
    static const char *const n[] = {"number", "integer", "bool", "text"};
    return n[t];
}
