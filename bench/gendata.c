/*
 * gendata — writes synthetic exitcheck input tables: county.csv, village.csv
 * and household.csv with the Gansu pack's column names, a realistic mix of
 * units that meet and fail their targets, true and wrong exit claims, missing
 * cells and village figures that disagree with the household data.
 *
 *   gendata [--out DIR] [--seed N] [--year Y] [--counties N] [--villages N]
 *           [--households N] [--demo] [--only household|village|county]
 *
 * The output is deterministic: for a given seed and set of arguments the files
 * are byte-identical on every machine (own PRNG, integer arithmetic only,
 * locale-independent number formatting). Households are generated village by
 * village and streamed straight to disk, so memory use does not grow with the
 * number of households, counties or villages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define IO_BUFFER_SIZE (1u << 20)
#define LINE_CAP 2048
#define PPM 1000000u /* probabilities are given in parts per million */

#define MAX_COUNTIES 1000
#define MAX_VILLAGES 999 /* the village number has three digits */
#define MAX_HOUSEHOLDS 2000000000LL

#define DEFAULT_COUNTIES 1
#define DEFAULT_VILLAGES 200
#define DEFAULT_HOUSEHOLDS 10000
#define DEFAULT_YEAR 2016

#define DEMO_COUNTY_ID 621123
#define DEMO_COUNTY_NAME "渭源县"
#define DEMO_VILLAGES 217
#define DEMO_HOUSEHOLDS 3000
#define BASE_COUNTY_ID 620101

/* ---------------------------------------------------------------------------
 * Column names (SPEC §3), in output order.
 */

enum household_column {
    HC_HOUSEHOLD_ID, HC_VILLAGE_ID, HC_COUNTY_ID, HC_YEAR, HC_MEMBERS,
    HC_CLAIMED_EXIT, HC_INCOME, HC_CONSUMPTION, HC_HOUSE_SAFE, HC_HOUSE_AREA,
    HC_SAFE_WATER, HC_TAP_FEASIBLE, HC_TAP_WATER, HC_SCHOOL_AGE,
    HC_DROPOUTS, HC_MAIN_LABORERS, HC_TRAINED, HC_INCOME_SOURCE, HC_NCMS,
    HC_PENSION_ELIGIBLE, HC_PENSION_ENROLLED, HC_TOILET, HC_PHONE,
    HC_RADIO_TV, HC_INTERNET, HC_DEBT_ILLNESS, HC_DEBT_SCHOOLING,
    HC_DEBT_MARRIAGE, HC_COUNT
};

static const char *const household_columns[HC_COUNT] = {
    "household_id", "village_id", "county_id", "year", "members",
    "claimed_exit", "income_per_capita", "consumption_per_capita",
    "house_safe", "house_area_per_capita", "safe_water",
    "tap_water_feasible", "tap_water", "school_age_children",
    "school_dropouts", "main_laborers", "laborers_trained", "income_source",
    "ncms_enrolled", "pension_eligible", "pension_enrolled", "toilet",
    "phone", "radio_tv", "internet", "debt_illness", "debt_schooling",
    "debt_marriage"
};

static const char *const village_columns[] = {
    "village_id", "village_name", "county_id", "year", "claimed_exit",
    "population", "poor_population", "poverty_rate",
    "poor_income_per_capita", "poor_income_growth", "roads_to_town",
    "bus_routes", "hardened_road_rate", "safe_water_rate", "tap_water_rate",
    "power", "safe_house_rate", "house_area_rate", "industries",
    "education_consolidation_rate", "ncms_rate", "standard_clinics",
    "doctors", "pension_rate", "household_toilet_rate",
    "sanitary_toilet_rate", "culture_centers", "phone_rate",
    "tv_central_rate", "tv_local_rate", "internet_rate",
    "mutual_fund_associations", "two_students_willing",
    "two_students_trained"
};
#define VILLAGE_COLUMNS ((int)(sizeof village_columns / sizeof village_columns[0]))

static const char *const county_columns[] = {
    "county_id", "county_name", "year", "claimed_exit", "rural_population",
    "poor_population", "rural_income_growth", "poverty_rate",
    "poor_villages", "poor_villages_exited", "budget_revenue_growth",
    "paved_road_village_rate", "bus_village_rate",
    "natural_village_road_rate", "safe_water_rate", "tap_water_rate",
    "power_village_rate", "safe_house_rate", "house_area_rate",
    "education_consolidation_rate", "ncms_rate",
    "culture_room_village_rate", "culture_facility_rate",
    "standard_clinic_rate", "doctors_per_thousand", "pension_rate",
    "household_toilet_rate", "sanitary_toilet_rate", "phone_rate",
    "tv_central_rate", "tv_local_rate", "internet_rate",
    "mutual_fund_village_rate", "water_per_agri_value",
    "social_safety_index"
};
#define COUNTY_COLUMNS ((int)(sizeof county_columns / sizeof county_columns[0]))

/* ---------------------------------------------------------------------------
 * Errors.
 */

static void die(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "gendata: %s: %s\n", msg, arg);
    else
        fprintf(stderr, "gendata: %s\n", msg);
    exit(1);
}

static void die_io(const char *what, const char *path)
{
    int err = errno;
    fprintf(stderr, "gendata: cannot %s %s: %s\n", what, path,
            err ? strerror(err) : "I/O error");
    exit(1);
}

/* ---------------------------------------------------------------------------
 * Random numbers: xoshiro256** seeded through splitmix64. Each county, each
 * village and each village's households draw from their own stream, derived
 * from the seed and the unit's position, so one table can be written without
 * the others and still come out identical.
 */

typedef struct {
    uint64_t s[4];
} Rng;

enum stream_kind {
    STREAM_WEIGHT = 1, STREAM_HOUSEHOLDS, STREAM_VILLAGE, STREAM_COUNTY,
    STREAM_NAMES
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* A 64-bit hash of (seed, kind, a, b). */
static uint64_t stream_key(uint64_t seed, unsigned kind, uint64_t a, uint64_t b)
{
    uint64_t x = seed;
    uint64_t h = splitmix64(&x);
    x = h ^ ((uint64_t)kind * 0xd6e8feb86659fd93ULL);
    h = splitmix64(&x);
    x = h ^ (a * 0xa0761d6478bd642fULL);
    h = splitmix64(&x);
    x = h ^ (b * 0xe7037ed1a0b428dbULL);
    return splitmix64(&x);
}

static void rng_init(Rng *r, uint64_t seed, unsigned kind, uint64_t a, uint64_t b)
{
    uint64_t x = stream_key(seed, kind, a, b);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static uint64_t rng_next(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl64(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, n), n > 0, without modulo bias. */
static uint64_t rng_below(Rng *r, uint64_t n)
{
    uint64_t threshold = (0 - n) % n;
    for (;;) {
        uint64_t v = rng_next(r);
        if (v >= threshold)
            return v % n;
    }
}

/* Uniform in [lo, hi]. */
static int64_t rng_range(Rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)rng_below(r, (uint64_t)(hi - lo) + 1);
}

/* Triangular on [lo, hi]: the sum of two uniforms, peaked in the middle. */
static int64_t rng_tri(Rng *r, int64_t lo, int64_t hi)
{
    int64_t span = hi - lo, half = span / 2;
    return lo + rng_range(r, 0, half) + rng_range(r, 0, span - half);
}

static int rng_chance(Rng *r, unsigned ppm)
{
    return rng_below(r, PPM) < ppm;
}

static int rng_weighted(Rng *r, const unsigned *weights, int n)
{
    unsigned total = 0;
    for (int i = 0; i < n; i++)
        total += weights[i];
    unsigned v = (unsigned)rng_below(r, total);
    for (int i = 0; i < n; i++) {
        if (v < weights[i])
            return i;
        v -= weights[i];
    }
    return n - 1;
}

/* ---------------------------------------------------------------------------
 * Output: rows are formatted into a line buffer with our own integer
 * formatting and written to a fully buffered stdio stream.
 */

typedef struct {
    FILE *fp;   /* NULL when this table is not written */
    char *path;
    char *buf;
    uint64_t rows;
} Sink;

typedef struct {
    char buf[LINE_CAP];
    size_t len;
    int fields;
} Line;

static void line_begin(Line *l)
{
    l->len = 0;
    l->fields = 0;
}

/* Starts a new cell with room for n more bytes. */
static char *cell_open(Line *l, size_t n)
{
    if (LINE_CAP - l->len < n + 2)
        die("internal error", "row too long");
    if (l->fields++)
        l->buf[l->len++] = ',';
    return l->buf + l->len;
}

static size_t fmt_u64(char *p, uint64_t v)
{
    char tmp[20];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    return n;
}

static void cell_empty(Line *l)
{
    cell_open(l, 0);
}

static void cell_int(Line *l, int64_t v)
{
    char *p = cell_open(l, 21);
    size_t n = 0;
    if (v < 0) {
        p[n++] = '-';
        n += fmt_u64(p + n, (uint64_t)0 - (uint64_t)v);
    } else {
        n = fmt_u64(p, (uint64_t)v);
    }
    l->len += n;
}

/* A value held in tenths, printed with one decimal or none if it is whole. */
static void cell_tenths(Line *l, int64_t t)
{
    char *p = cell_open(l, 23);
    size_t n = 0;
    uint64_t a = t < 0 ? (uint64_t)0 - (uint64_t)t : (uint64_t)t;
    if (t < 0)
        p[n++] = '-';
    n += fmt_u64(p + n, a / 10);
    if (a % 10) {
        p[n++] = '.';
        p[n++] = (char)('0' + a % 10);
    }
    l->len += n;
}

static void cell_bool(Line *l, int b)
{
    char *p = cell_open(l, 3);
    memcpy(p, b ? "yes" : "no", b ? 3 : 2);
    l->len += b ? 3 : 2;
}

/* Text, quoted only if it contains a comma, quote or line break. */
static void cell_text(Line *l, const char *s)
{
    size_t n = strlen(s);
    if (!strpbrk(s, ",\"\r\n")) {
        memcpy(cell_open(l, n), s, n);
        l->len += n;
        return;
    }
    char *p = cell_open(l, 2 * n + 2);
    size_t k = 0;
    p[k++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            p[k++] = '"';
        p[k++] = s[i];
    }
    p[k++] = '"';
    l->len += k;
}

/* An id made of a prefix followed by a zero-padded serial. */
static void cell_serial_id(Line *l, uint64_t prefix, uint64_t serial, int width)
{
    char *p = cell_open(l, 42);
    size_t n = fmt_u64(p, prefix);
    char tmp[20];
    size_t d = fmt_u64(tmp, serial);
    for (size_t i = d; i < (size_t)width; i++)
        p[n++] = '0';
    memcpy(p + n, tmp, d);
    l->len += n + d;
}

static void sink_write(Sink *s, const char *data, size_t n)
{
    errno = 0;
    if (fwrite(data, 1, n, s->fp) != n)
        die_io("write", s->path);
}

static void line_emit(Line *l, Sink *s, int expected_fields)
{
    if (l->fields != expected_fields)
        die("internal error", "wrong number of fields in a row");
    l->buf[l->len++] = '\n';
    sink_write(s, l->buf, l->len);
    s->rows++;
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        die("out of memory", NULL);
    memcpy(p, dir, a);
    p[a] = '/';
    memcpy(p + a + 1, name, b + 1);
    return p;
}

static void sink_open(Sink *s, const char *dir, const char *name,
                      const char *const *columns, int ncolumns, const char *extra)
{
    s->path = join_path(dir, name);
    s->rows = 0;
    errno = 0;
    s->fp = fopen(s->path, "wb");
    if (!s->fp)
        die_io("open", s->path);
    s->buf = malloc(IO_BUFFER_SIZE);
    if (!s->buf)
        die("out of memory", NULL);
    if (setvbuf(s->fp, s->buf, _IOFBF, IO_BUFFER_SIZE) != 0)
        die_io("set up buffering for", s->path);
    for (int i = 0; i < ncolumns; i++) {
        errno = 0;
        if ((i && fputc(',', s->fp) == EOF) || fputs(columns[i], s->fp) == EOF)
            die_io("write", s->path);
    }
    errno = 0;
    if ((extra && fputs(extra, s->fp) == EOF) || fputc('\n', s->fp) == EOF)
        die_io("write", s->path);
}

static void sink_close(Sink *s)
{
    if (!s->fp)
        return;
    errno = 0;
    if (fflush(s->fp) != 0 || ferror(s->fp))
        die_io("write", s->path);
    errno = 0;
    if (fclose(s->fp) != 0)
        die_io("close", s->path);
    s->fp = NULL;
    free(s->buf);
    free(s->path);
    s->buf = NULL;
    s->path = NULL;
}

/* ---------------------------------------------------------------------------
 * Year figures the generated values are placed around: the national poverty
 * line and the province's rural per-capita disposable income (yuan). Years
 * outside the table use the nearest year.
 */

typedef struct {
    int poverty_line;
    int province_income;
} YearFigures;

static YearFigures year_figures(int year)
{
    static const YearFigures table[] = {
        {2800, 6277},  /* 2014 */
        {2855, 6936},  /* 2015 */
        {2952, 7457},  /* 2016 */
        {3040, 8076},  /* 2017 */
        {3130, 8804},  /* 2018 */
        {3218, 9629},  /* 2019 */
        {4000, 10345}, /* 2020 */
    };
    int i = year - 2014;
    if (i < 0)
        i = 0;
    if (i > 6)
        i = 6;
    return table[i];
}

/* ---------------------------------------------------------------------------
 * Options.
 */

enum only { ONLY_ALL, ONLY_HOUSEHOLD, ONLY_VILLAGE, ONLY_COUNTY };

typedef struct {
    const char *out_dir;
    uint64_t seed;
    int year;
    int counties;
    int villages;        /* per county */
    int64_t households;  /* in all */
    int demo;
    enum only only;
} Options;

static void usage(FILE *fp)
{
    fputs("usage: gendata [--out DIR] [--seed N] [--year Y] [--counties N]\n"
          "               [--villages N] [--households N] [--demo]\n"
          "               [--only household|village|county]\n"
          "\n"
          "Writes county.csv, village.csv and household.csv into DIR\n"
          "(default \".\"). --villages is per county, --households is the\n"
          "total. Defaults: seed 1, year 2016, 1 county, 200 villages,\n"
          "10000 households. --demo: one county modelled on Weiyuan County,\n"
          "Gansu (621123 渭源县), 217 villages, 3000 households, year 2016.\n"
          "The same seed and arguments always give the same files.\n", fp);
}

static void die_usage(const char *msg, const char *arg)
{
    fprintf(stderr, "gendata: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    usage(stderr);
    exit(2);
}

static uint64_t parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi)
{
    char *end;
    if (!s || !*s || *s < '0' || *s > '9')
        die_usage("expected a non-negative integer after", opt);
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        die_usage("value out of range or not a number for", opt);
    return (uint64_t)v;
}

static Options parse_options(int argc, char **argv)
{
    Options o = {".", 1, DEFAULT_YEAR, DEFAULT_COUNTIES, DEFAULT_VILLAGES,
                 DEFAULT_HOUSEHOLDS, 0, ONLY_ALL};
    int set_year = 0, set_villages = 0, set_households = 0;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char name[32];
        const char *eq = strchr(a, '=');
        size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
        if (nlen >= sizeof name)
            die_usage("unknown option", a);
        memcpy(name, a, nlen);
        name[nlen] = '\0';

        if (!strcmp(name, "--help") || !strcmp(name, "-h")) {
            usage(stdout);
            exit(0);
        }
        if (!strcmp(name, "--demo")) {
            if (eq)
                die_usage("--demo takes no value", a);
            o.demo = 1;
            continue;
        }
        if (strcmp(name, "--out") && strcmp(name, "--seed") &&
            strcmp(name, "--year") && strcmp(name, "--counties") &&
            strcmp(name, "--villages") && strcmp(name, "--households") &&
            strcmp(name, "--only"))
            die_usage("unknown option", a);
        if (eq)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else
            die_usage("missing value for", name);

        if (!strcmp(name, "--out")) {
            if (!*val)
                die_usage("empty directory for", name);
            o.out_dir = val;
        } else if (!strcmp(name, "--seed")) {
            o.seed = parse_u64(name, val, 0, UINT64_MAX);
        } else if (!strcmp(name, "--year")) {
            o.year = (int)parse_u64(name, val, 1980, 2100);
            set_year = 1;
        } else if (!strcmp(name, "--counties")) {
            o.counties = (int)parse_u64(name, val, 1, MAX_COUNTIES);
        } else if (!strcmp(name, "--villages")) {
            o.villages = (int)parse_u64(name, val, 1, MAX_VILLAGES);
            set_villages = 1;
        } else if (!strcmp(name, "--households")) {
            o.households = (int64_t)parse_u64(name, val, 0, MAX_HOUSEHOLDS);
            set_households = 1;
        } else {
            if (!strcmp(val, "household"))
                o.only = ONLY_HOUSEHOLD;
            else if (!strcmp(val, "village"))
                o.only = ONLY_VILLAGE;
            else if (!strcmp(val, "county"))
                o.only = ONLY_COUNTY;
            else
                die_usage("--only takes household, village or county, not", val);
        }
    }
    /* The demo preset fills in whatever was not given explicitly. */
    if (o.demo) {
        if (!set_year)
            o.year = 2016;
        if (!set_villages)
            o.villages = DEMO_VILLAGES;
        if (!set_households)
            o.households = DEMO_HOUSEHOLDS;
    }
    return o;
}

/* ---------------------------------------------------------------------------
 * Names.
 */

static const char *const village_prefixes[] = {
    "王家", "李家", "张家", "杨家", "赵家", "刘家", "陈家", "马家", "何家",
    "牛家", "苏家", "董家", "孙家", "罗家", "冯家", "魏家", "朱家", "郭家",
    "韩家", "高家", "上", "下", "大", "小", "东", "西", "南", "北", "前",
    "后", "新", "中", "石", "红", "青", "黄", "杏", "柳", "松", "窑"
};
static const char *const village_suffixes[] = {
    "坪", "湾", "沟", "川", "庄", "岔", "河", "山", "岭", "滩", "堡", "寨",
    "台", "源", "峪", "梁", "坡", "屯", "营", "铺", "磨", "崖", "园", "坝",
    "集"
};
#define N_VPREFIX (sizeof village_prefixes / sizeof village_prefixes[0])
#define N_VSUFFIX (sizeof village_suffixes / sizeof village_suffixes[0])
#define NAME_STRIDE 389u /* coprime with N_VPREFIX * N_VSUFFIX (1000) */

static const char *const county_first[] = {
    "安", "永", "宁", "平", "定", "清", "泰", "和", "景", "靖", "通", "临",
    "康", "华", "庆", "昌", "丰", "兴", "远", "崇"
};
static const char *const county_second[] = {
    "川", "阳", "山", "水", "原", "西", "乐", "河", "城", "谷"
};
#define N_CFIRST (sizeof county_first / sizeof county_first[0])
#define N_CSECOND (sizeof county_second / sizeof county_second[0])

/* Village names are distinct within a county (up to 1000 villages). */
static void village_name(char *buf, size_t cap, uint64_t seed, int county, int village)
{
    unsigned combos = (unsigned)(N_VPREFIX * N_VSUFFIX);
    unsigned offset = (unsigned)(stream_key(seed, STREAM_NAMES, (uint64_t)county, 0) % combos);
    unsigned idx = (offset + (unsigned)village * NAME_STRIDE) % combos;
    snprintf(buf, cap, "%s%s村", village_prefixes[idx / N_VSUFFIX],
             village_suffixes[idx % N_VSUFFIX]);
}

static void county_name(char *buf, size_t cap, const Options *o, int county)
{
    if (o->demo && county == 0) {
        snprintf(buf, cap, "%s", DEMO_COUNTY_NAME);
        return;
    }
    unsigned i = (unsigned)county;
    snprintf(buf, cap, "%s%s县", county_first[i % N_CFIRST],
             county_second[(i / N_CFIRST + i) % N_CSECOND]);
}

/* ---------------------------------------------------------------------------
 * Households. About 88% meet all twelve targets, 10% fail one or two, 2% have
 * one empty indicator cell (their outcome cannot be decided). About 30% claim
 * exit; claims are rarer among failing households, so wrong exits exist but
 * are a minority of claims.
 */

#define HH_FAIL_PPM 100000u        /* fail one or two targets */
#define HH_SECOND_FAIL_PPM 300000u /* of those, fail a second target */
#define HH_MISSING_PPM 22222u      /* of the others: one empty cell */
#define HH_CLAIM_PASS_PPM 320000u
#define HH_CLAIM_FAIL_PPM 120000u
#define HH_CLAIM_MISSING_PPM 300000u

enum failure {
    F_LOW_INCOME, F_LOW_CONSUMPTION, F_SMALL_HOUSE, F_UNSAFE_HOUSE, F_NO_TAP,
    F_UNSAFE_WATER, F_DROPOUT, F_UNTRAINED, F_NO_SOURCE, F_NCMS_GAP,
    F_PENSION_GAP, F_NO_TOILET, F_NO_INTERNET, F_DEBT_ILLNESS,
    F_DEBT_SCHOOLING, F_DEBT_MARRIAGE, F_COUNT
};

/* Relative frequency of each failure and the target (H01..H12) it breaks. */
static const unsigned failure_weight[F_COUNT] = {
    22, 4, 7, 3, 6, 2, 6, 12, 4, 4, 5, 5, 9, 8, 2, 1
};
static const int failure_target[F_COUNT] = {
    1, 12, 2, 2, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 11, 11
};

/* Indicator columns that may be left empty; each makes a target unknown. */
static const int missing_candidates[] = {
    HC_INCOME, HC_CONSUMPTION, HC_HOUSE_SAFE, HC_HOUSE_AREA, HC_SAFE_WATER,
    HC_TAP_WATER, HC_DROPOUTS, HC_MAIN_LABORERS, HC_TRAINED,
    HC_INCOME_SOURCE, HC_NCMS, HC_PENSION_ELIGIBLE, HC_PENSION_ENROLLED,
    HC_TOILET, HC_PHONE, HC_RADIO_TV, HC_INTERNET, HC_DEBT_ILLNESS,
    HC_DEBT_SCHOOLING, HC_DEBT_MARRIAGE
};
#define N_MISSING_CANDIDATES ((int)(sizeof missing_candidates / sizeof missing_candidates[0]))

typedef struct {
    int members, claim;
    int64_t income, consumption, area; /* tenths of a yuan / m² */
    int house_safe, safe_water, tap_feasible, tap_water;
    int children, dropouts, laborers, trained, income_source;
    int ncms, pension_eligible, pension_enrolled;
    int toilet, phone, radio_tv, internet;
    int debt_illness, debt_schooling, debt_marriage;
    int missing; /* column left empty, or -1 */
    int fails;   /* number of failures applied */
} Household;

static unsigned pick_failures(Rng *r)
{
    if (!rng_chance(r, HH_FAIL_PPM))
        return 0;
    int f1 = rng_weighted(r, failure_weight, F_COUNT);
    unsigned mask = 1u << f1;
    if (rng_chance(r, HH_SECOND_FAIL_PPM)) {
        int f2;
        do
            f2 = rng_weighted(r, failure_weight, F_COUNT);
        while (failure_target[f2] == failure_target[f1]);
        mask |= 1u << f2;
    }
    return mask;
}

static int min_int(int a, int b)
{
    return a < b ? a : b;
}

static void gen_household(Rng *r, const YearFigures *yf, Household *h)
{
    static const unsigned member_weight[7] = {7, 14, 20, 26, 18, 10, 5};
    static const unsigned child_weight[4] = {40, 30, 20, 10};
    static const unsigned laborer_weight[4] = {10, 45, 40, 5};
    unsigned fail = pick_failures(r);
#define HAS(f) ((fail >> (f)) & 1u)

    h->members = 1 + rng_weighted(r, member_weight, 7);
    if (HAS(F_DROPOUT) && h->members < 2)
        h->members = (int)rng_range(r, 2, 5);
    h->children = min_int(rng_weighted(r, child_weight, 4), min_int(3, h->members - 1));
    if (HAS(F_DROPOUT) && h->children == 0)
        h->children = 1;
    int adults = h->members - h->children;
    if (adults == 1)
        h->laborers = rng_chance(r, 700000u);
    else
        h->laborers = min_int(rng_weighted(r, laborer_weight, 4), adults);
    if (HAS(F_UNTRAINED) && h->laborers == 0)
        h->laborers = 1;
    h->trained = h->laborers;
    h->pension_eligible = adults - (int)rng_below(r, 2);
    if (HAS(F_PENSION_GAP) && h->pension_eligible == 0)
        h->pension_eligible = 1;
    h->pension_enrolled = h->pension_eligible;
    h->ncms = h->members;
    h->dropouts = 0;

    int64_t line = (int64_t)yf->poverty_line * 10;  /* tenths */
    int64_t prov = (int64_t)yf->province_income * 10;
    h->income = rng_tri(r, prov * 102 / 100, prov * 188 / 100);
    h->consumption = rng_tri(r, line * 115 / 100, line * 220 / 100);
    h->area = rng_tri(r, 300, 650);
    h->house_safe = h->safe_water = 1;
    h->tap_feasible = rng_chance(r, 880000u);
    h->tap_water = h->tap_feasible;
    h->income_source = h->toilet = h->phone = h->radio_tv = h->internet = 1;
    h->debt_illness = h->debt_schooling = h->debt_marriage = 0;

    if (HAS(F_LOW_INCOME)) {
        if (rng_chance(r, 800000u)) /* above the line, below the province */
            h->income = rng_range(r, line * 105 / 100, prov * 97 / 100);
        else
            h->income = rng_range(r, line * 60 / 100, line * 99 / 100);
    }
    if (HAS(F_LOW_CONSUMPTION))
        h->consumption = rng_range(r, line * 70 / 100, line * 98 / 100);
    if (HAS(F_SMALL_HOUSE))
        h->area = rng_range(r, 150, 295);
    if (HAS(F_UNSAFE_HOUSE))
        h->house_safe = 0;
    if (HAS(F_NO_TAP)) {
        h->tap_feasible = 1;
        h->tap_water = 0;
    }
    if (HAS(F_UNSAFE_WATER))
        h->safe_water = 0;
    if (HAS(F_DROPOUT))
        h->dropouts = 1;
    if (HAS(F_UNTRAINED))
        h->trained = h->laborers - 1;
    if (HAS(F_NO_SOURCE))
        h->income_source = 0;
    if (HAS(F_NCMS_GAP))
        h->ncms = h->members - 1;
    if (HAS(F_PENSION_GAP))
        h->pension_enrolled = h->pension_eligible - 1;
    if (HAS(F_NO_TOILET))
        h->toilet = 0;
    if (HAS(F_NO_INTERNET))
        h->internet = 0;
    if (HAS(F_DEBT_ILLNESS))
        h->debt_illness = 1;
    if (HAS(F_DEBT_SCHOOLING))
        h->debt_schooling = 1;
    if (HAS(F_DEBT_MARRIAGE))
        h->debt_marriage = 1;
#undef HAS

    h->fails = fail != 0;
    h->missing = -1;
    if (!fail && rng_chance(r, HH_MISSING_PPM)) {
        h->missing = missing_candidates[rng_below(r, N_MISSING_CANDIDATES)];
        /* Where tap water is not feasible an empty tap_water cell would not
         * matter; leave the feasibility cell empty instead. */
        if (h->missing == HC_TAP_WATER && !h->tap_feasible)
            h->missing = HC_TAP_FEASIBLE;
    }
    unsigned claim_ppm = fail ? HH_CLAIM_FAIL_PPM
                       : h->missing >= 0 ? HH_CLAIM_MISSING_PPM : HH_CLAIM_PASS_PPM;
    h->claim = rng_chance(r, claim_ppm);
}

static void hcell_int(Line *l, const Household *h, int col, int64_t v)
{
    if (h->missing == col)
        cell_empty(l);
    else
        cell_int(l, v);
}

static void hcell_tenths(Line *l, const Household *h, int col, int64_t v)
{
    if (h->missing == col)
        cell_empty(l);
    else
        cell_tenths(l, v);
}

static void hcell_bool(Line *l, const Household *h, int col, int v)
{
    if (h->missing == col)
        cell_empty(l);
    else
        cell_bool(l, v);
}

/* The status across years of a demo household (SPEC §3): registered, and
 * the year it exited if it did so before this one. Derived from its ids,
 * not drawn, so the other columns are the same with or without them. */
typedef struct {
    int on;              /* the demo writes the two columns */
    int registered;
    int exit_year;       /* 0: none */
} HouseholdStatus;

static HouseholdStatus household_status(const Household *h, int demo, int year, uint64_t village_id, uint64_t serial)
{
    HouseholdStatus st = {demo, 1, 0};
    if (!demo || h->claim)
        return st;
    unsigned sel = (unsigned)((village_id * 31u + serial * 7u) % 100u);
    if (sel < 18)
        st.exit_year = year - 1 - (int)(sel % 2); /* exited one or two years before */
    else if (sel < 22)
        st.registered = 0;                          /* listed, not in the register */
    return st;
}

static void write_household(Line *l, Sink *s, const Household *h, int year,
                            uint64_t county_id, uint64_t village_id,
                            uint64_t serial, int width, const HouseholdStatus *st)
{
    line_begin(l);
    cell_serial_id(l, village_id, serial, width);
    cell_int(l, (int64_t)village_id);
    cell_int(l, (int64_t)county_id);
    cell_int(l, year);
    cell_int(l, h->members);
    cell_bool(l, h->claim);
    hcell_tenths(l, h, HC_INCOME, h->income);
    hcell_tenths(l, h, HC_CONSUMPTION, h->consumption);
    hcell_bool(l, h, HC_HOUSE_SAFE, h->house_safe);
    hcell_tenths(l, h, HC_HOUSE_AREA, h->area);
    hcell_bool(l, h, HC_SAFE_WATER, h->safe_water);
    hcell_bool(l, h, HC_TAP_FEASIBLE, h->tap_feasible);
    hcell_bool(l, h, HC_TAP_WATER, h->tap_water);
    hcell_int(l, h, HC_SCHOOL_AGE, h->children);
    hcell_int(l, h, HC_DROPOUTS, h->dropouts);
    hcell_int(l, h, HC_MAIN_LABORERS, h->laborers);
    hcell_int(l, h, HC_TRAINED, h->trained);
    hcell_bool(l, h, HC_INCOME_SOURCE, h->income_source);
    hcell_int(l, h, HC_NCMS, h->ncms);
    hcell_int(l, h, HC_PENSION_ELIGIBLE, h->pension_eligible);
    hcell_int(l, h, HC_PENSION_ENROLLED, h->pension_enrolled);
    hcell_bool(l, h, HC_TOILET, h->toilet);
    hcell_bool(l, h, HC_PHONE, h->phone);
    hcell_bool(l, h, HC_RADIO_TV, h->radio_tv);
    hcell_bool(l, h, HC_INTERNET, h->internet);
    hcell_bool(l, h, HC_DEBT_ILLNESS, h->debt_illness);
    hcell_bool(l, h, HC_DEBT_SCHOOLING, h->debt_schooling);
    hcell_bool(l, h, HC_DEBT_MARRIAGE, h->debt_marriage);
    if (st->on) {
        cell_bool(l, st->registered);
        if (st->exit_year)
            cell_int(l, st->exit_year);
        else
            cell_empty(l);
    }
    line_emit(l, s, HC_COUNT + 2 * st->on);
}

/* ---------------------------------------------------------------------------
 * Villages. The village's figures are planned first (its poverty-rate band,
 * whether it under-reports, which target if any it misses, its claim), then
 * its households are generated, then its row is written from what the
 * households add up to.
 */

#define V_HIGH_RATE_PPM 50000u    /* poverty rate at or above 8 */
#define V_MISREPORT_PPM 30000u    /* reported rate > 1 point below the data */
#define V_MISREPORT_HIGH_PPM 600000u
#define V_FAIL_PPM 120000u        /* misses one of V03..V17 */
#define V_LOW_GROWTH_PPM 50000u   /* poor income growth below the province */
#define V_CLAIM_PASS_PPM 420000u
#define V_CLAIM_FAIL_PPM 250000u
#define V_CLAIM_MISREPORT_PPM 700000u

typedef struct {
    int rate_target; /* poverty rate aimed at, tenths of a percent */
    int misreport;
    int fail_target; /* 3..17, or 0 */
    int low_growth;
    int claim;
} VillagePlan;

typedef struct {
    int64_t households;
    int64_t people;       /* members of the listed households */
    int64_t still_poor;   /* members of households not (validly) exited */
    int64_t income_sum;   /* income tenths × members, where income is given */
    int64_t income_people;
} VillageTally;

typedef struct {
    int64_t population;
    int64_t poor_population; /* as reported */
    int villages;
    int claimed;
} CountyTally;

static VillagePlan plan_village(Rng *r)
{
    /* Targets V03..V17, weighted towards the commonest shortfalls. */
    static const unsigned fail_weight[15] = {
        2, 2, 4, 1, 2, 2, 2, 2, 3, 2, 3, 2, 4, 2, 2
    };
    VillagePlan p;
    p.misreport = rng_chance(r, V_MISREPORT_PPM);
    int high = p.misreport ? rng_chance(r, V_MISREPORT_HIGH_PPM)
                           : rng_chance(r, V_HIGH_RATE_PPM);
    p.rate_target = high ? (int)rng_range(r, 82, 110) : (int)rng_range(r, 45, 78);
    p.fail_target = rng_chance(r, V_FAIL_PPM) ? 3 + rng_weighted(r, fail_weight, 15) : 0;
    p.low_growth = rng_chance(r, V_LOW_GROWTH_PPM);
    unsigned claim_ppm = p.misreport ? V_CLAIM_MISREPORT_PPM
                       : (high || p.fail_target || p.low_growth) ? V_CLAIM_FAIL_PPM
                       : V_CLAIM_PASS_PPM;
    p.claim = rng_chance(r, claim_ppm);
    return p;
}

/* A rate in tenths of a percent, uniform in [lo, 100] percent. */
static int64_t rate_at_least(Rng *r, int lo_tenths)
{
    return rng_range(r, lo_tenths, 1000);
}

static void write_village(Line *l, Sink *s, Rng *r, const VillagePlan *p,
                          const VillageTally *t, const YearFigures *yf,
                          int year, uint64_t county_id, uint64_t village_id,
                          const char *name, CountyTally *ct, int demo)
{
    /* Population: the listed poor households are a small part of it. */
    int64_t pop, poor;
    if (t->people == 0) {
        pop = rng_range(r, 400, 2500);
    } else if (t->still_poor == 0) {
        pop = t->people * rng_range(r, 8, 15);
    } else {
        pop = (t->still_poor * 1000 + p->rate_target - 1) / p->rate_target;
        if (pop < t->people * 8)
            pop = t->people * 8;
    }
    int64_t floor_pop = rng_range(r, 150, 300);
    if (pop < floor_pop)
        pop = floor_pop;
    poor = t->still_poor;
    int64_t rate = (poor * 1000 + pop / 2) / pop; /* tenths of a percent */
    if (p->misreport && rate > 0) {
        rate -= rng_range(r, 15, 40);
        if (rate < 1)
            rate = 1;
        poor = (rate * pop + 500) / 1000;
        rate = (poor * 1000 + pop / 2) / pop;
    }

    int64_t income;
    if (t->income_people > 0)
        income = (t->income_sum + t->income_people / 2) / t->income_people;
    else
        income = rng_range(r, (int64_t)yf->province_income * 10,
                           (int64_t)yf->province_income * 13);
    int64_t growth = p->low_growth ? rng_range(r, 35, 74) : rng_range(r, 80, 150);

    /* Indicators that meet V03..V17, then the planned shortfall. */
    int64_t roads = rng_range(r, 1, 3), buses = rng_range(r, 1, 2);
    int64_t hardened = 1000, safe_water = 1000, tap = rate_at_least(r, 960);
    int power = 1;
    int64_t safe_house = 1000, house_area = rate_at_least(r, 900);
    int64_t industries = rng_range(r, 1, 4);
    int64_t education = rate_at_least(r, 950), ncms = rate_at_least(r, 960);
    int64_t clinics = 1, doctors = rng_range(r, 1, 3);
    int64_t pension = rate_at_least(r, 950);
    int64_t toilet = rate_at_least(r, 800);
    int64_t sanitary = rng_range(r, 700, toilet < 950 ? toilet : 950);
    int64_t culture = 1;
    int64_t phone = rate_at_least(r, 950), tv_central = rate_at_least(r, 980);
    int64_t tv_local = rng_range(r, 500, 1000), internet = rng_range(r, 300, 900);
    int64_t mutual = 1;
    int64_t willing = rng_range(r, 0, 12), trained = willing;

    switch (p->fail_target) {
    case 3: buses = 0; break;
    case 4: hardened = rng_range(r, 850, 990); break;
    case 5:
        if (rng_chance(r, 700000u))
            tap = rng_range(r, 850, 950);
        else
            safe_water = rng_range(r, 940, 990);
        break;
    case 6: power = 0; break;
    case 7: house_area = rng_range(r, 800, 890); break;
    case 8: industries = 0; break;
    case 9: education = rng_range(r, 900, 949); break;
    case 10: ncms = rng_range(r, 900, 949); break;
    case 11: doctors = 0; break;
    case 12: pension = rng_range(r, 880, 949); break;
    case 13: sanitary = rng_range(r, 500, 690); break;
    case 14: culture = 0; break;
    case 15: internet = rng_range(r, 100, 240); break;
    case 16: mutual = 0; break;
    case 17:
        if (willing == 0)
            willing = rng_range(r, 1, 12);
        trained = rng_range(r, 0, willing - 1);
        break;
    default: break;
    }

    ct->population += pop;
    ct->poor_population += poor;
    ct->villages++;
    ct->claimed += p->claim;
    if (!s->fp)
        return;

    line_begin(l);
    cell_int(l, (int64_t)village_id);
    cell_text(l, name);
    cell_int(l, (int64_t)county_id);
    cell_int(l, year);
    cell_bool(l, p->claim);
    cell_int(l, pop);
    cell_int(l, poor);
    cell_tenths(l, rate);
    cell_tenths(l, income);
    cell_tenths(l, growth);
    cell_int(l, roads);
    cell_int(l, buses);
    cell_tenths(l, hardened);
    cell_tenths(l, safe_water);
    cell_tenths(l, tap);
    cell_bool(l, power);
    cell_tenths(l, safe_house);
    cell_tenths(l, house_area);
    cell_int(l, industries);
    cell_tenths(l, education);
    cell_tenths(l, ncms);
    cell_int(l, clinics);
    cell_int(l, doctors);
    cell_tenths(l, pension);
    cell_tenths(l, toilet);
    cell_tenths(l, sanitary);
    cell_int(l, culture);
    cell_tenths(l, phone);
    cell_tenths(l, tv_central);
    cell_tenths(l, tv_local);
    cell_tenths(l, internet);
    cell_int(l, mutual);
    cell_int(l, willing);
    cell_int(l, trained);
    if (demo) {
        /* status across years, derived from the village's number: some
         * villages are not poor villages, some poor ones exited last year */
        unsigned v = (unsigned)(village_id % 1000u);
        int poor_village = !(p->claim == 0 && v % 9 == 4);
        cell_bool(l, poor_village);
        if (poor_village && p->claim == 0 && v % 6 == 1)
            cell_int(l, year - 1);
        else
            cell_empty(l);
    }
    line_emit(l, s, VILLAGE_COLUMNS + 2 * demo);
}

/* ---------------------------------------------------------------------------
 * Counties: most targets met; outside the demo one county in five misses
 * one of C01 or C05..C19.
 */

#define C_FAIL_PPM 200000u
#define C_CLAIM_PPM 700000u

static void write_county(Line *l, Sink *s, Rng *r, const Options *o,
                         int index, uint64_t county_id, const CountyTally *t)
{
    static const int fail_targets[] = {
        1, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19
    };
    int demo_county = o->demo && index == 0;
    int claim = demo_county ? 1 : rng_chance(r, C_CLAIM_PPM);
    int fail = 0;
    if (!demo_county && rng_chance(r, C_FAIL_PPM))
        fail = fail_targets[rng_below(r, sizeof fail_targets / sizeof fail_targets[0])];

    int64_t rate = t->population
        ? (t->poor_population * 1000 + t->population / 2) / t->population : 0;
    int64_t poor_villages = (t->villages * rng_range(r, 55, 65) + 50) / 100;
    int64_t exited = t->claimed < poor_villages ? t->claimed : poor_villages;
    int64_t income_growth = rng_range(r, 81, 115);
    int64_t budget_growth = demo_county ? 93 : rng_range(r, 50, 140);
    int64_t paved = 1000, bus = rate_at_least(r, 950);
    int64_t natural_road = rng_range(r, 700, 950);
    int64_t safe_water = 1000, tap = rate_at_least(r, 960), power = 1000;
    int64_t safe_house = 1000, house_area = rate_at_least(r, 900);
    int64_t education = rate_at_least(r, 950), ncms = rate_at_least(r, 960);
    int64_t culture_room = 1000, culture_facility = 1000;
    int64_t clinic = rate_at_least(r, 950);
    int64_t doctors = demo_county ? 21 : rng_range(r, 20, 32); /* per thousand, tenths */
    int64_t pension = rate_at_least(r, 950);
    int64_t toilet = rng_range(r, 800, 950), sanitary = rng_range(r, 700, 800);
    int64_t phone = rate_at_least(r, 950), tv_central = rate_at_least(r, 980);
    int64_t tv_local = rng_range(r, 600, 950), internet = rng_range(r, 300, 700);
    int64_t mutual = 1000;
    int64_t water = demo_county ? 12000 : rng_range(r, 9000, 14500); /* tenths of m³ */
    int64_t safety = demo_county ? 1002 : rng_range(r, 1000, 1050);

    switch (fail) {
    case 1: income_growth = rng_range(r, 50, 74); break;
    case 5: bus = rng_range(r, 850, 940); break;
    case 6: natural_road = rng_range(r, 550, 690); break;
    case 7: tap = rng_range(r, 880, 950); break;
    case 8: power = rng_range(r, 970, 995); break;
    case 9: house_area = rng_range(r, 820, 890); break;
    case 10: education = rng_range(r, 900, 945); break;
    case 11: ncms = rng_range(r, 900, 945); break;
    case 12: culture_room = rng_range(r, 900, 990); break;
    case 13: doctors = rng_range(r, 12, 19); break;
    case 14: pension = rng_range(r, 880, 945); break;
    case 15: sanitary = rng_range(r, 550, 690); break;
    case 16: internet = rng_range(r, 150, 240); break;
    case 17: mutual = rng_range(r, 850, 990); break;
    case 18: water = rng_range(r, 15100, 19000); break;
    case 19: safety = rng_range(r, 960, 998); break;
    default: break;
    }
    if (!s->fp)
        return;

    char name[64];
    county_name(name, sizeof name, o, index);
    line_begin(l);
    cell_int(l, (int64_t)county_id);
    cell_text(l, name);
    cell_int(l, o->year);
    cell_bool(l, claim);
    cell_int(l, t->population);
    cell_int(l, t->poor_population);
    cell_tenths(l, income_growth);
    cell_tenths(l, rate);
    cell_int(l, poor_villages);
    cell_int(l, exited);
    cell_tenths(l, budget_growth);
    cell_tenths(l, paved);
    cell_tenths(l, bus);
    cell_tenths(l, natural_road);
    cell_tenths(l, safe_water);
    cell_tenths(l, tap);
    cell_tenths(l, power);
    cell_tenths(l, safe_house);
    cell_tenths(l, house_area);
    cell_tenths(l, education);
    cell_tenths(l, ncms);
    cell_tenths(l, culture_room);
    cell_tenths(l, culture_facility);
    cell_tenths(l, clinic);
    cell_tenths(l, doctors);
    cell_tenths(l, pension);
    cell_tenths(l, toilet);
    cell_tenths(l, sanitary);
    cell_tenths(l, phone);
    cell_tenths(l, tv_central);
    cell_tenths(l, tv_local);
    cell_tenths(l, internet);
    cell_tenths(l, mutual);
    cell_tenths(l, water);
    cell_tenths(l, safety);
    line_emit(l, s, COUNTY_COLUMNS);
}

/* ---------------------------------------------------------------------------
 * Driver.
 */

typedef struct {
    Options opt;
    YearFigures yf;
    Sink county, village, household;
    Line line;
    uint64_t weight_total;  /* sum of all village weights */
    uint64_t weight_done;   /* weights of the villages generated so far */
    int64_t share_done;     /* households handed out by weight so far */
    int64_t base_share;     /* households every village gets first */
    int64_t weighted_pool;  /* households handed out by weight */
} Gen;

/* Relative size of a village's household list: most are middling, a tenth
 * small and a sixth several times bigger. */
static uint64_t village_weight(uint64_t seed, uint64_t global_index)
{
    uint64_t h = stream_key(seed, STREAM_WEIGHT, global_index, 0);
    unsigned kind = (unsigned)(h % 1000);
    uint64_t v = h >> 20;
    if (kind < 100)
        return 10 + v % 21;
    if (kind < 840)
        return 40 + v % 81;
    return 120 + v % 241;
}

static void plan_shares(Gen *g)
{
    uint64_t total_villages = (uint64_t)g->opt.counties * (uint64_t)g->opt.villages;
    g->weight_total = 0;
    for (uint64_t i = 0; i < total_villages; i++)
        g->weight_total += village_weight(g->opt.seed, i);
    g->base_share = g->opt.households >= (int64_t)total_villages ? 1 : 0;
    g->weighted_pool = g->opt.households - g->base_share * (int64_t)total_villages;
    g->weight_done = 0;
    g->share_done = 0;
}

/* Households of the next village: a fair share of the pool by weight, with
 * running totals so the shares add up to exactly the requested number. */
static int64_t next_share(Gen *g, uint64_t global_index)
{
    g->weight_done += village_weight(g->opt.seed, global_index);
    int64_t upto = (int64_t)(g->weight_done * (uint64_t)g->weighted_pool / g->weight_total);
    int64_t n = g->base_share + upto - g->share_done;
    g->share_done = upto;
    return n;
}

static int digits(int64_t v)
{
    int d = 1;
    while (v >= 10) {
        v /= 10;
        d++;
    }
    return d;
}

static void gen_village(Gen *g, int c, int v, uint64_t county_id, CountyTally *ct)
{
    const Options *o = &g->opt;
    int64_t n = next_share(g, (uint64_t)c * (uint64_t)o->villages + (uint64_t)v);
    uint64_t village_id = county_id * 1000 + (uint64_t)(v + 1);
    Rng vr, hr;
    rng_init(&vr, o->seed, STREAM_VILLAGE, (uint64_t)c, (uint64_t)v);
    rng_init(&hr, o->seed, STREAM_HOUSEHOLDS, (uint64_t)c, (uint64_t)v);
    VillagePlan plan = plan_village(&vr);

    /* Only the village and county rows need the households' totals. */
    int need_tally = g->village.fp || g->county.fp;
    if (!g->household.fp && !need_tally)
        return;
    VillageTally t = {0, 0, 0, 0, 0};
    int width = digits(n) > 4 ? digits(n) : 4;
    for (int64_t k = 1; k <= n; k++) {
        Household h;
        gen_household(&hr, &g->yf, &h);
        HouseholdStatus st = household_status(&h, o->demo, o->year, village_id, (uint64_t)k);
        if (g->household.fp)
            write_household(&g->line, &g->household, &h, o->year, county_id,
                            village_id, (uint64_t)k, width, &st);
        t.households++;
        t.people += h.members;
        int exited = h.claim || st.exit_year;
        if (st.registered && (!exited || h.fails || h.missing >= 0))
            t.still_poor += h.members;
        if (h.missing != HC_INCOME) {
            t.income_sum += h.income * h.members;
            t.income_people += h.members;
        }
    }
    if (!need_tally)
        return;
    char name[64];
    village_name(name, sizeof name, o->seed, c, v);
    write_village(&g->line, &g->village, &vr, &plan, &t, &g->yf, o->year,
                  county_id, village_id, name, ct, o->demo);
}

static void make_out_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            die("not a directory", dir);
        return;
    }
    errno = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        die_io("create directory", dir);
}

int main(int argc, char **argv)
{
    static Gen g; /* large line buffer: keep it off the stack */
    g.opt = parse_options(argc, argv);
    const Options *o = &g.opt;
    g.yf = year_figures(o->year);

    make_out_dir(o->out_dir);
    if (o->only == ONLY_ALL || o->only == ONLY_COUNTY)
        sink_open(&g.county, o->out_dir, "county.csv", county_columns, COUNTY_COLUMNS, NULL);
    if (o->only == ONLY_ALL || o->only == ONLY_VILLAGE)
        sink_open(&g.village, o->out_dir, "village.csv", village_columns, VILLAGE_COLUMNS,
                  o->demo ? ",poor_village,exit_year" : NULL);
    if (o->only == ONLY_ALL || o->only == ONLY_HOUSEHOLD)
        sink_open(&g.household, o->out_dir, "household.csv", household_columns, HC_COUNT,
                  o->demo ? ",registered,exit_year" : NULL);

    plan_shares(&g);
    uint64_t first_id = o->demo ? DEMO_COUNTY_ID : BASE_COUNTY_ID;
    for (int c = 0; c < o->counties; c++) {
        uint64_t county_id = first_id + (uint64_t)c;
        CountyTally ct = {0, 0, 0, 0};
        for (int v = 0; v < o->villages; v++)
            gen_village(&g, c, v, county_id, &ct);
        Rng cr;
        rng_init(&cr, o->seed, STREAM_COUNTY, (uint64_t)c, 0);
        write_county(&g.line, &g.county, &cr, o, c, county_id, &ct);
    }

    sink_close(&g.county);
    sink_close(&g.village);
    sink_close(&g.household);
    fprintf(stderr, "gendata: counties %d, villages %lld, households %lld, "
            "year %d, seed %llu, in %s\n", o->counties,
            (long long)o->counties * o->villages, (long long)o->households,
            o->year, (unsigned long long)o->seed, o->out_dir);
    return 0;
}
