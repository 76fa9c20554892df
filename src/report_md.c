/*
 * report_md.c - Markdown for pull-request comments and CI step summaries:
 * the verdict, the summary table (this year's claims, both wrong-exit
 * rates), the earlier exits per level when there are any, the targets not
 * met, the wrong or unsupported exits, this year's and earlier (capped), the reported figures that differ from
 * the recomputed ones, and the provenance in a collapsed <details> block.
 * Cell text is escaped so a unit name cannot break the table or inject
 * markup.
 */
#include "report.h"
#include "report_strings.h"

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

static int claim_row(void *ctx, const unit_rec *u)
{
    mw *w = ctx;
    if (u->claim != CLAIM_WRONG && u->claim != CLAIM_UNSUPPORTED)
        return 0;
    if (++w->total > MD_CAP)
        return 0;
    w->shown++;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    unit_cells(w, u);
    strbuf_printf(sb, " | %ld | ", u->line);
    strbuf cell = STRBUF_INIT;
    report_exit_when(&cell, u, w->zh);
    md(sb, strbuf_str(&cell));
    strbuf_reset(&cell);
    strbuf_printf(sb, " | %s | ", report_exit_word(u, w->zh));
    for (size_t i = 0; i < lv->ntargets; i++) {
        unit_status st = (unit_status)u->tstatus[i];
        if (st != ST_FAIL && st != ST_UNKNOWN)
            continue;
        const rule_target *t = &lv->targets[i];
        strbuf_printf(&cell, "%s%s %s (", cell.len ? "; " : "", t->id, RS(st == ST_FAIL ? RS_NOT_MET : RS_UNKNOWN, w->zh));
        if (st == ST_FAIL)
            report_observed(&cell, w->r->rs, lv, t, u->slots, w->zh);
        else
            report_unknown_reason(&cell, w->r->rs, lv, t, u->slots, w->zh);
        strbuf_putc(&cell, ')');
    }
    md(sb, strbuf_str(&cell));
    strbuf_release_into(sb, &cell);
    strbuf_puts(sb, " |\n");
    return flush(w);
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

    static const report_string cols[] = {RS_LEVEL, RS_UNITS, RS_PASS, RS_FAIL, RS_UNKNOWN, RS_WARN, RS_CLAIMED,
                                         RS_SUPPORTED, RS_WRONG_EXITS, RS_UNSUPPORTED, RS_WRONG_RATE,
                                         RS_WRONG_RATE_PEOPLE};
    strbuf_putc(sb, '|');
    for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
        strbuf_printf(sb, " %s |", RS(cols[k], zh));
    strbuf_puts(sb, "\n|---|");
    for (size_t k = 1; k < sizeof cols / sizeof cols[0]; k++)
        strbuf_puts(sb, "---:|");
    strbuf_putc(sb, '\n');
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        strbuf_puts(sb, "| ");
        md(sb, report_title(&f->levels[i].level->title, zh));
        strbuf_printf(sb, " | %ld | %ld | %ld | %ld | %ld | %ld | %ld | %ld | %ld | ", s->units, s->pass, s->fail,
                      s->unknown, s->warn, s->claims.claimed, s->claims.supported, s->claims.wrong,
                      s->claims.unsupported);
        rate(sb, s->claims.wrong, s->claims.claimed);
        strbuf_puts(sb, " | ");
        prate(sb, &s->claims);
        strbuf_puts(sb, " |\n");
    }
    report_orphans_text(sb, f, zh, "\n", "\n");
    if (!f->earlier)
        return;
    /* the exits of earlier years, judged on this year's data */
    strbuf_printf(sb, "\n### %s\n\n| %s | %s | %s | %s | %s |\n|---|---:|---:|---:|---:|\n", RS(RS_H_EARLIER, zh),
                  RS(RS_LEVEL, zh), RS(RS_EXITED, zh), RS(RS_SUPPORTED, zh), RS(RS_WRONG_EXITS, zh),
                  RS(RS_UNSUPPORTED, zh));
    for (size_t i = 0; i < f->nlevels; i++) {
        const claim_tally *e = &f->levels[i].sum->earlier;
        strbuf_puts(sb, "| ");
        md(sb, report_title(&f->levels[i].level->title, zh));
        strbuf_printf(sb, " | %ld | %ld | %ld | %ld |\n", e->claimed, e->supported, e->wrong, e->unsupported);
    }
}

static void targets_not_met(mw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    strbuf_printf(sb, "\n### %s\n\n| %s | %s | %s | %s |\n|---|---|---:|---:|\n", RS(RS_TARGETS_NOT_MET, zh),
                  RS(RS_TARGET, zh), RS(RS_NAME, zh), RS(RS_NOT_MET, zh), RS(RS_UNKNOWN, zh));
    int any = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        const rule_level *lv = f->levels[i].level;
        const level_summary *s = f->levels[i].sum;
        for (size_t t = 0; t < lv->ntargets; t++) {
            if (!s->target_fail[t] && !s->target_unknown[t])
                continue;
            any = 1;
            strbuf_printf(sb, "| %s | ", lv->targets[t].id);
            md(sb, report_title(&lv->targets[t].title, zh));
            strbuf_printf(sb, " | %ld | %ld |\n", s->target_fail[t], s->target_unknown[t]);
        }
    }
    if (!any)
        strbuf_printf(sb, "| %s | | | |\n", RS(RS_NONE, zh));
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
