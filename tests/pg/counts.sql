-- counts.sql - each table of the database and its number of rows (after
-- a tab), one a line, sorted (tests/pg/run.sh: the rows loaded at
-- version 1 must all be there after the migrations).
SELECT quote_ident(table_name) || E'\t'
       || (xpath('/row/n/text()',
                 query_to_xml(format('SELECT count(*) AS n FROM %I',
                                     table_name), false, true, '')))[1]::text
  FROM information_schema.tables
 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
 ORDER BY 1;
