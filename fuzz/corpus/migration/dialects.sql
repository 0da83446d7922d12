-- revision: abc123
-- message: m
-- +upgrade
-- +sqlite
CREATE TABLE t (a int);
-- +postgresql
CREATE TABLE t (a integer);
-- +downgrade
DROP TABLE t;
