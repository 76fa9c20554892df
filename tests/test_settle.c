/*
 * test_settle.c - duplicate settling for the bottom level (src/settle.h),
 * on the stage pack (stage_pack.h: county > village > household).
 *
 * Households are streamed as a check streams them (evaluated, counted into
 * their summary and ancestors, spooled, noted), then settled. Pinned: with
 * no repeated id every count stands and nothing is rejected; with repeats,
 * each later row is rejected once with an error naming the first row's
 * line, counted in rows_rejected and rejected[REJECT_DUPLICATE], and the
 * household summary and every village's and county's counters equal those
 * of a run given only the distinct rows; the spool skips the rejected rows
 * when read back. The same past the in-memory budget of ids.
 */
#include "stage_pack.h"

#include "evaluate.h"
#include "rollup.h"
#include "settle.h"
#include "spool.h"

#define HH_PATH "household.csv"

TestSuite(settle, .init = pack_setup, .fini = pack_teardown);

/* One check's worth of stages, with a diagnostics list of its own. */
typedef struct world {
    diag_list *d;
    evaluator *ev;
    rollup *r;
    spool *sp;
    settle *st;
    unit_rec *u;      /* the household being streamed */
    value *scratch;   /* settle_run's */
    table_stats stats;
} world;

typedef struct hrow {
    const char *id;
    const char *village;
    long line;
    double income;
    int claims;
    int safe;
    double members;
} hrow;

static void keep(world *w, const rule_level *lv, const char *id, const char *parent, long line)
{
    value *v = row_new(lv);
    v[lv->key] = T(id);
    if (parent)
        v[lv->parent_key] = T(parent);
    long dup;
    cr_assert_not_null(rollup_keep(w->r, lv, v, line, lv == LC ? "county.csv" : "village.csv", &dup));
    free(v);
}

/* C1 (V1, V2) and C2 (V3), both tables read. */
static world *world_new(void)
{
    world *w = calloc(1, sizeof *w);
    cr_assert_not_null(w);
    w->d = diag_new();
    w->ev = evaluate_new(RS, w->d);
    w->r = rollup_new(RS, w->d);
    w->sp = spool_new(w->d);
    w->st = settle_new(w->d);
    w->u = unit_new(LH);
    w->scratch = calloc(LH->nslots, sizeof(value));
    cr_assert(w->d && w->ev && w->r && w->sp && w->st && w->scratch);
    w->stats.encoding = "utf-8";
    rollup_set_read(w->r, LC->index, "county.csv");
    keep(w, LC, "C1", NULL, 2);
    keep(w, LC, "C2", NULL, 3);
    rollup_set_read(w->r, LVV->index, "village.csv");
    keep(w, LVV, "V1", "C1", 2);
    keep(w, LVV, "V2", "C1", 3);
    keep(w, LVV, "V3", "C2", 4);
    rollup_set_read(w->r, LH->index, HH_PATH);
    evaluate_set_read(w->ev, LH->index);
    return w;
}

static void world_free(world *w)
{
    evaluate_free(&w->ev);
    rollup_free(&w->r);
    spool_free(&w->sp);
    settle_free(&w->st);
    unit_del(w->u);
    free(w->scratch);
    diag_free(&w->d);
    free(w);
}

/* One household row, through the stages as the streaming path takes it:
 * exit_year 0 for a table without that column, county NULL for an empty
 * county_id cell. */
static void stream_in(world *w, const hrow *h, int exit_year, const char *county)
{
    unit_rec *u = w->u;
    char id[64];
    snprintf(id, sizeof id, "%s", h->id);
    hh_row(u->slots, id, h->village, county, 2019, h->claims, h->income, h->members, h->safe);
    if (exit_year)
        setv(u->slots, LH, "exit_year", N(exit_year));
    u->line = h->line;
    evaluate_unit(w->ev, u);
    long anc[RULES_MAX_LEVELS];
    rollup_link(w->r, LH, u->slots, HH_PATH, h->line, anc, u, 1);
    rollup_count(w->r, u);
    rollup_add(w->r, u, anc);
    uint64_t off;
    cr_assert_eq(spool_put(w->sp, u, &off), 0);
    cr_assert_eq(settle_note(w->st, id, strlen(id), off, h->line), 0);
    w->stats.rows_read++;
}

static void stream(world *w, const hrow *h) { stream_in(w, h, 0, NULL); }

static void stream_all(world *w, const hrow *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        stream(w, &rows[i]);
}

static void run(world *w)
{
    cr_assert_eq(settle_run(w->st, w->sp, w->r, LH, RS, HH_PATH, &w->stats, w->scratch), 0, "settle_run:\n%s",
                 all_diags());
}

/* ---------- comparing counts ---------- */

enum { MAXV = 3, MAXAGG = 8 };

typedef struct counts {
    level_summary sum;
    long tf[4], tu[4], tw[4];
    unit_below below[2][MAXV];
    agg_acc acc[2][MAXV][MAXAGG];
} counts;

static void take(world *w, counts *c)
{
    memset(c, 0, sizeof *c);
    const level_summary *hs = rollup_summary(w->r, LH->index);
    c->sum = *hs;
    c->sum.target_fail = c->sum.target_unknown = c->sum.target_warn = NULL;
    memcpy(c->tf, hs->target_fail, LH->ntargets * sizeof(long));
    memcpy(c->tu, hs->target_unknown, LH->ntargets * sizeof(long));
    memcpy(c->tw, hs->target_warn, LH->ntargets * sizeof(long));
    const rule_level *lvs[2] = {LC, LVV};
    for (int L = 0; L < 2; L++) {
        unit_rec *units;
        size_t n = rollup_units(w->r, lvs[L]->index, &units);
        cr_assert_leq(n, MAXV);
        cr_assert_leq(lvs[L]->nagg, MAXAGG);
        for (size_t k = 0; k < n; k++) {
            c->below[L][k] = units[k].below;
            c->below[L][k].acc = NULL;
            memcpy(c->acc[L][k], units[k].below.acc, lvs[L]->nagg * sizeof(agg_acc));
        }
    }
}

static void expect_same_counts(const counts *a, const counts *b, const char *what)
{
    const level_summary *x = &a->sum, *y = &b->sum;
    cr_assert_eq(x->units, y->units, "%s: units %ld, expected %ld", what, x->units, y->units);
    cr_assert(x->pass == y->pass && x->fail == y->fail && x->unknown == y->unknown && x->warn == y->warn,
              "%s: pass/fail/unknown/warn %ld/%ld/%ld/%ld, expected %ld/%ld/%ld/%ld", what, x->pass, x->fail,
              x->unknown, x->warn, y->pass, y->fail, y->unknown, y->warn);
    cr_assert(x->orphans == y->orphans && x->differs == y->differs && x->unmatched == y->unmatched,
              "%s: orphans %ld/%ld, unmatched %ld/%ld", what, x->orphans, y->orphans, x->unmatched, y->unmatched);
    cr_assert(memcmp(&x->claims, &y->claims, sizeof x->claims) == 0, "%s: claims %ld/%ld/%ld/%ld, expected %ld/%ld/%ld/%ld",
              what, x->claims.claimed, x->claims.supported, x->claims.wrong, x->claims.unsupported, y->claims.claimed,
              y->claims.supported, y->claims.wrong, y->claims.unsupported);
    cr_assert(memcmp(&x->earlier, &y->earlier, sizeof x->earlier) == 0,
              "%s: earlier exits %ld/%ld/%ld/%ld, expected %ld/%ld/%ld/%ld", what, x->earlier.claimed,
              x->earlier.supported, x->earlier.wrong, x->earlier.unsupported, y->earlier.claimed, y->earlier.supported,
              y->earlier.wrong, y->earlier.unsupported);
    cr_assert(memcmp(a->tf, b->tf, sizeof a->tf) == 0 && memcmp(a->tu, b->tu, sizeof a->tu) == 0 &&
                  memcmp(a->tw, b->tw, sizeof a->tw) == 0,
              "%s: per-target tallies differ", what);
    static const char *const lvname[2] = {"county", "village"};
    for (int L = 0; L < 2; L++)
        for (int k = 0; k < MAXV; k++) {
            const unit_below *p = &a->below[L][k], *q = &b->below[L][k];
            cr_assert_eq(p->children, q->children, "%s: %s %d: children %ld, expected %ld", what, lvname[L], k,
                         p->children, q->children);
            for (int d = 0; d < RULES_MAX_LEVELS; d++)
                cr_assert_eq(p->desc[d], q->desc[d], "%s: %s %d: descendants at level %d: %ld, expected %ld", what,
                             lvname[L], k, d, p->desc[d], q->desc[d]);
            cr_assert(memcmp(&p->leaf_claims, &q->leaf_claims, sizeof p->leaf_claims) == 0,
                      "%s: %s %d: leaf claims %ld, expected %ld", what, lvname[L], k, p->leaf_claims.claimed,
                      q->leaf_claims.claimed);
            cr_assert(memcmp(&p->leaf_earlier, &q->leaf_earlier, sizeof p->leaf_earlier) == 0,
                      "%s: %s %d: leaf earlier exits %ld (%g people), expected %ld (%g people)", what, lvname[L], k,
                      p->leaf_earlier.claimed, p->leaf_earlier.people, q->leaf_earlier.claimed,
                      q->leaf_earlier.people);
            for (int i = 0; i < MAXAGG; i++) {
                const agg_acc *c = &a->acc[L][k][i], *e = &b->acc[L][k][i];
                cr_assert(c->n == e->n && c->unknown == e->unknown && c->v == e->v,
                          "%s: %s %d aggregate %d: n %ld unknown %ld v %g, expected n %ld unknown %ld v %g", what,
                          lvname[L], k, i, c->n, c->unknown, c->v, e->n, e->unknown, e->v);
            }
        }
}

/* The (line, id, status, claim) of each unit the spool gives back. */
static size_t read_back(world *w, int with_rejected, long *lines, char (*ids)[16], size_t max)
{
    value *slots = calloc(LH->nslots, sizeof(value));
    spool_reader *rd = spool_read(w->sp, LH, LH->agg_base, slots);
    cr_assert_not_null(rd);
    unit_rec got = {0};
    uint64_t off;
    size_t n = 0;
    int k;
    while ((k = spool_next(rd, &got, &off, with_rejected)) == 1) {
        if (n < max) {
            lines[n] = got.line;
            if (ids)
                snprintf(ids[n], sizeof ids[n], "%s", got.id);
        }
        n++;
    }
    cr_assert_eq(k, 0, "the spool reads to its end");
    spool_read_end(&rd);
    free(slots);
    return n;
}

/* ---------- no repeats ---------- */

static const hrow DISTINCT[] = {
    {"H1", "V1", 2, 3500, 1, 1, 3},  {"H2", "V1", 3, 100, 1, 1, 4},   {"H3", "V2", 4, 8000, 0, 0, 2},
    {"H1 ", "V3", 5, 2000, 1, -1, 5}, {"h1", "V3", 6, 3000, 1, 1, -1}, {"H4", "V404", 7, 3500, 1, 1, 6},
    {"12", "V2", 8, 50, 1, 1, 1},    {"21", "V2", 9, 9000, -1, 1, 2},
};
enum { NDISTINCT = sizeof DISTINCT / sizeof DISTINCT[0] };

Test(settle, no_repeats_leaves_every_count_as_it_was)
{
    world *w = world_new();
    stream_all(w, DISTINCT, NDISTINCT);
    counts before, after;
    take(w, &before);
    size_t warnings = diag_count(w->d);
    cr_assert_eq(warnings, 1, "the orphan H4 is warned about as it comes");
    run(w);
    take(w, &after);
    expect_same_counts(&after, &before, "after settling");
    cr_assert_eq(before.sum.units, NDISTINCT);
    cr_assert_eq(w->stats.rows_rejected, 0);
    for (int i = 0; i < REJECT__COUNT; i++)
        cr_assert_eq(w->stats.rejected[i], 0, "rejected[%s]", reject_names[i]);
    cr_assert_eq(diag_errors(w->d), 0);
    cr_assert_eq(diag_count(w->d), warnings, "settling adds nothing");
    long lines[16];
    cr_assert_eq(read_back(w, 0, lines, NULL, 16), NDISTINCT, "no row is rejected in the spool");
    for (size_t i = 0; i < NDISTINCT; i++)
        cr_assert_eq(lines[i], DISTINCT[i].line);
    world_free(w);
}

/* ---------- repeats ---------- */

/* Repeats differ from their first rows in village, income, claim and
 * housing, so a repeat counted by mistake shows in every figure. */
static const hrow WITH_REPEATS[] = {
    {"H1", "V1", 2, 3500, 1, 1, 3},    {"H2", "V1", 3, 100, 1, 1, 4},     {"H3", "V2", 4, 8000, 0, 0, 2},
    {"H2", "V3", 5, 9000, 0, 0, 7},    {"H1", "V2", 6, 10, 1, -1, 9},     {"H4", "V404", 7, 3500, 1, 1, 6},
    {"H5", "V3", 8, 3000, 1, 1, -1},   {"H1", "V1", 9, 3500, 1, 1, 3},    {"H4", "V1", 10, 20000, 1, 1, 1},
    {"H6", "V2", 11, 2999, 1, 0, 2},
};
enum { NREPEATS_ROWS = sizeof WITH_REPEATS / sizeof WITH_REPEATS[0] };

/* The repeats above: (line, id, first line). */
static const struct {
    long line;
    const char *id;
    long first;
} REPEATS[] = {{5, "H2", 3}, {6, "H1", 2}, {9, "H1", 2}, {10, "H4", 7}};
enum { NREPEATS = sizeof REPEATS / sizeof REPEATS[0] };

static int is_repeat(long line)
{
    for (size_t i = 0; i < NREPEATS; i++)
        if (REPEATS[i].line == line)
            return 1;
    return 0;
}

static world *settled_with_repeats(void)
{
    world *w = world_new();
    w->stats.rows_rejected = 2; /* rows the table itself rejected: kept */
    w->stats.rejected[REJECT_RAGGED] = 1;
    w->stats.rejected[REJECT_NO_KEY] = 1;
    stream_all(w, WITH_REPEATS, NREPEATS_ROWS);
    run(w);
    return w;
}

Test(settle, each_repeat_rejected_once_naming_the_first_row)
{
    world *w = settled_with_repeats();
    cr_assert_eq(diag_errors(w->d), NREPEATS);
    size_t found = 0;
    for (size_t i = 0; i < diag_count(w->d); i++) {
        const diag_entry *e = diag_get(w->d, i);
        if (e->severity != DIAG_ERROR)
            continue;
        cr_assert_lt(found, NREPEATS);
        char want[128];
        snprintf(want, sizeof want, "duplicate household_id '%s' (first at line %ld)", REPEATS[found].id,
                 REPEATS[found].first);
        cr_assert_str_eq(e->file, HH_PATH);
        cr_assert_eq(e->line, REPEATS[found].line, "error %zu at line %ld, expected %ld (in file order)", found,
                     e->line, REPEATS[found].line);
        cr_assert_not_null(strstr(e->message, want), "'%s' does not say '%s'", e->message, want);
        found++;
    }
    cr_assert_eq(found, NREPEATS);
    cr_assert_eq(w->stats.rows_rejected, 2 + NREPEATS);
    cr_assert_eq(w->stats.rejected[REJECT_DUPLICATE], NREPEATS);
    cr_assert_eq(w->stats.rejected[REJECT_RAGGED], 1);
    cr_assert_eq(w->stats.rejected[REJECT_NO_KEY], 1);
    cr_assert_eq(w->stats.rows_read, NREPEATS_ROWS, "settling reads no row twice");
    size_t warnings = 0;
    for (size_t i = 0; i < diag_count(w->d); i++)
        warnings += diag_get(w->d, i)->severity == DIAG_WARNING;
    cr_assert_eq(warnings, 1, "the orphan H4, warned about as it came and not again by the recount");
    world_free(w);
}

Test(settle, recount_equals_a_run_of_the_distinct_rows)
{
    world *w = settled_with_repeats();
    world *ref = world_new();
    size_t n = 0;
    for (size_t i = 0; i < NREPEATS_ROWS; i++)
        if (!is_repeat(WITH_REPEATS[i].line)) {
            stream(ref, &WITH_REPEATS[i]);
            n++;
        }
    cr_assert_eq(n, NREPEATS_ROWS - NREPEATS);
    counts got, want;
    take(w, &got);
    take(ref, &want);
    cr_assert_eq(want.sum.units, (long)n);
    cr_assert_eq(want.sum.orphans, 1, "H4's first row is an orphan; its repeat under V1 is not counted");
    expect_same_counts(&got, &want, "settled vs distinct rows");
    /* and settling the distinct rows changes nothing */
    run(ref);
    take(ref, &want);
    expect_same_counts(&got, &want, "settled vs distinct rows, settled");
    world_free(ref);
    world_free(w);
}

Test(settle, counts_before_settling_include_the_repeats)
{
    /* the figures the recount corrects: otherwise the test above proves nothing */
    world *w = world_new();
    stream_all(w, WITH_REPEATS, NREPEATS_ROWS);
    counts c;
    take(w, &c);
    cr_assert_eq(c.sum.units, NREPEATS_ROWS);
    cr_assert_eq(c.below[1][0].children, 4, "V1: H1, H2, and the repeats H1 and H4");
    world_free(w);
}

/* Repeats whose first rows exited earlier (exit_year 2017 in 2019) or
 * belong to a village missing from the village table but name their
 * county: the recount reads the exit and the county_id back from the
 * spool, so an earlier exit stays an earlier one and the orphan still
 * counts to its county. */
static const struct {
    hrow h;
    int exit_year;
    const char *county;
} ACROSS_YEARS[] = {
    {{"H1", "V1", 2, 3500, 0, 1, 3}, 2017, NULL},  {{"H2", "V1", 3, 100, 0, 1, 4}, 2017, NULL},
    {{"H3", "V404", 4, 100, 0, 1, 5}, 2018, "C2"}, {{"H4", "V2", 5, 3500, 1, 1, 2}, 0, NULL},
    {{"H2", "V3", 6, 9000, 1, 1, 7}, 0, "C2"},     {{"H3", "V1", 7, 9000, 0, 1, 6}, 0, NULL},
    {{"H5", "V3", 8, 2000, 0, 0, 1}, 2016, NULL},
};

Test(settle, recount_keeps_earlier_exits_and_own_counties)
{
    world *w = world_new();
    world *ref = world_new();
    for (size_t i = 0; i < sizeof ACROSS_YEARS / sizeof ACROSS_YEARS[0]; i++) {
        stream_in(w, &ACROSS_YEARS[i].h, ACROSS_YEARS[i].exit_year, ACROSS_YEARS[i].county);
        if (ACROSS_YEARS[i].h.line != 6 && ACROSS_YEARS[i].h.line != 7)
            stream_in(ref, &ACROSS_YEARS[i].h, ACROSS_YEARS[i].exit_year, ACROSS_YEARS[i].county);
    }
    run(w);
    cr_assert_eq(w->stats.rejected[REJECT_DUPLICATE], 2);
    counts got, want;
    take(w, &got);
    take(ref, &want);
    /* the figures themselves, so that a recount that lost the exits would show */
    cr_assert_eq(want.sum.earlier.claimed, 4, "H1, H2, H3, H5 exited before 2019");
    cr_assert_eq(want.sum.earlier.wrong, 3, "H2, H3 (income 100) and H5 (income 2000) fail");
    cr_assert(want.sum.earlier.people == 13 && want.sum.earlier.people_wrong == 10, "people %g, wrong %g",
              want.sum.earlier.people, want.sum.earlier.people_wrong);
    cr_assert_eq(want.sum.claims.claimed, 1, "H4 claims this year");
    cr_assert_eq(want.below[0][1].leaf_earlier.claimed, 2, "C2: H3 through its county_id, H5 through V3");
    cr_assert_eq(want.below[0][1].desc[LH->index], 2);
    cr_assert_eq(want.sum.orphans, 1);
    cr_assert_eq(want.sum.unmatched, 1);
    expect_same_counts(&got, &want, "settled vs distinct rows, exits across years");
    world_free(ref);
    world_free(w);
}

Test(settle, spool_skips_the_rejected_rows)
{
    world *w = settled_with_repeats();
    long lines[16];
    char ids[16][16];
    size_t n = read_back(w, 0, lines, ids, 16);
    cr_assert_eq(n, NREPEATS_ROWS - NREPEATS);
    size_t k = 0;
    for (size_t i = 0; i < NREPEATS_ROWS; i++) {
        if (is_repeat(WITH_REPEATS[i].line))
            continue;
        cr_assert_eq(lines[k], WITH_REPEATS[i].line, "unit %zu", k);
        cr_assert_str_eq(ids[k], WITH_REPEATS[i].id);
        k++;
    }
    cr_assert_eq(read_back(w, 1, lines, ids, 16), NREPEATS_ROWS, "asked for, the rejected rows are there");
    for (size_t i = 0; i < NREPEATS_ROWS; i++)
        cr_assert_eq(lines[i], WITH_REPEATS[i].line);
    world_free(w);
}

Test(settle, one_id_on_every_row)
{
    world *w = world_new();
    hrow rows[6];
    for (int i = 0; i < 6; i++)
        rows[i] = (hrow){"SAME", i % 2 ? "V1" : "V3", 2 + i, 1000.0 * i, 1, 1, 2};
    stream_all(w, rows, 6);
    run(w);
    cr_assert_eq(w->stats.rejected[REJECT_DUPLICATE], 5);
    size_t first_at_2 = 0;
    for (size_t i = 0; i < diag_count(w->d); i++)
        first_at_2 += strstr(diag_get(w->d, i)->message, "(first at line 2)") != NULL;
    cr_assert_eq(first_at_2, 5);
    const level_summary *s = rollup_summary(w->r, LH->index);
    cr_assert_eq(s->units, 1);
    unit_rec *vs;
    cr_assert_eq(rollup_units(w->r, LVV->index, &vs), 3);
    cr_assert_eq(vs[0].below.children, 0, "V1 had only repeats");
    cr_assert_eq(vs[2].below.children, 1, "V3 keeps the first row");
    long lines[8];
    cr_assert_eq(read_back(w, 0, lines, NULL, 8), 1);
    cr_assert_eq(lines[0], 2);
    world_free(w);
}

/* ---------- past the memory budget for ids ---------- */

enum { MANY = 100000 }; /* 32 bytes an id: past the 2 MiB kept in memory */

static hrow many_row(long i, char *buf, size_t n)
{
    long k = i;
    /* four repeats, their first rows far before them (in another sorted run) */
    if (i == 70000)
        k = 3;
    else if (i == 70001)
        k = 65000;
    else if (i == 99999)
        k = 3;
    else if (i == 40000)
        k = 39999;
    snprintf(buf, n, "H%07ld", k);
    static const char *const villages[] = {"V1", "V2", "V3"};
    return (hrow){buf, villages[i % 3], i + 2, (double)(i % 9000), (int)(i % 2), (int)(i % 5 != 0), (double)(i % 7)};
}

Test(settle, repeats_found_past_the_memory_budget, .timeout = 60)
{
    world *w = world_new();
    world *ref = world_new();
    char buf[32];
    for (long i = 0; i < MANY; i++) {
        hrow h = many_row(i, buf, sizeof buf);
        stream(w, &h);
        if (i != 70000 && i != 70001 && i != 99999 && i != 40000)
            stream(ref, &h);
    }
    run(w);
    cr_assert_eq(w->stats.rejected[REJECT_DUPLICATE], 4);
    cr_assert_eq(w->stats.rows_rejected, 4);
    static const struct {
        long line, first;
    } want[] = {{40002, 40001}, {70002, 5}, {70003, 65002}, {100001, 5}};
    size_t k = 0;
    for (size_t i = 0; i < diag_count(w->d); i++) {
        const diag_entry *e = diag_get(w->d, i);
        if (e->severity != DIAG_ERROR)
            continue;
        cr_assert_lt(k, 4);
        cr_assert_eq(e->line, want[k].line);
        char first[64];
        snprintf(first, sizeof first, "(first at line %ld)", want[k].first);
        cr_assert_not_null(strstr(e->message, first), "%s", e->message);
        k++;
    }
    cr_assert_eq(k, 4);
    counts got, expect;
    take(w, &got);
    take(ref, &expect);
    cr_assert_eq(expect.sum.units, MANY - 4);
    expect_same_counts(&got, &expect, "100,000 rows, 4 repeats");
    long lines[1];
    cr_assert_eq(read_back(w, 0, lines, NULL, 1), MANY - 4);
    world_free(ref);
    world_free(w);
}
