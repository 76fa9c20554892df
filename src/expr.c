/*
 * expr.c - parser, type checker and evaluator of requirement expressions.
 *
 * The parser is precedence climbing over this grammar:
 *
 *   expr    -> and { ('or' | '||') and }
 *   and     -> not { ('and' | '&&') not }
 *   not     -> ('not' | '!') not | cmp
 *   cmp     -> sum [ ('<' | '<=' | '>' | '>=' | '==' | '!=') sum ]
 *   sum     -> prod { ('+' | '-') prod }
 *   prod    -> unary { ('*' | '/') unary }
 *   unary   -> '-' unary | primary
 *   primary -> NUMBER | STRING | 'true' | 'false'
 *            | NAME [ '(' [ expr { ',' expr } ] ')' ] | '(' expr ')'
 *
 * Comparisons do not chain (a < b < c is an error). Functions: min, max,
 * abs, known(x), if(cond, a, b). Unknown names are reported and parsing goes
 * on (their type is "any", which silences follow-on type errors), so one
 * expression can report several unknown names; a syntax error stops it.
 */
#include "expr.h"
#include "lexer.h"
#include "strbuf.h"

#include <math.h>
#include <string.h>

typedef enum {
    OP_NUM, OP_BOOL, OP_STR, OP_SLOT,
    OP_NEG, OP_NOT, OP_ADD, OP_SUB, OP_MUL, OP_DIV,
    OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE,
    OP_AND, OP_OR,
    OP_MIN, OP_MAX, OP_ABS, OP_KNOWN, OP_IF,
} opcode;

typedef struct node {
    opcode op;
    vtype type;
    int slot;
    int nargs;
    double num;
    const char *str;
    size_t slen;
    struct node **args;
} node;

struct expr {
    node *root;
    int *refs;
    size_t nrefs;
};

const char *vtype_name(vtype t)
{
    static const char *const n[] = {"number", "boolean", "text", "any"};
    return n[t];
}

typedef struct parser {
    arena *a;
    lexer lx;
    token tok;
    expr_resolver resolve;
    expr_error_fn on_error;
    void *ctx;
    int depth;
    size_t prev_end;  /* end of the last token consumed: where an operand ends */
    int errors;
    int fatal;      /* a syntax error: stop */
    int *refs;
    size_t nrefs, refcap;
} parser;

static void error_at(parser *p, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void error_at(parser *p, size_t off, size_t len, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(&sb, fmt, ap);
    va_end(ap);
    p->on_error(p->ctx, off, len, sb.oom ? "out of memory" : strbuf_str(&sb));
    strbuf_free(&sb);
    p->errors++;
}

static void advance(parser *p)
{
    p->prev_end = p->tok.start + p->tok.len;
    p->tok = lexer_next(&p->lx);
    if (p->tok.kind == TOK_ERROR && !p->fatal) {
        error_at(p, p->tok.start, p->tok.len, "%s", p->tok.error);
        p->fatal = 1;
    }
}

static void syntax_error(parser *p, const char *expected)
{
    if (p->fatal)
        return;
    if (p->tok.kind == TOK_EOF)
        error_at(p, p->tok.start, 1, "expected %s at the end of the expression", expected);
    else
        error_at(p, p->tok.start, p->tok.len, "expected %s, found '%.*s'", expected,
                 (int)p->tok.len, p->lx.src + p->tok.start);
    p->fatal = 1;
}

static node *new_node(parser *p, opcode op, vtype type, int nargs)
{
    node *n = arena_alloc(p->a, sizeof *n);
    if (!n)
        goto oom;
    n->op = op;
    n->type = type;
    n->nargs = nargs;
    if (nargs) {
        n->args = arena_alloc(p->a, sizeof(node *) * (size_t)nargs);
        if (!n->args)
            goto oom;
    }
    return n;
oom:
    if (!p->fatal)
        error_at(p, 0, 0, "out of memory");
    p->fatal = 1;
    return NULL;
}

static node *parse_or(parser *p);

/* Checks operand types; reports a mismatch at [off, off+len). */
static int want(parser *p, const node *n, vtype t, size_t off, size_t len, const char *what)
{
    if (!n || n->type == VT_ANY || n->type == t)
        return 1;
    error_at(p, off, len, "%s needs a %s, found a %s", what, vtype_name(t), vtype_name(n->type));
    return 0;
}

static node *binary(parser *p, opcode op, vtype type, node *l, node *r)
{
    if (!l || !r)
        return NULL;
    node *n = new_node(p, op, type, 2);
    if (!n)
        return NULL;
    n->args[0] = l;
    n->args[1] = r;
    return n;
}

static int enter(parser *p)
{
    if (++p->depth > EXPR_MAX_DEPTH) {
        if (!p->fatal)
            error_at(p, p->tok.start, p->tok.len ? p->tok.len : 1,
                     "expression nested too deeply (the limit is %d levels)", EXPR_MAX_DEPTH);
        p->fatal = 1;
        return 0;
    }
    return 1;
}

static void add_ref(parser *p, int slot)
{
    for (size_t i = 0; i < p->nrefs; i++)
        if (p->refs[i] == slot)
            return;
    if (p->nrefs == p->refcap) {
        size_t ncap = p->refcap ? p->refcap * 2 : 8;
        int *n = arena_alloc(p->a, ncap * sizeof(int));
        if (!n) {
            p->fatal = 1;
            return;
        }
        if (p->nrefs)
            memcpy(n, p->refs, p->nrefs * sizeof(int));
        p->refs = n;
        p->refcap = ncap;
    }
    p->refs[p->nrefs++] = slot;
}

typedef struct func {
    const char *name;
    opcode op;
    int min_args, max_args;
} func;

static const func funcs[] = {
    {"min", OP_MIN, 2, 16}, {"max", OP_MAX, 2, 16}, {"abs", OP_ABS, 1, 1},
    {"known", OP_KNOWN, 1, 1}, {"if", OP_IF, 3, 3},
};

static node *parse_call(parser *p, token name)
{
    const func *f = NULL;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strlen(funcs[i].name) == name.len &&
            memcmp(funcs[i].name, p->lx.src + name.start, name.len) == 0)
            f = &funcs[i];
    if (!f) {
        error_at(p, name.start, name.len, "unknown function '%.*s' (known: min, max, abs, known, if)",
                 (int)name.len, p->lx.src + name.start);
        p->fatal = 1;
        return NULL;
    }
    advance(p); /* '(' */
    node *args[16];
    size_t off[16], len[16];
    int n = 0;
    if (p->tok.kind != TOK_RPAREN) {
        for (;;) {
            if (n == f->max_args) {
                error_at(p, p->tok.start, p->tok.len, "too many arguments to %s (at most %d)", f->name, f->max_args);
                p->fatal = 1;
                return NULL;
            }
            off[n] = p->tok.start;
            args[n] = parse_or(p);
            if (p->fatal)
                return NULL;
            len[n] = p->prev_end > off[n] ? p->prev_end - off[n] : 1;
            n++;
            if (p->tok.kind != TOK_COMMA)
                break;
            advance(p);
        }
    }
    if (p->tok.kind != TOK_RPAREN) {
        syntax_error(p, "',' or ')'");
        return NULL;
    }
    size_t end = p->tok.start + 1;
    advance(p);
    if (n < f->min_args) {
        error_at(p, name.start, end - name.start, "%s takes %s%d argument%s, found %d", f->name,
                 f->min_args == f->max_args ? "" : "at least ", f->min_args, f->min_args == 1 ? "" : "s", n);
        return NULL;
    }
    vtype type = VT_NUM;
    switch (f->op) {
    case OP_MIN: case OP_MAX: case OP_ABS:
        for (int i = 0; i < n; i++)
            want(p, args[i], VT_NUM, off[i], len[i], f->name);
        break;
    case OP_KNOWN:
        type = VT_BOOL;
        break;
    case OP_IF:
        want(p, args[0], VT_BOOL, off[0], len[0], "the condition of if");
        type = args[1] ? args[1]->type : VT_ANY;
        if (type == VT_ANY && args[2])
            type = args[2]->type;
        if (args[1] && args[2] && args[1]->type != VT_ANY && args[2]->type != VT_ANY &&
            args[1]->type != args[2]->type)
            error_at(p, off[2], len[2], "both branches of if must have one type, found %s and %s",
                     vtype_name(args[1]->type), vtype_name(args[2]->type));
        break;
    default:
        break;
    }
    for (int i = 0; i < n; i++)
        if (!args[i])
            return NULL;
    node *call = new_node(p, f->op, type, n);
    if (!call)
        return NULL;
    memcpy(call->args, args, sizeof(node *) * (size_t)n);
    return call;
}

static node *parse_primary(parser *p)
{
    token t = p->tok;
    node *n;
    switch (t.kind) {
    case TOK_NUMBER:
        advance(p);
        if ((n = new_node(p, OP_NUM, VT_NUM, 0)))
            n->num = t.num;
        return n;
    case TOK_TRUE:
    case TOK_FALSE:
        advance(p);
        if ((n = new_node(p, OP_BOOL, VT_BOOL, 0)))
            n->num = t.kind == TOK_TRUE;
        return n;
    case TOK_STRING:
        advance(p);
        if ((n = new_node(p, OP_STR, VT_TEXT, 0))) {
            n->str = p->lx.src + t.start + 1;
            n->slen = t.len - 2;
            n->str = arena_strndup(p->a, n->str, n->slen);
            if (!n->str)
                p->fatal = 1;
        }
        return n;
    case TOK_LPAREN: {
        advance(p);
        n = parse_or(p);
        if (p->fatal)
            return NULL;
        if (p->tok.kind != TOK_RPAREN) {
            syntax_error(p, "')'");
            return NULL;
        }
        advance(p);
        return n;
    }
    case TOK_IDENT: {
        advance(p);
        if (p->tok.kind == TOK_LPAREN)
            return parse_call(p, t);
        expr_symbol sym;
        if (!p->resolve(p->ctx, p->lx.src + t.start, t.len, &sym)) {
            error_at(p, t.start, t.len, "unknown name '%.*s' (not an indicator, parameter, derived value or aggregate this expression can see)",
                     (int)t.len, p->lx.src + t.start);
            /* keep parsing with a placeholder of any type */
            return new_node(p, OP_BOOL, VT_ANY, 0);
        }
        if ((n = new_node(p, OP_SLOT, sym.type, 0))) {
            n->slot = sym.slot;
            add_ref(p, sym.slot);
        }
        return n;
    }
    default:
        syntax_error(p, "a number, a name or '('");
        return NULL;
    }
}

static node *parse_unary(parser *p)
{
    if (p->tok.kind == TOK_MINUS) {
        token op = p->tok;
        if (!enter(p))
            return NULL;
        advance(p);
        size_t off = p->tok.start;
        node *a = parse_unary(p);
        p->depth--;
        if (p->fatal)
            return NULL;
        want(p, a, VT_NUM, off, p->prev_end - off, "'-'");
        (void)op;
        node *n = a ? new_node(p, OP_NEG, VT_NUM, 1) : NULL;
        if (n)
            n->args[0] = a;
        return n;
    }
    return parse_primary(p);
}

static node *parse_prod(parser *p)
{
    size_t off = p->tok.start;
    node *l = parse_unary(p);
    while (!p->fatal && (p->tok.kind == TOK_STAR || p->tok.kind == TOK_SLASH)) {
        opcode op = p->tok.kind == TOK_STAR ? OP_MUL : OP_DIV;
        size_t loff = off, llen = p->prev_end - off;
        advance(p);
        size_t roff = p->tok.start;
        node *r = parse_unary(p);
        if (p->fatal)
            return NULL;
        want(p, l, VT_NUM, loff, llen, op == OP_MUL ? "'*'" : "'/'");
        want(p, r, VT_NUM, roff, p->prev_end - roff, op == OP_MUL ? "'*'" : "'/'");
        l = binary(p, op, VT_NUM, l, r);
    }
    return l;
}

static node *parse_sum(parser *p)
{
    size_t off = p->tok.start;
    node *l = parse_prod(p);
    while (!p->fatal && (p->tok.kind == TOK_PLUS || p->tok.kind == TOK_MINUS)) {
        opcode op = p->tok.kind == TOK_PLUS ? OP_ADD : OP_SUB;
        size_t loff = off, llen = p->prev_end - off;
        advance(p);
        size_t roff = p->tok.start;
        node *r = parse_prod(p);
        if (p->fatal)
            return NULL;
        want(p, l, VT_NUM, loff, llen, op == OP_ADD ? "'+'" : "'-'");
        want(p, r, VT_NUM, roff, p->prev_end - roff, op == OP_ADD ? "'+'" : "'-'");
        l = binary(p, op, VT_NUM, l, r);
    }
    return l;
}

static int is_cmp(tok_kind k)
{
    return k == TOK_LT || k == TOK_LE || k == TOK_GT || k == TOK_GE || k == TOK_EQ || k == TOK_NE;
}

static node *parse_cmp(parser *p)
{
    size_t off = p->tok.start;
    node *l = parse_sum(p);
    if (p->fatal || !is_cmp(p->tok.kind))
        return l;
    token opt = p->tok;
    size_t llen = p->prev_end - off;
    advance(p);
    size_t roff = p->tok.start;
    node *r = parse_sum(p);
    if (p->fatal)
        return NULL;
    size_t rlen = p->prev_end > roff ? p->prev_end - roff : 1;
    if (is_cmp(p->tok.kind)) {
        error_at(p, p->tok.start, p->tok.len, "comparisons do not chain: write 'a < b and b < c'");
        p->fatal = 1;
        return NULL;
    }
    static const opcode ops[] = {[TOK_LT] = OP_LT, [TOK_LE] = OP_LE, [TOK_GT] = OP_GT,
                                 [TOK_GE] = OP_GE, [TOK_EQ] = OP_EQ, [TOK_NE] = OP_NE};
    opcode op = ops[opt.kind];
    if (op == OP_EQ || op == OP_NE) {
        if (l && r && l->type != VT_ANY && r->type != VT_ANY && l->type != r->type)
            error_at(p, off, p->prev_end - off, "cannot compare a %s with a %s",
                     vtype_name(l->type), vtype_name(r->type));
    } else {
        want(p, l, VT_NUM, off, llen, tok_names[opt.kind]);
        want(p, r, VT_NUM, roff, rlen, tok_names[opt.kind]);
    }
    return binary(p, op, VT_BOOL, l, r);
}

static node *parse_not(parser *p)
{
    if (p->tok.kind == TOK_NOT) {
        if (!enter(p))
            return NULL;
        advance(p);
        size_t off = p->tok.start;
        node *a = parse_not(p);
        p->depth--;
        if (p->fatal)
            return NULL;
        want(p, a, VT_BOOL, off, p->prev_end > off ? p->prev_end - off : 1, "'not'");
        node *n = a ? new_node(p, OP_NOT, VT_BOOL, 1) : NULL;
        if (n)
            n->args[0] = a;
        return n;
    }
    return parse_cmp(p);
}

static node *parse_and(parser *p)
{
    size_t off = p->tok.start;
    node *l = parse_not(p);
    while (!p->fatal && p->tok.kind == TOK_AND) {
        size_t llen = p->prev_end - off;
        advance(p);
        size_t roff = p->tok.start;
        node *r = parse_not(p);
        if (p->fatal)
            return NULL;
        want(p, l, VT_BOOL, off, llen, "'and'");
        want(p, r, VT_BOOL, roff, p->prev_end > roff ? p->prev_end - roff : 1, "'and'");
        l = binary(p, OP_AND, VT_BOOL, l, r);
        off = roff;
    }
    return l;
}

static node *parse_or(parser *p)
{
    if (!enter(p))
        return NULL;
    size_t off = p->tok.start;
    node *l = parse_and(p);
    while (!p->fatal && p->tok.kind == TOK_OR) {
        size_t llen = p->prev_end - off;
        advance(p);
        size_t roff = p->tok.start;
        node *r = parse_and(p);
        if (p->fatal)
            break;
        want(p, l, VT_BOOL, off, llen, "'or'");
        want(p, r, VT_BOOL, roff, p->prev_end > roff ? p->prev_end - roff : 1, "'or'");
        l = binary(p, OP_OR, VT_BOOL, l, r);
        off = roff;
    }
    p->depth--;
    return p->fatal ? NULL : l;
}

expr *expr_compile(arena *a, const char *src, size_t len, expr_resolver resolve,
                   expr_error_fn on_error, void *ctx)
{
    parser p = {0};
    p.a = a;
    p.resolve = resolve;
    p.on_error = on_error;
    p.ctx = ctx;
    if (len > EXPR_MAX_LENGTH) {
        on_error(ctx, 0, 1, "expression too long (the limit is 4096 bytes)");
        return NULL;
    }
    lexer_init(&p.lx, src, len);
    advance(&p);
    if (p.tok.kind == TOK_EOF && !p.fatal) {
        on_error(ctx, 0, 1, "empty expression");
        return NULL;
    }
    node *root = parse_or(&p);
    if (!p.fatal && p.tok.kind != TOK_EOF)
        syntax_error(&p, "an operator or the end of the expression");
    if (p.errors || !root)
        return NULL;
    expr *e = arena_alloc(a, sizeof *e);
    if (!e) {
        on_error(ctx, 0, 0, "out of memory");
        return NULL;
    }
    e->root = root;
    e->refs = p.refs;
    e->nrefs = p.nrefs;
    return e;
}

vtype expr_type(const expr *e) { return e->root->type; }

size_t expr_refs(const expr *e, const int **slots)
{
    *slots = e->refs;
    return e->nrefs;
}

static value eval(const node *n, const value *slots);

static value first_unknown(value a, value b)
{
    return a.kind == V_UNKNOWN ? a : b;
}

static int text_eq(value a, value b)
{
    return a.len == b.len && memcmp(a.u.s, b.u.s, a.len) == 0;
}

static value compare(opcode op, value a, value b)
{
    if (a.kind == V_UNKNOWN || b.kind == V_UNKNOWN)
        return first_unknown(a, b);
    int eq;
    switch (a.kind) {
    case V_NUM:
        switch (op) {
        case OP_LT: return value_bool(a.u.num < b.u.num);
        case OP_LE: return value_bool(a.u.num <= b.u.num);
        case OP_GT: return value_bool(a.u.num > b.u.num);
        case OP_GE: return value_bool(a.u.num >= b.u.num);
        default: eq = a.u.num == b.u.num; break;
        }
        break;
    case V_BOOL: eq = a.u.b == b.u.b; break;
    default: eq = text_eq(a, b); break;
    }
    return value_bool(op == OP_EQ ? eq : !eq);
}

/* Leaves (a column or a constant) are most operands: they are read here
 * without a call; anything else recurses. */
static inline value operand(const node *n, const value *slots)
{
    if (n->op == OP_SLOT)
        return slots[n->slot];
    if (n->op == OP_NUM)
        return value_num(n->num);
    return eval(n, slots);
}

static value eval(const node *n, const value *slots)
{
    value a, b;
    switch (n->op) {
    case OP_NUM: return value_num(n->num);
    case OP_BOOL: return value_bool(n->num != 0);
    case OP_STR: return value_text(n->str, n->slen);
    case OP_SLOT: return slots[n->slot];
    case OP_NEG:
        a = operand(n->args[0], slots);
        return a.kind == V_UNKNOWN ? a : value_num(-a.u.num);
    case OP_NOT:
        a = operand(n->args[0], slots);
        return a.kind == V_UNKNOWN ? a : value_bool(!a.u.b);
    case OP_ADD: case OP_SUB: case OP_MUL: case OP_DIV:
        a = operand(n->args[0], slots);
        b = operand(n->args[1], slots);
        if (a.kind == V_UNKNOWN || b.kind == V_UNKNOWN)
            return first_unknown(a, b);
        switch (n->op) {
        case OP_ADD: return value_num(a.u.num + b.u.num);
        case OP_SUB: return value_num(a.u.num - b.u.num);
        case OP_MUL: return value_num(a.u.num * b.u.num);
        default:
            if (b.u.num == 0)
                return value_unknown(WHY_DIV_ZERO);
            return value_num(a.u.num / b.u.num);
        }
    case OP_LT: case OP_LE: case OP_GT: case OP_GE: case OP_EQ: case OP_NE:
        return compare(n->op, operand(n->args[0], slots), operand(n->args[1], slots));
    case OP_AND:
        a = operand(n->args[0], slots);
        if (a.kind == V_BOOL && !a.u.b)
            return a;
        b = operand(n->args[1], slots);
        if (b.kind == V_BOOL && !b.u.b)
            return b;
        return first_unknown(a, b);
    case OP_OR:
        a = operand(n->args[0], slots);
        if (a.kind == V_BOOL && a.u.b)
            return a;
        b = operand(n->args[1], slots);
        if (b.kind == V_BOOL && b.u.b)
            return b;
        return first_unknown(a, b);
    case OP_MIN: case OP_MAX: {
        value best = operand(n->args[0], slots);
        for (int i = 1; i < n->nargs && best.kind != V_UNKNOWN; i++) {
            b = operand(n->args[i], slots);
            if (b.kind == V_UNKNOWN)
                return b;
            if (n->op == OP_MIN ? b.u.num < best.u.num : b.u.num > best.u.num)
                best = b;
        }
        return best;
    }
    case OP_ABS:
        a = operand(n->args[0], slots);
        return a.kind == V_UNKNOWN ? a : value_num(fabs(a.u.num));
    case OP_KNOWN:
        return value_bool(operand(n->args[0], slots).kind != V_UNKNOWN);
    case OP_IF:
        a = operand(n->args[0], slots);
        if (a.kind == V_UNKNOWN)
            return a;
        return operand(n->args[a.u.b ? 1 : 2], slots);
    }
    return value_unknown(WHY_INVALID);
}

value expr_eval(const expr *e, const value *slots) { return eval(e->root, slots); }
