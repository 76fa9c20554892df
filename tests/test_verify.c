/*
 * test_verify.c - the register against a field survey (src/verify.h,
 * SPEC §7.2): whole runs of verify_run over small registers, surveys and
 * manifests written to a temporary directory, with the pack
 * rules/national-2016 (year 2016: poverty_line 2952, max_poverty_rate 2;
 * income_per_capita has the tolerance {abs: 100, rel: 0.05}, every other
 * indicator is compared exactly).
 *
 * Findings (wrong_exit, missed, undecided, not_in_register,
 * not_surveyed), weights from the manifest, differences and tolerance,
 * accuracy, the four rates with their standard errors and intervals
 * (worked out by hand below, as exact fractions), the comprehensive rate
 * from R, M, W and P, the vetoes with within_margin, each county's status
 * (pass, fail, unknown) and verify_verdict; then the inputs that are
 * errors: a survey without household_id, a survey household twice, a
 * manifest drawn from another frame, and a survey's registered cell that
 * contradicts the register (a difference, not an error).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "rules.h"
#include "strbuf.h"
#include "table.h"
#include "verify.h"

#define NATIONAL TEST_SRCDIR "/rules/national-2016"

static diag_list *D;
static ruleset *RS;
static verifier *V;
static char dir[64];

/* ---------- the register shared by most tests ---------- */

/* Three counties: C1 (P = 1000), C2 (P = 100000), C3 (no rural_population). */
static const char COUNTY[] = "county_id,county_name,year,rural_population\n"
                             "C1,一县,2016,1000\n"
                             "C2,二县,2016,100000\n"
                             "C3,三县,2016,\n";

static const char VILLAGE[] = "village_id,village_name,county_id,year,poor_village,population\n"
                              "V1,上村,C1,2016,yes,300\n"
                              "V2,中村,C1,2016,yes,300\n"
                              "V3,下村,C1,2016,no,400\n"
                              "W1,东村,C2,2016,yes,500\n"
                              "W2,西村,C2,2016,no,500\n"
                              "X1,北村,C3,2016,yes,500\n";

#define HH_HEADER                                                                                                      \
    "household_id,village_id,county_id,year,members,claimed_exit,registered,exit_year,income_per_capita,"             \
    "food_secure,clothing_secure,school_dropouts,medical_insured,house_safe\n"

/* The register's households. Lines (the header is line 1):
 *
 *  2 a1  V1  4 members  registered, exited this year (claimed)  4000
 *  3 a2  V1  2          registered, exited 2015 (earlier)       5000
 *  4 n1  V1  2          not registered                          6000
 *  5 b1  V2  5          registered, exited this year            3500
 *  6 n2  V2  3          not registered                          8000
 *  7 u1  V2  2          registered, exited this year            3600
 *  8 c1  V3  3          registered, exit_year 2016 (this year)  4100
 *  9 n3  V3  1          not registered                          9000
 * 10 p1  V3  6          registered, not exited, house unsafe    2000
 * 11 q1  V2  3          not registered, never drawn             7000
 * 12.. the households of C2 and C3 (below)
 *
 * C1 in the register: registered people 4+2+5+2+3+6 = 22, of which
 * exited 4+2+5+2+3 = 16 and still poor (R) 6. */
static const char HOUSEHOLD[] = HH_HEADER
    "a1,V1,C1,2016,4,yes,yes,,4000,yes,yes,0,yes,yes\n"
    "a2,V1,C1,2016,2,no,yes,2015,5000,yes,yes,0,yes,yes\n"
    "n1,V1,C1,2016,2,no,no,,6000,yes,yes,0,yes,yes\n"
    "b1,V2,C1,2016,5,yes,yes,,3500,yes,yes,0,yes,yes\n"
    "n2,V2,C1,2016,3,no,no,,8000,yes,yes,0,yes,yes\n"
    "u1,V2,C1,2016,2,yes,yes,,3600,yes,yes,0,yes,yes\n"
    "c1,V3,C1,2016,3,no,yes,2016,4100,yes,yes,0,yes,yes\n"
    "n3,V3,C1,2016,1,no,no,,9000,yes,yes,0,yes,yes\n"
    "p1,V3,C1,2016,6,no,yes,,2000,yes,yes,0,yes,no\n"
    "q1,V2,C1,2016,3,no,no,,7000,yes,yes,0,yes,yes\n"
    /* C2: registered 3+2+2 = 7 people, exited 5, poor 2 */
    "e1,W1,C2,2016,3,yes,yes,,5000,yes,yes,0,yes,yes\n"
    "e2,W2,C2,2016,2,no,yes,2015,6000,yes,yes,0,yes,yes\n"
    "f1,W1,C2,2016,4,no,no,,8000,yes,yes,0,yes,yes\n"
    "f2,W2,C2,2016,2,no,no,,9000,yes,yes,0,yes,yes\n"
    "g1,W1,C2,2016,2,no,yes,,2000,yes,yes,0,yes,no\n"
    /* C3 */
    "k1,X1,C3,2016,2,yes,yes,,5000,yes,yes,0,yes,yes\n"
    "k2,X1,C3,2016,3,no,no,,7000,yes,yes,0,yes,yes\n";

#define SV_HEADER                                                                                                      \
    "household_id,village_id,registered,members,income_per_capita,food_secure,clothing_secure,school_dropouts,"       \
    "medical_insured,house_safe,recognition\n"

/* The survey of C1's sample (lines 2-10):
 *  a1: income 1000 <= 2952 fails NH01: exited, so a wrong exit; recognition no
 *  a2: as the register; yes
 *  n1: house unsafe: meets identify, not registered: missed; yes
 *  x1: says registered, absent from the register: not in the register
 *  b1: as the register; yes
 *  n2: as the register; no
 *  u1: food empty: NH02 unknown, the rest met: undecided; yes
 *  c1: as the register; no recognition answer
 *  n3: as the register; yes
 * p1 was drawn and has no row: not surveyed. */
static const char SURVEY[] = SV_HEADER
    "a1,V1,yes,4,1000,yes,yes,0,yes,yes,no\n"
    "a2,V1,yes,2,5000,yes,yes,0,yes,yes,yes\n"
    "n1,V1,no,2,6000,yes,yes,0,yes,no,yes\n"
    "x1,V1,yes,3,2000,yes,yes,0,yes,yes,yes\n"
    "b1,V2,yes,5,3500,yes,yes,0,yes,yes,yes\n"
    "n2,V2,no,3,8000,yes,yes,0,yes,yes,no\n"
    "u1,V2,yes,2,3600,,yes,0,yes,yes,yes\n"
    "c1,V3,yes,3,4100,yes,yes,0,yes,yes,\n"
    "n3,V3,no,1,9000,yes,yes,0,yes,yes,yes\n";

/* The sample: village strata s1 = {V1, V2} (weight 2 each) and s2 = {V3}
 * (weight 1, a stratum of one village: it adds 0 to every variance);
 * households with the weights below (1 / pi, pi as a sampler would write
 * it; only the weight is read). */
static const char MANIFEST[] = "level,unit_id,parent_id,county_id,stratum,pi,weight,u\n"
                               "village,V1,C1,C1,s1,0.5,2,0000000000000001\n"
                               "village,V2,C1,C1,s1,0.5,2,0000000000000002\n"
                               "village,V3,C1,C1,s2,1,1,0000000000000003\n"
                               "household,a1,V1,C1,exited,0.5,2,0000000000000004\n"
                               "household,a2,V1,C1,exited,0.5,2,0000000000000005\n"
                               "household,n1,V1,C1,ordinary,0.25,4,0000000000000006\n"
                               "household,b1,V2,C1,exited,0.33333333333333331,3,0000000000000007\n"
                               "household,n2,V2,C1,ordinary,0.25,4,0000000000000008\n"
                               "household,u1,V2,C1,exited,0.33333333333333331,3,0000000000000009\n"
                               "household,c1,V3,C1,exited,1,1,000000000000000a\n"
                               "household,n3,V3,C1,ordinary,1,1,000000000000000b\n"
                               "household,p1,V3,C1,poor,0.5,2,000000000000000c\n";

/* ---------- fixture ---------- */

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(text, 1, strlen(text), f), strlen(text));
    cr_assert_eq(fclose(f), 0);
}

static const char *in_dir(const char *name)
{
    static char paths[8][256];
    static int k;
    k = (k + 1) % 8;
    snprintf(paths[k], sizeof paths[k], "%s/%s", dir, name);
    return paths[k];
}

static void setup(void)
{
    D = diag_new();
    cr_assert_not_null(D);
    RS = rules_load(NATIONAL, D);
    cr_assert_not_null(RS);
    cr_assert_eq(diag_errors(D), 0);
    diag_free(&D);
    D = diag_new();
    cr_assert_not_null(D);
    snprintf(dir, sizeof dir, "/tmp/exitcheck-verify-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    put("county.csv", COUNTY);
    put("village.csv", VILLAGE);
    put("household.csv", HOUSEHOLD);
}

static void teardown(void)
{
    verify_free(&V);
    rules_free(&RS);
    diag_free(&D);
    DIR *dp = opendir(dir);
    if (dp) {
        struct dirent *e;
        char path[512];
        while ((e = readdir(dp)))
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
                snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
                unlink(path);
            }
        closedir(dp);
    }
    rmdir(dir);
}

TestSuite(verify, .init = setup, .fini = teardown);

static const char *all_diags(void)
{
    static char buf[16384];
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < diag_count(D); i++)
        diag_format(diag_get(D, i), &sb);
    snprintf(buf, sizeof buf, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
    return buf;
}

/* Stored diagnostics of severity sev whose message contains fragment. */
static size_t diags_with(diag_severity sev, const char *fragment)
{
    size_t n = 0;
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        if (e->severity == sev && strstr(e->message, fragment))
            n++;
    }
    return n;
}

static const diag_entry *diag_with(diag_severity sev, const char *fragment)
{
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        if (e->severity == sev && strstr(e->message, fragment))
            return e;
    }
    cr_assert_fail("no diagnostic with '%s':\n%s", fragment, all_diags());
    return NULL;
}

/* verify_run over the temporary directory's county, village and
 * household tables; manifest may be NULL. Returns verify_run's answer. */
static int run(const char *survey, const char *manifest)
{
    put("survey.csv", survey);
    if (manifest)
        put("manifest.csv", manifest);
    V = verify_new(RS, D);
    cr_assert_not_null(V);
    const char *tables[3] = {in_dir("county.csv"), in_dir("village.csv"), in_dir("household.csv")};
    table_opts o = {ENC_AUTO, 1, 1, NULL, NULL, 0}; /* partial, as the command opens them */
    return verify_run(V, tables, in_dir("survey.csv"), manifest ? in_dir("manifest.csv") : NULL, &o);
}

static void run_ok(const char *survey, const char *manifest)
{
    cr_assert_eq(run(survey, manifest), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
}

static const verify_household *household(const char *id)
{
    const verify_household *h;
    size_t n = verify_households(V, &h);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(h[i].id, id))
            return &h[i];
    cr_assert_fail("no household %s", id);
    return NULL;
}

static const verify_county *county(const char *id)
{
    const verify_county *c;
    size_t n = verify_counties(V, &c);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].id, id))
            return &c[i];
    cr_assert_fail("no county %s", id);
    return NULL;
}

static int ind(const char *id)
{
    const rule_level *lv = verify_level(V);
    for (size_t i = 0; i < lv->nind; i++)
        if (!strcmp(lv->ind[i].id, id))
            return (int)i;
    cr_assert_fail("no indicator %s", id);
    return -1;
}

/* The veto of the pack on rate r (national-2016 has one per rate, in order). */
static size_t veto_of(verify_rate r)
{
    for (size_t i = 0; i < rules_nvetoes(RS); i++)
        if (rules_veto(RS, i)->rate == r)
            return i;
    cr_assert_fail("no veto on %s", verify_rate_names[r]);
    return 0;
}

static void expect_near(double got, double want, const char *what)
{
    cr_assert(fabs(got - want) <= 1e-9 * fmax(1.0, fabs(want)), "%s: %.17g, expected %.17g", what, got, want);
}

static const verify_diff *diff_of(const verify_household *h, const char *indicator)
{
    int k = ind(indicator);
    for (size_t i = 0; i < h->ndiffs; i++)
        if (h->diffs[i].ind == k)
            return &h->diffs[i];
    return NULL;
}

/* ---------- findings and weights ---------- */

Test(verify, findings)
{
    run_ok(SURVEY, MANIFEST);
    const verify_household *h;
    size_t n = verify_households(V, &h);
    /* the surveyed households in survey order, then the drawn one not surveyed */
    static const struct {
        const char *id;
        verify_finding finding;
        unit_status verified;
        int registered;
        unit_exit exit;
        long line, reg_line;
    } want[] = {
        {"a1", FIND_WRONG_EXIT, ST_FAIL, 1, UEXIT_THIS_YEAR, 2, 2},
        {"a2", FIND_OK, ST_PASS, 1, UEXIT_EARLIER, 3, 3},
        {"n1", FIND_MISSED, ST_FAIL, 0, UEXIT_NONE, 4, 4},
        {"x1", FIND_NOT_IN_REGISTER, ST_FAIL, 1, UEXIT_NONE, 5, 0},
        {"b1", FIND_OK, ST_PASS, 1, UEXIT_THIS_YEAR, 6, 5},
        {"n2", FIND_OK, ST_PASS, 0, UEXIT_NONE, 7, 6},
        {"u1", FIND_UNDECIDED, ST_UNKNOWN, 1, UEXIT_THIS_YEAR, 8, 7},
        {"c1", FIND_OK, ST_PASS, 1, UEXIT_THIS_YEAR, 9, 8},
        {"n3", FIND_OK, ST_PASS, 0, UEXIT_NONE, 10, 9},
        {"p1", FIND_NOT_SURVEYED, ST_UNKNOWN, 1, UEXIT_NONE, 0, 10},
    };
    cr_assert_eq(n, sizeof want / sizeof *want, "%zu households", n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(h[i].id, want[i].id, "household %zu", i);
        cr_assert_eq(h[i].finding, want[i].finding, "%s: finding %s, expected %s", h[i].id,
                     verify_finding_names[h[i].finding], verify_finding_names[want[i].finding]);
        cr_assert_eq(h[i].registered, want[i].registered, "%s: registered %d", h[i].id, h[i].registered);
        cr_assert_eq(h[i].exit, want[i].exit, "%s: exit %d", h[i].id, h[i].exit);
        cr_assert_eq(h[i].line, want[i].line, "%s: survey line %ld", h[i].id, h[i].line);
        cr_assert_eq(h[i].reg_line, want[i].reg_line, "%s: register line %ld", h[i].id, h[i].reg_line);
        if (h[i].survey)
            cr_assert_eq(h[i].verified, want[i].verified, "%s: verified %d", h[i].id, h[i].verified);
        else
            cr_assert_str_eq(h[i].id, "p1", "only p1 has no survey row");
        cr_assert_str_eq(h[i].county, "C1", "%s: county '%s'", h[i].id, h[i].county);
    }
    /* what the targets say on the survey's values: NH01 is target 0, NH06 target 5 */
    cr_assert_eq(household("a1")->not_met, 1ull << 0, "a1 fails NH01 only");
    cr_assert_eq(household("n1")->not_met, 1ull << 5, "n1 fails NH06 only");
    cr_assert_eq(household("u1")->not_met, 0, "u1: NH02 is unknown, not failed");
    /* identify on the survey's values */
    cr_assert_eq(household("n1")->identify, 1);
    cr_assert_eq(household("n2")->identify, 0);
    cr_assert_eq(household("a1")->identify, 1, "income 1000 <= 2952");
    cr_assert_eq(household("u1")->identify, -1, "food unknown, the rest does not meet it: unknown");
    /* recognition */
    cr_assert_eq(household("a1")->recognition, 0);
    cr_assert_eq(household("a2")->recognition, 1);
    cr_assert_eq(household("c1")->recognition, -1, "an empty answer");
    /* the register's year gives the parameters */
    cr_assert_eq(verify_year(V), 2016);
    cr_assert(verify_weighted(V));
}

Test(verify, weights_from_the_manifest)
{
    run_ok(SURVEY, MANIFEST);
    static const struct { const char *id; double w; } want[] = {
        {"a1", 2}, {"a2", 2}, {"n1", 4}, {"b1", 3}, {"n2", 4}, {"u1", 3}, {"c1", 1}, {"n3", 1}, {"p1", 2},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const verify_household *h = household(want[i].id);
        cr_assert(h->have_weight, "%s has a weight", want[i].id);
        cr_assert(h->weight == want[i].w, "%s: weight %g, expected %g", want[i].id, h->weight, want[i].w);
    }
    cr_assert_not(household("x1")->have_weight, "not in the register: no weight, in no rate");
    /* members are the survey's */
    cr_assert(household("b1")->have_members && household("b1")->members == 5);
}

Test(verify, without_a_manifest_every_weight_is_1)
{
    cr_assert_eq(run(SURVEY, NULL), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    cr_assert_not(verify_weighted(V));
    cr_assert_eq(diags_with(DIAG_WARNING, "no manifest (--manifest): every household weighs 1"), 1, "%s", all_diags());
    const verify_household *h;
    size_t n = verify_households(V, &h);
    cr_assert_eq(n, 9, "no manifest: nobody is 'not surveyed'");
    for (size_t i = 0; i < n; i++)
        cr_assert(h[i].weight == 1, "%s: weight %g", h[i].id, h[i].weight);
    cr_assert_null(verify_stats(V, VIN_MANIFEST));
    /* unweighted wrong-exit rate: a1 4 of (4 + 2 + 5 + 3) people */
    const verify_county *c = county("C1");
    expect_near(c->rates[RATE_WRONG_EXIT].value, 4.0 / 14.0 * 100, "unweighted wrong-exit rate");
}

/* ---------- differences, tolerance and accuracy ---------- */

Test(verify, differences_and_accuracy)
{
    run_ok(SURVEY, MANIFEST);
    const verify_household *a1 = household("a1");
    cr_assert_eq(a1->ndiffs, 1);
    const verify_diff *d = diff_of(a1, "income_per_capita");
    cr_assert_not_null(d);
    cr_assert(d->reg.kind == V_NUM && d->reg.u.num == 4000, "the register's income");
    cr_assert(d->sur.kind == V_NUM && d->sur.u.num == 1000, "the survey's income");
    const verify_household *n1 = household("n1");
    cr_assert_eq(n1->ndiffs, 1);
    d = diff_of(n1, "house_safe");
    cr_assert_not_null(d);
    cr_assert(d->reg.kind == V_BOOL && d->reg.u.b == 1 && d->sur.kind == V_BOOL && d->sur.u.b == 0);
    /* u1's empty food cell is not compared: 7 of the 8 indicators */
    const verify_household *u1 = household("u1");
    cr_assert_eq(u1->ndiffs, 0);
    cr_assert_eq(u1->compared, 7, "u1 compared %d", u1->compared);
    cr_assert_eq(u1->agreed, 7);
    cr_assert_eq(household("a2")->compared, 8, "members, registered, income and the five yes/no columns");
    cr_assert_eq(household("x1")->compared, 0, "not in the register: nothing to compare");
    cr_assert_eq(household("p1")->compared, 0, "not surveyed");
    /* households compared: the 8 surveyed in the register; agreeing in every
     * compared indicator: all but a1 and n1 */
    verify_accuracy ha = verify_household_accuracy(V);
    cr_assert_eq(ha.compared, 8);
    cr_assert_eq(ha.agreed, 6);
    const verify_accuracy *acc = verify_indicator_accuracy(V);
    static const struct { const char *id; long compared, agreed; } want[] = {
        {"members", 8, 8},         {"registered", 8, 8},      {"income_per_capita", 8, 7},
        {"food_secure", 7, 7},     {"clothing_secure", 8, 8}, {"school_dropouts", 8, 8},
        {"medical_insured", 8, 8}, {"house_safe", 8, 7},
        /* never compared: ids, the year, the exit columns (the survey has none of them) */
        {"household_id", 0, 0},    {"village_id", 0, 0},      {"county_id", 0, 0},
        {"year", 0, 0},            {"claimed_exit", 0, 0},    {"exit_year", 0, 0},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const verify_accuracy *a = &acc[ind(want[i].id)];
        cr_assert_eq(a->compared, want[i].compared, "%s compared %ld", want[i].id, a->compared);
        cr_assert_eq(a->agreed, want[i].agreed, "%s agree %ld", want[i].id, a->agreed);
    }
}

/* |survey - register| <= max(100, 0.05 * |survey|) for income; members
 * exactly. Each household is alone in its own run's register. */
Test(verify, tolerance)
{
    put("household.csv", HH_HEADER
        "t1,V1,C1,2016,4,no,no,,1100,yes,yes,0,yes,yes\n"  /* survey 1000: 100 off, max(100, 50) = 100: agrees */
        "t2,V1,C1,2016,4,no,no,,1101,yes,yes,0,yes,yes\n"  /* survey 1000: 101 off, 100 allowed: disagrees */
        "t3,V2,C1,2016,4,no,no,,6300,yes,yes,0,yes,yes\n"  /* survey 6000: 300 off, 5% of 6000 = 300: agrees */
        "t4,V2,C1,2016,4,no,no,,6301,yes,yes,0,yes,yes\n"  /* survey 6000: 301 off: disagrees */
        "t5,V3,C1,2016,4,no,no,,6000,yes,yes,0,yes,yes\n"  /* survey 5714: 286 off, 5% of the *survey* is
                                                              285.7 (5% of the register would be 300): disagrees */
        "t6,V3,C1,2016,4,no,no,,5714,yes,yes,0,yes,yes\n"  /* survey 6000: 286 off, 300 allowed: agrees */
        "t7,V3,C1,2016,4,no,no,,8000,yes,yes,0,yes,yes\n"  /* members 4 -> 5: integers are exact */
        "t8,V3,C1,2016,4,no,no,,8000,yes,yes,0,yes,yes\n"); /* the same: agrees everywhere */
    run_ok(SV_HEADER
           "t1,V1,no,4,1000,yes,yes,0,yes,yes,yes\n"
           "t2,V1,no,4,1000,yes,yes,0,yes,yes,yes\n"
           "t3,V2,no,4,6000,yes,yes,0,yes,yes,yes\n"
           "t4,V2,no,4,6000,yes,yes,0,yes,yes,yes\n"
           "t5,V3,no,4,5714,yes,yes,0,yes,yes,yes\n"
           "t6,V3,no,4,6000,yes,yes,0,yes,yes,yes\n"
           "t7,V3,no,5,8000,yes,yes,0,yes,yes,yes\n"
           "t8,V3,no,4,8000,yes,yes,0,yes,yes,yes\n",
           NULL);
    static const struct { const char *id; int income_agrees; } want[] = {
        {"t1", 1}, {"t2", 0}, {"t3", 1}, {"t4", 0}, {"t5", 0}, {"t6", 1}, {"t7", 1}, {"t8", 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        const verify_household *h = household(want[i].id);
        const verify_diff *d = diff_of(h, "income_per_capita");
        cr_assert_eq(d == NULL, want[i].income_agrees, "%s: income %s", want[i].id,
                     d ? "differs" : "agrees");
    }
    const verify_diff *m = diff_of(household("t7"), "members");
    cr_assert_not_null(m, "members 4 -> 5 is a difference");
    cr_assert(m->reg.u.num == 4 && m->sur.u.num == 5);
    cr_assert_eq(household("t7")->ndiffs, 1);
    const verify_accuracy *acc = verify_indicator_accuracy(V);
    cr_assert_eq(acc[ind("income_per_capita")].compared, 8);
    cr_assert_eq(acc[ind("income_per_capita")].agreed, 5);
    cr_assert_eq(acc[ind("members")].compared, 8);
    cr_assert_eq(acc[ind("members")].agreed, 7);
    verify_accuracy ha = verify_household_accuracy(V);
    cr_assert_eq(ha.compared, 8);
    cr_assert_eq(ha.agreed, 4, "t1, t3, t6, t8");
}

/* ---------- the rates, worked out by hand ---------- */

/*
 * County C1 with the manifest: strata s1 = {V1, V2} and s2 = {V3}. For
 * R = sum(w y) / sum(w x), z_i = w_i (y_i - R x_i) / sum(w x), z_v the sum
 * over village v; s2 has one village and adds 0, and in s1 (n = 2)
 * var = 2/1 * ((z_V1 - m)^2 + (z_V2 - m)^2) with m their mean, which is
 * (z_V1 - z_V2)^2; se = 100 sqrt(var).
 *
 * wrong_exit_rate: the registered exited households surveyed, x = members,
 * y = x when the survey's values fail a target. u1 is undecided.
 *
 *   hh  village  w  x  y   w x   w y
 *   a1  V1       2  4  4     8     8
 *   a2  V1       2  2  0     4     0
 *   b1  V2       3  5  0    15     0
 *   c1  V3       1  3  0     3     0
 *
 *   num 8, den 30, R = 4/15, value 26.666...%
 *   z_a1 = 2 (4 - 16/15) / 30 =  44/225    z_a2 = 2 (0 - 8/15) / 30 = -8/225
 *   z_b1 = 3 (0 - 20/15) / 30 = -30/225    z_c1 = 1 (0 - 12/15) / 30 = -6/225
 *   z_V1 = 36/225, z_V2 = -30/225 (z_V3 = -6/225; the sum is 0)
 *   var = (66/225)^2, se = 6600/225 = 88/3 = 29.333...%
 *   interval: 80/3 -+ 1.96 * 88/3 = [-30.83 -> 0, 252.48/3 = 84.16]
 *
 * missed_rate: the non-registered surveyed households, y = x when they
 * meet identify.
 *
 *   n1  V1  w 4  x 2  y 2      n2  V2  w 4  x 3  y 0      n3  V3  w 1  x 1  y 0
 *
 *   num 8, den 8 + 12 + 1 = 21, R = 8/21, value 38.095...%
 *   z_n1 = 4 (2 - 16/21) / 21 = 104/441, z_n2 = 4 (0 - 24/21) / 21 = -96/441
 *   var = (200/441)^2, se = 20000/441 = 45.351...%; interval [0, 100]
 *
 * recognition: households answering (c1 did not: undecided), x = 1, y = 1
 * for yes. V1: a1 no (2), a2 yes (2), n1 yes (4); V2: b1 yes (3), n2 no
 * (4), u1 yes (3); V3: n3 yes (1). x1 is not in the register: in no rate.
 *
 *   num 2 + 4 + 3 + 3 + 1 = 13, den 19, R = 13/19, value 68.421...%
 *   z_i = w (y - 13/19) / 19: V1 (-26 + 12 + 24) / 361 = 10/361,
 *   V2 (18 - 52 + 18) / 361 = -16/361, V3 6/361
 *   var = (26/361)^2, se = 2600/361 = 7.2022...%
 *   interval 1300/19 -+ 1.96 * 2600/361 = [54.3047..., 82.5373...]
 *
 * comprehensive_rate, from the register of C1: P = 1000, registered
 * people 22, exited 16, R = 6 (p1, registered and not exited).
 *
 *   M = 8/21 * (1000 - 22) = 7824/21      W = 4/15 * 16 = 64/15
 *   num = 6 + 7824/21 + 64/15 = 40198/105 = 382.838...; value 38.2838...%
 *   se = sqrt((978 * 20000/441)^2 + (16 * 88/3)^2) / 1000 = 44.3562...%
 *   households 4 + 3, undecided 1 + 0
 */
Test(verify, rates_by_hand)
{
    run_ok(SURVEY, MANIFEST);
    const verify_county *c = county("C1");
    cr_assert_eq(verify_counties(V, &(const verify_county *){NULL}), 1, "only C1 has surveyed households");

    const verify_estimate *e = &c->rates[RATE_WRONG_EXIT];
    cr_assert(e->known);
    expect_near(e->num, 8, "wrong: numerator");
    expect_near(e->den, 30, "wrong: denominator");
    expect_near(e->value, 400.0 / 15.0, "wrong: value");
    expect_near(e->se, 88.0 / 3.0, "wrong: se");
    expect_near(e->lo, 0, "wrong: lo (clipped)");
    expect_near(e->hi, 80.0 / 3.0 + 1.96 * 88.0 / 3.0, "wrong: hi");
    expect_near(e->hi, 84.16, "wrong: hi = 84.16");
    cr_assert_eq(e->households, 4);
    cr_assert_eq(e->undecided, 1, "u1");

    e = &c->rates[RATE_MISSED];
    cr_assert(e->known);
    expect_near(e->num, 8, "missed: numerator");
    expect_near(e->den, 21, "missed: denominator");
    expect_near(e->value, 800.0 / 21.0, "missed: value");
    expect_near(e->se, 20000.0 / 441.0, "missed: se");
    expect_near(e->lo, 0, "missed: lo");
    expect_near(e->hi, 100, "missed: hi");
    cr_assert_eq(e->households, 3);
    cr_assert_eq(e->undecided, 0);

    e = &c->rates[RATE_RECOGNITION];
    cr_assert(e->known);
    expect_near(e->num, 13, "recognition: numerator");
    expect_near(e->den, 19, "recognition: denominator");
    expect_near(e->value, 1300.0 / 19.0, "recognition: value");
    expect_near(e->se, 2600.0 / 361.0, "recognition: se");
    expect_near(e->lo, 1300.0 / 19.0 - 1.96 * 2600.0 / 361.0, "recognition: lo");
    expect_near(e->hi, 1300.0 / 19.0 + 1.96 * 2600.0 / 361.0, "recognition: hi");
    cr_assert(fabs(e->lo - 54.3047) < 1e-4 && fabs(e->hi - 82.5374) < 1e-4, "[%g, %g]", e->lo, e->hi);
    cr_assert_eq(e->households, 7);
    cr_assert_eq(e->undecided, 1, "c1 did not answer");

    /* the register's people of C1 */
    cr_assert(c->have_population);
    expect_near(c->population, 1000, "P");
    expect_near(c->reg_people, 22, "registered people");
    expect_near(c->exited_people, 16, "exited people");
    expect_near(c->poor_people, 6, "R");

    e = &c->rates[RATE_COMPREHENSIVE];
    cr_assert(e->known);
    double M = 8.0 / 21.0 * (1000 - 22), W = 4.0 / 15.0 * 16;
    expect_near(e->num, 6 + M + W, "comprehensive: R + M + W");
    expect_near(e->num, 40198.0 / 105.0, "comprehensive: 40198/105");
    expect_near(e->den, 1000, "comprehensive: P");
    expect_near(e->value, 40198.0 / 1050.0, "comprehensive: value");
    double se = sqrt(pow(978 * 20000.0 / 441.0, 2) + pow(16 * 88.0 / 3.0, 2)) / 1000;
    expect_near(e->se, se, "comprehensive: se");
    cr_assert(fabs(e->se - 44.3562) < 1e-4, "se %g", e->se);
    expect_near(e->lo, 0, "comprehensive: lo");
    expect_near(e->hi, 100, "comprehensive: hi");
    cr_assert_eq(e->households, 7);
    cr_assert_eq(e->undecided, 1);

    /* the flagged stratum of one village */
    cr_assert_eq(c->single_strata, 1, "s2 = {V3}");
    /* one county: the overall figures are the county's */
    const verify_county *o = verify_overall(V);
    for (int r = 0; r < RATE__COUNT; r++) {
        cr_assert(o->rates[r].known, "overall %s", verify_rate_names[r]);
        expect_near(o->rates[r].value, c->rates[r].value, verify_rate_names[r]);
        expect_near(o->rates[r].se, c->rates[r].se, verify_rate_names[r]);
    }
}

Test(verify, vetoes_and_within_margin)
{
    run_ok(SURVEY, MANIFEST);
    cr_assert_eq(rules_nvetoes(RS), 4);
    const verify_county *c = county("C1");
    static const struct { verify_rate r; double threshold; int within; } want[] = {
        {RATE_WRONG_EXIT, 2, 1},     /* 26.67 fails < 2; 2 lies in [0, 84.16] */
        {RATE_MISSED, 2, 1},         /* 38.10 fails < 2; 2 lies in [0, 100] */
        {RATE_RECOGNITION, 90, 0},   /* 68.42 fails >= 90; 90 is above [54.30, 82.54] */
        {RATE_COMPREHENSIVE, 2, 1},  /* 38.28 fails < max_poverty_rate = 2 (2016); in [0, 100] */
    };
    for (size_t i = 0; i < 4; i++) {
        const verify_veto_result *res = &c->vetoes[veto_of(want[i].r)];
        cr_assert_eq(res->status, ST_FAIL, "%s", verify_rate_names[want[i].r]);
        cr_assert(res->have_threshold && res->threshold == want[i].threshold, "%s: threshold %g",
                  verify_rate_names[want[i].r], res->threshold);
        cr_assert_eq(res->within_margin, want[i].within, "%s: within_margin %d", verify_rate_names[want[i].r],
                     res->within_margin);
    }
    cr_assert_eq(c->status, ST_FAIL);
    cr_assert_eq(verify_verdict(V), 1);
}

/* The same survey with max_poverty_rate moved: the comprehensive rate's
 * threshold is the parameter of the register's year. */
Test(verify, veto_threshold_is_the_parameter)
{
    cr_assert_eq(rules_set_param(RS, "max_poverty_rate", 50, D), 0);
    run_ok(SURVEY, MANIFEST);
    const verify_veto_result *res = &county("C1")->vetoes[veto_of(RATE_COMPREHENSIVE)];
    cr_assert(res->have_threshold && res->threshold == 50, "threshold %g", res->threshold);
    cr_assert_eq(res->status, ST_PASS, "38.28 < 50");
    cr_assert(res->within_margin, "50 lies in [0, 100]");
    cr_assert_eq(county("C1")->status, ST_FAIL, "the other vetoes still fail");
}

/* C2 passes every veto and C3 has no rural_population (its comprehensive
 * rate, and so its veto, is unknown). Without a manifest. */
static const char SURVEY_C2[] = SV_HEADER
    "e1,W1,yes,3,5000,yes,yes,0,yes,yes,yes\n"
    "e2,W2,yes,2,6000,yes,yes,0,yes,yes,yes\n"
    "f1,W1,no,4,8000,yes,yes,0,yes,yes,yes\n"
    "f2,W2,no,2,9000,yes,yes,0,yes,yes,yes\n";

Test(verify, county_pass_and_unknown)
{
    char survey[2048];
    snprintf(survey, sizeof survey, "%s%s", SURVEY_C2,
             "k1,X1,yes,2,5000,yes,yes,0,yes,yes,yes\n"
             "k2,X1,no,3,7000,yes,yes,0,yes,yes,yes\n");
    cr_assert_eq(run(survey, NULL), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    const verify_county *cs;
    cr_assert_eq(verify_counties(V, &cs), 2, "C2 and C3 (C1 has no surveyed household)");
    cr_assert_str_eq(cs[0].id, "C2");
    cr_assert_str_eq(cs[1].id, "C3");

    /* C2: wrong 0 of 5 people, missed 0 of 6, recognition 4 of 4;
     * comprehensive (2 + 0 + 0) / 100000 = 0.002%; every se 0 */
    const verify_county *c2 = county("C2");
    expect_near(c2->rates[RATE_WRONG_EXIT].value, 0, "C2 wrong");
    expect_near(c2->rates[RATE_WRONG_EXIT].den, 5, "C2 wrong den");
    expect_near(c2->rates[RATE_MISSED].value, 0, "C2 missed");
    expect_near(c2->rates[RATE_MISSED].den, 6, "C2 missed den");
    expect_near(c2->rates[RATE_RECOGNITION].value, 100, "C2 recognition");
    expect_near(c2->rates[RATE_COMPREHENSIVE].value, 0.002, "C2 comprehensive");
    for (int r = 0; r < RATE__COUNT; r++)
        expect_near(c2->rates[r].se, 0, verify_rate_names[r]);
    for (size_t k = 0; k < 4; k++) {
        cr_assert_eq(c2->vetoes[k].status, ST_PASS, "C2 %s", rules_veto(RS, k)->id);
        cr_assert_not(c2->vetoes[k].within_margin, "C2 %s: a zero-width interval away from the threshold",
                      rules_veto(RS, k)->id);
    }
    cr_assert_eq(c2->status, ST_PASS);

    const verify_county *c3 = county("C3");
    cr_assert_not(c3->have_population);
    cr_assert_not(c3->rates[RATE_COMPREHENSIVE].known, "no P: no comprehensive rate");
    cr_assert(c3->rates[RATE_WRONG_EXIT].known && c3->rates[RATE_MISSED].known);
    cr_assert_eq(c3->vetoes[veto_of(RATE_COMPREHENSIVE)].status, ST_UNKNOWN);
    cr_assert_not(c3->vetoes[veto_of(RATE_COMPREHENSIVE)].within_margin);
    cr_assert_eq(c3->vetoes[veto_of(RATE_WRONG_EXIT)].status, ST_PASS);
    cr_assert_eq(c3->status, ST_UNKNOWN);

    /* overall: P is not known for every county */
    cr_assert_not(verify_overall(V)->rates[RATE_COMPREHENSIVE].known);
    expect_near(verify_overall(V)->rates[RATE_RECOGNITION].value, 100, "overall recognition");
    cr_assert_eq(verify_verdict(V), 1, "a county is unknown");
}

Test(verify, every_county_passes)
{
    cr_assert_eq(run(SURVEY_C2, NULL), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    const verify_county *cs;
    cr_assert_eq(verify_counties(V, &cs), 1);
    cr_assert_eq(cs[0].status, ST_PASS);
    cr_assert_eq(verify_verdict(V), 0);
}

Test(verify, no_county_is_no_pass)
{
    /* only a household the register does not list: no county is judged */
    cr_assert_eq(run(SV_HEADER "zz,V9,no,3,5000,yes,yes,0,yes,yes,yes\n", NULL), 0, "%s", all_diags());
    const verify_county *cs;
    cr_assert_eq(verify_counties(V, &cs), 0);
    cr_assert_eq(verify_verdict(V), 1, "no county passes when there is none");
}

/* ---------- inputs that are errors ---------- */

static const char SURVEY_NO_ID[] = "village_id,registered,members,income_per_capita,food_secure,clothing_secure,"
                                   "school_dropouts,medical_insured,house_safe,recognition\n"
                                   "V1,yes,4,1000,yes,yes,0,yes,yes,no\n"
                                   "V1,yes,2,5000,yes,yes,0,yes,yes,yes\n";

Test(verify, survey_without_household_id)
{
    cr_assert_eq(run(SURVEY_NO_ID, NULL), -1, "%s", all_diags());
    cr_assert_geq(diag_errors(D), 1);
    const diag_entry *e = diag_with(DIAG_ERROR, "household_id");
    cr_assert_str_eq(e->file, in_dir("survey.csv"));
    cr_assert_eq(e->line, 1, "the header");
    cr_assert_not_null(strstr(e->message, "missing"), "%s", e->message);
    const verify_household *h;
    cr_assert_eq(verify_households(V, &h), 0, "no survey row was taken");
    const verify_county *c;
    cr_assert_eq(verify_counties(V, &c), 0);
    cr_assert_eq(verify_verdict(V), 1);
}

/* With a manifest the survey's missing column is the only error: the
 * manifest's households are in the register, which must not be reported
 * as a sample drawn from another frame. */
Test(verify, survey_without_household_id_blames_only_the_survey)
{
    cr_assert_eq(run(SURVEY_NO_ID, MANIFEST), -1, "%s", all_diags());
    cr_assert_eq(diags_with(DIAG_ERROR, "household_id"), 1, "%s", all_diags());
    cr_assert_eq(diags_with(DIAG_ERROR, "another frame"), 0, "a follow-on error:\n%s", all_diags());
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}

/* Every input read (or opened) has its digest in the provenance. */
Test(verify, register_digest_when_the_survey_is_unreadable)
{
    cr_assert_eq(run(SURVEY_NO_ID, NULL), -1, "%s", all_diags());
    const table_stats *st = verify_stats(V, VIN_HOUSEHOLD);
    cr_assert_not_null(st);
    cr_assert_eq(strlen(st->sha256), 64, "the register's household table has an empty digest: '%s'", st->sha256);
    cr_assert_not_null(st->encoding, "and no encoding");
}

Test(verify, survey_household_twice)
{
    char survey[4096];
    snprintf(survey, sizeof survey, "%s%s", SURVEY, "a2,V1,yes,3,5100,yes,yes,0,yes,yes,no\n"); /* line 11 */
    cr_assert_eq(run(survey, MANIFEST), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e = diag_with(DIAG_ERROR, "row rejected: household 'a2' is in the survey twice (first at line 3)");
    cr_assert_str_eq(e->file, in_dir("survey.csv"));
    cr_assert_eq(e->line, 11);
    const table_stats *st = verify_stats(V, VIN_SURVEY);
    cr_assert_eq(st->rows_read, 10);
    cr_assert_eq(st->rows_rejected, 1);
    /* the first row is the one kept */
    const verify_household *a2 = household("a2");
    cr_assert_eq(a2->line, 3);
    cr_assert(a2->members == 2);
    const verify_household *h;
    cr_assert_eq(verify_households(V, &h), 10, "9 rows and p1, not surveyed");
}

/* The sample was drawn from another frame: none of its households is in
 * this register. The error is at the first of them, in the unit_id column. */
Test(verify, manifest_from_another_frame)
{
    static const char other[] = "level,unit_id,parent_id,county_id,stratum,pi,weight,u\n"
                                "village,V1,C1,C1,s1,0.5,2,0000000000000001\n"
                                "household,zz1,V1,C1,exited,0.5,2,0000000000000002\n" /* line 3 */
                                "household,a1,V1,C1,exited,0.5,2,0000000000000003\n"
                                "household,zz2,V1,C1,exited,0.5,2,0000000000000004\n";
    cr_assert_eq(run(SV_HEADER "a1,V1,yes,4,1000,yes,yes,0,yes,yes,no\n", other), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e =
        diag_with(DIAG_ERROR, "2 households of the manifest are not in the register (the first 'zz1'): the sample "
                              "was drawn from another frame");
    cr_assert_str_eq(e->file, in_dir("manifest.csv"));
    cr_assert_eq(e->line, 3);
    cr_assert_eq(e->column, 2, "the unit_id column");
    /* they are listed, not dropped */
    cr_assert_eq(household("zz1")->finding, FIND_NOT_SURVEYED);
    cr_assert_eq(household("zz1")->registered, -1, "not in the register: unknown");
    cr_assert_eq(household("zz2")->finding, FIND_NOT_SURVEYED);
}

Test(verify, surveyed_household_not_drawn)
{
    /* n2 is surveyed, in the register, and not in the manifest */
    static const char manifest[] = "level,unit_id,parent_id,county_id,stratum,pi,weight,u\n"
                                   "village,V2,C1,C1,s1,0.5,2,0000000000000001\n"
                                   "household,b1,V2,C1,exited,0.5,2,0000000000000002\n";
    cr_assert_eq(run(SV_HEADER
                     "b1,V2,yes,5,3500,yes,yes,0,yes,yes,yes\n"
                     "n2,V2,no,3,8000,yes,yes,0,yes,yes,no\n", /* line 3 */
                     manifest),
                 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e = diag_with(DIAG_ERROR, "household 'n2' is not in the manifest");
    cr_assert_str_eq(e->file, in_dir("survey.csv"));
    cr_assert_eq(e->line, 3);
}

/* A survey that says a registered household is not registered: the
 * register decides the finding; the cell is a difference, not an error. */
Test(verify, registered_cell_contradicting_the_register)
{
    run_ok(SV_HEADER
           "a2,V1,no,2,5000,yes,yes,0,yes,yes,yes\n"  /* registered and exited earlier per the register */
           "n2,V2,yes,3,8000,yes,yes,0,yes,yes,yes\n", /* not registered per the register */
           NULL);
    cr_assert_eq(diag_count(D), 1, "only the no-manifest warning:\n%s", all_diags());
    const verify_household *a2 = household("a2");
    cr_assert_eq(a2->registered, 1, "the register's");
    cr_assert_eq(a2->exit, UEXIT_EARLIER);
    cr_assert_eq(a2->finding, FIND_OK);
    const verify_diff *d = diff_of(a2, "registered");
    cr_assert_not_null(d, "registered yes -> no is a difference");
    cr_assert(d->reg.kind == V_BOOL && d->reg.u.b == 1 && d->sur.kind == V_BOOL && d->sur.u.b == 0);
    cr_assert_eq(a2->ndiffs, 1);
    /* in the wrong-exit rate's domain by the register */
    expect_near(county("C1")->rates[RATE_WRONG_EXIT].den, 2, "a2's 2 members");
    const verify_household *n2 = household("n2");
    cr_assert_eq(n2->registered, 0);
    cr_assert_eq(n2->finding, FIND_OK);
    cr_assert_not_null(diff_of(n2, "registered"));
    expect_near(county("C1")->rates[RATE_MISSED].den, 3, "n2 in the missed rate's domain");
    const verify_accuracy *acc = verify_indicator_accuracy(V);
    cr_assert_eq(acc[ind("registered")].compared, 2);
    cr_assert_eq(acc[ind("registered")].agreed, 0);
}

/* A register row repeated (of a household not surveyed) must not count
 * its people twice: check rejects such a row with an error, and so must
 * verify, whose comprehensive rate rests on those counts. */
Test(verify, register_household_twice)
{
    char reg[4096];
    snprintf(reg, sizeof reg, "%s%s", HOUSEHOLD, "p1,V3,C1,2016,6,no,yes,,2000,yes,yes,0,yes,no\n"); /* line 19 */
    put("household.csv", reg);
    run(SURVEY, MANIFEST);
    const verify_county *c = county("C1");
    expect_near(c->reg_people, 22, "registered people, p1 counted once");
    expect_near(c->poor_people, 6, "R, p1 counted once");
    const diag_entry *e = diag_with(DIAG_ERROR, "p1");
    cr_assert_str_eq(e->file, in_dir("household.csv"));
    cr_assert_eq(e->line, 19);
}

/* The register's surveyed household twice: an error at the second row. */
Test(verify, register_surveyed_household_twice)
{
    char reg[4096];
    snprintf(reg, sizeof reg, "%s%s", HOUSEHOLD, "a1,V1,C1,2016,4,yes,yes,,4000,yes,yes,0,yes,yes\n"); /* line 19 */
    put("household.csv", reg);
    run(SURVEY, MANIFEST);
    const diag_entry *e = diag_with(DIAG_ERROR, "duplicate household_id 'a1' (first at line 2)");
    cr_assert_str_eq(e->file, in_dir("household.csv"));
    cr_assert_eq(e->line, 19);
}

/* Chinese headers (the form's): the same households and findings. */
Test(verify, survey_with_chinese_headers)
{
    run_ok("户编号,村编号,是否建档立卡户,家庭人口,人均纯收入,不愁吃,不愁穿,辍学人数,基本医疗有保障,住房安全,认可\n"
           "a1,V1,是,4,1000,是,是,0,是,是,否\n"
           "n1,V1,否,2,6000,是,是,0,是,否,是\n",
           NULL);
    cr_assert_eq(household("a1")->finding, FIND_WRONG_EXIT);
    cr_assert_eq(household("a1")->recognition, 0);
    cr_assert_eq(household("n1")->finding, FIND_MISSED);
    cr_assert_eq(household("n1")->recognition, 1);
}

/*
 * Two counties without a manifest: every weight 1, each county's villages
 * one stratum. The overall wrong-exit rate pools the counties' households
 * and its variance adds the strata (C1, {V1, V2, V3}) and (C2, {W1, W2}).
 *
 *   C1: a1 V1 x 4 y 4, a2 V1 x 2, b1 V2 x 5, c1 V3 x 3 (u1 undecided)
 *   C2: e1 W1 x 3, e2 W2 x 2
 *   R = 4/19; z_i = (y - R x) / 19, in 361ths: a1 60, a2 -8, b1 -20,
 *   c1 -12, e1 -12, e2 -8.
 *   C1: z_V = 52, -20, -12, mean 20/3: sum of squares (136^2 + 80^2 +
 *   56^2) / 9 = 28032/9, times 3/2 = 4672; C2: z_W = -12, -8: 2 * (2^2 +
 *   2^2) = 16. var = 4688 / 361^2, se = 100 sqrt(4688) / 361 = 18.966...%
 *
 *   C1 alone: R = 4/14, z in 98ths: a1 20, a2 -4, b1 -10, c1 -6; z_V =
 *   16, -10, -6, mean 0; var = 3/2 * 392 / 98^2, se = 100 sqrt(588) / 98.
 */
Test(verify, overall_pools_the_counties)
{
    char survey[4096];
    snprintf(survey, sizeof survey, "%s%s", SURVEY, SURVEY_C2 + strlen(SV_HEADER));
    cr_assert_eq(run(survey, NULL), 0, "%s", all_diags());
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    const verify_county *cs;
    cr_assert_eq(verify_counties(V, &cs), 2);
    const verify_estimate *c1 = &county("C1")->rates[RATE_WRONG_EXIT];
    expect_near(c1->value, 400.0 / 14.0, "C1 wrong");
    expect_near(c1->se, 100 * sqrt(588.0) / 98.0, "C1 wrong se");
    const verify_county *o = verify_overall(V);
    const verify_estimate *e = &o->rates[RATE_WRONG_EXIT];
    expect_near(e->num, 4, "overall numerator");
    expect_near(e->den, 19, "overall denominator");
    expect_near(e->value, 400.0 / 19.0, "overall wrong");
    expect_near(e->se, 100 * sqrt(4688.0) / 361.0, "overall wrong se");
    cr_assert_eq(e->households, 6);
    cr_assert_eq(e->undecided, 1);
    cr_assert_eq(o->single_strata, 0);
    /* the overall comprehensive rate over the two counties' people:
     * P 101000, registered 29, exited 21, R 8; missed 2 of 12 people */
    expect_near(o->rates[RATE_MISSED].value, 200.0 / 12.0, "overall missed");
    cr_assert(o->have_population);
    expect_near(o->population, 101000, "overall P");
    double num = 8 + 2.0 / 12.0 * (101000 - 29) + 4.0 / 19.0 * 21;
    expect_near(o->rates[RATE_COMPREHENSIVE].num, num, "overall R + M + W");
    expect_near(o->rates[RATE_COMPREHENSIVE].value, num / 101000 * 100, "overall comprehensive");
    /* C1 fails, C2 passes: the verdict is 1 */
    cr_assert_eq(county("C1")->status, ST_FAIL);
    cr_assert_eq(county("C2")->status, ST_PASS);
    cr_assert_eq(verify_verdict(V), 1);
}

/* A drawn household whose manifest weight is not a weight: one error, at
 * that cell. The household is in the manifest, so its survey row must not
 * be reported as one that was not drawn. */
Test(verify, manifest_weight_below_1)
{
    char manifest[4096];
    snprintf(manifest, sizeof manifest, "%s", MANIFEST);
    char *a1 = strstr(manifest, "household,a1,V1,C1,exited,0.5,2,");
    cr_assert_not_null(a1);
    memcpy(a1, "household,a1,V1,C1,exited,2,0.5,", strlen("household,a1,V1,C1,exited,2,0.5,")); /* line 5 */
    run(SURVEY, manifest);
    const diag_entry *e = diag_with(DIAG_ERROR, "the weight of a household must be a number of 1 or more");
    cr_assert_str_eq(e->file, in_dir("manifest.csv"));
    cr_assert_eq(e->line, 5);
    cr_assert_eq(e->column, 7, "the weight column");
    cr_assert_eq(diags_with(DIAG_ERROR, "'a1' is not in the manifest"), 0, "a follow-on error:\n%s", all_diags());
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
}
