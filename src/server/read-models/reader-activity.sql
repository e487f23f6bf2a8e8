-- read_model.reader_activity: per reader and organisation, what the reader's RESTRICTED records add to member health's
-- figures over unrestricted records (read_model.organisation_activity): attendance of the restricted meetings the reader
-- may see (read_model.meeting_reader), open concerns the reader may see that others may not, open follow-ups of those
-- meetings. Member health then reads one index range per reader instead of counting from the records. A row exists only
-- where the reader's restricted records touch the organisation. The last meeting and the 90-day count depend on the
-- clock: as in organisation_activity, a row holds for the instants [as_of, valid_until), and outside them member health
-- counts that organisation from the records.
--
-- Derived from: read_model.meeting_reader, meeting_organisation (restricted attendance), shared_item (open concerns),
-- follow_up (open ones), meeting_staff and access_grant (who sees a restricted item), meeting (restricted), organisation.
-- Kept by: the statement triggers on those tables (registry.ts), through the functions named *_after_<table> below.
-- Rebuilt by: read_model.rebuild_reader_activity() (set-based: the rule written a second time, which the tests hold
-- against the triggers).

CREATE TABLE IF NOT EXISTS read_model.reader_activity (
  user_id text NOT NULL,
  organisation_id uuid NOT NULL,
  last_at timestamptz,
  n90 integer NOT NULL DEFAULT 0,
  open_concerns integer NOT NULL DEFAULT 0,
  open_follow_ups integer NOT NULL DEFAULT 0,
  as_of timestamptz NOT NULL DEFAULT '-infinity',
  valid_until timestamptz NOT NULL DEFAULT '-infinity',
  PRIMARY KEY (user_id, organisation_id)
) WITH (fillfactor = 70);

-- Only columns a refresh never changes are indexed, and pages keep room, so that refreshes are HOT updates: the embedded
-- database never vacuums, and member health reads a reader's rows through the primary key. (refresh_due scans the
-- table once a minute instead.)
CREATE INDEX IF NOT EXISTS reader_activity_org_idx ON read_model.reader_activity (organisation_id);

-- Recomputes, from the records, the rows of the pairs (users[i], orgs[i]) and of every reader who has a row for one of
-- the `touched` organisations. Triggers name the pairs a write may ADD to (found through the links as they are now:
-- a reader, a staff member, a grant) and touch the organisations of every row written or removed: a figure that may
-- DROP is one already counted, so its row exists. That holds whatever order cascaded deletes run in (the links may be
-- gone by the time a trigger runs). Driven by the organisation (its few restricted attendances, open concerns and
-- follow-ups). Locks the rows first, in key order, as refresh_organisations does, so that concurrent refreshes
-- serialise and the last to commit counts everything.
CREATE OR REPLACE FUNCTION read_model.refresh_readers(users text[], orgs uuid[], touched uuid[] DEFAULT NULL) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz := now();
  w interval := interval '2160 hours'; -- 90 days of 24 hours, as the application counts them
BEGIN
  IF (users IS NULL OR cardinality(users) = 0) AND (touched IS NULL OR cardinality(touched) = 0) OR read_model.pending() THEN RETURN; END IF;
  SELECT array_agg(p.u ORDER BY p.u, p.o), array_agg(p.o ORDER BY p.u, p.o) INTO users, orgs FROM (
    SELECT x.u, x.o FROM unnest(coalesce(users, '{}'), coalesce(orgs, '{}')) AS x(u, o) WHERE x.u IS NOT NULL AND x.o IS NOT NULL
    UNION
    SELECT r.user_id, r.organisation_id FROM read_model.reader_activity r WHERE r.organisation_id = ANY (touched)) p;
  IF users IS NULL THEN RETURN; END IF;
  INSERT INTO read_model.reader_activity (user_id, organisation_id)
    SELECT p.u, p.o FROM unnest(users, orgs) AS p(u, o) WHERE EXISTS (SELECT 1 FROM organisation o WHERE o.id = p.o)
    ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.reader_activity r JOIN unnest(users, orgs) AS p(u, o) ON r.user_id = p.u AND r.organisation_id = p.o
    ORDER BY r.user_id, r.organisation_id FOR UPDATE OF r;
  UPDATE read_model.reader_activity r SET
      last_at = f.last_at, n90 = f.n90, open_concerns = f.concerns, open_follow_ups = f.follow_ups,
      as_of = t, valid_until = coalesce(least(f.next_at, f.oldest + w), 'infinity')
    FROM (
      SELECT p.u, p.o, met.last_at, met.n90, met.next_at, met.oldest, c.concerns, fu.follow_ups
      FROM unnest(users, orgs) AS p(u, o)
      CROSS JOIN LATERAL (
        SELECT
          max(mo.starts_at) FILTER (WHERE mo.starts_at <= t) AS last_at,
          count(*) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t)::int AS n90,
          min(mo.starts_at) FILTER (WHERE mo.starts_at > t) AS next_at,
          min(mo.starts_at) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t) AS oldest
        FROM meeting_organisation mo
        WHERE mo.organisation_id = p.o AND mo.meeting_restricted
          AND EXISTS (SELECT 1 FROM read_model.meeting_reader mr WHERE mr.user_id = p.u AND mr.meeting_id = mo.meeting_id)
      ) met
      CROSS JOIN LATERAL (
        -- in a restricted meeting the reader may see: unless the item is restricted too (then staff or granted);
        -- in an unrestricted meeting: restricted items only (the rest is everyone's), staff or granted
        SELECT count(*)::int AS concerns FROM shared_item s JOIN meeting m ON m.id = s.meeting_id
        WHERE s.organisation_id = p.o AND s.kind = 'concern' AND s.status = 'open'
          AND CASE WHEN m.restricted
            THEN EXISTS (SELECT 1 FROM read_model.meeting_reader mr WHERE mr.user_id = p.u AND mr.meeting_id = s.meeting_id)
              AND (NOT s.restricted
                OR EXISTS (SELECT 1 FROM meeting_staff ms WHERE ms.meeting_id = s.meeting_id AND ms.user_id = p.u)
                OR EXISTS (SELECT 1 FROM access_grant g WHERE g.record_type = 'shared_item' AND g.record_id = s.id AND g.user_id = p.u))
            ELSE s.restricted
              AND (EXISTS (SELECT 1 FROM meeting_staff ms WHERE ms.meeting_id = s.meeting_id AND ms.user_id = p.u)
                OR EXISTS (SELECT 1 FROM access_grant g WHERE g.record_type = 'shared_item' AND g.record_id = s.id AND g.user_id = p.u))
          END
      ) c
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS follow_ups FROM follow_up f
        WHERE f.organisation_id = p.o AND f.status = 'open'
          AND EXISTS (SELECT 1 FROM read_model.meeting_reader mr WHERE mr.user_id = p.u AND mr.meeting_id = f.meeting_id)
      ) fu
    ) f
    WHERE r.user_id = f.u AND r.organisation_id = f.o;
  -- nothing restricted of this reader touches the organisation (any more), or it is gone
  DELETE FROM read_model.reader_activity r USING unnest(users, orgs) AS p(u, o)
    WHERE r.user_id = p.u AND r.organisation_id = p.o
      AND ((r.last_at IS NULL AND r.valid_until = 'infinity' AND r.open_concerns = 0 AND r.open_follow_ups = 0)
        OR NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = r.organisation_id));
END;
$$;

-- Attendance and follow-ups added (meetings[i], orgs[i]): every reader of the meeting with the organisation.
CREATE OR REPLACE FUNCTION read_model.refresh_readers_of_meetings(meetings uuid[], orgs uuid[], touched uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  IF read_model.pending() THEN RETURN; END IF;
  SELECT array_agg(mr.user_id), array_agg(x.o) INTO us, os
    FROM (SELECT DISTINCT m, o FROM unnest(coalesce(meetings, '{}'), coalesce(orgs, '{}')) AS x(m, o) WHERE x.m IS NOT NULL AND x.o IS NOT NULL) x
    JOIN read_model.meeting_reader mr ON mr.meeting_id = x.m;
  PERFORM read_model.refresh_readers(us, os, touched);
END;
$$;

-- Concerns added or changed (items[i] of meetings[i] and orgs[i], restricted if flags[i]): the readers of the meeting,
-- and for a restricted item its meeting's staff and the users granted the item.
CREATE OR REPLACE FUNCTION read_model.refresh_concern_viewers(items uuid[], meetings uuid[], orgs uuid[], flags boolean[], touched uuid[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  IF read_model.pending() THEN RETURN; END IF;
  SELECT array_agg(v.user_id), array_agg(x.o) INTO us, os
    FROM (SELECT DISTINCT i, m, o, r FROM unnest(coalesce(items, '{}'), coalesce(meetings, '{}'), coalesce(orgs, '{}'), coalesce(flags, '{}')) AS x(i, m, o, r)) x
    CROSS JOIN LATERAL (
      SELECT mr.user_id FROM read_model.meeting_reader mr WHERE mr.meeting_id = x.m
      UNION SELECT ms.user_id FROM meeting_staff ms WHERE x.r AND ms.meeting_id = x.m
      UNION SELECT g.user_id FROM access_grant g WHERE x.r AND g.record_type = 'shared_item' AND g.record_id = x.i
    ) v;
  PERFORM read_model.refresh_readers(us, os, touched);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_reader_activity() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  t timestamptz := now();
  w interval := interval '2160 hours';
BEGIN
  DELETE FROM read_model.reader_activity;
  INSERT INTO read_model.reader_activity (user_id, organisation_id, last_at, n90, open_concerns, open_follow_ups, as_of, valid_until)
    SELECT k.user_id, k.organisation_id, max(k.last_at), sum(k.n90)::int, sum(k.concerns)::int, sum(k.follow_ups)::int, t,
      coalesce(least(min(k.next_at), min(k.oldest) + w), 'infinity')
    FROM (
      SELECT r.user_id, mo.organisation_id,
        max(mo.starts_at) FILTER (WHERE mo.starts_at <= t) AS last_at,
        count(*) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t) AS n90,
        min(mo.starts_at) FILTER (WHERE mo.starts_at > t) AS next_at,
        min(mo.starts_at) FILTER (WHERE mo.starts_at >= t - w AND mo.starts_at <= t) AS oldest,
        0 AS concerns, 0 AS follow_ups
      FROM read_model.meeting_reader r JOIN meeting_organisation mo ON mo.meeting_id = r.meeting_id AND mo.meeting_restricted
      GROUP BY r.user_id, mo.organisation_id
      UNION ALL
      SELECT c.user_id, c.organisation_id, NULL, 0, NULL, NULL, count(*), 0 FROM (
        SELECT r.user_id, s.organisation_id FROM read_model.meeting_reader r JOIN shared_item s ON s.meeting_id = r.meeting_id
        WHERE s.kind = 'concern' AND s.status = 'open' AND (NOT s.restricted
          OR EXISTS (SELECT 1 FROM meeting_staff ms WHERE ms.meeting_id = s.meeting_id AND ms.user_id = r.user_id)
          OR EXISTS (SELECT 1 FROM access_grant g WHERE g.record_type = 'shared_item' AND g.record_id = s.id AND g.user_id = r.user_id))
        UNION ALL
        SELECT v.user_id, s.organisation_id FROM shared_item s JOIN meeting m ON m.id = s.meeting_id AND NOT m.restricted
          CROSS JOIN LATERAL (
            SELECT ms.user_id FROM meeting_staff ms WHERE ms.meeting_id = s.meeting_id
            UNION SELECT g.user_id FROM access_grant g WHERE g.record_type = 'shared_item' AND g.record_id = s.id) v
        WHERE s.restricted AND s.kind = 'concern' AND s.status = 'open'
      ) c GROUP BY c.user_id, c.organisation_id
      UNION ALL
      SELECT r.user_id, f.organisation_id, NULL, 0, NULL, NULL, 0, count(*)
      FROM read_model.meeting_reader r JOIN follow_up f ON f.meeting_id = r.meeting_id
      WHERE f.status = 'open' AND f.organisation_id IS NOT NULL
      GROUP BY r.user_id, f.organisation_id
    ) k
    GROUP BY k.user_id, k.organisation_id
    -- a reader's rows together: member health reads them as one range
    ORDER BY k.user_id, k.organisation_id;
  DELETE FROM read_model.reader_activity r
    WHERE r.last_at IS NULL AND r.valid_until = 'infinity' AND r.open_concerns = 0 AND r.open_follow_ups = 0;
END;
$$;

-- A reader gained or lost a restricted meeting: that reader with every organisation the meeting's records name.
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_meeting_reader(op text, olds read_model.meeting_reader[], news read_model.meeting_reader[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  SELECT array_agg(c.user_id), array_agg(x.o) INTO us, os
    FROM (SELECT user_id, meeting_id FROM unnest(news) UNION ALL SELECT user_id, meeting_id FROM unnest(olds)) c
    CROSS JOIN LATERAL (
      SELECT mo.organisation_id AS o FROM meeting_organisation mo WHERE mo.meeting_id = c.meeting_id
      UNION SELECT s.organisation_id FROM shared_item s WHERE s.meeting_id = c.meeting_id AND s.kind = 'concern'
      UNION SELECT f.organisation_id FROM follow_up f WHERE f.meeting_id = c.meeting_id AND f.organisation_id IS NOT NULL) x;
  PERFORM read_model.refresh_readers(us, os);
END;
$$;

-- Attendance: restricted rows only (the others are everyone's, in organisation_activity).
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_meeting_organisation(op text, olds meeting_organisation[], news meeting_organisation[])
  RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ms uuid[];
  os uuid[];
  touched uuid[];
BEGIN
  IF op <> 'DELETE' THEN
    SELECT array_agg(n.meeting_id), array_agg(n.organisation_id) INTO ms, os FROM unnest(news) n WHERE n.meeting_restricted;
  END IF;
  IF op <> 'INSERT' THEN
    SELECT array_agg(DISTINCT x.organisation_id) INTO touched FROM (
      SELECT organisation_id, meeting_restricted FROM unnest(news) UNION SELECT organisation_id, meeting_restricted FROM unnest(olds)) x
      WHERE x.meeting_restricted;
  END IF;
  PERFORM read_model.refresh_readers_of_meetings(ms, os, touched);
END;
$$;

-- Follow-ups of a meeting that is restricted (or already deleted: then it may have been).
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_follow_up(op text, olds follow_up[], news follow_up[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ms uuid[];
  os uuid[];
  touched uuid[];
BEGIN
  IF op <> 'DELETE' THEN
    SELECT array_agg(n.meeting_id), array_agg(n.organisation_id) INTO ms, os FROM unnest(news) n
      WHERE n.meeting_id IS NOT NULL AND n.organisation_id IS NOT NULL;
  END IF;
  IF op <> 'INSERT' THEN
    SELECT array_agg(DISTINCT f.o) INTO touched FROM (
      SELECT meeting_id AS m, organisation_id AS o FROM unnest(news) UNION SELECT meeting_id, organisation_id FROM unnest(olds)) f
      WHERE f.m IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = f.m AND NOT m.restricted);
  END IF;
  PERFORM read_model.refresh_readers_of_meetings(ms, os, touched);
END;
$$;

-- Shared items: only concerns count. A concern counted for some readers only is restricted itself, or in a restricted
-- (or already deleted) meeting.
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_shared_item(op text, olds shared_item[], news shared_item[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  mids uuid[];
  oids uuid[];
  flags boolean[];
  touched uuid[];
BEGIN
  IF op <> 'DELETE' THEN
    SELECT array_agg(n.id), array_agg(n.meeting_id), array_agg(n.organisation_id), array_agg(n.restricted) INTO ids, mids, oids, flags
      FROM unnest(news) n WHERE n.kind = 'concern';
  END IF;
  IF op <> 'INSERT' THEN
    SELECT array_agg(DISTINCT s.o) INTO touched FROM (
      SELECT organisation_id AS o, meeting_id AS m, restricted AS r FROM unnest(news) WHERE kind = 'concern'
      UNION SELECT organisation_id, meeting_id, restricted FROM unnest(olds) WHERE kind = 'concern') s
      WHERE s.r OR NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = s.m AND NOT m.restricted);
  END IF;
  PERFORM read_model.refresh_concern_viewers(ids, mids, oids, flags, touched);
END;
$$;

-- Grants of single items (grants of meetings reach read_model.meeting_reader, and this model through it).
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_access_grant(op text, olds access_grant[], news access_grant[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  SELECT array_agg(g.user_id), array_agg(s.organisation_id) INTO us, os
    FROM (SELECT user_id, record_id, record_type FROM unnest(news) UNION SELECT user_id, record_id, record_type FROM unnest(olds)) g
    JOIN shared_item s ON s.id = g.record_id WHERE g.record_type = 'shared_item' AND s.kind = 'concern';
  PERFORM read_model.refresh_readers(us, os);
END;
$$;

-- Staff of a meeting see its restricted items (staff of restricted meetings reach read_model.meeting_reader too).
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_meeting_staff(op text, olds meeting_staff[], news meeting_staff[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  SELECT array_agg(ms.user_id), array_agg(s.organisation_id) INTO us, os
    FROM (SELECT user_id, meeting_id FROM unnest(news) UNION SELECT user_id, meeting_id FROM unnest(olds)) ms
    JOIN shared_item s ON s.meeting_id = ms.meeting_id WHERE s.restricted AND s.kind = 'concern';
  PERFORM read_model.refresh_readers(us, os);
END;
$$;

-- A meeting restricted or opened: its restricted concerns change hands between "staff or granted the item in an open
-- meeting" and "readers of the restricted meeting" (its readers themselves follow through read_model.meeting_reader).
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_meeting(op text, olds meeting[], news meeting[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  mids uuid[];
  oids uuid[];
  flags boolean[];
BEGIN
  IF op <> 'UPDATE' THEN RETURN; END IF;
  SELECT array_agg(s.id), array_agg(s.meeting_id), array_agg(s.organisation_id), array_agg(s.restricted) INTO ids, mids, oids, flags
    FROM unnest(news) n JOIN unnest(olds) d ON d.id = n.id JOIN shared_item s ON s.meeting_id = n.id
    WHERE n.restricted IS DISTINCT FROM d.restricted AND s.restricted AND s.kind = 'concern';
  PERFORM read_model.refresh_concern_viewers(ids, mids, oids, flags, oids);
END;
$$;

-- An organisation deleted: its rows go (its records' cascaded deletes find no organisation to refresh).
CREATE OR REPLACE FUNCTION read_model.reader_activity_after_organisation(op text, olds organisation[], news organisation[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF op = 'DELETE' THEN
    DELETE FROM read_model.reader_activity a USING unnest(olds) o WHERE a.organisation_id = o.id;
  END IF;
END;
$$;
