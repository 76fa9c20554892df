/*
 * rules_keys.c - pass one's reading of the YAML nodes of a rule file (see
 * rules_keys.h): the keys of a mapping, checked against those it may have
 * with "did you mean" for a near miss, and scalars read as strings, ids,
 * numbers, flags, titles and expression sources.
 *
 * Receives the loader and the document it is reading (L->doc); produces
 * strings in the ruleset's arena, so none points into the document, which
 * is freed after pass one, and positions whose file is the ruleset's own
 * copy of the path. Every mistake is an error diagnostic at its node, with
 * the node's line as excerpt where there is one; the helper that finds it
 * returns NULL or -1 and the caller goes on with the next item, so one
 * pass reports every mistake.
 */
#include "rules_keys.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void verr_node(loader *L, const ynode *n, diag_severity sev, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static void verr_node(loader *L, const ynode *n, diag_severity sev, const char *fmt, va_list ap)
{
    strbuf sb = STRBUF_INIT;
    strbuf_vprintf(&sb, fmt, ap);
    size_t len = 0;
    const char *line = n ? ydoc_line(L->doc, n->line, &len) : NULL;
    const char *file = ydoc_path(L->doc);
    if (line && n) {
        size_t caret = (size_t)(n->column - 1);
        size_t clen = 1;
        if (n->kind == YN_SCALAR && n->style != YS_BLOCK && caret + n->len + (n->style == YS_QUOTED ? 2 : 0) <= len)
            clen = n->len + (n->style == YS_QUOTED ? 2 : 0);
        diag_add_excerpt(L->d, sev, file, n->line, n->column, line, len, caret, clen ? clen : 1, "%s",
                         sb.oom ? "out of memory" : strbuf_str(&sb));
    } else {
        diag_add(L->d, sev, file, n ? n->line : 0, n ? n->column : 0, "%s", sb.oom ? "out of memory" : strbuf_str(&sb));
    }
    strbuf_free(&sb);
    if (sev == DIAG_ERROR)
        L->errors++;
}

void rules_err_node(loader *L, const ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verr_node(L, n, DIAG_ERROR, fmt, ap);
    va_end(ap);
}

static const char *kind_name(const ynode *n)
{
    return n->kind == YN_MAP ? "a mapping" : n->kind == YN_SEQ ? "a list" : "a scalar";
}

/* Edit distance for "did you mean" hints (small strings only). */
size_t rules_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t row[41];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

static const char *closest(const char *word, const char *const *choices)
{
    const char *best = NULL;
    size_t bd = 3;
    for (size_t i = 0; choices[i]; i++) {
        size_t dd = rules_distance(word, choices[i]);
        if (dd < bd) {
            bd = dd;
            best = choices[i];
        }
    }
    return best;
}

/* Reports every key of map not in allowed; returns 0 if all are known. */
int rules_check_keys(loader *L, const ynode *map, const char *what, const char *const *allowed)
{
    int bad = 0;
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const ynode *k = map->items[i];
        if (k->kind != YN_SCALAR) {
            rules_err_node(L, k, "a key in %s must be a plain word", what);
            bad = 1;
            continue;
        }
        for (size_t j = 0; j < i; j += 2)
            if (map->items[j]->kind == YN_SCALAR && strcmp(map->items[j]->str, k->str) == 0) {
                rules_err_node(L, k, "duplicate key '%s' in %s (first at line %ld)", k->str, what, map->items[j]->line);
                bad = 1;
            }
        size_t a = 0;
        while (allowed[a] && strcmp(allowed[a], k->str) != 0)
            a++;
        if (allowed[a])
            continue;
        strbuf sb = STRBUF_INIT;
        for (size_t j = 0; allowed[j]; j++)
            strbuf_printf(&sb, "%s%s", j ? ", " : "", allowed[j]);
        const char *near = closest(k->str, allowed);
        if (near)
            rules_err_node(L, k, "unknown key '%s' in %s (did you mean '%s'?)", k->str, what, near);
        else
            rules_err_node(L, k, "unknown key '%s' in %s (expected one of: %s)", k->str, what, strbuf_str(&sb));
        strbuf_free(&sb);
        bad = 1;
    }
    return bad ? -1 : 0;
}

srcpos rules_pos_of(loader *L, const ynode *n)
{
    srcpos p = {L->path, 0, 0};
    if (n) {
        p.line = n->line;
        p.column = n->column;
    }
    return p;
}

const ynode *rules_want_kind(loader *L, const ynode *n, ynode_kind kind, const char *what)
{
    static const char *const names[] = {"a scalar", "a mapping", "a list"};
    _Static_assert(sizeof names / sizeof *names == YN_SEQ + 1, "a name for every ynode_kind");
    if (!n)
        return NULL;
    if (n->kind != kind) {
        rules_err_node(L, n, "%s must be %s, found %s", what, names[kind], kind_name(n));
        return NULL;
    }
    return n;
}

/* A required or optional scalar; NULL when absent or wrong. */
const ynode *rules_get_scalar(loader *L, const ynode *map, const char *key, int required, const char *what)
{
    const ynode *v = ynode_get(map, key);
    if (!v) {
        if (required)
            rules_err_node(L, map, "%s has no '%s'", what, key);
        return NULL;
    }
    char buf[160];
    snprintf(buf, sizeof buf, "'%s' of %s", key, what);
    v = rules_want_kind(L, v, YN_SCALAR, buf);
    if (v && required && v->len == 0) {
        rules_err_node(L, v, "'%s' of %s is empty", key, what);
        return NULL;
    }
    return v;
}

const char *rules_dup_scalar(loader *L, const ynode *v)
{
    if (!v)
        return NULL;
    const char *s = arena_strndup(L->a, v->str, v->len);
    if (!s)
        rules_oom(L);
    return s;
}

const char *rules_get_str(loader *L, const ynode *map, const char *key, int required, const char *what)
{
    return rules_dup_scalar(L, rules_get_scalar(L, map, key, required, what));
}

static int is_identifier(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

static int is_reserved(const char *s)
{
    static const char *const words[] = {"and", "or", "not", "true", "false", "min", "max", "abs", "known", "if", NULL};
    for (size_t i = 0; words[i]; i++)
        if (strcmp(s, words[i]) == 0)
            return 1;
    return 0;
}

/* An id usable in expressions. */
const char *rules_get_ident(loader *L, const ynode *map, const char *key, const char *what)
{
    const ynode *v = rules_get_scalar(L, map, key, 1, what);
    if (!v)
        return NULL;
    if (!is_identifier(v->str)) {
        rules_err_node(L, v, "'%s' is not a valid id for %s (use letters, digits and '_', not starting with a digit)",
                       v->str, what);
        return NULL;
    }
    if (is_reserved(v->str)) {
        rules_err_node(L, v, "'%s' is a reserved word and cannot name %s", v->str, what);
        return NULL;
    }
    return rules_dup_scalar(L, v);
}

int rules_get_number(loader *L, const ynode *map, const char *key, int required, const char *what, double *out)
{
    const ynode *v = rules_get_scalar(L, map, key, required, what);
    if (!v)
        return -1;
    if (value_parse_number(v->str, v->len, 0, out)) {
        rules_err_node(L, v, "'%s' of %s must be a number, found '%s'", key, what, v->str);
        return -1;
    }
    return 0;
}

int rules_get_flag(loader *L, const ynode *map, const char *key, const char *what, int *out)
{
    const ynode *v = rules_get_scalar(L, map, key, 0, what);
    if (!v)
        return -1;
    if (strcmp(v->str, "true") == 0 || strcmp(v->str, "yes") == 0)
        *out = 1;
    else if (strcmp(v->str, "false") == 0 || strcmp(v->str, "no") == 0)
        *out = 0;
    else {
        rules_err_node(L, v, "'%s' of %s must be true or false, found '%s'", key, what, v->str);
        return -1;
    }
    return 0;
}

/* title: either a scalar (English) or {en: ..., zh: ...}. */
text2 rules_get_text2(loader *L, const ynode *map, const char *key, const char *what)
{
    text2 t = {NULL, NULL};
    const ynode *v = ynode_get(map, key);
    if (!v)
        return t;
    if (v->kind == YN_SCALAR) {
        t.en = rules_dup_scalar(L, v);
        return t;
    }
    char buf[160];
    snprintf(buf, sizeof buf, "'%s' of %s", key, what);
    if (!rules_want_kind(L, v, YN_MAP, buf))
        return t;
    static const char *const keys[] = {"en", "zh", NULL};
    rules_check_keys(L, v, buf, keys);
    t.en = rules_get_str(L, v, "en", 0, buf);
    t.zh = rules_get_str(L, v, "zh", 0, buf);
    return t;
}

static esrc make_esrc(loader *L, const ynode *v)
{
    esrc e = {0};
    e.text = rules_dup_scalar(L, v);
    e.len = v->len;
    e.pos = rules_pos_of(L, v);
    size_t len;
    const char *line = ydoc_line(L->doc, v->line, &len);
    size_t col0 = (size_t)(v->column - 1) + (v->style == YS_QUOTED ? 1 : 0);
    if (line && v->style != YS_BLOCK && col0 + v->len <= len && memcmp(line + col0, v->str, v->len) == 0) {
        e.line = arena_strndup(L->a, line, len);
        e.linelen = len;
        e.col0 = col0;
    }
    return e;
}

int rules_get_expr(loader *L, const ynode *map, const char *key, int required, const char *what, esrc *out)
{
    const ynode *v = ynode_get(map, key);
    memset(out, 0, sizeof *out);
    if (!v) {
        if (required)
            rules_err_node(L, map, "%s has no '%s'", what, key);
        return -1;
    }
    char buf[160];
    snprintf(buf, sizeof buf, "'%s' of %s", key, what);
    if (!rules_want_kind(L, v, YN_SCALAR, buf))
        return -1;
    *out = make_esrc(L, v);
    return out->text ? 0 : -1;
}

void rules_err_expr(loader *L, const esrc *s, size_t off, size_t len, const char *message, const char *suggest)
{
    char buf[400];
    if (strcmp(message, "out of memory") == 0)
        diag_oom(L->d);
    if (suggest && strncmp(message, "unknown name", 12) == 0) {
        snprintf(buf, sizeof buf, "unknown name '%.*s' (did you mean '%s'?)", (int)len, s->text + off, suggest);
        message = buf;
    }
    if (s->line)
        diag_add_excerpt(L->d, DIAG_ERROR, s->pos.file, s->pos.line, (long)(s->col0 + off + 1), s->line, s->linelen,
                         s->col0 + off, len, "%s", message);
    else
        diag_add_excerpt(L->d, DIAG_ERROR, s->pos.file, s->pos.line, s->pos.column, s->text, s->len, off, len, "%s",
                         message);
    L->errors++;
}
