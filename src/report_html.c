/*
 * report_html.c - one self-contained HTML page to read on screen, print
 * on A4 and sign: the verdict, summary cards per level, a bar chart per
 * level of the units not meeting each target (inline SVG), wrong-exit
 * rates (by units and by people) and earlier exits per level and per unit
 * of the upper levels, every upper-level
 * unit's reported and recomputed figures, the units not meeting the
 * standard, the wrong or unsupported claims of this year and the wrong or
 * unsupported earlier exits (the bottom level capped), with --waivers the
 * waivers (every one of the file, what became of it, and the units that
 * meet the standard only by waiver), the parameters used, the problems in
 * the input, the provenance and a signature block. Without --waivers the
 * page has nothing of waivers, not even their style.
 *
 * The page fetches nothing (inline CSS, no scripts, no fonts, no images)
 * and carries no time stamp. Every string that comes from data or a rule
 * pack - and every fixed string, which may hold '>' - is HTML-escaped, so
 * a unit called "<script>" is shown, never run. Coordinates in the SVG are
 * integers, so the bytes do not depend on floating-point formatting.
 */
#include "report.h"
#include "report_strings.h"
#include "waiver.h"

#include <string.h>

#include "report_html.h"

const char report_html_css[] =
    ":root{--pass:#2e7d32;--fail:#c62828;--unknown:#6a1b9a;--warn:#e08e00;--over:#1565c0;--line:#cfd4da;"
    "--muted:#59616b;--head:#eef1f4;--hi:#fde3e3}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;color:#1b2026;background:#fff;font:14px/1.5 \"Noto Sans CJK SC\",\"Source Han Sans SC\","
    "\"Microsoft YaHei\",\"PingFang SC\",\"Hiragino Sans GB\",\"Noto Sans\",Arial,sans-serif}\n"
    "main{max-width:1180px;margin:0 auto;padding:24px 28px 48px}\n"
    "h1{font-size:22px;margin:0 0 6px;line-height:1.3}\n"
    "h2{font-size:18px;margin:34px 0 10px;padding-bottom:4px;border-bottom:2px solid #1b2026}\n"
    "h3{font-size:15px;margin:20px 0 8px}\n"
    "p{margin:6px 0}\n"
    ".meta{color:var(--muted)}\n"
    ".muted,.why{color:var(--muted)}\n"
    "code,.mono{font-family:\"Noto Sans Mono CJK SC\",\"DejaVu Sans Mono\",Consolas,monospace;font-size:12px}\n"
    ".hash{word-break:break-all}\n"
    "nav{margin:10px 0 0;font-size:13px}\n"
    "nav a{margin-right:14px;color:var(--over)}\n"
    ".verdict{margin:16px 0 6px;padding:12px 16px;border-left:8px solid;font-size:17px;font-weight:700}\n"
    ".verdict.ok{border-color:var(--pass);background:#e5f3e8}\n"
    ".verdict.bad{border-color:var(--fail);background:var(--hi)}\n"
    ".verdict.error{border-color:#1b2026;background:#e6e6e6}\n"
    ".verdict .exit{font-weight:400;font-size:14px;margin-left:8px}\n"
    ".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:14px}\n"
    ".card{border:1px solid var(--line);border-radius:6px;padding:12px 14px}\n"
    ".card h3{margin:0 0 8px}\n"
    ".card dl{display:grid;grid-template-columns:1fr auto;gap:1px 12px;margin:10px 0 0}\n"
    ".card dt{color:var(--muted)}\n"
    ".card dd{margin:0;text-align:right;font-variant-numeric:tabular-nums}\n"
    ".card dd.alert,p.alert{color:var(--fail);font-weight:700}\n"
    ".stack{display:flex;height:12px;border-radius:3px;overflow:hidden;background:#e9ecef}\n"
    ".stack span{display:block;height:100%}\n"
    ".c-pass{background:var(--pass)}.c-fail{background:var(--fail)}.c-unknown{background:var(--unknown)}"
    ".c-warn{background:var(--warn)}\n"
    "table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}\n"
    "th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}\n"
    "th{background:var(--head);font-weight:700}\n"
    ".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "td.id{white-space:nowrap}td.nm{min-width:5.5em}td.pt{min-width:14em}td.src{min-width:16em}\n"
    ".alert{color:var(--fail)}\n"
    "td.differs{background:var(--hi);font-weight:700}\n"
    "tr.error td{background:#fff0f0}\n"
    ".b{display:inline-block;padding:0 5px;border-radius:3px;font-size:11px;font-weight:700;line-height:17px;"
    "color:#fff;white-space:nowrap}\n"
    ".b.pass,.b.supported{background:var(--pass)}.b.fail,.b.wrong,.b.novalue,.b.differs{background:var(--fail)}"
    ".b.unknown,.b.unsupported{background:var(--unknown)}.b.warn,.b.unverified{background:var(--warn);color:#000}"
    ".b.none{background:#8a929b}.b.override{background:var(--over)}\n"
    ".tg{margin:0 0 4px}.tg:last-child{margin:0}\n"
    ".rbar{display:inline-block;width:110px;height:10px;background:#e9ecef;vertical-align:middle}\n"
    ".rbar span{display:block;height:100%;background:var(--fail)}\n"
    ".more{font-style:italic;color:var(--muted)}\n"
    "figure{margin:8px 0 6px}\n"
    "figure svg{max-width:100%;height:auto;font-family:inherit}\n"
    "mark{background:#ffd54f}\n"
    ".excerpt{display:block;white-space:pre-wrap;margin-top:2px}\n"
    ".sig{margin-top:44px;display:grid;grid-template-columns:3fr 2fr;gap:28px 40px}\n"
    ".sig div{border-bottom:1px solid #1b2026;min-height:60px;padding-top:2px;color:var(--muted)}\n"
    ".sig .wide{grid-column:1/-1;min-height:110px}\n"
    "@page{size:A4;margin:14mm 12mm 16mm;@bottom-right{content:counter(page) \" / \" counter(pages);"
    "font-size:9pt}}\n"
    "@media print{\n"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{font-size:9.5pt}\n"
    "main{max-width:none;padding:0}\n"
    "nav{display:none}\n"
    "table{font-size:8.5pt}\n"
    "thead{display:table-header-group}\n"
    "tr,.card,figure,.verdict,.sig,.tg{break-inside:avoid;page-break-inside:avoid}\n"
    "h2,h3{break-after:avoid;page-break-after:avoid}\n"
    ".cards{grid-template-columns:repeat(3,1fr)}\n"
    "a{color:inherit;text-decoration:none}\n"
    "}\n";

/* A waived target: outlined and dashed, not filled, so that it stays
 * apart from the filled badges in greyscale too (and it always carries
 * its word). */
const char report_html_waiver_css[] =
    ".b.waived{background:#e8f5f3;color:#00574b;border:1px dashed #00574b;line-height:15px}\n";

/* ---- header and summary ---- */

static void header(hw *w)
{
    strbuf *sb = &w->sb;
    const ruleset *rset = w->r->rs;
    text2 title = rules_title(rset);
    int zh = w->zh;

    strbuf_printf(sb, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n", zh ? "zh" : "en");
    strbuf_puts(sb, "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                    "style-src 'unsafe-inline'\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    strbuf_printf(sb, "<meta name=\"generator\" content=\"exitcheck %s\">\n<title>exitcheck ", EXITCHECK_VERSION);
    rs(w, RS_REPORT);
    strbuf_puts(sb, zh ? "：" : ": ");
    esc(sb, report_title(&title, zh));
    const report_facts *f = w->r->facts;
    strbuf_printf(sb, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n<main>\n<header>\n<h1>exitcheck ",
                  report_html_css, f->waivers ? report_html_waiver_css : "");
    rs(w, RS_REPORT);
    strbuf_puts(sb, zh ? "：" : ": ");
    esc(sb, report_title(&title, zh));
    strbuf_puts(sb, "</h1>\n<p class=\"meta\">");
    rs(w, RS_TOOL);
    strbuf_printf(sb, " exitcheck %s &middot; ", EXITCHECK_VERSION);
    rs(w, RS_PACK);
    strbuf_puts(sb, " <code>");
    esc(sb, rules_id(rset));
    strbuf_puts(sb, "</code> ");
    esc(sb, rules_version(rset));
    strbuf_puts(sb, "</p>\n");

    const char *cls = f->verdict == VERDICT_ERRORS ? "error" : report_verdict_good(f) ? "ok" : "bad";
    report_verdict_text(&w->tmp, f, zh);
    strbuf_printf(sb, "<div class=\"verdict %s\">", cls);
    rs(w, RS_VERDICT);
    colon(w);
    put_tmp(w);
    strbuf_puts(sb, "<span class=\"exit\">");
    rs(w, RS_EXIT_STATUS);
    strbuf_printf(sb, " %d</span></div>\n", (int)f->status);

    static const struct { const char *anchor; report_string id; } toc[] = {
        {"summary", RS_SUMMARY}, {"targets", RS_FAILURES_PER_TARGET}, {"rates", RS_H_RATES},
        {"figures", RS_H_FIGURES}, {"units", RS_H_UNITS}, {"claims", RS_WRONG_CLAIMS},
        {"params", RS_PARAMS}, {"problems", RS_PROBLEMS}, {"provenance", RS_PROVENANCE},
        {"signature", RS_SIGNATURE},
    };
    strbuf_puts(sb, "<nav>");
    for (size_t k = 0; k < sizeof toc / sizeof toc[0]; k++) {
        strbuf_printf(sb, "<a href=\"#%s\">", toc[k].anchor);
        rs(w, toc[k].id);
        strbuf_puts(sb, "</a>");
        if (f->waivers && strcmp(toc[k].anchor, "claims") == 0) {
            strbuf_puts(sb, "<a href=\"#waivers\">");
            rs(w, RS_H_WAIVERS);
            strbuf_puts(sb, "</a>");
        }
    }
    strbuf_puts(sb, "</nav>\n</header>\n");
}

static void summary(hw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    h2(w, "summary", RS_SUMMARY);
    strbuf_puts(sb, "<div class=\"cards\">\n");
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        strbuf_puts(sb, "<div class=\"card\">\n<h3>");
        esc(sb, level_title(w, i));
        strbuf_puts(sb, "</h3>\n");
        if (!f->levels[i].stats) {
            strbuf_puts(sb, "<p class=\"muted\">");
            rs(w, RS_NO_TABLE);
            strbuf_puts(sb, "</p>\n");
        }
        if (s->units) {
            /* the share of each status, as flex weights (integers) */
            const long part[ST__COUNT] = {[ST_PASS] = s->pass, [ST_FAIL] = s->fail, [ST_UNKNOWN] = s->unknown,
                                          [ST_WARN] = s->warn};
            static const report_string word[ST__COUNT] = {[ST_PASS] = RS_PASS, [ST_FAIL] = RS_FAIL,
                                                          [ST_UNKNOWN] = RS_UNKNOWN, [ST_WARN] = RS_WARN};
            strbuf_puts(sb, "<div class=\"stack\">");
            for (int k = 0; k < ST__COUNT; k++) {
                if (!part[k])
                    continue;
                strbuf_printf(sb, "<span class=\"c-%s\" style=\"flex:%ld\" title=\"", status_class((unit_status)k), part[k]);
                rs(w, word[k]);
                strbuf_printf(sb, " %ld\"></span>", part[k]);
            }
            strbuf_puts(sb, "</div>\n");
        }
        /* with waivers: the units that meet the standard only by waiver
         * (counted in pass or warn too), and the exits that hold only by
         * waiver apart from the other supported ones */
        int wv = f->waivers != NULL;
        const struct { report_string id; long v; int alert, show; } row[] = {
            {RS_UNITS, s->units, 0, 1},
            {RS_PASS, s->pass, 0, 1},
            {RS_FAIL, s->fail, s->fail > 0, 1},
            {RS_UNKNOWN, s->unknown, s->unknown > 0, 1},
            {RS_WARN, s->warn, 0, 1},
            {RS_MET_BY_WAIVER, s->by_waiver, 0, wv},
            {RS_CLAIMED, s->claims.claimed, 0, 1},
            {RS_SUPPORTED, s->claims.supported - (wv ? s->claims.by_waiver : 0), 0, 1},
            {RS_BY_WAIVER, s->claims.by_waiver, 0, wv},
            {RS_WRONG_EXITS, s->claims.wrong, s->claims.wrong > 0, 1},
            {RS_UNSUPPORTED, s->claims.unsupported, s->claims.unsupported > 0, 1},
        };
        strbuf_puts(sb, "<dl>");
        for (size_t k = 0; k < sizeof row / sizeof row[0]; k++) {
            if (!row[k].show)
                continue;
            strbuf_puts(sb, "<dt>");
            rs(w, row[k].id);
            strbuf_printf(sb, "</dt><dd%s>%ld</dd>", row[k].alert ? " class=\"alert\"" : "", row[k].v);
        }
        strbuf_puts(sb, "<dt>");
        rs(w, RS_WRONG_RATE);
        strbuf_printf(sb, "</dt><dd%s>", s->claims.wrong ? " class=\"alert\"" : "");
        rate(sb, s->claims.wrong, s->claims.claimed);
        strbuf_puts(sb, "</dd><dt>");
        rs(w, RS_WRONG_RATE_PEOPLE);
        strbuf_printf(sb, "</dt><dd%s>", s->claims.wrong ? " class=\"alert\"" : "");
        prate(sb, &s->claims);
        strbuf_puts(sb, "</dd>");
        if (s->orphans) {
            strbuf_puts(sb, "<dt>");
            rs(w, RS_ORPHANS);
            strbuf_printf(sb, "</dt><dd class=\"alert\">%ld</dd>", s->orphans);
        }
        if (f->earlier) {
            /* exits of earlier years, judged on this year's data */
            const struct { report_string id; long v; int alert, show; } er[] = {
                {RS_EARLIER_EXITS, s->earlier.claimed, 0, 1},
                {RS_SUPPORTED, s->earlier.supported - (wv ? s->earlier.by_waiver : 0), 0, 1},
                {RS_BY_WAIVER, s->earlier.by_waiver, 0, wv},
                {RS_WRONG_EXITS, s->earlier.wrong, s->earlier.wrong > 0, 1},
                {RS_UNSUPPORTED, s->earlier.unsupported, s->earlier.unsupported > 0, 1},
            };
            for (size_t k = 0; k < sizeof er / sizeof er[0]; k++) {
                if (!er[k].show)
                    continue;
                strbuf_puts(sb, "<dt>");
                if (k == 0)
                    rs(w, er[k].id);
                else
                    rs2(w, RS_EARLIER, er[k].id);
                strbuf_printf(sb, "</dt><dd%s>%ld</dd>", er[k].alert ? " class=\"alert\"" : "", er[k].v);
            }
        }
        strbuf_puts(sb, "</dl>\n</div>\n");
    }
    strbuf_puts(sb, "</div>\n</section>\n");
}

/* ---- parameters, problems, provenance, signature ---- */

/* One parameter's value cell and source cell for one year (py NULL: the
 * data has no year). */
static void param_cells(hw *w, const rule_param *p, const report_param_year *py)
{
    strbuf *sb = &w->sb;
    if (py)
        strbuf_printf(sb, "<td class=\"n\">%d</td><td class=\"n\">", py->year);
    else {
        strbuf_puts(sb, "<td class=\"muted\">");
        rs(w, RS_NO_YEAR);
        strbuf_puts(sb, "</td><td class=\"n\">");
    }
    if (p->overridden) {
        strbuf_num(sb, p->override);
        strbuf_putc(sb, ' ');
        badge(w, "override", RS_GIVEN_BY_PARAM);
        strbuf_puts(sb, "</td><td class=\"src\"><code>--param</code></td></tr>\n");
        return;
    }
    if (!py) {
        strbuf_puts(sb, "–</td><td class=\"src\"></td></tr>\n");
        return;
    }
    switch (py->origin) {
    case PARAM_CONFIRMED:
    case PARAM_UNVERIFIED:
    case PARAM_OVERRIDDEN:
        strbuf_num(sb, py->v.u.num);
        if (py->origin == PARAM_UNVERIFIED) {
            strbuf_putc(sb, ' ');
            badge(w, "unverified", RS_UNVERIFIED);
        }
        strbuf_puts(sb, "</td><td class=\"src\">");
        esc(sb, py->entry ? py->entry->source : NULL);
        break;
    case PARAM_NO_VALUE:
        badge(w, "novalue", RS_NO_VALUE);
        strbuf_puts(sb, "</td><td class=\"src\"><span class=\"alert\">");
        rs_printf(&w->tmp, RS_PARAM_HINT, w->zh, p->id);
        put_tmp(w);
        if (py->units_missing) {
            strbuf_puts(sb, "; ");
            rs_printf(&w->tmp, RS_UNITS_AFFECTED, w->zh, py->units_missing);
            put_tmp(w);
        }
        strbuf_puts(sb, "</span>");
        break;
    }
    strbuf_puts(sb, "</td></tr>\n");
}

static void params(hw *w)
{
    strbuf *sb = &w->sb;
    const report_facts *f = w->r->facts;
    h2(w, "params", RS_PARAMS);
    strbuf_puts(sb, "<table>\n<thead><tr>");
    th(w, RS_PARAM, 0);
    th(w, RS_NAME, 0);
    th(w, RS_PARAM_UNIT, 0);
    th(w, RS_YEAR, 1);
    th(w, RS_VALUE, 1);
    th(w, RS_SOURCE, 0);
    strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
    int any = 0;
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        any = 1;
        size_t rows = f->nyears ? f->nyears : 1;
        for (size_t y = 0; y < rows; y++) {
            strbuf_puts(sb, "<tr>");
            if (y == 0) {
                strbuf_printf(sb, "<td rowspan=\"%zu\"><code>", rows);
                esc(sb, p->id);
                strbuf_printf(sb, "</code></td><td class=\"pt\" rowspan=\"%zu\">", rows);
                esc(sb, report_title(&p->title, w->zh));
                strbuf_printf(sb, "</td><td rowspan=\"%zu\">", rows);
                esc(sb, p->unit);
                strbuf_puts(sb, "</td>");
            }
            param_cells(w, p, f->nyears ? &f->params[i].years[y] : NULL);
        }
    }
    if (!any) {
        strbuf_puts(sb, "<tr><td colspan=\"6\" class=\"muted\">");
        rs(w, RS_NONE);
        strbuf_puts(sb, "</td></tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n</section>\n");
}

static void problems(hw *w)
{
    strbuf *sb = &w->sb;
    const diag_list *d = w->r->d;
    size_t listed = diag_stored(d, DIAG_ERROR) + diag_stored(d, DIAG_WARNING);
    h2(w, "problems", RS_PROBLEMS);
    strbuf_puts(sb, "<p>");
    report_problems_count(&w->tmp, d, listed < HTML_CAP ? listed : HTML_CAP, w->zh);
    put_tmp(w);
    strbuf_puts(sb, "</p>\n");
    if (report_not_kept(d)) {
        strbuf_puts(sb, "<p class=\"more\">");
        report_not_kept_text(&w->tmp, d, w->zh);
        put_tmp(w);
        strbuf_puts(sb, "</p>\n");
    }
    if (!listed) {
        strbuf_puts(sb, "</section>\n");
        return;
    }
    strbuf_puts(sb, "<table>\n<thead><tr>");
    th(w, RS_LOCATION, 0);
    th(w, RS_SEVERITY, 0);
    th(w, RS_MESSAGE, 0);
    strbuf_puts(sb, "</tr></thead>\n<tbody>\n");
    size_t shown = 0;
    for (size_t i = 0; i < diag_count(d) && shown < HTML_CAP; i++) {
        const diag_entry *e = diag_get(d, i);
        if (e->severity == DIAG_NOTE)
            continue;
        shown++;
        int err = e->severity == DIAG_ERROR;
        strbuf_printf(sb, "<tr%s><td><code>", err ? " class=\"error\"" : "");
        if (e->file) {
            strbuf where = STRBUF_INIT;
            diag_where(e, &where);
            esc(sb, strbuf_str(&where));
            strbuf_release_into(sb, &where);
        } else {
            strbuf_puts(sb, "exitcheck");
        }
        strbuf_printf(sb, "</code></td><td><span class=\"b %s\">", err ? "fail" : "warn");
        rs(w, err ? RS_SEV_ERROR : RS_SEV_WARNING);
        strbuf_puts(sb, "</span></td><td>");
        esc(sb, e->message);
        if (e->excerpt) {
            /* the source line with the faulty span marked */
            size_t n = strlen(e->excerpt);
            size_t a = e->caret_col < n ? e->caret_col : n;
            size_t b = e->caret_len < n - a ? a + e->caret_len : n;
            strbuf_puts(sb, "<code class=\"excerpt\">");
            esc_n(sb, e->excerpt, a);
            strbuf_puts(sb, "<mark>");
            esc_n(sb, e->excerpt + a, b - a);
            strbuf_puts(sb, "</mark>");
            esc_n(sb, e->excerpt + b, n - b);
            strbuf_puts(sb, "</code>");
        }
        strbuf_puts(sb, "</td></tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n");
    if (listed > shown) {
        strbuf_puts(sb, "<p class=\"more\">");
        rs_printf(&w->tmp, RS_MORE_PROBLEMS, w->zh, (long)(listed - shown));
        put_tmp(w);
        strbuf_puts(sb, "</p>\n");
    }
    strbuf_puts(sb, "</section>\n");
}

static void provenance(hw *w)
{
    strbuf *sb = &w->sb;
    const ruleset *rset = w->r->rs;
    const report_facts *f = w->r->facts;
    h2(w, "provenance", RS_PROVENANCE);
    strbuf_puts(sb, "<p>");
    rs(w, RS_TOOL);
    strbuf_printf(sb, " exitcheck %s &middot; ", EXITCHECK_VERSION);
    rs(w, RS_PACK);
    strbuf_puts(sb, " <code>");
    esc(sb, rules_id(rset));
    strbuf_puts(sb, "</code> ");
    esc(sb, rules_version(rset));
    if (rules_source(rset)) {
        strbuf_puts(sb, "<br><span class=\"muted\">");
        rs(w, RS_SOURCE);
        colon(w);
        esc(sb, rules_source(rset));
        strbuf_puts(sb, "</span>");
    }
    strbuf_puts(sb, "</p>\n<h3>");
    rs(w, RS_INPUTS);
    strbuf_puts(sb, "</h3>\n<table>\n<thead><tr>");
    th(w, RS_LEVEL, 0);
    th(w, RS_FILE, 0);
    th(w, RS_ENCODING, 0);
    th(w, RS_ROWS_READ, 1);
    th(w, RS_EVALUATED, 1);
    th(w, RS_REJECTED, 1);
    strbuf_puts(sb, "<th>SHA-256</th></tr></thead>\n<tbody>\n");
    int any = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        any = 1;
        strbuf_puts(sb, "<tr><td>");
        esc(sb, level_title(w, i));
        strbuf_puts(sb, "</td><td><code>");
        esc(sb, f->levels[i].path);
        strbuf_puts(sb, "</code></td><td>");
        esc(sb, report_tr(st->encoding, w->zh));
        strbuf_puts(sb, "</td>");
        td_num(w, st->rows_read);
        td_num(w, f->levels[i].sum->units);
        strbuf_printf(sb, "<td class=\"n\">%ld", st->rows_rejected);
        for (int j = 0; j < REJECT__COUNT; j++)
            if (st->rejected[j]) {
                strbuf_puts(sb, "<br><span class=\"why\">");
                esc(sb, report_tr(reject_names[j], w->zh));
                strbuf_printf(sb, " %ld</span>", st->rejected[j]);
            }
        strbuf_puts(sb, "</td><td><code class=\"hash\">");
        esc(sb, st->sha256);
        strbuf_puts(sb, "</code></td></tr>\n");
    }
    const table_stats *ws = f->waivers ? waivers_stats(f->waivers) : NULL;
    if (ws) {
        /* the waiver file, beside the tables: "evaluated" are its valid waivers */
        any = 1;
        strbuf_puts(sb, "<tr><td>");
        rs(w, RS_WAIVER_FILE);
        strbuf_puts(sb, "</td><td><code>");
        esc(sb, waivers_path(f->waivers));
        strbuf_puts(sb, "</code></td><td>");
        esc(sb, report_tr(ws->encoding, w->zh));
        strbuf_puts(sb, "</td>");
        td_num(w, ws->rows_read);
        td_num(w, (long)waivers_count(f->waivers));
        strbuf_printf(sb, "<td class=\"n\">%ld", ws->rows_rejected);
        for (int j = 0; j < REJECT__COUNT; j++)
            if (ws->rejected[j]) {
                strbuf_puts(sb, "<br><span class=\"why\">");
                esc(sb, report_tr(reject_names[j], w->zh));
                strbuf_printf(sb, " %ld</span>", ws->rejected[j]);
            }
        strbuf_puts(sb, "</td><td><code class=\"hash\">");
        esc(sb, ws->sha256);
        strbuf_puts(sb, "</code></td></tr>\n");
    }
    if (!any) {
        strbuf_puts(sb, "<tr><td colspan=\"7\" class=\"muted\">");
        rs(w, RS_NONE);
        strbuf_puts(sb, "</td></tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n<h3>");
    rs(w, RS_RULE_FILES);
    strbuf_puts(sb, "</h3>\n<table>\n<thead><tr>");
    th(w, RS_FILE, 0);
    strbuf_puts(sb, "<th>SHA-256</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < rules_nfiles(rset); i++) {
        const rule_file *rf = rules_file(rset, i);
        strbuf_puts(sb, "<tr><td><code>");
        esc(sb, rf->path);
        strbuf_puts(sb, "</code></td><td><code class=\"hash\">");
        esc(sb, rf->sha256);
        strbuf_puts(sb, "</code></td></tr>\n");
    }
    strbuf_puts(sb, "</tbody>\n</table>\n</section>\n");
}

static void signature(hw *w)
{
    strbuf *sb = &w->sb;
    strbuf_puts(sb, "\n<section id=\"signature\" class=\"sig\">\n<div>");
    rs(w, RS_SIGNATURE);
    strbuf_puts(sb, "</div>\n<div>");
    rs(w, RS_DATE);
    strbuf_puts(sb, "</div>\n<div class=\"wide\">");
    rs(w, RS_OPINION);
    strbuf_puts(sb, "</div>\n</section>\n");
}

int report_html(const report_ctx *r, FILE *out)
{
    hw w = {out, STRBUF_INIT, STRBUF_INIT, r, r->opts.zh};
    const report_facts *f = r->facts;
    header(&w);
    summary(&w);
    h2(&w, "targets", RS_FAILURES_PER_TARGET);
    for (size_t i = 0; i < f->nlevels; i++)
        if (f->levels[i].stats)
            html_chart(&w, i);
    strbuf_puts(&w.sb, "</section>\n");
    int rc = flush(&w) || html_rates(&w) || html_figures(&w) || html_unit_lists(&w) ||
                     (f->waivers && html_waivers(&w))
                 ? -1
                 : 0;
    params(&w);
    problems(&w);
    provenance(&w);
    signature(&w);
    strbuf_puts(&w.sb, "</main>\n</body>\n</html>\n");
    if (flush(&w))
        rc = -1;
    strbuf_free(&w.sb);
    strbuf_free(&w.tmp);
    return rc;
}
