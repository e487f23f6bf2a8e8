-- read_model.dialogue_votes: how many votes each dialogue holds, so that the dialogue list and page need not count a
-- million vote rows on every request (600 ms on the embedded database, which runs one query at a time and would hold up
-- voting meanwhile).
--
-- Derived from: dialogue_vote.
-- Kept by: the statement triggers on dialogue_vote (registry.ts): rows inserted add, rows deleted subtract. The vote
-- writer's upsert that changes an existing vote is an UPDATE, which this model does not follow: the count stays. A
-- dialogue without votes has no row.
-- Rebuilt by: read_model.rebuild_dialogue_votes().

CREATE TABLE IF NOT EXISTS read_model.dialogue_votes (
  dialogue_id uuid PRIMARY KEY,
  votes bigint NOT NULL DEFAULT 0
);

CREATE OR REPLACE FUNCTION read_model.dialogue_votes_after_dialogue_vote(op text, olds dialogue_vote[], news dialogue_vote[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'INSERT' THEN
    INSERT INTO read_model.dialogue_votes AS d (dialogue_id, votes)
      SELECT dialogue_id, count(*) FROM unnest(news) GROUP BY dialogue_id
      ON CONFLICT (dialogue_id) DO UPDATE SET votes = d.votes + excluded.votes;
  ELSIF op = 'DELETE' THEN
    UPDATE read_model.dialogue_votes d SET votes = d.votes - o.n
      FROM (SELECT dialogue_id, count(*) AS n FROM unnest(olds) GROUP BY dialogue_id) o WHERE d.dialogue_id = o.dialogue_id;
    -- as a rebuild leaves it: no row for a dialogue without votes
    DELETE FROM read_model.dialogue_votes d USING unnest(olds) o WHERE d.dialogue_id = o.dialogue_id AND d.votes <= 0;
  END IF;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_dialogue_votes() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.dialogue_votes;
  INSERT INTO read_model.dialogue_votes (dialogue_id, votes) SELECT dialogue_id, count(*) FROM dialogue_vote GROUP BY dialogue_id;
END;
$$;
