-- read_model.member_health: member health as one index range per request (docs/network.md, "Performance"). The embedded
-- database runs one query at a time, so a request that joins and sorts every filtered organisation (~1,250 at the
-- benchmark's scale, a few ms in WebAssembly) is paid by everyone waiting behind it. The table holds, for each READER
-- KEY and organisation, the figures that reader sees, with the organisation's filter and sort columns beside them; a
-- page is then read in index order and the scan stops after limit + 1 rows that pass the filters.
--
-- Reader keys:
--   '*'         unrestricted records only: what a reader with nothing restricted sees (viewers, staff granted nothing)
--   '**'        every record: what admins see
--   <user id>   one per user with a row in read_model.reader_activity: the unrestricted figures plus what that user's own
--               restricted meetings and items add. Such a user has a row for EVERY organisation (the rows of a key are a
--               whole ordering); the key appears and disappears with the user's first and last row there.
-- Each row is a function of read_model.organisation_activity, read_model.reader_activity, read_model.organisation_card,
-- the organisation and its owner's name; valid_until is the earlier of its sources' (when the clock-bound facts stop
-- holding).
--
-- Derived from: read_model.organisation_activity, read_model.reader_activity, read_model.organisation_card, organisation,
-- "user" (the owner's name).
-- Kept by: statement triggers (registry.ts) on those sources note what changed in transaction-local settings
-- (read_model.health_mark); the rows are recomputed once, at the end of the application statement that caused it (the
-- last read model the statement trigger of each table a write reaches them through calls:
-- read_model.member_health_at_statement_end), or at once for a write made straight to a source. So every source row a
-- statement locks is locked before any member_health row (see read_model.health_flush for the order).
-- Rebuilt by: read_model.rebuild_member_health().
-- Also here: read_model.refresh_due, which recomputes the rows of organisation_activity, reader_activity and this table
-- that the clock overtook (insights/health.service.ts calls it on a timer and when a page finds one).

CREATE TABLE IF NOT EXISTS read_model.member_health (
  reader text COLLATE "C" NOT NULL,
  organisation_id uuid NOT NULL,
  name text NOT NULL,
  kind text NOT NULL,
  status text,
  area text,
  country text,
  tags text[] NOT NULL,
  owner_id text,
  last_at timestamptz,
  n90 integer NOT NULL,
  open_concerns integer NOT NULL,
  open_follow_ups integer NOT NULL,
  valid_until timestamptz NOT NULL,
  -- the page row as the server reads it (read_model.health_item)
  item text NOT NULL,
  PRIMARY KEY (reader, organisation_id)
) WITH (fillfactor = 80);

-- the page's order (member health sorts by last meeting, never met first, then name, then id). Pages keep room so
-- that a recount which leaves the indexed columns alone is a HOT update (the embedded database never vacuums).
CREATE INDEX IF NOT EXISTS member_health_page_idx ON read_model.member_health (reader, (coalesce(last_at, '-infinity'::timestamptz)), name, organisation_id);

-- "does any row of this reader no longer hold?": one probe per request
CREATE INDEX IF NOT EXISTS member_health_valid_until_idx ON read_model.member_health (reader, valid_until);

-- One page row as the server reads it: the JSON array [id, name, names ([[name id, name, script, kind], ...], as
-- read_model.organisation_card holds them), kind, status, country, area, city, tags, owner id, owner's name, last meeting,
-- meetings in 90 days, open concerns, open follow-ups]: facts in a fixed order, which insights/health.service.ts turns
-- into the API's items. The last meeting is an instant in UTC with microseconds (it is also the page's cursor).
-- health_org is the organisation's part (the same for every reader), health_item the whole.
CREATE OR REPLACE FUNCTION read_model.health_org(o organisation, names json, owner_name text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT left(json_build_array(o.id, o.name, names, o.kind, o.status, o.country, o.area, o.city, o.tags, o.owner_id, owner_name)::text, -1)
$$;

CREATE OR REPLACE FUNCTION read_model.health_item(org text, last_at timestamptz, n90 integer, concerns integer, follow_ups integer)
  RETURNS text LANGUAGE sql STABLE AS $$
  SELECT concat(org, ', ', coalesce('"' || to_char(last_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || '"', 'null'), ', ',
    n90, ', ', concerns, ', ', follow_ups, ']')
$$;

-- The rows of the pairs (readers[i], orgs[i]) as the sources say now (none for an organisation without its activity row).
CREATE OR REPLACE FUNCTION read_model.health_rows(readers text[], orgs uuid[]) RETURNS SETOF read_model.member_health LANGUAGE sql STABLE AS $$
  WITH o AS MATERIALIZED (
    SELECT o.id, o.name, o.kind, o.status, o.area, o.country, o.tags, o.owner_id,
      read_model.health_org(o, coalesce(c.card->'names', read_model.organisation_names_of(o.id)), u.name) AS org
    FROM organisation o
    LEFT JOIN read_model.organisation_card c ON c.organisation_id = o.id
    LEFT JOIN "user" u ON u.id = o.owner_id
    WHERE o.id IN (SELECT DISTINCT x FROM unnest(orgs) x)
  )
  SELECT f.reader, f.org, f.name, f.kind, f.status, f.area, f.country, f.tags, f.owner_id, f.last_at, f.n90, f.concerns, f.follow_ups, f.valid_until,
    read_model.health_item(f.item_org, f.last_at, f.n90, f.concerns, f.follow_ups)
  FROM (
    SELECT p.reader, p.org, o.name, o.kind, o.status, o.area, o.country, o.tags, o.owner_id, o.org AS item_org,
      CASE p.reader WHEN '*' THEN a.last_at WHEN '**' THEN a.last_at_all ELSE greatest(a.last_at, r.last_at) END AS last_at,
      CASE p.reader WHEN '*' THEN a.n90 WHEN '**' THEN a.n90_all ELSE a.n90 + coalesce(r.n90, 0) END AS n90,
      CASE p.reader WHEN '*' THEN a.open_concerns WHEN '**' THEN a.open_concerns_all ELSE a.open_concerns + coalesce(r.open_concerns, 0) END AS concerns,
      CASE p.reader WHEN '*' THEN a.open_follow_ups WHEN '**' THEN a.open_follow_ups_all ELSE a.open_follow_ups + coalesce(r.open_follow_ups, 0) END AS follow_ups,
      least(a.valid_until, r.valid_until) AS valid_until
    FROM unnest(readers, orgs) AS p(reader, org)
    JOIN o ON o.id = p.org
    JOIN read_model.organisation_activity a ON a.organisation_id = p.org
    LEFT JOIN read_model.reader_activity r ON p.reader NOT IN ('*', '**') AND r.user_id = p.reader AND r.organisation_id = p.org
  ) f
$$;

-- Every reader key: '*', '**' and each user key there is (one index probe each).
CREATE OR REPLACE FUNCTION read_model.health_keys() RETURNS text[] LANGUAGE sql STABLE AS $$
  WITH RECURSIVE k(reader) AS (
    (SELECT h.reader FROM read_model.member_health h ORDER BY h.reader LIMIT 1)
    UNION ALL
    SELECT (SELECT h.reader FROM read_model.member_health h WHERE h.reader > k.reader ORDER BY h.reader LIMIT 1) FROM k WHERE k.reader IS NOT NULL
  )
  SELECT ARRAY['*', '**'] || coalesce(array_agg(reader), '{}') FROM k WHERE reader NOT IN ('*', '**')
$$;

-- One page of member health for a reader (the server's only way in): the reader's key (admins '**'; a user with their
-- own rows, their id; anyone else '*'), then limit rows after the cursor (p_at, p_name, p_id; none: p_at NULL) in the
-- page's order that pass the filters (NULL: any), as the JSON text [now, due, [item, ...]]. `now` is the database's
-- clock once this statement's snapshot is taken, so no row it sees was computed later; `due` says whether any row of
-- the key has run out by then (the page must then not be used).
--
-- PL/pgSQL for its cached plans (planning this per request cost about as much as running it on the embedded database),
-- generic ones whatever the filters, and with sorts, bitmap and sequential scans ruled out: the page must be read in
-- the index's order and stop after `lim` rows, whatever the statistics say (the embedded database never analyzes).
CREATE OR REPLACE FUNCTION read_model.member_health_page(p_user text, p_admin boolean, p_kind text, p_status text, p_area text,
  p_country text, p_tag text, p_owner text, p_at timestamptz, p_name text, p_id uuid, lim integer) RETURNS text
  LANGUAGE plpgsql STABLE
  SET enable_sort = off SET enable_bitmapscan = off SET enable_seqscan = off SET plan_cache_mode = force_generic_plan AS $$
DECLARE
  k text;
  t timestamptz := clock_timestamp();
  due boolean;
  page text;
BEGIN
  IF p_admin THEN
    k := '**';
  ELSE
    k := coalesce((SELECT h.reader FROM read_model.member_health h WHERE h.reader = p_user ORDER BY h.reader, h.organisation_id LIMIT 1), '*');
  END IF;
  due := EXISTS (SELECT 1 FROM read_model.member_health d WHERE d.reader = k AND d.valid_until <= t);
  IF p_at IS NULL THEN
    SELECT string_agg(p.item, ',' ORDER BY p.sort_at, p.name, p.organisation_id) INTO page FROM (
      SELECT o.item, coalesce(o.last_at, '-infinity'::timestamptz) AS sort_at, o.name, o.organisation_id
      FROM read_model.member_health o
      WHERE o.reader = k AND (p_kind IS NULL OR o.kind = p_kind) AND (p_status IS NULL OR o.status = p_status)
        AND (p_area IS NULL OR o.area = p_area) AND (p_country IS NULL OR o.country = p_country)
        AND (p_tag IS NULL OR o.tags @> ARRAY[p_tag]) AND (p_owner IS NULL OR o.owner_id = p_owner)
      ORDER BY coalesce(o.last_at, '-infinity'::timestamptz), o.name, o.organisation_id
      LIMIT lim) p;
  ELSE
    SELECT string_agg(p.item, ',' ORDER BY p.sort_at, p.name, p.organisation_id) INTO page FROM (
      SELECT o.item, coalesce(o.last_at, '-infinity'::timestamptz) AS sort_at, o.name, o.organisation_id
      FROM read_model.member_health o
      WHERE o.reader = k AND (coalesce(o.last_at, '-infinity'::timestamptz), o.name, o.organisation_id) > (p_at, p_name, p_id)
        AND (p_kind IS NULL OR o.kind = p_kind) AND (p_status IS NULL OR o.status = p_status)
        AND (p_area IS NULL OR o.area = p_area) AND (p_country IS NULL OR o.country = p_country)
        AND (p_tag IS NULL OR o.tags @> ARRAY[p_tag]) AND (p_owner IS NULL OR o.owner_id = p_owner)
      ORDER BY coalesce(o.last_at, '-infinity'::timestamptz), o.name, o.organisation_id
      LIMIT lim) p;
  END IF;
  RETURN concat('["', to_char(t AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), '",', to_json(due), ',[', page, ']]');
END;
$$;

-- Everything from scratch.
CREATE OR REPLACE FUNCTION read_model.rebuild_member_health() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  rs text[];
  os uuid[];
BEGIN
  PERFORM pg_advisory_xact_lock(727043102);
  PERFORM set_config('read_model.health_orgs', '', true), set_config('read_model.health_pairs', '', true), set_config('read_model.health_users', '', true);
  DELETE FROM read_model.member_health;
  SELECT array_agg(k.reader), array_agg(a.organisation_id) INTO rs, os
    FROM (SELECT '*' AS reader UNION ALL SELECT '**' UNION ALL SELECT DISTINCT user_id FROM read_model.reader_activity) k
    CROSS JOIN read_model.organisation_activity a;
  INSERT INTO read_model.member_health SELECT * FROM read_model.health_rows(rs, os) h
    -- a reader's rows together, in the page's order
    ORDER BY h.reader, coalesce(h.last_at, '-infinity'::timestamptz), h.name, h.organisation_id;
END;
$$;

-- Recomputes what the transaction noted (read_model.health_mark) and forgets it.
--
-- Locks: the '*' row of an organisation stands for all of that organisation's rows. A flush locks the '*' rows of the
-- organisations it recomputes (in id order), and only then reads the keys and the sources (each statement of a
-- PL/pgSQL function takes a new snapshot): concurrent flushes of one organisation run one after the other and the last
-- to commit recomputes from everything committed. Adding or removing a key locks every '*' row; adding or removing
-- keys or organisations also holds one advisory lock, taken first, so that those never miss each other. Plans: generic
-- and by index (a flush touches tens of rows; the embedded database has no statistics to go by).
CREATE OR REPLACE FUNCTION read_model.health_flush() RETURNS void LANGUAGE plpgsql
  SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_bitmapscan = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
DECLARE
  orgs uuid[];    -- every reader's row of these
  pr text[];      -- and the rows (pr[i], po[i])
  po uuid[];
  users text[];   -- users whose key may appear or disappear
  star uuid[];    -- every organisation touched
  reshape boolean;
  gone uuid[];
  fresh uuid[];
  adding text[];
  dropping text[];
  keys text[];
  tr text[];
  t_o uuid[];
BEGIN
  SELECT array_agg(DISTINCT x::uuid) INTO orgs
    FROM unnest(string_to_array(current_setting('read_model.health_orgs', true), ',')) x WHERE x <> '';
  SELECT array_agg(left(x, -37)), array_agg(right(x, 36)::uuid) INTO pr, po
    FROM (SELECT DISTINCT x FROM unnest(string_to_array(current_setting('read_model.health_pairs', true), E'\n')) x WHERE x <> '') d;
  SELECT array_agg(DISTINCT u) INTO users FROM (
    SELECT x AS u FROM unnest(string_to_array(current_setting('read_model.health_users', true), E'\n')) x WHERE x <> ''
    UNION SELECT r FROM unnest(pr) r WHERE r NOT IN ('*', '**')) d;
  IF orgs IS NULL AND pr IS NULL AND users IS NULL THEN RETURN; END IF;
  PERFORM set_config('read_model.health_orgs', '', true), set_config('read_model.health_pairs', '', true), set_config('read_model.health_users', '', true);
  IF read_model.pending() THEN RETURN; END IF;
  SELECT array_agg(DISTINCT o ORDER BY o) INTO star FROM (SELECT unnest(orgs) UNION SELECT unnest(po)) x(o);

  -- organisations added or removed, keys that appear or disappear: decided again once the advisory lock is held
  FOR pass IN 1..2 LOOP
    IF orgs IS NOT NULL THEN
      SELECT array_agg(x) FILTER (WHERE has_h AND NOT has_a), array_agg(x) FILTER (WHERE has_a AND NOT has_h) INTO gone, fresh FROM (
        SELECT x, EXISTS (SELECT 1 FROM read_model.organisation_activity a WHERE a.organisation_id = x) AS has_a,
          EXISTS (SELECT 1 FROM read_model.member_health h WHERE h.reader = '*' AND h.organisation_id = x) AS has_h
        FROM unnest(orgs) x) s;
    END IF;
    IF users IS NOT NULL THEN
      SELECT array_agg(u) FILTER (WHERE has_r AND NOT has_k), array_agg(u) FILTER (WHERE has_k AND NOT has_r) INTO adding, dropping FROM (
        SELECT u, EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = u) AS has_r,
          EXISTS (SELECT 1 FROM read_model.member_health h WHERE h.reader = u) AS has_k
        FROM unnest(users) u) s;
    END IF;
    reshape := gone IS NOT NULL OR fresh IS NOT NULL OR adding IS NOT NULL OR dropping IS NOT NULL;
    EXIT WHEN NOT reshape OR pass = 2;
    PERFORM pg_advisory_xact_lock(727043102);
  END LOOP;

  IF adding IS NOT NULL OR dropping IS NOT NULL THEN
    PERFORM 1 FROM read_model.member_health h WHERE h.reader = '*' ORDER BY h.organisation_id FOR UPDATE;
  ELSE
    PERFORM 1 FROM read_model.member_health h WHERE h.reader = '*' AND h.organisation_id = ANY (star) ORDER BY h.organisation_id FOR UPDATE;
  END IF;
  IF orgs IS NULL AND NOT reshape THEN
    -- rows of existing keys only (a pair whose key is not there has no row to update)
    tr := pr;
    t_o := po;
  ELSE
    keys := read_model.health_keys();
    SELECT array_agg(r), array_agg(o) INTO tr, t_o FROM (
      SELECT k AS r, x AS o FROM unnest(keys) k CROSS JOIN unnest(orgs) x
      UNION SELECT r, o FROM unnest(pr, po) AS p(r, o) WHERE r = ANY (keys)) t;
  END IF;

  IF reshape THEN
    DELETE FROM read_model.member_health h WHERE h.reader = ANY (keys) AND h.organisation_id = ANY (gone);
    DELETE FROM read_model.member_health h WHERE h.reader = ANY (dropping)
      AND NOT EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = h.reader);
    INSERT INTO read_model.member_health
      SELECT * FROM read_model.health_rows(
        ARRAY(SELECT k FROM unnest(keys) k, unnest(fresh) x WHERE k IN ('*', '**') OR EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = k) ORDER BY k, x),
        ARRAY(SELECT x FROM unnest(keys) k, unnest(fresh) x WHERE k IN ('*', '**') OR EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = k) ORDER BY k, x))
      ON CONFLICT DO NOTHING;
    INSERT INTO read_model.member_health
      SELECT h.* FROM (SELECT u FROM unnest(adding) u WHERE EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = u)) n
      CROSS JOIN LATERAL read_model.health_rows(
        ARRAY(SELECT n.u FROM read_model.organisation_activity a), ARRAY(SELECT a.organisation_id FROM read_model.organisation_activity a)) h
      ON CONFLICT DO NOTHING;
  END IF;

  UPDATE read_model.member_health h SET
      name = f.name, kind = f.kind, status = f.status, area = f.area, country = f.country, tags = f.tags, owner_id = f.owner_id,
      last_at = f.last_at, n90 = f.n90, open_concerns = f.open_concerns, open_follow_ups = f.open_follow_ups, valid_until = f.valid_until, item = f.item
    FROM read_model.health_rows(tr, t_o) f
    WHERE h.reader = f.reader AND h.organisation_id = f.organisation_id
      AND (h.name, h.kind, h.status, h.area, h.country, h.tags, h.owner_id, h.last_at, h.valid_until, h.item)
        IS DISTINCT FROM (f.name, f.kind, f.status, f.area, f.country, f.tags, f.owner_id, f.last_at, f.valid_until, f.item);

  -- a user with restricted rows whose key another transaction removed while this one waited: add it now
  IF NOT reshape AND users IS NOT NULL AND EXISTS (SELECT 1 FROM unnest(users) u
      WHERE EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = u) AND NOT EXISTS (SELECT 1 FROM read_model.member_health h WHERE h.reader = u)) THEN
    PERFORM set_config('read_model.health_users', array_to_string(users, E'\n'), true);
    PERFORM read_model.health_flush();
  END IF;
END;
$$;

-- Notes organisations (all their rows), (reader key, organisation) pairs and users (whose key may appear or disappear)
-- to recompute; flushes at once when asked to (a write straight to a source table).
CREATE OR REPLACE FUNCTION read_model.health_mark(orgs uuid[], pairs text[], users text[], flush boolean) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('read_model.rebuilding', true) = 'on' THEN RETURN; END IF;
  IF cardinality(orgs) > 0 THEN
    PERFORM set_config('read_model.health_orgs', coalesce(current_setting('read_model.health_orgs', true), '') || ',' || array_to_string(orgs, ','), true);
  END IF;
  IF cardinality(pairs) > 0 THEN
    PERFORM set_config('read_model.health_pairs', coalesce(current_setting('read_model.health_pairs', true), '') || E'\n' || array_to_string(pairs, E'\n'), true);
  END IF;
  IF cardinality(users) > 0 THEN
    PERFORM set_config('read_model.health_users', coalesce(current_setting('read_model.health_users', true), '') || E'\n' || array_to_string(users, E'\n'), true);
  END IF;
  IF flush AND coalesce(current_setting('read_model.health_deferred', true), '') <> 'on' THEN PERFORM read_model.health_flush(); END IF;
END;
$$;

-- Rows whose clock-bound facts ran out (a meeting started, a day left the 90), a few at a time, skipping rows another
-- transaction is refreshing: organisation_activity's, reader_activity's, then member_health recomputed once at the end
-- (and rows of it that ran out on their own, and keys of users left with nothing restricted by two writers that each
-- saw the other's row). Returns how many activity rows it recomputed.
CREATE OR REPLACE FUNCTION read_model.refresh_due(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  due uuid[];
  us text[];
  os uuid[];
  keys text[];
BEGIN
  IF read_model.pending() THEN RETURN 0; END IF;
  PERFORM set_config('read_model.health_deferred', 'on', true);
  SELECT array_agg(organisation_id ORDER BY organisation_id) INTO due FROM (
    SELECT organisation_id FROM read_model.organisation_activity
    WHERE valid_until <= now() OR as_of > now()
    ORDER BY organisation_id LIMIT max_rows FOR UPDATE SKIP LOCKED) d;
  PERFORM read_model.refresh_organisations(due);
  SELECT array_agg(user_id ORDER BY user_id, organisation_id), array_agg(organisation_id ORDER BY user_id, organisation_id) INTO us, os FROM (
    SELECT user_id, organisation_id FROM read_model.reader_activity
    WHERE valid_until <= now() OR as_of > now()
    ORDER BY user_id, organisation_id LIMIT max_rows FOR UPDATE SKIP LOCKED) d;
  PERFORM read_model.refresh_readers(us, os);
  keys := read_model.health_keys();
  PERFORM read_model.health_mark(NULL,
    (SELECT array_agg(h.reader || '|' || h.organisation_id) FROM (
      SELECT reader, organisation_id FROM read_model.member_health WHERE reader = ANY (keys) AND valid_until <= now() LIMIT max_rows) h),
    (SELECT array_agg(k) FROM unnest(keys) k WHERE k NOT IN ('*', '**') AND NOT EXISTS (SELECT 1 FROM read_model.reader_activity r WHERE r.user_id = k)),
    false);
  PERFORM set_config('read_model.health_deferred', 'off', true);
  PERFORM read_model.health_flush();
  RETURN coalesce(cardinality(due), 0) + coalesce(cardinality(us), 0);
END;
$$;

-- ---------------------------------------------------------------------------------------------- what follows writes
-- Every reader's row where the unrestricted facts (or when they run out) changed, or the organisation came or went;
-- where only restricted records changed them, the admins' row alone (a restricted meeting recorded).
CREATE OR REPLACE FUNCTION read_model.member_health_after_organisation_activity(op text, olds read_model.organisation_activity[],
  news read_model.organisation_activity[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  orgs uuid[];
  admins text[];
BEGIN
  SELECT array_agg(e.id) FILTER (WHERE everyone),
      array_agg('**|' || e.id) FILTER (WHERE NOT everyone AND (n.last_at_all, n.n90_all, n.open_concerns_all, n.open_follow_ups_all)
        IS DISTINCT FROM (o.last_at_all, o.n90_all, o.open_concerns_all, o.open_follow_ups_all))
    INTO orgs, admins
    FROM unnest(news) n FULL JOIN unnest(olds) o ON o.organisation_id = n.organisation_id
    CROSS JOIN LATERAL (SELECT coalesce(n.organisation_id, o.organisation_id) AS id,
      n.organisation_id IS NULL OR o.organisation_id IS NULL
        OR (n.last_at, n.n90, n.open_concerns, n.open_follow_ups, n.valid_until) IS DISTINCT FROM (o.last_at, o.n90, o.open_concerns, o.open_follow_ups, o.valid_until)
        AS everyone) e;
  PERFORM read_model.health_mark(orgs, admins, NULL, pg_trigger_depth() = 1);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.member_health_after_reader_activity(op text, olds read_model.reader_activity[], news read_model.reader_activity[])
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.health_mark(NULL,
    (SELECT array_agg(p) FROM (SELECT user_id || '|' || organisation_id AS p FROM unnest(news) UNION SELECT user_id || '|' || organisation_id FROM unnest(olds)) u),
    NULL, pg_trigger_depth() = 1);
END;
$$;

-- The organisation's names (its other facts in the card are followed on the organisation itself, below; a card
-- inserted or deleted: the organisation came or went).
CREATE OR REPLACE FUNCTION read_model.member_health_after_organisation_card(op text, olds read_model.organisation_card[], news read_model.organisation_card[])
  RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.health_mark((SELECT array_agg(coalesce(n.organisation_id, o.organisation_id))
      FROM unnest(news) n FULL JOIN unnest(olds) o ON o.organisation_id = n.organisation_id
      WHERE n.organisation_id IS NULL OR o.organisation_id IS NULL OR (n.card->'names')::text IS DISTINCT FROM (o.card->'names')::text),
    NULL, NULL, pg_trigger_depth() = 1);
END;
$$;

-- What the list shows of an organisation and filters on (its insertion and deletion reach the rows through
-- organisation_activity), then the end of the statement.
CREATE OR REPLACE FUNCTION read_model.member_health_after_organisation(op text, olds organisation[], news organisation[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'UPDATE' THEN
    PERFORM read_model.health_mark((SELECT array_agg(n.id) FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id
      WHERE (n.name, n.kind, n.status, n.country, n.area, n.city, n.tags, n.owner_id) IS DISTINCT FROM (o.name, o.kind, o.status, o.country, o.area, o.city, o.tags, o.owner_id)),
      NULL, NULL, false);
  END IF;
  PERFORM read_model.member_health_at_statement_end(op, olds, news);
END;
$$;

-- A user renamed (the owner's name), or deleted (their grants and staff places go by cascade, the organisations they
-- held lose their owner), then the end of the statement.
CREATE OR REPLACE FUNCTION read_model.member_health_after_user(op text, olds "user"[], news "user"[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'UPDATE' THEN
    PERFORM read_model.health_mark((SELECT array_agg(o.id) FROM unnest(news) n JOIN unnest(olds) d ON d.id = n.id JOIN organisation o ON o.owner_id = n.id
      WHERE n.name IS DISTINCT FROM d.name), NULL, NULL, false);
  END IF;
  PERFORM read_model.member_health_at_statement_end(op, olds, news);
END;
$$;

-- The end of an application statement whose read models (called before this one by the same statement trigger)
-- changed the sources: recompute once. Nested statements (a trigger's own writes, cascaded deletes) leave it to the
-- outermost one.
CREATE OR REPLACE FUNCTION read_model.member_health_at_statement_end(op text, olds anyarray, news anyarray) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF pg_trigger_depth() = 1 AND coalesce(current_setting('read_model.health_deferred', true), '') <> 'on' THEN
    PERFORM read_model.health_flush();
  END IF;
END;
$$;
