CREATE TABLE "checkin_conflict_resolution" (
	"scan_id" uuid PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"resolution" text NOT NULL,
	"note" text,
	"resolved_by" text,
	"resolved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "checkin_conflict_resolution_kind_check" CHECK ("checkin_conflict_resolution"."resolution" IN ('same_person', 'two_people'))
);
--> statement-breakpoint
ALTER TABLE "checkin_conflict_resolution" ADD CONSTRAINT "checkin_conflict_resolution_scan_id_checkin_scan_id_fk" FOREIGN KEY ("scan_id") REFERENCES "public"."checkin_scan"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_conflict_resolution" ADD CONSTRAINT "checkin_conflict_resolution_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_conflict_resolution" ADD CONSTRAINT "checkin_conflict_resolution_resolved_by_user_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkin_conflict_resolution_event_idx" ON "checkin_conflict_resolution" USING btree ("event_id");