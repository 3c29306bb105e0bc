/*
 * open_db.c - open one database file with a generated schema descriptor
 * and say what sc_open() answered, so run.sh can test migrations on files
 * it prepared with sqlite3.  Built once per schema with
 * -DSCHEMA_HEADER='"NAME.h"' -DSCHEMA_VAR=NAME_schema.
 *
 *   open_db FILE      prints "rc=SC_..." and, on failure, "msg=..."
 *
 * Exit status 0 when sc_open() returned SC_OK, 3 when it returned an
 * error, 2 for a bad command line.
 */
#include SCHEMA_HEADER

#include <stdio.h>

#include "schemac.h"

/* The name of an sc_open() result code as schemac.h spells it. */
static const char *
rc_name(int rc)
{
    switch (rc) {
    case SC_OK:         return "SC_OK";
    case SC_NOTFOUND:   return "SC_NOTFOUND";
    case SC_CONSTRAINT: return "SC_CONSTRAINT";
    case SC_BUSY:       return "SC_BUSY";
    case SC_VERSION:    return "SC_VERSION";
    case SC_NOTADB:     return "SC_NOTADB";
    case SC_MISUSE:     return "SC_MISUSE";
    case SC_NOMEM:      return "SC_NOMEM";
    case SC_IO:         return "SC_IO";
    case SC_ERROR:      return "SC_ERROR";
    }
    return "unknown";
}

/* Open argv[1] with SCHEMA_VAR, report the result code, close. */
int
main(int argc, char **argv)
{
    sc_db *db = NULL;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: open_db FILE\n");
        return 2;
    }
    rc = sc_open(&db, argv[1], &SCHEMA_VAR, NULL);
    printf("rc=%s\n", rc_name(rc));
    if (rc != SC_OK)
        printf("msg=%s\n", sc_errmsg(db));
    sc_close(db);
    return rc == SC_OK ? 0 : 3;
}
