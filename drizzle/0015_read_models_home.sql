-- Derived data has a home of its own: src/server/read-models/ holds the one current definition of every read model,
-- mirrored column and trigger, applied after the migrations whenever its hash changes (docs/architecture.md, "Derived
-- data"; docs/decisions/004-triggers-and-read-models.md). Migrations are back to generated schema and plain data changes.
--
-- read_model.applied: the hash of each read model's definition the database holds (src/server/read-models/apply.ts).
CREATE TABLE IF NOT EXISTS read_model.applied (
  key text PRIMARY KEY,
  hash text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);
--> statement-breakpoint
-- A database migrated before holds what migrations 0003, 0004, 0005, 0008, 0009, 0010 and 0011 used to create: it goes,
-- so that the files are the only definition (with their functions go the triggers that call them). The read models'
-- tables go too: the files own them, and they hold nothing a rebuild cannot make again (they are outside backups). The
-- files then make everything anew at the end of this start-up, and rebuild it from the tables.
DROP FUNCTION IF EXISTS public.meeting_organisation_copy_starts_at, public.meeting_follow_starts_at,
  read_model.pending, read_model.refresh_meeting_readers, read_model.refresh_organisations, read_model.rebuild, read_model.refresh_due,
  read_model.on_organisation_rows, read_model.on_organisation, read_model.on_meeting, read_model.on_meeting_staff, read_model.on_access_grant,
  read_model.on_truncate, read_model.on_state,
  read_model.dialogue_votes_added, read_model.dialogue_votes_removed, read_model.dialogue_votes_truncated,
  read_model.organisation_card_of, read_model.refresh_cards, read_model.refresh_readers, read_model.refresh_readers_of_meetings,
  read_model.refresh_concern_viewers, read_model.rebuild_readers, read_model.on_meeting_reader, read_model.on_meeting_organisation_for_readers,
  read_model.on_follow_up_for_readers, read_model.on_shared_item_for_readers, read_model.on_access_grant_for_readers,
  read_model.on_meeting_staff_for_readers, read_model.on_meeting_for_readers, read_model.on_organisation_for_lists,
  read_model.on_organisation_name_for_lists,
  read_model.search_changed, read_model.search_truncated,
  read_model.health_org, read_model.health_item, read_model.health_rows, read_model.health_keys, read_model.member_health_page,
  read_model.rebuild_health, read_model.health_flush, read_model.health_mark, read_model.on_activity_for_health,
  read_model.on_reader_activity_for_health, read_model.on_card_for_health, read_model.on_user_for_health, read_model.on_statement_for_health
  CASCADE;
--> statement-breakpoint
DROP TABLE IF EXISTS read_model.meeting_reader, read_model.organisation_activity, read_model.reader_activity, read_model.organisation_card,
  read_model.member_health, read_model.dialogue_votes CASCADE;
