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
  key_en text COLLATE "C" NOT NULL,
  key_he text COLLATE "C" NOT NULL,
  key_ar text COLLATE "C" NOT NULL
);
CREATE INDEX IF NOT EXISTS person_order_key_en_idx ON read_model.person_order (key_en, person_id);
CREATE INDEX IF NOT EXISTS person_order_key_he_idx ON read_model.person_order (key_he, person_id);
CREATE INDEX IF NOT EXISTS person_order_key_ar_idx ON read_model.person_order (key_ar, person_id);

-- The name shown to a reader of a script (latin, hebrew, arabic), as the staff app picks it.
CREATE OR REPLACE FUNCTION read_model.person_shown_name(pid uuid, display text, restricted_identity boolean, script text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN restricted_identity THEN display ELSE coalesce(
    (SELECT display WHERE EXISTS (SELECT 1 FROM person_name n WHERE n.person_id = pid AND n.name = display AND n.script = person_shown_name.script)),
    (SELECT n.name FROM person_name n WHERE n.person_id = pid AND n.script = person_shown_name.script
      ORDER BY array_position(ARRAY['primary', 'alternate', 'transliteration'], n.kind), read_model.name_order_key_en(n.name), n.name COLLATE "C", n.id
      LIMIT 1),
    display) END
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
    key_en = read_model.name_order_key_en(read_model.person_shown_name(p.id, p.display_name, p.identity_restricted, 'latin')),
    key_he = read_model.name_order_key_he(read_model.person_shown_name(p.id, p.display_name, p.identity_restricted, 'hebrew')),
    key_ar = read_model.name_order_key_ar(read_model.person_shown_name(p.id, p.display_name, p.identity_restricted, 'arabic'))
    FROM person p WHERE p.id = r.person_id AND r.person_id = ANY (ids);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_person_order() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.person_order;
  INSERT INTO read_model.person_order (person_id, key_en, key_he, key_ar)
    SELECT p.id,
      read_model.name_order_key_en(read_model.person_shown_name(p.id, p.display_name, p.identity_restricted, 'latin')),
      read_model.name_order_key_he(read_model.person_shown_name(p.id, p.display_name, p.identity_restricted, 'hebrew')),
      read_model.name_order_key_ar(read_model.person_shown_name(p.id, p.display_name, p.identity_restricted, 'arabic'))
    FROM person p;
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
