/*
 * rules_load.c - pass one: loads the files of a rule pack (see
 * exitcheck-rules(5)). pack.yaml gives the pack's id, version and title,
 * its levels and parameters and the files it includes; each included file
 * is a level file (indicators, derived values, aggregates, recomputed
 * figures and targets of one declared level) or a parameter file.
 *
 * Receives the loader with an empty ruleset whose dir is set; produces the
 * ruleset's levels (with their unresolved parent and role names in
 * level_src), indicators, parameters and files, and the source and
 * position of every expression, each in its slot of level_src. Every
 * source slot of an item that was added is set, also when the item has
 * mistakes, since pass two reads them all. Each document is freed before
 * the next is opened; mistakes are diagnostics, and loading goes on.
 */
#include "rules_load.h"
#include "rules_keys.h"
#include "rules_verify.h"
#include "strbuf.h"
#include "value.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

enum { MAX_INCLUDES = 64 };

/* ---------- parameters (in any file) and levels (in pack.yaml) ---------- */

/* One entry of a parameter's 'values', added to p when it has no mistake.
 * Every field is checked, so one entry reports all its mistakes. p->values
 * has room for every entry. */
static void load_param_value(loader *L, rule_param *p, const ynode *item)
{
    static const char *const vkeys[] = {"year", "value", "confirmed", "source", NULL};
    const ynode *vm = rules_want_kind(L, item, YN_MAP, "a parameter value");
    if (!vm)
        return;
    rules_check_keys(L, vm, "a parameter value", vkeys);
    double year = 0, v = 0;
    int confirmed = 0, bad = 0;
    bad |= rules_get_number(L, vm, "year", 1, "a parameter value", &year) != 0;
    bad |= rules_get_number(L, vm, "value", 1, "a parameter value", &v) != 0;
    if (ynode_get(vm, "year") && ynode_get(vm, "year")->kind == YN_SCALAR && !bad &&
        (year < 1900 || year > 2200 || year != floor(year))) {
        rules_err_node(L, ynode_get(vm, "year"), "'year' must be a whole year such as 2016");
        bad = 1;
    }
    if (!ynode_get(vm, "confirmed")) {
        rules_err_node(L, vm, "a parameter value must say whether it is confirmed ('confirmed: true' or 'false')");
        bad = 1;
    } else if (rules_get_flag(L, vm, "confirmed", "a parameter value", &confirmed)) {
        bad = 1;
    }
    if (!ynode_get(vm, "source")) {
        rules_err_node(L, vm, "a parameter value must name its 'source'");
        bad = 1;
    }
    if (bad)
        return;
    for (size_t j = 0; j < p->nvalues; j++)
        if (p->values[j].year == (int)year)
            rules_err_node(L, ynode_get(vm, "year"), "parameter '%s' has two values for %d", p->id, (int)year);
    param_value *pv = &p->values[p->nvalues++];
    pv->year = (int)year;
    pv->value = v;
    pv->confirmed = confirmed;
    pv->source = rules_get_str(L, vm, "source", 0, "a parameter value");
}

static void load_params(loader *L, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'params'"))
        return;
    static const char *const keys[] = {"id", "title", "unit", "note", "values", NULL};
    ruleset *rs = L->rs;
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "a parameter");
        if (!m)
            continue;
        rules_check_keys(L, m, "a parameter", keys);
        const char *id = rules_get_ident(L, m, "id", "a parameter");
        if (!id)
            continue;
        for (size_t j = 0; j < rs->nparams; j++)
            if (strcmp(rs->params[j].id, id) == 0) {
                rules_err_node(L, ynode_get(m, "id"), "duplicate parameter '%s' (first at %s:%ld)", id,
                               rs->params[j].pos.file, rs->params[j].pos.line);
                id = NULL;
                break;
            }
        if (!id)
            continue;
        if (mem_grow(&rs->params, &rs->cap_params, rs->nparams + 1, sizeof *rs->params)) {
            rules_oom(L);
            return;
        }
        rule_param *p = &rs->params[rs->nparams++];
        memset(p, 0, sizeof *p);
        p->id = id;
        p->pos = rules_pos_of(L, m);
        p->title = rules_get_text2(L, m, "title", "a parameter");
        p->unit = rules_get_str(L, m, "unit", 0, "a parameter");
        p->note = rules_get_str(L, m, "note", 0, "a parameter");
        const ynode *vals = ynode_get(m, "values");
        if (!vals) {
            rules_err_node(L, m, "parameter '%s' has no 'values' (write 'values: []' when no value is known)", id);
            continue;
        }
        if (!rules_want_kind(L, vals, YN_SEQ, "'values' of a parameter"))
            continue;
        if (vals->n) {
            p->values = arena_alloc(rs->a, vals->n * sizeof *p->values);
            if (!p->values) {
                rules_oom(L);
                continue;
            }
        }
        for (size_t k = 0; k < vals->n; k++)
            load_param_value(L, p, vals->items[k]);
    }
}

static void load_levels(loader *L, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'levels'"))
        return;
    static const char *const keys[] = {"id",        "title",     "parent",     "key",    "parent_key", "name", "year",
                                       "claim",     "exit_year", "registered", "people", "file",       NULL};
    ruleset *rs = L->rs;
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "a level");
        if (!m)
            continue;
        rules_check_keys(L, m, "a level", keys);
        const char *id = rules_get_ident(L, m, "id", "a level");
        if (!id)
            continue;
        if (rules_level_named(rs, id)) {
            rules_err_node(L, ynode_get(m, "id"), "duplicate level '%s'", id);
            continue;
        }
        if (rs->nlevels == RULES_MAX_LEVELS) {
            rules_err_node(L, m, "too many levels (at most %d)", RULES_MAX_LEVELS);
            return;
        }
        size_t li = rs->nlevels++;
        rule_level *lv = &rs->levels[li];
        level_src *ls = &rs->lsrc[li];
        lv->id = id;
        lv->index = (int)li;
        lv->parent = lv->child = -1;
        lv->key = lv->parent_key = lv->name = lv->year = lv->claim = lv->exit_year = lv->registered = lv->people = -1;
        lv->pos = rules_pos_of(L, m);
        lv->title = rules_get_text2(L, m, "title", "a level");
        lv->file = rules_get_str(L, m, "file", 0, "a level");
        const ynode *pn = rules_get_scalar(L, m, "parent", 0, "a level");
        if (pn) {
            ls->parent_name = rules_dup_scalar(L, pn);
            ls->parent_pos = rules_pos_of(L, pn);
        }
        for (int r = 0; r < ROLE__COUNT; r++) {
            const ynode *v = rules_get_scalar(L, m, rules_role_keys[r], r == ROLE_KEY, "a level");
            if (v) {
                ls->role_name[r] = rules_dup_scalar(L, v);
                ls->role_pos[r] = rules_pos_of(L, v);
            }
        }
        if (pn && !ls->role_name[ROLE_PARENT_KEY])
            rules_err_node(L, m, "level '%s' has a parent but no 'parent_key' column", id);
        if (!pn && ls->role_name[ROLE_PARENT_KEY])
            rules_err_node(L, ynode_get(m, "parent_key"), "level '%s' has a 'parent_key' but no 'parent'", id);
    }
}

/* ---------- a level file ---------- */

static int grow(loader *L, void *items, size_t *cap, size_t need, size_t elem)
{
    if (mem_grow(items, cap, need, elem)) {
        rules_oom(L);
        return -1;
    }
    return 0;
}

/* `tolerance: {abs: A, rel: R}` of a number indicator: how far a survey's
 * value may be from the register's and still agree (SPEC §7.2). */
static void load_tolerance(loader *L, rule_indicator *ind, const ynode *t)
{
    static const char *const keys[] = {"abs", "rel", NULL};
    if (!t || !rules_want_kind(L, t, YN_MAP, "'tolerance'"))
        return;
    rules_check_keys(L, t, "'tolerance'", keys);
    if (ind->type == IND_BOOL || ind->type == IND_TEXT) {
        rules_err_node(L, t, "indicator '%s' is %s: a tolerance applies to numbers only", ind->id,
                       ind_type_name(ind->type));
        return;
    }
    if (!ynode_get(t, "abs") && !ynode_get(t, "rel"))
        rules_err_node(L, t, "'tolerance' gives neither 'abs' nor 'rel'");
    double a = 0, r = 0;
    if (ynode_get(t, "abs") && !rules_get_number(L, t, "abs", 1, "'tolerance'", &a) && !(a >= 0))
        rules_err_node(L, ynode_get(t, "abs"), "'abs' of a tolerance must be 0 or more");
    if (ynode_get(t, "rel") && !rules_get_number(L, t, "rel", 1, "'tolerance'", &r) && !(r >= 0 && r <= 1))
        rules_err_node(L, ynode_get(t, "rel"), "'rel' of a tolerance is a fraction from 0 to 1 (0.05 for 5%%)");
    ind->tol_abs = a >= 0 ? a : 0;
    ind->tol_rel = r >= 0 && r <= 1 ? r : 0;
}

/* One side ('yes' or 'no') of a bool indicator's 'values': a spelling or a
 * list of them, each checked against the built-in spellings and the
 * other side. */
static void load_bool_side(loader *L, rule_indicator *ind, const ynode *v, int yes)
{
    const char *side = yes ? "yes" : "no";
    if (v->kind != YN_SEQ && v->kind != YN_SCALAR) {
        rules_err_node(L, v, "'%s' of 'values' is a spelling or a list of spellings, such as [%s]", side,
                       yes ? "有, 已" : "无, 未");
        return;
    }
    size_t n = v->kind == YN_SEQ ? v->n : 1;
    if (!n) {
        rules_err_node(L, v, "'%s' of 'values' is empty", side);
        return;
    }
    const char **words = arena_alloc(L->rs->a, n * sizeof(char *));
    if (!words) {
        rules_oom(L);
        return;
    }
    size_t got = 0;
    for (size_t k = 0; k < n; k++) {
        const ynode *w = v->kind == YN_SEQ ? v->items[k] : v;
        if (!rules_want_kind(L, w, YN_SCALAR, "a spelling"))
            continue;
        const char *t = w->str;
        size_t tn = w->len;
        value_trim(&t, &tn);
        int b;
        if (tn == 0 || value_is_missing(t, tn)) {
            rules_err_node(L, w, "'%s' is how a cell says it is missing; it cannot also mean %s", w->str, side);
            continue;
        }
        if (tn != w->len) {
            rules_err_node(L, w, "the spelling '%s' has surrounding spaces; cells are trimmed before they are read", w->str);
            continue;
        }
        if (value_parse_bool(t, tn, &b) == 0) {
            /* a built-in spelling of the same side is harmless: not kept */
            if (b != yes)
                rules_err_node(L, w, "'%s' already means %s; it cannot also mean %s", w->str, yes ? "no" : "yes", side);
            continue;
        }
        const char **other = yes ? ind->no_words : ind->yes_words;
        size_t nother = yes ? ind->nno : ind->nyes;
        int clash = 0;
        for (size_t j = 0; j < nother && !clash; j++)
            clash = strcasecmp(other[j], w->str) == 0;
        for (size_t j = 0; j < got && !clash; j++)
            if (strcasecmp(words[j], w->str) == 0) {
                rules_err_node(L, w, "'%s' is listed twice", w->str);
                clash = 2;
            }
        if (clash == 1)
            rules_err_node(L, w, "'%s' is listed under both yes and no", w->str);
        if (clash)
            continue;
        words[got++] = rules_dup_scalar(L, w);
    }
    if (yes)
        ind->yes_words = words, ind->nyes = got;
    else
        ind->no_words = words, ind->nno = got;
}

/* 'values' of a bool indicator: the extra spellings a column uses,
 * {yes: [有, 已], no: [无, 未]}. */
static void load_bool_values(loader *L, rule_indicator *ind, const ynode *v)
{
    static const char *const keys[] = {"yes", "no", NULL};
    if (v->kind != YN_MAP) {
        rules_err_node(L, v,
                       "'values' of a bool indicator is a mapping of extra spellings, such as {yes: [有, 已], no: [无, 未]}; '%s' is bool",
                       ind->id);
        return;
    }
    rules_check_keys(L, v, "'values' of a bool indicator", keys);
    const ynode *y = ynode_get(v, "yes"), *n = ynode_get(v, "no");
    if (!y && !n) {
        rules_err_node(L, v, "'values' of a bool indicator gives neither 'yes' nor 'no'");
        return;
    }
    if (y)
        load_bool_side(L, ind, y, 1);
    if (n)
        load_bool_side(L, ind, n, 0);
}

static void load_indicators(loader *L, rule_level *lv, level_src *ls, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'indicators'"))
        return;
    static const char *const keys[] = {"id",      "type",    "unit",   "min",  "max",      "title",
                                       "zh",      "aliases", "values", "note", "optional", "tolerance", NULL};
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "an indicator");
        if (!m)
            continue;
        rules_check_keys(L, m, "an indicator", keys);
        const char *id = rules_get_ident(L, m, "id", "an indicator");
        if (!id)
            continue;
        int dup = 0;
        for (size_t j = 0; j < lv->nind; j++)
            if (strcmp(lv->ind[j].id, id) == 0) {
                rules_err_node(L, ynode_get(m, "id"), "duplicate indicator '%s' in level '%s' (first at line %ld)", id,
                               lv->id, lv->ind[j].pos.line);
                dup = 1;
            }
        if (dup || grow(L, &lv->ind, &ls->cap_ind, lv->nind + 1, sizeof *lv->ind))
            continue;
        rule_indicator *ind = &lv->ind[lv->nind++];
        memset(ind, 0, sizeof *ind);
        ind->id = id;
        ind->pos = rules_pos_of(L, m);
        const ynode *t = rules_get_scalar(L, m, "type", 1, "an indicator");
        if (t && ind_type_parse(t->str, &ind->type))
            rules_err_node(L, t, "unknown indicator type '%s' (expected number, integer, bool or text)", t->str);
        if (ynode_get(m, "optional"))
            rules_get_flag(L, m, "optional", "an indicator", &ind->optional);
        ind->unit = rules_get_str(L, m, "unit", 0, "an indicator");
        ind->percent = ind->unit && strcmp(ind->unit, "percent") == 0;
        if (ynode_get(m, "min"))
            ind->has_min = rules_get_number(L, m, "min", 1, "an indicator", &ind->min) == 0;
        if (ynode_get(m, "max"))
            ind->has_max = rules_get_number(L, m, "max", 1, "an indicator", &ind->max) == 0;
        if ((ind->has_min || ind->has_max || ind->percent) && (ind->type == IND_BOOL || ind->type == IND_TEXT))
            rules_err_node(L, m, "indicator '%s' is %s: 'min', 'max' and unit percent apply to numbers only", id,
                           ind_type_name(ind->type));
        ind->title = rules_get_text2(L, m, "title", "an indicator");
        ind->zh = rules_get_str(L, m, "zh", 0, "an indicator");
        load_tolerance(L, ind, ynode_get(m, "tolerance"));
        const ynode *codes = ynode_get(m, "values");
        if (codes && ind->type == IND_BOOL)
            load_bool_values(L, ind, codes);
        else if (codes && ind->type != IND_TEXT)
            rules_err_node(L, codes,
                           "'values' lists the codes of a text indicator or the extra spellings of a bool one; '%s' is %s",
                           id, ind_type_name(ind->type));
        else if (codes && rules_want_kind(L, codes, YN_SEQ, "'values' of an indicator")) {
            if (!codes->n)
                rules_err_node(L, codes, "'values' is empty");
            ind->codes = codes->n ? arena_alloc(L->rs->a, codes->n * sizeof(char *)) : NULL;
            if (codes->n && !ind->codes) {
                rules_oom(L);
                continue;
            }
            for (size_t k = 0; k < codes->n; k++)
                if (rules_want_kind(L, codes->items[k], YN_SCALAR, "a code"))
                    ind->codes[ind->ncodes++] = rules_dup_scalar(L, codes->items[k]);
        }
        const ynode *al = ynode_get(m, "aliases");
        if (al && rules_want_kind(L, al, YN_SEQ, "'aliases' of an indicator") && al->n) {
            ind->aliases = arena_alloc(L->rs->a, al->n * sizeof(char *));
            if (!ind->aliases) {
                rules_oom(L);
                continue;
            }
            for (size_t k = 0; k < al->n; k++)
                if (rules_want_kind(L, al->items[k], YN_SCALAR, "an alias"))
                    ind->aliases[ind->naliases++] = rules_dup_scalar(L, al->items[k]);
        }
    }
}

/* The 'cases' of derived value di. Slot k of case_when[di] and
 * case_value[di] is case k, also when an earlier one is malformed (its
 * slots stay empty), so every case's expressions get compiled. */
static void load_cases(loader *L, rule_derived *dv, level_src *ls, size_t di, const ynode *cases)
{
    static const char *const ckeys[] = {"when", "value", "else", NULL};
    if (!rules_want_kind(L, cases, YN_SEQ, "'cases' of a derived value"))
        return;
    if (cases->n == 0) {
        rules_err_node(L, cases, "'cases' is empty");
        return;
    }
    dv->cases = arena_alloc(L->rs->a, cases->n * sizeof *dv->cases);
    ls->case_when[di] = arena_alloc(L->rs->a, cases->n * sizeof(esrc));
    ls->case_value[di] = arena_alloc(L->rs->a, cases->n * sizeof(esrc));
    if (!dv->cases || !ls->case_when[di] || !ls->case_value[di]) {
        rules_oom(L);
        return;
    }
    dv->ncases = cases->n;
    for (size_t k = 0; k < cases->n; k++) {
        const ynode *c = rules_want_kind(L, cases->items[k], YN_MAP, "a case");
        if (!c)
            continue;
        rules_check_keys(L, c, "a case", ckeys);
        if (ynode_get(c, "else")) {
            if (k + 1 != cases->n)
                rules_err_node(L, c, "'else' must be the last case");
            if (ynode_get(c, "when") || ynode_get(c, "value"))
                rules_err_node(L, c, "an 'else' case has neither 'when' nor 'value'");
            rules_get_expr(L, c, "else", 1, "a case", &ls->case_value[di][k]);
        } else {
            rules_get_expr(L, c, "when", 1, "a case", &ls->case_when[di][k]);
            rules_get_expr(L, c, "value", 1, "a case", &ls->case_value[di][k]);
        }
    }
}

static void load_derived(loader *L, rule_level *lv, level_src *ls, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'derived'"))
        return;
    static const char *const keys[] = {"id", "title", "expr", "cases", "note", NULL};
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "a derived value");
        if (!m)
            continue;
        rules_check_keys(L, m, "a derived value", keys);
        const char *id = rules_get_ident(L, m, "id", "a derived value");
        if (!id)
            continue;
        size_t need = lv->nderived + 1;
        size_t cap = ls->cap_derived;
        if (grow(L, &lv->derived, &cap, need, sizeof *lv->derived))
            continue;
        size_t cap2 = ls->cap_derived, cap3 = ls->cap_derived, cap4 = ls->cap_derived;
        if (grow(L, &ls->derived_expr, &cap2, need, sizeof(esrc)) ||
            grow(L, &ls->case_when, &cap3, need, sizeof(esrc *)) ||
            grow(L, &ls->case_value, &cap4, need, sizeof(esrc *)))
            continue;
        ls->cap_derived = cap;
        size_t di = lv->nderived++;
        rule_derived *dv = &lv->derived[di];
        memset(dv, 0, sizeof *dv);
        /* every source slot is initialised here, before any early exit:
         * pass two compiles each slot whatever pass one reported */
        memset(&ls->derived_expr[di], 0, sizeof(esrc));
        ls->case_when[di] = ls->case_value[di] = NULL;
        dv->id = id;
        dv->pos = rules_pos_of(L, m);
        dv->title = rules_get_text2(L, m, "title", "a derived value");
        dv->note = rules_get_str(L, m, "note", 0, "a derived value");
        const ynode *cases = ynode_get(m, "cases");
        if (ynode_get(m, "expr") && cases) {
            rules_err_node(L, cases, "a derived value has either 'expr' or 'cases', not both");
            continue;
        }
        if (!cases) {
            rules_get_expr(L, m, "expr", 1, "a derived value", &ls->derived_expr[di]);
            dv->text = ls->derived_expr[di].text;
            continue;
        }
        load_cases(L, dv, ls, di, cases);
    }
}

/* The aggregate kinds' keys as a message lists them: "count, sum, min or
 * max", or with quoted set, those that read a value quoted ("'sum', 'min'
 * or 'max'"). */
static const char *kind_list(char *buf, size_t size, int quoted)
{
    size_t n = 0, k = 0, total = 0;
    for (int i = 0; i < AGG__COUNT; i++)
        total += !quoted || aggregate_needs_value((agg_kind)i);
    buf[0] = '\0';
    for (int i = 0; i < AGG__COUNT && n < size; i++) {
        if (quoted && !aggregate_needs_value((agg_kind)i))
            continue;
        const char *sep = k == 0 ? "" : k + 1 == total ? " or " : ", ";
        n += (size_t)snprintf(buf + n, size - n, quoted ? "%s'%s'" : "%s%s", sep, aggregate_kind_name((agg_kind)i));
        k++;
    }
    return buf;
}

static void load_aggregates(loader *L, rule_level *lv, level_src *ls, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'aggregates'"))
        return;
    const char *keys[5 + AGG__COUNT + 1] = {"id", "title", "of", "where", "note"};
    for (int k = 0; k < AGG__COUNT; k++)
        keys[5 + k] = aggregate_kind_name((agg_kind)k);
    char kinds_text[128], valued_text[128];
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "an aggregate");
        if (!m)
            continue;
        rules_check_keys(L, m, "an aggregate", (const char *const *)keys);
        const char *id = rules_get_ident(L, m, "id", "an aggregate");
        if (!id)
            continue;
        size_t need = lv->nagg + 1, c1 = ls->cap_agg, c2 = ls->cap_agg, c3 = ls->cap_agg, c4 = ls->cap_agg, c5 = ls->cap_agg;
        if (grow(L, &lv->agg, &c1, need, sizeof *lv->agg) || grow(L, &ls->agg_where, &c2, need, sizeof(esrc)) ||
            grow(L, &ls->agg_value, &c3, need, sizeof(esrc)) ||
            grow(L, &ls->agg_of_name, &c4, need, sizeof(char *)) ||
            grow(L, &ls->agg_of_pos, &c5, need, sizeof(srcpos)))
            continue;
        ls->cap_agg = c1;
        size_t ai = lv->nagg++;
        rule_aggregate *ag = &lv->agg[ai];
        memset(ag, 0, sizeof *ag);
        memset(&ls->agg_where[ai], 0, sizeof(esrc));
        memset(&ls->agg_value[ai], 0, sizeof(esrc));
        ag->id = id;
        ag->pos = rules_pos_of(L, m);
        ag->of = -1;
        ag->title = rules_get_text2(L, m, "title", "an aggregate");
        const ynode *of = rules_get_scalar(L, m, "of", 0, "an aggregate");
        ls->agg_of_name[ai] = of ? rules_dup_scalar(L, of) : NULL;
        ls->agg_of_pos[ai] = of ? rules_pos_of(L, of) : ag->pos;
        int found = 0;
        for (int k = 0; k < AGG__COUNT; k++) {
            const char *key = aggregate_kind_name((agg_kind)k);
            const ynode *v = ynode_get(m, key);
            if (!v)
                continue;
            if (found++) {
                rules_err_node(L, v, "an aggregate has one of %s, not several",
                               kind_list(kinds_text, sizeof kinds_text, 0));
                continue;
            }
            ag->kind = (agg_kind)k;
            if (!aggregate_needs_value(ag->kind)) {
                int yes = 0;
                if (rules_get_flag(L, m, key, "an aggregate", &yes) == 0 && !yes)
                    rules_err_node(L, v, "write '%s: true' to count child units", key);
            } else {
                rules_get_expr(L, m, key, 1, "an aggregate", &ls->agg_value[ai]);
                ag->value_text = ls->agg_value[ai].text;
            }
        }
        if (!found)
            rules_err_node(L, m, "aggregate '%s' needs one of 'count: true', %s", id,
                           kind_list(valued_text, sizeof valued_text, 1));
        if (ynode_get(m, "where")) {
            rules_get_expr(L, m, "where", 1, "an aggregate", &ls->agg_where[ai]);
            ag->where_text = ls->agg_where[ai].text;
        }
    }
}

static void load_recompute(loader *L, rule_level *lv, level_src *ls, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'recompute'"))
        return;
    static const char *const keys[] = {"indicator", "expr", "tolerance", "note", NULL};
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "a recomputation");
        if (!m)
            continue;
        rules_check_keys(L, m, "a recomputation", keys);
        size_t need = lv->nrecompute + 1, c1 = ls->cap_recompute, c2 = ls->cap_recompute, c3 = ls->cap_recompute;
        if (grow(L, &lv->recompute, &c1, need, sizeof *lv->recompute) ||
            grow(L, &ls->recompute, &c2, need, sizeof(esrc)) ||
            grow(L, &ls->recompute_ind_name, &c3, need, sizeof(char *)))
            continue;
        ls->cap_recompute = c1;
        size_t ri = lv->nrecompute++;
        rule_recompute *rc = &lv->recompute[ri];
        memset(rc, 0, sizeof *rc);
        rc->indicator = -1;
        rc->pos = rules_pos_of(L, m);
        ls->recompute_ind_name[ri] = rules_get_str(L, m, "indicator", 1, "a recomputation");
        memset(&ls->recompute[ri], 0, sizeof(esrc));
        rules_get_expr(L, m, "expr", 1, "a recomputation", &ls->recompute[ri]);
        rc->text = ls->recompute[ri].text;
        if (rules_get_number(L, m, "tolerance", 1, "a recomputation", &rc->tolerance) == 0 && rc->tolerance < 0)
            rules_err_node(L, ynode_get(m, "tolerance"), "'tolerance' cannot be negative");
    }
}

static void load_targets(loader *L, rule_level *lv, level_src *ls, const ynode *seq)
{
    if (!rules_want_kind(L, seq, YN_SEQ, "'targets'"))
        return;
    static const char *const keys[] = {"id", "title", "seed", "require", "note", "severity", "waivable", NULL};
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "a target");
        if (!m)
            continue;
        rules_check_keys(L, m, "a target", keys);
        const ynode *idn = rules_get_scalar(L, m, "id", 1, "a target");
        if (!idn)
            continue;
        const rule_level *other;
        const rule_target *prev = rules_find_target(L->rs, idn->str, &other);
        if (prev) {
            rules_err_node(L, idn, "duplicate target '%s' (first at %s:%ld)", idn->str, prev->pos.file, prev->pos.line);
            continue;
        }
        size_t need = lv->ntargets + 1, c1 = ls->cap_targets, c2 = ls->cap_targets;
        if (grow(L, &lv->targets, &c1, need, sizeof *lv->targets) || grow(L, &ls->target, &c2, need, sizeof(esrc)))
            continue;
        ls->cap_targets = c1;
        size_t ti = lv->ntargets++;
        rule_target *t = &lv->targets[ti];
        memset(t, 0, sizeof *t);
        t->id = rules_dup_scalar(L, idn);
        t->pos = rules_pos_of(L, m);
        t->title = rules_get_text2(L, m, "title", "a target");
        if (!t->title.en && !t->title.zh)
            rules_err_node(L, m, "target '%s' has no 'title'", idn->str);
        t->seed = rules_get_str(L, m, "seed", 0, "a target");
        t->note = rules_get_str(L, m, "note", 0, "a target");
        rules_get_expr(L, m, "require", 1, "a target", &ls->target[ti]);
        t->require = ls->target[ti].text;
        const ynode *sev = rules_get_scalar(L, m, "severity", 0, "a target");
        if (sev) {
            if (strcmp(sev->str, "block") == 0)
                t->severity = SEV_BLOCK;
            else if (strcmp(sev->str, "warn") == 0)
                t->severity = SEV_WARN;
            else
                rules_err_node(L, sev, "unknown severity '%s' (expected block or warn)", sev->str);
        }
        t->waivable = 1;
        if (ynode_get(m, "waivable"))
            rules_get_flag(L, m, "waivable", "a target", &t->waivable);
    }
}

/* `identify`: the level's identification standard, a boolean expression
 * (who should be registered), as a scalar or {require, title, note,
 * source}. */
static void load_identify(loader *L, rule_level *lv, level_src *ls, const ynode *root, const ynode *n)
{
    static const char *const keys[] = {"require", "title", "note", "source", NULL};
    if (lv->identify_pos.line) {
        rules_err_node(L, n, "level '%s' already has 'identify' (at line %ld)", lv->id, lv->identify_pos.line);
        return;
    }
    lv->identify_pos = rules_pos_of(L, n);
    if (n->kind == YN_SCALAR) {
        rules_get_expr(L, root, "identify", 1, "the level", &ls->identify);
        return;
    }
    if (!rules_want_kind(L, n, YN_MAP, "'identify'"))
        return;
    rules_check_keys(L, n, "'identify'", keys);
    lv->identify_title = rules_get_text2(L, n, "title", "'identify'");
    lv->identify_note = rules_get_str(L, n, "note", 0, "'identify'");
    rules_get_str(L, n, "source", 0, "'identify'");
    rules_get_expr(L, n, "require", 1, "'identify'", &ls->identify);
}

static void load_level_file(loader *L, const ynode *root)
{
    static const char *const keys[] = {"level",   "indicators", "derived", "aggregates", "recompute",
                                       "targets", "params",     "identify", NULL};
    rules_check_keys(L, root, "a level file", keys);
    const ynode *ln = rules_get_scalar(L, root, "level", 1, "a level file");
    if (!ln)
        return;
    rule_level *lv = rules_level_named(L->rs, ln->str);
    if (!lv) {
        rules_err_node(L, ln, "unknown level '%s' (declare it under 'levels' in pack.yaml)", ln->str);
        return;
    }
    level_src *ls = &L->rs->lsrc[lv->index];
    const ynode *n;
    if ((n = ynode_get(root, "indicators")))
        load_indicators(L, lv, ls, n);
    if ((n = ynode_get(root, "derived")))
        load_derived(L, lv, ls, n);
    if ((n = ynode_get(root, "aggregates")))
        load_aggregates(L, lv, ls, n);
    if ((n = ynode_get(root, "recompute")))
        load_recompute(L, lv, ls, n);
    if ((n = ynode_get(root, "targets")))
        load_targets(L, lv, ls, n);
    if ((n = ynode_get(root, "params")))
        load_params(L, n);
    if ((n = ynode_get(root, "identify")))
        load_identify(L, lv, ls, root, n);
}

/* ---------- the files of a pack ---------- */

static ydoc *open_doc(loader *L, const char *path)
{
    ydoc *doc = ydoc_load(path, L->d);
    if (!doc) {
        L->errors++;
        return NULL;
    }
    ruleset *rs = L->rs;
    if (grow(L, &rs->files, &rs->cap_files, rs->nfiles + 1, sizeof *rs->files)) {
        ydoc_free(&doc);
        return NULL;
    }
    rule_file *f = &rs->files[rs->nfiles];
    f->path = arena_strdup(rs->a, path);
    if (!f->path) {
        rules_oom(L);
        ydoc_free(&doc);
        return NULL;
    }
    memcpy(f->sha256, ydoc_sha256(doc), 65);
    rs->nfiles++;
    L->path = f->path;
    return doc;
}

/* 'years' of 'pack': the years of data the pack's targets apply to,
 * {from: Y, to: Y}, both inclusive and each optional (at least one given),
 * whole numbers 1-9999 with from <= to. Sets rs->has_years only when the
 * range has no mistake. */
static void load_pack_years(loader *L, const ynode *pack)
{
    static const char *const ykeys[] = {"from", "to", NULL};
    static const char *const what = "'years' of 'pack'";
    const ynode *y = ynode_get(pack, "years");
    if (!y || !rules_want_kind(L, y, YN_MAP, what))
        return;
    int bound[2] = {0, 0}, bad = rules_check_keys(L, y, what, ykeys) != 0;
    for (int i = 0; i < 2; i++) {
        const ynode *v = ynode_get(y, ykeys[i]);
        double d = 0;
        if (!v)
            continue;
        if (rules_get_number(L, y, ykeys[i], 0, what, &d)) {
            bad = 1;
            continue;
        }
        if (!(d >= 1 && d <= 9999) || d != floor(d)) {
            rules_err_node(L, v, "'%s' of 'years' must be a whole year from 1 to 9999, found '%s'", ykeys[i], v->str);
            bad = 1;
            continue;
        }
        bound[i] = (int)d;
    }
    if (bad)
        return;
    if (!bound[0] && !bound[1]) {
        rules_err_node(L, y, "%s gives neither 'from' nor 'to' (write 'years: {from: 2016, to: 2020}', or leave 'years' out)",
                       what);
        return;
    }
    if (bound[0] && bound[1] && bound[0] > bound[1]) {
        rules_err_node(L, ynode_get(y, "to"), "'years' of 'pack' ends before it begins: 'to' %d is before 'from' %d",
                       bound[1], bound[0]);
        return;
    }
    L->rs->has_years = 1;
    L->rs->year_from = bound[0];
    L->rs->year_to = bound[1];
}

/* pack.yaml's own keys: 'pack' (its id, version, title, source and years),
 * 'levels' and 'params'. */
static void load_pack_root(loader *L, const ynode *root)
{
    static const char *const keys[] = {"pack", "include", "levels", "params", "verification", NULL};
    static const char *const pkeys[] = {"id", "version", "title", "source", "description", "years", NULL};
    ruleset *rs = L->rs;
    rules_check_keys(L, root, "pack.yaml", keys);
    const ynode *pack = ynode_get(root, "pack");
    if (!pack)
        rules_err_node(L, root, "pack.yaml has no 'pack' (its id, version and title)");
    else if (rules_want_kind(L, pack, YN_MAP, "'pack'")) {
        rules_check_keys(L, pack, "'pack'", pkeys);
        rs->id = rules_get_str(L, pack, "id", 1, "'pack'");
        rs->version = rules_get_str(L, pack, "version", 1, "'pack'");
        rs->title = rules_get_text2(L, pack, "title", "'pack'");
        rs->source = rules_get_str(L, pack, "source", 0, "'pack'");
        load_pack_years(L, pack);
    }
    const ynode *levels = ynode_get(root, "levels");
    if (!levels)
        rules_err_node(L, root, "pack.yaml has no 'levels'");
    else
        load_levels(L, levels);
    if (ynode_get(root, "params"))
        load_params(L, ynode_get(root, "params"));
    if (ynode_get(root, "verification"))
        rules_load_verification(L, ynode_get(root, "verification"));
}

/* Copies the include list inc (may be NULL) out of pack.yaml, before its
 * document goes: names[i] (mem_strdup, for the caller to free) and where
 * it was written; returns how many. */
static size_t collect_includes(loader *L, const ynode *inc, char *names[MAX_INCLUDES], srcpos where[MAX_INCLUDES])
{
    size_t ninc = 0;
    if (!inc || !rules_want_kind(L, inc, YN_SEQ, "'include'"))
        return 0;
    for (size_t i = 0; i < inc->n; i++) {
        const ynode *v = rules_want_kind(L, inc->items[i], YN_SCALAR, "an included file");
        if (!v)
            continue;
        if (ninc == MAX_INCLUDES) {
            rules_err_node(L, v, "too many included files (at most %d)", MAX_INCLUDES);
            break;
        }
        if (strchr(v->str, '/') || v->str[0] == '.') {
            rules_err_node(L, v,
                           "included files are named relative to the pack directory, without '/' or a leading '.'");
            continue;
        }
        int dup = 0;
        for (size_t j = 0; j < ninc; j++)
            dup |= strcmp(names[j], v->str) == 0;
        if (dup) {
            rules_err_node(L, v, "'%s' is included twice", v->str);
            continue;
        }
        where[ninc] = rules_pos_of(L, v);
        names[ninc] = mem_strdup(v->str);
        if (!names[ninc]) {
            rules_oom(L);
            break;
        }
        ninc++;
    }
    return ninc;
}

/* One included file, named relative to the pack directory: a level file
 * (it has 'level') or a parameter file. */
static void load_include(loader *L, const char *name, srcpos where)
{
    ruleset *rs = L->rs;
    strbuf path = STRBUF_INIT;
    strbuf_printf(&path, "%s/%s", rs->dir, name);
    if (path.oom) {
        rules_oom(L);
    } else if (strcmp(name, "pack.yaml") == 0) {
        rules_err_pos(L, where, "pack.yaml cannot include itself");
    } else if ((L->doc = open_doc(L, strbuf_str(&path)))) {
        const ynode *r = ydoc_root(L->doc);
        if (!r)
            rules_err_pos(L, (srcpos){rs->files[rs->nfiles - 1].path, 0, 0}, "rule file is empty");
        else if (r->kind != YN_MAP)
            rules_err_node(L, r, "a rule file must be a mapping (with 'level' or 'params')");
        else if (ynode_get(r, "level"))
            load_level_file(L, r);
        else {
            static const char *const keys[] = {"params", NULL};
            rules_check_keys(L, r, "a parameter file", keys);
            if (ynode_get(r, "params"))
                load_params(L, ynode_get(r, "params"));
        }
        ydoc_free(&L->doc);
    }
    strbuf_free(&path);
}

void rules_load_pack(loader *L, const char *pack_path)
{
    ruleset *rs = L->rs;
    ydoc *doc = open_doc(L, pack_path);
    if (!doc)
        return;
    L->doc = doc;
    const ynode *root = ydoc_root(doc);
    if (!root || root->kind != YN_MAP) {
        if (root)
            rules_err_node(L, root, "pack.yaml must be a mapping with 'pack', 'levels' and 'include'");
        else
            rules_err_pos(L, (srcpos){rs->files[rs->nfiles - 1].path, 0, 0}, "pack.yaml is empty");
        ydoc_free(&L->doc);
        return;
    }
    load_pack_root(L, root);
    char *names[MAX_INCLUDES];
    srcpos where[MAX_INCLUDES];
    size_t ninc = collect_includes(L, ynode_get(root, "include"), names, where);
    ydoc_free(&L->doc);
    for (size_t i = 0; i < ninc; i++) {
        load_include(L, names[i], where[i]);
        mem_free(names[i]);
    }
}
