-- read_model.campaign_cell: per cell of a campaign's grid (target × ask), the latest stance overall (by as_of, then
-- when it was recorded, then id) and whether the cell holds any stance a reader might not see: one citing a RESTRICTED
-- meeting, or any stance when the target is a RESTRICTED person (docs/campaigns.md, item 3). What is current depends on
-- the reader, so this is not "the current stance": for a cell that is not guarded, every reader who sees the campaign
-- sees every stance of it (an unrestricted meeting and an unrestricted person are seen by all), so the latest overall
-- IS the current stance for each of them; a guarded cell is derived per reader from the stances they may see
-- (access/campaigns.ts, currentCells). An administrator sees everything: every cell from here.
--
-- Derived from: campaign_stance, campaign_target (person_id), person (restricted), meeting (restricted).
--
-- read_model.campaign_version: per campaign, a token that every write which can change what its grid, movement since or
-- chart shows replaces, in the same statement (the statement triggers below): a stance, an ask, a target (added,
-- removed, relabelled, merged), the campaign itself, the name of an organisation or a person it targets, a person
-- targeted restricted or opened, a meeting a stance cites restricted or opened. With the reader's guarded-cell
-- signature (which restricted meetings cited and restricted people targeted the reader may see: access/campaigns.ts
-- campaignAnswerKey) it keys the server's answers already serialised (features/campaigns/campaigns-answers.ts).
-- A random uuid, not a counter: a token never comes back (a rebuild, or the table made again, gives every campaign a new
-- one), so an answer kept under an old token can never be taken for a current one. Not data: rebuilt with new tokens.
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below:
-- each recomputes the cells the written rows touch. A cell without stances has no row.
-- Rebuilt by: read_model.rebuild_campaign_cell().
--
-- Concurrency: every handler first replaces the tokens of the campaigns it touches (locking their campaign_version rows,
-- in campaign id order), so that writers of one campaign queue there before any of them locks a target; a refresh then
-- locks the targets whose cells it recomputes (FOR NO KEY UPDATE, which does not block
-- the foreign-key checks of stances being recorded), in id order, and only then reads the stances. Under READ
-- COMMITTED each statement of a PL/pgSQL function takes a new snapshot, so a transaction that waited for another sees
-- that one's committed stances: the last to commit recomputes from everything.

CREATE TABLE IF NOT EXISTS read_model.campaign_cell (
  target_id uuid NOT NULL,
  ask_id uuid NOT NULL,
  campaign_id uuid NOT NULL,
  -- the latest stance of the cell, whoever may see it
  stance_id uuid NOT NULL,
  value text NOT NULL,
  held_on date NOT NULL,
  evidence_kind text NOT NULL,
  meeting_id uuid,
  -- how many stances the cell holds
  stances integer NOT NULL,
  -- a stance cites a restricted meeting, or the target is a restricted person: derived per reader
  guarded boolean NOT NULL,
  -- the latest stance that cites no restricted meeting (null: none), and how many such the cell holds: whoever sees
  -- the target sees these, so a guarded cell is derived per reader from this one and the few stances citing a
  -- restricted meeting, never from all its stances
  open_stance_id uuid,
  open_value text,
  open_held_on date,
  open_recorded_at timestamptz,
  open_evidence_kind text,
  open_stances integer NOT NULL,
  PRIMARY KEY (target_id, ask_id)
);

CREATE INDEX IF NOT EXISTS campaign_cell_campaign_idx ON read_model.campaign_cell (campaign_id, guarded);

CREATE TABLE IF NOT EXISTS read_model.campaign_version (
  campaign_id uuid PRIMARY KEY,
  version uuid NOT NULL
);

-- A new token for each of these campaigns that still exists; the row of one deleted goes.
CREATE OR REPLACE FUNCTION read_model.bump_campaigns(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN RETURN; END IF;
  INSERT INTO read_model.campaign_version AS v (campaign_id, version)
    SELECT c.id, gen_random_uuid() FROM campaign c WHERE c.id IN (SELECT DISTINCT x FROM unnest(ids) x) ORDER BY c.id
  ON CONFLICT (campaign_id) DO UPDATE SET version = excluded.version;
  DELETE FROM read_model.campaign_version v WHERE v.campaign_id = ANY (ids) AND NOT EXISTS (SELECT 1 FROM campaign c WHERE c.id = v.campaign_id);
END;
$$;

-- The movement chart's summary, for the cells that are not guarded (whose history every reader of the campaign sees
-- whole): per cell and month in which it holds a stance, the latest stance of that month and the one before it
-- (campaign_cell_month), and per campaign, ask, month and value how many such cells came to stand there at that
-- month's end minus how many left it (campaign_month: a running sum over the months gives the counts). A guarded cell
-- has no rows here: the chart derives it per reader.
CREATE TABLE IF NOT EXISTS read_model.campaign_cell_month (
  target_id uuid NOT NULL,
  ask_id uuid NOT NULL,
  month text NOT NULL,
  campaign_id uuid NOT NULL,
  value text NOT NULL,
  prev_value text,
  PRIMARY KEY (target_id, ask_id, month)
);

CREATE TABLE IF NOT EXISTS read_model.campaign_month (
  campaign_id uuid NOT NULL,
  ask_id uuid NOT NULL,
  month text NOT NULL,
  value text NOT NULL,
  cells integer NOT NULL,
  PRIMARY KEY (campaign_id, ask_id, month, value)
);

-- The rows of the cells given (pairs of tids[i], aids[i]), from their stances: a cell without stances gives none.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_rows(tids uuid[], aids uuid[])
RETURNS SETOF read_model.campaign_cell LANGUAGE sql STABLE AS $$
  SELECT c.t, c.a, l.campaign_id, l.id, l.value, l.as_of, l.evidence_kind, l.meeting_id, k.n::integer,
      coalesce(p.restricted, false) OR k.n > k.n_open,
      o.id, o.value, o.as_of, o.recorded_at, o.evidence_kind, k.n_open::integer
    FROM (SELECT DISTINCT x.t, x.a FROM unnest(tids, aids) x(t, a)) c
      CROSS JOIN LATERAL (SELECT s.campaign_id, s.id, s.value, s.as_of, s.evidence_kind, s.meeting_id FROM campaign_stance s
        WHERE s.target_id = c.t AND s.ask_id = c.a ORDER BY s.as_of DESC, s.recorded_at DESC, s.id DESC LIMIT 1) l
      LEFT JOIN LATERAL (SELECT s.id, s.value, s.as_of, s.recorded_at, s.evidence_kind FROM campaign_stance s LEFT JOIN meeting m ON m.id = s.meeting_id
        WHERE s.target_id = c.t AND s.ask_id = c.a AND NOT coalesce(m.restricted, false) ORDER BY s.as_of DESC, s.recorded_at DESC, s.id DESC LIMIT 1) o ON true
      CROSS JOIN LATERAL (SELECT count(*) AS n, count(*) FILTER (WHERE NOT coalesce(m.restricted, false)) AS n_open
        FROM campaign_stance s LEFT JOIN meeting m ON m.id = s.meeting_id WHERE s.target_id = c.t AND s.ask_id = c.a) k
      JOIN campaign_target t ON t.id = c.t
      LEFT JOIN person p ON p.id = t.person_id
$$;

-- Adds (sign 1) or takes away (sign -1) what the month rows of these cells add to campaign_month.
CREATE OR REPLACE FUNCTION read_model.campaign_month_add(sign integer, tids uuid[], aids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO read_model.campaign_month AS cm (campaign_id, ask_id, month, value, cells)
    SELECT m.campaign_id, m.ask_id, m.month, v.value, sign * sum(v.n)::integer
      FROM read_model.campaign_cell_month m
        JOIN (SELECT DISTINCT x.t, x.a FROM unnest(tids, aids) x(t, a)) c ON m.target_id = c.t AND m.ask_id = c.a
        CROSS JOIN LATERAL (VALUES (m.value, 1), (m.prev_value, -1)) v(value, n)
      WHERE v.value IS NOT NULL
      GROUP BY m.campaign_id, m.ask_id, m.month, v.value
      HAVING sum(v.n) <> 0
    ON CONFLICT (campaign_id, ask_id, month, value) DO UPDATE SET cells = cm.cells + excluded.cells;
  -- as a rebuild leaves it: no row that adds nothing
  DELETE FROM read_model.campaign_month WHERE cells = 0;
END;
$$;

-- Recomputes the rows of these cells from their stances (the caller has locked what needs locking).
CREATE OR REPLACE FUNCTION read_model.replace_campaign_cells(tids uuid[], aids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.campaign_month_add(-1, tids, aids);
  DELETE FROM read_model.campaign_cell_month c USING unnest(tids, aids) x(t, a) WHERE c.target_id = x.t AND c.ask_id = x.a;
  DELETE FROM read_model.campaign_cell c USING unnest(tids, aids) x(t, a) WHERE c.target_id = x.t AND c.ask_id = x.a;
  INSERT INTO read_model.campaign_cell SELECT * FROM read_model.campaign_cell_rows(tids, aids);
  INSERT INTO read_model.campaign_cell_month (target_id, ask_id, month, campaign_id, value, prev_value)
    SELECT l.target_id, l.ask_id, l.month, l.campaign_id, l.value, lag(l.value) OVER (PARTITION BY l.target_id, l.ask_id ORDER BY l.month)
    FROM (SELECT DISTINCT ON (s.target_id, s.ask_id, to_char(s.as_of, 'YYYY-MM')) s.target_id, s.ask_id, to_char(s.as_of, 'YYYY-MM') AS month, s.campaign_id, s.value
      FROM read_model.campaign_cell cc
        JOIN (SELECT DISTINCT x.t, x.a FROM unnest(tids, aids) x(t, a)) c ON cc.target_id = c.t AND cc.ask_id = c.a
        JOIN campaign_stance s ON s.target_id = cc.target_id AND s.ask_id = cc.ask_id
      WHERE NOT cc.guarded
      ORDER BY s.target_id, s.ask_id, to_char(s.as_of, 'YYYY-MM'), s.as_of DESC, s.recorded_at DESC, s.id DESC) l;
  PERFORM read_model.campaign_month_add(1, tids, aids);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.refresh_campaign_cells(tids uuid[], aids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF tids IS NULL OR cardinality(tids) = 0 OR read_model.pending() THEN RETURN; END IF;
  PERFORM 1 FROM campaign_target WHERE id IN (SELECT DISTINCT x FROM unnest(tids) x) ORDER BY id FOR NO KEY UPDATE;
  PERFORM read_model.replace_campaign_cells(tids, aids);
END;
$$;

-- Every cell of the stances of these targets (a target's person restricted or opened, or changed).
CREATE OR REPLACE FUNCTION read_model.refresh_campaign_cells_of_targets(targets uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tids uuid[];
  aids uuid[];
BEGIN
  IF targets IS NULL OR cardinality(targets) = 0 THEN RETURN; END IF;
  SELECT array_agg(x.target_id ORDER BY x.target_id, x.ask_id), array_agg(x.ask_id ORDER BY x.target_id, x.ask_id) INTO tids, aids
    FROM (SELECT DISTINCT s.target_id, s.ask_id FROM campaign_stance s WHERE s.target_id = ANY (targets)) x;
  PERFORM read_model.refresh_campaign_cells(tids, aids);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_campaign_cell() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tids uuid[];
  aids uuid[];
BEGIN
  SELECT array_agg(target_id), array_agg(ask_id) INTO tids, aids FROM campaign_stance;
  DELETE FROM read_model.campaign_version;
  INSERT INTO read_model.campaign_version (campaign_id, version) SELECT id, gen_random_uuid() FROM campaign;
  DELETE FROM read_model.campaign_month;
  DELETE FROM read_model.campaign_cell_month;
  DELETE FROM read_model.campaign_cell;
  IF tids IS NOT NULL THEN PERFORM read_model.replace_campaign_cells(tids, aids); END IF;
END;
$$;

-- Stances recorded (or, by a merge, moved to another target), or deleted with their campaign, target or ask.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_campaign_stance(op text, olds campaign_stance[], news campaign_stance[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tids uuid[];
  aids uuid[];
BEGIN
  SELECT array_agg(x.target_id ORDER BY x.target_id, x.ask_id), array_agg(x.ask_id ORDER BY x.target_id, x.ask_id) INTO tids, aids
    FROM (SELECT target_id, ask_id FROM unnest(news) UNION SELECT target_id, ask_id FROM unnest(olds)) x;
  -- the campaign's token first (the row lock every writer of a campaign takes first), then the targets
  PERFORM read_model.bump_campaigns(ARRAY(SELECT campaign_id FROM unnest(news) UNION SELECT campaign_id FROM unnest(olds)));
  IF op = 'DELETE' THEN
    -- the target may be gone with its campaign: nothing to lock, and the cells' rows go or are recomputed
    IF tids IS NOT NULL AND NOT read_model.pending() THEN PERFORM read_model.replace_campaign_cells(tids, aids); END IF;
  ELSE
    PERFORM read_model.refresh_campaign_cells(tids, aids);
  END IF;
END;
$$;

-- A target that becomes another person (a merge): its cells are guarded or not by the new person. A target added,
-- removed or relabelled: its campaign's answers change.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_campaign_target(op text, olds campaign_target[], news campaign_target[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.bump_campaigns(ARRAY(SELECT campaign_id FROM unnest(news) UNION SELECT campaign_id FROM unnest(olds)));
  IF op = 'UPDATE' THEN
    PERFORM read_model.refresh_campaign_cells_of_targets((SELECT array_agg(n.id ORDER BY n.id) FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id
      WHERE n.person_id IS DISTINCT FROM o.person_id));
  END IF;
END;
$$;

-- A campaign created, changed (its start: the chart's first month) or deleted.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_campaign(op text, olds campaign[], news campaign[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.bump_campaigns(ARRAY(SELECT id FROM unnest(news) UNION SELECT id FROM unnest(olds)));
END;
$$;

-- An ask added, reworded, moved or removed.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_campaign_ask(op text, olds campaign_ask[], news campaign_ask[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.bump_campaigns(ARRAY(SELECT campaign_id FROM unnest(news) UNION SELECT campaign_id FROM unnest(olds)));
END;
$$;

-- An organisation targeted renamed (the grid shows its name).
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_organisation(op text, olds organisation[], news organisation[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.bump_campaigns(ARRAY(SELECT DISTINCT t.campaign_id FROM campaign_target t
    WHERE t.organisation_id IN (SELECT n.id FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id WHERE n.name IS DISTINCT FROM o.name)));
END;
$$;

-- A person restricted or opened: the cells of the targets that are this person. Renamed (the grid shows the display
-- name): the answers of the campaigns targeting them.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_person(op text, olds person[], news person[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.bump_campaigns(ARRAY(SELECT DISTINCT t.campaign_id FROM campaign_target t
    WHERE t.person_id IN (SELECT n.id FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id
      WHERE n.restricted IS DISTINCT FROM o.restricted OR n.display_name IS DISTINCT FROM o.display_name)));
  PERFORM read_model.refresh_campaign_cells_of_targets((SELECT array_agg(t.id ORDER BY t.id) FROM campaign_target t
    WHERE t.person_id IN (SELECT n.id FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id WHERE n.restricted IS DISTINCT FROM o.restricted)));
END;
$$;

-- A meeting restricted or opened: the cells holding a stance that cites it.
CREATE OR REPLACE FUNCTION read_model.campaign_cell_after_meeting(op text, olds meeting[], news meeting[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  tids uuid[];
  aids uuid[];
BEGIN
  SELECT array_agg(x.target_id ORDER BY x.target_id, x.ask_id), array_agg(x.ask_id ORDER BY x.target_id, x.ask_id) INTO tids, aids
    FROM (SELECT DISTINCT s.target_id, s.ask_id FROM campaign_stance s
      WHERE s.meeting_id IN (SELECT n.id FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id WHERE n.restricted IS DISTINCT FROM o.restricted)) x;
  PERFORM read_model.bump_campaigns(ARRAY(SELECT DISTINCT s.campaign_id FROM campaign_stance s
    WHERE s.meeting_id IN (SELECT n.id FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id WHERE n.restricted IS DISTINCT FROM o.restricted)));
  PERFORM read_model.refresh_campaign_cells(tids, aids);
END;
$$;
