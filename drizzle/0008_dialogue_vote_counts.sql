-- How many votes each dialogue holds, kept by statement-level triggers, so that the dialogue list and page need not
-- count a million vote rows on every request (600 ms on the embedded database, which runs one query at a time and
-- would hold up voting meanwhile). Derived data in the read_model schema (0005): left out of backups; a TRUNCATE of
-- dialogue_vote (restore) empties it, and the votes inserted after it count again.
CREATE SCHEMA IF NOT EXISTS read_model;
--> statement-breakpoint
CREATE TABLE read_model.dialogue_votes (dialogue_id uuid PRIMARY KEY, votes bigint NOT NULL DEFAULT 0);
--> statement-breakpoint
INSERT INTO read_model.dialogue_votes (dialogue_id, votes) SELECT dialogue_id, count(*) FROM dialogue_vote GROUP BY dialogue_id;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.dialogue_votes_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO read_model.dialogue_votes AS d (dialogue_id, votes)
    SELECT dialogue_id, count(*) FROM new_rows GROUP BY dialogue_id
    ON CONFLICT (dialogue_id) DO UPDATE SET votes = d.votes + excluded.votes;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.dialogue_votes_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE read_model.dialogue_votes d SET votes = d.votes - o.n
    FROM (SELECT dialogue_id, count(*) AS n FROM old_rows GROUP BY dialogue_id) o WHERE d.dialogue_id = o.dialogue_id;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.dialogue_votes_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.dialogue_votes;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- an upsert that changes an existing vote fires only the update trigger: the count stays
CREATE TRIGGER dialogue_votes_ins AFTER INSERT ON dialogue_vote REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.dialogue_votes_added();
--> statement-breakpoint
CREATE TRIGGER dialogue_votes_del AFTER DELETE ON dialogue_vote REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.dialogue_votes_removed();
--> statement-breakpoint
CREATE TRIGGER dialogue_votes_trunc AFTER TRUNCATE ON dialogue_vote
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.dialogue_votes_truncated();
