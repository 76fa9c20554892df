/*
 * fuzz_table.c - libFuzzer target: a CSV table -> table_open/table_read
 * (encodings auto and gb18030) -> a full check -> every report format.
 *
 * Reports: JSON and text for every input; every format (through
 * report_write_file to /dev/null), in English and in Chinese, for one input
 * in eight (by size), as they are slow to write.
 *
 * The Gansu pack is loaded once, from $EXITCHECK_SRCDIR/rules/gansu (the
 * source tree the harness was built from by default). The input is given
 * as the table of the level its header names (household_id or 户编号: the
 * households; village_id or 村编号: the villages; else the counties); the
 * other levels read the small data set of fixtures/cases/small-json.
 *
 * Checked, from table.h and check.h: no delivered row starts on an earlier
 * line than the one before; its values have the kinds of their indicators;
 * text values hold no NUL and are valid UTF-8 (the decoder's promise:
 * libcsv is fed UTF-8 only); rows_read = delivered + rejected and the
 * reject reasons add up; a failed open or read left an error; for every
 * table of the check, rows_read = units evaluated + rows rejected; each
 * level's statuses add up to its units, and check_foreach visits them all.
 */
#include "check.h"
#include "diag.h"
#include "report.h"
#include "rules.h"
#include "table.h"

#include "fuzz_util.h"

#include <iconv.h>
#include <math.h>

static ruleset *gansu;
static char fixture[3][4400];
static FILE *devnull;
static int lv_household = -1, lv_village = -1, lv_county = -1;

/* Header words that pick the level, in UTF-8 and in GB18030. */
static char markers[3][8][32];
static int nmarkers[3];

static void add_marker(int level, const char *utf8)
{
    if (nmarkers[level] + 2 > 8)
        return;
    snprintf(markers[level][nmarkers[level]++], 32, "%s", utf8);
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    if (cd == (iconv_t)-1)
        return;
    char *ip = (char *)utf8, *op = markers[level][nmarkers[level]];
    size_t il = strlen(utf8), ol = 31;
    if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) {
        *op = '\0';
        if (strcmp(markers[level][nmarkers[level]], utf8) != 0)
            nmarkers[level]++;
    }
    iconv_close(cd);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    char path[4200];
    snprintf(path, sizeof path, "%s/rules/gansu", fuzz_srcdir());
    diag_list *d = diag_new();
    gansu = rules_load(path, d);
    if (!gansu) {
        fprintf(stderr, "fuzz_table: cannot load %s (set EXITCHECK_SRCDIR to the source tree)\n", path);
        exit(1);
    }
    diag_free(&d);
    /* the province budget growth has no value in the pack */
    rules_set_param(gansu, "province_budget_revenue_growth", 8, NULL);
    lv_county = rules_find_level(gansu, "county");
    lv_village = rules_find_level(gansu, "village");
    lv_household = rules_find_level(gansu, "household");
    if (lv_county != 0 || lv_village != 1 || lv_household != 2) {
        fprintf(stderr, "fuzz_table: the Gansu pack no longer has the levels county > village > household\n");
        exit(1);
    }
    for (int i = 0; i < 3; i++)
        snprintf(fixture[i], sizeof fixture[i], "%s/fixtures/cases/small-json/data/%s", fuzz_srcdir(),
                 rules_level(gansu, (size_t)i)->file);
    add_marker(2, "household_id");
    add_marker(2, "户编号");
    add_marker(2, "户编码");
    add_marker(1, "village_id");
    add_marker(1, "村编号");
    add_marker(1, "村编码");
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("/dev/null");
        exit(1);
    }
    fuzz_scratch();
    return 0;
}

static int find_bytes(const uint8_t *data, size_t size, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= size; i++)
        if (data[i] == (uint8_t)needle[0] && memcmp(data + i, needle, n) == 0)
            return 1;
    return 0;
}

static int pick_level(const uint8_t *data, size_t size)
{
    size_t head = 0;
    while (head < size && head < 65536 && data[head] != '\n')
        head++;
    for (int level = 2; level >= 1; level--)
        for (int k = 0; k < nmarkers[level]; k++)
            if (find_bytes(data, head, markers[level][k]))
                return level;
    return 0;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t need;
        unsigned cp;
        if (c < 0x80) { i++; continue; }
        if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
        else return 0;
        if (n - i - 1 < need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return 0;
        i += need + 1;
    }
    return 1;
}

typedef struct read_ctx {
    const rule_level *lv;
    long last_line;
    long delivered;
} read_ctx;

static int on_row(void *ctx, const table_row *row)
{
    read_ctx *rc = ctx;
    const rule_level *lv = rc->lv;
    /* lines count '\n' only: records split by a bare CR share a line */
    FUZZ_CHECK(row->line >= rc->last_line && row->line >= 1, "row on line %ld after one on line %ld", row->line,
               rc->last_line);
    rc->last_line = row->line;
    rc->delivered++;
    FUZZ_CHECK(row->errors >= 0, "row with %d errors", row->errors);
    for (size_t i = 0; i < lv->nind; i++) {
        const value *v = &row->vals[i];
        const rule_indicator *ind = &lv->ind[i];
        switch (v->kind) {
        case V_UNKNOWN:
            FUZZ_CHECK(v->why > WHY_NONE && v->why < WHY__COUNT, "%s: unknown with reason %d", ind->id, v->why);
            break;
        case V_NUM:
            FUZZ_CHECK(ind->type == IND_NUMBER || ind->type == IND_INTEGER, "%s: a number in a %s column", ind->id,
                       ind_type_name(ind->type));
            FUZZ_SOFT("finite", isfinite(v->u.num), "%s: the cell gave %g (line %ld)", ind->id, v->u.num, row->line);
            if (ind->has_min)
                FUZZ_CHECK(v->u.num >= ind->min, "%s: %g below its minimum", ind->id, v->u.num);
            if (ind->has_max)
                FUZZ_CHECK(v->u.num <= ind->max, "%s: %g above its maximum", ind->id, v->u.num);
            break;
        case V_BOOL:
            FUZZ_CHECK(ind->type == IND_BOOL, "%s: a boolean in a %s column", ind->id, ind_type_name(ind->type));
            break;
        case V_TEXT:
            FUZZ_CHECK(ind->type == IND_TEXT, "%s: a text in a %s column", ind->id, ind_type_name(ind->type));
            FUZZ_SOFT("nul", v->len == 0 || memchr(v->u.s, '\0', v->len) == NULL, "%s: a text value holds a NUL byte",
                      ind->id);
            FUZZ_SOFT("utf8", valid_utf8((const unsigned char *)v->u.s, v->len),
                       "%s: a text value of %u bytes is not valid UTF-8 (line %ld)", ind->id, v->len, row->line);
            break;
        default:
            FUZZ_CHECK(0, "%s: value of kind %d", ind->id, v->kind);
        }
    }
    FUZZ_CHECK(row->vals[lv->key].kind == V_TEXT && row->vals[lv->key].len > 0, "a row without its id");
    return 0;
}

static void read_table(const char *path, const rule_level *lv, table_encoding enc, int partial)
{
    diag_list *d = diag_new();
    if (!d)
        return;
    table_opts opts = {enc, partial};
    table *t = table_open(path, lv, &opts, d);
    if (!t) {
        FUZZ_CHECK(diag_errors(d) > 0 || diag_out_of_memory(d), "table_open failed without an error");
    } else {
        read_ctx rc = {lv, 0, 0};
        size_t errors_before = diag_errors(d);
        int r = table_read(t, on_row, &rc);
        const table_stats *st = table_get_stats(t);
        if (r != 0)
            FUZZ_CHECK(diag_errors(d) > errors_before || diag_out_of_memory(d), "table_read stopped without an error");
        FUZZ_SOFT("accounting", st->rows_read - st->rows_rejected == rc.delivered,
                  "rows_read %ld, rejected %ld, delivered %ld", st->rows_read, st->rows_rejected, rc.delivered);
        long sum = 0;
        for (int k = 0; k < REJECT__COUNT; k++)
            sum += st->rejected[k];
        FUZZ_CHECK(sum == st->rows_rejected, "reject reasons add up to %ld, not %ld", sum, st->rows_rejected);
        /* a totals row (合计) is skipped with a note; every other rejection is an error */
        FUZZ_CHECK(st->rows_rejected == st->rejected[REJECT_TOTALS] || diag_errors(d) > 0,
                   "rows rejected without an error");
        FUZZ_CHECK(st->rejected[REJECT_TOTALS] == 0 || diag_stored(d, DIAG_NOTE) > 0 || diag_suppressed(d) > 0,
                   "a totals row skipped without a note");
        FUZZ_CHECK(st->encoding != NULL && strlen(st->sha256) == 64, "stats without encoding or digest");
        for (size_t i = 0; i < lv->nind; i++)
            (void)table_has_column(t, i);
        table_close(&t);
        FUZZ_CHECK(t == NULL, "table_close left the pointer set");
    }
    fuzz_format_diags(d);
    diag_free(&d);
}

typedef struct visit_ctx {
    const rule_level *lv;
    long n;
} visit_ctx;

static int on_unit(void *ctx, const unit_rec *u)
{
    visit_ctx *vc = ctx;
    FUZZ_CHECK(u->level == vc->lv && u->id != NULL && u->slots != NULL && u->tstatus != NULL, "a unit without its data");
    FUZZ_CHECK(u->status <= ST_WARN && u->claim <= CLAIM_UNSUPPORTED, "unit '%s': status %d, claim %d", u->id,
               (int)u->status, (int)u->claim);
    for (size_t t = 0; t < vc->lv->ntargets; t++)
        FUZZ_CHECK(u->tstatus[t] <= ST_WARN, "unit '%s': target status %d", u->id, u->tstatus[t]);
    vc->n++;
    return 0;
}

static void full_check(int level, const char *path, int partial, int all_formats)
{
    diag_list *d = diag_new();
    if (!d)
        return;
    checker *c = check_new(gansu, d);
    if (c) {
        check_input inputs[3];
        for (int i = 0; i < 3; i++)
            inputs[i].path = i == level ? path : fixture[i];
        table_opts opts = {ENC_AUTO, partial};
        check_run(c, inputs, &opts);
        if (!diag_out_of_memory(d)) {
            for (size_t i = 0; i < 3; i++) {
                const rule_level *lv = rules_level(gansu, i);
                const level_summary *s = check_summary(c, i);
                const table_stats *st = check_stats(c, i);
                FUZZ_CHECK(s->units == s->pass + s->fail + s->unknown + s->warn, "level %s: %ld units, %ld+%ld+%ld+%ld",
                           lv->id, s->units, s->pass, s->fail, s->unknown, s->warn);
                if (st)
                    FUZZ_SOFT("accounting", st->rows_read == s->units + st->rows_rejected,
                               "level %s: rows_read %ld != %ld units + %ld rejected", lv->id, st->rows_read, s->units,
                               st->rows_rejected);
                visit_ctx vc = {lv, 0};
                FUZZ_CHECK(check_foreach(c, i, on_unit, &vc) == 0, "check_foreach failed on level %s", lv->id);
                FUZZ_CHECK(vc.n == s->units, "level %s: check_foreach visited %ld of %ld units", lv->id, vc.n, s->units);
            }
        }
        exit_status status = diag_errors(d) || diag_out_of_memory(d) ? EXIT_ERROR
                             : check_verdict(c)                      ? EXIT_CLAIMS_FAIL
                                                                     : EXIT_OK;
        report_facts *facts = report_facts_new(gansu, c, status);
        FUZZ_CHECK(facts != NULL, "report_facts_new failed");
        report_ctx r = {gansu, c, d, facts, {0, 1, 0, 0}, FMT_TEXT};
        report_json(&r, devnull);
        report_text(&r, devnull);
        if (all_formats) {
            /* every format there is, as exitcheck -o writes it to a device */
            for (int f = 0; f < FMT__COUNT; f++)
                report_write_file((report_format)f, &r, "/dev/null", d);
            r.opts.zh = 1;
            r.opts.color = 1;
            r.opts.bom = 1;
            for (int f = 0; f < FMT__COUNT; f++)
                report_write_file((report_format)f, &r, "/dev/null", d);
        }
        report_facts_free(&facts);
        check_free(&c);
    }
    fuzz_format_diags(d);
    diag_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[4400];
    int level = pick_level(data, size);
    static const char *const names[3] = {"county.csv", "village.csv", "household.csv"};
    fuzz_write(names[level], data, size, path, sizeof path);
    const rule_level *lv = rules_level(gansu, (size_t)level);
    int partial = (int)(size & 1);
    read_table(path, lv, ENC_AUTO, partial);
    read_table(path, lv, ENC_GB18030, partial);
    /* the other formats (and Chinese) for one input in eight: they cost
     * more than the rest of the run */
    full_check(level, path, partial, size % 8 == 1);
    fuzz_remove(names[level]);
    return 0;
}
