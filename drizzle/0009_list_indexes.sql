-- The organisation list and member health at scale, cheap per request (docs/network.md, "Performance"); the embedded
-- database runs one query at a time, so every millisecond of a list is paid by everyone waiting behind it.
--
-- The organisation list is sorted by lower(name), id: an index in that order reads a page in order instead of sorting
-- every organisation per request.
CREATE INDEX IF NOT EXISTS organisation_lower_name_idx ON organisation (lower(name), id);
--> statement-breakpoint
-- A reader's restricted attendance of one organisation (read_model.refresh_readers below): restricted rows are rare.
CREATE INDEX IF NOT EXISTS meeting_organisation_org_restricted_idx ON meeting_organisation (organisation_id) WHERE meeting_restricted;
--> statement-breakpoint
-- read_model.organisation_card: what the lists show of an organisation (its fields and recorded names), as the JSON the
-- server reads, kept by triggers on organisation and organisation_name. Both lists then copy 50 or 100 ready texts
-- instead of building them (and aggregating each organisation's names) on every request.
CREATE TABLE read_model.organisation_card (
  organisation_id uuid PRIMARY KEY,
  card json NOT NULL
);
--> statement-breakpoint
-- The card of one organisation. Timestamps as JavaScript's toISOString() writes them (milliseconds, Z); names in no
-- particular order (the server orders them by the display name and its locale). PL/pgSQL, not SQL: a SQL function
-- would be inlined into every list query that names it as a fallback, and planned on every request.
CREATE OR REPLACE FUNCTION read_model.organisation_card_of(o organisation) RETURNS json LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN json_build_object('id', o.id, 'kind', o.kind, 'status', o.status, 'name', o.name, 'country', o.country, 'area', o.area,
    'city', o.city, 'website', o.website, 'languages', o.languages, 'description', o.description, 'tags', o.tags, 'ownerId', o.owner_id,
    'createdAt', to_char(o.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'updatedAt', to_char(o.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'names', coalesce((SELECT json_agg(json_build_object('id', n.id, 'name', n.name, 'script', n.script, 'kind', n.kind) ORDER BY n.id)
      FROM organisation_name n WHERE n.organisation_id = o.id), '[]'));
END;
$$;
--> statement-breakpoint
-- Locks the cards first, in id order, then reads the organisations (as refresh_organisations does): the last
-- transaction to commit writes the card from everything committed.
CREATE OR REPLACE FUNCTION read_model.refresh_cards(ids uuid[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 OR read_model.pending() THEN RETURN; END IF;
  INSERT INTO read_model.organisation_card (organisation_id, card)
    SELECT o.id, '{}' FROM organisation o WHERE o.id = ANY (ids) ON CONFLICT DO NOTHING;
  PERFORM 1 FROM read_model.organisation_card WHERE organisation_id = ANY (ids) ORDER BY organisation_id FOR UPDATE;
  DELETE FROM read_model.organisation_card c WHERE c.organisation_id = ANY (ids)
    AND NOT EXISTS (SELECT 1 FROM organisation o WHERE o.id = c.organisation_id);
  UPDATE read_model.organisation_card c SET card = read_model.organisation_card_of(o)
    FROM organisation o WHERE o.id = c.organisation_id AND c.organisation_id = ANY (ids);
END;
$$;
--> statement-breakpoint
-- read_model.reader_activity: per reader and organisation, what the reader's RESTRICTED records add to member health's
-- figures over unrestricted records (read_model.organisation_activity, 0005): attendance of the restricted meetings the
-- reader may see (read_model.meeting_reader), open concerns the reader may see that others may not, open follow-ups of
-- those meetings. Member health then reads one index range per reader instead of counting from the records. A row exists
-- only where the reader's restricted records touch the organisation. The last meeting and the 90-day count depend on
-- the clock: as in organisation_activity, a row holds for the instants [as_of, valid_until), and outside them member
-- health counts that organisation from the records. Kept by the statement triggers below, the same way as 0005's.
CREATE TABLE read_model.reader_activity (
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
--> statement-breakpoint
-- Only columns a refresh never changes are indexed, and pages keep room, so that refreshes are HOT updates: the embedded
-- database never vacuums, and member health reads a reader's rows through the primary key. (refresh_due scans the
-- table once a minute instead.)
CREATE INDEX reader_activity_org_idx ON read_model.reader_activity (organisation_id);
--> statement-breakpoint
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
--> statement-breakpoint
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
--> statement-breakpoint
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
--> statement-breakpoint
-- Every row from scratch (set-based: the rule written a second time, which the tests hold against the triggers).
CREATE OR REPLACE FUNCTION read_model.rebuild_readers() RETURNS void LANGUAGE plpgsql AS $$
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
--> statement-breakpoint
-- 0005's rebuild, then the per-reader rows once (not once per meeting_reader row: its triggers stand aside) and the cards
CREATE OR REPLACE FUNCTION read_model.rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('read_model.rebuilding', 'on', true);
  UPDATE read_model.state SET rebuild_pending = false WHERE id = 1;
  DELETE FROM read_model.meeting_reader;
  DELETE FROM read_model.organisation_activity;
  INSERT INTO read_model.meeting_reader (user_id, meeting_id)
    SELECT s.user_id, s.meeting_id FROM meeting_staff s JOIN meeting m ON m.id = s.meeting_id WHERE m.restricted
    UNION
    SELECT g.user_id, g.record_id FROM access_grant g JOIN meeting m ON m.id = g.record_id WHERE m.restricted AND g.record_type = 'meeting';
  PERFORM read_model.refresh_organisations(coalesce((SELECT array_agg(id) FROM organisation), '{}'));
  PERFORM read_model.rebuild_readers();
  DELETE FROM read_model.organisation_card;
  INSERT INTO read_model.organisation_card (organisation_id, card) SELECT o.id, read_model.organisation_card_of(o) FROM organisation o;
  PERFORM set_config('read_model.rebuilding', 'off', true);
END;
$$;
--> statement-breakpoint
-- 0005's refresh_due, and the per-reader rows the clock overtook
CREATE OR REPLACE FUNCTION read_model.refresh_due(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  due uuid[];
  us text[];
  os uuid[];
BEGIN
  IF read_model.pending() THEN RETURN 0; END IF;
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
  RETURN coalesce(cardinality(due), 0) + coalesce(cardinality(us), 0);
END;
$$;
--> statement-breakpoint
-- ---------------------------------------------------------------------------------------------- triggers
-- A reader gained or lost a restricted meeting: that reader with every organisation the meeting's records name.
CREATE OR REPLACE FUNCTION read_model.on_meeting_reader() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  IF current_setting('read_model.rebuilding', true) = 'on' THEN RETURN NULL; END IF;
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(c.user_id), array_agg(x.o) INTO us, os FROM new_rows c CROSS JOIN LATERAL (
      SELECT mo.organisation_id AS o FROM meeting_organisation mo WHERE mo.meeting_id = c.meeting_id
      UNION SELECT s.organisation_id FROM shared_item s WHERE s.meeting_id = c.meeting_id AND s.kind = 'concern'
      UNION SELECT f.organisation_id FROM follow_up f WHERE f.meeting_id = c.meeting_id AND f.organisation_id IS NOT NULL) x;
  ELSE
    SELECT array_agg(c.user_id), array_agg(x.o) INTO us, os FROM old_rows c CROSS JOIN LATERAL (
      SELECT mo.organisation_id AS o FROM meeting_organisation mo WHERE mo.meeting_id = c.meeting_id
      UNION SELECT s.organisation_id FROM shared_item s WHERE s.meeting_id = c.meeting_id AND s.kind = 'concern'
      UNION SELECT f.organisation_id FROM follow_up f WHERE f.meeting_id = c.meeting_id AND f.organisation_id IS NOT NULL) x;
  END IF;
  PERFORM read_model.refresh_readers(us, os);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_readers_ins AFTER INSERT ON read_model.meeting_reader REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_reader();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_del AFTER DELETE ON read_model.meeting_reader REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_reader();
--> statement-breakpoint
-- Attendance: restricted rows only (the others are everyone's, in organisation_activity).
CREATE OR REPLACE FUNCTION read_model.on_meeting_organisation_for_readers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ms uuid[];
  os uuid[];
  touched uuid[];
BEGIN
  IF TG_OP <> 'DELETE' THEN
    SELECT array_agg(meeting_id), array_agg(organisation_id) INTO ms, os FROM new_rows WHERE meeting_restricted;
  END IF;
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT organisation_id) INTO touched FROM old_rows WHERE meeting_restricted;
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT o) INTO touched FROM (
      SELECT organisation_id AS o FROM new_rows WHERE meeting_restricted UNION SELECT organisation_id FROM old_rows WHERE meeting_restricted) u;
  END IF;
  PERFORM read_model.refresh_readers_of_meetings(ms, os, touched);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_readers_ins AFTER INSERT ON meeting_organisation REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_organisation_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_upd AFTER UPDATE ON meeting_organisation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_organisation_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_del AFTER DELETE ON meeting_organisation REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_organisation_for_readers();
--> statement-breakpoint
-- Follow-ups of a meeting that is restricted (or already deleted: then it may have been).
CREATE OR REPLACE FUNCTION read_model.on_follow_up_for_readers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ms uuid[];
  os uuid[];
  touched uuid[];
BEGIN
  IF TG_OP <> 'DELETE' THEN
    SELECT array_agg(meeting_id), array_agg(organisation_id) INTO ms, os FROM new_rows WHERE meeting_id IS NOT NULL AND organisation_id IS NOT NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT f.organisation_id) INTO touched FROM old_rows f
      WHERE f.meeting_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = f.meeting_id AND NOT m.restricted);
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT f.o) INTO touched FROM (
      SELECT meeting_id AS m, organisation_id AS o FROM new_rows UNION SELECT meeting_id, organisation_id FROM old_rows) f
      WHERE f.m IS NOT NULL AND NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = f.m AND NOT m.restricted);
  END IF;
  PERFORM read_model.refresh_readers_of_meetings(ms, os, touched);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_readers_ins AFTER INSERT ON follow_up REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_follow_up_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_upd AFTER UPDATE ON follow_up REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_follow_up_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_del AFTER DELETE ON follow_up REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_follow_up_for_readers();
--> statement-breakpoint
-- Shared items: only concerns count.
CREATE OR REPLACE FUNCTION read_model.on_shared_item_for_readers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  mids uuid[];
  oids uuid[];
  flags boolean[];
  touched uuid[];
BEGIN
  IF TG_OP <> 'DELETE' THEN
    SELECT array_agg(id), array_agg(meeting_id), array_agg(organisation_id), array_agg(restricted) INTO ids, mids, oids, flags FROM new_rows WHERE kind = 'concern';
  END IF;
  -- a concern counted for some readers only: restricted itself, or in a restricted (or already deleted) meeting
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(DISTINCT s.organisation_id) INTO touched FROM old_rows s WHERE s.kind = 'concern'
      AND (s.restricted OR NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = s.meeting_id AND NOT m.restricted));
  ELSIF TG_OP = 'UPDATE' THEN
    SELECT array_agg(DISTINCT s.o) INTO touched FROM (
      SELECT organisation_id AS o, meeting_id AS m, restricted AS r FROM new_rows WHERE kind = 'concern'
      UNION SELECT organisation_id, meeting_id, restricted FROM old_rows WHERE kind = 'concern') s
      WHERE s.r OR NOT EXISTS (SELECT 1 FROM meeting m WHERE m.id = s.m AND NOT m.restricted);
  END IF;
  PERFORM read_model.refresh_concern_viewers(ids, mids, oids, flags, touched);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_readers_ins AFTER INSERT ON shared_item REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_shared_item_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_upd AFTER UPDATE ON shared_item REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_shared_item_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_del AFTER DELETE ON shared_item REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_shared_item_for_readers();
--> statement-breakpoint
-- Grants of single items (grants of meetings reach meeting_reader through 0005's triggers).
CREATE OR REPLACE FUNCTION read_model.on_access_grant_for_readers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(g.user_id), array_agg(s.organisation_id) INTO us, os
      FROM new_rows g JOIN shared_item s ON s.id = g.record_id WHERE g.record_type = 'shared_item' AND s.kind = 'concern';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(g.user_id), array_agg(s.organisation_id) INTO us, os
      FROM old_rows g JOIN shared_item s ON s.id = g.record_id WHERE g.record_type = 'shared_item' AND s.kind = 'concern';
  ELSE
    SELECT array_agg(g.user_id), array_agg(s.organisation_id) INTO us, os FROM (
      SELECT user_id, record_id, record_type FROM new_rows UNION SELECT user_id, record_id, record_type FROM old_rows) g
      JOIN shared_item s ON s.id = g.record_id WHERE g.record_type = 'shared_item' AND s.kind = 'concern';
  END IF;
  PERFORM read_model.refresh_readers(us, os);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_readers_ins AFTER INSERT ON access_grant REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_access_grant_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_upd AFTER UPDATE ON access_grant REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_access_grant_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_del AFTER DELETE ON access_grant REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_access_grant_for_readers();
--> statement-breakpoint
-- Staff of a meeting see its restricted items (staff of restricted meetings reach meeting_reader through 0005's triggers).
CREATE OR REPLACE FUNCTION read_model.on_meeting_staff_for_readers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  us text[];
  os uuid[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(ms.user_id), array_agg(s.organisation_id) INTO us, os
      FROM new_rows ms JOIN shared_item s ON s.meeting_id = ms.meeting_id WHERE s.restricted AND s.kind = 'concern';
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(ms.user_id), array_agg(s.organisation_id) INTO us, os
      FROM old_rows ms JOIN shared_item s ON s.meeting_id = ms.meeting_id WHERE s.restricted AND s.kind = 'concern';
  ELSE
    SELECT array_agg(ms.user_id), array_agg(s.organisation_id) INTO us, os FROM (
      SELECT user_id, meeting_id FROM new_rows UNION SELECT user_id, meeting_id FROM old_rows) ms
      JOIN shared_item s ON s.meeting_id = ms.meeting_id WHERE s.restricted AND s.kind = 'concern';
  END IF;
  PERFORM read_model.refresh_readers(us, os);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_readers_ins AFTER INSERT ON meeting_staff REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_staff_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_upd AFTER UPDATE ON meeting_staff REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_staff_for_readers();
--> statement-breakpoint
CREATE TRIGGER read_model_readers_del AFTER DELETE ON meeting_staff REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_staff_for_readers();
--> statement-breakpoint
-- A meeting restricted or opened: its restricted concerns change hands between "staff or granted the item in an open
-- meeting" and "readers of the restricted meeting" (its readers themselves follow through meeting_reader).
CREATE OR REPLACE FUNCTION read_model.on_meeting_for_readers() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  ids uuid[];
  mids uuid[];
  oids uuid[];
  flags boolean[];
BEGIN
  SELECT array_agg(s.id), array_agg(s.meeting_id), array_agg(s.organisation_id), array_agg(s.restricted) INTO ids, mids, oids, flags
    FROM new_rows n JOIN old_rows d ON d.id = n.id JOIN shared_item s ON s.meeting_id = n.id
    WHERE n.restricted IS DISTINCT FROM d.restricted AND s.restricted AND s.kind = 'concern';
  PERFORM read_model.refresh_concern_viewers(ids, mids, oids, flags, oids);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
-- named to run after 0005's read_model_upd on meeting (triggers of one event run in name order)
CREATE TRIGGER read_model_upd_readers AFTER UPDATE ON meeting REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_meeting_for_readers();
--> statement-breakpoint
-- Organisations: their cards; a deleted one's per-reader rows go (its records' cascaded deletes find no organisation)
CREATE OR REPLACE FUNCTION read_model.on_organisation_for_lists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM read_model.reader_activity a USING old_rows o WHERE a.organisation_id = o.id;
    DELETE FROM read_model.organisation_card c USING old_rows o WHERE c.organisation_id = o.id;
  ELSE
    PERFORM read_model.refresh_cards((SELECT array_agg(id) FROM new_rows));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_lists_ins AFTER INSERT ON organisation REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_for_lists();
--> statement-breakpoint
CREATE TRIGGER read_model_lists_upd AFTER UPDATE ON organisation REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_for_lists();
--> statement-breakpoint
CREATE TRIGGER read_model_lists_del AFTER DELETE ON organisation REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_for_lists();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION read_model.on_organisation_name_for_lists() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM read_model.refresh_cards((SELECT array_agg(DISTINCT organisation_id) FROM new_rows));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM read_model.refresh_cards((SELECT array_agg(DISTINCT organisation_id) FROM old_rows));
  ELSE
    PERFORM read_model.refresh_cards((SELECT array_agg(DISTINCT i) FROM (
      SELECT organisation_id AS i FROM new_rows UNION SELECT organisation_id FROM old_rows) u));
  END IF;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER read_model_lists_ins AFTER INSERT ON organisation_name REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_name_for_lists();
--> statement-breakpoint
CREATE TRIGGER read_model_lists_upd AFTER UPDATE ON organisation_name REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_name_for_lists();
--> statement-breakpoint
CREATE TRIGGER read_model_lists_del AFTER DELETE ON organisation_name REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_organisation_name_for_lists();
--> statement-breakpoint
-- a restore that truncates the names rebuilds at commit, as for the tables of 0005
CREATE TRIGGER read_model_truncate AFTER TRUNCATE ON organisation_name FOR EACH STATEMENT EXECUTE FUNCTION read_model.on_truncate();
--> statement-breakpoint
-- the rows for the records already there
SELECT read_model.rebuild_readers();
--> statement-breakpoint
INSERT INTO read_model.organisation_card (organisation_id, card) SELECT o.id, read_model.organisation_card_of(o) FROM organisation o;
