-- Mirrored columns: meeting_organisation.starts_at and meeting_organisation.meeting_restricted.
--
-- Derived from: meeting.starts_at and meeting.restricted (the columns themselves are the schema's, declared in
-- meetings.schema.ts and added by migrations 0003 and 0004). With them beside each attendance row, an organisation's
-- meetings in time order are one index range (meeting_organisation_org_starts_idx) and unrestricted attendance needs
-- no look-up of the meeting: organisation_activity, reader_activity and member health's counts from the records
-- read them.
-- Kept by: the BEFORE row trigger below (a row written copies its meeting's), and, for a meeting moved, restricted or
-- opened, read_model.meeting_organisation_mirror_after_meeting (called by the statement trigger on meeting that
-- registry.ts generates; first of the read models there, so that those after it count the attendance as it now is).
-- Rebuilt by: read_model.rebuild_meeting_organisation_mirror(), which rewrites the rows that differ.

CREATE OR REPLACE FUNCTION read_model.meeting_organisation_copy_meeting() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT m.starts_at, m.restricted INTO NEW.starts_at, NEW.meeting_restricted FROM meeting m WHERE m.id = NEW.meeting_id;
  RETURN NEW;
END;
$$;

-- The only BEFORE trigger on meeting_organisation (its order among others does not arise).
DROP TRIGGER IF EXISTS read_model_copy_meeting ON meeting_organisation;
CREATE TRIGGER read_model_copy_meeting BEFORE INSERT OR UPDATE OF meeting_id, starts_at, meeting_restricted ON meeting_organisation
  FOR EACH ROW EXECUTE FUNCTION read_model.meeting_organisation_copy_meeting();

CREATE OR REPLACE FUNCTION read_model.meeting_organisation_mirror_after_meeting(op text, olds meeting[], news meeting[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE meeting_organisation mo SET starts_at = n.starts_at, meeting_restricted = n.restricted
    FROM unnest(news) n JOIN unnest(olds) o ON o.id = n.id
    WHERE mo.meeting_id = n.id AND (o.starts_at IS DISTINCT FROM n.starts_at OR o.restricted IS DISTINCT FROM n.restricted);
END;
$$;

CREATE OR REPLACE FUNCTION read_model.rebuild_meeting_organisation_mirror() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  UPDATE meeting_organisation mo SET starts_at = m.starts_at, meeting_restricted = m.restricted
    FROM meeting m
    WHERE m.id = mo.meeting_id AND (mo.starts_at IS DISTINCT FROM m.starts_at OR mo.meeting_restricted IS DISTINCT FROM m.restricted);
END;
$$;
