CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE TABLE "calendar_feed" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "calendar_feed_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "follow_up" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"owner_id" text NOT NULL,
	"due_date" date,
	"status" text DEFAULT 'open' NOT NULL,
	"meeting_id" uuid,
	"organisation_id" uuid,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"city" text,
	"venue" text,
	"online" boolean DEFAULT false NOT NULL,
	"notes" text,
	"notes_restricted" boolean DEFAULT false NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"title_norm" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_organisation" (
	"meeting_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text DEFAULT 'participant' NOT NULL,
	CONSTRAINT "meeting_organisation_meeting_id_organisation_id_pk" PRIMARY KEY("meeting_id","organisation_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_person" (
	"meeting_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"organisation_id" uuid,
	"role" text DEFAULT 'participant' NOT NULL,
	CONSTRAINT "meeting_person_meeting_id_person_id_pk" PRIMARY KEY("meeting_id","person_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_staff" (
	"meeting_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "meeting_staff_meeting_id_user_id_pk" PRIMARY KEY("meeting_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_topic" (
	"meeting_id" uuid NOT NULL,
	"topic_id" uuid NOT NULL,
	CONSTRAINT "meeting_topic_meeting_id_topic_id_pk" PRIMARY KEY("meeting_id","topic_id")
);
--> statement-breakpoint
CREATE TABLE "segment" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"list" text NOT NULL,
	"filter" jsonb NOT NULL,
	"owner_id" text NOT NULL,
	"shared" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "shared_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"topic_id" uuid,
	"kind" text NOT NULL,
	"body" text NOT NULL,
	"body_norm" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "topic" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"key" text NOT NULL,
	"name_en" text NOT NULL,
	"name_he" text NOT NULL,
	"name_ar" text NOT NULL,
	"archived" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topic_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "access_grant" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"record_type" text NOT NULL,
	"record_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"granted_by" text,
	"granted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "affiliation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"title" text,
	"start_date" date,
	"end_date" date
);
--> statement-breakpoint
CREATE TABLE "office" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"status" text,
	"name" text NOT NULL,
	"country" text,
	"area" text,
	"city" text,
	"website" text,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"description" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"owner_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"from_id" uuid NOT NULL,
	"to_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"start_date" date,
	"end_date" date,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_name" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"name" text NOT NULL,
	"script" text NOT NULL,
	"kind" text DEFAULT 'official' NOT NULL,
	"norm" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "organisation_status_change" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"organisation_id" uuid NOT NULL,
	"status" text NOT NULL,
	"since" date NOT NULL,
	"note" text,
	"recorded_by" text,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"display_name" text NOT NULL,
	"pseudonym" text,
	"identity_restricted" boolean DEFAULT false NOT NULL,
	"restricted" boolean DEFAULT false NOT NULL,
	"preferred_language" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"notes" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_contact" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"value" text NOT NULL,
	"label" text
);
--> statement-breakpoint
CREATE TABLE "person_name" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"name" text NOT NULL,
	"script" text NOT NULL,
	"kind" text DEFAULT 'primary' NOT NULL,
	"norm" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "staff_office" (
	"user_id" text PRIMARY KEY NOT NULL,
	"office_id" uuid NOT NULL
);
--> statement-breakpoint
ALTER TABLE "calendar_feed" ADD CONSTRAINT "calendar_feed_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting" ADD CONSTRAINT "meeting_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_organisation" ADD CONSTRAINT "meeting_organisation_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_organisation" ADD CONSTRAINT "meeting_organisation_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_person" ADD CONSTRAINT "meeting_person_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_person" ADD CONSTRAINT "meeting_person_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_person" ADD CONSTRAINT "meeting_person_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_staff" ADD CONSTRAINT "meeting_staff_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_staff" ADD CONSTRAINT "meeting_staff_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_topic" ADD CONSTRAINT "meeting_topic_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_topic" ADD CONSTRAINT "meeting_topic_topic_id_topic_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segment" ADD CONSTRAINT "segment_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_item" ADD CONSTRAINT "shared_item_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_item" ADD CONSTRAINT "shared_item_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_item" ADD CONSTRAINT "shared_item_topic_id_topic_id_fk" FOREIGN KEY ("topic_id") REFERENCES "public"."topic"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "shared_item" ADD CONSTRAINT "shared_item_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_granted_by_user_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "affiliation" ADD CONSTRAINT "affiliation_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation" ADD CONSTRAINT "organisation_owner_id_user_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_link" ADD CONSTRAINT "organisation_link_from_id_organisation_id_fk" FOREIGN KEY ("from_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_link" ADD CONSTRAINT "organisation_link_to_id_organisation_id_fk" FOREIGN KEY ("to_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_name" ADD CONSTRAINT "organisation_name_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_status_change" ADD CONSTRAINT "organisation_status_change_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "organisation_status_change" ADD CONSTRAINT "organisation_status_change_recorded_by_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person" ADD CONSTRAINT "person_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_contact" ADD CONSTRAINT "person_contact_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_name" ADD CONSTRAINT "person_name_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_office" ADD CONSTRAINT "staff_office_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "staff_office" ADD CONSTRAINT "staff_office_office_id_office_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."office"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_owner_idx" ON "follow_up" USING btree ("owner_id","status","due_date");--> statement-breakpoint
CREATE INDEX "follow_up_meeting_idx" ON "follow_up" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "follow_up_org_idx" ON "follow_up" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "meeting_starts_at_idx" ON "meeting" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "meeting_kind_idx" ON "meeting" USING btree ("kind","starts_at");--> statement-breakpoint
CREATE INDEX "meeting_title_norm_trgm_idx" ON "meeting" USING gin ("title_norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "meeting_organisation_org_idx" ON "meeting_organisation" USING btree ("organisation_id","meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_person_person_idx" ON "meeting_person" USING btree ("person_id","meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_staff_user_idx" ON "meeting_staff" USING btree ("user_id","meeting_id");--> statement-breakpoint
CREATE INDEX "meeting_topic_topic_idx" ON "meeting_topic" USING btree ("topic_id");--> statement-breakpoint
CREATE INDEX "shared_item_meeting_idx" ON "shared_item" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "shared_item_org_idx" ON "shared_item" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "shared_item_topic_idx" ON "shared_item" USING btree ("topic_id","kind","status");--> statement-breakpoint
CREATE INDEX "shared_item_body_norm_trgm_idx" ON "shared_item" USING gin ("body_norm" gin_trgm_ops);--> statement-breakpoint
CREATE UNIQUE INDEX "access_grant_unique" ON "access_grant" USING btree ("record_type","record_id","user_id");--> statement-breakpoint
CREATE INDEX "access_grant_user_idx" ON "access_grant" USING btree ("user_id","record_type");--> statement-breakpoint
CREATE INDEX "affiliation_person_idx" ON "affiliation" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "affiliation_org_idx" ON "affiliation" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "organisation_kind_status_idx" ON "organisation" USING btree ("kind","status");--> statement-breakpoint
CREATE INDEX "organisation_owner_idx" ON "organisation" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "organisation_tags_idx" ON "organisation" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "organisation_name_idx" ON "organisation" USING btree ("name");--> statement-breakpoint
CREATE INDEX "organisation_link_from_idx" ON "organisation_link" USING btree ("from_id");--> statement-breakpoint
CREATE INDEX "organisation_link_to_idx" ON "organisation_link" USING btree ("to_id");--> statement-breakpoint
CREATE INDEX "organisation_name_org_idx" ON "organisation_name" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "organisation_name_norm_trgm_idx" ON "organisation_name" USING gin ("norm" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "organisation_status_change_org_idx" ON "organisation_status_change" USING btree ("organisation_id","since");--> statement-breakpoint
CREATE INDEX "person_display_name_idx" ON "person" USING btree ("display_name");--> statement-breakpoint
CREATE INDEX "person_tags_idx" ON "person" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "person_contact_person_idx" ON "person_contact" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_contact_value_idx" ON "person_contact" USING btree ("kind","value");--> statement-breakpoint
CREATE INDEX "person_name_person_idx" ON "person_name" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "person_name_norm_trgm_idx" ON "person_name" USING gin ("norm" gin_trgm_ops);