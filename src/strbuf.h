/*
 * strbuf.h - a growable, always NUL-terminated byte string.
 *
 * Out of memory is sticky: after a failed growth sb->oom is set, further
 * appends are ignored, and the caller checks sb->oom once at the end.
 */
#ifndef EXITCHECK_STRBUF_H
#define EXITCHECK_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

typedef struct strbuf {
    char *s;      /* NUL-terminated; "" until the first append */
    size_t len;
    size_t cap;
    int oom;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0, 0 }

/* Makes room for n more bytes and the NUL; -1 (and oom set) when it
 * cannot. The appenders below are inline because reports and the spool
 * call them a few dozen times per household: only growth leaves the
 * header. */
int strbuf_reserve(strbuf *sb, size_t n);

static inline void strbuf_add(strbuf *sb, const char *s, size_t n)
{
    if ((sb->len + n + 1 > sb->cap || sb->oom) && strbuf_reserve(sb, n))
        return;
    memcpy(sb->s + sb->len, s, n);
    sb->len += n;
    sb->s[sb->len] = '\0';
}

static inline void strbuf_puts(strbuf *sb, const char *s) { strbuf_add(sb, s, strlen(s)); }

static inline void strbuf_putc(strbuf *sb, char c)
{
    if ((sb->len + 2 > sb->cap || sb->oom) && strbuf_reserve(sb, 1))
        return;
    sb->s[sb->len++] = c;
    sb->s[sb->len] = '\0';
}

/* Appends v in decimal, as printf's %ld would. */
void strbuf_long(strbuf *sb, long v);
void strbuf_printf(strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
void strbuf_reset(strbuf *sb);
const char *strbuf_str(const strbuf *sb);
void strbuf_free(strbuf *sb);
/* Frees tmp, a buffer that fed dst, passing its out-of-memory state on: a
 * report built from temporary buffers then fails as a whole instead of
 * silently missing text. */
void strbuf_release_into(strbuf *dst, strbuf *tmp);
/* Appends a number in the shortest form that reads back to the same double
 * ("96", "0.1", "2952.5"); locale-independent. */
void strbuf_num(strbuf *sb, double v);
/* Appends a number for people to read: at most three decimals, trailing
 * zeros dropped ("6.795", "8.2", "96"). Reports that machines read use
 * strbuf_num. */
void strbuf_num_short(strbuf *sb, double v);

#endif
