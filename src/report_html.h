/*
 * report_html.h - the parts of the HTML report (report_html.c: the page,
 * its header, summary, parameters, problems and provenance;
 * report_html_chart.c: the chart per level; report_html_units.c: rates,
 * figures, unit tables and the waivers) share this writer state and these
 * helpers. Internal to the three files.
 *
 * Invariant: every string from data, a pack or the report strings goes
 * into the page through esc/esc_n (directly or by way of w->tmp and
 * put_tmp), so nothing a unit is called can become markup.
 */
#ifndef EXITCHECK_REPORT_HTML_H
#define EXITCHECK_REPORT_HTML_H

#include "report.h"
#include "report_strings.h"

#include <string.h>

enum { HTML_CAP = 200 };

/* The page's style sheet (report_html.c), shared with the sample report. */
extern const char report_html_css[];   /* rows of a bottom-level table, diagnostics listed */
/* Its additions for a run with waivers (the waived badge), written only
 * then, so that a report without waivers is unchanged. */
extern const char report_html_waiver_css[];

typedef struct hw {
    FILE *out;
    strbuf sb;
    strbuf tmp;      /* a formatted string on its way to being escaped into sb */
    const report_ctx *r;
    int zh;
} hw;

/* The CSS class of a status or claim badge. */
static inline const char *status_class(unit_status s)
{
    switch (s) {
    case ST_PASS: return "pass";
    case ST_FAIL: return "fail";
    case ST_UNKNOWN: return "unknown";
    case ST_WARN: return "warn";
    case ST_WAIVED: return "waived";
    }
    return "unknown";
}

static inline const char *claim_class(claim_status c)
{
    switch (c) {
    case CLAIM_NONE: return "none";
    case CLAIM_SUPPORTED: return "supported";
    case CLAIM_WRONG: return "wrong";
    case CLAIM_UNSUPPORTED: return "unsupported";
    }
    return "none";
}

static inline void esc_n(strbuf *sb, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        const char *e;
        switch (s[i]) {
        case '&': e = "&amp;"; break;
        case '<': e = "&lt;"; break;
        case '>': e = "&gt;"; break;
        case '"': e = "&quot;"; break;
        case '\'': e = "&#39;"; break;
        default: continue;
        }
        strbuf_add(sb, s + run, i - run);
        strbuf_puts(sb, e);
        run = i + 1;
    }
    strbuf_add(sb, s + run, n - run);
}

static inline void esc(strbuf *sb, const char *s)
{
    if (s)
        esc_n(sb, s, strlen(s));
}

/* A fixed string, escaped. */
static inline void rs(hw *w, report_string id)
{
    esc(&w->sb, RS(id, w->zh));
}

/* Escapes what was formatted into w->tmp, then empties it. */
static inline void put_tmp(hw *w)
{
    esc_n(&w->sb, strbuf_str(&w->tmp), w->tmp.len);
    strbuf_reset(&w->tmp);
}

static inline void put_value(hw *w, const value *v)
{
    report_value(&w->tmp, v, w->zh);
    put_tmp(w);
}

static inline int flush(hw *w)
{
    if (w->tmp.oom)
        return -1;
    return report_flush(&w->sb, w->out);
}

static inline void rate(strbuf *sb, long part, long whole) { report_rate_text(sb, part, whole, "–"); }
static inline void prate(strbuf *sb, const claim_tally *t) { report_people_rate_text(sb, t, "–"); }

/* A small horizontal bar of part / whole (nothing when whole is 0). */
static inline void rate_bar(strbuf *sb, long part, long whole)
{
    if (!whole)
        return;
    strbuf_printf(sb, "<span class=\"rbar\"><span style=\"width:%.1f%%\"></span></span>", report_rate(part, whole));
}

static inline void badge(hw *w, const char *cls, report_string id)
{
    strbuf_printf(&w->sb, "<span class=\"b %s\">", cls);
    rs(w, id);
    strbuf_puts(&w->sb, "</span>");
}

static inline void status_badge(hw *w, unit_status s)
{
    strbuf_printf(&w->sb, "<span class=\"b %s\">", status_class(s));
    esc(&w->sb, report_status_word(s, w->zh));
    strbuf_puts(&w->sb, "</span>");
}

static inline void claim_badge(hw *w, claim_status c)
{
    if (c == CLAIM_NONE)
        strbuf_puts(&w->sb, "<span class=\"muted\">");
    else
        strbuf_printf(&w->sb, "<span class=\"b %s\">", claim_class(c));
    esc(&w->sb, report_claim_word(c, w->zh));
    strbuf_puts(&w->sb, "</span>");
}

/* The badge of u's exit: its outcome and, for an earlier one, when. */
static inline void exit_badge(hw *w, const unit_rec *u)
{
    if (u->claim == CLAIM_NONE) {
        claim_badge(w, CLAIM_NONE);
        return;
    }
    strbuf_printf(&w->sb, "<span class=\"b %s\">", claim_class(u->claim));
    report_exit_text(&w->tmp, u, w->zh);
    esc_n(&w->sb, strbuf_str(&w->tmp), w->tmp.len);
    strbuf_reset(&w->tmp);
    strbuf_puts(&w->sb, "</span>");
}

/* A label of two fixed strings, "earlier wrong exits" (往年错退). */
static inline void rs2(hw *w, report_string a, report_string b)
{
    rs(w, a);
    if (!w->zh)
        strbuf_putc(&w->sb, ' ');
    rs(w, b);
}

static inline void th(hw *w, report_string id, int numeric)
{
    strbuf_puts(&w->sb, numeric ? "<th class=\"n\">" : "<th>");
    rs(w, id);
    strbuf_puts(&w->sb, "</th>");
}

static inline void td_num(hw *w, long v)
{
    strbuf_printf(&w->sb, "<td class=\"n\">%ld</td>", v);
}

static inline void h2(hw *w, const char *anchor, report_string id)
{
    strbuf_printf(&w->sb, "\n<section id=\"%s\">\n<h2>", anchor);
    rs(w, id);
    strbuf_puts(&w->sb, "</h2>\n");
}

/* ": " or, in Chinese, a full-width colon. */
static inline void colon(hw *w)
{
    strbuf_puts(&w->sb, w->zh ? "：" : ": ");
}

static inline void none(hw *w)
{
    strbuf_puts(&w->sb, "<p class=\"muted\">");
    rs(w, RS_NONE);
    strbuf_puts(&w->sb, "</p>\n");
}

static inline const rule_level *level(const hw *w, size_t i)
{
    return w->r->facts->levels[i].level;
}

static inline const char *level_title(const hw *w, size_t i)
{
    return report_title(&level(w, i)->title, w->zh);
}

/* Sections written by report_html_chart.c and report_html_units.c. */
void html_chart(hw *w, size_t li);
int html_rates(hw *w);
int html_figures(hw *w);
int html_unit_lists(hw *w);
/* The waivers section (only with --waivers): every waiver with what became
 * of it, and per level the units that meet the standard only by waiver. */
int html_waivers(hw *w);

#endif
