/*
 * create.c - open (so create) a learning database at argv[1] with the
 * generated descriptor; exit 0 on success, printing the error otherwise.
 */
#include <stdio.h>

#include "learning.h"

int
main(int argc, char **argv)
{
    sc_db *db;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: create FILE\n");
        return 2;
    }
    rc = sc_open(&db, argv[1], &learning_schema, NULL);
    if (rc != SC_OK)
        fprintf(stderr, "create: %s\n", sc_errmsg(db));
    sc_close(db);
    return rc == SC_OK ? 0 : 1;
}
