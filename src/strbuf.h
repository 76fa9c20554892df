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

typedef struct strbuf {
    char *s;      /* NUL-terminated; "" until the first append */
    size_t len;
    size_t cap;
    int oom;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0, 0 }

void strbuf_add(strbuf *sb, const char *s, size_t n);
void strbuf_puts(strbuf *sb, const char *s);
void strbuf_putc(strbuf *sb, char c);
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
