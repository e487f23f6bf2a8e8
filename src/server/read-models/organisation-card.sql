-- read_model.organisation_card: what the lists show of an organisation, as facts ready to copy. The organisation list
-- and member health show every organisation with its recorded names; building that per request (a hundred
-- organisations, their rows turned to JSON, their names aggregated) cost more than finding the page on the embedded
-- database, which runs one query at a time.
--
-- `card` is {"organisation": the organisation's row as row_to_json writes it (columns by their database names),
-- "names": its name rows, positional and in id order: [[id, name, script, kind], ...]}. Nothing in it is the API's
-- shape: the server builds the response from these facts with the code that builds it from a row read through Drizzle
-- (organisations.service.ts; member health takes the names, insights/health.service.ts).
--
-- key_en, key_he, key_ar order the organisation list for a reader of that language (COLLATE "C", then the id): the
-- key (read_model.name_order_key_<lang>, name-order.sql) of the name the staff app shows that reader: a name recorded
-- in the language's script that is not a former one (the display name if it is one of them, else official, short,
-- transliteration, each kind in the English key's order), else the display name (web: network/reader-name.ts
-- nameForReader; the API lists the names in that order: names.ts sortNames).
--
-- Derived from: organisation, organisation_name.
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below.
-- Rebuilt by: read_model.rebuild_organisation_card().

CREATE TABLE IF NOT EXISTS read_model.organisation_card (
  organisation_id uuid PRIMARY KEY,
  card json NOT NULL,
  key_en text COLLATE "C" NOT NULL DEFAULT '',
  key_he text COLLATE "C" NOT NULL DEFAULT '',
  key_ar text COLLATE "C" NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS organisation_card_key_en_idx ON read_model.organisation_card (key_en, organisation_id);
CREATE INDEX IF NOT EXISTS organisation_card_key_he_idx ON read_model.organisation_card (key_he, organisation_id);
CREATE INDEX IF NOT EXISTS organisation_card_key_ar_idx ON read_model.organisation_card (key_ar, organisation_id);

-- The name shown to a reader of a script (latin, hebrew, arabic), as the staff app picks it.
CREATE OR REPLACE FUNCTION read_model.organisation_shown_name(org uuid, display text, script text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT display WHERE EXISTS (SELECT 1 FROM organisation_name n WHERE n.organisation_id = org AND n.name = display
      AND n.script = organisation_shown_name.script AND n.kind <> 'former')),
    (SELECT n.name FROM organisation_name n WHERE n.organisation_id = org AND n.script = organisation_shown_name.script AND n.kind <> 'former'
      ORDER BY array_position(ARRAY['official', 'short', 'transliteration'], n.kind), read_model.name_order_key_en(n.name), n.name COLLATE "C", n.id
      LIMIT 1),
    display)
$$;

-- One organisation's names, as the card holds them.
CREATE OR REPLACE FUNCTION read_model.organisation_names_of(org uuid) RETURNS json LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT '[' || string_agg(concat('[', to_json(n.id), ',', to_json(n.name), ',', to_json(n.script), ',', to_json(n.kind), ']'), ',' ORDER BY n.id) || ']'
    FROM organisation_name n WHERE n.organisation_id = org), '[]')::json
$$;

-- One organisation's card (also the lists' fallback for an organisation without a row). PL/pgSQL, not SQL: a SQL
-- function would be inlined into every list query that names it as a fallback, and planned on every request.
CREATE OR REPLACE FUNCTION read_model.organisation_card_of(org uuid) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN (SELECT concat('{"organisation":', row_to_json(o), ',"names":', read_model.organisation_names_of(o.id), '}')::json FROM organisation o WHERE o.id = org);
END;
$$;

-- Locks the rows first, in id order, then reads the organisations (as refresh_organisations does): the last
-- transaction to commit writes the card from everything committed.
CREATE OR REPLACE FUNCTION read_model.refresh_cards(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  INSERT INTO read_model.organisation_card (organisation_id, card)
    SELECT o.id, '{}' FROM organisation o WHERE o.id = ANY (ids) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.organisation_card WHERE organisation_id = ANY (ids) ORDER BY organisation_id FOR UPDATE;
  DELETE FROM read_model.organisation_card c WHERE c.organisation_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = c.organisation_id);
  UPDATE read_model.organisation_card c SET card = read_model.organisation_card_of(c.organisation_id),
    key_en = read_model.name_order_key_en(read_model.organisation_shown_name(o.id, o.name, 'latin')),
    key_he = read_model.name_order_key_he(read_model.organisation_shown_name(o.id, o.name, 'hebrew')),
    key_ar = read_model.name_order_key_ar(read_model.organisation_shown_name(o.id, o.name, 'arabic'))
    FROM organisation o WHERE o.id = c.organisation_id AND c.organisation_id = ANY (ids);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_organisation_card() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.organisation_card;
  INSERT INTO read_model.organisation_card (organisation_id, card, key_en, key_he, key_ar)
    SELECT o.id, read_model.organisation_card_of(o.id),
      read_model.name_order_key_en(read_model.organisation_shown_name(o.id, o.name, 'latin')),
      read_model.name_order_key_he(read_model.organisation_shown_name(o.id, o.name, 'hebrew')),
      read_model.name_order_key_ar(read_model.organisation_shown_name(o.id, o.name, 'arabic'))
    FROM organisation o;
END;
$$;

-- Organisations and their names: each organisation a statement touches, once (a deleted one's card goes: its refresh
-- finds no organisation).
CREATE OR REPLACE FUNCTION read_model.organisation_card_after_organisation(op text, olds organisation[], news organisation[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_cards((SELECT array_agg(DISTINCT x.id) FROM (SELECT id FROM unnest(news) UNION SELECT id FROM unnest(olds)) x));
END;
$$;

CREATE OR REPLACE FUNCTION read_model.organisation_card_after_organisation_name(op text, olds organisation_name[], news organisation_name[])
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_cards((SELECT array_agg(DISTINCT x.organisation_id) FROM (
    SELECT organisation_id FROM unnest(news) UNION SELECT organisation_id FROM unnest(olds)) x));
END;
$$;
