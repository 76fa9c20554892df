/*
 * report_units.c - one CSV row per unit: level, id, parent, line, status,
 * claim (the outcome of its exit), exit (none, this_year, earlier), and
 * the ids of the targets not met, unknown, and not met with severity warn
 * (space-separated); when the run has a waiver file, a last column with
 * the ids of the targets waived (without one, no such column).
 * The compact listing an evaluator filters in a spreadsheet, and what a
 * batch job diffs between two submissions. Text cells are quoted and
 * protected against spreadsheet formulas like report_csv's.
 */
#include "report.h"

#include <string.h>

typedef struct uw {
    FILE *out;
    strbuf sb;
    int waivers;  /* the run has a waiver file: the column "waived" */
} uw;

static void cell(strbuf *sb, const char *s) { report_csv_cell(sb, s, s ? strlen(s) : 0); }

static int row(void *ctx, const unit_rec *u)
{
    uw *w = ctx;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    strbuf_puts(sb, lv->id);
    strbuf_putc(sb, ',');
    cell(sb, u->id);
    strbuf_putc(sb, ',');
    cell(sb, u->parent);
    strbuf_putc(sb, ',');
    strbuf_long(sb, u->line);
    strbuf_putc(sb, ',');
    strbuf_puts(sb, unit_status_name(u->status));
    strbuf_putc(sb, ',');
    strbuf_puts(sb, claim_status_name(u->claim));
    strbuf_putc(sb, ',');
    strbuf_puts(sb, unit_exit_name(u->exit));
    strbuf_putc(sb, ',');
    static const unit_status cols[] = {ST_FAIL, ST_UNKNOWN, ST_WARN, ST_WAIVED};
    int ncols = w->waivers ? 4 : 3;
    if (u->status == ST_PASS && !w->waivers) { /* every target met: the three lists are empty */
        strbuf_add(sb, ",,\n", 3);
    } else {
        for (int k = 0; k < ncols; k++) {
            int any = 0;
            /* a passing unit's targets are met or waived */
            for (size_t i = 0; i < lv->ntargets && (u->status != ST_PASS || cols[k] == ST_WAIVED); i++)
                if (u->tstatus[i] == cols[k]) {
                    strbuf_puts(sb, any++ ? " " : "");
                    strbuf_puts(sb, lv->targets[i].id);
                }
            strbuf_putc(sb, k < ncols - 1 ? ',' : '\n');
        }
    }
    return sb->len < 65536 ? 0 : report_flush(sb, w->out);
}

int report_units(const report_ctx *r, FILE *out)
{
    uw w = {out, STRBUF_INIT, r->facts && r->facts->waivers};
    strbuf_puts(&w.sb, w.waivers ? "level,id,parent,line,status,claim,exit,not_met,unknown,warn,waived\n"
                                 : "level,id,parent,line,status,claim,exit,not_met,unknown,warn\n");
    int rc = 0;
    for (size_t i = 0; i < rules_nlevels(r->rs) && rc == 0; i++)
        rc = check_foreach_ids(r->c, i, row, &w) ? -1 : 0;
    if (rc == 0 && report_flush(&w.sb, out))
        rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
