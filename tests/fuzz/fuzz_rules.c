/*
 * fuzz_rules.c - libFuzzer target: rule pack files -> rules_load.
 *
 * The input is one or more YAML files. Without a separator line the whole
 * input is f1.yaml, included by a fixed pack.yaml that declares the Gansu
 * levels (county > village > household), so a level file of the Gansu pack
 * is a good seed. With separator lines "#%%" the first part is pack.yaml
 * and the following parts are f1.yaml ... f8.yaml, so a whole pack (whose
 * pack.yaml includes f1.yaml...) is one input.
 *
 * When the pack loads, its invariants are checked (slot layout, every
 * expression compiled with the right type and reading only slots of its
 * level) and it is run against the small Gansu data set of the fixtures,
 * with every report written to /dev/null: the evaluator meets the rules the
 * fuzzer makes. When it does not load, an error must have been recorded.
 */
#include "check.h"
#include "diag.h"
#include "expr.h"
#include "report.h"
#include "rules.h"

#include "fuzz_util.h"

#include <sys/stat.h>

enum { MAX_PARTS = 9 };

static const char fixed_pack[] =
    "pack:\n"
    "  id: fuzz\n"
    "  version: \"0\"\n"
    "  title: {en: Fuzz, zh: 模糊}\n"
    "include: [f1.yaml]\n"
    "levels:\n"
    "  - id: county\n"
    "    key: county_id\n"
    "    name: county_name\n"
    "    year: year\n"
    "    claim: claimed_exit\n"
    "    file: county.csv\n"
    "  - id: village\n"
    "    parent: county\n"
    "    parent_key: county_id\n"
    "    key: village_id\n"
    "    name: village_name\n"
    "    year: year\n"
    "    claim: claimed_exit\n"
    "    file: village.csv\n"
    "  - id: household\n"
    "    parent: village\n"
    "    parent_key: village_id\n"
    "    key: household_id\n"
    "    year: year\n"
    "    claim: claimed_exit\n"
    "    file: household.csv\n";

static char datadir[4096];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    snprintf(datadir, sizeof datadir, "%s/fixtures/cases/small-json/data", fuzz_srcdir());
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("/dev/null");
        exit(1);
    }
    fuzz_scratch();
    return 0;
}

static void check_expr(const rule_level *lv, const expr *e, vtype want, const char *what)
{
    if (!e)
        return;
    if (want != VT_ANY)
        FUZZ_CHECK(expr_type(e) == want, "%s of level %s has type %s, not %s", what, lv->id, vtype_name(expr_type(e)),
                   vtype_name(want));
    const int *refs;
    size_t n = expr_refs(e, &refs);
    for (size_t i = 0; i < n; i++)
        FUZZ_CHECK(refs[i] >= 0 && (size_t)refs[i] < lv->nslots, "%s of level %s reads slot %d of %zu", what, lv->id,
                   refs[i], lv->nslots);
}

/* What rules.h promises of a loaded pack. */
static void check_ruleset(ruleset *rs)
{
    size_t nl = rules_nlevels(rs), np = rules_nparams(rs);
    FUZZ_CHECK(nl >= 1 && nl <= 8, "%zu levels", nl);
    for (size_t i = 0; i < nl; i++) {
        const rule_level *lv = rules_level(rs, i);
        FUZZ_CHECK(lv->index == (int)i, "level %zu has index %d", i, lv->index);
        FUZZ_CHECK(lv->key >= 0 && (size_t)lv->key < lv->nind, "level %s: key %d of %zu indicators", lv->id, lv->key,
                   lv->nind);
        FUZZ_CHECK(lv->param_base == (int)lv->nind && lv->derived_base == lv->param_base + (int)np &&
                       lv->agg_base == lv->derived_base + (int)lv->nderived &&
                       lv->verdict_base == lv->agg_base + (int)lv->nagg &&
                       lv->nslots == (size_t)lv->verdict_base + VERDICT__COUNT,
                   "level %s: slot layout", lv->id);
        FUZZ_CHECK(i == 0 ? lv->parent < 0 : lv->parent == (int)i - 1, "level %s has parent %d", lv->id, lv->parent);
        if (lv->parent >= 0)
            FUZZ_CHECK(rules_level(rs, (size_t)lv->parent)->child == (int)i, "level %s: parent's child", lv->id);
        for (size_t s = 0; s < lv->nslots; s++)
            FUZZ_CHECK(rules_slot_name(rs, lv, (int)s) != NULL, "level %s: slot %zu has no name", lv->id, s);
        for (size_t t = 0; t < lv->ntargets; t++) {
            const rule_target *tg = &lv->targets[t];
            FUZZ_CHECK(tg->e != NULL, "target %s of level %s not compiled", tg->id, lv->id);
            check_expr(lv, tg->e, VT_BOOL, "a target");
            const rule_level *found_lv = NULL;
            FUZZ_CHECK(rules_find_target(rs, tg->id, &found_lv) != NULL, "target %s not found by id", tg->id);
        }
        for (size_t k = 0; k < lv->nderived; k++) {
            const rule_derived *dv = &lv->derived[k];
            FUZZ_CHECK((dv->e != NULL) != (dv->ncases != 0), "derived %s of level %s: expr and cases", dv->id, lv->id);
            check_expr(lv, dv->e, VT_ANY, "a derived value");
            for (size_t c = 0; c < dv->ncases; c++) {
                FUZZ_CHECK(dv->cases[c].value != NULL, "derived %s: case %zu has no value", dv->id, c);
                check_expr(lv, dv->cases[c].when, VT_BOOL, "the 'when' of a case");
                check_expr(lv, dv->cases[c].value, dv->type, "a case value");
            }
        }
        for (size_t k = 0; k < lv->nrecompute; k++) {
            const rule_recompute *rc = &lv->recompute[k];
            FUZZ_CHECK(rc->indicator >= 0 && (size_t)rc->indicator < lv->nind && rc->e, "recompute %zu of level %s",
                       k, lv->id);
            check_expr(lv, rc->e, VT_NUM, "a recomputation");
        }
        for (size_t k = 0; k < lv->nagg; k++) {
            const rule_aggregate *ag = &lv->agg[k];
            FUZZ_CHECK(ag->of > (int)i && (size_t)ag->of < nl, "aggregate %s of level %s runs over level %d", ag->id,
                       lv->id, ag->of);
            const rule_level *child = rules_level(rs, (size_t)ag->of);
            check_expr(child, ag->where, VT_BOOL, "the 'where' of an aggregate");
            if (ag->kind != AGG_COUNT) {
                FUZZ_CHECK(ag->value != NULL, "aggregate %s has no value", ag->id);
                check_expr(child, ag->value, VT_NUM, "an aggregated value");
            }
        }
    }
    for (size_t p = 0; p < np; p++) {
        const rule_param *prm = rules_param(rs, p);
        for (size_t k = 0; k < prm->nvalues; k++) {
            value v = rules_param_value(prm, 1, prm->values[k].year, NULL);
            FUZZ_CHECK(v.kind == V_NUM, "parameter %s has no value for its own year %d", prm->id,
                       prm->values[k].year);
        }
        (void)rules_param_value(prm, 0, 0, NULL);
    }
    for (size_t f = 0; f < rules_nfiles(rs); f++)
        FUZZ_CHECK(strlen(rules_file(rs, f)->sha256) == 64, "file %zu has no digest", f);
}

/* Runs the pack on the fixture tables its levels name (plain names only). */
static void run_pack(ruleset *rs)
{
    diag_list *d = diag_new();
    if (!d)
        return;
    check_input inputs[8] = {{0}};
    char paths[8][4400];
    int any = 0;
    for (size_t i = 0; i < rules_nlevels(rs) && i < 8; i++) {
        const rule_level *lv = rules_level(rs, i);
        struct stat st;
        if (!lv->file || strchr(lv->file, '/') || lv->file[0] == '.' || !lv->file[0])
            continue;
        snprintf(paths[i], sizeof paths[i], "%s/%s", datadir, lv->file);
        if (stat(paths[i], &st) == 0 && S_ISREG(st.st_mode)) {
            inputs[i].path = paths[i];
            any = 1;
        }
    }
    if (any) {
        checker *c = check_new(rs, d);
        if (c) {
            table_opts opts = {ENC_AUTO, 1};
            check_run(c, inputs, &opts);
            report_facts *facts = report_facts_new(rs, c, check_verdict(c) ? EXIT_CLAIMS_FAIL : EXIT_OK);
            if (facts) {
                report_ctx r = {rs, c, d, facts, {0, 1, 0, 0}, FMT_TEXT};
                report_json(&r, devnull);
                report_text(&r, devnull);
                report_facts_free(&facts);
            }
            check_free(&c);
        }
    }
    fuzz_format_diags(d);
    diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t start[MAX_PARTS + 1], end[MAX_PARTS + 1];
    size_t nparts = 0, from = 0;
    /* split at lines "#%%" */
    for (size_t i = 0; i + 4 <= size && nparts < MAX_PARTS; i++) {
        if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "#%%\n", 4) == 0) {
            start[nparts] = from;
            end[nparts] = i;
            nparts++;
            from = i + 4;
            i += 3;
        }
    }
    char path[4400];
    char name[32];
    int written[MAX_PARTS + 1] = {0};
    if (nparts == 0) {
        fuzz_write("pack.yaml", fixed_pack, sizeof fixed_pack - 1, path, sizeof path);
        fuzz_write("f1.yaml", data, size, path, sizeof path);
        written[1] = 1;
    } else {
        start[nparts] = from;
        end[nparts] = size;
        nparts++;
        fuzz_write("pack.yaml", s + start[0], end[0] - start[0], path, sizeof path);
        for (size_t k = 1; k < nparts; k++) {
            snprintf(name, sizeof name, "f%zu.yaml", k);
            fuzz_write(name, s + start[k], end[k] - start[k], path, sizeof path);
            written[k] = 1;
        }
    }
    for (int k = 1; k <= MAX_PARTS; k++)
        if (!written[k]) {
            snprintf(name, sizeof name, "f%d.yaml", k);
            fuzz_remove(name);
        }

    diag_list *d = diag_new();
    if (!d)
        return 0;
    ruleset *rs = rules_load(fuzz_scratch(), d);
    if (rs) {
        check_ruleset(rs);
        run_pack(rs);
        /* an unknown parameter is an error with a message, and changes nothing */
        size_t before = diag_errors(d);
        FUZZ_CHECK(rules_set_param(rs, "no such parameter", 1, d) == -1 && diag_errors(d) == before + 1,
                   "rules_set_param accepted an unknown parameter");
        rules_free(&rs);
        FUZZ_CHECK(rs == NULL, "rules_free left the pointer set");
    } else {
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "rules_load returned NULL without an error");
    }
    fuzz_format_diags(d);
    diag_free(&d);
    return 0;
}
