/*
 * csvparse — the floor of the exitcheck benchmark: a bare, single-threaded
 * libcsv parse of one CSV file that counts records and fields and does
 * nothing else (no value parsing, no evaluation, no output but the counts).
 *
 *   cc -O2 -o csvparse bench/csvparse.c -lcsv
 *   csvparse FILE        prints "records N fields M" (the header included)
 *
 * exitcheck reads the same file with the same parser and also parses every
 * cell, evaluates the twelve household targets and rolls the results up, so
 * its wall time divided by this program's is the price of the check itself.
 */
#include <csv.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BUF_SIZE (1u << 20)

typedef struct {
    unsigned long long records, fields;
} counts;

static void on_field(void *data, size_t len, void *ctx)
{
    (void)data;
    (void)len;
    ((counts *)ctx)->fields++;
}

static void on_record(int term, void *ctx)
{
    (void)term;
    ((counts *)ctx)->records++;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: csvparse FILE\n");
        return 2;
    }
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 2;
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT_FINI) != 0) {
        fprintf(stderr, "csvparse: cannot initialise libcsv\n");
        return 2;
    }
    char *buf = malloc(BUF_SIZE);
    if (!buf) {
        fprintf(stderr, "csvparse: out of memory\n");
        return 2;
    }
    counts c = {0, 0};
    ssize_t n;
    while ((n = read(fd, buf, BUF_SIZE)) > 0) {
        if (csv_parse(&p, buf, (size_t)n, on_field, on_record, &c) != (size_t)n) {
            fprintf(stderr, "csvparse: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
            return 1;
        }
    }
    if (n < 0) {
        perror(argv[1]);
        return 2;
    }
    if (csv_fini(&p, on_field, on_record, &c) != 0) {
        fprintf(stderr, "csvparse: %s: %s\n", argv[1], csv_strerror(csv_error(&p)));
        return 1;
    }
    csv_free(&p);
    free(buf);
    close(fd);
    printf("records %llu fields %llu\n", c.records, c.fields);
    return 0;
}
