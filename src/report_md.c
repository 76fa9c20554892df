/*
 * report_md.c - Markdown for pull-request comments and CI step summaries:
 * the verdict, the summary table (this year's claims, both wrong-exit
 * rates), the earlier exits per level when there are any, the targets not
 * met, the wrong or unsupported exits, this year's and earlier (capped), the reported figures that differ from
 * the recomputed ones, and the provenance in a collapsed <details> block.
 * With --waivers (only then): the units that meet the standard only by
 * waiver and the exits that hold only by waiver counted apart, waived
 * targets counted and shown with their waiver, a section listing every
 * waiver and the units that meet the standard only by waiver (capped),
 * and the waiver file in the provenance.
 * Cell text is escaped so a unit name cannot break the table or inject
 * markup.
 */
#include "report.h"
#include "report_strings.h"
#include "waiver.h"

#include <string.h>

enum { MD_CAP = 50 };

typedef struct mw {
    FILE *out;
    strbuf sb;
    const report_ctx *r;
    int zh;
    long shown, total;
} mw;

/* Escapes Markdown and HTML specials inside a table cell. */
static void md(strbuf *sb, const char *s)
{
    if (!s)
        return;
    for (const char *p = s; *p; p++) {
        switch (*p) {
        case '|': strbuf_puts(sb, "\\|"); break;
        case '<': strbuf_puts(sb, "&lt;"); break;
        case '>': strbuf_puts(sb, "&gt;"); break;
        case '&': strbuf_puts(sb, "&amp;"); break;
        case '\n': case '\r': strbuf_putc(sb, ' '); break;
        case '*': case '_': case '`': case '[': case ']': case '\\': case '#':
            strbuf_putc(sb, '\\');
            strbuf_putc(sb, *p);
            break;
        default: strbuf_putc(sb, *p);
        }
    }
}

static int flush(mw *w) { return report_flush(&w->sb, w->out); }

static void rate(strbuf *sb, long part, long whole) { report_rate_text(sb, part, whole, "–"); }
static void prate(strbuf *sb, const claim_tally *t) { report_people_rate_text(sb, t, "–"); }

/* A row's first cells: "| level | id name". */
static void unit_cells(mw *w, const unit_rec *u)
{
    strbuf *sb = &w->sb;
    strbuf_puts(sb, "| ");
    md(sb, report_title(&u->level->title, w->zh));
    strbuf_puts(sb, " | ");
    md(sb, u->id);
    if (u->name) {
        strbuf_putc(sb, ' ');
        md(sb, u->name);
    }
}

/* The targets of u not met or unknown, "H02 not met (observed ...)", and
 * the waived ones, "H11 waived (without the waiver: not met, observed
 * ...; basis ...; approved by ...; waivers.csv:2)", into cell. */
static void target_cell(mw *w, strbuf *cell, const unit_rec *u)
{
    const rule_level *lv = u->level;
    const waivers *wv = w->r->facts->waivers;
    for (size_t i = 0; i < lv->ntargets; i++) {
        unit_status st = (unit_status)u->tstatus[i];
        const waiver *x = st == ST_WAIVED && wv ? waivers_for(wv, u, i) : NULL;
        if (x)
            st = x->outcome;
        else if (st != ST_FAIL && st != ST_UNKNOWN)
            continue;
        const rule_target *t = &lv->targets[i];
        report_string word = st == ST_FAIL ? RS_NOT_MET : st == ST_WARN ? RS_WARN : RS_UNKNOWN;
        strbuf_printf(cell, "%s%s ", cell->len ? "; " : "", t->id);
        if (x)
            strbuf_printf(cell, "%s (%s%s%s%s", RS(RS_WAIVED, w->zh), RS(RS_WITHOUT_WAIVER, w->zh), w->zh ? "：" : ": ",
                          RS(word, w->zh), w->zh ? "，" : ", ");
        else
            strbuf_printf(cell, "%s (", RS(word, w->zh));
        if (st == ST_UNKNOWN)
            report_unknown_reason(cell, w->r->rs, lv, t, u->slots, w->zh);
        else
            report_observed(cell, w->r->rs, lv, t, u->slots, w->zh);
        if (x) {
            strbuf_puts(cell, w->zh ? "；" : "; ");
            report_waiver_text(cell, x, w->zh);
            strbuf_printf(cell, "%s%s:%ld", w->zh ? "；" : "; ", waivers_path(wv), x->line);
        }
        strbuf_putc(cell, ')');
    }
}

/* One row of a unit listing: level, id and name, line, its exit (when,
 * and its outcome), its targets not met, unknown or waived; capped. */
static int exit_row(mw *w, const unit_rec *u)
{
    if (++w->total > MD_CAP)
        return 0;
    w->shown++;
    strbuf *sb = &w->sb;
    unit_cells(w, u);
    strbuf_printf(sb, " | %ld | ", u->line);
    strbuf cell = STRBUF_INIT;
    report_exit_when(&cell, u, w->zh);
    md(sb, strbuf_str(&cell));
    strbuf_reset(&cell);
    strbuf_printf(sb, " | %s | ", report_exit_word(u, w->zh));
    target_cell(w, &cell, u);
    md(sb, strbuf_str(&cell));
    strbuf_release_into(sb, &cell);
    strbuf_puts(sb, " |\n");
    return flush(w);
}

static int claim_row(void *ctx, const unit_rec *u)
{
    mw *w = ctx;
    return u->claim == CLAIM_WRONG || u->claim == CLAIM_UNSUPPORTED ? exit_row(w, u) : 0;
}

/* A unit that meets the standard only by waiver: level, id and name,
 * line, its exit (when, and its outcome), the waived targets. */
static int by_waiver_row(void *ctx, const unit_rec *u)
{
    mw *w = ctx;
    return unit_by_waiver(u) ? exit_row(w, u) : 0;
}

static int differs_row(void *ctx, const unit_rec *u)
{
    mw *w = ctx;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    for (size_t i = 0; i < lv->nrecompute; i++) {
        if (!u->differs[i])
            continue;
        unit_cells(w, u);
        strbuf_puts(sb, " | ");
        md(sb, lv->ind[lv->recompute[i].indicator].id);
        strbuf_puts(sb, " | ");
        report_value(sb, &u->reported[i], w->zh);
        strbuf_puts(sb, " | ");
        report_value(sb, &u->slots[lv->recompute[i].indicator], w->zh);
        strbuf_puts(sb, " |\n");
    }
    return flush(w);
}

/* The verdict and the summary table, one row per level. */
static void verdict_summary(mw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    strbuf_printf(sb, "\n\n**%s:** ", RS(RS_VERDICT, zh));
    report_verdict_text(sb, f, zh);
    strbuf_printf(sb, " (%s %d)\n\n", RS(RS_EXIT_STATUS, zh), (int)f->status);

    /* with waivers: "met by waiver" after the statuses (units counted in
     * pass or warn too), and the supported exits split into those that
     * hold without a waiver and those that hold only by one */
    int wv = f->waivers != NULL;
    static const report_string cols[] = {RS_LEVEL, RS_UNITS, RS_PASS, RS_FAIL, RS_UNKNOWN, RS_WARN, RS_MET_BY_WAIVER,
                                         RS_CLAIMED, RS_SUPPORTED, RS_BY_WAIVER, RS_WRONG_EXITS, RS_UNSUPPORTED,
                                         RS_WRONG_RATE, RS_WRONG_RATE_PEOPLE};
    strbuf_putc(sb, '|');
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        if (wv || (cols[k] != RS_MET_BY_WAIVER && cols[k] != RS_BY_WAIVER))
            strbuf_printf(sb, " %s |", RS(cols[k], zh));
    strbuf_puts(sb, "\n|---|");
    for (size_t k = 1; k < sizeof cols / sizeof cols[0] - (wv ? 0 : 2); k++)
        strbuf_puts(sb, "---:|");
    strbuf_putc(sb, '\n');
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        strbuf_puts(sb, "| ");
        md(sb, report_title(&f->levels[i].level->title, zh));
        strbuf_printf(sb, " | %ld | %ld | %ld | %ld | %ld | ", s->units, s->pass, s->fail, s->unknown, s->warn);
        if (wv)
            strbuf_printf(sb, "%ld | ", s->by_waiver);
        strbuf_printf(sb, "%ld | ", s->claims.claimed);
        if (wv)
            strbuf_printf(sb, "%ld | %ld | ", s->claims.supported - s->claims.by_waiver, s->claims.by_waiver);
        else
            strbuf_printf(sb, "%ld | ", s->claims.supported);
        strbuf_printf(sb, "%ld | %ld | ", s->claims.wrong, s->claims.unsupported);
        rate(sb, s->claims.wrong, s->claims.claimed);
        strbuf_puts(sb, " | ");
        prate(sb, &s->claims);
        strbuf_puts(sb, " |\n");
    }
    report_orphans_text(sb, f, zh, "\n", "\n");
    if (!f->earlier)
        return;
    /* the exits of earlier years, judged on this year's data */
    strbuf_printf(sb, "\n### %s\n\n| %s | %s | %s |", RS(RS_H_EARLIER, zh), RS(RS_LEVEL, zh), RS(RS_EXITED, zh),
                  RS(RS_SUPPORTED, zh));
    if (wv)
        strbuf_printf(sb, " %s |", RS(RS_BY_WAIVER, zh));
    strbuf_printf(sb, " %s | %s |\n|---|---:|---:|---:|---:|%s\n", RS(RS_WRONG_EXITS, zh), RS(RS_UNSUPPORTED, zh),
                  wv ? "---:|" : "");
    for (size_t i = 0; i < f->nlevels; i++) {
        const claim_tally *e = &f->levels[i].sum->earlier;
        strbuf_puts(sb, "| ");
        md(sb, report_title(&f->levels[i].level->title, zh));
        if (wv)
            strbuf_printf(sb, " | %ld | %ld | %ld | %ld | %ld |\n", e->claimed, e->supported - e->by_waiver,
                          e->by_waiver, e->wrong, e->unsupported);
        else
            strbuf_printf(sb, " | %ld | %ld | %ld | %ld |\n", e->claimed, e->supported, e->wrong, e->unsupported);
    }
}

static void targets_not_met(mw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    int wv = f->waivers != NULL; /* with waivers: a column of the units for which the target is waived */
    strbuf_printf(sb, "\n### %s\n\n| %s | %s | %s | %s |", RS(RS_TARGETS_NOT_MET, zh), RS(RS_TARGET, zh),
                  RS(RS_NAME, zh), RS(RS_NOT_MET, zh), RS(RS_UNKNOWN, zh));
    if (wv)
        strbuf_printf(sb, " %s |", RS(RS_WAIVED, zh));
    strbuf_printf(sb, "\n|---|---|---:|---:|%s\n", wv ? "---:|" : "");
    int any = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        const rule_level *lv = f->levels[i].level;
        const level_summary *s = f->levels[i].sum;
        for (size_t t = 0; t < lv->ntargets; t++) {
            if (!s->target_fail[t] && !s->target_unknown[t] && !(wv && s->target_waived[t]))
                continue;
            any = 1;
            strbuf_printf(sb, "| %s | ", lv->targets[t].id);
            md(sb, report_title(&lv->targets[t].title, zh));
            strbuf_printf(sb, " | %ld | %ld |", s->target_fail[t], s->target_unknown[t]);
            if (wv)
                strbuf_printf(sb, " %ld |", s->target_waived[t]);
            strbuf_putc(sb, '\n');
        }
    }
    if (!any)
        strbuf_printf(sb, "| %s | | | |%s\n", RS(RS_NONE, zh), wv ? " |" : "");
}

/* The waivers: the as-of date, per level the count of units that meet
 * the standard only by waiver, every waiver of the file with what became
 * of it, and the units that meet the standard only by waiver (capped). */
static int waivers_section(mw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    const waivers *wv = f->waivers;
    int zh = w->zh;
    strbuf cell = STRBUF_INIT;
    strbuf_printf(sb, "\n### %s\n\n%s%s", RS(RS_H_WAIVERS, zh), RS(RS_AS_OF, zh), zh ? "：" : ": ");
    report_as_of_text(&cell, f->waivers, zh);
    md(sb, strbuf_str(&cell));
    strbuf_reset(&cell);
    strbuf_puts(sb, "\n\n");
    for (size_t i = 0; i < f->nlevels; i++) {
        if (!f->levels[i].stats)
            continue;
        rs_printf(&cell, RS_UNITS_BY_WAIVER, zh, report_title(&f->levels[i].level->title, zh),
                  f->levels[i].sum->by_waiver);
        strbuf_puts(sb, "- ");
        md(sb, strbuf_str(&cell));
        strbuf_reset(&cell);
        strbuf_putc(sb, '\n');
    }
    if (!waivers_count(wv)) {
        strbuf_printf(sb, "\n%s\n", RS(RS_NO_WAIVERS, zh));
    } else {
        static const report_string cols[] = {RS_LINE, RS_LEVEL, RS_UNIT, RS_TARGET, RS_OUTCOME,
                                             RS_BASIS, RS_WAIVER_REASON, RS_APPROVED_BY, RS_APPROVED_ON,
                                             RS_EXPIRES};
        strbuf_puts(sb, "\n|");
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            strbuf_printf(sb, " %s |", RS(cols[k], zh));
        strbuf_puts(sb, "\n|---:|---|---|---|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < waivers_count(wv); i++) {
            const waiver *x = waivers_get(wv, i);
            const rule_level *lv = f->levels[x->level].level;
            char d[11];
            strbuf_printf(sb, "| %ld | ", x->line);
            md(sb, report_title(&lv->title, zh));
            strbuf_puts(sb, " | ");
            md(sb, x->unit_id);
            strbuf_puts(sb, " | ");
            md(sb, lv->targets[x->target].id);
            strbuf_puts(sb, " | ");
            md(sb, report_waiver_use(x, zh));
            strbuf_puts(sb, " | ");
            md(sb, x->basis);
            strbuf_puts(sb, " | ");
            md(sb, x->reason);
            strbuf_puts(sb, " | ");
            md(sb, x->approved_by);
            waiver_date_text(x->approved_on, d);
            strbuf_printf(sb, " | %s | ", d);
            if (x->expires)
                waiver_date_text(x->expires, d);
            strbuf_printf(sb, "%s |\n", x->expires ? d : "–");
            if (flush(w))
                goto fail;
        }
    }
    if (f->units_by_waiver) {
        strbuf_printf(sb, "\n#### %s\n\n| %s | %s | %s | %s | %s | %s |\n|---|---|---:|---|---|---|\n",
                      RS(RS_H_UNITS_BY_WAIVER, zh), RS(RS_LEVEL, zh), RS(RS_ID, zh), RS(RS_LINE, zh), RS(RS_EXIT, zh),
                      RS(RS_CLAIM, zh), RS(RS_WAIVED, zh));
        w->shown = w->total = 0;
        for (size_t i = 0; i < f->nlevels; i++)
            if (flush(w) || check_foreach(w->r->c, i, by_waiver_row, w))
                goto fail;
        if (w->total > w->shown) {
            strbuf_putc(sb, '\n');
            rs_printf(sb, RS_MORE_UNITS, zh, w->total - w->shown);
            strbuf_putc(sb, '\n');
        }
    }
    strbuf_free(&cell);
    return flush(w);
fail:
    strbuf_free(&cell);
    return -1;
}

/* Parameters, tables and rule files in a collapsed block. */
static void provenance(mw *w)
{
    strbuf *sb = &w->sb;
    const ruleset *rs = w->r->rs;
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    strbuf_printf(sb, "\n<details><summary>%s, %s, %s</summary>\n\n", RS(RS_PARAMS, zh), RS(RS_INPUTS, zh),
                  RS(RS_RULE_FILES, zh));
    strbuf_printf(sb, "- exitcheck %s; %s %s %s\n", EXITCHECK_VERSION, RS(RS_PACK, zh), rules_id(rs),
                  rules_version(rs));
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        strbuf_printf(sb, "- `%s`:", p->id);
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &f->params[i].years[y];
            strbuf_printf(sb, " %d: ", py->year);
            report_value(sb, &py->v, zh);
            switch (py->origin) {
            case PARAM_UNVERIFIED: strbuf_printf(sb, " (**%s**)", RS(RS_UNVERIFIED, zh)); break;
            case PARAM_OVERRIDDEN: strbuf_printf(sb, " (%s)", RS(RS_GIVEN_BY_PARAM, zh)); break;
            case PARAM_CONFIRMED:
            case PARAM_NO_VALUE: break;
            }
        }
        strbuf_putc(sb, '\n');
    }
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        strbuf_puts(sb, "- `");
        md(sb, f->levels[i].path);
        strbuf_printf(sb, "` sha256 `%s`, %s %s, %s %ld, %s %ld\n", st->sha256, RS(RS_ENCODING, zh),
                      report_tr(st->encoding, zh), RS(RS_ROWS_READ, zh), st->rows_read, RS(RS_REJECTED, zh),
                      st->rows_rejected);
    }
    const table_stats *ws = f->waivers ? waivers_stats(f->waivers) : NULL;
    if (ws) {
        strbuf_printf(sb, "- %s: `", RS(RS_WAIVER_FILE, zh));
        md(sb, waivers_path(f->waivers));
        strbuf_printf(sb, "` sha256 `%s`, %s %s, %s %ld, %s %ld\n", ws->sha256, RS(RS_ENCODING, zh),
                      report_tr(ws->encoding, zh), RS(RS_ROWS_READ, zh), ws->rows_read, RS(RS_REJECTED, zh),
                      ws->rows_rejected);
    }
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        strbuf_puts(sb, "- `");
        md(sb, rules_file(rs, i)->path);
        strbuf_printf(sb, "` sha256 `%s`\n", rules_file(rs, i)->sha256);
    }
    strbuf_puts(sb, "\n</details>\n");
}

int report_md(const report_ctx *r, FILE *out)
{
    mw w = {out, STRBUF_INIT, r, r->opts.zh, 0, 0};
    strbuf *sb = &w.sb;
    const report_facts *f = r->facts;
    checker *c = r->c;
    int zh = w.zh;
    text2 title = rules_title(r->rs);

    strbuf_puts(sb, "## exitcheck ");
    strbuf_puts(sb, RS(RS_REPORT, zh));
    strbuf_puts(sb, ": ");
    md(sb, report_title(&title, zh));
    verdict_summary(&w);
    targets_not_met(&w);
    int rc = flush(&w);

    long earlier_bad = 0;
    for (size_t i = 0; i < f->nlevels; i++)
        earlier_bad += f->levels[i].earlier_bad;
    if (f->bad || earlier_bad) {
        strbuf_printf(sb, "\n### %s\n\n| %s | %s | %s | %s | %s | %s |\n|---|---|---:|---|---|---|\n",
                      RS(f->earlier ? RS_WRONG_EXITS_ALL : RS_WRONG_CLAIMS, zh), RS(RS_LEVEL, zh), RS(RS_ID, zh),
                      RS(RS_LINE, zh), RS(RS_EXIT, zh), RS(RS_CLAIM, zh), RS(RS_TARGET, zh));
        for (size_t i = 0; i < f->nlevels && rc == 0; i++)
            if (flush(&w) || check_foreach(c, i, claim_row, &w))
                rc = -1;
        if (w.total > w.shown) {
            strbuf_putc(sb, '\n');
            rs_printf(sb, RS_MORE_UNITS, zh, w.total - w.shown);
            strbuf_putc(sb, '\n');
        }
    }
    if (f->waivers && rc == 0 && waivers_section(&w))
        rc = -1;
    if (f->differs) {
        strbuf_printf(sb, "\n### %s\n\n| %s | %s | | %s | %s |\n|---|---|---|---:|---:|\n", RS(RS_FIGURES, zh),
                      RS(RS_LEVEL, zh), RS(RS_ID, zh), RS(RS_REPORTED, zh), RS(RS_RECOMPUTED, zh));
        for (size_t i = 0; i < f->nlevels && rc == 0; i++)
            if (flush(&w) || check_foreach(c, i, differs_row, &w))
                rc = -1;
    }
    provenance(&w);
    if (flush(&w))
        rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
