/*
 * report_text.c - the report for a terminal or a printer: verdict first,
 * then the summary per level, the parameters used, the top-level units in
 * full with their reported and recomputed figures, the units that do not
 * meet the standard (capped, with a count of the rest), each middle-level
 * unit's figures, the wrongly exited bottom-level units, the targets most
 * often not met, the problems in the input and the provenance.
 *
 * Every fixed string comes from report_strings (English or Chinese); the
 * diagnostics were translated when recorded, and their severity words and
 * the reject reasons come from the diagnostics catalog (diag_zh).
 * Colour (ANSI) only when asked for; main asks only on a terminal.
 */
#include "diag_zh.h"
#include "report.h"
#include "report_strings.h"
#include "waiver.h"

#include <string.h>

enum { TEXT_CAP = 20, TEXT_CLAIM_CAP = 50 };

typedef struct tw {
    FILE *out;
    strbuf sb;
    const report_ctx *r;
    int color;
    int zh;
} tw;

static void paint(tw *w, const char *code, const char *s)
{
    if (w->color)
        strbuf_printf(&w->sb, "\033[%sm%s\033[0m", code, s);
    else
        strbuf_puts(&w->sb, s);
}

static const char *status_color(unit_status s)
{
    switch (s) {
    case ST_PASS: return "32";
    case ST_FAIL: return "31;1";
    case ST_WARN: return "33";
    case ST_UNKNOWN: return "35";
    case ST_WAIVED: return "36";
    }
    return "35";
}

static int flush(tw *w) { return report_flush(&w->sb, w->out); }

static void rate(strbuf *sb, long part, long whole) { report_rate_text(sb, part, whole, "-"); }
static void prate(strbuf *sb, const claim_tally *t) { report_people_rate_text(sb, t, "-"); }

/* The targets of u that are not met (or unknown), two lines each. */
static void unit_targets(tw *w, const unit_rec *u, const char *indent)
{
    const rule_level *lv = u->level;
    strbuf *sb = &w->sb;
    for (size_t i = 0; i < lv->ntargets; i++) {
        unit_status st = (unit_status)u->tstatus[i];
        if (st == ST_PASS)
            continue;
        const rule_target *t = &lv->targets[i];
        const waiver *x = st == ST_WAIVED ? waivers_for(w->r->facts->waivers, u, i) : NULL;
        strbuf_printf(sb, "%s%s ", indent, t->id);
        paint(w, status_color(st),
              st == ST_WAIVED ? RS(RS_S_WAIVED, w->zh)
                              : RS(st == ST_UNKNOWN ? RS_UNKNOWN : st == ST_WARN ? RS_WARN : RS_NOT_MET, w->zh));
        strbuf_printf(sb, "  %s\n%s    ", report_title(&t->title, w->zh), indent);
        if (x) { /* what it was without the waiver, then the waiver */
            st = x->outcome;
            strbuf_printf(sb, "%s: %s; ", RS(RS_WITHOUT_WAIVER, w->zh),
                          RS(st == ST_UNKNOWN ? RS_UNKNOWN : st == ST_WARN ? RS_WARN : RS_NOT_MET, w->zh));
        }
        if (st == ST_UNKNOWN) {
            report_unknown_reason(sb, w->r->rs, lv, t, u->slots, w->zh);
        } else {
            strbuf_printf(sb, "%s ", RS(RS_OBSERVED, w->zh));
            report_observed(sb, w->r->rs, lv, t, u->slots, w->zh);
            strbuf_printf(sb, "; %s ", RS(RS_REQUIRED, w->zh));
            report_require(sb, t->require, w->zh);
        }
        strbuf_putc(sb, '\n');
        if (x) {
            strbuf_printf(sb, "%s    %s: ", indent, RS(RS_WAIVED, w->zh));
            report_waiver_text(sb, x, w->zh);
            strbuf_printf(sb, " (%s:%ld)\n", waivers_path(w->r->facts->waivers), x->line);
        }
    }
}

/* The unit's derived values (a scoring scale's points), one line. */
static void unit_derived(tw *w, const unit_rec *u)
{
    const rule_level *lv = u->level;
    if (!lv->nderived)
        return;
    strbuf *sb = &w->sb;
    strbuf_puts(sb, "      ");
    for (size_t i = 0; i < lv->nderived; i++) {
        strbuf_printf(sb, "%s%s ", i ? ", " : "", lv->derived[i].id);
        report_value(sb, &u->slots[lv->derived_base + (int)i], w->zh);
    }
    strbuf_putc(sb, '\n');
}

static void unit_head(tw *w, const unit_rec *u)
{
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    strbuf_printf(sb, "  %s", u->id);
    if (u->name)
        strbuf_printf(sb, " %s", u->name);
    if (u->parent && lv->parent >= 0)
        strbuf_printf(sb, " (%s %s)", report_title(&rules_level(w->r->rs, (size_t)lv->parent)->title, w->zh),
                      u->parent);
    strbuf_printf(sb, ", %s %ld: ", RS(RS_LINE, w->zh), u->line);
    paint(w, status_color(u->status), report_status_word(u->status, w->zh));
    if (u->claim != CLAIM_NONE) {
        strbuf_puts(sb, ", ");
        strbuf e = STRBUF_INIT;
        report_exit_text(&e, u, w->zh);
        paint(w, u->claim == CLAIM_SUPPORTED ? "32" : "31;1", strbuf_str(&e));
        strbuf_release_into(sb, &e);
    }
    if (u->orphan)
        strbuf_printf(sb, ", %s", RS(RS_ORPHAN, w->zh));
    strbuf_putc(sb, '\n');
}

static void unit_rollup(tw *w, const unit_rec *u)
{
    const rule_level *lv = u->level;
    strbuf *sb = &w->sb;
    if (lv->child < 0)
        return;
    if (!unit_has_children(u))
        strbuf_printf(sb, "      %s\n", RS(RS_NO_CHILD_DATA, w->zh));
    for (size_t i = 0; i < lv->nrecompute; i++) {
        const rule_recompute *rc = &lv->recompute[i];
        if (!u->applied[i])
            continue;
        strbuf_printf(sb, "      %s: %s ", lv->ind[rc->indicator].id, RS(RS_REPORTED, w->zh));
        report_value(sb, &u->reported[i], w->zh);
        strbuf_printf(sb, ", %s ", RS(RS_RECOMPUTED, w->zh));
        report_value(sb, &u->slots[rc->indicator], w->zh);
        if (u->differs[i]) {
            strbuf_puts(sb, "  ");
            paint(w, "31;1", RS(RS_DIFFERS, w->zh));
            strbuf_printf(sb, " (%s ", RS(RS_TOLERANCE, w->zh));
            strbuf_num_short(sb, rc->tolerance);
            strbuf_putc(sb, ')');
        }
        strbuf_putc(sb, '\n');
    }
    const claim_tally *t = &u->below.leaf_claims;
    if (t->claimed) {
        strbuf_puts(sb, "      ");
        rs_printf(sb, RS_CLAIMS_BELOW, w->zh, t->claimed, t->supported, t->wrong, t->unsupported);
        strbuf_putc(sb, ' ');
        rate(sb, t->wrong, t->claimed);
        strbuf_printf(sb, ", %s ", RS(RS_BY_PEOPLE, w->zh));
        prate(sb, t);
        strbuf_putc(sb, '\n');
    }
    const claim_tally *e = &u->below.leaf_earlier;
    if (e->claimed) {
        strbuf_puts(sb, "      ");
        rs_printf(sb, RS_EARLIER_BELOW, w->zh, e->claimed, e->supported, e->wrong, e->unsupported);
        strbuf_putc(sb, '\n');
    }
}

/* One line per unit of a middle level: its figures reported and
 * recomputed, and the claims of the bottom-level units below it. */
static int rollup_line(void *ctx, const unit_rec *u)
{
    tw *w = ctx;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    strbuf_printf(sb, "  %-12s", u->id);
    if (u->name)
        strbuf_printf(sb, " %s", u->name);
    strbuf_puts(sb, "  ");
    paint(w, status_color(u->status), report_status_word(u->status, w->zh));
    int any = 0;
    for (size_t i = 0; i < lv->nrecompute; i++) {
        if (!u->applied[i])
            continue;
        const rule_recompute *rc = &lv->recompute[i];
        strbuf_printf(sb, "%s %s ", any++ ? ";" : " ", lv->ind[rc->indicator].id);
        report_value(sb, &u->reported[i], w->zh);
        strbuf_puts(sb, " -> ");
        report_value(sb, &u->slots[rc->indicator], w->zh);
        if (u->differs[i]) {
            strbuf_putc(sb, ' ');
            paint(w, "31;1", RS(RS_DIFFERS, w->zh));
        }
    }
    if (!unit_has_children(u))
        strbuf_printf(sb, "  %s", RS(RS_NO_CHILD_DATA, w->zh));
    if (u->below.leaf_claims.claimed) {
        strbuf_printf(sb, "; %s %ld/%ld = ", RS(RS_WRONG_RATE, w->zh), u->below.leaf_claims.wrong, u->below.leaf_claims.claimed);
        rate(sb, u->below.leaf_claims.wrong, u->below.leaf_claims.claimed);
        strbuf_printf(sb, ", %s ", RS(RS_BY_PEOPLE, w->zh));
        prate(sb, &u->below.leaf_claims);
    }
    if (u->below.leaf_earlier.claimed)
        strbuf_printf(sb, "; %s %ld, %s %ld", RS(RS_EARLIER_EXITS, w->zh), u->below.leaf_earlier.claimed,
                      RS(RS_WRONG_EXITS, w->zh), u->below.leaf_earlier.wrong);
    strbuf_putc(sb, '\n');
    return flush(w);
}

enum { LIST_FULL = 1 };

typedef struct list_ctx {
    tw *w;
    int mode;      /* 0: every unit in full, 1: units not meeting the standard, 2: wrong or unsupported
                      claims this year, 3: earlier exits that are wrong or unsupported, 4: units
                      that meet the standard only by waiver */
    long shown;
    long total;    /* units the list would hold, from the level's summary */
    long cap;      /* 0 = no cap */
} list_ctx;

static int list_unit(void *ctx, const unit_rec *u)
{
    list_ctx *lc = ctx;
    tw *w = lc->w;
    int bad = u->claim == CLAIM_WRONG || u->claim == CLAIM_UNSUPPORTED;
    int want = lc->mode == 0   ? 1
               : lc->mode == 1 ? u->status != ST_PASS
               : lc->mode == 2 ? bad && u->exit != UEXIT_EARLIER
               : lc->mode == 3 ? bad && u->exit == UEXIT_EARLIER
                               : unit_by_waiver(u);
    if (!want)
        return 0;
    lc->shown++;
    unit_head(w, u);
    if (lc->mode == 0)
        unit_rollup(w, u);
    unit_derived(w, u);
    unit_targets(w, u, "      ");
    if (flush(w))
        return -1;
    /* the rest is only counted, and the summary has the count: a capped
     * list reads no further (a million households are not read back for
     * a page of them) */
    return lc->cap && lc->shown >= lc->cap ? LIST_FULL : 0;
}

/* "supported N", and with waivers "supported N, by waiver M": the exits
 * that hold only by waiver counted apart from the others. */
static void tally_supported(tw *w, const claim_tally *t)
{
    if (w->r->facts->waivers)
        strbuf_printf(&w->sb, "%s %ld, %s %ld", RS(RS_SUPPORTED, w->zh), t->supported - t->by_waiver,
                      RS(RS_BY_WAIVER, w->zh), t->by_waiver);
    else
        strbuf_printf(&w->sb, "%s %ld", RS(RS_SUPPORTED, w->zh), t->supported);
}

static void verdict(tw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    strbuf_printf(sb, "%s: ", RS(RS_VERDICT, w->zh));
    strbuf v = STRBUF_INIT;
    report_verdict_text(&v, f, w->zh);
    paint(w, report_verdict_good(f) ? "32;1" : "31;1", strbuf_str(&v));
    strbuf_release_into(sb, &v);
    strbuf_printf(sb, " (%s %d)\n", RS(RS_EXIT_STATUS, w->zh), (int)f->status);
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        if (!s->claims.claimed && !s->earlier.claimed)
            continue;
        strbuf_printf(sb, "  %s: ", report_title(&f->levels[i].level->title, w->zh));
        /* without earlier exits in the run every exit is this year's */
        if (f->earlier)
            strbuf_printf(sb, "%s: ", RS(RS_THIS_YEAR, w->zh));
        strbuf_printf(sb, "%s %ld, ", RS(RS_CLAIMED, w->zh), s->claims.claimed);
        tally_supported(w, &s->claims);
        strbuf_printf(sb, ", %s %ld, %s %ld", RS(RS_WRONG_EXITS, w->zh), s->claims.wrong, RS(RS_UNSUPPORTED, w->zh),
                      s->claims.unsupported);
        if (f->earlier) {
            strbuf_printf(sb, "; %s: %s %ld, ", RS(RS_EARLIER, w->zh), RS(RS_EXITED, w->zh), s->earlier.claimed);
            tally_supported(w, &s->earlier);
            strbuf_printf(sb, ", %s %ld, %s %ld", RS(RS_WRONG_EXITS, w->zh), s->earlier.wrong,
                          RS(RS_UNSUPPORTED, w->zh), s->earlier.unsupported);
        }
        strbuf_putc(sb, '\n');
    }
}

static void summary(tw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    static const report_string cols[] = {RS_UNITS, RS_PASS, RS_FAIL, RS_UNKNOWN, RS_WARN, RS_CLAIMED, RS_WRONG_EXITS,
                                         RS_WRONG_RATE, RS_BY_PEOPLE, RS_BY_WAIVER};
    enum { NCOLS = sizeof cols / sizeof cols[0] - 1 }; /* the last only with waivers */
    int width[NCOLS + 1];
    size_t ncols = NCOLS + (f->waivers != NULL);
    strbuf_printf(sb, "\n%s\n  ", RS(RS_SUMMARY, w->zh));
    rs_pad(sb, RS(RS_LEVEL, w->zh), 10, 0);
    for (size_t k = 0; k < ncols; k++) {
        const char *h = RS(cols[k], w->zh);
        width[k] = rs_width(h) + 1 > 9 ? rs_width(h) + 1 : 9;
        strbuf_putc(sb, ' ');
        rs_pad(sb, h, width[k], 1);
    }
    strbuf_putc(sb, '\n');
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        long v[NCOLS - 2] = {s->units, s->pass, s->fail, s->unknown, s->warn, s->claims.claimed, s->claims.wrong};
        strbuf_puts(sb, "  ");
        rs_pad(sb, report_title(&f->levels[i].level->title, w->zh), 10, 0);
        for (size_t k = 0; k < ncols; k++) {
            strbuf cell = STRBUF_INIT;
            if (k < NCOLS - 2)
                strbuf_printf(&cell, "%ld", v[k]);
            else if (k == NCOLS - 2)
                rate(&cell, s->claims.wrong, s->claims.claimed);
            else if (k == NCOLS - 1)
                prate(&cell, &s->claims);
            else
                strbuf_printf(&cell, "%ld", s->by_waiver);
            strbuf_putc(sb, ' ');
            rs_pad(sb, strbuf_str(&cell), width[k], 1);
            strbuf_release_into(sb, &cell);
        }
        strbuf_putc(sb, '\n');
    }
    report_orphans_text(sb, f, w->zh, "  ", "\n");
}

static void params(tw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    strbuf_printf(sb, "\n%s\n", RS(RS_PARAMS, w->zh));
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        strbuf_printf(sb, "  %s:", p->id);
        if (p->overridden) {
            strbuf_putc(sb, ' ');
            strbuf_num(sb, p->override);
            strbuf_printf(sb, " (%s)\n", RS(RS_GIVEN_BY_PARAM, w->zh));
            continue;
        }
        if (!f->nyears)
            strbuf_printf(sb, " (%s)", RS(RS_NO_YEAR, w->zh));
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &f->params[i].years[y];
            strbuf_printf(sb, " %d ", py->year);
            switch (py->origin) {
            case PARAM_CONFIRMED:
            case PARAM_UNVERIFIED:
            case PARAM_OVERRIDDEN:
                strbuf_num(sb, py->v.u.num);
                if (py->origin == PARAM_UNVERIFIED) {
                    strbuf_putc(sb, ' ');
                    paint(w, "33", RS(RS_UNVERIFIED, w->zh));
                }
                break;
            case PARAM_NO_VALUE:
                paint(w, "31;1", RS(RS_NO_VALUE, w->zh));
                strbuf_puts(sb, " (");
                rs_printf(sb, RS_PARAM_HINT, w->zh, p->id);
                strbuf_putc(sb, ')');
                break;
            }
            if (y + 1 < f->nyears)
                strbuf_putc(sb, ';');
        }
        strbuf_putc(sb, '\n');
    }
}

static int units(tw *w, checker *c)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    int all = w->r->opts.all;
    for (size_t i = 0; i < f->nlevels; i++) {
        const report_level_facts *l = &f->levels[i];
        const rule_level *lv = l->level;
        const level_summary *s = l->sum;
        if (!l->stats || l->stats->unread)
            continue;
        int top = lv->parent < 0;
        list_ctx lc = {w, top || all ? 0 : 1, 0, 0, top || all ? 0 : TEXT_CAP};
        lc.total = lc.mode == 0 ? s->units : l->not_ok;
        const char *title = report_title(&lv->title, w->zh);
        if (lc.mode == 0)
            strbuf_printf(sb, "\n%s: %s (%ld)\n", title, RS(RS_ALL_UNITS, w->zh), s->units);
        else
            strbuf_printf(sb, "\n%s %s (%ld / %ld)\n", title, RS(RS_FAILING_UNITS, w->zh), l->not_ok, s->units);
        if (flush(w) || (lc.total && check_foreach(c, i, list_unit, &lc) < 0))
            return -1;
        if (lc.total > lc.shown) {
            strbuf_puts(sb, "  ");
            rs_printf(sb, RS_MORE_UNITS, w->zh, lc.total - lc.shown);
            strbuf_putc(sb, '\n');
        }
        if (!top && lv->child >= 0 && f->levels[lv->child].stats) {
            strbuf_printf(sb, "\n%s %s\n", title, RS(RS_FIGURES, w->zh));
            if (flush(w) || check_foreach(c, i, rollup_line, w))
                return -1;
        }
        if (lv->child < 0 && l->bad_claims) {
            list_ctx wc = {w, 2, 0, l->bad_claims, all ? 0 : TEXT_CLAIM_CAP};
            strbuf_printf(sb, "\n%s: %s (%ld)\n", title, RS(RS_WRONG_CLAIMS, w->zh), l->bad_claims);
            if (flush(w) || check_foreach(c, i, list_unit, &wc) < 0)
                return -1;
            if (wc.total > wc.shown) {
                strbuf_puts(sb, "  ");
                rs_printf(sb, RS_MORE_UNITS, w->zh, wc.total - wc.shown);
                strbuf_putc(sb, '\n');
            }
        }
        if (lv->child < 0 && l->earlier_bad) {
            list_ctx ec = {w, 3, 0, l->earlier_bad, all ? 0 : TEXT_CLAIM_CAP};
            strbuf_printf(sb, "\n%s: %s (%ld / %ld)\n", title, RS(RS_WRONG_EARLIER, w->zh), l->earlier_bad,
                          l->earlier);
            if (flush(w) || check_foreach(c, i, list_unit, &ec) < 0)
                return -1;
            if (ec.total > ec.shown) {
                strbuf_puts(sb, "  ");
                rs_printf(sb, RS_MORE_UNITS, w->zh, ec.total - ec.shown);
                strbuf_putc(sb, '\n');
            }
        }
        if (flush(w))
            return -1;
    }
    return 0;
}

/* The waivers: the as-of date, the units that meet the standard only by
 * waiver (per level, capped), and every waiver of the file with what
 * became of it. Only with --waivers. */
static int waivers_section(tw *w, checker *c)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    const waivers *wv = f->waivers;
    if (!wv)
        return 0;
    strbuf_printf(sb, "\n%s\n  %s: ", RS(RS_H_WAIVERS, w->zh), RS(RS_AS_OF, w->zh));
    report_as_of_text(sb, f->waivers, w->zh);
    strbuf_putc(sb, '\n');
    for (size_t i = 0; i < f->nlevels; i++) {
        const report_level_facts *l = &f->levels[i];
        if (!l->sum->by_waiver)
            continue;
        strbuf_puts(sb, "\n  ");
        rs_printf(sb, RS_UNITS_BY_WAIVER, w->zh, report_title(&l->level->title, w->zh), l->sum->by_waiver);
        strbuf_putc(sb, '\n');
        list_ctx lc = {w, 4, 0, l->sum->by_waiver, w->r->opts.all ? 0 : TEXT_CAP};
        if (flush(w) || check_foreach(c, i, list_unit, &lc) < 0)
            return -1;
        if (lc.total > lc.shown) {
            strbuf_puts(sb, "  ");
            rs_printf(sb, RS_MORE_UNITS, w->zh, lc.total - lc.shown);
            strbuf_putc(sb, '\n');
        }
    }
    strbuf_putc(sb, '\n');
    if (!waivers_count(wv))
        strbuf_printf(sb, "  %s\n", RS(RS_NO_WAIVERS, w->zh));
    for (size_t i = 0; i < waivers_count(wv); i++) {
        const waiver *x = waivers_get(wv, i);
        const rule_level *lv = rules_level(w->r->rs, (size_t)x->level);
        strbuf_printf(sb, "  %s %ld: %s %s %s: ", RS(RS_LINE, w->zh), x->line, report_title(&lv->title, w->zh),
                      x->unit_id, lv->targets[x->target].id);
        paint(w, x->applied ? "36" : "33", report_waiver_use(x, w->zh));
        strbuf_puts(sb, "\n      ");
        report_waiver_text(sb, x, w->zh);
        strbuf_putc(sb, '\n');
    }
    return flush(w);
}

static void targets_not_met(tw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    int wv = f->waivers != NULL;
    strbuf_printf(sb, "\n%s (%s | %s | %s", RS(RS_TARGETS_NOT_MET, w->zh), RS(RS_NOT_MET, w->zh),
                  RS(RS_UNKNOWN, w->zh), RS(RS_WARN, w->zh));
    if (wv)
        strbuf_printf(sb, " | %s", RS(RS_WAIVED, w->zh));
    strbuf_puts(sb, ")\n");
    int any = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        const rule_level *lv = f->levels[i].level;
        const level_summary *s = f->levels[i].sum;
        for (size_t t = 0; t < lv->ntargets; t++) {
            if (!s->target_fail[t] && !s->target_unknown[t] && !s->target_warn[t] && !s->target_waived[t])
                continue;
            any = 1;
            strbuf_printf(sb, "  %-4s %6ld | %6ld | %6ld", lv->targets[t].id, s->target_fail[t], s->target_unknown[t],
                          s->target_warn[t]);
            if (wv)
                strbuf_printf(sb, " | %6ld", s->target_waived[t]);
            strbuf_printf(sb, "  %s\n", report_title(&lv->targets[t].title, w->zh));
        }
    }
    if (!any)
        strbuf_printf(sb, "  %s\n", RS(RS_NONE, w->zh));
}

static void problems(tw *w)
{
    strbuf *sb = &w->sb;
    const diag_list *d = w->r->d;
    size_t listed = diag_stored(d, DIAG_ERROR) + diag_stored(d, DIAG_WARNING);
    size_t here = w->r->opts.all || listed < TEXT_CAP ? listed : TEXT_CAP;
    strbuf_printf(sb, "\n%s: ", RS(RS_PROBLEMS, w->zh));
    report_problems_count(sb, d, here, w->zh);
    strbuf_putc(sb, '\n');
    size_t shown = 0;
    for (size_t i = 0; i < diag_count(d) && shown < here; i++) {
        const diag_entry *e = diag_get(d, i);
        if (e->severity == DIAG_NOTE)
            continue;
        strbuf_puts(sb, "  ");
        diag_entry brief = *e;
        brief.excerpt = NULL;
        diag_format_tr(&brief, w->zh ? diag_zh : NULL, sb);
        shown++;
    }
    if (listed > shown) {
        strbuf_puts(sb, "  ");
        rs_printf(sb, RS_MORE_PROBLEMS, w->zh, (long)(listed - shown));
        strbuf_putc(sb, '\n');
    }
    if (report_not_kept(d)) {
        strbuf_puts(sb, "  ");
        report_not_kept_text(sb, d, w->zh);
        strbuf_putc(sb, '\n');
    }
}

static void provenance(tw *w)
{
    strbuf *sb = &w->sb;
    const ruleset *rs = w->r->rs;
    const report_facts *f = w->r->facts;
    strbuf_printf(sb, "\n%s (SHA-256)\n", RS(RS_INPUTS, w->zh));
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        strbuf_printf(sb, "  %s  %s\n      %s %s; %s %ld, %s %ld, %s %ld", st->sha256, f->levels[i].path,
                      RS(RS_ENCODING, w->zh), report_tr(st->encoding, w->zh), RS(RS_ROWS_READ, w->zh), st->rows_read,
                      RS(RS_EVALUATED, w->zh), f->levels[i].sum->units, RS(RS_REJECTED, w->zh), st->rows_rejected);
        for (int j = 0; j < REJECT__COUNT; j++)
            if (st->rejected[j])
                strbuf_printf(sb, " (%s: %ld)", report_tr(reject_names[j], w->zh), st->rejected[j]);
        strbuf_putc(sb, '\n');
    }
    const table_stats *ws = f->waivers ? waivers_stats(f->waivers) : NULL;
    if (ws)
        strbuf_printf(sb, "  %s  %s (%s)\n      %s %s; %s %ld, %s %ld\n", ws->sha256, waivers_path(f->waivers),
                      RS(RS_WAIVER_FILE, w->zh), RS(RS_ENCODING, w->zh), report_tr(ws->encoding, w->zh),
                      RS(RS_ROWS_READ, w->zh), ws->rows_read, RS(RS_REJECTED, w->zh), ws->rows_rejected);
    strbuf_printf(sb, "%s (SHA-256)\n", RS(RS_RULE_FILES, w->zh));
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        const rule_file *rf = rules_file(rs, i);
        strbuf_printf(sb, "  %s  %s\n", rf->sha256, rf->path);
    }
}

int report_text(const report_ctx *r, FILE *out)
{
    tw w = {out, STRBUF_INIT, r, r->opts.color, r->opts.zh};
    const ruleset *rs = r->rs;
    text2 title = rules_title(rs);
    strbuf_printf(&w.sb, "exitcheck %s %s: %s (%s %s %s)\n\n", EXITCHECK_VERSION, RS(RS_REPORT, w.zh),
                  report_title(&title, w.zh), RS(RS_PACK, w.zh), rules_id(rs), rules_version(rs));
    verdict(&w);
    summary(&w);
    params(&w);
    int rc = flush(&w) || units(&w, r->c) || waivers_section(&w, r->c) ? -1 : 0;
    targets_not_met(&w);
    problems(&w);
    provenance(&w);
    if (flush(&w))
        rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
