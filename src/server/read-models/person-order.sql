-- read_model.person_order: the keys that order the people list for a reader of each language (COLLATE "C", then the
-- id): read_model.name_order_key_<lang> (name-order.sql) of the name the staff app shows that reader: a name recorded
-- in the language's script (the display name if it is one of them, else primary, alternate, transliteration, each
-- kind in the English key's order), else the display name (web: network/reader-name.ts personNameForReader).
--
-- A person whose identity is restricted is ordered by the display name, the pseudonym everyone may see, in every
-- language: ordering by a recorded name would tell a reader not granted the identity where the real name falls in
-- the alphabet. (A granted reader is shown the name in their script, but finds the person where the pseudonym sorts.)
--
-- Derived from: person (display_name, identity_restricted), person_name.
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below.
-- Rebuilt by: read_model.rebuild_person_order().

CREATE TABLE IF NOT EXISTS read_model.person_order (
  person_id uuid PRIMARY KEY,
  -- the name each key was made from: a write that leaves it as it was does not make the key again (a key costs far
  -- more than finding the name; an import writes each person, then their names)
  shown_en text,
  shown_he text,
  shown_ar text,
  key_en text COLLATE "C" NOT NULL,
  key_he text COLLATE "C" NOT NULL,
  key_ar text COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS person_order_key_en_idx ON read_model.person_order (key_en, person_id);
CREATE INDEX IF NOT EXISTS person_order_key_he_idx ON read_model.person_order (key_he, person_id);
CREATE INDEX IF NOT EXISTS person_order_key_ar_idx ON read_model.person_order (key_ar, person_id);

-- The names shown to readers of Latin, Hebrew and Arabic script, as the staff app picks them, for the people `ids`
-- in one pass over their names: the display name when it is recorded in that script, else the first by
-- kind (primary, alternate, transliteration, then the rest), ties by the English key (made only for names that tie),
-- then bytes, then id; the display name when none is recorded in that script or the identity is restricted.
CREATE OR REPLACE FUNCTION read_model.person_shown_names(ids uuid[]) RETURNS TABLE (person_id uuid, en text, he text, ar text) LANGUAGE sql STABLE AS $$
  WITH p AS (
    -- no "ids IS NULL OR": PostgreSQL plans the body once for any ids, and that plan scanned every person on each
    -- write (an import's batch of 500 took 300 ms instead of 9); a rebuild passes every id
    SELECT p.id, p.display_name, p.identity_restricted FROM person p WHERE p.id = ANY (ids)
  ), n AS (
    SELECT m.person_id, m.script, m.name, m.id, (m.name = p.display_name) AS is_display,
      array_position(ARRAY['primary', 'alternate', 'transliteration'], m.kind) AS r,
      count(*) OVER (PARTITION BY m.person_id, m.script, array_position(ARRAY['primary', 'alternate', 'transliteration'], m.kind)) AS ties
    FROM person_name m JOIN p ON p.id = m.person_id
    WHERE NOT p.identity_restricted AND m.script IN ('latin', 'hebrew', 'arabic')
  ), pick AS (
    SELECT DISTINCT ON (n.person_id, n.script) n.person_id, n.script, n.name FROM n
    ORDER BY n.person_id, n.script, n.is_display DESC, n.r,
      CASE WHEN n.ties > 1 AND NOT n.is_display THEN read_model.name_order_key_en(n.name) END, n.name COLLATE "C", n.id
  )
  SELECT p.id,
    coalesce(max(pick.name) FILTER (WHERE pick.script = 'latin'), p.display_name),
    coalesce(max(pick.name) FILTER (WHERE pick.script = 'hebrew'), p.display_name),
    coalesce(max(pick.name) FILTER (WHERE pick.script = 'arabic'), p.display_name)
  FROM p LEFT JOIN pick ON pick.person_id = p.id
  GROUP BY p.id, p.display_name
$$;

-- Locks the rows first, in id order, then reads the people: the last transaction to commit writes from everything committed.
CREATE OR REPLACE FUNCTION read_model.refresh_person_order(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  INSERT INTO read_model.person_order (person_id, key_en, key_he, key_ar)
    SELECT p.id, '', '', '' FROM person p WHERE p.id = ANY (ids) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.person_order WHERE person_id = ANY (ids) ORDER BY person_id FOR UPDATE;
  DELETE FROM read_model.person_order r WHERE r.person_id = ANY (ids) AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = r.person_id);
  UPDATE read_model.person_order r SET
    shown_en = s.en, shown_he = s.he, shown_ar = s.ar,
    key_en = CASE WHEN r.shown_en IS NOT DISTINCT FROM s.en THEN r.key_en ELSE read_model.name_order_key_en(s.en) END,
    key_he = CASE WHEN r.shown_he IS NOT DISTINCT FROM s.he THEN r.key_he ELSE read_model.name_order_key_he(s.he) END,
    key_ar = CASE WHEN r.shown_ar IS NOT DISTINCT FROM s.ar THEN r.key_ar ELSE read_model.name_order_key_ar(s.ar) END
    FROM read_model.person_shown_names(ids) s
    WHERE s.person_id = r.person_id
      AND (r.shown_en IS DISTINCT FROM s.en OR r.shown_he IS DISTINCT FROM s.he OR r.shown_ar IS DISTINCT FROM s.ar);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_person_order() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.person_order;
  INSERT INTO read_model.person_order (person_id, shown_en, shown_he, shown_ar, key_en, key_he, key_ar)
    SELECT s.person_id, s.en, s.he, s.ar, read_model.name_order_key_en(s.en), read_model.name_order_key_he(s.he), read_model.name_order_key_ar(s.ar)
    FROM read_model.person_shown_names(ARRAY(SELECT id FROM person)) s;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.person_order_after_person(op text, olds person[], news person[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  -- only what changes a key: a new or deleted person, a new display name or identity protection
  PERFORM read_model.refresh_person_order((SELECT array_agg(DISTINCT x.id) FROM (
    SELECT n.id FROM unnest(news) n LEFT JOIN unnest(olds) o ON o.id = n.id
      WHERE o.id IS NULL OR o.display_name IS DISTINCT FROM n.display_name OR o.identity_restricted IS DISTINCT FROM n.identity_restricted
    UNION SELECT o.id FROM unnest(olds) o WHERE op = 'DELETE') x));
END;
$$;

CREATE OR REPLACE FUNCTION read_model.person_order_after_person_name(op text, olds person_name[], news person_name[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_person_order((SELECT array_agg(DISTINCT x.person_id) FROM (
    SELECT person_id FROM unnest(news) UNION SELECT person_id FROM unnest(olds)) x));
END;
$$;
