ALTER TABLE "meeting_organisation" ADD COLUMN "starts_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "meeting_organisation_org_starts_idx" ON "meeting_organisation" USING btree ("organisation_id","starts_at" DESC NULLS LAST);--> statement-breakpoint
-- meeting_organisation.starts_at mirrors meeting.starts_at: set on every insert, followed on every move of the meeting.
CREATE OR REPLACE FUNCTION meeting_organisation_copy_starts_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  SELECT m.starts_at INTO NEW.starts_at FROM meeting m WHERE m.id = NEW.meeting_id;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER meeting_organisation_copy_starts_at BEFORE INSERT OR UPDATE OF meeting_id, starts_at ON "meeting_organisation"
  FOR EACH ROW EXECUTE FUNCTION meeting_organisation_copy_starts_at();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION meeting_follow_starts_at() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE meeting_organisation SET starts_at = NEW.starts_at WHERE meeting_id = NEW.id;
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER meeting_follow_starts_at AFTER UPDATE OF starts_at ON "meeting"
  FOR EACH ROW WHEN (OLD.starts_at IS DISTINCT FROM NEW.starts_at) EXECUTE FUNCTION meeting_follow_starts_at();
--> statement-breakpoint
UPDATE meeting_organisation mo SET starts_at = m.starts_at FROM meeting m WHERE m.id = mo.meeting_id;
