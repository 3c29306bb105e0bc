-- Rows for every table of a version-1 learning database (run.sh checks
-- they survive the migration to 15).  Booleans cover 1, 0 and NULL so
-- the renamed columns show they keep their values.
INSERT INTO executions VALUES
    ('e1', 'ws01', 'job01', 1, '2026-01-02T03:04:05.000001',
     '2026-01-02T03:05:05.5', 60.5, 'completed', 0, 1, 1.0, 0.9,
     'model-a', '[]'),
    ('e2', 'ws01', 'job02', 2, '2026-01-03T00:00:00+00:00', NULL, NULL,
     'failed', 3, 0, 0.25, 0.1, NULL, '["E101", "E102"]'),
    ('e3', 'ws02', 'job03', 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
     NULL, 'it''s quoted', NULL);
INSERT INTO patterns VALUES
    ('p1', 'retry', 'never applied, decayed', NULL, 1,
     '2026-01-01T00:00:00', '2026-01-01T00:00:00', NULL, 0, 0, 0.5, 0.0,
     NULL, '[]', 0.1),
    ('p2', 'retry', 'applied, low', 'desc', 4, '2026-01-01T00:00:00',
     '2026-01-02T00:00:00', '2026-01-02T00:00:00', 2, 1, 0.61, 0.02,
     'wait 5s', '["net"]', 0.2),
    ('p3', 'timeout', 'never applied, high', NULL, 1, NULL, NULL, NULL,
     0, 0, 0.5, 0.0, NULL, NULL, 0.9);
INSERT INTO pattern_applications VALUES
    ('a1', 'p2', 'e1', '2026-01-02T03:04:06', 1, 0, 0),
    ('a2', 'p2', 'e2', '2026-01-03T00:00:01', 0, 3, 4),
    ('a3', 'p1', 'e3', NULL, NULL, NULL, NULL);
INSERT INTO error_recoveries VALUES
    ('r1', 'E101', 10.0, 12.5, 1, '2026-01-02T03:04:05', 'model-a', 3),
    ('r2', 'E102', NULL, NULL, 0, NULL, NULL, 23);
INSERT INTO workspace_clusters VALUES
    ('ws01', 'c1', '2026-01-01T00:00:00'),
    ('ws02', NULL, NULL);
