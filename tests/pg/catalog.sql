-- catalog.sql - what a database's schema is, one fact a line, sorted, so
-- that two databases can be compared with diff (tests/pg/run.sh, cases
-- migrate/NAME: migrated from version 1 against created at the current
-- version).  Names PostgreSQL chose itself are left out, since they
-- follow the table's name when the object was made, which a rename or a
-- rebuild leaves behind: an unnamed constraint is its table, kind and
-- definition; an index behind a constraint is the constraint's; an
-- identity's sequence is not listed.  Columns are compared by name, not
-- by place: ALTER TABLE ADD COLUMN appends, and every statement the
-- runtime runs names its columns.
SELECT 'table ' || quote_ident(table_name)
  FROM information_schema.tables
 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
UNION ALL
SELECT 'column ' || quote_ident(table_name) || '.' || quote_ident(column_name)
       || ' ' || data_type
       || CASE is_nullable WHEN 'NO' THEN ' not null' ELSE '' END
       || coalesce(' default ' || column_default, '')
       || CASE is_identity WHEN 'YES'
              THEN ' identity ' || identity_generation ELSE '' END
       || coalesce(' generated ' || generation_expression, '')
       || coalesce(' collate ' || collation_name, '')
  FROM information_schema.columns
 WHERE table_schema = 'public'
UNION ALL
SELECT 'constraint ' || conrelid::regclass::text || ' ' || contype::text || ' '
       || pg_get_constraintdef(oid)
       || CASE WHEN conname ~ '_(pkey|key|fkey|check)[0-9]*$' THEN ''
               ELSE ' named ' || quote_ident(conname) END
  FROM pg_constraint
 WHERE connamespace = 'public'::regnamespace
UNION ALL
SELECT 'index ' || i.indexname || ' ' || i.indexdef
  FROM pg_indexes i
 WHERE i.schemaname = 'public'
   AND NOT EXISTS (SELECT 1 FROM pg_constraint k
                    WHERE k.conindid = (quote_ident(i.schemaname) || '.'
                                        || quote_ident(i.indexname))::regclass)
UNION ALL
SELECT 'view ' || quote_ident(viewname) || ' ' || definition
  FROM pg_views
 WHERE schemaname = 'public'
UNION ALL
SELECT 'trigger ' || tgrelid::regclass::text || ' ' || pg_get_triggerdef(oid)
  FROM pg_trigger
 WHERE NOT tgisinternal
ORDER BY 1;
