/*
 * test_diag_zh.c - the Chinese catalog of diagnostics (src/diag_zh.h) and
 * the sink's translation hook (src/diag.h).
 *
 * For every catalog entry the Chinese text must take exactly the arguments
 * of its English id: the same number, the same types, in the same order or
 * through positional conversions (%2$s, %3$.*2$s) that cover every argument
 * without a gap and are not mixed with plain ones (an id with a '%' that
 * begins no conversion is a word passed as an argument, not a format). A mismatch would make
 * vsnprintf read the wrong argument, so this is checked for all entries,
 * and the checker is itself tested on formats it must refuse. The table
 * must be sorted with no id twice (the lookup is a binary search), an
 * unknown id falls back to English, and a sink translates only what it
 * stores.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "diag_zh.h"
#include "strbuf.h"

enum { MAX_ARGS = 16 };

/* The argument types a format reads: types[i] names argument i + 1 as its
 * length modifier and class ("i" int, "li" long, "zu" size_t, "u"
 * unsigned, "s" string, "f" double, "p" pointer). Returns the number of
 * arguments, or -1 with why filled in. */
static int conversions(const char *f, char types[MAX_ARGS][4], char *why, size_t whylen)
{
    int next = 0, positional = -1, max = 0;
    memset(types, 0, MAX_ARGS * 4);
#define REFUSE(...)                              \
    do {                                         \
        snprintf(why, whylen, __VA_ARGS__);      \
        return -1;                               \
    } while (0)
    /* one argument of type t at 1-based position n (0: the next one) */
#define TAKE(n, t)                                                                 \
    do {                                                                           \
        int k_ = (n) ? (n) : ++next;                                               \
        if (k_ > MAX_ARGS)                                                         \
            REFUSE("more than %d arguments", MAX_ARGS);                            \
        if (types[k_ - 1][0] && strcmp(types[k_ - 1], (t)))                        \
            REFUSE("argument %d read as %s and as %s", k_, types[k_ - 1], (t));    \
        snprintf(types[k_ - 1], 4, "%s", (t));                                     \
        if (k_ > max)                                                              \
            max = k_;                                                              \
    } while (0)
    for (const char *p = f; *p; p++) {
        if (*p != '%')
            continue;
        p++;
        if (*p == '%')
            continue;
        /* %N$ */
        int argno = 0;
        const char *q = p;
        while (*q >= '0' && *q <= '9')
            argno = argno * 10 + (*q++ - '0');
        if (q > p && *q == '$') {
            p = q + 1;
        } else {
            argno = 0;
        }
        if (positional < 0)
            positional = argno > 0;
        else if (positional != (argno > 0))
            REFUSE("positional and plain conversions mixed");
        while (*p && strchr("-+ #0'", *p))
            p++;
        /* width and precision: digits, * or *M$ */
        for (int part = 0; part < 2; part++) {
            if (part == 1) {
                if (*p != '.')
                    break;
                p++;
            }
            if (*p == '*') {
                p++;
                int m = 0;
                const char *r = p;
                while (*r >= '0' && *r <= '9')
                    m = m * 10 + (*r++ - '0');
                if (r > p && *r == '$') {
                    if (!positional)
                        REFUSE("a positional * in a plain format");
                    p = r + 1;
                    TAKE(m, "i");
                } else {
                    if (positional)
                        REFUSE("a plain * in a positional format");
                    TAKE(0, "i");
                }
            } else {
                while (*p >= '0' && *p <= '9')
                    p++;
            }
        }
        char len[3] = "";
        if ((p[0] == 'h' && p[1] == 'h') || (p[0] == 'l' && p[1] == 'l')) {
            memcpy(len, p, 2);
            p += 2;
        } else if (*p && strchr("hljztL", *p)) {
            len[0] = *p++;
        }
        char cls;
        switch (*p) {
        case 'd': case 'i': case 'c': cls = 'i'; break;
        case 'u': case 'o': case 'x': case 'X': cls = 'u'; break;
        case 's': cls = 's'; break;
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': case 'a': case 'A': cls = 'f'; break;
        case 'p': cls = 'p'; break;
        default: REFUSE("unknown conversion '%c'", *p ? *p : '0');
        }
        char t[4];
        snprintf(t, sizeof t, "%s%c", len, cls);
        TAKE(argno, t);
        if (!*p)
            break;
    }
    for (int k = 0; k < max; k++)
        if (!types[k][0])
            REFUSE("argument %d is never read", k + 1);
    return max;
#undef TAKE
#undef REFUSE
}

/* NULL when b reads the arguments a reads; else why not. */
static const char *same_arguments(const char *a, const char *b)
{
    static char why[256];
    char ta[MAX_ARGS][4], tb[MAX_ARGS][4], wa[128] = "", wb[128] = "";
    int na = conversions(a, ta, wa, sizeof wa), nb = conversions(b, tb, wb, sizeof wb);
    if (na < 0) {
        snprintf(why, sizeof why, "the id: %s", wa);
        return why;
    }
    if (nb < 0) {
        snprintf(why, sizeof why, "the translation: %s", wb);
        return why;
    }
    if (na != nb) {
        snprintf(why, sizeof why, "%d arguments, the translation reads %d", na, nb);
        return why;
    }
    for (int k = 0; k < na; k++)
        if (strcmp(ta[k], tb[k])) {
            snprintf(why, sizeof why, "argument %d is %s, the translation reads %s", k + 1, ta[k], tb[k]);
            return why;
        }
    return NULL;
}

static int percent_signs(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '%';
    return n;
}

Test(diag_zh, the_checker_accepts_and_refuses)
{
    cr_assert_null(same_arguments("%s '%.*s' (line %ld)", "%1$s '%3$.*2$s'（第 %4$ld 行）"));
    cr_assert_null(same_arguments("%d fields, the header has %d", "表头有 %2$d 个，该行有 %1$d 个"));
    cr_assert_null(same_arguments("%zu more, 100%%", "另有 %zu 条，100%%"));
    cr_assert_null(same_arguments("%s %s", "%2$s %1$s %2$s"), "an argument may be read twice");
    cr_assert_null(same_arguments("byte 0x%02x", "字节 0x%02x"));
    cr_assert_not_null(same_arguments("%s %d", "%d %s"), "types swapped");
    cr_assert_not_null(same_arguments("%s %d", "%s"), "an argument dropped");
    cr_assert_not_null(same_arguments("%s", "%s %s"), "an argument added");
    cr_assert_not_null(same_arguments("%ld", "%d"), "long read as int");
    cr_assert_not_null(same_arguments("%zu", "%u"), "size_t read as unsigned");
    cr_assert_not_null(same_arguments("%s %s", "%1$s %s"), "mixed positional and plain");
    cr_assert_not_null(same_arguments("%s %s", "%2$s"), "a gap in the positions");
    cr_assert_not_null(same_arguments("%s '%.*s'", "%1$s '%3$.*s'"), "a plain * in a positional format");
    cr_assert_not_null(same_arguments("%s", "%n"), "%%n is refused");
    char types[MAX_ARGS][4], why[128];
    cr_assert_lt(conversions("ends in 96%", types, why, sizeof why), 0, "a lone %% at the end");
    cr_assert_lt(conversions("ends in %l", types, why, sizeof why), 0, "a length without a conversion");
}

Test(diag_zh, every_translation_takes_the_arguments_of_its_id)
{
    size_t n;
    const diag_zh_entry *e = diag_zh_entries(&n);
    cr_assert_gt(n, 60, "the catalog has only %zu entries", n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_not_null(e[i].id);
        cr_assert_not_null(e[i].zh);
        cr_assert(e[i].zh[0], "empty translation of \"%s\"", e[i].id);
        char types[MAX_ARGS][4], why_not[128];
        if (conversions(e[i].id, types, why_not, sizeof why_not) < 0) {
            /* a '%' that begins no conversion ("96%"): a word passed as an
             * argument, never a format; the translation keeps its '%' signs */
            cr_expect_eq(percent_signs(e[i].id), percent_signs(e[i].zh), "\"%s\" -> \"%s\": the %% signs differ",
                         e[i].id, e[i].zh);
            continue;
        }
        const char *why = same_arguments(e[i].id, e[i].zh);
        cr_expect_null(why, "\"%s\" -> \"%s\": %s", e[i].id, e[i].zh, why ? why : "");
    }
}

Test(diag_zh, sorted_without_duplicates_and_all_found)
{
    size_t n;
    const diag_zh_entry *e = diag_zh_entries(&n);
    for (size_t i = 1; i < n; i++)
        cr_expect_lt(strcmp(e[i - 1].id, e[i].id), 0, "\"%s\" must come before \"%s\" (strcmp order, once)",
                     e[i - 1].id, e[i].id);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(diag_zh(e[i].id), e[i].zh, "\"%s\" is not found", e[i].id);
}

Test(diag_zh, translations_keep_the_shape_of_the_message)
{
    /* a trailing line end stays, and no translation is left in English */
    size_t n;
    const diag_zh_entry *e = diag_zh_entries(&n);
    for (size_t i = 0; i < n; i++) {
        size_t a = strlen(e[i].id), b = strlen(e[i].zh);
        cr_expect_eq(a && e[i].id[a - 1] == '\n', b && e[i].zh[b - 1] == '\n', "line end of \"%s\"", e[i].id);
        cr_expect_str_neq(e[i].id, e[i].zh, "\"%s\" is not translated", e[i].id);
    }
}

Test(diag_zh, unknown_ids_fall_back_to_english)
{
    const char *id = "a message nobody has translated: %s";
    cr_assert_eq(diag_zh(id), id);
    cr_assert_str_eq(diag_zh(""), "");
    cr_assert_null(diag_zh(NULL));
    cr_assert_str_eq(diag_zh("warning"), "警告");
    cr_assert_str_eq(diag_zh("error"), "错误");
    cr_assert_str_eq(diag_zh("note"), "提示");
}

/* ---- the sink's hook ---- */

static diag_list *D;
static strbuf out = STRBUF_INIT;
static int lookups;

static const char *counting_zh(const char *msgid)
{
    lookups++;
    return diag_zh(msgid);
}

static void setup(void)
{
    D = diag_new();
    cr_assert_not_null(D);
    lookups = 0;
}

static void teardown(void)
{
    diag_free(&D);
    strbuf_free(&out);
}

TestSuite(sink_zh, .init = setup, .fini = teardown);

Test(sink_zh, english_without_a_translator)
{
    cr_assert_null(diag_translator(D));
    const char *id = "a whole number";
    cr_assert_eq(diag_tr(D, id), id);
    cr_assert_eq(diag_tr(NULL, id), id);
    diag_add(D, DIAG_ERROR, "h.csv", 4, 0, "row rejected: %d fields, the header has %d", 3, 5);
    cr_assert_str_eq(diag_get(D, 0)->message, "row rejected: 3 fields, the header has 5");
}

Test(sink_zh, formats_and_fragments_are_translated)
{
    diag_set_translate(D, diag_zh);
    cr_assert_eq(diag_translator(D), diag_zh);
    /* positional conversions reorder the arguments */
    diag_add(D, DIAG_ERROR, "h.csv", 4, 0, "row rejected: %d fields, the header has %d", 3, 5);
    cr_assert_str_eq(diag_get(D, 0)->message, "该行被拒绝：表头有 5 个字段，该行却有 3 个");
    /* %.*s through a plain translation */
    diag_add(D, DIAG_ERROR, "h.csv", 9, 0, "row rejected: duplicate %s '%.*s' (first at line %ld)", "household_id",
             3, "H01-extra", 4L);
    cr_assert_str_eq(diag_get(D, 1)->message, "该行被拒绝：household_id 'H01' 重复（首次出现在第 4 行）");
    /* an English word passed as an argument goes through diag_tr */
    diag_add(D, DIAG_ERROR, "h.csv", 5, 7, "%s: expected %s, found '%s'", "members", diag_tr(D, "a whole number"),
             "2.5");
    cr_assert_str_eq(diag_get(D, 2)->message, "members：应为整数，实际为 '2.5'");
    /* an id the catalog lacks stays English */
    diag_add(D, DIAG_NOTE, NULL, 0, 0, "untranslated %d", 1);
    cr_assert_str_eq(diag_get(D, 3)->message, "untranslated 1");
    diag_format_tr(diag_get(D, 2), diag_zh, &out);
    cr_assert_str_eq(strbuf_str(&out), "h.csv:5:7: 错误: members：应为整数，实际为 '2.5'\n");
    strbuf_reset(&out);
    diag_format(diag_get(D, 0), &out);
    cr_assert_str_eq(strbuf_str(&out), "h.csv:4: error: 该行被拒绝：表头有 5 个字段，该行却有 3 个\n",
                     "diag_format keeps the English severity word");
}

Test(sink_zh, nothing_is_looked_up_past_the_limit)
{
    diag_set_translate(D, counting_zh);
    diag_set_limit(D, 1);
    diag_add(D, DIAG_ERROR, "h.csv", 2, 0, "no header line");
    cr_assert_eq(lookups, 1);
    for (int i = 0; i < 100; i++)
        diag_add(D, DIAG_ERROR, "h.csv", 3, 0, "row rejected: %d fields, the header has %d", i, 5);
    cr_assert_eq(lookups, 1, "entries over the limit are neither translated nor formatted");
    cr_assert_eq(diag_errors(D), 101);
    cr_assert_eq(diag_suppressed(D), 100);
    cr_assert_str_eq(diag_get(D, 0)->message, "没有表头行");
}
