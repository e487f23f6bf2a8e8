-- The organisation list and member health at scale, cheap per request (docs/network.md, "Performance"). The read models
-- they read (read_model.organisation_card, read_model.reader_activity) are defined in src/server/read-models/ and
-- applied after the migrations (until migration 0014 this file defined them).
--
-- The organisation list is sorted by lower(name), id: an index in that order reads a page in order instead of sorting
-- every organisation per request.
CREATE INDEX IF NOT EXISTS organisation_lower_name_idx ON organisation (lower(name), id);
--> statement-breakpoint
-- A reader's restricted attendance of one organisation (read_model.refresh_readers): restricted rows are rare.
CREATE INDEX IF NOT EXISTS meeting_organisation_org_restricted_idx ON meeting_organisation (organisation_id) WHERE meeting_restricted;
