/*
 * lexer.c - scans requirement expressions into tokens.
 *
 * Numbers use the same decimal grammar as data cells (value.c), so a rule
 * author's 1.95 is the same double as a cell's "1.95". Words: and, or, not,
 * true, false; '&&', '||' and '!' are accepted as synonyms. Strings are
 * 'single' or "double" quoted, without escapes.
 */
#include "lexer.h"
#include "value.h"

const char *const tok_names[TOK__COUNT] = {
    [TOK_EOF] = "end of expression", [TOK_NUMBER] = "number",
    [TOK_IDENT] = "name", [TOK_STRING] = "string",
    [TOK_LPAREN] = "'('", [TOK_RPAREN] = "')'", [TOK_COMMA] = "','",
    [TOK_PLUS] = "'+'", [TOK_MINUS] = "'-'", [TOK_STAR] = "'*'", [TOK_SLASH] = "'/'",
    [TOK_LT] = "'<'", [TOK_LE] = "'<='", [TOK_GT] = "'>'", [TOK_GE] = "'>='",
    [TOK_EQ] = "'=='", [TOK_NE] = "'!='",
    [TOK_AND] = "'and'", [TOK_OR] = "'or'", [TOK_NOT] = "'not'",
    [TOK_TRUE] = "'true'", [TOK_FALSE] = "'false'", [TOK_ERROR] = "invalid token",
};

void lexer_init(lexer *lx, const char *src, size_t len)
{
    lx->src = src;
    lx->len = len;
    lx->pos = 0;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static int is_ident(char c) { return is_ident_start(c) || is_digit(c); }

static int word_is(const lexer *lx, size_t start, size_t len, const char *w)
{
    size_t i = 0;
    for (; i < len && w[i]; i++)
        if (lx->src[start + i] != w[i])
            return 0;
    return i == len && w[i] == '\0';
}

token lexer_next(lexer *lx)
{
    const char *s = lx->src;
    while (lx->pos < lx->len && (s[lx->pos] == ' ' || s[lx->pos] == '\t' ||
                                 s[lx->pos] == '\n' || s[lx->pos] == '\r'))
        lx->pos++;
    token t = {TOK_EOF, lx->pos, 0, 0, NULL};
    if (lx->pos >= lx->len)
        return t;
    char c = s[lx->pos];
    char d = lx->pos + 1 < lx->len ? s[lx->pos + 1] : '\0';
    size_t start = lx->pos;

    if (is_digit(c) || (c == '.' && is_digit(d))) {
        size_t i = start;
        while (i < lx->len && (is_digit(s[i]) || s[i] == '.'))
            i++;
        /* swallow letters so "1e5" or "0x10" is one bad token, not two */
        size_t end = i;
        while (end < lx->len && is_ident(s[end]))
            end++;
        t.start = start;
        t.len = end - start;
        lx->pos = end;
        if (end != i || value_parse_number(s + start, i - start, 0, &t.num)) {
            t.kind = TOK_ERROR;
            t.error = "malformed number (write plain decimals such as 95 or 1.95)";
        } else {
            t.kind = TOK_NUMBER;
        }
        return t;
    }
    if (is_ident_start(c)) {
        size_t i = start;
        while (i < lx->len && is_ident(s[i]))
            i++;
        t.len = i - start;
        lx->pos = i;
        t.kind = TOK_IDENT;
        if (word_is(lx, start, t.len, "and")) t.kind = TOK_AND;
        else if (word_is(lx, start, t.len, "or")) t.kind = TOK_OR;
        else if (word_is(lx, start, t.len, "not")) t.kind = TOK_NOT;
        else if (word_is(lx, start, t.len, "true")) t.kind = TOK_TRUE;
        else if (word_is(lx, start, t.len, "false")) t.kind = TOK_FALSE;
        return t;
    }
    if (c == '\'' || c == '"') {
        size_t i = start + 1;
        while (i < lx->len && s[i] != c)
            i++;
        if (i >= lx->len) {
            t.kind = TOK_ERROR;
            t.len = lx->len - start;
            t.error = "unterminated string";
            lx->pos = lx->len;
            return t;
        }
        t.kind = TOK_STRING;
        t.len = i + 1 - start;
        lx->pos = i + 1;
        return t;
    }
    t.len = 1;
    switch (c) {
    case '(': t.kind = TOK_LPAREN; break;
    case ')': t.kind = TOK_RPAREN; break;
    case ',': t.kind = TOK_COMMA; break;
    case '+': t.kind = TOK_PLUS; break;
    case '-': t.kind = TOK_MINUS; break;
    case '*': t.kind = TOK_STAR; break;
    case '/': t.kind = TOK_SLASH; break;
    case '<': t.kind = d == '=' ? (t.len = 2, TOK_LE) : TOK_LT; break;
    case '>': t.kind = d == '=' ? (t.len = 2, TOK_GE) : TOK_GT; break;
    case '=':
        if (d == '=') {
            t.kind = TOK_EQ;
            t.len = 2;
        } else {
            t.kind = TOK_ERROR;
            t.error = "'=' is not an operator (use '==' to compare)";
        }
        break;
    case '!': t.kind = d == '=' ? (t.len = 2, TOK_NE) : TOK_NOT; break;
    case '&':
        if (d == '&') { t.kind = TOK_AND; t.len = 2; }
        else { t.kind = TOK_ERROR; t.error = "'&' is not an operator (use 'and')"; }
        break;
    case '|':
        if (d == '|') { t.kind = TOK_OR; t.len = 2; }
        else { t.kind = TOK_ERROR; t.error = "'|' is not an operator (use 'or')"; }
        break;
    default: {
        unsigned char u = (unsigned char)c;
        size_t n = u >= 0xF0 ? 4 : u >= 0xE0 ? 3 : u >= 0xC0 ? 2 : 1;
        if (start + n > lx->len)
            n = lx->len - start;
        t.len = n;
        t.kind = TOK_ERROR;
        t.error = u >= 0x80 ? "unexpected character (names are ASCII; use the indicator id, not its Chinese header)"
                            : "unexpected character";
    }
    }
    lx->pos = start + t.len;
    return t;
}
