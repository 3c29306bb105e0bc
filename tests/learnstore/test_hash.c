/*
 * test_hash.c - ls_sha256() against the FIPS 180-4 examples, and the
 * learning store's hashes (ls_hash_job(), ls_hash_workspace()) against
 * the values the Python store computes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "learnstore.h"
#include "harness.h"

/* The SHA-256 of len bytes at data as 64 lowercase hex digits in hex. */
static void
sha256_hex(const void *data, size_t len, char hex[65])
{
    unsigned char d[32];
    int i;

    ls_sha256(data, len, d);
    for (i = 0; i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* The first 16 hex digits of the SHA-256 of the string s into out. */
static void
short_hash(const char *s, char out[LS_HASH_HEX])
{
    char hex[65];

    sha256_hex(s, strlen(s), hex);
    memcpy(out, hex, 16);
    out[16] = '\0';
}

/* Check the digest of the string s. */
#define CHECK_SHA(s, expected) do {                                 \
        char hex_[65];                                              \
        sha256_hex((s), strlen(s), hex_);                           \
        CHECK_STR(hex_, (expected));                                \
    } while (0)

/* ---- SHA-256 ------------------------------------------------------- */

static void
test_sha256_empty(void)
{
    char hex[65];

    CHECK_SHA("", "e3b0c44298fc1c149afbf4c8996fb924"
                  "27ae41e4649b934ca495991b7852b855");
    sha256_hex(NULL, 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb924"
                   "27ae41e4649b934ca495991b7852b855");
}

static void
test_sha256_abc(void)
{
    CHECK_SHA("abc", "ba7816bf8f01cfea414140de5dae2223"
                     "b00361a396177a9cb410ff61f20015ad");
}

static void
test_sha256_448_bits(void)
{
    CHECK_SHA("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
              "248d6a61d20638b8e5c026930c3e6039"
              "a33ce45964ff2167f6ecedd419db06c1");
}

static void
test_sha256_896_bits(void)
{
    CHECK_SHA("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
              "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
              "cf5b16a778af8380036ce59e7b049237"
              "0b249b11e8f07a51afac45037afee9d1");
}

static void
test_sha256_million_a(void)
{
    size_t n = 1000000;
    char *a = malloc(n), hex[65];

    CHECK(a != NULL);
    if (a == NULL)
        return;
    memset(a, 'a', n);
    sha256_hex(a, n, hex);
    CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
                   "f1809a48a497200e046d39ccc7112cd0");
    free(a);
}

/* Lengths around the block and padding boundaries (55/56 bytes left in
 * the last block decide between one and two padding blocks); expected
 * values from Python's hashlib over bytes (7 * i + 3) & 255. */
static void
test_sha256_block_boundaries(void)
{
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        { 55, "e7313d333c272e639f790978283f9eb392e843d0f29b7016828bb1daa4aac70b" },
        { 56, "4324d65f3c103567f5589c710bc08f8523f929a9272e3af36fc968e52abc6c27" },
        { 57, "35df609437dcfea3279283ab79fd554e2bf78f8f7ae2de532d8ee300b09e8f73" },
        { 63, "81c80242132f230c3bd41b3e63bbcff16107339549214a99614ff26664625055" },
        { 64, "39e3d7b6b5d075d37d053ad89b24b41bef4f3c29760c84447cab3f3be1882241" },
        { 65, "aacca6ff74fdbb296d165a45cecfa04e5127bc008770fbbdd48006f2d2fae95e" },
        { 119, "9ce7368e4daf32341631b492e80359dc9f594b48453cd0dd5bf0b19279cc177e" },
        { 120, "7836b787757e95e58b3ca5aec90b1b004e8deba1e50e9675af9cabf1a13a04b5" },
        { 128, "d2742f1f4ac6bb7ca2b239ee18402ba8b3f9f8e652d2a72973c2b9ba11c08cf6" },
    };
    unsigned char buf[128];
    char hex[65];
    size_t i;

    for (i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)((i * 7 + 3) & 255);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sha256_hex(buf, cases[i].len, hex);
        if (strcmp(hex, cases[i].hex) != 0)
            T_FAIL("length %zu: %s, expected %s", cases[i].len, hex,
                   cases[i].hex);
    }
}

/* ---- ls_hash_bytes ------------------------------------------------- */

/* The short hash is the digest's first 8 bytes in lowercase hex; the
 * bytes may hold a NUL. */
static void
test_hash_bytes(void)
{
    char out[LS_HASH_HEX];

    ls_hash_bytes(NULL, 0, out);
    CHECK_STR(out, "e3b0c44298fc1c14");
    ls_hash_bytes("/srv/ws", 7, out);
    CHECK_STR(out, "0295621f3cf988a7");
    ls_hash_bytes("abc", 3, out);
    CHECK_STR(out, "ba7816bf8f01cfea");
    ls_hash_bytes("a\0b", 3, out);
    CHECK_STR(out, "59b271ae1bbcb1d3");
}

/* ---- ls_hash_job --------------------------------------------------- */

static void
test_hash_job_spec_vectors(void)
{
    char out[LS_HASH_HEX];

    CHECK_INT(ls_hash_job("my-job", NULL, out), SC_OK);
    CHECK_STR(out, "3cc5d3c84b82d2cf");
    CHECK_INT(ls_hash_job("my-job", "abc123", out), SC_OK);
    CHECK_STR(out, "3ad122e2f637437a");
}

/* Python's `cfg or ""`: no config and an empty config hash alike. */
static void
test_hash_job_empty_config(void)
{
    char a[LS_HASH_HEX], b[LS_HASH_HEX];

    CHECK_INT(ls_hash_job("my-job", "", a), SC_OK);
    CHECK_INT(ls_hash_job("my-job", NULL, b), SC_OK);
    CHECK_STR(a, b);
    CHECK_INT(ls_hash_job("", NULL, a), SC_OK);
    short_hash(":", b);
    CHECK_STR(a, b);
}

/* UTF-8 names are hashed as their bytes (Python: str.encode()). */
static void
test_hash_job_utf8(void)
{
    char out[LS_HASH_HEX];

    CHECK_INT(ls_hash_job("\xe6\x97\xa5\xe6\x9c\xac/\xc3\xa9", NULL, out),
              SC_OK);
    CHECK_STR(out, "d81c3c9b71126039");
    CHECK_INT((int)strlen(out), 16);
}

static void
test_hash_job_null(void)
{
    char out[LS_HASH_HEX] = "untouched";

    CHECK_INT(ls_hash_job(NULL, NULL, out), SC_MISUSE);
    CHECK_INT(ls_hash_job(NULL, "abc123", out), SC_MISUSE);
    CHECK_STR(out, "untouched");
    CHECK_INT(ls_hash_job("my-job", NULL, NULL), SC_MISUSE);
}

/*
 * The last text hashed is remembered (per thread and per function): the
 * same name again, another of the same length, names around the memo's
 * 256 bytes (name ":" included), and back, each checked against a hash
 * computed afresh.
 */
static void
test_hash_job_remembered(void)
{
    static const size_t lens[] = { 3, 3, 254, 255, 256, 254, 300, 0, 255 };
    char name[320], text[330], out[LS_HASH_HEX], expected[LS_HASH_HEX];
    size_t i;

    for (i = 0; i < 2 * sizeof lens / sizeof lens[0]; i++) {
        size_t n = lens[i % (sizeof lens / sizeof lens[0])];

        memset(name, 'a' + (int)(i % 3), n);
        name[n] = '\0';
        snprintf(text, sizeof text, "%s:", name);
        short_hash(text, expected);
        CHECK_INT(ls_hash_job(name, NULL, out), SC_OK);
        if (strcmp(out, expected) != 0)
            T_FAIL("call %zu, %zu bytes: %s, expected %s", i, n, out,
                   expected);
    }
    CHECK_INT(ls_hash_job("my-job", "abc123", out), SC_OK);
    CHECK_STR(out, "3ad122e2f637437a");
    CHECK_INT(ls_hash_job("my-job", NULL, out), SC_OK);
    CHECK_STR(out, "3cc5d3c84b82d2cf");
    CHECK_INT(ls_hash_job("my-job", NULL, out), SC_OK);
    CHECK_STR(out, "3cc5d3c84b82d2cf");
}

/* ---- ls_hash_workspace --------------------------------------------- */

/* The spec's vector holds where /srv/ws resolves to itself; elsewhere the
 * hash must still be that of what it resolves to. */
static void
test_hash_workspace_spec_vector(void)
{
    char out[LS_HASH_HEX], expected[LS_HASH_HEX];
    char *resolved = NULL;

    short_hash("/srv/ws", expected);
    CHECK_STR(expected, "0295621f3cf988a7");
    CHECK_INT(ls_path_resolve("/srv/ws", &resolved), SC_OK);
    CHECK_INT(ls_hash_workspace("/srv/ws", out), SC_OK);
    if (resolved != NULL && strcmp(resolved, "/srv/ws") == 0) {
        CHECK_STR(out, "0295621f3cf988a7");
    } else if (resolved != NULL) {
        short_hash(resolved, expected);
        CHECK_STR(out, expected);
    }
    free(resolved);
}

/* hash_workspace(p) is the short hash of ls_path_resolve(p), for
 * absolute, relative, dotted and missing paths. */
static void
test_hash_workspace_is_hash_of_resolved(void)
{
    static const char *const paths[] = {
        "/srv/ws", "/", "", ".", "..", "a/../b", "./x/./y/", "//srv//ws/",
        "/no/such/place/..", "\xc3\xa9t\xc3\xa9",
    };
    size_t i;

    for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        char out[LS_HASH_HEX], expected[LS_HASH_HEX];
        char *resolved = NULL;

        if (ls_path_resolve(paths[i], &resolved) != SC_OK) {
            T_FAIL("cannot resolve \"%s\"", paths[i]);
            continue;
        }
        short_hash(resolved, expected);
        CHECK_INT(ls_hash_workspace(paths[i], out), SC_OK);
        if (strcmp(out, expected) != 0)
            T_FAIL("\"%s\" -> \"%s\": %s, expected %s", paths[i],
                   resolved, out, expected);
        free(resolved);
    }
}

/*
 * The same path twice, its link retargeted in between: the second hash is
 * that of the new target (the path is resolved on every call; only the
 * hash of what it resolves to is remembered).
 */
static void
test_hash_workspace_link_moved(void)
{
    char tmpl[] = "/tmp/schemac-hash-XXXXXX";
    char *dir = mkdtemp(tmpl), *real = NULL;
    char a[400], b[400], link[400], out[LS_HASH_HEX], want[LS_HASH_HEX];

    if (dir == NULL || ls_path_resolve(dir, &real) != SC_OK) {
        T_FAIL("no temporary folder");
        return;
    }
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    snprintf(link, sizeof link, "%s/ws", dir);
    CHECK(mkdir(a, 0700) == 0 && mkdir(b, 0700) == 0);
    CHECK(symlink(a, link) == 0);
    CHECK_INT(ls_hash_workspace(link, out), SC_OK);
    snprintf(a, sizeof a, "%s/a", real);
    short_hash(a, want);
    CHECK_STR(out, want);
    CHECK(unlink(link) == 0 && symlink(b, link) == 0);
    CHECK_INT(ls_hash_workspace(link, out), SC_OK);
    snprintf(b, sizeof b, "%s/b", real);
    short_hash(b, want);
    CHECK_STR(out, want);
    snprintf(a, sizeof a, "%s/a", dir);
    snprintf(b, sizeof b, "%s/b", dir);
    unlink(link);
    rmdir(a);
    rmdir(b);
    rmdir(dir);
    free(real);
}

/* A missing folder under a fresh temporary one: the real path of the
 * temporary folder plus the missing name. */
static void
test_hash_workspace_missing_folder(void)
{
    char tmpl[] = "/tmp/schemac-hash-XXXXXX";
    char *dir = mkdtemp(tmpl), *real = NULL, *path = NULL, *want = NULL;
    char out[LS_HASH_HEX], expected[LS_HASH_HEX];
    size_t n;

    CHECK(dir != NULL);
    if (dir == NULL)
        return;
    n = strlen(dir) + sizeof "/ws/";
    path = malloc(n);
    CHECK(path != NULL);
    if (path != NULL) {
        snprintf(path, n, "%s/ws/", dir);
        CHECK_INT(ls_path_resolve(dir, &real), SC_OK);
    }
    if (real != NULL) {
        n = strlen(real) + sizeof "/ws";
        want = malloc(n);
        if (want != NULL)
            snprintf(want, n, "%s/ws", real);
    }
    CHECK(want != NULL);
    if (want != NULL) {
        short_hash(want, expected);
        CHECK_INT(ls_hash_workspace(path, out), SC_OK);
        CHECK_STR(out, expected);
    }
    free(want);
    free(real);
    free(path);
    rmdir(dir);
}

/* A workspace inside a symlink loop cannot be hashed (Python raises). */
static void
test_hash_workspace_loop(void)
{
    char tmpl[] = "/tmp/schemac-hash-XXXXXX";
    char *dir = mkdtemp(tmpl), *link = NULL;
    char out[LS_HASH_HEX] = "untouched";
    size_t n;

    CHECK(dir != NULL);
    if (dir == NULL)
        return;
    n = strlen(dir) + sizeof "/loop";
    link = malloc(n);
    CHECK(link != NULL);
    if (link != NULL) {
        snprintf(link, n, "%s/loop", dir);
        CHECK_INT(symlink("loop", link), 0);
        CHECK_INT(ls_hash_workspace(link, out), SC_IO);
        CHECK_STR(out, "untouched");
        unlink(link);
    }
    free(link);
    rmdir(dir);
}

static void
test_hash_workspace_null(void)
{
    char out[LS_HASH_HEX] = "untouched";

    CHECK_INT(ls_hash_workspace(NULL, out), SC_MISUSE);
    CHECK_STR(out, "untouched");
    CHECK_INT(ls_hash_workspace("/srv/ws", NULL), SC_MISUSE);
}

static const struct t_test tests[] = {
    T_TEST(test_sha256_empty),
    T_TEST(test_sha256_abc),
    T_TEST(test_sha256_448_bits),
    T_TEST(test_sha256_896_bits),
    T_TEST(test_sha256_million_a),
    T_TEST(test_sha256_block_boundaries),
    T_TEST(test_hash_bytes),
    T_TEST(test_hash_job_spec_vectors),
    T_TEST(test_hash_job_empty_config),
    T_TEST(test_hash_job_utf8),
    T_TEST(test_hash_job_null),
    T_TEST(test_hash_job_remembered),
    T_TEST(test_hash_workspace_spec_vector),
    T_TEST(test_hash_workspace_is_hash_of_resolved),
    T_TEST(test_hash_workspace_missing_folder),
    T_TEST(test_hash_workspace_link_moved),
    T_TEST(test_hash_workspace_loop),
    T_TEST(test_hash_workspace_null),
};

int
main(void)
{
    return T_RUN_ALL(tests);
}
