-- read_model.organisation_activity: per organisation, member health's facts twice: over unrestricted records only (what
-- every reader sees; a reader's own restricted meetings and items are added from read_model.reader_activity) and over
-- all records (what admins see).
--
--   unrestricted: meetings not restricted; concerns not restricted in meetings not restricted; follow-ups without a
--                 meeting or with one not restricted
--   *_all:        every record
--
-- The last meeting and the 90-day count depend on the clock: each row says for which instants it holds
-- (as_of <= now < valid_until: until the next meeting starts or the oldest of the 90 days drops out); outside that,
-- member health counts from meeting_organisation itself, and read_model.refresh_due (member-health.sql) recomputes rows
-- that ran out.
--
-- Derived from: organisation, meeting_organisation (with its mirrored starts_at and meeting_restricted), meeting
-- (restricted), shared_item (open concerns), follow_up (open ones).
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below.
-- Rebuilt by: read_model.rebuild_organisation_activity().
--
-- Concurrency: a refresh first locks the rows it recomputes, in id order, and only then reads the source tables (each
-- statement of a PL/pgSQL function takes a new snapshot): the last transaction to commit recomputes from everything.

CREATE TABLE IF NOT EXISTS read_model.organisation_activity (
  organisation_id uuid PRIMARY KEY,
  last_at timestamptz,
  n90 integer NOT NULL DEFAULT 0,
  open_concerns integer NOT NULL DEFAULT 0,
  open_follow_ups integer NOT NULL DEFAULT 0,
  last_at_all timestamptz,
  n90_all integer NOT NULL DEFAULT 0,
  open_concerns_all integer NOT NULL DEFAULT 0,
  open_follow_ups_all integer NOT NULL DEFAULT 0,
  -- last_at* and n90* are right for every instant in [as_of, valid_until)
  as_of timestamptz NOT NULL DEFAULT '-infinity',
  valid_until timestamptz NOT NULL DEFAULT '-infinity'
);

CREATE INDEX IF NOT EXISTS organisation_activity_valid_until_idx ON read_model.organisation_activity (valid_until);

CREATE OR REPLACE FUNCTION read_model.refresh_organisations(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz := now();
  w interval := interval '2160 hours'; -- 90 days of 24 hours, as the application counts them
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  INSERT INTO read_model.organisation_activity (organisation_id)
    SELECT o.id FROM organisation o WHERE o.id = ANY (ids) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.organisation_activity WHERE organisation_id = ANY (ids) ORDER BY organisation_id FOR UPDATE;
  DELETE FROM read_model.organisation_activity a WHERE a.organisation_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = a.organisation_id);
  UPDATE read_model.organisation_activity a SET
      last_at = f.last_at, n90 = f.n90, open_concerns = f.concerns, open_follow_ups = f.follow_ups,
      last_at_all = f.last_at_all, n90_all = f.n90_all, open_concerns_all = f.concerns_all, open_follow_ups_all = f.follow_ups_all,
      as_of = t,
      valid_until = coalesce(least(f.next_at, f.next_at_all, f.oldest + w, f.oldest_all + w), 'infinity')
    FROM (
      SELECT x.id,
        met.last_at, met.n90, met.next_at, met.oldest, met.last_at_all, met.n90_all, met.next_at_all, met.oldest_all,
        coalesce(c.concerns, 0) AS concerns, coalesce(c.concerns_all, 0) AS concerns_all,
        coalesce(fu.follow_ups, 0) AS follow_ups, coalesce(fu.follow_ups_all, 0) AS follow_ups_all
      FROM unnest(ids) AS x(id)
      LEFT JOIN LATERAL (
        SELECT
          max(mo.starts_at) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at <= t) AS last_at,
          count(*) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at >= t - w AND mo.starts_at <= t)::int AS n90,
          min(mo.starts_at) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at > t) AS next_at,
          min(mo.starts_at) FILTER (WHERE NOT mo.meeting_restricted AND mo.starts_at >= t - w AND mo.starts_at <= t) AS oldest,
          max(mo.starts_at) FILTER (WHERE mo.starts_at <= t) AS last_at_all,
          count(*) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t)::int AS n90_all,
          min(mo.starts_at) FILTER (WHERE mo.starts_at > t) AS next_at_all,
          min(mo.starts_at) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t) AS oldest_all
        FROM meeting_organisation mo WHERE mo.organisation_id = x.id
      ) met ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE NOT s.restricted AND NOT m.restricted)::int AS concerns, count(*)::int AS concerns_all
        FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
        WHERE s.organisation_id = x.id AND s.kind = 'concern' AND s.status = 'open'
      ) c ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE m.id IS NULL OR NOT m.restricted)::int AS follow_ups, count(*)::int AS follow_ups_all
        FROM follow_up f LEFT JOIN meeting m ON m.id = f.meeting_id
        WHERE f.organisation_id = x.id AND f.status = 'open'
      ) fu ON true
    ) f
    WHERE a.organisation_id = f.id;
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_organisation_activity() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM read_model.organisation_activity;
  PERFORM read_model.refresh_organisations(coalesce((SELECT array_agg(id) FROM organisation), '{}'));
END;
$$;

CREATE OR REPLACE FUNCTION read_model.organisation_activity_after_organisation(op text, olds organisation[], news organisation[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'INSERT' THEN
    PERFORM read_model.refresh_organisations((SELECT array_agg(n.id) FROM unnest(news) n));
  ELSIF op = 'DELETE' THEN
    DELETE FROM read_model.organisation_activity a USING unnest(olds) o WHERE a.organisation_id = o.id;
  END IF;
END;
$$;

-- Attendance (meeting_organisation), shared items and follow-ups name their organisation: each organisation a statement
-- touches, once (a meeting saved with twelve organisations, or a merge moving hundreds of rows). Polymorphic: PL/pgSQL
-- plans it once for each of the three row types.
CREATE OR REPLACE FUNCTION read_model.organisation_activity_after_rows(op text, olds anyarray, news anyarray) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM read_model.refresh_organisations((SELECT array_agg(DISTINCT x.organisation_id) FROM (
    SELECT organisation_id FROM unnest(news) UNION SELECT organisation_id FROM unnest(olds)) x WHERE x.organisation_id IS NOT NULL));
END;
$$;

-- A meeting restricted or opened: the organisations whose concerns and follow-ups it counts in (its attendance follows
-- through meeting_organisation.meeting_restricted and the function above).
CREATE OR REPLACE FUNCTION read_model.organisation_activity_after_meeting(op text, olds meeting[], news meeting[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  changed uuid[];
BEGIN
  IF op <> 'UPDATE' THEN RETURN; END IF;
  SELECT array_agg(n.id ORDER BY n.id) INTO changed FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id WHERE n.restricted IS DISTINCT FROM o.restricted;
  IF changed IS NULL THEN RETURN; END IF;
  PERFORM read_model.refresh_organisations((SELECT array_agg(DISTINCT organisation_id) FROM (
    SELECT s.organisation_id FROM shared_item s WHERE s.meeting_id = ANY (changed)
    UNION SELECT f.organisation_id FROM follow_up f WHERE f.meeting_id = ANY (changed) AND f.organisation_id IS NOT NULL) x));
END;
$$;
