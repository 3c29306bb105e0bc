-- Rows of a version-1 booktest database, written straight in SQL as an
-- older program would have.  Version 1 has no foreign key on
-- books.author_id, so book 3 names an author no one has; the step to
-- version 2 deletes it before the key is checked.  The suite loads these
-- rows after `schemac --ddl-version 1 booktest.schema` and records
-- version 1 (PRAGMA user_version); the program then opens the file,
-- which migrates it to version 2.
INSERT INTO authors (author_id, name)
VALUES (1, 'Unknown Master'), (2, 'Ursula K. Le Guin');
INSERT INTO books (book_id, author_id, isbn, book_type, title, yr,
                   available, tag)
VALUES (1, 1, '1', 'FICTION', 'my book title', 2016,
        '2016-01-02 03:04:05', 'vacation'),
       (2, 2, '978-0441478125', 'FICTION', 'The Left Hand of Darkness',
        1969, '1969-03-01 00:00:00', 'classic'),
       (3, 9, '3', 'NONFICTION', 'the cold hard truth', 2016,
        '2016-05-06 07:08:09', 'cool');
