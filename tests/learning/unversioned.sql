-- The indexes the learning store adds to the Python store's version 15,
-- unversioned (docs/learnstore.md, "Indexes of our own"): the one
-- difference a file shows after our store opened it.  sqlite_master keeps
-- each as written here.
CREATE INDEX idx_app_pattern_applied ON pattern_applications (pattern_id, applied_at);
