-- Rows of a version-1 Django database, written straight in SQL as Django
-- would have: content types still with their name, a user whose
-- last_login had to be set, a group and the rows that join them.  The
-- suite loads them after `schemac --ddl-version 1 django.schema` and
-- records version 1 (PRAGMA user_version); the program then opens the
-- file, which migrates it to version 2.
INSERT INTO django_content_type (id, name, app_label, model)
VALUES (1, 'permission', 'auth', 'permission'),
       (2, 'group', 'auth', 'group'),
       (3, 'user', 'auth', 'user');
INSERT INTO auth_permission (id, content_type_id, codename, name)
VALUES (1, 3, 'add_user', 'Can add user'),
       (2, 3, 'change_user', 'Can change user'),
       (3, 3, 'delete_user', 'Can delete user'),
       (4, 2, 'add_group', 'Can add group');
INSERT INTO auth_group (id, name) VALUES (1, 'editors');
INSERT INTO auth_group_permissions (id, group_id, permission_id)
VALUES (1, 1, 2);
INSERT INTO auth_user (id, password, last_login, is_superuser, username,
                       last_name, email, is_staff, is_active, date_joined,
                       first_name)
VALUES (1, 'pbkdf2_sha256$260000$salt$hash', '2015-01-02 03:04:05.678901',
        0, 'alice', 'Liddell', 'alice@example.com', 1, 1,
        '2014-12-01 10:00:00', 'Alice');
INSERT INTO auth_user_groups (id, user_id, group_id) VALUES (1, 1, 1);
INSERT INTO auth_user_user_permissions (id, user_id, permission_id)
VALUES (1, 1, 1);
INSERT INTO django_session (session_key, session_data, expire_date)
VALUES ('k7v1', 'e30:1abc', '2015-01-16 03:04:05.678901');
