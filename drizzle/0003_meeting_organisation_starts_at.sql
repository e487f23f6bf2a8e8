ALTER TABLE "meeting_organisation" ADD COLUMN "starts_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "meeting_organisation_org_starts_idx" ON "meeting_organisation" USING btree ("organisation_id","starts_at" DESC NULLS LAST);--> statement-breakpoint
-- meeting_organisation.starts_at mirrors meeting.starts_at: src/server/read-models/meeting-organisation-mirror.sql keeps
-- it. (Until migration 0014 this file defined the triggers too; they now live there only.)
UPDATE meeting_organisation mo SET starts_at = m.starts_at FROM meeting m WHERE m.id = mo.meeting_id;
