-- Rows of a version-1 hockey database (Schema.kt's seed data, in part),
-- written straight in SQL as an older program would have.  The suite
-- loads them after `schemac --ddl-version 1 hockey.schema` and records
-- version 1 (PRAGMA user_version); the program then opens the file,
-- which migrates it to version 2.
INSERT INTO team (id, name, founded, coach, won_cup)
VALUES (1, 'Anaheim Ducks', 8460, 'Randy Carlyle', 1),
       (2, 'Pittsburgh Penguins', -1423, 'Mike Sullivan', 1);
INSERT INTO player (id, first_name, last_name, number, team, age,
                    birth_date, weight, shoots, position)
VALUES (1, 'Corey', 'Perry', 10, 1, 30, 5614, 210, 'RIGHT', 'RIGHT_WING'),
       (2, 'Ryan', 'Getzlaf', 15, 1, 30, 5608, 221, 'RIGHT', 'CENTER'),
       (3, 'Sidney', 'Crosby', 87, 2, 28, 6427, 200, 'LEFT', 'CENTER');
UPDATE team SET captain = 2 WHERE id = 1;
UPDATE team SET captain = 3 WHERE id = 2;
