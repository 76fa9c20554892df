/*
 * strbuf.c - growable strings; see strbuf.h for the out-of-memory rule.
 */
#include "strbuf.h"
#include "mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int strbuf_reserve(strbuf *sb, size_t extra)
{
    if (sb->oom)
        return -1;
    if (sb->len + extra + 1 <= sb->cap)
        return 0;
    size_t ncap = sb->cap ? sb->cap : 64;
    while (ncap < sb->len + extra + 1)
        ncap *= 2;
    char *p = mem_realloc(sb->s, ncap);
    if (!p) {
        sb->oom = 1;
        return -1;
    }
    sb->s = p;
    sb->cap = ncap;
    return 0;
}

void strbuf_long(strbuf *sb, long v)
{
    char buf[24];
    char *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0UL - (unsigned long)v : (unsigned long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    strbuf_add(sb, p, (size_t)(buf + sizeof buf - p));
}

void strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof tmp) {
        strbuf_add(sb, tmp, (size_t)n);
    } else if (strbuf_reserve(sb, (size_t)n) == 0) {
        vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap2);
        sb->len += (size_t)n;
    }
    va_end(ap2);
}

void strbuf_printf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
}

void strbuf_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->s)
        sb->s[0] = '\0';
}

const char *strbuf_str(const strbuf *sb) { return sb->s ? sb->s : ""; }

void strbuf_free(strbuf *sb)
{
    mem_free(sb->s);
    sb->s = NULL;
    sb->len = sb->cap = 0;
    sb->oom = 0;
}

void strbuf_release_into(strbuf *dst, strbuf *tmp)
{
    if (tmp->oom)
        dst->oom = 1;
    strbuf_free(tmp);
}

void strbuf_num(strbuf *sb, double v)
{
    char tmp[40];
    if (v == 0) { /* also -0 */
        strbuf_putc(sb, '0');
        return;
    }
    if (!isfinite(v)) {
        strbuf_puts(sb, "null");
        return;
    }
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    /* %g may give exponents for large or tiny values; spell plain decimals
     * where that stays short, so reports read naturally. */
    if (strchr(tmp, 'e') && fabs(v) < 1e15 && fabs(v) >= 1e-6) {
        for (int prec = 0; prec <= 17; prec++) {
            snprintf(tmp, sizeof tmp, "%.*f", prec, v);
            if (strtod(tmp, NULL) == v)
                break;
        }
    }
    strbuf_puts(sb, tmp);
}

void strbuf_num_short(strbuf *sb, double v)
{
    if (!isfinite(v)) {
        strbuf_puts(sb, "null");
        return;
    }
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.3f", v);
    char *dot = strchr(tmp, '.');
    if (dot) {
        char *end = tmp + strlen(tmp) - 1;
        while (end > dot && *end == '0')
            *end-- = '\0';
        if (end == dot)
            *end = '\0';
    }
    if (strcmp(tmp, "-0") == 0)
        strcpy(tmp, "0");
    strbuf_puts(sb, tmp);
}
