/*
 * rules.c - a rule pack's lifecycle and accessors (see rules.h,
 * exitcheck-rules(5)). rules_load drives the stages, a file each: pass one
 * loads pack.yaml and its includes (rules_load.c, reading nodes through
 * rules_keys.c), keeping every expression's source and position; the
 * levels' parents and role columns are resolved (rules_resolve.c); pass
 * two lays out each level's slots and compiles its expressions
 * (rules_compile.c). Errors never stop a stage early: the loader reports
 * all it can find, then rules_load returns NULL.
 *
 * Invariants: no string of a loaded ruleset points into a YAML document
 * (documents are freed after pass one); expression positions are exact
 * file:line:column where the expression is a one-line plain or quoted
 * scalar, and otherwise the scalar's start with the expression as excerpt.
 */
#include "rules_impl.h"
#include "rules_compile.h"
#include "rules_load.h"
#include "rules_resolve.h"
#include "rules_verify.h"
#include "strbuf.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *const verdict_names[VERDICT__COUNT] = {
    "meets", "fails", "undecided", "claims", "supported", "wrong_exit", "unsupported",
    "exited", "exited_earlier", "registered",
};

const char *const rules_role_keys[] = {"key", "parent_key", "name", "year", "claim", "exit_year", "registered", "people"};
_Static_assert(sizeof rules_role_keys / sizeof *rules_role_keys == ROLE__COUNT, "a key for every level_role");

/* ---------- shared by the stages (rules_impl.h) ---------- */

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

rule_level *rules_level_named(ruleset *rs, const char *id)
{
    for (size_t i = 0; i < rs->nlevels; i++)
        if (strcmp(rs->levels[i].id, id) == 0)
            return &rs->levels[i];
    return NULL;
}

/* ---------- lifecycle ---------- */

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
    loader L = {rs, d, NULL, 0, rs->a, NULL};
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
            rules_compile_level(&L, &rs->levels[i]);
        for (size_t i = 0; i < rs->nlevels; i++)
            rules_compile_aggregates(&L, &rs->levels[i]);
    }
    rules_resolve_vetoes(&L);
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
int rules_years(const ruleset *rs, int *from, int *to)
{
    if (from)
        *from = rs->has_years ? rs->year_from : 0;
    if (to)
        *to = rs->has_years ? rs->year_to : 0;
    return rs->has_years;
}
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

static const char *const ind_type_names[] = {
    [IND_NUMBER] = "number", [IND_INTEGER] = "integer", [IND_BOOL] = "bool", [IND_TEXT] = "text",
};
_Static_assert(sizeof ind_type_names / sizeof *ind_type_names == IND__COUNT, "a name for every ind_type");

const char *rules_level_word(const rule_level *lv, int zh) { return zh && lv->title.zh ? lv->title.zh : lv->id; }

const char *ind_type_name(ind_type t) { return ind_type_names[t]; }

int ind_type_parse(const char *name, ind_type *out)
{
    for (int t = 0; t < IND__COUNT; t++)
        if (strcmp(name, ind_type_names[t]) == 0) {
            *out = (ind_type)t;
            return 0;
        }
    return -1;
}

void rules_own_view(rule_level *lv, const char *id, rule_indicator *ind, size_t nind, int key)
{
    memset(lv, 0, sizeof *lv);
    lv->id = id;
    lv->own_format = 1;
    lv->ind = ind;
    lv->nind = nind;
    lv->key = key;
    lv->parent_key = lv->name = lv->year = lv->claim = lv->exit_year = lv->registered = lv->people = -1;
    lv->parent = lv->child = -1;
}
