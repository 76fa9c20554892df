/*
 * report_html_units.c - the HTML report's sections that read the units:
 * wrong-exit rates (by units and by people) and earlier exits per level
 * and per upper-level unit, every upper-level
 * unit's reported and recomputed figures, and the tables of units not
 * meeting the standard, of wrong or unsupported claims this year and of
 * wrong or unsupported earlier exits (the bottom level capped at HTML_CAP
 * rows, with a count of the rest); with --waivers, the waivers section:
 * every waiver of the file with what became of it, and the units that
 * meet the standard only by waiver (capped likewise). A waived target is
 * shown with its own badge, what it was without the waiver and the
 * waiver itself; the exits that hold only by waiver are counted apart
 * from the other supported ones.
 *
 * Each table is written a row at a time as check_foreach hands the units
 * over, and flushed, so a bottom level of a million units is never held.
 */
#include "report_html.h"
#include "waiver.h"

/* ---- wrong-exit rates ---- */

/* The supported exits of t; with waivers, those that hold only by
 * waiver apart: two cells. */
static void supported_cells(hw *w, const claim_tally *t)
{
    if (!w->r->facts->waivers) {
        td_num(w, t->supported);
        return;
    }
    td_num(w, t->supported - t->by_waiver);
    td_num(w, t->by_waiver);
}

/* This year's claims t and both wrong-exit rates; with earlier exits in
 * the run (f->earlier), the earlier exits e too. */
static void claims_cells(hw *w, const claim_tally *t, const claim_tally *e)
{
    td_num(w, t->claimed);
    supported_cells(w, t);
    td_num(w, t->wrong);
    td_num(w, t->unsupported);
    strbuf_puts(&w->sb, "<td class=\"n\">");
    rate(&w->sb, t->wrong, t->claimed);
    strbuf_puts(&w->sb, "</td><td class=\"n\">");
    prate(&w->sb, t);
    strbuf_puts(&w->sb, "</td><td>");
    rate_bar(&w->sb, t->wrong, t->claimed);
    strbuf_puts(&w->sb, "</td>");
    if (!w->r->facts->earlier)
        return;
    td_num(w, e->claimed);
    supported_cells(w, e);
    strbuf_printf(&w->sb, "<td class=\"n%s\">%ld</td>", e->wrong ? " alert" : "", e->wrong);
    td_num(w, e->unsupported);
}

/* The header of claims_cells' columns, two rows: what the columns count
 * (this year's claims, earlier exits) over the columns. first: the
 * leading columns' header cells (rowspan 2). */
static void claims_head(hw *w, void (*first)(hw *))
{
    strbuf *sb = &w->sb;
    int earlier = w->r->facts->earlier != 0;
    int wv = w->r->facts->waivers != NULL;
    if (earlier) {
        first(w);
        strbuf_printf(sb, "<th colspan=\"%d\">", 7 + wv);
        rs(w, RS_THIS_YEAR);
        strbuf_printf(sb, "</th><th colspan=\"%d\">", 4 + wv);
        rs(w, RS_EARLIER_EXITS);
        strbuf_puts(sb, "</th></tr>\n<tr>");
    } else {
        first(w);
    }
    th(w, RS_CLAIMED, 1);
    th(w, RS_SUPPORTED, 1);
    if (wv)
        th(w, RS_BY_WAIVER, 1);
    th(w, RS_WRONG_EXITS, 1);
    th(w, RS_UNSUPPORTED, 1);
    th(w, RS_WRONG_RATE, 1);
    th(w, RS_WRONG_RATE_PEOPLE, 1);
    strbuf_puts(sb, "<th></th>");
    if (earlier) {
        th(w, RS_EXITED, 1);
        th(w, RS_SUPPORTED, 1);
        if (wv)
            th(w, RS_BY_WAIVER, 1);
        th(w, RS_WRONG_EXITS, 1);
        th(w, RS_UNSUPPORTED, 1);
    }
}

/* Leading header cells: spanning both header rows when there are two. */
static void head_cell(hw *w, report_string id)
{
    if (w->r->facts->earlier)
        strbuf_puts(&w->sb, "<th rowspan=\"2\">");
    else
        strbuf_puts(&w->sb, "<th>");
    rs(w, id);
    strbuf_puts(&w->sb, "</th>");
}

static void level_head(hw *w) { head_cell(w, RS_LEVEL); }

static void unit_head(hw *w)
{
    head_cell(w, RS_ID);
    head_cell(w, RS_NAME);
}

static int rate_row(void *ctx, const unit_rec *u)
{
    hw *w = ctx;
    strbuf *sb = &w->sb;
    strbuf_puts(sb, "<tr><td class=\"id\"><code>");
    esc(sb, u->id);
    strbuf_puts(sb, "</code></td><td class=\"nm\">");
    esc(sb, u->name);
    strbuf_puts(sb, "</td>");
    claims_cells(w, &u->below.leaf_claims, &u->below.leaf_earlier);
    strbuf_puts(sb, "</tr>\n");
    return flush(w);
}

int html_rates(hw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    size_t nl = f->nlevels;
    long leaf = f->leaf;
    h2(w, "rates", RS_H_RATES);
    strbuf_puts(sb, "<table>\n<thead><tr>");
    claims_head(w, level_head);
    strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < nl; i++) {
        strbuf_puts(sb, "<tr><td>");
        esc(sb, level_title(w, i));
        strbuf_puts(sb, "</td>");
        claims_cells(w, &f->levels[i].sum->claims, &f->levels[i].sum->earlier);
        strbuf_puts(sb, "</tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n");
    for (size_t i = 0; i < nl && leaf >= 0 && f->levels[leaf].stats; i++) {
        if ((long)i == leaf || !f->levels[i].stats)
            continue;
        strbuf_puts(sb, "<h3>");
        rs_printf(&w->tmp, RS_RATES_BELOW, w->zh, level_title(w, i), level_title(w, (size_t)leaf));
        put_tmp(w);
        strbuf_puts(sb, "</h3>\n<table>\n<thead><tr>");
        claims_head(w, unit_head);
        strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
        if (flush(w) || check_foreach(w->r->c, i, rate_row, w))
            return -1;
        strbuf_puts(sb, "</tbody>\n</table>\n");
    }
    strbuf_puts(sb, "</section>\n");
    return flush(w);
}

/* ---- reported and recomputed figures ---- */

static int figures_row(void *ctx, const unit_rec *u)
{
    hw *w = ctx;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    strbuf_puts(sb, "<tr><td class=\"id\"><code>");
    esc(sb, u->id);
    strbuf_puts(sb, "</code></td><td class=\"nm\">");
    esc(sb, u->name);
    strbuf_puts(sb, "</td><td>");
    status_badge(w, u->status);
    strbuf_puts(sb, "</td>");
    for (size_t i = 0; i < lv->nrecompute; i++) {
        const char *cls = u->applied[i] && u->differs[i] ? "n differs" : "n";
        strbuf_printf(sb, "<td class=\"%s\">", cls);
        put_value(w, &u->reported[i]);
        strbuf_printf(sb, "</td><td class=\"%s\">", cls);
        if (!u->applied[i]) {
            strbuf_puts(sb, "<span class=\"muted\" title=\"");
            rs(w, RS_NO_CHILD_DATA);
            strbuf_puts(sb, "\">–</span>");
        } else {
            put_value(w, &u->slots[lv->recompute[i].indicator]);
            if (u->differs[i]) {
                strbuf_putc(sb, ' ');
                badge(w, "differs", RS_DIFFERS);
            }
        }
        strbuf_puts(sb, "</td>");
    }
    strbuf_puts(sb, "</tr>\n");
    return flush(w);
}

static int count_differing(void *ctx, const unit_rec *u)
{
    long *n = ctx;
    for (size_t i = 0; i < u->level->nrecompute; i++)
        if (u->applied[i] && u->differs[i]) {
            (*n)++;
            break;
        }
    return 0;
}

int html_figures(hw *w)
{
    strbuf *sb = &w->sb;
    checker *c = w->r->c;
    const report_facts *f = w->r->facts;
    h2(w, "figures", RS_H_FIGURES);
    int any = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        const rule_level *lv = level(w, i);
        if (lv->child < 0 || !lv->nrecompute || !f->levels[i].stats)
            continue;
        any = 1;
        long differing = 0;
        if (check_foreach(c, i, count_differing, &differing))
            return -1;
        strbuf_puts(sb, "<h3>");
        esc(sb, level_title(w, i));
        strbuf_printf(sb, "</h3>\n<p%s>", differing ? " class=\"alert\"" : "");
        rs_printf(&w->tmp, RS_N_DIFFER, w->zh, differing, f->levels[i].sum->units);
        put_tmp(w);
        strbuf_puts(sb, "</p>\n<table>\n<thead><tr><th rowspan=\"2\">");
        rs(w, RS_ID);
        strbuf_puts(sb, "</th><th rowspan=\"2\">");
        rs(w, RS_NAME);
        strbuf_puts(sb, "</th><th rowspan=\"2\">");
        rs(w, RS_STATUS);
        strbuf_puts(sb, "</th>");
        for (size_t k = 0; k < lv->nrecompute; k++) {
            strbuf_puts(sb, "<th colspan=\"2\"><code>");
            esc(sb, lv->ind[lv->recompute[k].indicator].id);
            strbuf_puts(sb, "</code> <span class=\"muted\">(");
            rs(w, RS_TOLERANCE);
            strbuf_putc(sb, ' ');
            strbuf_num_short(sb, lv->recompute[k].tolerance);
            strbuf_puts(sb, ")</span></th>");
        }
        strbuf_puts(sb, "</tr>\n<tr>");
        for (size_t k = 0; k < lv->nrecompute; k++) {
            th(w, RS_REPORTED, 1);
            th(w, RS_RECOMPUTED, 1);
        }
        strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
        if (flush(w) || check_foreach(c, i, figures_row, w))
            return -1;
        strbuf_puts(sb, "</tbody>\n</table>\n");
    }
    if (!any)
        none(w);
    strbuf_puts(sb, "</section>\n");
    return flush(w);
}

/* ---- units not meeting the standard, wrong or unsupported claims ---- */

/* The word for a target's status: not met, unknown, warn, waived. */
static report_string target_word(unit_status st)
{
    return st == ST_WAIVED ? RS_WAIVED : st == ST_UNKNOWN ? RS_UNKNOWN : st == ST_WARN ? RS_WARN : RS_NOT_MET;
}

/* The targets u does not meet (or cannot be decided), with the observed
 * values and the requirement, or the reason; a waived one with what it was
 * without the waiver, and the waiver (its text and its line in the file). */
static void unit_targets(hw *w, const unit_rec *u)
{
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    const waivers *wv = w->r->facts->waivers;
    for (size_t i = 0; i < lv->ntargets; i++) {
        unit_status st = (unit_status)u->tstatus[i];
        if (st == ST_PASS)
            continue;
        const rule_target *t = &lv->targets[i];
        const waiver *x = st == ST_WAIVED && wv ? waivers_for(wv, u, i) : NULL;
        strbuf_printf(sb, "<div class=\"tg\"><span class=\"b %s\">", status_class(st));
        esc(sb, t->id);
        strbuf_puts(sb, "</span> ");
        rs(w, target_word(st));
        colon(w);
        esc(sb, report_title(&t->title, w->zh));
        strbuf_puts(sb, "<br><span class=\"why\">");
        if (x) {
            st = x->outcome;
            rs(w, RS_WITHOUT_WAIVER);
            colon(w);
            rs(w, target_word(st));
            strbuf_puts(sb, w->zh ? "；" : "; ");
        }
        if (st == ST_UNKNOWN) {
            rs(w, RS_REASON);
            colon(w);
            report_unknown_reason(&w->tmp, w->r->rs, lv, t, u->slots, w->zh);
            put_tmp(w);
        } else if (st != ST_WAIVED) { /* (a waived target without its waiver: nothing to say) */
            rs(w, RS_OBSERVED);
            strbuf_puts(sb, " ");
            report_observed(&w->tmp, w->r->rs, lv, t, u->slots, w->zh);
            put_tmp(w);
            strbuf_puts(sb, w->zh ? "；" : "; ");
            rs(w, RS_REQUIRED);
            strbuf_puts(sb, " <code>");
            report_require(&w->tmp, t->require, w->zh);
            put_tmp(w);
            strbuf_puts(sb, "</code>");
        }
        if (x) {
            strbuf_puts(sb, "<br>");
            report_waiver_text(&w->tmp, x, w->zh);
            put_tmp(w);
            strbuf_puts(sb, " <code>");
            esc(sb, waivers_path(wv));
            strbuf_printf(sb, ":%ld</code>", x->line);
        }
        strbuf_puts(sb, "</span></div>");
    }
}

typedef struct rows_ctx {
    hw *w;
    int claims;    /* 0: units not meeting the standard; 1: wrong or unsupported claims this
                      year; 2: earlier exits that are wrong or unsupported; 3: units that
                      meet the standard only by waiver */
    long cap;      /* 0 = no cap */
    long shown, total;
} rows_ctx;

static int unit_row(void *ctx, const unit_rec *u)
{
    rows_ctx *rc = ctx;
    hw *w = rc->w;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    int bad = u->claim == CLAIM_WRONG || u->claim == CLAIM_UNSUPPORTED;
    int want = rc->claims == 0   ? u->status != ST_PASS
               : rc->claims == 1 ? bad && u->exit != UEXIT_EARLIER
               : rc->claims == 2 ? bad && u->exit == UEXIT_EARLIER
                                 : unit_by_waiver(u);
    if (!want)
        return 0;
    rc->total++;
    if (rc->cap && rc->shown >= rc->cap)
        return 0;
    rc->shown++;
    strbuf_puts(sb, "<tr><td class=\"id\"><code>");
    esc(sb, u->id);
    strbuf_puts(sb, "</code></td>");
    if (lv->name >= 0) {
        strbuf_puts(sb, "<td class=\"nm\">");
        esc(sb, u->name);
        strbuf_puts(sb, "</td>");
    }
    if (lv->parent >= 0) {
        strbuf_puts(sb, "<td class=\"id\"><code>");
        esc(sb, u->parent);
        strbuf_puts(sb, "</code>");
        if (u->orphan) {
            strbuf_puts(sb, "<br><span class=\"why\">");
            rs(w, RS_ORPHAN);
            strbuf_puts(sb, "</span>");
        }
        strbuf_puts(sb, "</td>");
    }
    strbuf_printf(sb, "<td class=\"n\">%ld</td><td>", u->line);
    status_badge(w, u->status);
    strbuf_puts(sb, "</td><td class=\"id\">");
    exit_badge(w, u);
    strbuf_puts(sb, "</td><td>");
    unit_targets(w, u);
    strbuf_puts(sb, "</td></tr>\n");
    return flush(w);
}

/* The units of level li not meeting the standard (claims = 0), with a
 * wrong or unsupported claim this year (claims = 1), a wrong or
 * unsupported earlier exit (claims = 2), or meeting the standard only by
 * waiver (claims = 3); the bottom level capped. */
static int unit_table(hw *w, size_t li, int claims)
{
    strbuf *sb = &w->sb;
    const report_level_facts *l = &w->r->facts->levels[li];
    const rule_level *lv = l->level;
    const level_summary *s = l->sum;
    long expect = claims == 0 ? l->not_ok : claims == 1 ? l->bad_claims : claims == 2 ? l->earlier_bad : s->by_waiver;
    long of = claims == 0 ? s->units : claims == 1 ? s->claims.claimed : l->earlier;
    strbuf_puts(sb, "<h3>");
    if (claims == 3) {
        /* "Household: 3 meet the standard only by waiver", listed when any */
        rs_printf(&w->tmp, RS_UNITS_BY_WAIVER, w->zh, level_title(w, li), expect);
        put_tmp(w);
        strbuf_puts(sb, "</h3>\n");
        if (!expect)
            return flush(w);
    } else {
        esc(sb, level_title(w, li));
        if (claims)
            colon(w);
        else
            strbuf_putc(sb, ' ');
        rs(w, claims == 0 ? RS_FAILING_UNITS : claims == 1 ? RS_WRONG_CLAIMS : RS_WRONG_EARLIER);
        strbuf_printf(sb, " (%ld / %ld)</h3>\n", expect, of);
        if (!expect) {
            none(w);
            return flush(w);
        }
    }
    strbuf_puts(sb, "<table>\n<thead><tr>");
    th(w, RS_ID, 0);
    if (lv->name >= 0)
        th(w, RS_NAME, 0);
    if (lv->parent >= 0) {
        strbuf_puts(sb, "<th>");
        esc(sb, level_title(w, (size_t)lv->parent));
        strbuf_puts(sb, "</th>");
    }
    th(w, RS_LINE, 1);
    th(w, RS_STATUS, 0);
    th(w, RS_CLAIM, 0);
    th(w, RS_TARGETS_NOT_MET, 0);
    strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
    rows_ctx rc = {w, claims, lv->child < 0 ? HTML_CAP : 0, 0, 0};
    if (flush(w) || check_foreach(w->r->c, li, unit_row, &rc))
        return -1;
    strbuf_puts(sb, "</tbody>\n</table>\n");
    if (rc.total > rc.shown) {
        strbuf_puts(sb, "<p class=\"more\">");
        rs_printf(&w->tmp, RS_MORE_ROWS, w->zh, rc.total - rc.shown);
        put_tmp(w);
        strbuf_puts(sb, "</p>\n");
    }
    return flush(w);
}

int html_unit_lists(hw *w)
{
    const report_facts *f = w->r->facts;
    h2(w, "units", RS_H_UNITS);
    for (size_t i = 0; i < f->nlevels; i++)
        if (f->levels[i].stats && unit_table(w, i, 0))
            return -1;
    strbuf_puts(&w->sb, "</section>\n");
    h2(w, "claims", RS_WRONG_CLAIMS);
    int any = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        if (f->levels[i].sum->claims.claimed) {
            any = 1;
            if (unit_table(w, i, 1))
                return -1;
        }
        if (f->levels[i].earlier) {
            any = 1;
            if (unit_table(w, i, 2))
                return -1;
        }
    }
    if (!any)
        none(w);
    strbuf_puts(&w->sb, "</section>\n");
    return flush(w);
}

/* ---- waivers ---- */

int html_waivers(hw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    const waivers *wv = f->waivers;
    h2(w, "waivers", RS_H_WAIVERS);
    strbuf_puts(sb, "<p>");
    rs(w, RS_FILE);
    colon(w);
    strbuf_puts(sb, "<code>");
    esc(sb, waivers_path(wv));
    strbuf_puts(sb, "</code> &middot; ");
    rs(w, RS_AS_OF);
    colon(w);
    report_as_of_text(&w->tmp, f->waivers, w->zh);
    put_tmp(w);
    strbuf_puts(sb, "</p>\n");
    if (!waivers_count(wv)) {
        strbuf_puts(sb, "<p class=\"muted\">");
        rs(w, RS_NO_WAIVERS);
        strbuf_puts(sb, "</p>\n");
    } else {
        static const report_string cols[] = {RS_LINE, RS_LEVEL, RS_UNIT, RS_TARGET, RS_OUTCOME,
                                             RS_BASIS, RS_WAIVER_REASON, RS_APPROVED_BY, RS_APPROVED_ON,
                                             RS_EXPIRES};
        strbuf_puts(sb, "<table>\n<thead><tr>");
        for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++)
            th(w, cols[k], k == 0);
        strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < waivers_count(wv); i++) {
            const waiver *x = waivers_get(wv, i);
            const rule_level *lv = level(w, (size_t)x->level);
            char d[11];
            strbuf_printf(sb, "<tr><td class=\"n\">%ld</td><td>", x->line);
            esc(sb, level_title(w, (size_t)x->level));
            strbuf_puts(sb, "</td><td class=\"id\"><code>");
            esc(sb, x->unit_id);
            strbuf_puts(sb, "</code></td><td><code>");
            esc(sb, lv->targets[x->target].id);
            strbuf_printf(sb, "</code></td><td><span class=\"b %s\">", x->applied ? "waived" : "warn");
            esc(sb, report_waiver_use(x, w->zh));
            strbuf_puts(sb, "</span>");
            if (x->applied > 1)
                strbuf_printf(sb, " &times;%ld", x->applied);
            strbuf_puts(sb, "</td><td>");
            esc(sb, x->basis);
            strbuf_puts(sb, "</td><td>");
            esc(sb, x->reason);
            strbuf_puts(sb, "</td><td>");
            esc(sb, x->approved_by);
            waiver_date_text(x->approved_on, d);
            strbuf_printf(sb, "</td><td class=\"id\">%s</td><td class=\"id\">", d);
            if (x->expires) {
                waiver_date_text(x->expires, d);
                strbuf_puts(sb, d);
            } else {
                strbuf_puts(sb, "–");
            }
            strbuf_puts(sb, "</td></tr>\n");
            if (flush(w))
                return -1;
        }
        strbuf_puts(sb, "</tbody>\n</table>\n");
    }
    /* per level, the units that meet the standard only by waiver: in no
     * list of failing units, so listed here */
    for (size_t i = 0; i < f->nlevels; i++)
        if (f->levels[i].stats && unit_table(w, i, 3))
            return -1;
    strbuf_puts(sb, "</section>\n");
    return flush(w);
}
