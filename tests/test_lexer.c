/*
 * test_lexer.c - tokens of the requirement language (src/lexer.h): kinds
 * and byte spans, the '&&' '||' '!' synonyms, '==' against a lone '=',
 * strings, malformed numbers ("1e5", "0x10") as one error token, non-ASCII
 * characters, spans that are not NUL-terminated, and tok_names[].
 */
#include <criterion/criterion.h>

#include <string.h>

#include "lexer.h"

enum { MAXTOK = 32 };

/* Lexes src up to and including the first TOK_EOF; returns the count. */
static size_t lex_all(const char *src, size_t len, token *out)
{
    lexer lx;
    lexer_init(&lx, src, len);
    size_t n = 0;
    for (;;) {
        cr_assert_lt(n, (size_t)MAXTOK, "too many tokens in '%s'", src);
        out[n] = lexer_next(&lx);
        if (out[n++].kind == TOK_EOF)
            return n;
    }
}

static size_t lex(const char *src, token *out) { return lex_all(src, strlen(src), out); }

static void expect_tok(const token *t, tok_kind kind, size_t start, size_t len)
{
    cr_assert_eq(t->kind, kind, "token at %zu: kind %s, expected %s", t->start, tok_names[t->kind], tok_names[kind]);
    cr_assert_eq(t->start, start, "%s: start %zu, expected %zu", tok_names[kind], t->start, start);
    cr_assert_eq(t->len, len, "%s at %zu: length %zu, expected %zu", tok_names[kind], start, t->len, len);
}

Test(lexer, kinds_and_spans)
{
    token t[MAXTOK];
    /*               0123456789012345678901234567 */
    size_t n = lex("a_1 >= 96 and (b or not c2)", t);
    cr_assert_eq(n, 11);
    expect_tok(&t[0], TOK_IDENT, 0, 3);
    expect_tok(&t[1], TOK_GE, 4, 2);
    expect_tok(&t[2], TOK_NUMBER, 7, 2);
    cr_assert(t[2].num == 96);
    expect_tok(&t[3], TOK_AND, 10, 3);
    expect_tok(&t[4], TOK_LPAREN, 14, 1);
    expect_tok(&t[5], TOK_IDENT, 15, 1);
    expect_tok(&t[6], TOK_OR, 17, 2);
    expect_tok(&t[7], TOK_NOT, 20, 3);
    expect_tok(&t[8], TOK_IDENT, 24, 2);
    expect_tok(&t[9], TOK_RPAREN, 26, 1);
    expect_tok(&t[10], TOK_EOF, 27, 0);
}

Test(lexer, operators)
{
    token t[MAXTOK];
    size_t n = lex("+-*/ < <= > >= == != , ( )", t);
    static const tok_kind want[] = {TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH, TOK_LT, TOK_LE, TOK_GT,
                                    TOK_GE, TOK_EQ, TOK_NE, TOK_COMMA, TOK_LPAREN, TOK_RPAREN, TOK_EOF};
    cr_assert_eq(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(t[i].kind, want[i], "token %zu is %s, expected %s", i, tok_names[t[i].kind], tok_names[want[i]]);
    expect_tok(&t[5], TOK_LE, 7, 2);
    expect_tok(&t[9], TOK_NE, 18, 2);
}

Test(lexer, symbol_synonyms)
{
    token t[MAXTOK];
    /*               0123456789012 */
    size_t n = lex("x && y || !z", t);
    cr_assert_eq(n, 7);
    expect_tok(&t[1], TOK_AND, 2, 2);
    expect_tok(&t[3], TOK_OR, 7, 2);
    expect_tok(&t[4], TOK_NOT, 10, 1);
    expect_tok(&t[5], TOK_IDENT, 11, 1);
    /* '!=' is not '!' followed by '=' */
    n = lex("!x != y", t);
    expect_tok(&t[0], TOK_NOT, 0, 1);
    expect_tok(&t[2], TOK_NE, 3, 2);
}

Test(lexer, single_ampersand_and_bar_are_errors)
{
    token t[MAXTOK];
    lex("a & b", t);
    expect_tok(&t[1], TOK_ERROR, 2, 1);
    cr_assert_not_null(strstr(t[1].error, "and"), "the message should suggest 'and': %s", t[1].error);
    lex("a | b", t);
    expect_tok(&t[1], TOK_ERROR, 2, 1);
    cr_assert_not_null(strstr(t[1].error, "or"), "the message should suggest 'or': %s", t[1].error);
}

Test(lexer, double_equals_versus_single)
{
    token t[MAXTOK];
    lex("a == 1", t);
    expect_tok(&t[1], TOK_EQ, 2, 2);
    lex("a = 1", t);
    expect_tok(&t[1], TOK_ERROR, 2, 1);
    cr_assert_not_null(t[1].error);
    cr_assert_not_null(strstr(t[1].error, "=="), "the message should suggest '==': %s", t[1].error);
    /* a '=' at the very end */
    lex("a =", t);
    expect_tok(&t[1], TOK_ERROR, 2, 1);
}

Test(lexer, keywords_are_whole_lowercase_words)
{
    token t[MAXTOK];
    lex("true false and_x notx oracle AND", t);
    expect_tok(&t[0], TOK_TRUE, 0, 4);
    expect_tok(&t[1], TOK_FALSE, 5, 5);
    expect_tok(&t[2], TOK_IDENT, 11, 5);
    expect_tok(&t[3], TOK_IDENT, 17, 4);
    expect_tok(&t[4], TOK_IDENT, 22, 6);
    expect_tok(&t[5], TOK_IDENT, 29, 3);
}

Test(lexer, strings)
{
    token t[MAXTOK];
    size_t n = lex("t == 'abc' or t == \"x y\"", t);
    cr_assert_eq(n, 8);
    expect_tok(&t[2], TOK_STRING, 5, 5);
    expect_tok(&t[6], TOK_STRING, 19, 5);
    /* the other quote kind inside a string is just a character */
    lex("'it\"s'", t);
    expect_tok(&t[0], TOK_STRING, 0, 6);
    lex("''", t);
    expect_tok(&t[0], TOK_STRING, 0, 2);
}

Test(lexer, unterminated_string)
{
    token t[MAXTOK];
    size_t n = lex("x == 'abc", t);
    cr_assert_eq(n, 4);
    expect_tok(&t[2], TOK_ERROR, 5, 4);
    cr_assert_not_null(strstr(t[2].error, "unterminated"), "%s", t[2].error);
    expect_tok(&t[3], TOK_EOF, 9, 0);
}

Test(lexer, numbers)
{
    token t[MAXTOK];
    lex("1.95 .5 0 100", t);
    expect_tok(&t[0], TOK_NUMBER, 0, 4);
    cr_assert(t[0].num == 1.95, "1.95 lexed as %.17g", t[0].num);
    expect_tok(&t[1], TOK_NUMBER, 5, 2);
    cr_assert(t[1].num == 0.5);
    cr_assert(t[2].num == 0);
    cr_assert(t[3].num == 100);
    /* a sign is an operator, not part of the number */
    lex("-3", t);
    expect_tok(&t[0], TOK_MINUS, 0, 1);
    expect_tok(&t[1], TOK_NUMBER, 1, 1);
}

Test(lexer, malformed_numbers_are_one_token)
{
    static const char *const bad[] = {"1e5", "0x10", "1.2.3", "12abc", "1E5", "3_000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        token t[MAXTOK];
        size_t n = lex(bad[i], t);
        cr_assert_eq(n, 2, "'%s' should be one token and EOF, got %zu tokens", bad[i], n);
        expect_tok(&t[0], TOK_ERROR, 0, strlen(bad[i]));
        cr_assert_not_null(t[0].error);
        cr_assert_not_null(strstr(t[0].error, "number"), "%s", t[0].error);
        cr_assert_eq(t[1].kind, TOK_EOF);
    }
    /* inside an expression the error covers the whole word */
    token t[MAXTOK];
    lex("x > 1e5 and y", t);
    expect_tok(&t[2], TOK_ERROR, 4, 3);
    expect_tok(&t[3], TOK_AND, 8, 3);
}

Test(lexer, non_ascii_character)
{
    token t[MAXTOK];
    /* 收 is 3 bytes of UTF-8: one error token spans the whole character */
    lex("收入 > 1", t);
    expect_tok(&t[0], TOK_ERROR, 0, 3);
    cr_assert_not_null(strstr(t[0].error, "ASCII"), "the message should say names are ASCII: %s", t[0].error);
    lex("x > 1 ＋ 2", t); /* full-width plus */
    expect_tok(&t[3], TOK_ERROR, 6, 3);
    lex("x ?", t);
    expect_tok(&t[1], TOK_ERROR, 2, 1);
    cr_assert_not_null(t[1].error);
    /* a truncated UTF-8 lead byte at the end does not run past the span */
    lex("x \xE6", t);
    expect_tok(&t[1], TOK_ERROR, 2, 1);
}

Test(lexer, whitespace_and_eof)
{
    token t[MAXTOK];
    size_t n = lex(" \t\r\n x \n", t);
    cr_assert_eq(n, 2);
    expect_tok(&t[0], TOK_IDENT, 5, 1);
    expect_tok(&t[1], TOK_EOF, 8, 0);
    n = lex("", t);
    cr_assert_eq(n, 1);
    expect_tok(&t[0], TOK_EOF, 0, 0);

    /* EOF repeats */
    lexer lx;
    lexer_init(&lx, "x", 1);
    cr_assert_eq(lexer_next(&lx).kind, TOK_IDENT);
    cr_assert_eq(lexer_next(&lx).kind, TOK_EOF);
    cr_assert_eq(lexer_next(&lx).kind, TOK_EOF);
}

Test(lexer, span_is_not_nul_terminated)
{
    token t[MAXTOK];
    size_t n = lex_all("abc def", 3, t);
    cr_assert_eq(n, 2);
    expect_tok(&t[0], TOK_IDENT, 0, 3);
    n = lex_all("96.5%", 2, t);
    expect_tok(&t[0], TOK_NUMBER, 0, 2);
    cr_assert(t[0].num == 96);
    n = lex_all("'abc'", 4, t);
    expect_tok(&t[0], TOK_ERROR, 0, 4); /* the closing quote is outside the span */
    n = lex_all("a<=", 2, t);
    expect_tok(&t[1], TOK_LT, 1, 1);
}

Test(lexer, token_names_cover_every_kind)
{
    for (int k = 0; k < TOK__COUNT; k++) {
        cr_assert_not_null(tok_names[k], "tok_names[%d] is NULL", k);
        cr_assert_gt(strlen(tok_names[k]), 0, "tok_names[%d] is empty", k);
        for (int j = 0; j < k; j++)
            cr_assert_str_neq(tok_names[k], tok_names[j], "tok_names[%d] and [%d] are the same", j, k);
    }
}
