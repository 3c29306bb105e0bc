/*
 * internal.h - what the learning store's files share and its users need
 * not see: times as Python's datetime computes them, text buffers that
 * write JSON as Python's json.dumps does, a small JSON reader, and the
 * normalised pattern name.  Names start with lsi_ (lsj_ for JSON values).
 */
#ifndef LEARNSTORE_INTERNAL_H
#define LEARNSTORE_INTERNAL_H

#include "learnstore.h"

#include <stdarg.h>
#include <stdint.h>

#define LSI_US 1000000LL            /* microseconds in a second */
#define LSI_DAY_US (86400LL * LSI_US)

/* ---- time (time.c) ------------------------------------------------------ */

/* Now in microseconds since the epoch (LEARNSTORE_NOW pins it). */
int64_t lsi_now_us(void);

/* The local wall-clock reading of epoch_us, as microseconds counted as if
 * the wall clock were UTC: what a naive datetime.now() holds, so that
 * differences and sums are those of Python's naive datetimes (a day is
 * always 86400 s, across daylight-saving changes too). */
int64_t lsi_local_wall(int64_t epoch_us);

/* Format a wall-clock reading (microseconds as if UTC) as isoformat()
 * does: "YYYY-MM-DDTHH:MM:SS[.ffffff]" (no fraction when it is 0), then
 * suffix ("" or "+00:00"). */
void lsi_format_wall(int64_t wall_us, const char *suffix,
                     char out[LS_TIME_LEN]);

/* datetime.now().isoformat() and datetime.now(UTC).isoformat() of
 * epoch_us. */
void lsi_format_local(int64_t epoch_us, char out[LS_TIME_LEN]);
void lsi_format_utc(int64_t epoch_us, char out[LS_TIME_LEN]);

/*
 * Parse what datetime.fromisoformat() reads of the store's timestamps:
 * "YYYY-MM-DD", optionally followed by 'T' or a space and "HH:MM[:SS[.f
 * ...]]" (fraction digits past six dropped), optionally "Z" or "+HH:MM"
 * / "-HH:MM[:SS]".  *us gets the fields as microseconds counted as if
 * UTC, minus the offset when there is one (*aware true: an instant).
 * Returns 0, or -1 when s is NULL or not such a timestamp.
 */
int lsi_parse_iso(const char *s, int64_t *us, bool *aware);

/* datetime.fromisoformat(s).isoformat() into out ("2026-01-01 10:00"
 * gives "2026-01-01T10:00:00", "Z" gives "+00:00"); 0, or -1 (out "")
 * when s is not a timestamp. */
int lsi_iso_normalize(const char *s, char out[LS_TIME_LEN]);

/* The wall-clock reading of stored text s for arithmetic with a naive
 * now: naive text as written, text with an offset converted to local
 * time.  Returns 0 or -1. */
int lsi_wall_of(const char *s, int64_t *wall_us);

/* The instant of stored text s for arithmetic with datetime.now(UTC):
 * text with an offset as written, naive text taken as UTC.  0 or -1. */
int lsi_instant_of(const char *s, int64_t *epoch_us);

/* Python's a // b for b > 0 (rounds toward minus infinity). */
int64_t lsi_floor_div(int64_t a, int64_t b);

/* t_us + timedelta(seconds=seconds) (microseconds rounded half to even,
 * as timedelta rounds) into *out; SC_MISUSE naming fn and name when the
 * seconds are not finite or the sum leaves datetime's years 1 to 9999,
 * where Python raises OverflowError or ValueError. */
int lsi_add_seconds(sc_db *db, const char *fn, const char *name,
                    int64_t t_us, double seconds, int64_t *out);

/* ---- text buffers and JSON output (json.c) ----------------------------- */

/* A growing NUL-terminated text; failed is sticky once memory runs out. */
struct lsi_buf {
    char *p;
    size_t len, cap;
    bool failed;
};

#define LSI_BUF_INIT { NULL, 0, 0, false }

void lsi_buf_add(struct lsi_buf *b, const char *s, size_t n);
void lsi_buf_str(struct lsi_buf *b, const char *s);
void lsi_buf_printf(struct lsi_buf *b, const char *fmt, ...);
/* s as a JSON string, escaped as json.dumps (ensure_ascii) does. */
void lsi_buf_json_string(struct lsi_buf *b, const char *s);
/* x as json.dumps writes a float (repr; NaN, Infinity, -Infinity). */
void lsi_buf_json_real(struct lsi_buf *b, double x);
/* A JSON list of the n strings, as json.dumps writes it (a NULL item
 * as null, json.dumps' None). */
void lsi_buf_json_list(struct lsi_buf *b, const char *const *items,
                       size_t n);
/* The text, now the caller's (free it); NULL when memory ran out. */
char *lsi_buf_take(struct lsi_buf *b);
void lsi_buf_fini(struct lsi_buf *b);

/* repr(x) of a Python float into out: the shortest text that reads back
 * as x, "1.0", "1e-05", "1e+16", "inf", "nan". */
void lsi_py_repr(double x, char out[32]);

/* format(x, ".Nf") of a Python float into out (prec <= 20): as printf,
 * but every NaN is "nan". */
void lsi_py_fixed(double x, int prec, char out[64]);

/* ---- JSON input (json.c) ----------------------------------------------- */

enum lsj_type {
    LSJ_NULL, LSJ_BOOL, LSJ_INT, LSJ_REAL, LSJ_STRING, LSJ_ARRAY, LSJ_OBJECT
};

/* A parsed JSON value.  Objects keep their members in order, duplicates
 * included (lsj_get finds the last, as json.loads keeps it). */
struct lsj {
    enum lsj_type type;
    bool b;
    int64_t i;
    double d;               /* LSJ_REAL, and LSJ_INT as a double */
    char *s;                /* LSJ_STRING (UTF-8, may not hold NUL) */
    size_t n;               /* items of an array or object */
    struct lsj *items;
    char **keys;            /* LSJ_OBJECT */
};

/* Parse text as json.loads does (NaN, Infinity and -Infinity included).
 * Returns SC_OK with *out malloc'd (lsj_free), SC_NOMEM, or SC_CORRUPT
 * when text is not JSON. */
int lsj_parse(const char *text, struct lsj **out);
void lsj_free(struct lsj *v);
/* The member key of object v (the last one of that name), or NULL. */
const struct lsj *lsj_get(const struct lsj *v, const char *key);

/* ---- names, hashes, rows ------------------------------------------------ */

/* " ".join(name.lower().split()) (unicode.c). */
int lsi_normalize_name(const char *name, char **out);
/* The first ndigits hex digits of SHA-256 of data (hash.c). */
void lsi_sha256_hex(const void *data, size_t len, size_t ndigits,
                    char *out);
/* The double nearest the exact a + b + c, c 0 or 1 (util.c). */
double lsi_sum_double(int64_t a, int64_t b, int c);
/* A pattern's id and content hash from its normalised name (util.c). */
int lsi_pattern_hashes(const char *type, const char *norm,
                       const char *description, char id[LS_HASH_HEX],
                       char hash[33]);

/* Python's min(a, b) and max(a, b) of floats: the first unless the
 * second is smaller (larger), so a NaN second argument loses. */
static inline double
lsi_min(double a, double b)
{
    return b < a ? b : a;
}

static inline double
lsi_max(double a, double b)
{
    return b > a ? b : a;
}

/* max(0.0, min(1.0, x)), as the Python store clamps. */
static inline double
lsi_clamp01(double x)
{
    return lsi_max(0.0, lsi_min(1.0, x));
}

/* The row as Python's PatternRecord holds it (a shallow copy into out):
 * trust clamped into [0, 1] (unset: 0.5), effectiveness clamped into
 * [0, 1], variance and priority at least 0, an unset status "pending",
 * an unset active 1 (patterns.c). */
void lsi_pattern_record(const struct learning_patterns *in,
                        struct learning_patterns *out);

/* Python's " ".join(...) parts: str.lower() of UTF-8 text, malloc'd
 * (unicode.c).  SC_OK, SC_MISUSE or SC_NOMEM. */
int lsi_lower(const char *s, char **out);

/* Fail a call of the learning store's function fn (pass __func__: the
 * "ls_" prefix is dropped, which leaves the Python store's method name)
 * with rc: record "name: <printf-formatted why>" on db with sc_fail(), so
 * that sc_errmsg(db) says what was wrong, and return rc.  SC_CORRUPT for
 * a stored value fn cannot read (another program wrote it; the Python
 * store's parsing of it raises), SC_NOMEM (util.c). */
int lsi_fail(sc_db *db, int rc, const char *fn, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Refuse a call of fn for a bad argument: lsi_fail() with SC_MISUSE. */
#define lsi_misuse(db, fn, ...) lsi_fail((db), SC_MISUSE, (fn), __VA_ARGS__)

/* lsj_parse() of the stored text of what (a column) for fn, a failure
 * recorded by lsi_fail(): SC_CORRUPT "stored what '...' is not JSON", or
 * SC_NOMEM (json.c). */
int lsi_parse_stored(sc_db *db, const char *fn, const char *what,
                     const char *text, struct lsj **out);

/* The offset of the first byte of s[0..len) that starts neither a UTF-8
 * sequence nor a lone surrogate's three bytes, or len: what a JSON string
 * can hold (a surrogate as its \udXXX escape, as json.dumps writes one
 * from a Python str; json.c). */
size_t lsi_json_text_check(const char *s, size_t len);

/* Refuse (lsi_misuse(), naming fn and name) a list of n strings the
 * caller handed over that cannot be read: items NULL while n is not 0,
 * an item a JSON string cannot hold (lsi_json_text_check()), or, unless
 * nulls is set, a NULL item (util.c). */
int lsi_check_list(sc_db *db, const char *fn, const char *name,
                   const char *const *items, size_t n, bool nulls);

/* strdup that keeps NULL. */
char *lsi_strdup(const char *s);

/* A read of many statements as one read transaction (util.c): begin
 * returns whether it started one, end finishes it and returns rc (or the
 * COMMIT's error when rc is SC_OK). */
bool lsi_read_begin(sc_db *db);
int lsi_read_end(sc_db *db, bool began, int rc);

#endif /* LEARNSTORE_INTERNAL_H */
