/*
 * fuzz_plan.c - libFuzzer target: a sampling plan (YAML) -> plan_load ->
 * plan_bind against the Gansu pack (loaded once), and, for a plan that
 * binds, a draw of the hand-worked frame (fixtures/sample/hand) with its
 * manifest, form and every report format written to /dev/null.
 *
 * The input is the whole plan file. Checked besides crashes, leaks and UB:
 * plan_load returns NULL, and plan_bind -1, only with an error recorded;
 * a bound plan keeps what plan.h promises (strata in both stages with
 * identifier ids unique in their stage, take positive or all, pps with a
 * positive take and a numeric size column, every `where` a bool reading
 * slots of its stage, the slot layout); plan_stratum_of gives -1 or a
 * stratum on rows of every kind of unknown; the draw accounts for its
 * units (drawn <= units, pi in (0, 1], weight 1 / pi) and gives the same
 * units when run twice.
 */
#include "diag.h"
#include "expr.h"
#include "plan.h"
#include "report.h"
#include "report_sample.h"
#include "rules.h"
#include "sample.h"
#include "sample_write.h"
#include "table.h"

#include "fuzz_util.h"

static ruleset *gansu;
static FILE *devnull;
static char village_csv[4400], household_csv[4400];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4400];
    snprintf(path, sizeof path, "%s/rules/gansu", fuzz_srcdir());
    diag_list *d = diag_new();
    gansu = d ? rules_load(path, d) : NULL;
    if (!gansu) {
        fprintf(stderr, "fuzz_plan: cannot load %s\n", path);
        exit(1);
    }
    diag_free(&d);
    snprintf(village_csv, sizeof village_csv, "%s/fixtures/sample/hand/village.csv", fuzz_srcdir());
    snprintf(household_csv, sizeof household_csv, "%s/fixtures/sample/hand/household.csv", fuzz_srcdir());
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("/dev/null");
        exit(1);
    }
    fuzz_scratch();
    return 0;
}

static int is_ident(const char *s)
{
    if (!s || !*s || (*s >= '0' && *s <= '9'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* What plan.h promises of a plan that binds. */
static void check_plan(const plan *p)
{
    FUZZ_CHECK(plan_id(p) != NULL, "a bound plan has no id");
    FUZZ_CHECK(strlen(plan_sha256(p)) == 64, "the plan's digest is '%s'", plan_sha256(p));
    for (int s = 0; s < PLAN__STAGES; s++) {
        const plan_stage *sg = plan_get_stage(p, (plan_stage_id)s);
        const rule_level *v = sg->view;
        FUZZ_CHECK(v != NULL, "stage %d has no view", s);
        FUZZ_CHECK(sg->level == (int)rules_nlevels(gansu) - 2 + s, "stage %d draws level %d", s, sg->level);
        const rule_level *lv = rules_level(gansu, (size_t)sg->level);
        FUZZ_CHECK(v->nind >= lv->nind, "stage %d: the view has %zu columns, the level %zu", s, v->nind, lv->nind);
        FUZZ_CHECK(sg->state_base == (int)v->nind && sg->param_base == sg->state_base + PSTATE__COUNT &&
                       sg->nslots == (size_t)sg->param_base + rules_nparams(gansu),
                   "stage %d: slot layout", s);
        FUZZ_CHECK(sg->nstrata > 0, "stage %d has no stratum", s);
        FUZZ_CHECK(sg->nparams_read <= rules_nparams(gansu), "stage %d reads %zu parameters", s, sg->nparams_read);
        for (size_t i = 0; i < sg->nparams_read; i++)
            FUZZ_CHECK(sg->params[i] >= sg->param_base && (size_t)sg->params[i] < sg->nslots,
                       "stage %d: parameter slot %d", s, sg->params[i]);
        for (size_t k = 0; k < sg->nstrata; k++) {
            const plan_stratum *st = &sg->strata[k];
            FUZZ_CHECK(is_ident(st->id), "stratum %zu of stage %d has id '%s'", k, s, st->id ? st->id : "(null)");
            for (size_t j = 0; j < k; j++)
                FUZZ_CHECK(strcmp(sg->strata[j].id, st->id) != 0, "stage %d: two strata '%s'", s, st->id);
            FUZZ_CHECK(st->take > 0 || st->take == PLAN_TAKE_ALL, "stratum %s: take %ld", st->id, st->take);
            if (st->method == PLAN_PPS) {
                FUZZ_CHECK(st->take > 0, "pps stratum %s takes %ld", st->id, st->take);
                FUZZ_CHECK(st->size >= 0 && (size_t)st->size < v->nind, "pps stratum %s: size slot %d", st->id,
                           st->size);
                FUZZ_CHECK(v->ind[st->size].type == IND_NUMBER || v->ind[st->size].type == IND_INTEGER,
                           "pps stratum %s: size column %s is not a number", st->id, v->ind[st->size].id);
            } else {
                FUZZ_CHECK(st->size == -1 && !st->size_name, "srs stratum %s has a size", st->id);
            }
            FUZZ_CHECK((st->where != NULL) == (st->where_text != NULL), "stratum %s: where compiled iff given",
                       st->id);
            if (st->where) {
                FUZZ_CHECK(expr_type(st->where) == VT_BOOL, "stratum %s: where is a %s", st->id,
                           vtype_name(expr_type(st->where)));
                const int *refs;
                size_t n = expr_refs(st->where, &refs);
                for (size_t i = 0; i < n; i++)
                    FUZZ_CHECK(refs[i] >= 0 && (size_t)refs[i] < sg->nslots, "stratum %s reads slot %d of %zu",
                               st->id, refs[i], sg->nslots);
            }
        }
    }
}

/* plan_stratum_of on rows of every kind: all unknown for each reason,
 * then a mix of known values. */
static void check_rows(const plan *p)
{
    for (int s = 0; s < PLAN__STAGES; s++) {
        const plan_stage *sg = plan_get_stage(p, (plan_stage_id)s);
        value *slots = calloc(sg->nslots + 1, sizeof *slots);
        if (!slots)
            return;
        for (int round = 0; round < WHY__COUNT + 2; round++) {
            for (size_t i = 0; i < sg->view->nind; i++) {
                const rule_indicator *ind = &sg->view->ind[i];
                if (round < WHY__COUNT)
                    slots[i] = value_unknown((vwhy)(round ? round : WHY_MISSING));
                else if (ind->type == IND_TEXT)
                    slots[i] = value_text("x1", 2);
                else if (ind->type == IND_BOOL)
                    slots[i] = value_bool(round & 1 ? (int)(i & 1) : 1);
                else
                    slots[i] = value_num(round & 1 ? 2017 : (double)i - 3);
            }
            plan_unit_slots(p, (plan_stage_id)s, slots);
            for (int k = 0; k < PSTATE__COUNT; k++) {
                const value *v = &slots[sg->state_base + k];
                FUZZ_CHECK(v->kind == V_BOOL || v->kind == V_UNKNOWN, "state %s has kind %d", plan_state_names[k],
                           v->kind);
            }
            int k = plan_stratum_of(p, (plan_stage_id)s, slots);
            FUZZ_CHECK(k >= -1 && k < (int)sg->nstrata, "stage %d: stratum %d of %zu", s, k, sg->nstrata);
        }
        free(slots);
    }
}

static void unit_ok(const sample_unit *u, size_t n, const char *what)
{
    for (size_t i = 0; i < n; i++) {
        FUZZ_CHECK(u[i].id && u[i].parent && u[i].county, "%s %zu: no id", what, i);
        FUZZ_CHECK(u[i].pi > 0 && u[i].pi <= 1, "%s %s: pi %.17g", what, u[i].id, u[i].pi);
        FUZZ_CHECK(u[i].weight == 1.0 / u[i].pi, "%s %s: weight %.17g, pi %.17g", what, u[i].id, u[i].weight,
                   u[i].pi);
    }
}

/* The hand-worked frame drawn with the plan; every output to /dev/null. */
static void draw(const plan *p, diag_list *d, const sample_unit **units, size_t *nunits, sampler **keep)
{
    sampler *s = sample_new(gansu, p, "fuzz", d);
    if (!s)
        return;
    table_opts opts = {ENC_AUTO, 1, 1, NULL, NULL, 0};
    sample_run(s, village_csv, household_csv, &opts);
    const sample_counts *c = sample_get_counts(s);
    for (int st = 0; st < PLAN__STAGES; st++) {
        const sample_unit *u;
        size_t n = sample_units(s, (plan_stage_id)st, &u);
        unit_ok(u, n, st ? "household" : "village");
        FUZZ_CHECK((long)n == c->drawn[st], "stage %d: %zu units, %ld drawn", st, n, c->drawn[st]);
        FUZZ_CHECK(c->no_stratum[st] + c->size_errors[st] <= c->units[st], "stage %d: more left out than units", st);
        const table_stats *ts = sample_stats(s, (plan_stage_id)st);
        if (ts && !ts->unread)
            FUZZ_SOFT("accounting", c->units[st] + ts->rows_rejected == ts->rows_read,
                      "stage %d: %ld units + %ld rejected != %ld read", st, c->units[st], ts->rows_rejected,
                      ts->rows_read);
    }
    FUZZ_CHECK(c->drawn[PLAN_VILLAGES] <= c->units[PLAN_VILLAGES], "more villages drawn than in the frame");
    FUZZ_SOFT("accounting", c->in_drawn_villages + c->orphans <= c->units[PLAN_HOUSEHOLDS], "households counted twice");
    const sample_cell *cells;
    size_t nc = sample_cells(s, &cells);
    for (size_t i = 0; i < nc; i++)
        FUZZ_CHECK(cells[i].drawn <= cells[i].population && cells[i].drawn >= 0, "cell %zu draws %ld of %ld", i,
                   cells[i].drawn, cells[i].population);
    sample_write_manifest(s, devnull);
    sample_write_form(s, devnull);
    static const report_format fmts[] = {FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML, FMT_MD};
    for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++) {
        sample_report_ctx r = {gansu, p, s, d, (int)(f & 1), 0, diag_errors(d) ? EXIT_ERROR : EXIT_OK, fmts[f]};
        sample_report_write(&r, devnull);
    }
    *units = NULL;
    *nunits = sample_units(s, PLAN_HOUSEHOLDS, units);
    *keep = s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4400];
    fuzz_write("plan.yaml", data, size, path, sizeof path);
    diag_list *d = diag_new();
    if (!d)
        return 0;
    plan *p = plan_load(path, d);
    if (!p) {
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "plan_load returned NULL without an error");
    } else {
        size_t before = diag_errors(d);
        int rc = plan_bind(p, gansu, d);
        if (rc) {
            FUZZ_CHECK(rc == -1, "plan_bind returned %d", rc);
            FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "plan_bind failed without an error");
        } else {
            FUZZ_CHECK(before == 0 && diag_errors(d) == 0, "plan_bind succeeded on a plan with %zu errors",
                       diag_errors(d));
            check_plan(p);
            check_rows(p);
            /* two draws of the same frame give the same households */
            const sample_unit *a = NULL, *b = NULL;
            size_t na = 0, nb = 0;
            sampler *s1 = NULL, *s2 = NULL;
            draw(p, d, &a, &na, &s1);
            draw(p, d, &b, &nb, &s2);
            if (s1 && s2) {
                FUZZ_CHECK(na == nb, "two draws: %zu and %zu households", na, nb);
                for (size_t i = 0; i < na; i++)
                    FUZZ_CHECK(!strcmp(a[i].id, b[i].id) && a[i].u == b[i].u && a[i].pi == b[i].pi,
                               "two draws differ at household %zu", i);
            }
            sample_free(&s1);
            sample_free(&s2);
        }
        (void)plan_sniff(path);
        plan_free(&p);
        FUZZ_CHECK(p == NULL, "plan_free left the pointer set");
    }
    fuzz_format_diags(d);
    diag_free(&d);
    return 0;
}
