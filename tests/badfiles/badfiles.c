/*
 * badfiles.c - sc_open and writes on files that are not what they should
 * be: a database that fills up (PRAGMA max_page_count), a read-only file,
 * an empty file, random bytes, a truncated database, another program's
 * database, a newer version, a version table with several rows.  Every
 * refused file must be byte-identical afterwards.
 *
 *   badfiles DIR                   every test, scratch files in DIR
 *   badfiles prep-ro FILE          write a learning database for the
 *                                  read-only mount case
 *   badfiles check-ro FILE         FILE sits on a read-only mount: sc_open
 *                                  must refuse it and leave it unchanged
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "learning.h"
#include "schemac.h"

static const char *dir;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

/* A file's bytes, for before/after comparisons. */
struct bytes {
    unsigned char *p;
    size_t len;
    int ok;
};

/* Read the whole file at path; .ok is 0 when it cannot be read. */
static struct bytes
slurp(const char *path)
{
    struct bytes b = { NULL, 0, 0 };
    FILE *f = fopen(path, "rb");
    size_t cap = 0, got;
    unsigned char *q;
    int failed = 0;

    if (f == NULL)
        return b;
    for (;;) {
        if (b.len == cap) {
            cap = cap ? cap * 2 : 65536;
            if ((q = realloc(b.p, cap)) == NULL) {
                failed = 1;
                break;
            }
            b.p = q;
        }
        if ((got = fread(b.p + b.len, 1, cap - b.len, f)) == 0)
            break;
        b.len += got;
    }
    b.ok = !ferror(f) && !failed;
    fclose(f);
    return b;
}

/* True when the file at path still holds exactly the bytes of want. */
static int
unchanged(const char *path, const struct bytes *want)
{
    struct bytes now = slurp(path);
    int same = now.ok && want->ok && now.len == want->len
        && (now.len == 0 || memcmp(now.p, want->p, now.len) == 0);

    free(now.p);
    return same;
}

/* Write len bytes at data to path, replacing it and its -wal and -shm. */
static int
spit(const char *path, const void *data, size_t len)
{
    char side[600];
    FILE *f;
    int ok;

    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
    if ((f = fopen(path, "wb")) == NULL)
        return -1;
    ok = len == 0 || fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* The scratch path DIR/name in buf. */
static const char *
scratch(char *buf, size_t size, const char *name)
{
    char side[600];

    snprintf(buf, size, "%s/%s", dir, name);
    unlink(buf);
    snprintf(side, sizeof side, "%s-wal", buf);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", buf);
    unlink(side);
    return buf;
}

/* Run sql on the file at path with plain SQLite; returns SQLite's code. */
static int
raw_exec(const char *path, const char *sql)
{
    sqlite3 *conn;
    int src = sqlite3_open(path, &conn);

    if (src == SQLITE_OK)
        src = sqlite3_exec(conn, sql, NULL, NULL, NULL);
    if (src != SQLITE_OK)
        printf("     raw_exec: %s\n", sqlite3_errmsg(conn));
    sqlite3_close(conn);
    return src;
}

/* One integer from sql on db's connection; -1 on error. */
static long long
db_int(sc_db *db, const char *sql)
{
    sqlite3_stmt *stmt;
    long long v = -1;

    if (sqlite3_prepare_v2(sc_sqlite(db), sql, -1, &stmt, NULL) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        v = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return v;
}

/* The first row of PRAGMA integrity_check on db, "ok" when sound; the
 * text is copied into buf, newlines turned into spaces. */
static const char *
integrity(sc_db *db, char *buf, size_t size)
{
    sqlite3_stmt *stmt;
    char *p;

    snprintf(buf, size, "(no answer)");
    if (sqlite3_prepare_v2(sc_sqlite(db), "PRAGMA integrity_check", -1,
                           &stmt, NULL) == SQLITE_OK
        && sqlite3_step(stmt) == SQLITE_ROW)
        snprintf(buf, size, "%s", (const char *)sqlite3_column_text(stmt,
                                                                     0));
    sqlite3_finalize(stmt);
    for (p = buf; *p != '\0'; p++)
        if (*p == '\n')
            *p = ' ';
    return buf;
}

/* Insert pattern number i with a description of desc_len bytes. */
static int
insert_pattern(sc_db *db, int i, size_t desc_len)
{
    struct learning_patterns row = LEARNING_PATTERNS_INIT;
    char id[32], name[32];
    char *desc = malloc(desc_len + 1);
    int rc;

    if (desc == NULL)
        return SC_NOMEM;
    memset(desc, 'a' + i % 26, desc_len);
    desc[desc_len] = '\0';
    snprintf(id, sizeof id, "p%08d", i);
    snprintf(name, sizeof name, "pattern %d", i);
    row.id = id;
    row.pattern_type = "test";
    row.pattern_name = name;
    row.description = desc;
    rc = learning_patterns_insert(db, &row);
    free(desc);
    return rc;
}

/*
 * Create a learning database at path holding n patterns (ids p00000000
 * on, 100-byte descriptions), closed so the WAL is checkpointed into the
 * file.  Returns SC_OK or the failing code.
 */
static int
make_learning_db(const char *path, int n)
{
    sc_db *db;
    int i, rc = sc_open(&db, path, &learning_schema, NULL);

    if (rc == SC_OK)
        rc = sc_batch_begin(db);
    for (i = 0; rc == SC_OK && i < n; i++)
        rc = insert_pattern(db, i, 100);
    if (rc == SC_OK || sc_batch_depth(db) > 0)
        rc = sc_batch_end(db, rc);
    if (rc != SC_OK)
        printf("     make_learning_db: %s\n", sc_errmsg(db));
    sc_close(db);
    return rc;
}

/*
 * sc_open the file at path, expecting want; then the file must be
 * byte-identical to before.  Returns the code sc_open gave.
 */
static int
expect_refused(const char *path, int want)
{
    struct bytes before = slurp(path);
    sc_db *db;
    int rc;

    CHECK(before.ok);
    rc = sc_open(&db, path, &learning_schema, NULL);
    if (rc != want)
        T_FAIL("sc_open gave %s (%s), expected %s", sc_errstr(rc),
               sc_errmsg(db), sc_errstr(want));
    else
        printf("     refused as expected: %s\n", sc_errmsg(db));
    sc_close(db);
    if (!unchanged(path, &before))
        T_FAIL("the refused file changed");
    free(before.p);
    return rc;
}

/* ------------------------------------------------------------------ */
/* A database that fills up                                            */
/* ------------------------------------------------------------------ */

/*
 * With max_page_count a few pages above the current size, inserts fail
 * with SC_IO (SQLITE_FULL) instead of crashing; every earlier commit is
 * intact, the file passes integrity_check, and a batch that hits the
 * limit rolls back whole.  Reopened without the limit, writes work.
 */
static void
test_disk_full(void)
{
    char path[512], buf[256], sql[64];
    long long pages, n_before, n_after;
    int i, rc = SC_OK, committed = 0;
    sc_db *db;

    CHECK_INT(make_learning_db(scratch(path, sizeof path, "full.db"), 200),
              SC_OK);
    CHECK_INT(sc_open(&db, path, &learning_schema, NULL), SC_OK);
    pages = db_int(db, "PRAGMA page_count");
    CHECK(pages > 0);
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + 8);
    CHECK_INT(sqlite3_exec(sc_sqlite(db), sql, NULL, NULL, NULL),
              SQLITE_OK);
    /* Autocommit inserts of 2 KB rows until the file is full. */
    for (i = 1000; i < 3000; i++) {
        if ((rc = insert_pattern(db, i, 2000)) != SC_OK)
            break;
        committed++;
    }
    CHECK_INT(rc, SC_IO);
    CHECK(strstr(sc_errmsg(db), "full") != NULL);
    printf("     full after %d autocommit inserts: %s\n", committed,
           sc_errmsg(db));
    CHECK(committed > 0);
    CHECK_INT(db_int(db, "SELECT count(*) FROM patterns"), 200 + committed);
    CHECK_STR(integrity(db, buf, sizeof buf), "ok");

    /* A batch that runs into the limit is rolled back whole. */
    n_before = db_int(db, "SELECT count(*) FROM patterns");
    rc = sc_batch_begin(db);
    CHECK_INT(rc, SC_OK);
    for (i = 5000; rc == SC_OK && i < 7000; i++)
        rc = insert_pattern(db, i, 2000);
    CHECK_INT(rc, SC_IO);
    rc = sc_batch_end(db, rc);
    CHECK_INT(rc, SC_IO);
    CHECK_INT(sc_batch_depth(db), 0);
    n_after = db_int(db, "SELECT count(*) FROM patterns");
    CHECK_INT(n_after, n_before);
    CHECK_STR(integrity(db, buf, sizeof buf), "ok");
    /* A get still works on the full file. */
    {
        struct learning_patterns p = LEARNING_PATTERNS_INIT;
        CHECK_INT(learning_patterns_get(db, "p00000007", &p), SC_OK);
        CHECK_STR(p.pattern_name, "pattern 7");
        learning_patterns_free(&p);
    }
    CHECK_INT(sc_close(db), SC_OK);

    /* The limit belongs to the connection: a new one writes again. */
    CHECK_INT(sc_open(&db, path, &learning_schema, NULL), SC_OK);
    CHECK_INT(db_int(db, "SELECT count(*) FROM patterns"), n_before);
    CHECK_INT(insert_pattern(db, 9999, 2000), SC_OK);
    CHECK_STR(integrity(db, buf, sizeof buf), "ok");
    sc_close(db);
}

/* ------------------------------------------------------------------ */
/* A read-only file                                                    */
/* ------------------------------------------------------------------ */

/*
 * sc_open of a file the process may not write: SC_IO, the file unchanged.
 * Permission bits do not bind root, so as root the open runs in a child
 * that has dropped to user and group 65534 (nobody) first.
 */
static void
test_read_only_file(void)
{
    char path[512];
    struct bytes before;
    pid_t pid;
    int status = 0, rc;
    sc_db *db;

    CHECK_INT(make_learning_db(scratch(path, sizeof path, "ro.db"), 20),
              SC_OK);
    CHECK_INT(chmod(path, 0444), 0);
    before = slurp(path);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        if (geteuid() == 0) {
            /* nobody must be able to reach the file but not write it or
             * its folder. */
            if (setgid(65534) != 0 || setuid(65534) != 0)
                _exit(100);
        }
        /* The file must be readable and not writable, or this test
         * would pass for another reason. */
        if (access(path, R_OK) != 0 || access(path, W_OK) == 0)
            _exit(101);
        rc = sc_open(&db, path, &learning_schema, NULL);
        printf("     read-only open (uid %ld): %s: %s\n", (long)getuid(),
               sc_errstr(rc), sc_errmsg(db));
        fflush(stdout);
        /* The message must say what is wrong, not which read failed. */
        if (rc == SC_IO && strstr(sc_errmsg(db), "read-only") == NULL)
            rc = 102;
        sc_close(db);
        _exit(rc);
    }
    CHECK(pid > 0);
    while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    CHECK(WIFEXITED(status));
    if (WEXITSTATUS(status) == 100)
        T_FAIL("could not drop to uid 65534");
    else if (WEXITSTATUS(status) == 102)
        T_FAIL("refused with SC_IO but the message does not say read-only");
    else if (WEXITSTATUS(status) == 101)
        T_FAIL("the file is not readable-but-not-writable for the test "
               "(is its folder reachable by uid 65534?)");
    else
        CHECK_INT(WEXITSTATUS(status), SC_IO);
    CHECK(unchanged(path, &before));
    free(before.p);
    chmod(path, 0644);
}

static const char *ro_mount_path;   /* the file on the mount */

/*
 * The same on a file that sits on a read-only mount (run.sh makes one
 * with a read-only bind mount when it can): SC_IO, unchanged.
 */
static void
test_read_only_mount(void)
{
    expect_refused(ro_mount_path, SC_IO);
}

/* ------------------------------------------------------------------ */
/* Files that are not a learning database                              */
/* ------------------------------------------------------------------ */

/* An empty file is an empty database to SQLite: sc_open creates the
 * schema in it, as it would in a new file. */
static void
test_empty_file(void)
{
    char path[512];
    sc_db *db;

    CHECK_INT(spit(scratch(path, sizeof path, "empty.db"), "", 0), 0);
    CHECK_INT(sc_open(&db, path, &learning_schema, NULL), SC_OK);
    CHECK_INT(sc_version(db), 15);
    CHECK_INT(db_int(db, "SELECT count(*) FROM sqlite_master WHERE type = "
                     "'table'"), 13);
    CHECK_INT(insert_pattern(db, 1, 10), SC_OK);
    sc_close(db);
}

/* 64 KiB of random bytes: SC_NOTADB, unchanged. */
static void
test_random_bytes(void)
{
    unsigned char junk[65536];
    char path[512];
    size_t i;
    unsigned x = 2463534242u;

    for (i = 0; i < sizeof junk; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        junk[i] = (unsigned char)x;
    }
    CHECK_INT(spit(scratch(path, sizeof path, "random.db"), junk,
                   sizeof junk), 0);
    expect_refused(path, SC_NOTADB);
}

/* A text file (a common mistake: the wrong path): SC_NOTADB. */
static void
test_text_file(void)
{
    static const char text[] = "This is not a database, it is a note.\n";
    char path[512];

    CHECK_INT(spit(scratch(path, sizeof path, "text.db"), text,
                   sizeof text - 1), 0);
    expect_refused(path, SC_NOTADB);
}

/* SQLite's 16-byte magic, then garbage: SC_NOTADB, unchanged. */
static void
test_header_then_garbage(void)
{
    unsigned char b[4096];
    char path[512];

    memset(b, 0xa5, sizeof b);
    memcpy(b, "SQLite format 3", 16);
    CHECK_INT(spit(scratch(path, sizeof path, "garbage.db"), b, sizeof b),
              0);
    expect_refused(path, SC_NOTADB);
}

/*
 * A learning database cut short.  The header records the page count, and
 * SQLite refuses a file with fewer whole pages than that as malformed
 * before anything else is read: cut one page short, to half, or inside
 * the 100-byte header, the file is refused at sc_open with SC_NOTADB and
 * left unchanged.  Cut inside its last page, the page count still matches
 * (a partial page counts as one), so sc_open succeeds and reads see zeros
 * where the lost bytes were; only PRAGMA integrity_check notices.  The
 * open itself leaves the file unchanged.
 */
static void
test_truncated_database(void)
{
    char path[512], buf[256];
    struct bytes full, cut;
    size_t cuts[3];
    sc_db *db;
    int i, rc;

    CHECK_INT(make_learning_db(scratch(path, sizeof path, "trunc.db"),
                               3000), SC_OK);
    full = slurp(path);
    CHECK(full.ok && full.len > 100000 && full.len % 4096 == 0);
    if (!full.ok || full.len <= 100000)
        return;
    cuts[0] = full.len - 4096;
    cuts[1] = full.len / 2;
    cuts[2] = 50;
    for (i = 0; i < 3; i++) {
        CHECK_INT(spit(path, full.p, cuts[i]), 0);
        printf("     cut to %zu of %zu bytes:\n", cuts[i], full.len);
        expect_refused(path, SC_NOTADB);
    }

    CHECK_INT(spit(path, full.p, full.len - 1000), 0);
    cut = slurp(path);
    rc = sc_open(&db, path, &learning_schema, NULL);
    CHECK_INT(rc, SC_OK);
    if (rc == SC_OK) {
        CHECK(strcmp(integrity(db, buf, sizeof buf), "ok") != 0);
        printf("     cut inside the last page: sc_open ok, "
               "integrity_check: %.70s\n", buf);
    }
    sc_close(db);
    CHECK(unchanged(path, &cut));
    free(cut.p);
    free(full.p);
}

/*
 * A sound database with a -wal file of random bytes beside it (a WAL from
 * something else, or torn garbage): SQLite checks each frame's salt and
 * checksum and ignores what does not match, so sc_open succeeds and the
 * data is whole.
 */
static void
test_garbage_wal(void)
{
    unsigned char junk[32768];
    char path[512], wal[600], buf[256];
    unsigned x = 88172645u;
    FILE *f;
    size_t i;
    sc_db *db;

    CHECK_INT(make_learning_db(scratch(path, sizeof path, "wal.db"), 50),
              SC_OK);
    for (i = 0; i < sizeof junk; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        junk[i] = (unsigned char)x;
    }
    snprintf(wal, sizeof wal, "%s-wal", path);
    f = fopen(wal, "wb");
    CHECK(f != NULL && fwrite(junk, 1, sizeof junk, f) == sizeof junk);
    if (f != NULL)
        fclose(f);
    CHECK_INT(sc_open(&db, path, &learning_schema, NULL), SC_OK);
    CHECK_INT(db_int(db, "SELECT count(*) FROM patterns"), 50);
    CHECK_STR(integrity(db, buf, sizeof buf), "ok");
    CHECK_INT(insert_pattern(db, 77, 10), SC_OK);
    sc_close(db);
}

/* Another program's database (tables, no version record): SC_VERSION,
 * unchanged. */
static void
test_other_schema(void)
{
    char path[512];

    CHECK_INT(raw_exec(scratch(path, sizeof path, "other.db"),
                       "CREATE TABLE accounts (id INTEGER PRIMARY KEY, "
                       "name TEXT); INSERT INTO accounts (name) VALUES "
                       "('ann'), ('bob')"), SQLITE_OK);
    expect_refused(path, SC_VERSION);
}

/* Another program's database in WAL mode with a schema_version table of
 * its own holding no rows: SC_VERSION (tables, no version), unchanged. */
static void
test_other_schema_empty_version_table(void)
{
    char path[512];

    CHECK_INT(raw_exec(scratch(path, sizeof path, "other2.db"),
                       "PRAGMA journal_mode = WAL; CREATE TABLE "
                       "schema_version (version INTEGER PRIMARY KEY); "
                       "CREATE TABLE things (id TEXT)"), SQLITE_OK);
    expect_refused(path, SC_VERSION);
}

/* A learning database at version 16, newer than the code: SC_VERSION,
 * unchanged. */
static void
test_newer_version(void)
{
    char path[512];

    CHECK_INT(make_learning_db(scratch(path, sizeof path, "newer.db"), 10),
              SC_OK);
    CHECK_INT(raw_exec(path, "UPDATE schema_version SET version = 16"),
              SQLITE_OK);
    expect_refused(path, SC_VERSION);
}

/*
 * A version table with several rows: the largest counts (the Python
 * store's LIMIT 1 would read an arbitrary one).  Rows 1, 15, 3: version
 * 15, opened as current with nothing migrated; rows 3, 16, 15: newer,
 * refused unchanged.
 */
static void
test_several_version_rows(void)
{
    struct learning_patterns p = LEARNING_PATTERNS_INIT;
    char path[512];
    sc_db *db;

    CHECK_INT(make_learning_db(scratch(path, sizeof path, "multi.db"), 10),
              SC_OK);
    CHECK_INT(raw_exec(path, "DELETE FROM schema_version; INSERT INTO "
                       "schema_version VALUES (1), (15), (3)"), SQLITE_OK);
    CHECK_INT(sc_open(&db, path, &learning_schema, NULL), SC_OK);
    CHECK_INT(sc_version(db), 15);
    CHECK_INT(db_int(db, "SELECT count(*) FROM schema_version"), 3);
    CHECK_INT(learning_patterns_get(db, "p00000003", &p), SC_OK);
    CHECK_STR(p.pattern_name, "pattern 3");
    learning_patterns_free(&p);
    sc_close(db);

    CHECK_INT(raw_exec(path, "DELETE FROM schema_version; INSERT INTO "
                       "schema_version VALUES (3), (16), (15)"), SQLITE_OK);
    expect_refused(path, SC_VERSION);
}

/* The tests of `badfiles DIR`. */
static const struct t_test tests[] = {
    T_TEST(test_disk_full),
    T_TEST(test_read_only_file),
    T_TEST(test_empty_file),
    T_TEST(test_random_bytes),
    T_TEST(test_text_file),
    T_TEST(test_header_then_garbage),
    T_TEST(test_truncated_database),
    T_TEST(test_garbage_wal),
    T_TEST(test_other_schema),
    T_TEST(test_other_schema_empty_version_table),
    T_TEST(test_newer_version),
    T_TEST(test_several_version_rows),
};

/* The test of `badfiles check-ro FILE`. */
static const struct t_test ro_tests[] = {
    T_TEST(test_read_only_mount),
};

/* badfiles DIR | prep-ro FILE | check-ro FILE (see the top of the file);
 * exit status 0 when every test passed. */
int
main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "prep-ro") == 0)
        return make_learning_db(argv[2], 20) == SC_OK ? 0 : 1;
    if (argc == 3 && strcmp(argv[1], "check-ro") == 0) {
        ro_mount_path = argv[2];
        return T_RUN_ALL(ro_tests);
    }
    if (argc != 2) {
        fprintf(stderr, "usage: badfiles DIR | prep-ro FILE | check-ro "
                "FILE\n");
        return 2;
    }
    dir = argv[1];
    /* As root the read-only test runs as nobody, who must reach DIR. */
    if (geteuid() == 0)
        chmod(dir, 0755);
    return T_RUN_ALL(tests);
}
