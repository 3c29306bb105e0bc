/*
 * time.c - time as the Python store's datetime values hold it: integer
 * microseconds, naive local wall-clock readings for datetime.now(),
 * instants for datetime.now(UTC), ISO-8601 text both ways.
 */
#include "learnstore.h"
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Python's a // b for b > 0. */
int64_t
lsi_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && a < 0) ? q - 1 : q;
}

/* datetime's range in microseconds from the epoch: 0001-01-01T00:00:00
 * to 9999-12-31T23:59:59.999999. */
#define DATETIME_MIN_US (-62135596800 * LSI_US)
#define DATETIME_MAX_US (253402300800 * LSI_US - 1)

/* The seconds from the epoch ls_format_time() takes, either way: years
 * about -29,700 to 33,700. */
#define FORMAT_LIMIT 1e12

/* Now in microseconds since the epoch; LEARNSTORE_NOW (seconds) pins it
 * when it is a number within datetime's years (a time beyond them would
 * take every computation from now past what they check).  The clock is
 * read as datetime.now() reads it: nanoseconds rounded down to
 * microseconds. */
int64_t
lsi_now_us(void)
{
    const char *pin = getenv("LEARNSTORE_NOW");
    struct timespec ts;
    double us;

    if (pin != NULL && *pin != '\0') {
        us = nearbyint(strtod(pin, NULL) * 1e6);
        if (us >= (double)DATETIME_MIN_US && us <= (double)DATETIME_MAX_US)
            return (int64_t)us;
    }
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * LSI_US + ts.tv_nsec / 1000;
}

/* The current time in seconds since the epoch, with microseconds. */
double
ls_now(void)
{
    return (double)lsi_now_us() / 1e6;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, int64_t m, int64_t d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Seconds of a broken-down time counted as if it were UTC. */
static int64_t
fields_seconds(const struct tm *tm)
{
    return days_from_civil(tm->tm_year + 1900, tm->tm_mon + 1, tm->tm_mday)
           * 86400 + tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

/* The local wall-clock reading of epoch_us, as if UTC. */
int64_t
lsi_local_wall(int64_t epoch_us)
{
    int64_t secs = lsi_floor_div(epoch_us, LSI_US);
    time_t t = (time_t)secs;
    struct tm tm;

    if (localtime_r(&t, &tm) == NULL)
        return epoch_us;
    return fields_seconds(&tm) * LSI_US + (epoch_us - secs * LSI_US);
}

/* Write v as exactly n decimal digits ending before end; returns where
 * they begin.  v is below 10^n. */
static char *
put_digits(char *end, long v, int n)
{
    while (n-- > 0) {
        *--end = (char)('0' + v % 10);
        v /= 10;
    }
    return end;
}

/* isoformat() of a wall-clock reading, then suffix.  Written digit by
 * digit: snprintf() was a seventh of the instructions of recording an
 * outcome, which formats two timestamps.  Years outside 1..9999, which Python's
 * datetime cannot hold, keep the general path's spelling. */
void
lsi_format_wall(int64_t wall_us, const char *suffix, char out[LS_TIME_LEN])
{
    int64_t secs = lsi_floor_div(wall_us, LSI_US);
    long usec = (long)(wall_us - secs * LSI_US);
    time_t t = (time_t)secs;
    struct tm tm;
    char *p = out;
    size_t n = strlen(suffix);

    if (gmtime_r(&t, &tm) == NULL)
        memset(&tm, 0, sizeof(tm));
    if (tm.tm_year + 1900 < 1 || tm.tm_year + 1900 > 9999
        || n >= LS_TIME_LEN - 27) {
        char frac[16] = "";

        if (usec != 0)
            snprintf(frac, sizeof(frac), ".%06ld", usec);
        snprintf(out, LS_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                 tm.tm_min, tm.tm_sec, frac, suffix);
        return;
    }
    /* "YYYY-MM-DDTHH:MM:SS", 19 characters, then ".ffffff" unless 0. */
    p = put_digits(out + 4, tm.tm_year + 1900, 4) + 4;
    *p++ = '-';
    p = put_digits(p + 2, tm.tm_mon + 1, 2) + 2;
    *p++ = '-';
    p = put_digits(p + 2, tm.tm_mday, 2) + 2;
    *p++ = 'T';
    p = put_digits(p + 2, tm.tm_hour, 2) + 2;
    *p++ = ':';
    p = put_digits(p + 2, tm.tm_min, 2) + 2;
    *p++ = ':';
    p = put_digits(p + 2, tm.tm_sec, 2) + 2;
    if (usec != 0) {
        *p++ = '.';
        p = put_digits(p + 6, usec, 6) + 6;
    }
    memcpy(p, suffix, n + 1);
}

/* datetime.now().isoformat() at epoch_us. */
void
lsi_format_local(int64_t epoch_us, char out[LS_TIME_LEN])
{
    lsi_format_wall(lsi_local_wall(epoch_us), "", out);
}

/* datetime.now(UTC).isoformat() at epoch_us. */
void
lsi_format_utc(int64_t epoch_us, char out[LS_TIME_LEN])
{
    lsi_format_wall(epoch_us, "+00:00", out);
}

/*
 * Format t (epoch seconds) as Python's datetime.isoformat() does: local
 * time (datetime.now()), or with utc set UTC with "+00:00"
 * (datetime.now(timezone.utc)); no fraction when the microseconds are 0.
 * Returns 0, or -1 with out empty when t is not a number within
 * FORMAT_LIMIT seconds of the epoch.
 */
int
ls_format_time(double t, bool utc, char out[LS_TIME_LEN])
{
    int64_t us;

    /* Years past datetime's keep the same shape (tested); the limit
     * keeps the microseconds, and the local reading a zone's offset away
     * from them, within 64 bits.  NaN fails the test. */
    if (!(t >= -FORMAT_LIMIT && t <= FORMAT_LIMIT)) {
        out[0] = '\0';
        return -1;
    }
    us = llround(t * 1e6);
    if (utc)
        lsi_format_utc(us, out);
    else
        lsi_format_local(us, out);
    return 0;
}

/* Whether c is an ASCII digit, the only digits fromisoformat() reads:
 * tested without isdigit()'s lookup per character, which was half the
 * time of parsing a timestamp (every rate-limit record parses two). */
static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Read exactly n digits at *p into *v, advancing *p; 0 or -1. */
static int
digits(const char **p, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (!is_digit((*p)[i]))
            return -1;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

/* Days in month m of year y. */
static int
month_days(int y, int m)
{
    static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31 };
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* Parse "HH[:MM[:SS[.f...]]]" at *p into microseconds of the day. */
static int
parse_clock(const char **p, int64_t *us)
{
    int h, mi = 0, s = 0;
    int64_t frac = 0, scale = 100000;

    if (digits(p, 2, &h) != 0 || h > 23)
        return -1;
    if (**p == ':') {
        (*p)++;
        if (digits(p, 2, &mi) != 0 || mi > 59)
            return -1;
        if (**p == ':') {
            (*p)++;
            if (digits(p, 2, &s) != 0 || s > 59)
                return -1;
            if (**p == '.' || **p == ',') {
                (*p)++;
                if (!is_digit(**p))
                    return -1;
                for (; is_digit(**p); (*p)++, scale /= 10)
                    frac += (**p - '0') * scale;
            }
        }
    }
    *us = ((int64_t)h * 3600 + mi * 60 + s) * LSI_US + frac;
    return 0;
}

/* Parse an ISO-8601 timestamp into its fields as microseconds (as if
 * UTC) and its offset in microseconds (0 and *aware false when it has
 * none).  0 or -1. */
static int
parse_parts(const char *s, int64_t *fields, int64_t *offset, bool *aware)
{
    const char *p = s;
    int y, mo, d;
    int64_t clock = 0;

    *aware = false;
    *offset = 0;
    if (s == NULL || digits(&p, 4, &y) != 0 || *p++ != '-'
        || digits(&p, 2, &mo) != 0 || *p++ != '-' || digits(&p, 2, &d) != 0
        || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo) || y < 1)
        return -1;
    if (*p != '\0') {
        p++;                        /* 'T', a space or any one separator */
        if (parse_clock(&p, &clock) != 0)
            return -1;
        if (*p == 'Z') {
            *aware = true;
            p++;
        } else if (*p == '+' || *p == '-') {
            int sign = *p == '-' ? -1 : 1;
            p++;
            if (parse_clock(&p, offset) != 0)
                return -1;
            *offset *= sign;
            *aware = true;
        }
        if (*p != '\0')
            return -1;
    }
    *fields = days_from_civil(y, mo, d) * LSI_DAY_US + clock;
    return 0;
}

/* Parse an ISO-8601 timestamp into microseconds (see internal.h). */
int
lsi_parse_iso(const char *s, int64_t *us, bool *aware)
{
    int64_t fields, offset;

    if (parse_parts(s, &fields, &offset, aware) != 0)
        return -1;
    *us = fields - offset;
    return 0;
}

/* datetime.fromisoformat(s).isoformat() into out; 0, or -1 (out empty)
 * when s is not a timestamp. */
int
lsi_iso_normalize(const char *s, char out[LS_TIME_LEN])
{
    int64_t fields, offset, off;
    bool aware;
    char suffix[32] = "";

    out[0] = '\0';
    if (parse_parts(s, &fields, &offset, &aware) != 0)
        return -1;
    if (aware) {
        off = offset < 0 ? -offset : offset;
        snprintf(suffix, sizeof(suffix), "%c%02lld:%02lld",
                 offset < 0 ? '-' : '+', (long long)(off / (3600 * LSI_US)),
                 (long long)(off / (60 * LSI_US) % 60));
        if (off % (60 * LSI_US) != 0) {
            size_t n = strlen(suffix);
            snprintf(suffix + n, sizeof(suffix) - n, ":%02lld",
                     (long long)(off / LSI_US % 60));
            if (off % LSI_US != 0) {
                n = strlen(suffix);
                snprintf(suffix + n, sizeof(suffix) - n, ".%06lld",
                         (long long)(off % LSI_US));
            }
        }
    }
    lsi_format_wall(fields, suffix, out);
    return 0;
}

/* Stored text as a wall-clock reading (see internal.h). */
int
lsi_wall_of(const char *s, int64_t *wall_us)
{
    bool aware;

    if (lsi_parse_iso(s, wall_us, &aware) != 0)
        return -1;
    if (aware)
        *wall_us = lsi_local_wall(*wall_us);
    return 0;
}

/* Stored text as an instant (see internal.h). */
int
lsi_instant_of(const char *s, int64_t *epoch_us)
{
    bool aware;

    return lsi_parse_iso(s, epoch_us, &aware);
}

/* See internal.h. */
int
lsi_add_seconds(sc_db *db, const char *fn, const char *name, int64_t t_us,
                double seconds, int64_t *out)
{
    double us = nearbyint(seconds * 1e6);
    int64_t d;

    /* t_us is a time of datetime's years, or a zone's offset from one
     * (a local reading), so the differences below stay in 64 bits.  The
     * double is tested before it is converted: converting one beyond
     * int64_t (or NaN, which fails the test) is undefined; then the
     * exact bounds, which a double would round. */
    if (!(us > -4e18 && us < 4e18)
        || (d = (int64_t)us) < DATETIME_MIN_US - t_us
        || d > DATETIME_MAX_US - t_us)
        return lsi_misuse(db, fn, "%s %g puts the time outside years 1 to "
                          "9999", name, seconds);
    *out = t_us + d;
    return SC_OK;
}

/*
 * Parse an ISO-8601 timestamp as the store writes them into epoch
 * seconds: text with an offset is an instant, naive text is local time
 * unless utc is set.  Returns 0, or -1 when s is not such a timestamp.
 */
int
ls_parse_time(const char *s, bool utc, double *out)
{
    int64_t us;
    bool aware;

    if (lsi_parse_iso(s, &us, &aware) != 0)
        return -1;
    if (!aware && !utc) {
        /* Naive local text: find the instant whose local reading it is
         * (mktime resolves a reading that daylight saving repeats or
         * skips as the C library does). */
        int64_t secs = lsi_floor_div(us, LSI_US);
        time_t t = (time_t)secs;
        struct tm tm;
        gmtime_r(&t, &tm);
        tm.tm_isdst = -1;
        us = (int64_t)mktime(&tm) * LSI_US + (us - secs * LSI_US);
    }
    *out = (double)us / 1e6;
    return 0;
}
