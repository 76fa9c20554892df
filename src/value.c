/*
 * value.c - cell parsing: trimming, missing markers, numbers, booleans.
 *
 * Invariants: parsing never allocates and never depends on the C locale;
 * every accepted spelling is listed in value.h and exitcheck(1).
 */
#include "value.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *value_why_text(vwhy why)
{
    static const char *const text[WHY__COUNT] = {
        [WHY_NONE] = "known",
        [WHY_MISSING] = "missing",
        [WHY_INVALID] = "invalid",
        [WHY_NO_COLUMN] = "no such column",
        [WHY_NO_PARAM] = "no parameter value",
        [WHY_DIV_ZERO] = "division by zero",
        [WHY_NO_DATA] = "incomplete child data",
        [WHY_NO_CASE] = "no case applies",
    };
    return why < WHY__COUNT ? text[why] : "unknown";
}

static int is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

void value_trim_span(const char **sp, size_t *np)
{
    const unsigned char *s = (const unsigned char *)*sp;
    size_t n = *np;
    for (;;) {
        if (n && is_ascii_space(s[0])) {
            s++, n--;
        } else if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
            s += 3, n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        if (n && is_ascii_space(s[n - 1])) {
            n--;
        } else if (n >= 3 && s[n - 3] == 0xE3 && s[n - 2] == 0x80 && s[n - 1] == 0x80) {
            n -= 3;
        } else {
            break;
        }
    }
    *sp = (const char *)s;
    *np = n;
}

static int eq_nocase(const char *s, size_t n, const char *word)
{
    return strlen(word) == n && strncasecmp(s, word, n) == 0;
}

int value_is_missing(const char *s, size_t n)
{
    if (n == 0)
        return 1;
    if (n > 3 || (s[0] != 'N' && s[0] != 'n' && s[0] != '-'))
        return 0; /* the common case, decided by one byte */
    if (n == 1)
        return s[0] == '-';
    /* "no" is a common cell: compare bytes, no library call */
    if (s[0] == '-')
        return 0;
    if (n == 2)
        return (s[1] | 0x20) == 'a';
    return s[1] == '/' && (s[2] | 0x20) == 'a';
}

static const double pow10_exact[] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

int value_parse_number(const char *s, size_t n, int allow_percent, double *out)
{
    if (allow_percent) {
        if (n >= 1 && s[n - 1] == '%') {
            n--;
        } else if (n >= 3 && (unsigned char)s[n - 3] == 0xEF &&
                   (unsigned char)s[n - 2] == 0xBC && (unsigned char)s[n - 1] == 0x85) {
            n -= 3; /* U+FF05 FULLWIDTH PERCENT SIGN */
        }
        while (n && s[n - 1] == ' ')
            n--;
    }
    size_t i = 0;
    int neg = 0;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (n - i <= 15) {
        /* the common cell: at most 15 digits, so the mantissa is exact
         * whatever its leading zeros; the same result as below */
        uint64_t m = 0;
        size_t dot = 0, nd = 0;
        int ok = 1;
        for (size_t k = i; k < n; k++) {
            unsigned d = (unsigned char)s[k] - (unsigned)'0';
            if (d <= 9) {
                m = m * 10 + d;
                nd++;
            } else if (s[k] == '.' && !dot) {
                dot = k + 1;
            } else {
                ok = 0;
                break;
            }
        }
        if (ok) {
            if (nd == 0)
                return -1;
            double v = (double)m / pow10_exact[dot ? n - dot : 0];
            *out = neg ? -v : v;
            return 0;
        }
    }
    uint64_t mant = 0;
    int sig = 0, frac = 0, digits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (sig || s[i] != '0') {
            if (sig < 19)
                mant = mant * 10 + (uint64_t)(s[i] - '0');
            sig++;
        }
        digits++, i++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (sig || s[i] != '0') {
                if (sig < 19)
                    mant = mant * 10 + (uint64_t)(s[i] - '0');
                sig++;
            }
            if (sig <= 19)
                frac++;
            digits++, i++;
        }
    }
    if (digits == 0 || i != n)
        return -1;
    double v;
    if (sig <= 15 && frac <= 22) {
        /* both operands are exact doubles: one correctly rounded division */
        v = (double)mant / pow10_exact[frac];
    } else {
        /* long spellings: hand the validated text to strtod ('.' is the
         * decimal point: exitcheck never changes LC_NUMERIC) */
        char buf[512];
        if (n >= sizeof buf)
            return -1;
        memcpy(buf, s, n);
        buf[n] = '\0';
        v = strtod(buf, NULL);
        if (!isfinite(v))
            return -1; /* hundreds of digits: beyond any double */
        neg = 0;
    }
    *out = neg ? -v : v;
    return 0;
}

int value_parse_bool(const char *s, size_t n, int *out)
{
    /* the common spellings first, without a table walk */
    if (n == 3 && (s[0] | 0x20) == 'y' && (s[1] | 0x20) == 'e' && (s[2] | 0x20) == 's')
        return *out = 1, 0;
    if (n == 2 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'o')
        return *out = 0, 0;
    if (n == 1 && (s[0] == '1' || s[0] == '0'))
        return *out = s[0] == '1', 0;
    /* ticks and crosses as paper forms use them: √ ✓ ✔ and × ✗ ✘ */
    static const char *const yes[] = {"yes", "y", "true", "1", "是", "有", "√", "✓", "✔", NULL};
    static const char *const no[] = {"no", "n", "false", "0", "否", "无", "無", "×", "✗", "✘", NULL};
    for (int i = 0; yes[i]; i++)
        if (eq_nocase(s, n, yes[i]))
            return *out = 1, 0;
    for (int i = 0; no[i]; i++)
        if (eq_nocase(s, n, no[i]))
            return *out = 0, 0;
    return -1;
}

const char *value_number_hint(const char *s, size_t n)
{
    int digits = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            digits++;
        if (c == ',' && digits)
            return "thousands separators are not accepted: write 1234.5, not 1,234.5";
        if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBC &&
            (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99)
            return "full-width digits are not accepted: use ASCII digits";
        if ((c == 'e' || c == 'E') && digits)
            return "exponents are not accepted: write the number in full";
        if (c == '%' || (c == 0xEF && i + 2 < n && (unsigned char)s[i + 2] == 0x85))
            return "a percent sign is accepted only on percentage columns";
    }
    if (n && s[0] >= '0' && s[0] <= '9') {
        size_t i = 0;
        while (i < n && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
            i++;
        if (i < n && ((unsigned char)s[i] >= 0x80 || (s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')) &&
            s[i] != 'e' && s[i] != 'E' && s[i] != 'x' && s[i] != 'X')
            return "write the number alone, without a unit";
    }
    if (n > 300)
        return "the number is too large";
    if (eq_nocase(s, n, "nan") || eq_nocase(s, n, "inf") || eq_nocase(s, n, "infinity"))
        return "nan and infinity are not numbers of any indicator";
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        return "hexadecimal numbers are not accepted";
    return NULL;
}

/* The code point of the UTF-8 sequence at s[*i] (advancing *i), folding
 * full-width ASCII (U+FF01..U+FF5E) to ASCII; -1 on a malformed byte. */
static long fold_char(const unsigned char *s, size_t n, size_t *i)
{
    unsigned char c = s[*i];
    if (c < 0x80)
        return (*i)++, c;
    if (c == 0xEF && *i + 2 < n && (s[*i + 1] == 0xBC || s[*i + 1] == 0xBD) && (s[*i + 2] & 0xC0) == 0x80) {
        long cp = 0xF000L | ((long)(s[*i + 1] & 0x3F) << 6) | (s[*i + 2] & 0x3F);
        *i += 3;
        return cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp;
    }
    return -1;
}

const char *value_excel_error(const char *s, size_t n)
{
    static const char *const errors[] = {"#N/A",   "#DIV/0!", "#VALUE!", "#REF!",  "#NAME?", "#NUM!",
                                         "#NULL!", "#SPILL!", "#CALC!",  "#FIELD!", NULL};
    if (n < 3 || n > 40 || (s[0] != '#' && (unsigned char)s[0] != 0xEF))
        return NULL; /* the common cell, decided by one byte */
    char folded[16];
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        long c = fold_char((const unsigned char *)s, n, &i);
        if (c < 0 || c >= 0x80 || k + 1 >= sizeof folded)
            return NULL;
        folded[k++] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    }
    folded[k] = '\0';
    for (int e = 0; errors[e]; e++)
        if (strcmp(folded, errors[e]) == 0)
            return errors[e];
    return NULL;
}

int value_is_totals(const char *s, size_t n)
{
    static const char *const words[] = {"合计", "小计", "总计", "合計", "小計", "總計", NULL};
    if (n < 6 || n > 64)
        return 0;
    char buf[64];
    size_t k = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        if (is_ascii_space(p[i]))
            continue;
        if (i + 2 < n && p[i] == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) {
            i += 2; /* U+3000 IDEOGRAPHIC SPACE */
            continue;
        }
        if (k == 0 && (p[i] < 0xE5 || p[i] > 0xE7))
            return 0; /* the common cell: 合, 小, 总, 總 all begin with E5..E7 */
        buf[k++] = (char)p[i];
    }
    for (int w = 0; words[w]; w++)
        if (strlen(words[w]) == k && memcmp(words[w], buf, k) == 0)
            return 1;
    return 0;
}

int value_looks_excel_exponent(const char *s, size_t n)
{
    /* digits [. digits] E+ digits: how Excel's General format shows a
     * number of more than 11 digits (6.21123E+12) */
    size_t i = 0, d = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++, d++;
    if (!d)
        return 0;
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == f)
            return 0;
    }
    if (i + 2 >= n || (s[i] != 'E' && s[i] != 'e') || s[i + 1] != '+')
        return 0;
    i += 2;
    size_t e = i;
    while (i < n && s[i] >= '0' && s[i] <= '9')
        i++;
    return i == n && i > e;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (Howard Hinnant's days_from_civil). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int value_excel_date(long serial, int *y, int *m, int *d)
{
    if (serial < 1 || serial > 2958465) /* 1900-01-01 .. 9999-12-31 */
        return -1;
    if (serial == 60) {
        /* Excel's 1900 system counts 1900-02-29, a day that never was
         * (Lotus 1-2-3's leap-year mistake, kept for compatibility) */
        *y = 1900, *m = 2, *d = 29;
        return 0;
    }
    /* before it, serial 1 is 1900-01-01; after it, every serial is one
     * day later than a count from 1899-12-31 would make it */
    long base = days_from_civil(1899, 12, serial < 60 ? 31 : 30);
    civil_from_days(base + serial, y, m, d);
    return 0;
}
