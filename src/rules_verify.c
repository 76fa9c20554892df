/*
 * rules_verify.c - the parts of a pack that field verification reads
 * (SPEC §7.2): the `verification` section of pack.yaml and its vetoes.
 * Private to the rules modules like the other rules_*.c stages; the public
 * side is in rules.h.
 *
 * A veto's `require` is RATE OP THRESHOLD: RATE one of verify_rate_names,
 * OP < <= > >=, THRESHOLD a number or a parameter of the pack. It is not
 * a general expression because verify needs the threshold itself, to say
 * whether a rate's interval crosses it. Pass one (rules_load_verification)
 * reads the section; the threshold's parameter is resolved once every
 * file is read (rules_resolve_vetoes), since parameters may come from any
 * included file.
 */
#include "rules_keys.h"
#include "rules_verify.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *const verify_rate_names[RATE__COUNT] = {"wrong_exit_rate", "missed_rate", "recognition",
                                                    "comprehensive_rate"};

static const char *const op_names[] = {"<", "<=", ">", ">="};
_Static_assert(sizeof op_names / sizeof *op_names == VOP_GE + 1, "a name for every veto_op");

/* RATE OP THRESHOLD from the scalar n into v; the threshold's name (when
 * it is not a number) into *param. 0, or -1 after an error at n. */
static int parse_require(loader *L, const ynode *n, rule_veto *v, const char **param)
{
    const char *s = n->str;
    const char *op = strpbrk(s, "<>=!");
    if (!op || *op == '=' || *op == '!') {
        rules_err_node(L, n, "a veto's 'require' is RATE < THRESHOLD (or <=, >, >=), found '%s'", s);
        return -1;
    }
    size_t oplen = op[1] == '=' ? 2 : 1;
    v->op = op[0] == '<' ? (oplen == 2 ? VOP_LE : VOP_LT) : (oplen == 2 ? VOP_GE : VOP_GT);
    const char *a = s, *ae = op;
    while (a < ae && isspace((unsigned char)*a))
        a++;
    while (ae > a && isspace((unsigned char)ae[-1]))
        ae--;
    int rate = -1;
    for (int r = 0; r < RATE__COUNT; r++)
        if (strlen(verify_rate_names[r]) == (size_t)(ae - a) && !memcmp(a, verify_rate_names[r], (size_t)(ae - a)))
            rate = r;
    if (rate < 0) {
        rules_err_node(L, n,
                       "a veto compares one of wrong_exit_rate, missed_rate, recognition, comprehensive_rate; found '%.*s'",
                       (int)(ae - a), a);
        return -1;
    }
    v->rate = (verify_rate)rate;
    const char *b = op + oplen, *be = s + n->len;
    while (b < be && isspace((unsigned char)*b))
        b++;
    while (be > b && isspace((unsigned char)be[-1]))
        be--;
    if (b == be) {
        rules_err_node(L, n, "a veto's 'require' has no threshold after '%s'", op_names[v->op]);
        return -1;
    }
    v->param = -1;
    if (!value_parse_number(b, (size_t)(be - b), 1, &v->number)) /* 2 or 2% */
        return 0;
    *param = arena_strndup(L->a, b, (size_t)(be - b));
    if (!*param) {
        rules_oom(L);
        return -1;
    }
    return 0;
}

void rules_load_verification(loader *L, const ynode *sec)
{
    static const char *const keys[] = {"vetoes", "source", "note", NULL};
    static const char *const vkeys[] = {"id", "title", "require", "note", NULL};
    ruleset *rs = L->rs;
    if (!rules_want_kind(L, sec, YN_MAP, "'verification'"))
        return;
    rules_check_keys(L, sec, "'verification'", keys);
    rules_get_str(L, sec, "source", 0, "'verification'");
    rules_get_str(L, sec, "note", 0, "'verification'");
    const ynode *seq = ynode_get(sec, "vetoes");
    if (!seq) {
        rules_err_node(L, sec, "'verification' has no 'vetoes'");
        return;
    }
    if (!rules_want_kind(L, seq, YN_SEQ, "'vetoes'"))
        return;
    if (!seq->n) {
        rules_err_node(L, seq, "'vetoes' lists no veto: a county would pass with nothing judged");
        return;
    }
    rs->vetoes = arena_alloc(rs->a, (seq->n + 1) * sizeof *rs->vetoes);
    rs->veto_threshold = arena_alloc(rs->a, (seq->n + 1) * sizeof *rs->veto_threshold);
    rs->veto_src = arena_alloc(rs->a, (seq->n + 1) * sizeof *rs->veto_src);
    if (!rs->vetoes || !rs->veto_threshold || !rs->veto_src) {
        rules_oom(L);
        return;
    }
    for (size_t i = 0; i < seq->n; i++) {
        const ynode *m = rules_want_kind(L, seq->items[i], YN_MAP, "a veto");
        if (!m)
            continue;
        rules_check_keys(L, m, "a veto", vkeys);
        rule_veto *v = &rs->vetoes[rs->nvetoes];
        memset(v, 0, sizeof *v);
        v->pos = rules_pos_of(L, m);
        v->id = rules_get_ident(L, m, "id", "a veto");
        v->title = rules_get_text2(L, m, "title", "a veto");
        v->note = rules_get_str(L, m, "note", 0, "a veto");
        const ynode *req = rules_get_scalar(L, m, "require", 1, "a veto");
        const char *param = NULL;
        if (!v->id || !req || parse_require(L, req, v, &param))
            continue;
        v->require = rules_dup_scalar(L, req);
        rules_get_expr(L, m, "require", 1, "a veto", &rs->veto_src[rs->nvetoes]);
        for (size_t j = 0; j < rs->nvetoes; j++)
            if (!strcasecmp(rs->vetoes[j].id, v->id)) {
                rules_err_node(L, ynode_get(m, "id"), "a second veto '%s' (the first is at line %ld)", v->id,
                               rs->vetoes[j].pos.line);
                v->id = NULL;
                break;
            }
        if (!v->id)
            continue;
        rs->veto_threshold[rs->nvetoes++] = param;
    }
}

void rules_resolve_vetoes(loader *L)
{
    ruleset *rs = L->rs;
    for (size_t i = 0; i < rs->nvetoes; i++) {
        rule_veto *v = &rs->vetoes[i];
        const char *name = rs->veto_threshold[i];
        if (!name)
            continue;
        for (size_t p = 0; p < rs->nparams; p++)
            if (!strcmp(rs->params[p].id, name))
                v->param = (int)p; /* not marked used: check does not judge vetoes */
        if (v->param >= 0)
            continue;
        const esrc *src = &rs->veto_src[i];
        const char *at = src->text ? strstr(src->text, name) : NULL;
        const char *suggest = NULL;
        size_t best = 99;
        for (size_t p = 0; p < rs->nparams; p++) {
            size_t dist = rules_distance(name, rs->params[p].id);
            if (dist < best && dist <= 2 + strlen(name) / 4) {
                best = dist;
                suggest = rs->params[p].id;
            }
        }
        char msg[300];
        snprintf(msg, sizeof msg, "unknown name '%s': the threshold of veto '%s' is a number or a parameter of the pack",
                 name, v->id);
        if (at)
            rules_err_expr(L, src, (size_t)(at - src->text), strlen(name), msg, suggest);
        else
            rules_err_pos(L, v->pos, "%s", msg);
    }
}

size_t rules_nvetoes(const ruleset *rs) { return rs->nvetoes; }
const rule_veto *rules_veto(const ruleset *rs, size_t i) { return &rs->vetoes[i]; }

value rules_veto_threshold(const ruleset *rs, const rule_veto *v, int have_year, int year)
{
    if (v->param < 0)
        return value_num(v->number);
    return rules_param_value(&rs->params[v->param], have_year, year, NULL);
}

int rules_veto_holds(const rule_veto *v, double rate, double t)
{
    switch (v->op) {
    case VOP_LT: return rate < t;
    case VOP_LE: return rate <= t;
    case VOP_GT: return rate > t;
    case VOP_GE: return rate >= t;
    }
    return 0;
}
