/*
 * fuzz_waiver.c - libFuzzer target: a waiver file (CSV, SPEC §8) ->
 * waivers_read against rules/gansu (loaded once) -> waivers_apply to a few
 * fixed units of every level -> waivers_for -> waivers_finish.
 *
 * The input is the waiver file. Its size picks the as-of date (none, so
 * each unit's row's year decides; 2016-12-31; 2017-06-30) and, for one
 * input in four, --encoding gb18030 instead of auto. The units (built
 * once, their target statuses set afresh for each input) are households
 * h1, h2 (no year), h4, h5 and 6211230530010 (the demo's), one known only
 * by its key cell (h3, as the evaluator passes a household), villages v1
 * and h1 (a village with a household's id) and county c1; their targets
 * are pass, fail, unknown and warn in turn, each unit from another start.
 *
 * Checked besides crashes, leaks and UB (waiver.h): waivers_read returns
 * 0, or -1 only with an error recorded; after a read, rows_read = the
 * valid waivers + rows_rejected (which counts the invalid ones); every
 * valid waiver has a level and a target of that level in range, a
 * waivable target, a unit id, basis, approver, an approval date that is a
 * date (waiver_date_text and waiver_parse_date go round) and an expiry
 * that is none or such a date not before the approval, lines that grow in
 * file order and a chain (next) to a later waiver of the same level and
 * unit; no two valid waivers share level, unit and target; waivers_apply
 * returns the number of targets it waived, and waives only targets that
 * were fail, warn or unknown, each with a waiver of the unit's level, id
 * and target (waivers_for) that had not expired on the as-of date; a
 * target it did not waive keeps its status and has no waiver from
 * waivers_for; each waiver's applied + met + expired + undated equals
 * matched, the number of fixed units of its level and id.
 */
#include "diag.h"
#include "idmap.h"
#include "rules.h"
#include "strbuf.h"
#include "table.h"
#include "unit.h"
#include "value.h"
#include "waiver.h"

#include "fuzz_util.h"

static ruleset *gansu;

typedef struct fixed_unit {
    int level;
    const char *id;       /* NULL: only the key cell holds it */
    const char *key;      /* the key cell's text */
    int year;             /* 0: no year in the row */
    int start;            /* the first target's status */
    unit_rec u;
    unsigned char *before;
} fixed_unit;

static fixed_unit units[] = {
    {2, "h1", "h1", 2016, 1, {0}, NULL},
    {2, "h2", "h2", 0, 2, {0}, NULL},
    {2, NULL, "h3", 2017, 3, {0}, NULL},
    {2, "h4", "h4", 2016, 0, {0}, NULL},
    {2, "h5", "h5", 2016, 2, {0}, NULL},
    {2, "6211230530010", "6211230530010", 2016, 1, {0}, NULL},
    {1, "v1", "v1", 2016, 1, {0}, NULL},
    {1, "h1", "h1", 2016, 2, {0}, NULL},
    {0, "c1", "c1", 2016, 3, {0}, NULL},
};
enum { NUNITS = sizeof units / sizeof units[0] };

static const unit_status cycle[4] = {ST_PASS, ST_FAIL, ST_UNKNOWN, ST_WARN};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4400];
    snprintf(path, sizeof path, "%s/rules/gansu", fuzz_srcdir());
    diag_list *d = diag_new();
    gansu = d ? rules_load(path, d) : NULL;
    if (!gansu || rules_nlevels(gansu) != 3) {
        fprintf(stderr, "fuzz_waiver: cannot load %s (or it has not 3 levels)\n", path);
        exit(1);
    }
    diag_free(&d);
    for (int i = 0; i < NUNITS; i++) {
        fixed_unit *f = &units[i];
        const rule_level *lv = rules_level(gansu, (size_t)f->level);
        f->u.level = lv;
        f->u.id = f->id;
        f->u.parent_idx = -1;
        f->u.slots = calloc(lv->nslots, sizeof(value));
        f->u.tstatus = calloc(lv->ntargets + 1, 1);
        f->before = calloc(lv->ntargets + 1, 1);
        if (!f->u.slots || !f->u.tstatus || !f->before) {
            fprintf(stderr, "fuzz_waiver: out of memory\n");
            exit(1);
        }
        for (size_t s = 0; s < lv->nslots; s++)
            f->u.slots[s] = value_unknown(WHY_MISSING);
        if (lv->key >= 0)
            f->u.slots[lv->key] = value_text(f->key, strlen(f->key));
        if (lv->year >= 0 && f->year)
            f->u.slots[lv->year] = value_num(f->year);
    }
    fuzz_scratch();
    return 0;
}

static int is_date(int d)
{
    char text[11];
    int back = -1;
    if (d <= 0)
        return 0;
    waiver_date_text(d, text);
    return waiver_parse_date(text, strlen(text), &back) == 0 && back == d;
}

/* The as-of date a unit's waivers are judged on (waiver.h). */
static int as_of_for(const waivers *w, const fixed_unit *f)
{
    if (waivers_as_of(w))
        return waivers_as_of(w);
    return f->year ? f->year * 10000 + 1231 : 0;
}

static void check_read(const waivers *w, int rc, diag_list *d)
{
    size_t n = waivers_count(w);
    const table_stats *st = waivers_stats(w);
    FUZZ_CHECK(st != NULL, "no statistics after waivers_read");
    if (rc == 0 && !diag_out_of_memory(d))
        FUZZ_SOFT("accounting", st->rows_read == (long)n + st->rows_rejected,
                  "rows_read %ld, %zu valid waivers, rows_rejected %ld", st->rows_read, n, st->rows_rejected);
    FUZZ_CHECK(st->rows_rejected >= 0 && st->rows_rejected <= st->rows_read, "rows_rejected %ld of %ld",
               st->rows_rejected, st->rows_read);
    FUZZ_CHECK(waivers_get(w, n) == NULL, "waivers_get past the end");
    idmap *seen = idmap_new();
    FUZZ_CHECK(seen != NULL, "out of memory");
    strbuf key = STRBUF_INIT;
    long last_line = 0;
    for (size_t i = 0; i < n; i++) {
        const waiver *x = waivers_get(w, i);
        FUZZ_CHECK(x != NULL, "waiver %zu of %zu is NULL", i, n);
        FUZZ_CHECK(x->level >= 0 && (size_t)x->level < rules_nlevels(gansu), "waiver at line %ld: level %d", x->line,
                   x->level);
        const rule_level *lv = rules_level(gansu, (size_t)x->level);
        FUZZ_CHECK(x->target >= 0 && (size_t)x->target < lv->ntargets, "waiver at line %ld: target %d of %zu",
                   x->line, x->target, lv->ntargets);
        FUZZ_CHECK(lv->targets[x->target].waivable, "waiver at line %ld for %s, which is not waivable", x->line,
                   lv->targets[x->target].id);
        FUZZ_CHECK(x->unit_id && x->unit_id[0], "waiver at line %ld without a unit id", x->line);
        FUZZ_CHECK(x->basis && x->basis[0], "waiver at line %ld without a basis", x->line);
        FUZZ_CHECK(x->approved_by && x->approved_by[0], "waiver at line %ld without an approver", x->line);
        FUZZ_CHECK(x->reason != NULL, "waiver at line %ld: reason NULL", x->line);
        FUZZ_CHECK(is_date(x->approved_on), "waiver at line %ld: approved_on %d", x->line, x->approved_on);
        FUZZ_CHECK(x->expires == 0 || (is_date(x->expires) && x->expires >= x->approved_on),
                   "waiver at line %ld: expires %d, approved_on %d", x->line, x->expires, x->approved_on);
        FUZZ_CHECK(x->line > last_line && x->line >= 2, "waiver at line %ld after line %ld", x->line, last_line);
        last_line = x->line;
        FUZZ_CHECK(x->matched == 0 && x->applied == 0 && x->met == 0 && x->expired == 0 && x->undated == 0,
                   "waiver at line %ld counted before any unit", x->line);
        if (x->next >= 0) {
            FUZZ_CHECK((size_t)x->next > i && (size_t)x->next < n, "waiver %zu chained to %d of %zu", i, x->next, n);
            const waiver *y = waivers_get(w, (size_t)x->next);
            FUZZ_CHECK(y->level == x->level && strcmp(y->unit_id, x->unit_id) == 0,
                       "waiver at line %ld (%s) chained to line %ld (%s)", x->line, x->unit_id, y->line, y->unit_id);
        } else {
            FUZZ_CHECK(x->next == -1, "waiver at line %ld: next %d", x->line, x->next);
        }
        strbuf_reset(&key);
        strbuf_printf(&key, "%d|%d|%s", x->level, x->target, x->unit_id);
        long prev = idmap_put(seen, strbuf_str(&key), strlen(strbuf_str(&key)), x->line);
        FUZZ_CHECK(prev != -2, "out of memory");
        FUZZ_CHECK(prev == -1, "waivers at lines %ld and %ld share level %s, unit '%s' and target %s", prev, x->line,
                   lv->id, x->unit_id, lv->targets[x->target].id);
    }
    strbuf_free(&key);
    idmap_free(&seen);
}

static void check_apply(waivers *w, fixed_unit *f)
{
    unit_rec *u = &f->u;
    const rule_level *lv = u->level;
    memcpy(f->before, u->tstatus, lv->ntargets);
    size_t got = waivers_apply(w, u);
    int as_of = as_of_for(w, f);
    size_t changed = 0;
    const char *id = f->key;
    for (size_t t = 0; t < lv->ntargets; t++) {
        unit_status was = (unit_status)f->before[t], now = (unit_status)u->tstatus[t];
        const waiver *x = waivers_for(w, u, t);
        if (now == was) {
            FUZZ_CHECK(x == NULL, "%s '%s' target %s not waived, but waivers_for gives line %ld", lv->id, id,
                       lv->targets[t].id, x->line);
            continue;
        }
        changed++;
        FUZZ_CHECK(now == ST_WAIVED, "%s '%s' target %s: %s -> %s", lv->id, id, lv->targets[t].id,
                   unit_status_name(was), unit_status_name(now));
        FUZZ_CHECK(was == ST_FAIL || was == ST_WARN || was == ST_UNKNOWN, "%s '%s' target %s waived from %s",
                   lv->id, id, lv->targets[t].id, unit_status_name(was));
        FUZZ_CHECK(x != NULL, "%s '%s' target %s waived, but waivers_for gives none", lv->id, id, lv->targets[t].id);
        FUZZ_CHECK(x->level == lv->index && (size_t)x->target == t && strcmp(x->unit_id, id) == 0,
                   "%s '%s' target %s waived by line %ld (level %d, target %d, unit '%s')", lv->id, id,
                   lv->targets[t].id, x->line, x->level, x->target, x->unit_id);
        FUZZ_CHECK(x->expires == 0 || (as_of && x->expires >= as_of),
                   "%s '%s' target %s waived by line %ld, which expires %d, as of %d", lv->id, id,
                   lv->targets[t].id, x->line, x->expires, as_of);
        FUZZ_CHECK(x->outcome == was, "line %ld: outcome %s, the target was %s", x->line,
                   unit_status_name(x->outcome), unit_status_name(was));
    }
    FUZZ_CHECK(got == changed, "%s '%s': waivers_apply says %zu waived, %zu changed", lv->id, id, got, changed);
}

static void check_counts(const waivers *w)
{
    for (size_t i = 0; i < waivers_count(w); i++) {
        const waiver *x = waivers_get(w, i);
        long units_of = 0;
        for (int k = 0; k < NUNITS; k++)
            units_of += units[k].level == x->level && strcmp(units[k].key, x->unit_id) == 0;
        FUZZ_CHECK(x->matched == units_of, "waiver at line %ld (%s): matched %ld, %ld units", x->line, x->unit_id,
                   x->matched, units_of);
        FUZZ_CHECK(x->applied + x->met + x->expired + x->undated == x->matched,
                   "waiver at line %ld: applied %ld + met %ld + expired %ld + undated %ld != matched %ld", x->line,
                   x->applied, x->met, x->expired, x->undated, x->matched);
        const char *use = waiver_use_name(x);
        FUZZ_CHECK(use != NULL, "no use name");
        FUZZ_CHECK(strcmp(use, "no_unit") != 0 || x->matched == 0, "line %ld: no_unit, matched %ld", x->line,
                   x->matched);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4400];
    fuzz_write("waivers.csv", data, size, path, sizeof path);
    diag_list *d = diag_new();
    if (!d)
        return 0;
    waivers *w = waivers_new(gansu, d);
    if (!w) {
        FUZZ_CHECK(diag_out_of_memory(d), "waivers_new returned NULL without running out of memory");
        diag_free(&d);
        return 0;
    }
    static const int as_of[3] = {0, 20161231, 20170630};
    waivers_set_as_of(w, as_of[size % 3]);
    FUZZ_CHECK(waivers_as_of(w) == as_of[size % 3], "waivers_as_of");
    FUZZ_CHECK(waivers_stats(w) == NULL, "statistics before waivers_read");
    table_opts opts = {(size & 12) == 12 ? ENC_GB18030 : ENC_AUTO, 0, 1, NULL, NULL, 0};
    int rc = waivers_read(w, path, &opts);
    FUZZ_CHECK(rc == 0 || rc == -1, "waivers_read returned %d", rc);
    if (rc)
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "waivers_read failed without an error");
    FUZZ_CHECK(waivers_path(w) == NULL || strcmp(waivers_path(w), path) == 0, "waivers_path");
    check_read(w, rc, d);
    for (int k = 0; k < NUNITS; k++) {
        const rule_level *lv = units[k].u.level;
        for (size_t t = 0; t < lv->ntargets; t++)
            units[k].u.tstatus[t] = (unsigned char)cycle[(units[k].start + t) % 4];
    }
    for (int k = 0; k < NUNITS; k++)
        check_apply(w, &units[k]);
    check_counts(w);
    size_t before = diag_count(d);
    waivers_finish(w);
    size_t unused = 0;
    for (size_t i = 0; i < waivers_count(w); i++) {
        const waiver *x = waivers_get(w, i);
        unused += !x->matched;
        unused += x->expired > 0;
        unused += x->undated > 0;
        unused += x->met > 0;
    }
    FUZZ_CHECK(diag_count(d) - before == unused || diag_suppressed(d) > 0 || diag_out_of_memory(d),
               "waivers_finish: %zu warnings for %zu reasons", diag_count(d) - before, unused);
    diag_sort(d);
    fuzz_format_diags(d);
    waivers_free(&w);
    FUZZ_CHECK(w == NULL, "waivers_free left the pointer set");
    diag_free(&d);
    return 0;
}
