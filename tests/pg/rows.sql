-- rows.sql - two rows in every table of a fresh database that will take
-- them, whatever its columns (tests/pg/run.sh loads it at version 1 of
-- each migrated schema, then checks the rows are all still there).  Row
-- k holds k in integers and keys, k + 0.5 in reals, 'rk' in text, TRUE
-- and '\x0k' bytes, so a foreign key holds its parent's key; an identity
-- draws its own (1 and 2 in a table that takes both rows at once, and
-- its sequence moves, as an application's inserts move it); a table
-- that refuses that (a check, an enum) gets its defaults, and NULL in
-- its other nullable columns, instead, or nothing.  Tables go in passes
-- until one adds no row, so parents are filled before their children.
DO $rows$
DECLARE
    t record;
    k int;
    pass int;
    added bool := true;
    filled bool;
    cols text;
    vals text;
    nulls text;
BEGIN
    FOR pass IN 1..10 LOOP
        EXIT WHEN NOT added;
        added := false;
        FOR t IN SELECT c.oid, c.oid::regclass::text AS name
                   FROM pg_class c
                  WHERE c.relnamespace = 'public'::regnamespace
                    AND c.relkind = 'r'
                  ORDER BY 2 LOOP
            EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s)', t.name)
               INTO filled;
            CONTINUE WHEN filled;
            FOR k IN 1..2 LOOP
                SELECT string_agg(quote_ident(a.attname), ', '),
                       string_agg(CASE
                           WHEN a.attidentity <> '' THEN 'DEFAULT'
                           WHEN a.atttypid = 'bigint'::regtype THEN k::text
                           WHEN a.atttypid = 'double precision'::regtype
                               THEN (k + 0.5)::text
                           WHEN a.atttypid = 'boolean'::regtype THEN 'TRUE'
                           WHEN a.atttypid = 'bytea'::regtype
                               THEN quote_literal('\x0' || k)
                           ELSE quote_literal('r' || k) END, ', '),
                       string_agg(CASE WHEN a.atthasdef
                                            OR a.attidentity <> ''
                           THEN 'DEFAULT'
                           WHEN a.attnotnull THEN CASE
                               WHEN a.atttypid = 'bigint'::regtype
                                   THEN k::text
                               WHEN a.atttypid = 'double precision'::regtype
                                   THEN (k + 0.5)::text
                               WHEN a.atttypid = 'boolean'::regtype
                                   THEN 'TRUE'
                               WHEN a.atttypid = 'bytea'::regtype
                                   THEN quote_literal('\x0' || k)
                               ELSE quote_literal('r' || k) END
                           ELSE 'NULL' END, ', ')
                  INTO cols, vals, nulls
                  FROM pg_attribute a
                 WHERE a.attrelid = t.oid AND a.attnum > 0
                   AND NOT a.attisdropped AND a.attgenerated = '';
                BEGIN
                    EXECUTE format('INSERT INTO %s (%s) VALUES (%s)',
                                   t.name, cols, vals);
                    added := true;
                EXCEPTION WHEN OTHERS THEN
                    BEGIN
                        EXECUTE format('INSERT INTO %s (%s) VALUES (%s)',
                                       t.name, cols, nulls);
                        added := true;
                    EXCEPTION WHEN OTHERS THEN
                        NULL;
                    END;
                END;
            END LOOP;
        END LOOP;
    END LOOP;
END
$rows$;
