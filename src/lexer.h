/*
 * lexer.h - tokens of the requirement expression language.
 *
 * The lexer works on a byte span (not NUL-terminated) and reports each
 * token's byte offset and length, so every error can put a caret under the
 * exact fault. tok_names[] is kept parallel to tok_kind.
 */
#ifndef EXITCHECK_LEXER_H
#define EXITCHECK_LEXER_H

#include <stddef.h>

typedef enum {
    TOK_EOF, TOK_NUMBER, TOK_IDENT, TOK_STRING,
    TOK_LPAREN, TOK_RPAREN, TOK_COMMA,
    TOK_PLUS, TOK_MINUS, TOK_STAR, TOK_SLASH,
    TOK_LT, TOK_LE, TOK_GT, TOK_GE, TOK_EQ, TOK_NE,
    TOK_AND, TOK_OR, TOK_NOT, TOK_TRUE, TOK_FALSE,
    TOK_ERROR,
    TOK__COUNT
} tok_kind;

extern const char *const tok_names[TOK__COUNT];

typedef struct token {
    tok_kind kind;
    size_t start, len;    /* byte span in the source */
    double num;           /* TOK_NUMBER */
    const char *error;    /* TOK_ERROR: what is wrong */
} token;

typedef struct lexer {
    const char *src;
    size_t len, pos;
} lexer;

void lexer_init(lexer *lx, const char *src, size_t len);
token lexer_next(lexer *lx);

#endif
