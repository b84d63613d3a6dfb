-- login_failures gets an id: a sign-in attempt is now counted before its
-- password is checked (so that a burst of parallel guesses cannot all pass
-- the limit), and taken back by id when the password was right.
ALTER TABLE login_failures ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
