-- read_model.person_tally: how many people there are, split by whether the person is restricted. The people list's
-- total for a reader with no filter is the unrestricted count plus the restricted people this reader is granted
-- (a few rows of access_grant), instead of counting every person under the reader's rule at every page (~6 ms at
-- 50,000 people, most of a page's cost). Admins see everyone: both counts.
--
-- One row. A statement that adds, deletes or (un)restricts people changes it once; other updates do not touch it,
-- so its row lock is taken only by those writes (an import's chunk, a new person), and held to their commit.
--
-- Derived from: person (restricted).
-- Kept by: the statement trigger on person (registry.ts), through read_model.person_tally_after_person.
-- Rebuilt by: read_model.rebuild_person_tally().

CREATE TABLE IF NOT EXISTS read_model.person_tally (
  id int PRIMARY KEY DEFAULT 1 CHECK (id = 1),
  unrestricted bigint NOT NULL,
  restricted bigint NOT NULL
);

CREATE OR REPLACE FUNCTION read_model.rebuild_person_tally() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO read_model.person_tally (id, unrestricted, restricted)
    SELECT 1, count(*) FILTER (WHERE NOT p.restricted), count(*) FILTER (WHERE p.restricted) FROM person p
  ON CONFLICT (id) DO UPDATE SET unrestricted = excluded.unrestricted, restricted = excluded.restricted;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.person_tally_after_person(op text, olds person[], news person[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  du bigint;
  dr bigint;
BEGIN
  SELECT coalesce(sum(CASE WHEN NOT x.restricted THEN x.sign END), 0), coalesce(sum(CASE WHEN x.restricted THEN x.sign END), 0)
    INTO du, dr
    FROM (SELECT n.restricted, 1 AS sign FROM unnest(news) n UNION ALL SELECT o.restricted, -1 FROM unnest(olds) o) x;
  IF du = 0 AND dr = 0 THEN RETURN; END IF;
  INSERT INTO read_model.person_tally AS t (id, unrestricted, restricted) VALUES (1, du, dr)
    ON CONFLICT (id) DO UPDATE SET unrestricted = t.unrestricted + du, restricted = t.restricted + dr;
END;
$$;
