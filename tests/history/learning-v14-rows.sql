-- Rows of a version-14 learning database whose pattern_applications still
-- has both foreign keys; a3 points at rows that do not exist (written with
-- foreign keys off), and must survive the version-15 rebuild as it is.
INSERT INTO executions (id, workspace_hash, job_hash, sheet_num)
    VALUES ('e1', 'ws01', 'job01', 1);
INSERT INTO patterns (id, pattern_type, pattern_name, content_hash)
    VALUES ('p1', 'retry', 'a pattern', 'h1');
INSERT INTO pattern_applications VALUES
    ('a1', 'p1', 'e1', '2026-01-02T03:04:06', 1, 0, 1, 0.75),
    ('a2', 'p1', NULL, NULL, 0, NULL, NULL, NULL),
    ('a3', 'nope', 'gone', NULL, NULL, 2, 2, 1.0);
