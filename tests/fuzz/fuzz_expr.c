/*
 * fuzz_expr.c - libFuzzer target: a requirement expression -> expr_compile
 * -> expr_eval over several rows of values.
 *
 * The resolver knows every name the Gansu pack gives its levels (read from
 * rules/gansu once at start-up, with the pack's types) plus single letters:
 * a-h numbers, p-r booleans, s-u texts; anything else is an unknown name.
 * Each compiled expression is evaluated against rows of ordinary values,
 * all-unknown rows (every reason), a mixed row and a row of extremes
 * (0, -0, huge, tiny, infinities and NaN, as arithmetic can produce them).
 *
 * Checked: a failed compilation reported at least one error; every error
 * span lies in the source (or just past its end); a compiled expression
 * reads only slots the resolver gave out; a result is UNKNOWN or of the
 * expression's static type (expr.h: evaluation cannot meet a type error).
 */
#include "diag.h"
#include "expr.h"
#include "mem.h"
#include "rules.h"

#include "fuzz_util.h"

#include <math.h>

enum { MAX_NAMES = 1024, NROWS = 12 };

typedef struct name_entry {
    char *name;
    vtype type;
} name_entry;

static name_entry names[MAX_NAMES];
static int nnames;
static value rows[NROWS][MAX_NAMES];

static void add_name(const char *name, vtype type)
{
    for (int i = 0; i < nnames; i++)
        if (strcmp(names[i].name, name) == 0)
            return;
    if (nnames == MAX_NAMES)
        return;
    names[nnames].name = strdup(name);
    names[nnames].type = type;
    nnames++;
}

static vtype slot_type(const ruleset *rs, const rule_level *lv, int s)
{
    if (s < (int)lv->nind)
        return lv->ind[s].type == IND_BOOL ? VT_BOOL : lv->ind[s].type == IND_TEXT ? VT_TEXT : VT_NUM;
    if (s < lv->derived_base)
        return VT_NUM;
    if (s < lv->agg_base)
        return lv->derived[s - lv->derived_base].type;
    if (s < lv->verdict_base)
        return VT_NUM;
    (void)rs;
    return VT_BOOL;
}

static const char *const texts[] = {"", "yes", "a", "农业", "\xff\xfe", "long text with spaces"};

static value sample(vtype t, int row, int i)
{
    static const double nums[] = {0, 1, -1, 96, 2952.5, 1e-300, 4.9e-324, 1e308, -1e308, 100, 0.1, 7000};
    static const double extremes[] = {0, -0.0, INFINITY, -INFINITY, NAN, 1e308, -1e308, 4.9e-324, 9007199254740993.0};
    int k = row * 7 + i;
    switch (row) {
    case 0: case 1: case 2: case 3: /* every value known */
        break;
    case 4: case 5: case 6: case 7: case 8: case 9: /* all unknown, one reason per row */
        return value_unknown((vwhy)(WHY_MISSING + (row - 4)));
    case 10: /* mixed */
        if (i % 3 == 0)
            return value_unknown((vwhy)(1 + i % (WHY__COUNT - 1)));
        break;
    default: /* extremes */
        if (t == VT_NUM)
            return value_num(extremes[(size_t)k % (sizeof extremes / sizeof extremes[0])]);
        break;
    }
    switch (t) {
    case VT_NUM: return value_num(nums[(size_t)k % (sizeof nums / sizeof nums[0])]);
    case VT_BOOL: return value_bool(k & 1);
    default: {
        const char *s = texts[(size_t)k % (sizeof texts / sizeof texts[0])];
        return value_text(s, strlen(s));
    }
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4200];
    snprintf(path, sizeof path, "%s/rules/gansu", fuzz_srcdir());
    diag_list *d = diag_new();
    ruleset *rs = rules_load(path, d);
    if (!rs) {
        fprintf(stderr, "fuzz_expr: cannot load %s (set EXITCHECK_SRCDIR to the source tree)\n", path);
        exit(1);
    }
    for (size_t i = 0; i < rules_nlevels(rs); i++) {
        const rule_level *lv = rules_level(rs, i);
        for (size_t s = 0; s < lv->nslots; s++)
            add_name(rules_slot_name(rs, lv, (int)s), slot_type(rs, lv, (int)s));
    }
    rules_free(&rs);
    diag_free(&d);
    for (char c = 'a'; c <= 'h'; c++)
        add_name((char[]){c, 0}, VT_NUM);
    for (char c = 'p'; c <= 'r'; c++)
        add_name((char[]){c, 0}, VT_BOOL);
    for (char c = 's'; c <= 'u'; c++)
        add_name((char[]){c, 0}, VT_TEXT);
    for (int r = 0; r < NROWS; r++)
        for (int i = 0; i < nnames; i++)
            rows[r][i] = sample(names[i].type, r, i);
    return 0;
}

static int resolve(void *ctx, const char *name, size_t len, expr_symbol *out)
{
    (void)ctx;
    for (int i = 0; i < nnames; i++)
        if (strlen(names[i].name) == len && memcmp(names[i].name, name, len) == 0) {
            out->slot = i;
            out->type = names[i].type;
            return 1;
        }
    return 0;
}

typedef struct errs {
    size_t srclen;
    int n;
} errs;

static void on_error(void *ctx, size_t offset, size_t len, const char *message)
{
    errs *e = ctx;
    FUZZ_CHECK(message && *message, "an error without a message");
    FUZZ_CHECK(offset <= e->srclen && offset + len <= e->srclen + 1,
               "error '%s' at [%zu, +%zu) outside a source of %zu bytes", message, offset, len, e->srclen);
    e->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    arena *a = arena_new();
    if (!a)
        return 0;
    errs e = {size, 0};
    expr *x = expr_compile(a, (const char *)data, size, resolve, on_error, &e);
    if (!x) {
        FUZZ_CHECK(e.n > 0, "compilation failed without an error");
    } else {
        FUZZ_CHECK(e.n == 0, "compiled, yet %d errors were reported", e.n);
        vtype t = expr_type(x);
        FUZZ_CHECK(t != VT_ANY, "a compiled expression of type any");
        const int *refs;
        size_t nrefs = expr_refs(x, &refs);
        for (size_t i = 0; i < nrefs; i++) {
            FUZZ_CHECK(refs[i] >= 0 && refs[i] < nnames, "reads slot %d of %d", refs[i], nnames);
            for (size_t j = 0; j < i; j++)
                FUZZ_CHECK(refs[i] != refs[j], "slot %d listed twice", refs[i]);
        }
        for (int r = 0; r < NROWS; r++) {
            value v = expr_eval(x, rows[r]);
            if (v.kind == V_UNKNOWN) {
                FUZZ_CHECK(v.why > WHY_NONE && v.why < WHY__COUNT, "unknown with reason %d", v.why);
                continue;
            }
            int ok = (t == VT_NUM && v.kind == V_NUM) || (t == VT_BOOL && v.kind == V_BOOL) ||
                     (t == VT_TEXT && v.kind == V_TEXT);
            FUZZ_CHECK(ok, "an expression of type %s gave a value of kind %d (row %d)", vtype_name(t), v.kind, r);
            if (v.kind == V_BOOL)
                FUZZ_CHECK(v.u.b == 0 || v.u.b == 1, "boolean %d", v.u.b);
        }
    }
    arena_free(&a);
    return 0;
}
