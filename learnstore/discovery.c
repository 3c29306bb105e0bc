/*
 * discovery.c - pattern discoveries broadcast between running jobs: each
 * lives for a time to live, and other jobs poll for the unexpired ones.
 */
#include "learnstore.h"
#include "internal.h"

#include <stdlib.h>
#include <string.h>

/* Record a discovery that expires ttl_seconds from now (naive local
 * times, as datetime.now() + timedelta). */
int
ls_record_pattern_discovery(sc_db *db, const struct ls_discovery *d,
                            char id_out[LS_UUID_LEN])
{
    struct learning_pattern_discovery_events row =
        LEARNING_PATTERN_DISCOVERY_EVENTS_INIT;
    char id[LS_UUID_LEN], now[LS_TIME_LEN], expires[LS_TIME_LEN];
    char job[LS_HASH_HEX], *tags;
    int64_t wall = lsi_local_wall(lsi_now_us()), until;
    int rc;

    if (d == NULL)
        return lsi_misuse(db, __func__, "discovery is NULL");
    if (d->job_id == NULL)
        return lsi_misuse(db, __func__, "job_id is NULL");
    if ((rc = lsi_check_list(db, __func__, "context_tags", d->context_tags,
                             d->ncontext_tags, true)) != SC_OK
        || (rc = lsi_add_seconds(db, __func__, "ttl_seconds", wall,
                                 d->ttl_seconds, &until)) != SC_OK
        || (rc = ls_uuid4(id)) != SC_OK
        || (rc = ls_hash_job(d->job_id, NULL, job)) != SC_OK)
        return rc;
    lsi_format_wall(wall, "", now);
    lsi_format_wall(until, "", expires);
    if ((tags = ls_json_list(d->context_tags, d->ncontext_tags)) == NULL)
        return SC_NOMEM;
    row.id = id;
    row.pattern_id = d->pattern_id;
    row.pattern_name = d->pattern_name;
    row.pattern_type = d->pattern_type;
    row.source_job_hash = job;
    row.recorded_at = now;
    row.expires_at = expires;
    row.effectiveness_score = d->effectiveness_score;
    row.context_tags = tags;
    rc = learning_pattern_discovery_events_insert(db, &row);
    free(tags);
    if (rc == SC_OK && id_out != NULL)
        memcpy(id_out, id, LS_UUID_LEN);
    return rc;
}

/* The clause "expiry after ?", comparing text in bytes as SQLite does,
 * also on a PostgreSQL server whose locale sorts text otherwise. */
static const char *
expires_after(sc_db *db)
{
    return sc_sqlite(db) != NULL ? "expires_at > ?"
                                 : "expires_at COLLATE \"C\" > ?";
}

/* Unexpired discoveries of other jobs, newest first. */
int
ls_check_recent_pattern_discoveries(sc_db *db, const char *exclude_job_id,
                                    const char *pattern_type,
                                    double min_effectiveness, int64_t limit,
                                    int (*each)(const struct
                                        learning_pattern_discovery_events *,
                                        void *),
                                    void *arg)
{
    static const sc_order newest = {
        LEARNING_PATTERN_DISCOVERY_EVENTS_COL_RECORDED_AT, true
    };
    char now[LS_TIME_LEN], job[LS_HASH_HEX];
    sc_where w = SC_WHERE_INIT;
    int rc = SC_OK;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    lsi_format_local(lsi_now_us(), now);
    sc_where_add(&w, expires_after(db), 1, sc_text(now));
    sc_where_add(&w, "effectiveness_score >= ?", 1,
                 sc_real(min_effectiveness));
    /* "if exclude_job_id" in Python: an empty id excludes nothing. */
    if (exclude_job_id != NULL && exclude_job_id[0] != '\0'
        && (rc = ls_hash_job(exclude_job_id, NULL, job)) == SC_OK)
        sc_where_add(&w, "source_job_hash != ?", 1, sc_text(job));
    if (pattern_type != NULL)
        sc_where_add(&w, "pattern_type = ?", 1, sc_text(pattern_type));
    if (rc == SC_OK)
        rc = learning_pattern_discovery_events_select(db, &w, &newest, 1,
                                                      limit, 0, each, arg);
    sc_where_fini(&w);
    return rc;
}

/* Delete the expired discoveries. */
int
ls_cleanup_expired_pattern_discoveries(sc_db *db, int64_t *deleted)
{
    char now[LS_TIME_LEN];

    lsi_format_local(lsi_now_us(), now);
    return learning_delete_expired_discoveries(db, now, deleted);
}

/* Every unexpired discovery (of pattern_type when it is neither NULL nor
 * ""), newest first. */
int
ls_get_active_pattern_discoveries(sc_db *db, const char *pattern_type,
                                  int (*each)(const struct
                                      learning_pattern_discovery_events *,
                                      void *),
                                  void *arg)
{
    static const sc_order newest = {
        LEARNING_PATTERN_DISCOVERY_EVENTS_COL_RECORDED_AT, true
    };
    char now[LS_TIME_LEN];
    sc_where w = SC_WHERE_INIT;
    int rc;

    if (each == NULL)
        return lsi_misuse(db, __func__, "each is NULL");
    lsi_format_local(lsi_now_us(), now);
    sc_where_add(&w, expires_after(db), 1, sc_text(now));
    if (pattern_type != NULL && pattern_type[0] != '\0')
        sc_where_add(&w, "pattern_type = ?", 1, sc_text(pattern_type));
    rc = learning_pattern_discovery_events_select(db, &w, &newest, 1, -1, 0,
                                                  each, arg);
    sc_where_fini(&w);
    return rc;
}
