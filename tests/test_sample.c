/*
 * test_sample.c - the draw (src/sample.h): the selection number U pinned
 * against sha256sum, then whole runs of sample_run over small frames
 * written to a temporary directory with the Gansu pack: srs (the take
 * smallest U; pi = n / N), pps (the take smallest u / x; pi = n x / sum x,
 * 1 when the stratum has no more units than its take), ties broken by id,
 * a household's pi as its village's times its own, weight 1 / pi,
 * `take: all`, the same sample whatever the order of the rows, a repeated
 * household id, pps units without a positive size, and households whose
 * village is not in the village table.
 *
 * The expected draws are worked out here from the rule of SPEC §7.1 (sort
 * by U, or by u / x, then id) with sample_u, which is itself pinned to
 * sha256sum outputs in the first test.
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "plan.h"
#include "rules.h"
#include "sample.h"
#include "strbuf.h"
#include "table.h"

#define CD(i, xx) {.id = (i), .x = (xx)}

#define GANSU TEST_SRCDIR "/rules/gansu"

static diag_list *D;
static ruleset *RS;
static plan *P;
static sampler *S, *S2;
static char dir[64];

static void setup(void)
{
    D = diag_new();
    cr_assert_not_null(D);
    RS = rules_load(GANSU, D);
    cr_assert_not_null(RS);
    cr_assert_eq(diag_errors(D), 0);
    diag_free(&D);
    D = diag_new();
    cr_assert_not_null(D);
    snprintf(dir, sizeof dir, "/tmp/exitcheck-sample-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    sample_free(&S);
    sample_free(&S2);
    plan_free(&P);
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

TestSuite(sample_u);
TestSuite(sample, .init = setup, .fini = teardown);

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

/* ---------- the selection number ---------- */

static uint64_t U(const char *seed, const char *stratum, const char *id)
{
    uint64_t u = 0;
    cr_assert_eq(sample_u(seed, stratum, id, strlen(id), &u), 0);
    return u;
}

Test(sample_u, pinned_to_sha256sum)
{
    /* Each constant is the first 16 hex digits of, in bash:
     *   printf '%s\x1f%s\x1f%s' SEED STRATUM ID | sha256sum | cut -c1-16
     * hand-2017 poor 6211230012             -> ed5c0d4ddf54564b (fixtures/sample/hand/README.md)
     * 2017-spot-check all_villages 621123001 -> b1323e9b0f6ea444 (plans/README.md)
     * 抽样2018 exited 62112300121            -> 2a5cc739519cad95 (a Chinese seed, UTF-8)
     * s rest a,b                             -> 08ec396190a23038 (an id with a comma)
     * '' x ''                                -> d6c755c45c84bf3e (empty seed and id)
     * 'seed with space' census 'id"q'        -> 62bdb242c8285708 (a space, a quote) */
    cr_assert_eq(U("hand-2017", "poor", "6211230012"), UINT64_C(0xed5c0d4ddf54564b));
    cr_assert_eq(U("2017-spot-check", "all_villages", "621123001"), UINT64_C(0xb1323e9b0f6ea444));
    cr_assert_eq(U("抽样2018", "exited", "62112300121"), UINT64_C(0x2a5cc739519cad95));
    cr_assert_eq(U("s", "rest", "a,b"), UINT64_C(0x08ec396190a23038));
    cr_assert_eq(U("", "x", ""), UINT64_C(0xd6c755c45c84bf3e));
    cr_assert_eq(U("seed with space", "census", "id\"q"), UINT64_C(0x62bdb242c8285708));
}

Test(sample_u, id_is_taken_by_length)
{
    uint64_t u = 0;
    /* the id need not be terminated: only idlen bytes count */
    cr_assert_eq(sample_u("s", "rest", "a,bXYZ", 3, &u), 0);
    cr_assert_eq(u, UINT64_C(0x08ec396190a23038));
    /* the separator keeps (seed, stratum) pairs apart: "ab"+"c" is not "a"+"bc" */
    cr_assert_neq(U("ab", "c", "1"), U("a", "bc", "1"));
}

Test(sample_u, too_long_is_refused)
{
    size_t n = 70000;
    char *seed = malloc(n + 1);
    cr_assert_not_null(seed);
    memset(seed, 's', n);
    seed[n] = '\0';
    uint64_t u = 42;
    cr_assert_eq(sample_u(seed, "x", "1", 1, &u), -1);
    cr_assert_eq(u, 42, "u is left alone on failure");
    free(seed);
}

/* ---------- running a sample ---------- */

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
    static char paths[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(paths[k], sizeof paths[k], "%s/%s", dir, name);
    return paths[k];
}

static void load_plan(const char *text)
{
    put("plan.yaml", text);
    P = plan_load(in_dir("plan.yaml"), D);
    cr_assert_not_null(P, "%s", all_diags());
    cr_assert_eq(plan_bind(P, RS, D), 0, "%s", all_diags());
}

/* A sampler run over the two named tables of the temporary directory. */
static sampler *run(const char *seed, const char *village, const char *household)
{
    sampler *s = sample_new(RS, P, seed, D);
    cr_assert_not_null(s);
    table_opts o = {ENC_AUTO, 0, 1, NULL, NULL, 0};
    cr_assert_eq(sample_run(s, in_dir(village), in_dir(household), &o), 0, "%s", all_diags());
    return s;
}

static int stratum_index(plan_stage_id st, const char *id)
{
    const plan_stage *sg = plan_get_stage(P, st);
    for (size_t k = 0; k < sg->nstrata; k++)
        if (!strcmp(sg->strata[k].id, id))
            return (int)k;
    cr_assert_fail("no stratum %s", id);
    return -1;
}

/* The expected draw of one stratum, worked out from the rule: the take
 * units of smallest U (srs) or u / x (pps), ties by id. */
typedef struct cand {
    const char *id;
    double x;
    uint64_t u;
    double key;
    int drawn;
    double pi;
} cand;

static const char *sort_method;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (!strcmp(sort_method, "srs")) {
        if (x->u != y->u)
            return x->u < y->u ? -1 : 1;
    } else if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    return strcmp(x->id, y->id);
}

static void expect_draw(const char *seed, const char *stratum, const char *method, long take, cand *c, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        c[i].u = U(seed, stratum, c[i].id);
        c[i].key = (double)c[i].u / 18446744073709551616.0 / c[i].x;
        total += c[i].x;
    }
    sort_method = method;
    qsort(c, n, sizeof *c, cmp_cand);
    long drawn = take < 0 || (long)n < take ? (long)n : take;
    for (size_t i = 0; i < n; i++) {
        c[i].drawn = (long)i < drawn;
        if (take < 0 || (long)n <= take)
            c[i].pi = 1;
        else if (!strcmp(method, "srs"))
            c[i].pi = (double)drawn / (double)n;
        else {
            double pi = (double)drawn * c[i].x / total;
            c[i].pi = pi < 1 ? pi : 1;
        }
    }
}

static const cand *find_cand(const cand *c, size_t n, const char *id)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(c[i].id, id))
            return &c[i];
    return NULL;
}

static const sample_unit *find_unit(const sampler *s, plan_stage_id st, const char *id)
{
    const sample_unit *u;
    size_t n = sample_units(s, st, &u);
    for (size_t i = 0; i < n; i++)
        if (!strcmp(u[i].id, id))
            return &u[i];
    return NULL;
}

/* ---------- srs ---------- */

static const char SRS_PLAN[] =
    "plan: t-srs\n"
    "villages:\n"
    "  - {id: all, take: 2}\n"
    "households:\n"
    "  - {id: hh, take: 2}\n";

static const char SRS_VILLAGES[] =
    "village_id,county_id,village_name\n"
    "A1,C1,甲村\n"
    "A2,C1,乙村\n"
    "A3,C1,丙村\n"
    "A4,C1,丁村\n"
    "A5,C1,戊村\n"
    "B1,C2,己村\n";

static const char SRS_HOUSEHOLDS[] =
    "household_id,village_id\n"
    "A1-1,A1\nA1-2,A1\nA1-3,A1\n"
    "A2-1,A2\nA2-2,A2\nA2-3,A2\n"
    "A3-1,A3\nA3-2,A3\nA3-3,A3\n"
    "A4-1,A4\nA4-2,A4\nA4-3,A4\n"
    "A5-1,A5\nA5-2,A5\nA5-3,A5\n"
    "B1-1,B1\n";

Test(sample, srs_takes_the_smallest_u_with_pi_n_over_N)
{
    load_plan(SRS_PLAN);
    put("village.csv", SRS_VILLAGES);
    put("household.csv", SRS_HOUSEHOLDS);
    S = run("srs-seed", "village.csv", "household.csv");
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());

    cand c1[] = {CD("A1", 0), CD("A2", 0), CD("A3", 0), CD("A4", 0), CD("A5", 0)};
    expect_draw("srs-seed", "all", "srs", 2, c1, 5);
    /* the expected units: C1's two (by id), then C2's B1 */
    const char *want[3];
    want[0] = strcmp(c1[0].id, c1[1].id) < 0 ? c1[0].id : c1[1].id;
    want[1] = strcmp(c1[0].id, c1[1].id) < 0 ? c1[1].id : c1[0].id;
    want[2] = "B1";
    const sample_unit *u;
    size_t n = sample_units(S, PLAN_VILLAGES, &u);
    cr_assert_eq(n, 3);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_str_eq(u[i].id, want[i], "village %zu is %s, expected %s", i, u[i].id, want[i]);
        int c2 = i == 2;
        cr_assert_str_eq(u[i].county, c2 ? "C2" : "C1");
        cr_assert_str_eq(u[i].parent, u[i].county);
        cr_assert_eq(u[i].stratum, 0);
        cr_assert_eq(u[i].u, U("srs-seed", "all", want[i]));
        cr_assert(u[i].size == 0, "srs has no size");
        double pi = c2 ? 1.0 : 2.0 / 5.0;
        cr_assert(u[i].pi == pi, "%s: pi %.17g, expected %.17g", want[i], u[i].pi, pi);
        cr_assert(u[i].weight == 1.0 / pi, "%s: weight %.17g", want[i], u[i].weight);
        long line = c2 ? 7 : want[i][1] - '0' + 1;
        cr_assert_eq(u[i].line, line, "%s at line %ld", want[i], u[i].line);
    }
    cr_assert_str_eq(find_unit(S, PLAN_VILLAGES, "B1")->name, "己村");
    /* households: 2 of 3 in each drawn C1 village by U, pi = 2/5 * 2/3; B1's only one, pi = 1 */
    size_t k = 0;
    const sample_unit *h;
    size_t nh = sample_units(S, PLAN_HOUSEHOLDS, &h);
    cr_assert_eq(nh, 5);
    for (size_t i = 0; i < 2; i++) {
        char ids[3][8];
        cand hc[3];
        for (int j = 0; j < 3; j++) {
            snprintf(ids[j], sizeof ids[j], "%s-%d", want[i], j + 1);
            hc[j] = (cand){.id = ids[j]};
        }
        expect_draw("srs-seed", "hh", "srs", 2, hc, 3);
        const char *a = strcmp(hc[0].id, hc[1].id) < 0 ? hc[0].id : hc[1].id;
        const char *b = strcmp(hc[0].id, hc[1].id) < 0 ? hc[1].id : hc[0].id;
        cr_assert_str_eq(h[k].id, a, "household %zu: %s, expected %s", k, h[k].id, a);
        cr_assert_str_eq(h[k + 1].id, b, "household %zu: %s, expected %s", k + 1, h[k + 1].id, b);
        for (int j = 0; j < 2; j++, k++) {
            cr_assert_str_eq(h[k].parent, want[i]);
            cr_assert_str_eq(h[k].county, "C1");
            cr_assert_eq(h[k].u, U("srs-seed", "hh", h[k].id));
            double pi = (2.0 / 5.0) * (2.0 / 3.0);
            cr_assert(h[k].pi == pi, "%s: pi %.17g, expected %.17g", h[k].id, h[k].pi, pi);
            cr_assert(h[k].weight == 1.0 / pi);
        }
    }
    cr_assert_str_eq(h[4].id, "B1-1");
    cr_assert(h[4].pi == 1.0 && h[4].weight == 1.0);
    cr_assert_str_eq(h[4].name, "己村", "a household carries its village's name");

    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_eq(cnt->units[PLAN_VILLAGES], 6);
    cr_assert_eq(cnt->drawn[PLAN_VILLAGES], 3);
    cr_assert_eq(cnt->units[PLAN_HOUSEHOLDS], 16);
    cr_assert_eq(cnt->in_drawn_villages, 7);
    cr_assert_eq(cnt->drawn[PLAN_HOUSEHOLDS], 5);
    cr_assert_eq(cnt->orphans, 0);
    cr_assert_eq(cnt->no_stratum[PLAN_VILLAGES] + cnt->no_stratum[PLAN_HOUSEHOLDS], 0);

    const sample_cell *cell;
    size_t nc = sample_cells(S, &cell);
    cr_assert_eq(nc, 2 + 3, "two county draws, then one per drawn village");
    cr_assert_eq(cell[0].stage, PLAN_VILLAGES);
    cr_assert_str_eq(cell[0].county, "C1");
    cr_assert_eq(cell[0].population, 5);
    cr_assert_eq(cell[0].drawn, 2);
    cr_assert(cell[0].pi_min == 0.4 && cell[0].pi_max == 0.4);
    cr_assert_str_eq(cell[1].county, "C2");
    cr_assert_eq(cell[1].population, 1);
    cr_assert_eq(cell[1].drawn, 1);
    for (size_t i = 2; i < 5; i++) {
        cr_assert_eq(cell[i].stage, PLAN_HOUSEHOLDS);
        cr_assert_str_eq(cell[i].village, i < 4 ? want[i - 2] : "B1");
        cr_assert_eq(cell[i].population, i < 4 ? 3 : 1);
        cr_assert_eq(cell[i].drawn, i < 4 ? 2 : 1);
        double own = i < 4 ? 2.0 / 3.0 : 1.0;
        cr_assert(cell[i].pi_min == own && cell[i].pi_max == own, "cells hold a household's own pi");
    }
    const table_stats *vs = sample_stats(S, PLAN_VILLAGES), *hs = sample_stats(S, PLAN_HOUSEHOLDS);
    cr_assert_eq(vs->rows_read, 6);
    cr_assert_eq(hs->rows_read, 16);
    cr_assert_eq(hs->rows_rejected, 0);
    cr_assert_str_eq(sample_seed(S), "srs-seed");
}

/* ---------- pps, take: all, and pi through both stages ---------- */

static const char PPS_PLAN[] =
    "plan: t-pps\n"
    "columns:\n"
    "  household:\n"
    "    dibao: bool\n"
    "villages:\n"
    "  - {id: big, where: population >= 1000, take: 2, method: pps, size: population}\n"
    "  - {id: small, take: 1}\n"
    "households:\n"
    "  - {id: census, where: dibao, take: all}\n"
    "  - {id: pp, take: 2, method: pps, size: members}\n";

static const char PPS_VILLAGES[] =
    "village_id,county_id,population\n"
    "P1,C1,1000\n"
    "P2,C1,2000\n"
    "P3,C1,3000\n"
    "P4,C1,4000\n"
    "S1,C1,10\n"
    "S2,C1,20\n"
    "Q1,C2,1500\n"
    "Q2,C2,4500\n"
    "S3,C2,5\n";

/* Six households in every village: four in pp (members 1, 2, 3, 10: sum
 * 16, own pi 2x/16 capped at 1), two in census (one with no members:
 * census is srs, it needs no size). Written by hh_table, forwards or
 * backwards. */
static const char *const VIDS[] = {"P1", "P2", "P3", "P4", "S1", "S2", "Q1", "Q2", "S3"};
static const char *const HMEMBERS[] = {"1", "2", "3", "10", "2", ""};
static const char *const HDIBAO[] = {"否", "no", "0", "否", "是", "yes"};

static void hh_table(const char *name, int backwards)
{
    strbuf sb = STRBUF_INIT;
    strbuf_puts(&sb, "household_id,village_id,members,dibao\n");
    size_t nv = sizeof VIDS / sizeof *VIDS;
    for (size_t r = 0; r < nv * 6; r++) {
        size_t i = backwards ? nv * 6 - 1 - r : r;
        size_t v = i / 6, j = i % 6;
        strbuf_printf(&sb, "%s-%zu,%s,%s,%s\n", VIDS[v], j + 1, VIDS[v], HMEMBERS[j], HDIBAO[j]);
    }
    put(name, strbuf_str(&sb));
    strbuf_free(&sb);
}

Test(sample, pps_pi_is_n_x_over_sum_x_and_households_multiply)
{
    load_plan(PPS_PLAN);
    put("village.csv", PPS_VILLAGES);
    hh_table("household.csv", 0);
    S = run("pps-seed", "village.csv", "household.csv");
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());

    cand big1[] = {CD("P1", 1000), CD("P2", 2000), CD("P3", 3000), CD("P4", 4000)};
    expect_draw("pps-seed", "big", "pps", 2, big1, 4);
    cand small1[] = {CD("S1", 10), CD("S2", 20)};
    expect_draw("pps-seed", "small", "srs", 1, small1, 2);
    cand big2[] = {CD("Q1", 1500), CD("Q2", 4500)};
    expect_draw("pps-seed", "big", "pps", 2, big2, 2);

    /* the pi of the rule, by hand: 2 * x / 10000 */
    static const double big_pi[] = {0.2, 0.4, 0.6, 0.8};
    for (int i = 0; i < 4; i++) {
        char id[3] = {'P', (char)('1' + i), 0};
        const cand *c = find_cand(big1, 4, id);
        cr_assert(c->pi == big_pi[i], "%s: rule pi %.17g", id, c->pi);
    }
    /* C2's big stratum has N = 2 <= take: both drawn with pi 1, not 2x / sum x (0.5 and 1.5) */
    cr_assert(big2[0].pi == 1 && big2[1].pi == 1);

    const sample_unit *u;
    size_t n = sample_units(S, PLAN_VILLAGES, &u);
    cr_assert_eq(n, 2 + 1 + 2 + 1);
    int nbig = 0;
    for (size_t i = 0; i < n; i++) {
        const cand *c = find_cand(big1, 4, u[i].id);
        if (!c)
            c = find_cand(small1, 2, u[i].id);
        if (!c)
            c = find_cand(big2, 2, u[i].id);
        if (!c) {
            cr_assert_str_eq(u[i].id, "S3");
            cr_assert(u[i].pi == 1);
            continue;
        }
        cr_assert(c->drawn, "%s is drawn but the rule does not draw it", u[i].id);
        cr_assert(u[i].pi == c->pi, "%s: pi %.17g, expected %.17g", u[i].id, u[i].pi, c->pi);
        cr_assert(u[i].weight == 1.0 / c->pi);
        int is_big = u[i].id[0] != 'S';
        nbig += is_big && u[i].county[1] == '1';
        cr_assert_eq(u[i].stratum, is_big ? 0 : 1);
        cr_assert(u[i].size == (is_big ? c->x : 0), "%s: size %g", u[i].id, u[i].size);
        cr_assert_eq(u[i].u, U("pps-seed", is_big ? "big" : "small", u[i].id));
    }
    cr_assert_eq(nbig, 2);
    /* the order: by county, then id */
    for (size_t i = 1; i < n; i++) {
        int c = strcmp(u[i - 1].county, u[i].county);
        cr_assert(c < 0 || (c == 0 && strcmp(u[i - 1].id, u[i].id) < 0), "%s before %s", u[i - 1].id, u[i].id);
    }

    /* households: in each drawn village, both census households (own pi 1)
     * and the two pp households of smallest u / x */
    const sample_unit *h;
    size_t nh = sample_units(S, PLAN_HOUSEHOLDS, &h);
    cr_assert_eq(nh, n * 4);
    for (size_t i = 0; i < n; i++) {
        const char *v = u[i].id;
        char ids[4][8];
        cand pc[4];
        static const double members[] = {1, 2, 3, 10};
        for (int j = 0; j < 4; j++) {
            snprintf(ids[j], sizeof ids[j], "%s-%d", v, j + 1);
            pc[j] = (cand){.id = ids[j], .x = members[j]};
        }
        expect_draw("pps-seed", "pp", "pps", 2, pc, 4);
        for (int j = 0; j < 4; j++) {
            const sample_unit *hu = find_unit(S, PLAN_HOUSEHOLDS, pc[j].id);
            cr_assert_eq(hu != NULL, pc[j].drawn, "%s: drawn %d, expected %d", pc[j].id, hu != NULL, pc[j].drawn);
            if (!hu)
                continue;
            double own = 2.0 * pc[j].x / 16.0;
            own = own < 1 ? own : 1;
            cr_assert(pc[j].pi == own);
            cr_assert(hu->pi == u[i].pi * own, "%s: pi %.17g, expected %.17g x %.17g", hu->id, hu->pi, u[i].pi, own);
            cr_assert(hu->weight == 1.0 / (u[i].pi * own));
            cr_assert_eq(hu->stratum, stratum_index(PLAN_HOUSEHOLDS, "pp"));
            cr_assert(hu->size == pc[j].x);
            cr_assert_str_eq(hu->parent, v);
            cr_assert_str_eq(hu->county, u[i].county);
        }
        for (int j = 5; j <= 6; j++) {
            char id[8];
            snprintf(id, sizeof id, "%s-%d", v, j);
            const sample_unit *hu = find_unit(S, PLAN_HOUSEHOLDS, id);
            cr_assert_not_null(hu, "census household %s is taken (take: all)", id);
            cr_assert_eq(hu->stratum, stratum_index(PLAN_HOUSEHOLDS, "census"));
            cr_assert(hu->pi == u[i].pi, "%s: take all: own pi 1, pi = the village's", id);
            cr_assert(hu->size == 0);
            cr_assert_eq(hu->u, U("pps-seed", "census", id));
        }
    }
    /* households of villages not drawn are never drawn */
    for (size_t v = 0; v < sizeof VIDS / sizeof *VIDS; v++) {
        int drawn = find_unit(S, PLAN_VILLAGES, VIDS[v]) != NULL;
        char id[8];
        snprintf(id, sizeof id, "%s-5", VIDS[v]);
        cr_assert_eq(find_unit(S, PLAN_HOUSEHOLDS, id) != NULL, drawn, "%s", id);
    }
    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_eq(cnt->units[PLAN_HOUSEHOLDS], 54);
    cr_assert_eq(cnt->in_drawn_villages, (long)n * 6);
    cr_assert_eq(cnt->size_errors[PLAN_HOUSEHOLDS], 0, "a census household needs no size");
    /* the household cells of a drawn village: census N 2 n 2, pp N 4 n 2, sum of sizes 16 */
    const sample_cell *cell;
    size_t nc = sample_cells(S, &cell);
    size_t seen = 0;
    for (size_t i = 0; i < nc; i++) {
        if (cell[i].stage != PLAN_HOUSEHOLDS)
            continue;
        seen++;
        if (cell[i].stratum == 0) {
            cr_assert_eq(cell[i].population, 2);
            cr_assert_eq(cell[i].drawn, 2);
            cr_assert(cell[i].size_total == 0);
        } else {
            cr_assert_eq(cell[i].population, 4);
            cr_assert_eq(cell[i].drawn, 2);
            cr_assert(cell[i].size_total == 16, "size_total %g", cell[i].size_total);
        }
    }
    cr_assert_eq(seen, n * 2);
}

Test(sample, village_take_all_draws_every_village_with_pi_1)
{
    load_plan("plan: t-all\n"
              "villages: [{id: every, take: all}]\n"
              "households: [{id: some, take: 1}]\n");
    put("village.csv", SRS_VILLAGES);
    put("household.csv", SRS_HOUSEHOLDS);
    S = run("all-seed", "village.csv", "household.csv");
    const sample_unit *u;
    cr_assert_eq(sample_units(S, PLAN_VILLAGES, &u), 6);
    for (size_t i = 0; i < 6; i++)
        cr_assert(u[i].pi == 1 && u[i].weight == 1, "%s", u[i].id);
    const sample_unit *h;
    size_t nh = sample_units(S, PLAN_HOUSEHOLDS, &h);
    cr_assert_eq(nh, 6);
    for (size_t i = 0; i < nh; i++) {
        double pi = strcmp(h[i].parent, "B1") ? 1.0 / 3.0 : 1.0;
        cr_assert(h[i].pi == pi, "%s: %.17g", h[i].id, h[i].pi);
        cr_assert(h[i].weight == 1.0 / pi);
    }
}

/* ---------- ties by id ----------
 *
 * An srs tie needs two different ids with the same 64-bit U (a collision
 * of SHA-256 prefixes, about 2^32 ids to find one), so the tie-break by id
 * is exercised here through pps, whose key u / x can be made equal. */

/* Sizes that make two pps keys exactly equal: with a = (double)U and
 * x = a / 16, u / x = (a / 2^64) / (a / 2^4) = 2^-60 exactly, whatever U
 * is; x = a / 32 gives 2^-59. Printed whole (%.0f), they read back
 * exactly. For seed "tie": in stratum big, U(T2) = a0a8ddd4... >
 * U(T3) = 3186031e...; in stratum pp, U(T2) = a7456ef8... > U(T3) =
 * 3750fb43...: by U alone T3 would come first, by id T2 does. T1 (key
 * 2^-59) has the smallest U of the three in stratum big, so a draw by u
 * rather than u / x would take it. */
static void tie_size(char *buf, size_t cap, const char *stratum, const char *id, double div)
{
    snprintf(buf, cap, "%.0f", (double)U("tie", stratum, id) / div);
}

Test(sample, pps_ties_are_broken_by_id)
{
    load_plan("plan: t-tie\n"
              "columns:\n"
              "  village: {vx: number}\n"
              "  household: {hx: number}\n"
              "villages: [{id: big, take: 1, method: pps, size: vx}]\n"
              "households: [{id: pp, take: 1, method: pps, size: hx}]\n");
    cr_assert_gt(U("tie", "big", "T2"), U("tie", "big", "T3"));
    cr_assert_gt(U("tie", "pp", "T2"), U("tie", "pp", "T3"));
    cr_assert_lt(U("tie", "big", "T1"), U("tie", "big", "T3"));
    char x1[32], x2[32], x3[32], text[1024];
    tie_size(x1, sizeof x1, "big", "T1", 32);
    tie_size(x2, sizeof x2, "big", "T2", 16);
    tie_size(x3, sizeof x3, "big", "T3", 16);
    snprintf(text, sizeof text, "village_id,county_id,vx\nT3,C,%s\nT1,C,%s\nT2,C,%s\n", x3, x1, x2);
    put("village.csv", text);
    /* households of T2, the village drawn, with the same construction in
     * stratum pp; written in both orders, so that the worst-kept
     * candidate of the draw meets the tie from either side */
    char h1[32], h2[32], h3[32], h4[32];
    tie_size(h1, sizeof h1, "pp", "T1", 32);
    tie_size(h2, sizeof h2, "pp", "T2", 16);
    tie_size(h3, sizeof h3, "pp", "T3", 16);
    tie_size(h4, sizeof h4, "pp", "T4", 32);
    snprintf(text, sizeof text, "household_id,village_id,hx\nT1,T2,%s\nT3,T2,%s\nT2,T2,%s\nT4,T2,%s\n", h1, h3, h2,
             h4);
    put("household.csv", text);
    snprintf(text, sizeof text, "household_id,village_id,hx\nT4,T2,%s\nT2,T2,%s\nT3,T2,%s\nT1,T2,%s\n", h4, h2, h3,
             h1);
    put("household-rev.csv", text);

    for (int pass = 0; pass < 2; pass++) {
        sampler *s = run("tie", "village.csv", pass ? "household-rev.csv" : "household.csv");
        if (pass)
            S2 = s;
        else
            S = s;
        cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
        const sample_unit *u;
        cr_assert_eq(sample_units(s, PLAN_VILLAGES, &u), 1);
        cr_assert_str_eq(u[0].id, "T2", "equal u / x: the smaller id, not the smaller U (pass %d)", pass);
        const sample_unit *h;
        cr_assert_eq(sample_units(s, PLAN_HOUSEHOLDS, &h), 1);
        cr_assert_str_eq(h[0].id, "T2", "households: equal u / x, the smaller id (pass %d)", pass);
    }
}

/* ---------- the order of the rows does not matter ---------- */

static void same_units(const sampler *a, const sampler *b)
{
    for (int st = 0; st < PLAN__STAGES; st++) {
        const sample_unit *x, *y;
        size_t nx = sample_units(a, (plan_stage_id)st, &x), ny = sample_units(b, (plan_stage_id)st, &y);
        cr_assert_eq(nx, ny, "stage %d: %zu and %zu units", st, nx, ny);
        cr_assert_gt(nx, 0);
        for (size_t i = 0; i < nx; i++) {
            cr_assert_str_eq(x[i].id, y[i].id, "stage %d unit %zu", st, i);
            cr_assert_str_eq(x[i].parent, y[i].parent);
            cr_assert_str_eq(x[i].county, y[i].county);
            cr_assert_eq(x[i].name == NULL, y[i].name == NULL);
            cr_assert_eq(x[i].stratum, y[i].stratum, "%s", x[i].id);
            cr_assert_eq(x[i].u, y[i].u, "%s", x[i].id);
            cr_assert(x[i].size == y[i].size, "%s", x[i].id);
            cr_assert(x[i].pi == y[i].pi, "%s: pi %.17g and %.17g", x[i].id, x[i].pi, y[i].pi);
            cr_assert(x[i].weight == y[i].weight, "%s", x[i].id);
        }
    }
    const sample_cell *ca, *cb;
    size_t na = sample_cells(a, &ca), nb = sample_cells(b, &cb);
    cr_assert_eq(na, nb);
    for (size_t i = 0; i < na; i++) {
        cr_assert_eq(ca[i].stage, cb[i].stage);
        cr_assert_str_eq(ca[i].county, cb[i].county);
        cr_assert_eq(ca[i].village == NULL, cb[i].village == NULL);
        if (ca[i].village)
            cr_assert_str_eq(ca[i].village, cb[i].village);
        cr_assert_eq(ca[i].stratum, cb[i].stratum);
        cr_assert_eq(ca[i].population, cb[i].population);
        cr_assert_eq(ca[i].drawn, cb[i].drawn);
        cr_assert(ca[i].size_total == cb[i].size_total);
        cr_assert(ca[i].pi_min == cb[i].pi_min && ca[i].pi_max == cb[i].pi_max);
    }
}

Test(sample, reversed_household_table_gives_the_same_sample)
{
    load_plan(PPS_PLAN);
    put("village.csv", PPS_VILLAGES);
    hh_table("household.csv", 0);
    hh_table("household-rev.csv", 1);
    S = run("order-seed", "village.csv", "household.csv");
    S2 = run("order-seed", "village.csv", "household-rev.csv");
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    same_units(S, S2);
    /* the line of a household is its row's, so it differs: the draw does not */
    const sample_unit *h, *h2;
    sample_units(S, PLAN_HOUSEHOLDS, &h);
    sample_units(S2, PLAN_HOUSEHOLDS, &h2);
    cr_assert_neq(h[0].line, h2[0].line);
}

Test(sample, reversed_village_table_gives_the_same_sample)
{
    load_plan(PPS_PLAN);
    put("village.csv", PPS_VILLAGES);
    put("village-rev.csv", "village_id,county_id,population\n"
                           "S3,C2,5\nQ2,C2,4500\nQ1,C2,1500\nS2,C1,20\nS1,C1,10\n"
                           "P4,C1,4000\nP3,C1,3000\nP2,C1,2000\nP1,C1,1000\n");
    hh_table("household.csv", 0);
    hh_table("household-rev.csv", 1);
    S = run("order-seed-2", "village.csv", "household.csv");
    S2 = run("order-seed-2", "village-rev.csv", "household-rev.csv");
    cr_assert_eq(diag_errors(D), 0, "%s", all_diags());
    same_units(S, S2);
}

Test(sample, another_seed_draws_another_sample)
{
    load_plan(SRS_PLAN);
    put("village.csv", SRS_VILLAGES);
    put("household.csv", SRS_HOUSEHOLDS);
    S = run("seed-one", "village.csv", "household.csv");
    S2 = run("seed-two", "village.csv", "household.csv");
    const sample_unit *a, *b;
    sample_units(S, PLAN_HOUSEHOLDS, &a);
    size_t n = sample_units(S2, PLAN_HOUSEHOLDS, &b);
    int differ = 0;
    for (size_t i = 0; i < n; i++)
        differ |= a[i].u != b[i].u;
    cr_assert(differ, "the seed is in every U");
}

/* ---------- a repeated household id ---------- */

static const char DUP_PLAN[] =
    "plan: t-dup\n"
    "villages: [{id: every, take: all}]\n"
    "households: [{id: every, take: all}]\n";

static const char DUP_HOUSEHOLDS[] =
    "household_id,village_id\n" /* 1 */
    "H1,V1\n"                   /* 2 */
    "H2,V1\n"                   /* 3 */
    "H3,V2\n"                   /* 4 */
    "H2,V2\n"                   /* 5: H2 again */
    "H4,V2\n";                  /* 6 */

Test(sample, repeated_household_id_is_an_error_and_rejected)
{
    load_plan(DUP_PLAN);
    put("village.csv", "village_id,county_id\nV1,C1\nV2,C1\n");
    put("household.csv", DUP_HOUSEHOLDS);
    S = run("dup", "village.csv", "household.csv");
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e = NULL;
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->severity == DIAG_ERROR)
            e = diag_get(D, i);
    cr_assert_not_null(e);
    cr_assert_str_eq(e->file, in_dir("household.csv"));
    cr_assert_eq(e->line, 5, "the later row is the one rejected");
    cr_assert(strstr(e->message, "row rejected: its household_id repeats that of line 3"), "%s", e->message);
    const table_stats *hs = sample_stats(S, PLAN_HOUSEHOLDS);
    cr_assert_eq(hs->rows_read, 5);
    cr_assert_eq(hs->rows_rejected, 1);
    cr_assert_eq(hs->rejected[REJECT_DUPLICATE], 1);
    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_eq(cnt->units[PLAN_HOUSEHOLDS], 4);
    cr_assert_eq(cnt->units[PLAN_HOUSEHOLDS] + hs->rows_rejected, hs->rows_read, "every row is a unit or rejected");
}

/* A rejected row is not a unit of the frame (sample.h: "every row of each
 * table is rejected with a reason or is a unit of the frame"), so it is
 * neither drawn nor counted in its stratum's N. */
Test(sample, repeated_household_id_is_not_drawn)
{
    load_plan(DUP_PLAN);
    put("village.csv", "village_id,county_id\nV1,C1\nV2,C1\n");
    put("household.csv", DUP_HOUSEHOLDS);
    S = run("dup", "village.csv", "household.csv");
    const sample_unit *h;
    size_t n = sample_units(S, PLAN_HOUSEHOLDS, &h);
    for (size_t i = 0; i < n; i++)
        cr_assert_neq(h[i].line, 5, "the rejected row (line 5, %s of %s) is drawn", h[i].id, h[i].parent);
    cr_assert_eq(n, 4, "%zu households drawn from a frame of 4", n);
    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_leq(cnt->drawn[PLAN_HOUSEHOLDS], cnt->units[PLAN_HOUSEHOLDS]);
    cr_assert_leq(cnt->in_drawn_villages, cnt->units[PLAN_HOUSEHOLDS]);
    const sample_cell *c;
    size_t nc = sample_cells(S, &c);
    long N = 0;
    for (size_t i = 0; i < nc; i++)
        if (c[i].stage == PLAN_HOUSEHOLDS)
            N += c[i].population;
    cr_assert_eq(N, 4, "the household strata hold %ld units, the frame 4", N);
}

/* ---------- pps units without a positive size ---------- */

Test(sample, pps_size_missing_or_not_positive_is_an_error_at_the_cell)
{
    load_plan("plan: t-size\n"
              "columns:\n"
              "  household: {land: number}\n"
              "villages:\n"
              "  - {id: big, take: 1, method: pps, size: population}\n"
              "households:\n"
              "  - {id: census, where: land > 100, take: all}\n"
              "  - {id: farm, take: 5, method: pps, size: land}\n");
    put("village.csv", "village_id,county_id,population\n" /* 1 */
                       "V1,C1,300\n"                        /* 2 */
                       "V2,C1,\n"                           /* 3: missing */
                       "V3,C1,0\n");                        /* 4: zero */
    put("household.csv", "household_id,village_id,members,land\n" /* 1 */
                         "H1,V1,3,2.5\n"                            /* 2 */
                         "H2,V1,4,\n"                               /* 3: missing */
                         "H3,V1,5,0\n"                              /* 4: zero */
                         "H4,V1,6,-1.5\n"                           /* 5: negative */
                         "H5,V1,2,4\n"                              /* 6 */
                         "H6,V1,2,200\n");                          /* 7: census, not pps */
    S = run("size", "village.csv", "household.csv");
    struct {
        const char *file;
        long line, col;
        const char *msg;
    } want[] = {
        {"village.csv", 3, 3, "population is missing: a unit of the pps stratum 'big' needs a positive size"},
        {"village.csv", 4, 3, "population is 0: a unit of the pps stratum 'big' needs a positive size"},
        {"household.csv", 3, 4, "land is missing: a unit of the pps stratum 'farm' needs a positive size"},
        {"household.csv", 4, 4, "land is 0: a unit of the pps stratum 'farm' needs a positive size"},
        {"household.csv", 5, 4, "land is -1.5: a unit of the pps stratum 'farm' needs a positive size"},
    };
    cr_assert_eq(diag_errors(D), 5, "%s", all_diags());
    for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
        int found = 0;
        for (size_t i = 0; i < diag_count(D); i++) {
            const diag_entry *e = diag_get(D, i);
            found |= e->severity == DIAG_ERROR && e->file && !strcmp(e->file, in_dir(want[w].file)) &&
                     e->line == want[w].line && e->column == want[w].col && strstr(e->message, want[w].msg);
        }
        cr_assert(found, "no error at %s:%ld:%ld: %s\n%s", want[w].file, want[w].line, want[w].col, want[w].msg,
                  all_diags());
    }
    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_eq(cnt->size_errors[PLAN_VILLAGES], 2);
    cr_assert_eq(cnt->size_errors[PLAN_HOUSEHOLDS], 3);
    const sample_unit *u;
    cr_assert_eq(sample_units(S, PLAN_VILLAGES, &u), 1);
    cr_assert_str_eq(u[0].id, "V1");
    cr_assert(u[0].pi == 1, "V1 is the only village with a size: N = 1");
    const sample_unit *h;
    size_t nh = sample_units(S, PLAN_HOUSEHOLDS, &h);
    cr_assert_eq(nh, 3, "H1, H5 (farm: N = 2 <= 5) and H6 (census)");
    cr_assert_str_eq(h[0].id, "H1");
    cr_assert_str_eq(h[1].id, "H5");
    cr_assert_str_eq(h[2].id, "H6");
    cr_assert(h[0].pi == 1 && h[1].pi == 1 && h[2].pi == 1);
    cr_assert(h[0].size == 2.5 && h[1].size == 4);
    const table_stats *vs = sample_stats(S, PLAN_VILLAGES);
    cr_assert_geq(vs->cell_errors, 2, "the size errors count as cell errors of their table");
}

/* ---------- households whose village is not in the village table ---------- */

Test(sample, orphan_households_are_counted_and_never_drawn)
{
    load_plan("plan: t-orphans\n"
              "villages: [{id: every, take: all}]\n"
              "households: [{id: every, take: all}]\n");
    put("village.csv", "village_id,county_id\nV1,C1\nV2,C1\n");
    put("household.csv", "household_id,village_id\n" /* 1 */
                         "H1,V1\n"                    /* 2 */
                         "O1,V9\n"                    /* 3: no village V9 */
                         "H2,V2\n"                    /* 4 */
                         "O2,V9\n"                    /* 5 */
                         "O3,\n"                      /* 6: no village id */
                         "H3,V2\n");                  /* 7 */
    S = run("orphans", "village.csv", "household.csv");
    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_eq(cnt->orphans, 3, "%ld orphans", cnt->orphans);
    cr_assert_eq(cnt->orphan_line, 3);
    cr_assert_eq(cnt->units[PLAN_HOUSEHOLDS], 6, "orphans are units of the frame");
    cr_assert_eq(cnt->in_drawn_villages, 3);
    const sample_unit *h;
    size_t nh = sample_units(S, PLAN_HOUSEHOLDS, &h);
    cr_assert_eq(nh, 3, "take: all draws every household of a drawn village, and no orphan");
    for (size_t i = 0; i < nh; i++)
        cr_assert_eq(h[i].id[0], 'H', "orphan %s drawn", h[i].id);
}

Test(sample, households_of_villages_not_drawn_are_not_orphans)
{
    load_plan("plan: t-not-drawn\n"
              "villages: [{id: poor, where: poor_village, take: all}]\n"
              "households: [{id: every, take: all}]\n");
    put("village.csv", "village_id,county_id,poor_village\nV1,C1,是\nV2,C1,否\n");
    put("household.csv", "household_id,village_id\nH1,V1\nH2,V2\nH3,V2\n");
    S = run("nd", "village.csv", "household.csv");
    const sample_counts *cnt = sample_get_counts(S);
    cr_assert_eq(cnt->orphans, 0);
    cr_assert_eq(cnt->no_stratum[PLAN_VILLAGES], 1, "V2 is in no village stratum");
    cr_assert_eq(cnt->in_drawn_villages, 1);
    const sample_unit *h;
    cr_assert_eq(sample_units(S, PLAN_HOUSEHOLDS, &h), 1);
    cr_assert_str_eq(h[0].id, "H1");
}

/* A size cell the table could not read (already an error of its own) is
 * not a missing one: the unit is not drawn, and the cell is one error. */
Test(sample, unreadable_size_cell_is_not_called_missing)
{
    load_plan("plan: t-invalid-size\n"
              "villages: [{id: v, take: all}]\n"
              "households: [{id: h, take: 1, method: pps, size: members}]\n");
    put("village.csv", "village_id,county_id\nV1,C1\n");
    put("household.csv", "household_id,village_id,members\n" /* 1 */
                         "H1,V1,-2\n"                        /* 2: below the pack's min: 0 */
                         "H2,V1,abc\n"                       /* 3: not a number */
                         "H3,V1,3\n");                       /* 4 */
    S = run("invalid", "village.csv", "household.csv");
    const sample_unit *h;
    cr_assert_eq(sample_units(S, PLAN_HOUSEHOLDS, &h), 1);
    cr_assert_str_eq(h[0].id, "H3");
    cr_assert_eq(sample_get_counts(S)->size_errors[PLAN_HOUSEHOLDS], 2);
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        cr_assert(!(e->line == 2 || e->line == 3) || !strstr(e->message, "is missing"),
                  "line %ld: the cell is not empty, yet: %s", e->line, e->message);
    }
    cr_assert_eq(sample_stats(S, PLAN_HOUSEHOLDS)->cell_errors, 2, "two cells in error, counted %ld times",
                 sample_stats(S, PLAN_HOUSEHOLDS)->cell_errors);
}

/* ---------- other errors of the frame (exitcheck-plan(5), Errors in the frame) ---------- */

Test(sample, repeated_village_id_is_rejected_and_not_drawn)
{
    load_plan("plan: t-dup-village\n"
              "villages: [{id: every, take: all}]\n"
              "households: [{id: every, take: all}]\n");
    put("village.csv", "village_id,county_id,village_name\n" /* 1 */
                       "V1,C1,一村\n"                         /* 2 */
                       "V2,C1,二村\n"                         /* 3 */
                       "V1,C2,又一村\n");                     /* 4: V1 again */
    put("household.csv", "household_id,village_id\nH1,V1\nH2,V2\n");
    S = run("dupv", "village.csv", "household.csv");
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    int found = 0;
    for (size_t i = 0; i < diag_count(D); i++) {
        const diag_entry *e = diag_get(D, i);
        found |= e->severity == DIAG_ERROR && e->line == 4 &&
                 strstr(e->message, "row rejected: duplicate village_id 'V1' (first at line 2)") != NULL;
    }
    cr_assert(found, "%s", all_diags());
    const table_stats *vs = sample_stats(S, PLAN_VILLAGES);
    cr_assert_eq(vs->rows_read, 3);
    cr_assert_eq(vs->rows_rejected, 1);
    cr_assert_eq(vs->rejected[REJECT_DUPLICATE], 1);
    cr_assert_eq(sample_get_counts(S)->units[PLAN_VILLAGES], 2);
    const sample_unit *u;
    cr_assert_eq(sample_units(S, PLAN_VILLAGES, &u), 2);
    cr_assert_str_eq(u[0].id, "V1");
    cr_assert_str_eq(u[0].county, "C1", "the first row is the village");
    cr_assert_str_eq(u[0].name, "一村");
    const sample_cell *c;
    size_t nc = sample_cells(S, &c);
    for (size_t i = 0; i < nc; i++)
        cr_assert(c[i].stage != PLAN_VILLAGES || strcmp(c[i].county, "C2"), "no draw in C2: its only row was rejected");
}

Test(sample, village_without_its_county_is_an_error_and_not_drawn)
{
    load_plan("plan: t-no-county\n"
              "villages: [{id: every, take: all}]\n"
              "households: [{id: every, take: all}]\n");
    put("village.csv", "village_id,village_name,county_id\n" /* 1 */
                       "V1,一村,C1\n"                         /* 2 */
                       "V2,二村,\n");                         /* 3: no county */
    put("household.csv", "household_id,village_id\nH1,V1\nH2,V2\n");
    S = run("nocounty", "village.csv", "household.csv");
    cr_assert_eq(diag_errors(D), 1, "%s", all_diags());
    const diag_entry *e = NULL;
    for (size_t i = 0; i < diag_count(D); i++)
        if (diag_get(D, i)->severity == DIAG_ERROR)
            e = diag_get(D, i);
    cr_assert_eq(e->line, 3);
    cr_assert_eq(e->column, 3, "at the county_id cell");
    cr_assert(strstr(e->message, "county_id is missing: the village cannot be drawn within its county"), "%s",
              e->message);
    const sample_unit *u;
    cr_assert_eq(sample_units(S, PLAN_VILLAGES, &u), 1);
    cr_assert_str_eq(u[0].id, "V1");
    const sample_unit *h;
    cr_assert_eq(sample_units(S, PLAN_HOUSEHOLDS, &h), 1);
    cr_assert_str_eq(h[0].id, "H1");
    cr_assert_eq(sample_get_counts(S)->orphans, 0, "H2's village is in the table, only not drawn");
}

Test(sample, contradictory_exit_years_are_errors_on_every_row)
{
    load_plan("plan: t-exit-years\n"
              "villages: [{id: poor, where: poor_village, take: all}]\n"
              "households:\n"
              "  - {id: exited, where: exited, take: all}\n"
              "  - {id: rest, take: all}\n");
    put("village.csv", "village_id,county_id,year,poor_village,exit_year\n" /* 1 */
                       "V1,C1,2017,是,\n"                                    /* 2 */
                       "V2,C1,2017,否,\n"                                    /* 3: not drawn */
                       "V3,C1,2017,是,2018\n");                              /* 4: exit after the year */
    put("household.csv", "household_id,village_id,year,exit_year,claimed_exit\n" /* 1 */
                         "H1,V1,2017,2018,否\n"                                   /* 2: drawn village */
                         "H2,V1,2017,2015,是\n"                                   /* 3: drawn village */
                         "H3,V2,2017,2019,否\n"                                   /* 4: village not drawn */
                         "H4,V9,2017,2016,是\n"                                   /* 5: orphan */
                         "H5,V1,2017,2016,否\n");                                 /* 6: fine, exited earlier */
    S = run("exits", "village.csv", "household.csv");
    struct {
        const char *file;
        long line, col;
        const char *msg;
    } want[] = {
        {"village.csv", 4, 5, "exit_year 2018 is after the row's year 2017"},
        {"household.csv", 2, 4, "exit_year 2018 is after the row's year 2017"},
        {"household.csv", 3, 4, "exit_year 2015 is before the row's year 2017 while claimed_exit says yes"},
        {"household.csv", 4, 4, "exit_year 2019 is after the row's year 2017"},
        {"household.csv", 5, 4, "exit_year 2016 is before the row's year 2017 while claimed_exit says yes"},
    };
    cr_assert_eq(diag_errors(D), 5, "one error per row:\n%s", all_diags());
    for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
        int found = 0;
        for (size_t i = 0; i < diag_count(D); i++) {
            const diag_entry *e = diag_get(D, i);
            found |= e->severity == DIAG_ERROR && !strcmp(e->file, in_dir(want[w].file)) && e->line == want[w].line &&
                     e->column == want[w].col && strstr(e->message, want[w].msg);
        }
        cr_assert(found, "no error at %s:%ld:%ld: %s\n%s", want[w].file, want[w].line, want[w].col, want[w].msg,
                  all_diags());
    }
    /* E unused after the error: the exit is what C says. H1: not exited
     * (rest); H2: claims (exited); H5 exited earlier (exited). V3 is still
     * a poor village and drawn. */
    const sample_unit *h;
    size_t nh = sample_units(S, PLAN_HOUSEHOLDS, &h);
    cr_assert_eq(nh, 3);
    int exited = stratum_index(PLAN_HOUSEHOLDS, "exited"), rest = stratum_index(PLAN_HOUSEHOLDS, "rest");
    cr_assert_eq(find_unit(S, PLAN_HOUSEHOLDS, "H1")->stratum, rest);
    cr_assert_eq(find_unit(S, PLAN_HOUSEHOLDS, "H2")->stratum, exited);
    cr_assert_eq(find_unit(S, PLAN_HOUSEHOLDS, "H5")->stratum, exited);
    cr_assert_not_null(find_unit(S, PLAN_VILLAGES, "V3"));
}
