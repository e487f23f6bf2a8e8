ALTER TABLE "meeting_organisation" ADD COLUMN "meeting_restricted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION meeting_organisation_copy_starts_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT m.starts_at, m.restricted INTO NEW.starts_at, NEW.meeting_restricted FROM meeting m WHERE m.id = NEW.meeting_id;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS meeting_organisation_copy_starts_at ON "meeting_organisation";
--> statement-breakpoint
CREATE TRIGGER meeting_organisation_copy_starts_at BEFORE INSERT OR UPDATE OF meeting_id, starts_at, meeting_restricted ON "meeting_organisation"
  FOR EACH ROW EXECUTE FUNCTION meeting_organisation_copy_starts_at();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION meeting_follow_starts_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE meeting_organisation SET starts_at = NEW.starts_at, meeting_restricted = NEW.restricted WHERE meeting_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
DROP TRIGGER IF EXISTS meeting_follow_starts_at ON "meeting";
--> statement-breakpoint
CREATE TRIGGER meeting_follow_starts_at AFTER UPDATE OF starts_at, restricted ON "meeting"
  FOR EACH ROW WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at OR OLD.restricted IS DISTINCT FROM NEW.restricted)
  EXECUTE FUNCTION meeting_follow_starts_at();
--> statement-breakpoint
UPDATE meeting_organisation mo SET meeting_restricted = m.restricted FROM meeting m WHERE m.id = mo.meeting_id AND m.restricted;
