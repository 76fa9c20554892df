/*
 * report_html_chart.c - the HTML report's chart per level: a horizontal
 * bar per target of the units not meeting it, unknown and (when any)
 * warned, stacked, as inline SVG, followed by the same counts as a table
 * for print. With --waivers the table also counts, per target, the units
 * for which it is waived (no bar: a waived target counts as met).
 *
 * Coordinates are integers, so the bytes do not depend on floating-point
 * formatting; a target no unit misses has no bar.
 */
#include "report_html.h"


/* The chart's geometry (SVG units) and its three series: not met,
 * unknown, warn. */
enum { W = 760, LEFT = 70, RIGHT = 48, TOP = 36, BAR = 18, GAP = 7, BOTTOM = 48 };
static const char *const fill[] = {"#c62828", "#6a1b9a", "#e08e00"};
static const report_string word[] = {RS_NOT_MET, RS_UNKNOWN, RS_WARN};

/* A step of 1, 2 or 5 times a power of ten giving about five ticks. */
static long nice_step(long max)
{
    long raw = (max + 4) / 5, m = 1;
    if (raw < 1)
        raw = 1;
    while (m <= raw / 10)
        m *= 10;
    return raw <= m ? m : raw <= 2 * m ? 2 * m : raw <= 5 * m ? 5 * m : 10 * m;
}

/* The legend: not met, unknown, and warn when any target warns. */
static void chart_legend(hw *w, long warn)
{
    strbuf *sb = &w->sb;
    long lx = LEFT;
    for (int k = 0; k < 3; k++) {
        if (k == 2 && !warn)
            break;
        strbuf_printf(sb, "<rect x=\"%ld\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                          "<text x=\"%ld\" y=\"18\" fill=\"#1b2026\">",
                      lx, fill[k], lx + 16);
        rs(w, word[k]);
        strbuf_puts(sb, "</text>\n");
        lx += 16 + 8L * rs_width(RS(word[k], w->zh)) + 24;
    }
}

/* The chart's counts with the targets' titles, for print; waived: the
 * run has waivers (a column of the units for which each target is
 * waived). */
static void chart_table(hw *w, const rule_level *lv, const level_summary *s, long warn, int waived)
{
    strbuf *sb = &w->sb;
    strbuf_puts(sb, "<table>\n<thead><tr>");
    th(w, RS_TARGET, 0);
    th(w, RS_NAME, 0);
    th(w, RS_NOT_MET, 1);
    th(w, RS_UNKNOWN, 1);
    if (warn)
        th(w, RS_WARN, 1);
    if (waived)
        th(w, RS_WAIVED, 1);
    strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
    for (size_t t = 0; t < lv->ntargets; t++) {
        if (!s->target_fail[t] && !s->target_unknown[t] && !s->target_warn[t] && !(waived && s->target_waived[t]))
            continue;
        strbuf_puts(sb, "<tr><td><code>");
        esc(sb, lv->targets[t].id);
        strbuf_puts(sb, "</code></td><td>");
        esc(sb, report_title(&lv->targets[t].title, w->zh));
        strbuf_puts(sb, "</td>");
        td_num(w, s->target_fail[t]);
        td_num(w, s->target_unknown[t]);
        if (warn)
            td_num(w, s->target_warn[t]);
        if (waived)
            td_num(w, s->target_waived[t]);
        strbuf_puts(sb, "</tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n");
}

void html_chart(hw *w, size_t li)
{
    strbuf *sb = &w->sb;
    const rule_level *lv = level(w, li);
    const level_summary *s = w->r->facts->levels[li].sum;
    long n = 0, max = 0, warn = 0, waived = 0;
    int wv = w->r->facts->waivers != NULL;
    for (size_t t = 0; t < lv->ntargets; t++) {
        long total = s->target_fail[t] + s->target_unknown[t] + s->target_warn[t];
        waived += wv ? s->target_waived[t] : 0;
        if (!total)
            continue;
        n++;
        max = total > max ? total : max;
        warn += s->target_warn[t];
    }
    strbuf_puts(sb, "<h3>");
    esc(sb, level_title(w, li));
    strbuf_puts(sb, "</h3>\n");
    if (!n) {
        if (waived)
            chart_table(w, lv, s, warn, wv);
        else
            none(w);
        return;
    }
    long step = nice_step(max), top = (max + step - 1) / step * step;
    long plotw = W - LEFT - RIGHT, ploth = n * (BAR + GAP), h = TOP + ploth + BOTTOM;
    strbuf_printf(sb, "<figure>\n<svg viewBox=\"0 0 %d %ld\" width=\"%d\" "
                      "height=\"%ld\" role=\"img\" aria-labelledby=\"chart-%zu\" font-size=\"12\">\n"
                      "<title id=\"chart-%zu\">",
                  W, h, W, h, li, li);
    rs_printf(&w->tmp, RS_CHART_LABEL, w->zh, level_title(w, li));
    put_tmp(w);
    strbuf_puts(sb, "</title>\n");

    chart_legend(w, warn);

    /* grid, ticks and axes */
    for (long v = 0; v <= top; v += step) {
        long x = LEFT + v * plotw / top;
        strbuf_printf(sb, "<line x1=\"%ld\" y1=\"%d\" x2=\"%ld\" y2=\"%ld\" stroke=\"#e3e6ea\"/>"
                          "<text x=\"%ld\" y=\"%ld\" text-anchor=\"middle\" fill=\"#59616b\">%ld</text>\n",
                      x, TOP - 4, x, TOP + ploth, x, TOP + ploth + 16, v);
    }
    strbuf_printf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%ld\" stroke=\"#1b2026\"/>"
                      "<line x1=\"%d\" y1=\"%ld\" x2=\"%ld\" y2=\"%ld\" stroke=\"#1b2026\"/>\n",
                  LEFT, TOP - 4, LEFT, TOP + ploth, LEFT, TOP + ploth, LEFT + plotw, TOP + ploth);
    strbuf_printf(sb, "<text x=\"%ld\" y=\"%ld\" text-anchor=\"middle\" fill=\"#1b2026\">", LEFT + plotw / 2, h - 8);
    rs(w, RS_UNITS);
    strbuf_printf(sb, "</text>\n<text transform=\"translate(14 %ld) rotate(-90)\" text-anchor=\"middle\" "
                      "fill=\"#1b2026\">",
                  TOP + ploth / 2);
    rs(w, RS_TARGET);
    strbuf_puts(sb, "</text>\n");

    /* one bar per target: not met, unknown and warn stacked */
    long y = TOP;
    for (size_t t = 0; t < lv->ntargets; t++) {
        const long part[3] = {s->target_fail[t], s->target_unknown[t], s->target_warn[t]};
        long total = part[0] + part[1] + part[2];
        if (!total)
            continue;
        const rule_target *tg = &lv->targets[t];
        strbuf_puts(sb, "<g><title>");
        esc(sb, tg->id);
        strbuf_puts(sb, " ");
        esc(sb, report_title(&tg->title, w->zh));
        for (int k = 0; k < (warn ? 3 : 2); k++) {
            strbuf_puts(sb, k ? ", " : " — ");
            rs(w, word[k]);
            strbuf_printf(sb, " %ld", part[k]);
        }
        strbuf_printf(sb, "</title><text x=\"%d\" y=\"%ld\" text-anchor=\"end\" fill=\"#1b2026\">", LEFT - 8,
                      y + BAR / 2 + 4);
        esc(sb, tg->id);
        strbuf_puts(sb, "</text>");
        long sum = 0;
        for (int k = 0; k < 3; k++) {
            if (!part[k])
                continue;
            long x0 = LEFT + sum * plotw / top;
            sum += part[k];
            long x1 = LEFT + sum * plotw / top;
            strbuf_printf(sb, "<rect x=\"%ld\" y=\"%ld\" width=\"%ld\" height=\"%d\" fill=\"%s\"/>", x0, y,
                          x1 - x0 > 0 ? x1 - x0 : 1, BAR, fill[k]);
        }
        strbuf_printf(sb, "<text x=\"%ld\" y=\"%ld\" fill=\"#1b2026\">%ld</text></g>\n",
                      LEFT + total * plotw / top + 5, y + BAR / 2 + 4, total);
        y += BAR + GAP;
    }
    strbuf_puts(sb, "</svg>\n</figure>\n");

    chart_table(w, lv, s, warn, wv);
}
