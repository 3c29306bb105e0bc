/*
 * util.c - the value conventions of the Python learning store: UUID4 ids,
 * ISO-8601 timestamps, JSON lists of strings, pattern ids, sheet numbers.
 */
#include "learnstore.h"

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * Fill out with a random UUID4 in its 36-character text form.  Returns
 * SC_OK, or SC_IO when no randomness could be read.
 */
int
ls_uuid4(char out[LS_UUID_LEN])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char b[16];
    ssize_t got = -1;
    int fd, i, j = 0;

    if ((fd = open("/dev/urandom", O_RDONLY)) >= 0) {
        got = read(fd, b, sizeof(b));
        close(fd);
    }
    if (got != (ssize_t)sizeof(b))
        return SC_IO;
    b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);      /* version 4 */
    b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);      /* RFC 4122 variant */
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[j++] = '-';
        out[j++] = hex[b[i] >> 4];
        out[j++] = hex[b[i] & 15];
    }
    out[j] = '\0';
    return SC_OK;
}

/* The current time as seconds since the epoch, with microseconds; a test
 * may pin it with LEARNSTORE_NOW (seconds). */
double
ls_now(void)
{
    const char *pin = getenv("LEARNSTORE_NOW");
    struct timespec ts;

    if (pin != NULL && *pin != '\0')
        return strtod(pin, NULL);
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)(ts.tv_nsec / 1000) / 1e6;
}

/*
 * Format t (epoch seconds) as Python's datetime.isoformat() does: local
 * time as "2026-11-26T12:08:59.022099" (datetime.now()), or with utc set
 * UTC as "2026-11-26T12:08:59.022099+00:00" (datetime.now(timezone.utc)),
 * which the store uses for rate-limit times.
 */
void
ls_format_time(double t, bool utc, char out[LS_TIME_LEN])
{
    time_t secs = (time_t)t;
    long usec = (long)((t - (double)secs) * 1e6 + 0.5);
    struct tm tm;

    if (usec >= 1000000) {
        secs++;
        usec -= 1000000;
    }
    if (utc)
        gmtime_r(&secs, &tm);
    else
        localtime_r(&secs, &tm);
    snprintf(out, LS_TIME_LEN, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld%s",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec, usec, utc ? "+00:00" : "");
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static long
days_from_civil(long y, long m, long d)
{
    long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/*
 * Parse an ISO-8601 timestamp as the store writes them ("YYYY-MM-DDTHH:MM:
 * SS[.ffffff][+HH:MM|Z]", also with a space for the T) into epoch seconds.
 * Without an offset the text is taken as local time when utc is false.
 * Returns 0, or -1 when s is not such a timestamp.
 */
int
ls_parse_time(const char *s, bool utc, double *out)
{
    int y, mo, d, h, mi, sec, n = 0, oh = 0, om = 0;
    double frac = 0, t;
    const char *p;

    if (s == NULL || sscanf(s, "%4d-%2d-%2d%*1[T ]%2d:%2d:%2d%n", &y, &mo, &d,
                            &h, &mi, &sec, &n) != 6 || n == 0)
        return -1;
    p = s + n;
    if (*p == '.') {
        double scale = 0.1;
        for (p++; isdigit((unsigned char)*p); p++, scale /= 10)
            frac += (*p - '0') * scale;
    }
    if (*p == 'Z') {
        utc = true;
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p == '-' ? -1 : 1;
        if (sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
            return -1;
        oh *= sign;
        om *= sign;
        utc = true;
        p += 6;
    }
    if (*p != '\0')
        return -1;
    if (utc) {
        t = (double)days_from_civil(y, mo, d) * 86400.0 + h * 3600.0
            + mi * 60.0 + sec - oh * 3600.0 - om * 60.0;
    } else {
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        tm.tm_year = y - 1900;
        tm.tm_mon = mo - 1;
        tm.tm_mday = d;
        tm.tm_hour = h;
        tm.tm_min = mi;
        tm.tm_sec = sec;
        tm.tm_isdst = -1;
        t = (double)mktime(&tm);
    }
    *out = t + frac;
    return 0;
}

/* Append n bytes to *buf, growing it; 0 or -1 when memory runs out. */
static int
append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        char *p;
        while (c < *len + n + 1)
            c *= 2;
        if ((p = realloc(*buf, c)) == NULL)
            return -1;
        *buf = p;
        *cap = c;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return 0;
}

/* Decode one UTF-8 sequence at s into *cp; returns its length (1 for a
 * byte that starts no valid sequence, taken as U+FFFD). */
static int
utf8_decode(const unsigned char *s, unsigned long *cp)
{
    int n, i;

    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 0;
    if (n == 0)
        goto bad;
    *cp = s[0] & (0x7f >> n);
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            goto bad;
        *cp = (*cp << 6) | (s[i] & 0x3f);
    }
    return n;
bad:
    *cp = 0xfffd;
    return 1;
}

/* Append s to the growing JSON text *buf as a JSON string, escaped as
 * Python's json.dumps does (ensure_ascii: non-ASCII as \uXXXX).  Returns 0
 * or -1 when memory runs out. */
static int
json_string(char **buf, size_t *len, size_t *cap, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    char esc[32];

    if (append(buf, len, cap, "\"", 1))
        return -1;
    while (*p != '\0') {
        unsigned long cp;
        int n = utf8_decode(p, &cp);
        const char *e = NULL;
        switch (cp) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        default: break;
        }
        if (e == NULL && cp >= 0x20 && cp < 0x7f) {
            esc[0] = (char)cp;
            esc[1] = '\0';
            e = esc;
        } else if (e == NULL && cp < 0x10000) {
            snprintf(esc, sizeof(esc), "\\u%04lx", cp);
            e = esc;
        } else if (e == NULL) {
            cp -= 0x10000;
            snprintf(esc, sizeof(esc), "\\u%04lx\\u%04lx",
                     0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
            e = esc;
        }
        if (append(buf, len, cap, e, strlen(e)))
            return -1;
        p += n;
    }
    return append(buf, len, cap, "\"", 1);
}

/*
 * Return the JSON list of the n strings, as json.dumps(list) writes it
 * ('["a", "b"]'), malloc'd; NULL when memory runs out.
 */
char *
ls_json_list(const char *const *items, size_t n)
{
    char *buf = NULL;
    size_t len = 0, cap = 0, i;

    if (append(&buf, &len, &cap, "[", 1))
        goto fail;
    for (i = 0; i < n; i++) {
        if ((i > 0 && append(&buf, &len, &cap, ", ", 2))
            || json_string(&buf, &len, &cap, items[i]))
            goto fail;
    }
    if (append(&buf, &len, &cap, "]", 1) == 0)
        return buf;
fail:
    free(buf);
    return NULL;
}

/*
 * The pattern id: 16 hex chars of SHA-256 of type ":" normalised name
 * (lower case, runs of white space folded to one space, trimmed).
 * Returns SC_OK, SC_MISUSE or SC_NOMEM.
 */
int
ls_pattern_id(const char *type, const char *name, char out[LS_HASH_HEX])
{
    size_t tlen, i, j;
    char *text;
    bool space = false;

    if (type == NULL || name == NULL)
        return SC_MISUSE;
    tlen = strlen(type);
    if ((text = malloc(tlen + 1 + strlen(name) + 1)) == NULL)
        return SC_NOMEM;
    memcpy(text, type, tlen);
    text[tlen] = ':';
    j = tlen + 1;
    for (i = 0; name[i] != '\0'; i++) {
        unsigned char ch = (unsigned char)name[i];
        if (isspace(ch)) {
            space = j > tlen + 1;
            continue;
        }
        if (space)
            text[j++] = ' ';
        space = false;
        text[j++] = (char)tolower(ch);
    }
    ls_hash_bytes(text, j, out);
    free(text);
    return SC_OK;
}

/* The sheet number: the trailing digits of the sheet id, else 0. */
int64_t
ls_sheet_num(const char *sheet_id)
{
    size_t len = sheet_id ? strlen(sheet_id) : 0, start = len;

    while (start > 0 && isdigit((unsigned char)sheet_id[start - 1]))
        start--;
    if (start == len || len - start > 18)
        return 0;
    return strtoll(sheet_id + start, NULL, 10);
}

/* Clamp x into [0, 1]. */
double
ls_clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}
