-- identities.sql - each identity column whose sequence would hand out a
-- key its table already holds, with the two numbers, one a line; none in
-- a sound database (tests/pg/run.sh: after the migrations, whose table
-- rebuilds copy keys, which does not move a sequence by itself).
SELECT quote_ident(table_name) || '.' || quote_ident(column_name)
       || ': the sequence is at ' || coalesce(last::text, 'its start')
       || ', the largest key ' || top
  FROM (SELECT table_name, column_name,
               pg_sequence_last_value(pg_get_serial_sequence(
                   quote_ident(table_name), column_name)::regclass) AS last,
               (xpath('/row/m/text()',
                      query_to_xml(format('SELECT max(%I) AS m FROM %I',
                                          column_name, table_name),
                                   false, true, '')))[1]::text::bigint AS top
          FROM information_schema.columns
         WHERE table_schema = 'public' AND is_identity = 'YES') AS k
 WHERE top IS NOT NULL AND coalesce(last, 0) < top
 ORDER BY 1;
