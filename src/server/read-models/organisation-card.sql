-- read_model.organisation_card: each organisation's recorded names, ready to copy. The organisation list and member
-- health show every organisation with its names; aggregating them per request (a hundred organisations, several names
-- each) cost as much as finding the page on the embedded database, which runs one query at a time.
--
-- `names` is a JSON array of the organisation's name rows as facts, positional and in id order:
-- [[id, name, script, kind], ...]. Nothing in it is the API's shape: the server orders the names (by the display name
-- and its locale) and builds the response (organisations.service.ts, insights/health.service.ts).
--
-- Derived from: organisation (a row per organisation), organisation_name.
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below.
-- Rebuilt by: read_model.rebuild_organisation_card().

CREATE TABLE IF NOT EXISTS read_model.organisation_card (
  organisation_id uuid PRIMARY KEY,
  names json NOT NULL
);

-- One organisation's names, as the table holds them (also the lists' fallback for an organisation without a row).
-- PL/pgSQL, not SQL: a SQL function would be inlined into every list query that names it as a fallback, and planned on
-- every request.
CREATE OR REPLACE FUNCTION read_model.organisation_names_of(org uuid) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN coalesce((SELECT '[' || string_agg(concat('[', to_json(n.id), ',', to_json(n.name), ',', to_json(n.script), ',', to_json(n.kind), ']'), ',' ORDER BY n.id) || ']'
    FROM organisation_name n WHERE n.organisation_id = org), '[]')::json;
END;
$$;

-- Locks the rows first, in id order, then reads the names (as refresh_organisations does): the last transaction to
-- commit writes the row from everything committed.
CREATE OR REPLACE FUNCTION read_model.refresh_cards(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  INSERT INTO read_model.organisation_card (organisation_id, names)
    SELECT o.id, '[]' FROM organisation o WHERE o.id = ANY (ids) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.organisation_card WHERE organisation_id = ANY (ids) ORDER BY organisation_id FOR UPDATE;
  DELETE FROM read_model.organisation_card c WHERE c.organisation_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = c.organisation_id);
  UPDATE read_model.organisation_card c SET names = read_model.organisation_names_of(c.organisation_id)
    WHERE c.organisation_id = ANY (ids);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_organisation_card() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.organisation_card;
  INSERT INTO read_model.organisation_card (organisation_id, names) SELECT o.id, read_model.organisation_names_of(o.id) FROM organisation o;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.organisation_card_after_organisation(op text, olds organisation[], news organisation[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'INSERT' THEN
    PERFORM read_model.refresh_cards((SELECT array_agg(n.id) FROM unnest(news) n));
  ELSIF op = 'DELETE' THEN
    DELETE FROM read_model.organisation_card c USING unnest(olds) o WHERE c.organisation_id = o.id;
  END IF;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.organisation_card_after_organisation_name(op text, olds organisation_name[], news organisation_name[])
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_cards((SELECT array_agg(DISTINCT x.organisation_id) FROM (
    SELECT organisation_id FROM unnest(news) UNION SELECT organisation_id FROM unnest(olds)) x));
END;
$$;
