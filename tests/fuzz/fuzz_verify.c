/*
 * fuzz_verify.c - libFuzzer target: a field survey (CSV) and, optionally,
 * a sample's manifest (CSV) -> verify_new -> verify_run against the
 * hand-worked register of fixtures/verify/hand (county.csv, village.csv,
 * household.csv) with rules/national-2016 (loaded once) -> every report
 * format (text, md, html, json, csv), in English and in Chinese, written
 * to /dev/null through verify_report_write.
 *
 * The input is split at the first line "#%%": the part before it is the
 * survey, the part after it the manifest; without such a line the whole
 * input is the survey and there is no manifest. So
 * fixtures/verify/hand/survey.csv is a seed, and so is that survey, a line
 * "#%%" and fixtures/verify/hand/manifest.csv. --partial is on for inputs
 * of odd size.
 *
 * Checked besides crashes, leaks and UB (verify.h): verify_run returns 0,
 * or -1 only with an error recorded; every survey row read is rejected or
 * becomes a household record (records with a survey row come first, in
 * line order; the others are drawn and not surveyed, with a manifest);
 * each household's finding, weight (>= 1 when set) and differences are
 * sane; the counties judged are those with a surveyed household; every
 * known rate, per county and overall, has a finite value in [0, 100], a
 * finite se >= 0 and lo <= value <= hi within [0, 100]; its households
 * are the decided households of its domain and its undecided the others
 * (recounted here from the household records), the comprehensive rate's
 * the sum of those of the wrong-exit and missed rates; a veto's status is
 * pass, fail or unknown (unknown exactly when its rate or threshold is),
 * and a county's status follows its vetoes (fail when one fails, pass
 * only when all pass); verify_verdict is 0 exactly when there are
 * counties and every one passes; the accuracy counts agree <= compared.
 */
#include "diag.h"
#include "report.h"
#include "report_verify.h"
#include "rules.h"
#include "table.h"
#include "unit.h"
#include "verify.h"

#include "fuzz_util.h"

#include <math.h>

static ruleset *national;
static FILE *devnull;
static char register_csv[3][4400];
static const char *tables[RULES_MAX_LEVELS];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4400];
    snprintf(path, sizeof path, "%s/rules/national-2016", fuzz_srcdir());
    diag_list *d = diag_new();
    national = d ? rules_load(path, d) : NULL;
    if (!national || rules_nlevels(national) != 3) {
        fprintf(stderr, "fuzz_verify: cannot load %s (or it has not 3 levels)\n", path);
        exit(1);
    }
    diag_free(&d);
    static const char *const names[3] = {"county.csv", "village.csv", "household.csv"};
    for (int i = 0; i < 3; i++) {
        snprintf(register_csv[i], sizeof register_csv[i], "%s/fixtures/verify/hand/%s", fuzz_srcdir(), names[i]);
        tables[i] = register_csv[i];
    }
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("/dev/null");
        exit(1);
    }
    fuzz_scratch();
    return 0;
}

/* What household h counts for rate r, from verify.h's definitions of the
 * domains: 0 outside the domain, -1 in it and undecided, 1 decided. */
static int counts_for(const verify_household *h, verify_rate r)
{
    if (!h->survey || h->finding == FIND_NOT_IN_REGISTER || !h->have_weight)
        return 0;
    switch (r) {
    case RATE_WRONG_EXIT:
        if (h->registered != 1 || h->exit == UEXIT_NONE)
            return 0;
        return h->verified == ST_UNKNOWN || !h->have_members ? -1 : 1;
    case RATE_MISSED:
        if (h->registered < 0)
            return -1;
        if (h->registered != 0)
            return 0;
        return h->identify < 0 || !h->have_members ? -1 : 1;
    case RATE_RECOGNITION: return h->recognition < 0 ? -1 : 1;
    case RATE_COMPREHENSIVE: return 0;
    }
    return 0;
}

static void check_estimate(const char *county, verify_rate r, const verify_estimate *e, long decided,
                           long undecided)
{
    const char *name = verify_rate_names[r];
    FUZZ_CHECK(e->households >= 0 && e->undecided >= 0, "county '%s' %s: households %ld, undecided %ld", county,
               name, e->households, e->undecided);
    FUZZ_CHECK(e->households == decided, "county '%s' %s: %ld households, %ld decided", county, name, e->households,
               decided);
    FUZZ_CHECK(e->undecided == undecided, "county '%s' %s: %ld undecided, %ld recounted", county, name, e->undecided,
               undecided);
    if (!e->known)
        return;
    FUZZ_CHECK(r == RATE_COMPREHENSIVE || e->households > 0, "county '%s' %s: known with no household", county,
               name);
    FUZZ_CHECK(isfinite(e->value) && e->value >= 0 && e->value <= 100, "county '%s' %s: value %.17g", county, name,
               e->value);
    FUZZ_CHECK(isfinite(e->se) && e->se >= 0, "county '%s' %s: se %.17g", county, name, e->se);
    FUZZ_CHECK(isfinite(e->lo) && isfinite(e->hi) && e->lo >= 0 && e->lo <= e->value && e->value <= e->hi &&
                   e->hi <= 100,
               "county '%s' %s: interval [%.17g, %.17g] around %.17g", county, name, e->lo, e->hi, e->value);
}

/* A county (or the overall, id ""): its rates recounted from the
 * households, its vetoes and its status. */
static void check_county(const verifier *v, const verify_county *c, int overall)
{
    const verify_household *h;
    size_t nh = verify_households(v, &h);
    const char *id = overall ? "(overall)" : c->id;
    FUZZ_CHECK(c->id != NULL, "a county without an id");
    long decided[RATE__COUNT] = {0}, undecided[RATE__COUNT] = {0}, surveyed = 0;
    for (size_t i = 0; i < nh; i++) {
        if (!overall && strcmp(h[i].county, c->id))
            continue;
        surveyed += h[i].survey != NULL;
        for (int r = 0; r < RATE_COMPREHENSIVE; r++) {
            int k = counts_for(&h[i], (verify_rate)r);
            decided[r] += k > 0;
            undecided[r] += k < 0;
        }
    }
    decided[RATE_COMPREHENSIVE] = decided[RATE_WRONG_EXIT] + decided[RATE_MISSED];
    undecided[RATE_COMPREHENSIVE] = undecided[RATE_WRONG_EXIT] + undecided[RATE_MISSED];
    if (!overall)
        FUZZ_CHECK(c->surveyed == surveyed && surveyed > 0, "county '%s': %ld surveyed, %ld recounted", id,
                   c->surveyed, surveyed);
    for (int r = 0; r < RATE__COUNT; r++)
        check_estimate(id, (verify_rate)r, &c->rates[r], decided[r], undecided[r]);
    size_t nvetoes = rules_nvetoes(national);
    FUZZ_CHECK(c->vetoes != NULL || nvetoes == 0, "county '%s' has no vetoes", id);
    int fail = 0, all_pass = nvetoes > 0;
    for (size_t k = 0; k < nvetoes; k++) {
        const verify_veto_result *res = &c->vetoes[k];
        const rule_veto *vt = rules_veto(national, k);
        FUZZ_CHECK(res->status == ST_PASS || res->status == ST_FAIL || res->status == ST_UNKNOWN,
                   "county '%s' veto %s: status %d", id, vt->id, (int)res->status);
        int decidable = c->rates[vt->rate].known && res->have_threshold;
        FUZZ_CHECK(decidable == (res->status != ST_UNKNOWN), "county '%s' veto %s: status %s with rate %s, threshold %s",
                   id, vt->id, unit_status_name(res->status), c->rates[vt->rate].known ? "known" : "unknown",
                   res->have_threshold ? "known" : "unknown");
        if (decidable)
            FUZZ_CHECK((res->status == ST_PASS) == !!rules_veto_holds(vt, c->rates[vt->rate].value, res->threshold),
                       "county '%s' veto %s: %s with %.17g against %.17g", id, vt->id, unit_status_name(res->status),
                       c->rates[vt->rate].value, res->threshold);
        fail |= res->status == ST_FAIL;
        all_pass &= res->status == ST_PASS;
    }
    FUZZ_CHECK(c->status == ST_PASS || c->status == ST_FAIL || c->status == ST_UNKNOWN, "county '%s': status %d", id,
               (int)c->status);
    FUZZ_CHECK(!fail || c->status == ST_FAIL, "county '%s': a veto fails, the county is %s", id,
               unit_status_name(c->status));
    FUZZ_CHECK(c->status != ST_FAIL || fail, "county '%s' fails with no veto failing", id);
    FUZZ_CHECK(c->status != ST_PASS || all_pass, "county '%s' passes with a veto not passing", id);
    FUZZ_CHECK(!all_pass || c->status == ST_PASS, "county '%s': every veto passes, the county is %s", id,
               unit_status_name(c->status));
}

static void check_households(const verifier *v, long *nsurveyed)
{
    const verify_household *h;
    size_t nh = verify_households(v, &h);
    const rule_level *lv = verify_level(v);
    long last = 0;
    int past_survey = 0;
    *nsurveyed = 0;
    for (size_t i = 0; i < nh; i++) {
        const verify_household *x = &h[i];
        FUZZ_CHECK(x->id && x->village && x->county, "household %zu: no id, village or county", i);
        FUZZ_CHECK((unsigned)x->finding < FIND__COUNT, "household '%s': finding %d", x->id, (int)x->finding);
        FUZZ_CHECK(x->registered >= -1 && x->registered <= 1 && x->identify >= -1 && x->identify <= 1 &&
                       x->recognition >= -1 && x->recognition <= 1,
                   "household '%s': registered %d, identify %d, recognition %d", x->id, x->registered, x->identify,
                   x->recognition);
        FUZZ_CHECK((unsigned)x->exit < UEXIT__COUNT, "household '%s': exit %d", x->id, (int)x->exit);
        if (x->survey) {
            FUZZ_CHECK(!past_survey, "household '%s' surveyed after one that was not", x->id);
            /* records never go back a line; two may start on one (a lone CR
             * in a file counted at LF ends a record: table.h, fuzz_table) */
            FUZZ_CHECK(x->line >= last && x->line >= 1, "household '%s' at survey line %ld after line %ld", x->id,
                       x->line, last);
            last = x->line;
            FUZZ_CHECK(x->finding != FIND_NOT_SURVEYED, "surveyed household '%s' is not_surveyed", x->id);
            FUZZ_CHECK((unsigned)x->verified <= ST_WARN, "household '%s': verified %d", x->id, (int)x->verified);
            (*nsurveyed)++;
        } else {
            past_survey = 1;
            FUZZ_CHECK(x->line == 0 && x->finding == FIND_NOT_SURVEYED && x->in_manifest && verify_weighted(v),
                       "household '%s' without a survey row: line %ld, finding %s, in_manifest %d", x->id, x->line,
                       verify_finding_names[x->finding], x->in_manifest);
        }
        if (x->have_weight) {
            FUZZ_CHECK(x->weight >= 1, "household '%s': weight %.17g", x->id, x->weight);
            FUZZ_SOFT("finite", isfinite(x->weight), "household '%s': weight %.17g", x->id, x->weight);
        }
        if (!verify_weighted(v))
            FUZZ_CHECK(x->have_weight && x->weight == 1, "household '%s' weighs %.17g without a manifest", x->id,
                       x->weight);
        if (x->have_members)
            FUZZ_CHECK(x->members >= 0, "household '%s': %.17g members", x->id, x->members);
        FUZZ_CHECK(x->agreed >= 0 && x->agreed <= x->compared, "household '%s': %d of %d agree", x->id, x->agreed,
                   x->compared);
        FUZZ_CHECK(x->ndiffs == 0 || x->diffs, "household '%s': %zu differences, none stored", x->id, x->ndiffs);
        for (size_t k = 0; k < x->ndiffs; k++)
            FUZZ_CHECK(x->diffs[k].ind >= 0 && (size_t)x->diffs[k].ind < lv->nind,
                       "household '%s': a difference in indicator %d", x->id, x->diffs[k].ind);
    }
}

static void check_accuracy(const verifier *v)
{
    const rule_level *lv = verify_level(v);
    const verify_accuracy *acc = verify_indicator_accuracy(v);
    for (size_t i = 0; i < lv->nind; i++)
        FUZZ_CHECK(acc[i].agreed >= 0 && acc[i].agreed <= acc[i].compared, "indicator %s: %ld of %ld agree",
                   lv->ind[i].id, acc[i].agreed, acc[i].compared);
    verify_accuracy ha = verify_household_accuracy(v);
    FUZZ_CHECK(ha.agreed >= 0 && ha.agreed <= ha.compared, "households: %ld of %ld agree", ha.agreed, ha.compared);
}

static void check_results(const verifier *v)
{
    long nsurveyed;
    check_households(v, &nsurveyed);
    const table_stats *st = verify_stats(v, VIN_SURVEY);
    if (st && !st->unread)
        FUZZ_SOFT("accounting", st->rows_read - st->rows_rejected == nsurveyed,
                  "the survey: %ld rows read, %ld rejected, %ld household records", st->rows_read, st->rows_rejected,
                  nsurveyed);
    check_accuracy(v);
    const verify_county *cs;
    size_t nc = verify_counties(v, &cs);
    int all_pass = nc > 0;
    for (size_t i = 0; i < nc; i++) {
        check_county(v, &cs[i], 0);
        for (size_t j = 0; j < i; j++)
            FUZZ_CHECK(strcmp(cs[j].id, cs[i].id) < 0, "counties '%s' and '%s' out of order", cs[j].id, cs[i].id);
        all_pass &= cs[i].status == ST_PASS;
    }
    const verify_county *o = verify_overall(v);
    if (o->vetoes) /* judged: the run got as far as the estimates */
        check_county(v, o, 1);
    int verdict = verify_verdict(v);
    FUZZ_CHECK(verdict == 0 || verdict == 1, "verify_verdict gives %d", verdict);
    FUZZ_CHECK((verdict == 0) == all_pass, "verify_verdict gives %d with %zu counties%s", verdict, nc,
               all_pass ? ", every one passing" : "");
}

static void write_reports(const verifier *v, diag_list *d, int zh)
{
    exit_status status = diag_errors(d) || diag_out_of_memory(d) ? EXIT_ERROR
                         : verify_verdict(v)                     ? EXIT_CLAIMS_FAIL
                                                                 : EXIT_OK;
    static const report_format fmts[] = {FMT_TEXT, FMT_MD, FMT_HTML, FMT_JSON, FMT_CSV};
    for (size_t f = 0; f < sizeof fmts / sizeof *fmts; f++) {
        verify_report_ctx r = {national, v, d, zh, zh, status, fmts[f]};
        int rc = verify_report_write(&r, devnull);
        FUZZ_CHECK(rc == 0 || diag_out_of_memory(d), "verify_report_write (format %d, zh %d) failed", (int)fmts[f],
                   zh);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t survey_len = size, manifest_at = 0;
    int have_manifest = 0;
    /* split at the first line "#%%" */
    for (size_t i = 0; i + 4 <= size; i++) {
        if ((i == 0 || s[i - 1] == '\n') && memcmp(s + i, "#%%\n", 4) == 0) {
            survey_len = i;
            manifest_at = i + 4;
            have_manifest = 1;
            break;
        }
    }
    char survey[4400], manifest[4400];
    fuzz_write("survey.csv", data, survey_len, survey, sizeof survey);
    if (have_manifest)
        fuzz_write("manifest.csv", data + manifest_at, size - manifest_at, manifest, sizeof manifest);
    else
        fuzz_remove("manifest.csv");

    diag_list *d = diag_new();
    if (!d)
        return 0;
    verifier *v = verify_new(national, d);
    if (!v) {
        FUZZ_CHECK(diag_out_of_memory(d), "verify_new returned NULL without running out of memory");
    } else {
        table_opts opts = {ENC_AUTO, (int)(size & 1), 1, NULL, NULL, 0};
        int rc = verify_run(v, tables, survey, have_manifest ? manifest : NULL, &opts);
        FUZZ_CHECK(rc == 0 || rc == -1, "verify_run returned %d", rc);
        if (rc)
            FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "verify_run failed without an error");
        diag_sort(d);
        if (!diag_out_of_memory(d))
            check_results(v);
        write_reports(v, d, 0);
        write_reports(v, d, 1);
        verify_free(&v);
        FUZZ_CHECK(v == NULL, "verify_free left the pointer set");
    }
    fuzz_format_diags(d);
    diag_free(&d);
    return 0;
}
