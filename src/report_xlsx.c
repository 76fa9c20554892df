/*
 * report_xlsx.c - the report as an Excel workbook (-f xlsx), written with
 * libxlsxwriter in constant-memory mode.
 *
 * Sheets, in this order (Chinese names and headers with --lang zh):
 *   Summary      the verdict, exit status, tool, pack, problem count; per
 *                level the counts and both wrong-exit rates (by units and
 *                by people); per target the units not meeting it; the
 *                parameters with their origin; every input with its
 *                encoding, rows and SHA-256; the rule files.
 *   one a level  for each level whose table was given, named by its title:
 *                one row per unit, in input order (id, name, parent id,
 *                the parent's name where its level has one, line, status,
 *                claim, exit; for an upper level the exits below it and
 *                their wrong-exit rates; one column per target holding its
 *                status word; then every value a target reads).
 *   Exits that do not hold   the wrong and unsupported exits, this year's
 *                and earlier, every level, with the targets not met.
 *   Figures      each figure an upper-level unit reports beside the one
 *                recomputed from its child data.
 *   Problems     every diagnostic kept: severity, file, line, column,
 *                sheet and cell (for a workbook input), message.
 *
 * Invariants: those of the workbook (report_xlsx.h: rows in order one
 * sheet at a time, continuations past Excel's last row, text made XML-
 * safe, fixed dates, a private temporary file unlinked on every path,
 * nothing printed). Besides:
 * - the households stream from the check's spool to their sheet: memory
 *   grows with the parent levels' names, not the rows.
 * - numbers are numbers (counts, lines, rates, numeric values), yes/no
 *   values booleans, ids and other text strings. Rates are percentages
 *   (12.5 for 12.5%), as in the JSON report, shown with two decimals.
 * - the same inputs give the same bytes.
 */
#include "idmap.h"
#include "mem.h"
#include "report.h"
#include "report_strings.h"
#include "report_xlsx.h"
#include "waiver.h"

#include <string.h>

typedef struct xw {
    const report_ctx *r;
    int zh;
    xlsx_book *b;        /* the workbook (report_xlsx.h) */
    strbuf cell;         /* a cell's text as composed */
} xw;

/* ---- cells of the current row ---- */

static void text(xw *w, xlsx_col col, const char *s) { xlsx_text(w->b, col, s); }
static void bold(xw *w, xlsx_col col, const char *s) { xlsx_bold(w->b, col, s); }
static void num(xw *w, xlsx_col col, double v) { xlsx_num(w->b, col, v); }
static int row_begin(xw *w) { return xlsx_row(w->b); }
static void row_end(xw *w) { xlsx_row_end(w->b); }
static int bad(const xw *w) { return xlsx_bad(w->b); }

/* The text composed in w->cell. */
static void text_cell(xw *w, xlsx_col col)
{
    if (w->cell.oom)
        xlsx_fail(w->b);
    text(w, col, strbuf_str(&w->cell));
}

/* part of whole in percent, nothing when whole is 0. */
static void rate(xw *w, xlsx_col col, long part, long whole)
{
    if (whole)
        xlsx_pct(w->b, col, report_rate(part, whole));
}

/* report_people_rate's rate, nothing without one. */
static void people_rate(xw *w, xlsx_col col, const claim_tally *t)
{
    double r;
    if (!report_people_rate(t, &r))
        xlsx_pct(w->b, col, r);
}

/* A value as its type: a number, a boolean, text; an unknown value as the
 * word the other reports give it ("missing", "no value"). */
static void val(xw *w, xlsx_col col, const value *v)
{
    switch (v->kind) {
    case V_NUM: num(w, col, v->u.num); break;
    case V_BOOL: xlsx_bool(w->b, col, v->u.b); break;
    case V_TEXT: xlsx_text_n(w->b, col, v->u.s, v->len); break;
    case V_UNKNOWN:
        strbuf_reset(&w->cell);
        report_value(&w->cell, v, w->zh);
        text_cell(w, col);
        break;
    }
}

/* ---- headers ---- */

static void col_rs(xw *w, report_string id) { xlsx_head(w->b, RS(id, w->zh)); }

/* "wrong-exit rate (%)". */
static void col_pct(xw *w, report_string id)
{
    strbuf_reset(&w->cell);
    rs_printf(&w->cell, RS_X_PERCENT, w->zh, RS(id, w->zh));
    if (w->cell.oom)
        xlsx_fail(w->b);
    xlsx_head(w->b, strbuf_str(&w->cell));
}

/* ---- parents' names ---- */

/* The names of a level's units by id, for their children's rows. Upper-
 * level units live as long as the checker, so their names are kept as
 * pointers: memory grows with the parent level (villages), not the rows. */
typedef struct parents {
    idmap *ids;           /* id -> index into names; NULL: no names to give */
    const char **names;
    size_t n, cap;
} parents;

static int parent_put(void *ctx, const unit_rec *u)
{
    parents *p = ctx;
    if (mem_grow(&p->names, &p->cap, p->n + 1, sizeof *p->names))
        return -1;
    long k = idmap_put(p->ids, u->id, strlen(u->id), (long)p->n);
    if (k == -2)
        return -1;
    if (k == -1)
        p->names[p->n++] = u->name;
    return 0;
}

/* The names of lv's parent level, when that level has a name column and
 * its table was read; 0 (with p->ids NULL when there are none) or -1. */
static int parents_open(xw *w, const rule_level *lv, parents *p)
{
    *p = (parents){0};
    if (lv->parent < 0 || lv->parent_key < 0)
        return 0;
    const report_level_facts *pl = &w->r->facts->levels[lv->parent];
    if (pl->level->name < 0 || !pl->stats || pl->stats->unread)
        return 0;
    p->ids = idmap_new();
    if (!p->ids || check_foreach(w->r->c, (size_t)lv->parent, parent_put, p))
        return -1;
    return 0;
}

static const char *parent_name(const parents *p, const char *id)
{
    if (!p->ids || !id)
        return NULL;
    long k = idmap_get(p->ids, id, strlen(id));
    return k >= 0 ? p->names[k] : NULL;
}

static void parents_close(parents *p)
{
    idmap_free(&p->ids);
    mem_free(p->names);
    *p = (parents){0};
}

/* ---- summary ---- */

/* The verdict, exit status, tool, pack and problem count. */
static void summary_head(xw *w)
{
    const report_ctx *r = w->r;
    const report_facts *f = r->facts;
    int zh = w->zh;
    text2 title = rules_title(r->rs);
    strbuf *c = &w->cell;
    strbuf_reset(c);
    strbuf_printf(c, "exitcheck %s %s: %s", EXITCHECK_VERSION, RS(RS_REPORT, zh), report_title(&title, zh));
    bold(w, 0, strbuf_str(c));
    row_end(w);
    bold(w, 0, RS(RS_VERDICT, zh));
    strbuf_reset(c);
    report_verdict_text(c, f, zh);
    bold(w, 1, strbuf_str(c));
    row_end(w);
    text(w, 0, RS(RS_EXIT_STATUS, zh));
    num(w, 1, (double)f->status);
    row_end(w);
    text(w, 0, RS(RS_TOOL, zh));
    text(w, 1, "exitcheck");
    text(w, 2, EXITCHECK_VERSION);
    row_end(w);
    text(w, 0, RS(RS_PACK, zh));
    text(w, 1, rules_id(r->rs));
    text(w, 2, rules_version(r->rs));
    row_end(w);
    text(w, 0, RS(RS_PROBLEMS, zh));
    strbuf_reset(c);
    report_problems_count(c, r->d, diag_stored(r->d, DIAG_ERROR) + diag_stored(r->d, DIAG_WARNING), zh);
    text_cell(w, 1);
    strbuf_reset(c);
    report_not_kept_text(c, r->d, zh);
    text_cell(w, 2);
    row_end(w);
    if (f->waivers) {
        text(w, 0, RS(RS_AS_OF, zh));
        strbuf_reset(c);
        report_as_of_text(c, f->waivers, zh);
        text_cell(w, 1);
        row_end(w);
    }
    row_end(w);
}

/* A bold header row of the summary's tables. */
static void summary_header(xw *w, const report_string *ids, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (ids[k] == RS_WRONG_RATE || ids[k] == RS_WRONG_RATE_PEOPLE) {
            strbuf_reset(&w->cell);
            rs_printf(&w->cell, RS_X_PERCENT, w->zh, RS(ids[k], w->zh));
            bold(w, (xlsx_col)k, strbuf_str(&w->cell));
        } else {
            bold(w, (xlsx_col)k, RS(ids[k], w->zh));
        }
    row_end(w);
}

/* Per level: the units by status, this year's exits and their two
 * wrong-exit rates, the earlier exits, orphans (and units by waiver). */
static void summary_levels(xw *w)
{
    const report_facts *f = w->r->facts;
    static const report_string head[] = {
        RS_LEVEL, RS_UNITS, RS_PASS, RS_FAIL, RS_UNKNOWN, RS_WARN, RS_CLAIMED, RS_SUPPORTED, RS_WRONG_EXITS,
        RS_UNSUPPORTED, RS_WRONG_RATE, RS_WRONG_RATE_PEOPLE, RS_EARLIER_EXITS, RS_X_EARLIER_WRONG,
        RS_X_EARLIER_UNSUPPORTED, RS_ORPHANS, RS_BY_WAIVER};
    size_t n = sizeof head / sizeof head[0] - (f->waivers == NULL);
    summary_header(w, head, n);
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        const double v[] = {s->units, s->pass, s->fail, s->unknown, s->warn, s->claims.claimed, s->claims.supported,
                            s->claims.wrong, s->claims.unsupported};
        text(w, 0, report_title(&f->levels[i].level->title, w->zh));
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            num(w, (xlsx_col)(k + 1), v[k]);
        rate(w, 10, s->claims.wrong, s->claims.claimed);
        people_rate(w, 11, &s->claims);
        num(w, 12, (double)s->earlier.claimed);
        num(w, 13, (double)s->earlier.wrong);
        num(w, 14, (double)s->earlier.unsupported);
        num(w, 15, (double)s->orphans);
        if (f->waivers)
            num(w, 16, (double)s->by_waiver);
        row_end(w);
    }
    row_end(w);
}

/* Per target with a unit not meeting it: the counts, as the text report's
 * "Targets not met". */
static void summary_targets(xw *w)
{
    const report_facts *f = w->r->facts;
    static const report_string head[] = {RS_LEVEL, RS_TARGET, RS_NAME, RS_NOT_MET, RS_UNKNOWN, RS_WARN, RS_WAIVED};
    summary_header(w, head, sizeof head / sizeof head[0] - (f->waivers == NULL));
    for (size_t i = 0; i < f->nlevels; i++) {
        const rule_level *lv = f->levels[i].level;
        const level_summary *s = f->levels[i].sum;
        for (size_t t = 0; t < lv->ntargets; t++) {
            if (!s->target_fail[t] && !s->target_unknown[t] && !s->target_warn[t] && !s->target_waived[t])
                continue;
            text(w, 0, report_title(&lv->title, w->zh));
            text(w, 1, lv->targets[t].id);
            text(w, 2, report_title(&lv->targets[t].title, w->zh));
            num(w, 3, (double)s->target_fail[t]);
            num(w, 4, (double)s->target_unknown[t]);
            num(w, 5, (double)s->target_warn[t]);
            if (f->waivers)
                num(w, 6, (double)s->target_waived[t]);
            row_end(w);
        }
    }
    row_end(w);
}

/* Every parameter a target reads: its value for each data year and where
 * the value comes from (confirmed, UNVERIFIED, --param, NO VALUE). */
static void summary_params(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    static const report_string head[] = {RS_PARAM, RS_PARAM_UNIT, RS_YEAR, RS_VALUE, RS_X_ORIGIN, RS_SOURCE,
                                         RS_X_UNITS_MISSING};
    summary_header(w, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        if (p->overridden || !f->nyears) {
            text(w, 0, p->id);
            text(w, 1, p->unit);
            if (p->overridden) {
                num(w, 3, p->override);
                text(w, 4, RS(RS_GIVEN_BY_PARAM, zh));
            } else {
                text(w, 2, RS(RS_NO_YEAR, zh));
            }
            row_end(w);
            continue;
        }
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &f->params[i].years[y];
            static const report_string origin[] = {[PARAM_CONFIRMED] = RS_X_CONFIRMED,
                                                   [PARAM_UNVERIFIED] = RS_UNVERIFIED,
                                                   [PARAM_OVERRIDDEN] = RS_GIVEN_BY_PARAM,
                                                   [PARAM_NO_VALUE] = RS_NO_VALUE};
            text(w, 0, p->id);
            text(w, 1, p->unit);
            num(w, 2, py->year);
            if (py->origin != PARAM_NO_VALUE)
                val(w, 3, &py->v);
            text(w, 4, RS(origin[py->origin], zh));
            text(w, 5, py->entry ? py->entry->source : NULL);
            num(w, 6, (double)py->units_missing);
            row_end(w);
        }
    }
    row_end(w);
}

/* Every table read (and the waiver file): path, encoding, rows, digest;
 * then the rule files. */
static void summary_inputs(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    const char *head[] = {RS(RS_LEVEL, zh),    RS(RS_FILE, zh),     RS(RS_ENCODING, zh),
                          RS(RS_ROWS_READ, zh), RS(RS_EVALUATED, zh), RS(RS_REJECTED, zh),
                          RS(RS_X_CELL_ERRORS, zh), "SHA-256",        RS(RS_X_REJECTED_BY, zh)};
    bold(w, 0, RS(RS_INPUTS, zh));
    row_end(w);
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        bold(w, (xlsx_col)k, head[k]);
    row_end(w);
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        text(w, 0, report_title(&f->levels[i].level->title, zh));
        text(w, 1, f->levels[i].path);
        text(w, 2, report_tr(st->encoding, zh));
        num(w, 3, (double)st->rows_read);
        num(w, 4, (double)f->levels[i].sum->units);
        num(w, 5, (double)st->rows_rejected);
        num(w, 6, (double)st->cell_errors);
        text(w, 7, st->sha256);
        strbuf_reset(&w->cell);
        for (int j = 0; j < REJECT__COUNT; j++)
            if (st->rejected[j])
                strbuf_printf(&w->cell, "%s%s: %ld", w->cell.len ? "; " : "", report_tr(reject_names[j], zh),
                              st->rejected[j]);
        text_cell(w, 8);
        row_end(w);
    }
    const table_stats *ws = f->waivers ? waivers_stats(f->waivers) : NULL;
    if (f->waivers) {
        text(w, 0, RS(RS_WAIVER_FILE, zh));
        text(w, 1, waivers_path(f->waivers));
        if (ws) {
            text(w, 2, report_tr(ws->encoding, zh));
            num(w, 3, (double)ws->rows_read);
            num(w, 5, (double)ws->rows_rejected);
            text(w, 7, ws->sha256);
        }
        row_end(w);
    }
    row_end(w);
    bold(w, 0, RS(RS_RULE_FILES, zh));
    bold(w, 1, RS(RS_FILE, zh));
    bold(w, 7, "SHA-256");
    row_end(w);
    for (size_t i = 0; i < rules_nfiles(w->r->rs); i++) {
        const rule_file *rf = rules_file(w->r->rs, i);
        text(w, 1, rf->path);
        text(w, 7, rf->sha256);
        row_end(w);
    }
}

static int summary_sheet(xw *w)
{
    if (xlsx_sheet(w->b, RS(RS_X_SUMMARY, w->zh)))
        return -1;
    summary_head(w);
    summary_levels(w);
    summary_targets(w);
    summary_params(w);
    summary_inputs(w);
    /* the summary's columns: labels, then numbers and paths */
    xlsx_widths(w->b, 0, 0, 26);
    xlsx_widths(w->b, 1, 6, 14);
    xlsx_widths(w->b, 7, 7, 66);
    xlsx_widths(w->b, 8, 16, 14);
    xlsx_sheet_end(w->b);
    return bad(w) ? -1 : 0;
}

/* ---- a sheet per level ---- */

typedef struct level_sheet {
    xw *w;
    const rule_level *lv;
    parents par;
    int name, parent, pname;  /* the level has these columns */
    int *obs;                 /* the slots its targets read, in order of first use */
    size_t nobs;
} level_sheet;

/* A target's status as the other reports word it. */
static const char *target_word(unit_status st, int zh)
{
    switch (st) {
    case ST_PASS: return RS(RS_X_MET, zh);
    case ST_FAIL: return RS(RS_NOT_MET, zh);
    case ST_UNKNOWN: return RS(RS_UNKNOWN, zh);
    case ST_WARN: return RS(RS_WARN, zh);
    case ST_WAIVED: return RS(RS_WAIVED, zh);
    }
    return "";
}

/* The slots lv's targets read, each once. */
static int observed_slots(level_sheet *ls)
{
    const rule_level *lv = ls->lv;
    size_t cap = 0;
    for (size_t t = 0; t < lv->ntargets; t++) {
        const int *refs;
        size_t n = expr_refs(lv->targets[t].e, &refs);
        for (size_t k = 0; k < n; k++) {
            int dup = 0;
            for (size_t j = 0; j < ls->nobs && !dup; j++)
                dup = ls->obs[j] == refs[k];
            if (dup)
                continue;
            if (mem_grow(&ls->obs, &cap, ls->nobs + 1, sizeof *ls->obs))
                return -1;
            ls->obs[ls->nobs++] = refs[k];
        }
    }
    return 0;
}

/* The identifying columns a unit row of lv begins with: id, name, parent
 * id, parent name (each where the level has it), line. */
static void id_cols(xw *w, level_sheet *ls)
{
    const rule_level *lv = ls->lv;
    int zh = w->zh;
    col_rs(w, RS_ID);
    if (ls->name)
        col_rs(w, RS_NAME);
    if (ls->parent) {
        const char *pt = report_title(&rules_level(w->r->rs, (size_t)lv->parent)->title, zh);
        strbuf_reset(&w->cell);
        rs_printf(&w->cell, RS_X_PARENT_ID, zh, pt);
        xlsx_head(w->b, strbuf_str(&w->cell));
        if (ls->pname) {
            strbuf_reset(&w->cell);
            rs_printf(&w->cell, RS_X_PARENT_NAME, zh, pt);
            xlsx_head(w->b, strbuf_str(&w->cell));
        }
    }
    if (w->cell.oom)
        xlsx_fail(w->b);
    col_rs(w, RS_LINE);
}

/* Writes id_cols' cells of u from column 0; returns the next column. */
static xlsx_col id_cells(xw *w, const level_sheet *ls, const unit_rec *u)
{
    xlsx_col col = 0;
    text(w, col++, u->id);
    if (ls->name)
        text(w, col++, u->name);
    if (ls->parent) {
        text(w, col++, u->parent);
        if (ls->pname)
            text(w, col++, parent_name(&ls->par, u->parent));
    }
    num(w, col++, (double)u->line);
    return col;
}

static int level_row(void *ctx, const unit_rec *u)
{
    level_sheet *ls = ctx;
    xw *w = ls->w;
    const rule_level *lv = ls->lv;
    if (row_begin(w))
        return -1;
    xlsx_col col = id_cells(w, ls, u);
    text(w, col++, report_status_word(u->status, w->zh));
    text(w, col++, report_exit_word(u, w->zh));
    strbuf_reset(&w->cell);
    report_exit_when(&w->cell, u, w->zh);
    text_cell(w, col++);
    if (lv->child >= 0) {
        const claim_tally *t = &u->below.leaf_claims;
        num(w, col++, (double)u->below.children);
        num(w, col++, (double)t->claimed);
        num(w, col++, (double)t->wrong);
        rate(w, col++, t->wrong, t->claimed);
        people_rate(w, col++, t);
    }
    for (size_t i = 0; i < lv->ntargets; i++)
        text(w, col++, target_word((unit_status)u->tstatus[i], w->zh));
    for (size_t k = 0; k < ls->nobs; k++)
        val(w, col++, &u->slots[ls->obs[k]]);
    row_end(w);
    return bad(w) ? -1 : 0;
}

static int level_sheet_write(xw *w, size_t i)
{
    const rule_level *lv = w->r->facts->levels[i].level;
    int zh = w->zh;
    level_sheet ls = {w, lv, {0}, lv->name >= 0, lv->parent >= 0 && lv->parent_key >= 0, 0, NULL, 0};
    int rc = parents_open(w, lv, &ls.par) || observed_slots(&ls) ? -1 : 0;
    ls.pname = ls.par.ids != NULL;
    id_cols(w, &ls);
    col_rs(w, RS_STATUS);
    col_rs(w, RS_CLAIM);
    col_rs(w, RS_EXIT);
    if (lv->child >= 0) {
        col_rs(w, RS_X_CHILDREN);
        col_rs(w, RS_X_CLAIMS_BELOW);
        col_rs(w, RS_X_WRONG_BELOW);
        col_pct(w, RS_WRONG_RATE);
        col_pct(w, RS_WRONG_RATE_PEOPLE);
    }
    for (size_t t = 0; t < lv->ntargets; t++)
        xlsx_head(w->b, lv->targets[t].id);
    for (size_t k = 0; k < ls.nobs; k++)
        xlsx_head(w->b, rules_slot_name(w->r->rs, lv, ls.obs[k]));
    if (rc)
        xlsx_fail(w->b);
    const char *title = report_title(&lv->title, zh);
    if (xlsx_sheet(w->b, *title ? title : lv->id) == 0 && check_foreach(w->r->c, i, level_row, &ls))
        xlsx_fail(w->b);
    xlsx_sheet_end(w->b);
    parents_close(&ls.par);
    mem_free(ls.obs);
    return bad(w) ? -1 : 0;
}

/* ---- the exits that do not hold ---- */

typedef struct exits_ctx {
    xw *w;
    const char *level;     /* the level's title */
    parents par;
} exits_ctx;

/* The ids of u's targets of status st, space-separated, in w->cell. */
static void target_ids(xw *w, const unit_rec *u, unit_status st)
{
    strbuf_reset(&w->cell);
    for (size_t i = 0; i < u->level->ntargets; i++)
        if (u->tstatus[i] == st) {
            strbuf_puts(&w->cell, w->cell.len ? " " : "");
            strbuf_puts(&w->cell, u->level->targets[i].id);
        }
}

static int exits_row(void *ctx, const unit_rec *u)
{
    exits_ctx *ec = ctx;
    xw *w = ec->w;
    if (u->claim != CLAIM_WRONG && u->claim != CLAIM_UNSUPPORTED)
        return 0;
    if (row_begin(w))
        return -1;
    text(w, 0, ec->level);
    text(w, 1, u->id);
    text(w, 2, u->name);
    text(w, 3, u->parent);
    text(w, 4, parent_name(&ec->par, u->parent));
    num(w, 5, (double)u->line);
    text(w, 6, report_exit_word(u, w->zh));
    strbuf_reset(&w->cell);
    report_exit_when(&w->cell, u, w->zh);
    text_cell(w, 7);
    target_ids(w, u, ST_FAIL);
    text_cell(w, 8);
    target_ids(w, u, ST_UNKNOWN);
    text_cell(w, 9);
    row_end(w);
    return bad(w) ? -1 : 0;
}

/* Every wrong or unsupported exit, this year's and earlier, level by
 * level in input order. */
static int exits_sheet(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    static const report_string head[] = {RS_LEVEL, RS_ID, RS_NAME, RS_X_ANY_PARENT_ID, RS_X_ANY_PARENT_NAME,
                                         RS_LINE, RS_CLAIM, RS_EXIT, RS_X_TARGETS_NOT_MET, RS_X_TARGETS_UNKNOWN};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        col_rs(w, head[k]);
    if (xlsx_sheet(w->b, RS(RS_X_EXITS, zh)))
        return -1;
    for (size_t i = 0; i < f->nlevels && !bad(w); i++) {
        const report_level_facts *l = &f->levels[i];
        if (!l->bad_claims && !l->earlier_bad)
            continue;
        exits_ctx ec = {w, report_title(&l->level->title, zh), {0}};
        if (parents_open(w, l->level, &ec.par) || check_foreach_ids(w->r->c, i, exits_row, &ec))
            xlsx_fail(w->b);
        parents_close(&ec.par);
    }
    xlsx_sheet_end(w->b);
    return bad(w) ? -1 : 0;
}

/* ---- figures reported and recomputed ---- */

typedef struct figures_ctx {
    xw *w;
    const char *level;
} figures_ctx;

static int figures_rows(void *ctx, const unit_rec *u)
{
    figures_ctx *fc = ctx;
    xw *w = fc->w;
    const rule_level *lv = u->level;
    for (size_t i = 0; i < lv->nrecompute; i++) {
        if (!u->applied[i])
            continue;
        const rule_recompute *rc = &lv->recompute[i];
        const value *rep = &u->reported[i], *got = &u->slots[rc->indicator];
        if (row_begin(w))
            return -1;
        text(w, 0, fc->level);
        text(w, 1, u->id);
        text(w, 2, u->name);
        text(w, 3, lv->ind[rc->indicator].id);
        val(w, 4, rep);
        val(w, 5, got);
        if (rep->kind == V_NUM && got->kind == V_NUM)
            num(w, 6, got->u.num - rep->u.num);
        num(w, 7, rc->tolerance);
        if (u->differs[i])
            text(w, 8, RS(RS_DIFFERS, w->zh));
        row_end(w);
    }
    return bad(w) ? -1 : 0;
}

/* Each figure an upper-level unit reports that was recomputed from its
 * child data: as reported, as recomputed, the difference, the tolerance,
 * and whether it differs beyond it. */
static int figures_sheet(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    static const report_string head[] = {RS_LEVEL,      RS_ID,           RS_NAME,      RS_X_FIGURE, RS_REPORTED,
                                         RS_RECOMPUTED, RS_X_DIFFERENCE, RS_TOLERANCE, RS_DIFFERS};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        col_rs(w, head[k]);
    if (xlsx_sheet(w->b, RS(RS_X_FIGURES, zh)))
        return -1;
    for (size_t i = 0; i < f->nlevels && !bad(w); i++) {
        const rule_level *lv = f->levels[i].level;
        if (lv->child < 0 || !lv->nrecompute || !f->levels[i].stats)
            continue;
        figures_ctx fc = {w, report_title(&lv->title, zh)};
        if (check_foreach(w->r->c, i, figures_rows, &fc))
            xlsx_fail(w->b);
    }
    xlsx_sheet_end(w->b);
    return bad(w) ? -1 : 0;
}

/* ---- the workbook ---- */

/* Whether the level sheets may pass 4 GB of XML (about 64 bytes a cell,
 * generously): then the zip needs ZIP64, which a smaller file need not
 * carry. */
static int needs_zip64(const report_ctx *r)
{
    double bytes = 0;
    for (size_t i = 0; i < r->facts->nlevels; i++) {
        const rule_level *lv = r->facts->levels[i].level;
        double ncols = 16.0 + (double)lv->ntargets + (double)lv->nslots;
        bytes += (double)r->facts->levels[i].sum->units * ncols * 64.0;
    }
    return bytes > 3.5e9;
}

int report_xlsx(const report_ctx *r, FILE *out)
{
    xw w = {r, r->opts.zh, NULL, STRBUF_INIT};
    text2 title = rules_title(r->rs);
    strbuf_printf(&w.cell, "exitcheck %s: %s", RS(RS_REPORT, w.zh), report_title(&title, w.zh));
    w.b = xlsx_open(strbuf_str(&w.cell), needs_zip64(r));
    if (!w.b) {
        strbuf_free(&w.cell);
        return -1;
    }
    if (summary_sheet(&w) == 0)
        for (size_t i = 0; i < r->facts->nlevels && !bad(&w); i++)
            if (r->facts->levels[i].stats)
                level_sheet_write(&w, i);
    if (!bad(&w) && exits_sheet(&w) == 0 && figures_sheet(&w) == 0)
        xlsx_problems(w.b, r->d, w.zh);
    if (w.cell.oom) /* sticky: any text cut short */
        xlsx_fail(w.b);
    strbuf_free(&w.cell);
    return xlsx_close(&w.b, out);
}
