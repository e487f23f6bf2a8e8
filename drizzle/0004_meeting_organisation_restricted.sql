ALTER TABLE "meeting_organisation" ADD COLUMN "meeting_restricted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- meeting_organisation.meeting_restricted mirrors meeting.restricted: src/server/read-models/meeting-organisation-mirror.sql
-- keeps it. (Until migration 0014 this file redefined the triggers too; they now live there only.)
UPDATE meeting_organisation mo SET meeting_restricted = m.restricted FROM meeting m WHERE m.id = mo.meeting_id AND m.restricted;
