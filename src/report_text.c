/*
 * report_text.c - the report for a terminal or a printer: verdict first,
 * then the summary per level, the parameters used, each upper-level unit
 * with its reported and recomputed figures, the units that fail (capped,
 * with a count of the rest), the wrongly exited bottom-level units, the
 * targets most often not met, the data problems and the provenance.
 *
 * Colour (ANSI) only when asked for; main asks only on a terminal.
 */
#include "report.h"

#include <string.h>

enum { TEXT_CAP = 20 };

typedef struct tw {
    FILE *out;
    strbuf sb;
    const report_ctx *r;
    int color;
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
    return s == ST_PASS ? "32" : s == ST_FAIL ? "31;1" : s == ST_WARN ? "33" : "35";
}

static const char *status_word(unit_status s)
{
    static const char *const w[] = {"PASS", "FAIL", "UNKNOWN", "WARN"};
    return w[s];
}

static const char *claim_word(claim_status c)
{
    static const char *const w[] = {"", "claim supported", "WRONG EXIT", "claim unsupported"};
    return w[c];
}

static int flush(tw *w)
{
    if (w->sb.oom)
        return -1;
    if (w->sb.len && fwrite(w->sb.s, 1, w->sb.len, w->out) != w->sb.len)
        return -1;
    strbuf_reset(&w->sb);
    return 0;
}

static void rate(strbuf *sb, long part, long whole)
{
    if (!whole) {
        strbuf_puts(sb, "-");
        return;
    }
    strbuf_printf(sb, "%.1f%%", report_rate(part, whole));
}

/* The targets of u not met (or unknown), one per line. */
static void unit_targets(tw *w, const unit_result *u, const char *indent, int show_unknown)
{
    const rule_level *lv = u->level;
    strbuf *sb = &w->sb;
    for (size_t i = 0; i < lv->ntargets; i++) {
        unit_status st = (unit_status)u->tstatus[i];
        if (st == ST_PASS || (st == ST_UNKNOWN && !show_unknown))
            continue;
        const rule_target *t = &lv->targets[i];
        strbuf_printf(sb, "%s%s ", indent, t->id);
        paint(w, status_color(st), st == ST_UNKNOWN ? "unknown" : st == ST_WARN ? "warn" : "not met");
        strbuf_printf(sb, "  %s\n%s    ", report_title(&t->title, w->r->opts.zh), indent);
        if (st == ST_UNKNOWN) {
            report_unknown_reason(sb, w->r->rs, lv, t, u->slots);
        } else {
            strbuf_puts(sb, "observed ");
            report_observed(sb, w->r->rs, lv, t, u->slots);
            strbuf_printf(sb, "; required %s", t->require);
        }
        strbuf_putc(sb, '\n');
    }
}

static void unit_head(tw *w, const unit_result *u)
{
    strbuf *sb = &w->sb;
    strbuf_printf(sb, "  %s", u->id);
    if (u->name)
        strbuf_printf(sb, " %s", u->name);
    if (u->parent)
        strbuf_printf(sb, " (%s %s)", w->r->rs && u->level->parent >= 0 ? rules_level(w->r->rs, (size_t)u->level->parent)->id : "parent", u->parent);
    strbuf_printf(sb, ", line %ld: ", u->line);
    paint(w, status_color(u->status), status_word(u->status));
    if (u->claim != CLAIM_NONE) {
        strbuf_puts(sb, ", ");
        paint(w, u->claim == CLAIM_SUPPORTED ? "32" : "31;1", claim_word(u->claim));
    }
    if (u->orphan)
        strbuf_puts(sb, ", parent not in its table");
    strbuf_putc(sb, '\n');
}

static void unit_rollup(tw *w, const unit_result *u)
{
    const rule_level *lv = u->level;
    strbuf *sb = &w->sb;
    if (lv->child < 0)
        return;
    if (!u->has_children)
        strbuf_puts(sb, "      no child data: figures as reported\n");
    for (size_t i = 0; i < lv->nrecompute; i++) {
        const rule_recompute *rc = &lv->recompute[i];
        if (!u->applied[i])
            continue;
        strbuf_printf(sb, "      %s: reported ", lv->ind[rc->indicator].id);
        report_value(sb, &u->reported[i]);
        strbuf_puts(sb, ", recomputed ");
        report_value(sb, &u->slots[rc->indicator]);
        if (u->differs[i]) {
            strbuf_puts(sb, "  ");
            paint(w, "31;1", "DIFFERS");
            strbuf_puts(sb, " by more than ");
            strbuf_num(sb, rc->tolerance);
        }
        strbuf_putc(sb, '\n');
    }
    const claim_tally *t = &u->leaf_claims;
    if (t->claimed) {
        strbuf_printf(sb, "      exits claimed below: %ld, supported %ld, wrong %ld, unsupported %ld; wrong-exit rate ",
                      t->claimed, t->supported, t->wrong, t->unsupported);
        rate(sb, t->wrong, t->claimed);
        strbuf_putc(sb, '\n');
    }
}

/* One line per unit of a middle level: its figures reported and
 * recomputed, and the claims of the bottom-level units below it. */
static int rollup_line(void *ctx, const unit_result *u)
{
    tw *w = ctx;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    strbuf_printf(sb, "  %-12s", u->id);
    if (u->name)
        strbuf_printf(sb, " %s", u->name);
    strbuf_puts(sb, "  ");
    paint(w, status_color(u->status), status_word(u->status));
    int any = 0;
    for (size_t i = 0; i < lv->nrecompute; i++) {
        if (!u->applied[i])
            continue;
        const rule_recompute *rc = &lv->recompute[i];
        strbuf_printf(sb, "%s %s ", any++ ? ";" : " ", lv->ind[rc->indicator].id);
        report_value(sb, &u->reported[i]);
        strbuf_puts(sb, " -> ");
        report_value(sb, &u->slots[rc->indicator]);
        if (u->differs[i]) {
            strbuf_putc(sb, ' ');
            paint(w, "31;1", "DIFFERS");
        }
    }
    if (!u->has_children)
        strbuf_puts(sb, "  no child data");
    if (u->leaf_claims.claimed) {
        strbuf_printf(sb, "; wrong exits %ld/%ld = ", u->leaf_claims.wrong, u->leaf_claims.claimed);
        rate(sb, u->leaf_claims.wrong, u->leaf_claims.claimed);
    }
    strbuf_putc(sb, '\n');
    return flush(w);
}

typedef struct list_ctx {
    tw *w;
    int mode;      /* 0: every unit in full (upper levels), 1: failing units, 2: wrong exits */
    long shown, total;
    long cap;
} list_ctx;

static int list_unit(void *ctx, const unit_result *u)
{
    list_ctx *lc = ctx;
    tw *w = lc->w;
    int want;
    switch (lc->mode) {
    case 0: want = 1; break;
    case 1: want = u->status != ST_PASS; break;
    default: want = u->claim == CLAIM_WRONG || u->claim == CLAIM_UNSUPPORTED; break;
    }
    if (!want)
        return 0;
    lc->total++;
    if (lc->cap && lc->shown >= lc->cap)
        return 0;
    lc->shown++;
    unit_head(w, u);
    if (lc->mode == 0)
        unit_rollup(w, u);
    unit_targets(w, u, "      ", 1);
    return flush(w);
}

int report_text(const report_ctx *r, FILE *out)
{
    tw w = {out, STRBUF_INIT, r, r->opts.color};
    strbuf *sb = &w.sb;
    const ruleset *rs = r->rs;
    checker *c = r->c;
    size_t nl = rules_nlevels(rs);
    int rc = 0;
    text2 title = rules_title(rs);

    strbuf_printf(sb, "exitcheck %s report: %s (pack %s %s)\n\n", EXITCHECK_VERSION, report_title(&title, r->opts.zh),
                  rules_id(rs), rules_version(rs));

    /* verdict */
    long claimed = 0, bad = 0;
    for (size_t i = 0; i < nl; i++) {
        const level_summary *s = check_summary(c, i);
        claimed += s->claims.claimed;
        bad += s->claims.wrong + s->claims.unsupported;
    }
    strbuf_puts(sb, "Verdict: ");
    if (r->exit_status == 2)
        paint(&w, "31;1", "NO TRUSTWORTHY VERDICT: the input has errors (listed below)");
    else if (claimed && !bad)
        paint(&w, "32;1", "every claimed exit is supported by the data");
    else if (claimed) {
        strbuf sb2 = STRBUF_INIT;
        strbuf_printf(&sb2, "%ld of %ld claimed exits do not hold", bad, claimed);
        paint(&w, "31;1", strbuf_str(&sb2));
        strbuf_free(&sb2);
    } else if (r->exit_status == 0)
        paint(&w, "32;1", "no unit claims exit; every unit meets the standard");
    else
        paint(&w, "31;1", "no unit claims exit; some units do not meet the standard");
    strbuf_printf(sb, " (exit status %d)\n", r->exit_status);
    for (size_t i = 0; i < nl; i++) {
        const level_summary *s = check_summary(c, i);
        if (!s->claims.claimed)
            continue;
        strbuf_printf(sb, "  %-10s %ld claimed: %ld supported, %ld wrong exit%s, %ld unsupported\n",
                      rules_level(rs, i)->id, s->claims.claimed, s->claims.supported, s->claims.wrong,
                      s->claims.wrong == 1 ? "" : "s", s->claims.unsupported);
    }

    /* summary table */
    strbuf_puts(sb, "\nSummary      units    pass    fail unknown    warn  claimed  wrong  wrong-exit rate\n");
    for (size_t i = 0; i < nl; i++) {
        const level_summary *s = check_summary(c, i);
        strbuf_printf(sb, "  %-9s %7ld %7ld %7ld %7ld %7ld  %7ld %6ld  ", rules_level(rs, i)->id, s->units, s->pass,
                      s->fail, s->unknown, s->warn, s->claims.claimed, s->claims.wrong);
        rate(sb, s->claims.wrong, s->claims.claimed);
        strbuf_putc(sb, '\n');
    }

    /* parameters */
    const int *years;
    size_t ny = check_years(c, &years);
    strbuf_puts(sb, "\nParameters used\n");
    for (size_t i = 0; i < rules_nparams(rs); i++) {
        const rule_param *p = rules_param(rs, i);
        if (!p->used)
            continue;
        strbuf_printf(sb, "  %s:", p->id);
        if (p->overridden) {
            strbuf_puts(sb, " ");
            strbuf_num(sb, p->override);
            strbuf_puts(sb, " (given with --param)\n");
            continue;
        }
        if (!ny)
            strbuf_puts(sb, " (no data year seen)");
        for (size_t y = 0; y < ny; y++) {
            const param_value *pv;
            value v = rules_param_value(p, 1, years[y], &pv);
            strbuf_printf(sb, " %d ", years[y]);
            if (v.kind == V_NUM) {
                strbuf_num(sb, v.u.num);
                if (!pv->confirmed) {
                    strbuf_puts(sb, " ");
                    paint(&w, "33", "UNVERIFIED");
                }
            } else {
                paint(&w, "31;1", "NO VALUE");
                strbuf_printf(sb, " (targets that need it are unknown; give --param %s=VALUE)", p->id);
            }
            if (y + 1 < ny)
                strbuf_putc(sb, ';');
        }
        strbuf_putc(sb, '\n');
    }
    if (flush(&w))
        rc = -1;

    /* upper levels in full (their units are few), bottom level failures */
    for (size_t i = 0; i < nl && rc == 0; i++) {
        const rule_level *lv = rules_level(rs, i);
        const level_summary *s = check_summary(c, i);
        if (!check_stats(c, i))
            continue;
        int bottom = lv->child < 0;
        list_ctx lc = {&w, bottom ? 1 : (lv->parent < 0 ? 0 : 1), 0, 0, r->opts.all ? 0 : TEXT_CAP};
        if (lv->parent < 0)
            lc.cap = 0;
        if (r->opts.all)
            lc.mode = lv->parent < 0 ? 0 : 0;
        strbuf_printf(sb, "\n%s units%s (%ld of %ld)\n", report_title(&lv->title, r->opts.zh),
                      lc.mode == 0 ? "" : " not meeting the standard", lc.mode == 0 ? s->units : s->fail + s->unknown + s->warn,
                      s->units);
        if (check_foreach(c, i, list_unit, &lc))
            rc = -1;
        if (lc.total > lc.shown)
            strbuf_printf(sb, "  ... %ld more; --all lists every unit, -f json gives them all\n", lc.total - lc.shown);
        lc.total = lc.shown = 0;
        if (lv->parent >= 0 && lv->child >= 0 && check_stats(c, (size_t)lv->child)) {
            strbuf_printf(sb, "\n%s figures: reported -> recomputed from %s data\n", report_title(&lv->title, r->opts.zh),
                          rules_level(rs, (size_t)lv->child)->id);
            if (flush(&w) || check_foreach(c, i, rollup_line, &w))
                rc = -1;
        }
        if (lc.total > lc.shown)
            strbuf_printf(sb, "  ... %ld more; --all lists every unit, -f json gives them all\n", lc.total - lc.shown);
        if (bottom && s->claims.wrong + s->claims.unsupported) {
            list_ctx wc = {&w, 2, 0, 0, r->opts.all ? 0 : 50};
            strbuf_printf(sb, "\nWrongly exited or unsupported %s claims (%ld)\n", lv->id,
                          s->claims.wrong + s->claims.unsupported);
            if (check_foreach(c, i, list_unit, &wc))
                rc = -1;
            if (wc.total > wc.shown)
                strbuf_printf(sb, "  ... %ld more; --all lists every one\n", wc.total - wc.shown);
        }
        if (flush(&w))
            rc = -1;
    }

    /* the targets most often not met */
    strbuf_puts(sb, "\nTargets not met (units)\n");
    int any = 0;
    for (size_t i = 0; i < nl; i++) {
        const rule_level *lv = rules_level(rs, i);
        const level_summary *s = check_summary(c, i);
        for (size_t t = 0; t < lv->ntargets; t++) {
            if (!s->target_fail[t] && !s->target_unknown[t] && !s->target_warn[t])
                continue;
            any = 1;
            strbuf_printf(sb, "  %-4s %6ld not met %6ld unknown", lv->targets[t].id, s->target_fail[t],
                          s->target_unknown[t]);
            if (s->target_warn[t])
                strbuf_printf(sb, " %6ld warn", s->target_warn[t]);
            strbuf_printf(sb, "  %s\n", report_title(&lv->targets[t].title, r->opts.zh));
        }
    }
    if (!any)
        strbuf_puts(sb, "  none\n");

    /* data problems */
    const diag_list *d = r->d;
    size_t errors = 0, warnings = 0;
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_entry *e = diag_get(d, i);
        errors += e->severity == DIAG_ERROR;
        warnings += e->severity == DIAG_WARNING;
    }
    strbuf_printf(sb, "\nProblems: %zu error%s, %zu warning%s\n", diag_errors(d), diag_errors(d) == 1 ? "" : "s",
                  warnings, warnings == 1 ? "" : "s");
    size_t shown = 0;
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_entry *e = diag_get(d, i);
        if (e->severity == DIAG_NOTE)
            continue;
        if (!r->opts.all && shown == TEXT_CAP) {
            strbuf_printf(sb, "  ... %zu more (all are on standard error and in -f json)\n",
                          errors + warnings - shown);
            break;
        }
        strbuf_puts(sb, "  ");
        diag_entry brief = *e;
        brief.excerpt = NULL;
        diag_format(&brief, sb);
        shown++;
    }

    /* provenance */
    strbuf_puts(sb, "\nInputs (SHA-256)\n");
    for (size_t i = 0; i < nl; i++) {
        const table_stats *st = check_stats(c, i);
        if (!st)
            continue;
        strbuf_printf(sb, "  %s  %s\n      %s; %ld rows read, %ld evaluated, %ld rejected", st->sha256,
                      check_input_path(c, i), st->encoding, st->rows_read, check_summary(c, i)->units,
                      st->rows_rejected);
        for (int j = 0; j < REJECT__COUNT; j++)
            if (st->rejected[j])
                strbuf_printf(sb, " (%s: %ld)", reject_names[j], st->rejected[j]);
        strbuf_putc(sb, '\n');
    }
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        const rule_file *f = rules_file(rs, i);
        strbuf_printf(sb, "  %s  %s\n", f->sha256, f->path);
    }
    if (flush(&w))
        rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
