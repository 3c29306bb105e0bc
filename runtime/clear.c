/*
 * clear.c - sc_clear_all: empty every data table of the schema in one
 * transaction (a savepoint inside a batch), children before parents.
 */
#include "internal.h"

/* Delete every row of every data table; the version record stays. */
int
sc_clear_all(sc_db *db)
{
    const sc_schema *s;
    size_t i;
    int rc;

    if ((rc = sc_batch_begin(db)) != SC_OK)
        return rc;
    s = db->schema;
    for (i = 0; i < s->ndata_tables && rc == SC_OK; i++) {
        char *sql = sqlite3_mprintf("DELETE FROM \"%w\"", s->data_tables[i]);
        rc = sql ? sci_exec(db, sql, "clear")
                 : sci_error(db, SC_NOMEM, "clear: out of memory");
        sqlite3_free(sql);
    }
    return sc_batch_end(db, rc);
}
