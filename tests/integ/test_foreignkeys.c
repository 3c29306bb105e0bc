/*
 * test_foreignkeys.c - foreignkeys.schema's table-level foreign keys
 * against a real file: a composite key refuses a child whose pair no
 * parent has (even when each half exists somewhere), accepts a whole
 * key or NULLs, cascades deletes through two levels, and, being
 * deferrable, is checked at the commit of a batch rather than at each
 * insert; sc_clear_all empties the tables children first.
 * Usage: test_foreignkeys DB-PATH (a file that does not exist yet).
 */
#include <stdio.h>
#include <string.h>

#include "foreignkeys.h"
#include "harness.h"

static sc_db *db;

/* Insert artist id named name and its album (id, seq). */
static void
add_album(int64_t id, const char *name, int64_t seq, const char *title)
{
    struct foreignkeys_artists a = FOREIGNKEYS_ARTISTS_INIT;
    struct foreignkeys_albums al = FOREIGNKEYS_ALBUMS_INIT;

    a.id = id;
    a.name = name;
    if (name != NULL)
        CHECK_INT(foreignkeys_artists_insert(db, &a), SC_OK);
    al.artist = id;
    al.seq = seq;
    al.title = title;
    CHECK_INT(foreignkeys_albums_insert(db, &al), SC_OK);
}

/* Insert track id on album (artist, seq); return the insert's code. */
static int
add_track(int64_t id, int64_t artist, int64_t seq, const char *name)
{
    struct foreignkeys_tracks t = FOREIGNKEYS_TRACKS_INIT;

    t.id = id;
    t.artist = artist;
    t.has_artist = artist != 0;
    t.seq = seq;
    t.has_seq = seq != 0;
    t.name = name;
    return foreignkeys_tracks_insert(db, &t);
}

/* The number of rows in tracks. */
static int64_t
tracks(void)
{
    int64_t n = -1;

    CHECK_INT(foreignkeys_tracks_count(db, NULL, &n), SC_OK);
    return n;
}

/* (1, 1) and (2, 2) exist, so 1 and 2 exist as halves, but (1, 2) is no
 * album: outside a batch the deferred key fails at the insert's own
 * commit, and nothing is stored. */
static void
test_composite_refuses_mixed_halves(void)
{
    add_album(1, "Ann", 1, "First");
    add_album(2, "Bob", 2, "Second");
    CHECK_INT(add_track(10, 1, 1, "ok"), SC_OK);
    CHECK_INT(add_track(11, 1, 2, "mixed"), SC_CONSTRAINT);
    CHECK(strstr(sc_errmsg(db), "FOREIGN KEY") != NULL);
    CHECK_INT(tracks(), 1);
    /* A NULL anywhere in the key leaves it unchecked, as in SQL. */
    CHECK_INT(add_track(12, 1, 0, "no album"), SC_OK);
    CHECK_INT(tracks(), 2);
}

/* Deferrable: inside a batch the child may come before its album; the
 * commit checks the whole key. */
static void
test_deferred_to_commit(void)
{
    struct foreignkeys_albums al = FOREIGNKEYS_ALBUMS_INIT;
    int64_t before = tracks();

    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add_track(20, 1, 5, "early"), SC_OK);
    al.artist = 1;
    al.seq = 5;
    al.title = "Late";
    CHECK_INT(foreignkeys_albums_insert(db, &al), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_OK);
    CHECK_INT(tracks(), before + 1);

    /* An orphan left at commit fails the commit, which rolls back. */
    CHECK_INT(sc_batch_begin(db), SC_OK);
    CHECK_INT(add_track(21, 1, 9, "orphan"), SC_OK);
    CHECK_INT(sc_batch_commit(db), SC_CONSTRAINT);
    CHECK_INT(sc_batch_depth(db), 0);
    CHECK_INT(tracks(), before + 1);
}

/* Deleting an artist cascades to its albums and, over the composite
 * key, to their tracks. */
static void
test_cascade_through_composite(void)
{
    struct foreignkeys_tracks got = FOREIGNKEYS_TRACKS_INIT;
    int64_t n = -1;

    CHECK_INT(add_track(30, 2, 2, "second's"), SC_OK);
    CHECK_INT(foreignkeys_artists_delete(db, 2), SC_OK);
    CHECK_INT(foreignkeys_albums_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 2);
    CHECK_INT(foreignkeys_tracks_get(db, 30, &got), SC_NOTFOUND);
    CHECK_INT(foreignkeys_tracks_get(db, 10, &got), SC_OK);
    CHECK_STR(got.name, "ok");
    foreignkeys_tracks_free(&got);
}

/* sc_clear_all deletes children before parents, so the keys hold. */
static void
test_clear_all(void)
{
    int64_t n = -1;

    CHECK_INT(sc_clear_all(db), SC_OK);
    CHECK_INT(tracks(), 0);
    CHECK_INT(foreignkeys_artists_count(db, NULL, &n), SC_OK);
    CHECK_INT(n, 0);
}

static const struct t_test tests[] = {
    T_TEST(test_composite_refuses_mixed_halves),
    T_TEST(test_deferred_to_commit),
    T_TEST(test_cascade_through_composite),
    T_TEST(test_clear_all),
};

/* Open the database named on the command line and run every test. */
int
main(int argc, char **argv)
{
    int status;

    if (argc != 2) {
        fprintf(stderr, "usage: test_foreignkeys DB-PATH\n");
        return 2;
    }
    if (sc_open(&db, argv[1], &foreignkeys_schema, NULL) != SC_OK) {
        printf("FAIL open: %s\n", sc_errmsg(db));
        sc_close(db);
        return 1;
    }
    status = T_RUN_ALL(tests);
    sc_close(db);
    return status;
}
