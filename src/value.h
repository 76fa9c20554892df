/*
 * value.h - the values the engine computes with, and the one way cells of
 * a CSV table become values.
 *
 * A value is three-valued at heart: a number, a boolean or a text, or
 * UNKNOWN with the reason why (missing cell, invalid cell, no column, no
 * parameter value for the year, division by zero). Missing is never read as
 * zero. Text values point into storage owned by someone else (the current
 * row, or a stored unit).
 *
 * Numbers are parsed locale-independently: [+-]digits[.digits], optionally
 * followed by '%' or a full-width '％' where the column is a percentage.
 * Exponents, hex, nan, inf, thousands separators and full-width digits are
 * rejected (convert.c reads Excel's text-mark apostrophe, '8000, itself).
 * Up to 15 significant digits the result is the correctly rounded
 * double of the decimal, so "96.0" == 96 and thresholds compare exactly.
 */
#ifndef EXITCHECK_VALUE_H
#define EXITCHECK_VALUE_H

#include <stddef.h>

typedef enum { V_UNKNOWN = 0, V_NUM, V_BOOL, V_TEXT } vkind;

typedef enum {
    WHY_NONE = 0,
    WHY_MISSING,    /* empty cell, NA, N/A, - */
    WHY_INVALID,    /* the cell could not be read (a data error) */
    WHY_NO_COLUMN,  /* the table lacks the column (partial tables) */
    WHY_NO_PARAM,   /* the parameter has no value for the row's year */
    WHY_DIV_ZERO,   /* division by zero */
    WHY_NO_DATA,    /* an aggregate over child units some of whose data is unknown */
    WHY_NO_CASE,    /* no case of a derived value applies */
    WHY__COUNT
} vwhy;

typedef struct value {
    unsigned char kind;  /* vkind */
    unsigned char why;   /* vwhy, when kind == V_UNKNOWN */
    unsigned int len;    /* text length, when kind == V_TEXT */
    union {
        double num;
        int b;
        const char *s;
    } u;
} value;

static inline value value_unknown(vwhy why) { value v = {V_UNKNOWN, (unsigned char)why, 0, {0}}; return v; }
static inline value value_num(double d) { value v = {V_NUM, 0, 0, {0}}; v.u.num = d; return v; }
static inline value value_bool(int b) { value v = {V_BOOL, 0, 0, {0}}; v.u.b = b != 0; return v; }
static inline value value_text(const char *s, size_t n) { value v = {V_TEXT, 0, (unsigned int)n, {0}}; v.u.s = s; return v; }

const char *value_why_text(vwhy why);

/* Removes leading and trailing ASCII white space and full-width spaces
 * (U+3000) from the span [*s, *s + *n). */
void value_trim_span(const char **s, size_t *n);
static inline void value_trim(const char **s, size_t *n)
{
    /* the common cell starts and ends with a byte that is neither an ASCII
     * space (all are <= ' ') nor part of U+3000 (E3 80 80): one test each */
    const unsigned char *p = (const unsigned char *)*s;
    if (*n && p[0] > ' ' && p[0] != 0xE3 && p[*n - 1] > ' ' && p[*n - 1] != 0x80)
        return;
    value_trim_span(s, n);
}
/* 1 when the (trimmed) cell means "no data": empty, NA, N/A or '-'. */
int value_is_missing(const char *s, size_t n);
/* 0 and *out set on success; -1 when s is not a number of the accepted form. */
int value_parse_number(const char *s, size_t n, int allow_percent, double *out);
/* 0 and *out set on success; -1 when s is not a recognised boolean. */
int value_parse_bool(const char *s, size_t n, int *out);
/* Excel's error values, which a formula leaves in a cell Excel saves as
 * text: "#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!",
 * "#NULL!" (and the newer "#SPILL!", "#CALC!", "#FIELD!"), in any case,
 * full-width forms (＃Ｎ／Ａ) folded. The canonical spelling, or NULL when
 * s (trimmed) is none of them. */
const char *value_excel_error(const char *s, size_t n);
/* 1 when s is the label of a totals row: 合计, 小计 or 总计 (also 合計,
 * 小計, 總計), ASCII and full-width spaces anywhere ignored ("合 计"). */
int value_is_totals(const char *s, size_t n);
/* 1 when s is digits, an optional point and digits, then E+ and digits:
 * how Excel shows a long number (an id of 13 digits as 6.21123E+12). */
int value_looks_excel_exponent(const char *s, size_t n);
/* The date of an Excel serial in its 1900 date system: serial 1 is
 * 1900-01-01, 60 the 1900-02-29 that Excel counts and the calendar does
 * not, and from 61 on 1899-12-30 plus serial days (44561 is 2021-12-31).
 * 0 with *y, *m, *d set; -1 outside 1 .. 2958465 (9999-12-31). */
int value_excel_date(long serial, int *y, int *m, int *d);
/* A short hint why s is not a number ("thousands separators are not
 * accepted", ...), or NULL when there is nothing more specific to say. */
const char *value_number_hint(const char *s, size_t n);

#endif
