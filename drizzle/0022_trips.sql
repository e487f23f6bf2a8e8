CREATE TABLE "trip" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"time_zone" text NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"car_kmh" double precision DEFAULT 40 NOT NULL,
	"foot_kmh" double precision DEFAULT 4.5 NOT NULL,
	"buffer_minutes" integer DEFAULT 15 NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trip_period" CHECK ("trip"."ends_on" >= "trip"."starts_on")
);
--> statement-breakpoint
CREATE TABLE "trip_access_rule" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"traveller_id" uuid,
	"person_id" uuid,
	"area" text NOT NULL,
	"note" text,
	CONSTRAINT "trip_access_rule_one" CHECK (("trip_access_rule"."traveller_id" IS NULL) <> ("trip_access_rule"."person_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "trip_fixed_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"title" text NOT NULL,
	"place_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"traveller_ids" jsonb NOT NULL,
	CONSTRAINT "trip_fixed_item_period" CHECK ("trip_fixed_item"."ends_at" > "trip_fixed_item"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "trip_permit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"rule_id" uuid NOT NULL,
	"valid_from" date NOT NULL,
	"valid_to" date NOT NULL,
	CONSTRAINT "trip_permit_period" CHECK ("trip_permit"."valid_to" >= "trip_permit"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "trip_pin" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"place_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"traveller_ids" jsonb NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trip_place" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text DEFAULT 'venue' NOT NULL,
	"lat" double precision,
	"lon" double precision,
	"area" text,
	"organisation_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trip_place_coords" CHECK (("trip_place"."lat" IS NULL) = ("trip_place"."lon" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "trip_plan" (
	"trip_id" uuid PRIMARY KEY NOT NULL,
	"plan" jsonb NOT NULL,
	"planned_by" text,
	"planned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trip_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"title" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"priority" integer DEFAULT 3 NOT NULL,
	"format" text DEFAULT 'group' NOT NULL,
	"allow_their_office" boolean DEFAULT false NOT NULL,
	"allow_ours" boolean DEFAULT false NOT NULL,
	"allow_online" boolean DEFAULT false NOT NULL,
	"counterpart_weekend" text DEFAULT 'none' NOT NULL,
	"campaign_target_id" uuid,
	"restricted" boolean DEFAULT false NOT NULL,
	"meeting_id" uuid,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trip_request_duration" CHECK ("trip_request"."duration_minutes" > 0 AND "trip_request"."duration_minutes" <= 1440),
	CONSTRAINT "trip_request_priority" CHECK ("trip_request"."priority" BETWEEN 1 AND 10)
);
--> statement-breakpoint
CREATE TABLE "trip_request_party" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"organisation_id" uuid,
	"person_id" uuid,
	CONSTRAINT "trip_request_party_one" CHECK (("trip_request_party"."organisation_id" IS NULL) <> ("trip_request_party"."person_id" IS NULL))
);
--> statement-breakpoint
CREATE TABLE "trip_request_place" (
	"request_id" uuid NOT NULL,
	"place_id" uuid NOT NULL,
	CONSTRAINT "trip_request_place_request_id_place_id_pk" PRIMARY KEY("request_id","place_id")
);
--> statement-breakpoint
CREATE TABLE "trip_request_traveller" (
	"request_id" uuid NOT NULL,
	"traveller_id" uuid NOT NULL,
	"must" boolean NOT NULL,
	CONSTRAINT "trip_request_traveller_request_id_traveller_id_pk" PRIMARY KEY("request_id","traveller_id")
);
--> statement-breakpoint
CREATE TABLE "trip_request_window" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"request_id" uuid NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	CONSTRAINT "trip_request_window_period" CHECK ("trip_request_window"."ends_at" > "trip_request_window"."starts_at")
);
--> statement-breakpoint
CREATE TABLE "trip_travel_extra" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"label" text NOT NULL,
	"area_a" text NOT NULL,
	"area_b" text NOT NULL,
	"extra_minutes" integer NOT NULL,
	"from_minute" integer,
	"to_minute" integer
);
--> statement-breakpoint
CREATE TABLE "trip_travel_override" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"from_place_id" uuid NOT NULL,
	"to_place_id" uuid NOT NULL,
	"mode" text DEFAULT 'car' NOT NULL,
	"minutes" integer NOT NULL,
	"symmetric" boolean DEFAULT true NOT NULL
);
--> statement-breakpoint
CREATE TABLE "trip_traveller" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trip_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"work_from" integer DEFAULT 540 NOT NULL,
	"work_to" integer DEFAULT 1140 NOT NULL,
	"weekend" text DEFAULT 'fri_sat' NOT NULL,
	"holidays" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"base_place_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "trip_traveller_hours" CHECK ("trip_traveller"."work_from" >= 0 AND "trip_traveller"."work_to" <= 1440 AND "trip_traveller"."work_to" > "trip_traveller"."work_from")
);
--> statement-breakpoint
CREATE TABLE "trip_traveller_night" (
	"traveller_id" uuid NOT NULL,
	"night" date NOT NULL,
	"place_id" uuid NOT NULL,
	CONSTRAINT "trip_traveller_night_traveller_id_night_pk" PRIMARY KEY("traveller_id","night")
);
--> statement-breakpoint
ALTER TABLE "trip" ADD CONSTRAINT "trip_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_access_rule" ADD CONSTRAINT "trip_access_rule_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_access_rule" ADD CONSTRAINT "trip_access_rule_traveller_id_trip_traveller_id_fk" FOREIGN KEY ("traveller_id") REFERENCES "public"."trip_traveller"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_access_rule" ADD CONSTRAINT "trip_access_rule_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_fixed_item" ADD CONSTRAINT "trip_fixed_item_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_fixed_item" ADD CONSTRAINT "trip_fixed_item_place_id_trip_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."trip_place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_permit" ADD CONSTRAINT "trip_permit_rule_id_trip_access_rule_id_fk" FOREIGN KEY ("rule_id") REFERENCES "public"."trip_access_rule"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_pin" ADD CONSTRAINT "trip_pin_request_id_trip_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."trip_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_pin" ADD CONSTRAINT "trip_pin_place_id_trip_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."trip_place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_pin" ADD CONSTRAINT "trip_pin_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_place" ADD CONSTRAINT "trip_place_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_place" ADD CONSTRAINT "trip_place_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_plan" ADD CONSTRAINT "trip_plan_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_plan" ADD CONSTRAINT "trip_plan_planned_by_user_id_fk" FOREIGN KEY ("planned_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request" ADD CONSTRAINT "trip_request_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request" ADD CONSTRAINT "trip_request_campaign_target_id_campaign_target_id_fk" FOREIGN KEY ("campaign_target_id") REFERENCES "public"."campaign_target"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request" ADD CONSTRAINT "trip_request_meeting_id_meeting_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meeting"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request" ADD CONSTRAINT "trip_request_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_party" ADD CONSTRAINT "trip_request_party_request_id_trip_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."trip_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_party" ADD CONSTRAINT "trip_request_party_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_party" ADD CONSTRAINT "trip_request_party_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_place" ADD CONSTRAINT "trip_request_place_request_id_trip_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."trip_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_place" ADD CONSTRAINT "trip_request_place_place_id_trip_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."trip_place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_traveller" ADD CONSTRAINT "trip_request_traveller_request_id_trip_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."trip_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_traveller" ADD CONSTRAINT "trip_request_traveller_traveller_id_trip_traveller_id_fk" FOREIGN KEY ("traveller_id") REFERENCES "public"."trip_traveller"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_request_window" ADD CONSTRAINT "trip_request_window_request_id_trip_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."trip_request"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_travel_extra" ADD CONSTRAINT "trip_travel_extra_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_travel_override" ADD CONSTRAINT "trip_travel_override_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_travel_override" ADD CONSTRAINT "trip_travel_override_from_place_id_trip_place_id_fk" FOREIGN KEY ("from_place_id") REFERENCES "public"."trip_place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_travel_override" ADD CONSTRAINT "trip_travel_override_to_place_id_trip_place_id_fk" FOREIGN KEY ("to_place_id") REFERENCES "public"."trip_place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_traveller" ADD CONSTRAINT "trip_traveller_trip_id_trip_id_fk" FOREIGN KEY ("trip_id") REFERENCES "public"."trip"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_traveller" ADD CONSTRAINT "trip_traveller_user_id_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."user"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_traveller" ADD CONSTRAINT "trip_traveller_base_place_id_trip_place_id_fk" FOREIGN KEY ("base_place_id") REFERENCES "public"."trip_place"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_traveller_night" ADD CONSTRAINT "trip_traveller_night_traveller_id_trip_traveller_id_fk" FOREIGN KEY ("traveller_id") REFERENCES "public"."trip_traveller"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trip_traveller_night" ADD CONSTRAINT "trip_traveller_night_place_id_trip_place_id_fk" FOREIGN KEY ("place_id") REFERENCES "public"."trip_place"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "trip_starts_on_idx" ON "trip" USING btree ("starts_on");--> statement-breakpoint
CREATE INDEX "trip_access_rule_trip_idx" ON "trip_access_rule" USING btree ("trip_id");--> statement-breakpoint
CREATE INDEX "trip_access_rule_traveller_idx" ON "trip_access_rule" USING btree ("traveller_id");--> statement-breakpoint
CREATE INDEX "trip_access_rule_person_idx" ON "trip_access_rule" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "trip_fixed_item_trip_idx" ON "trip_fixed_item" USING btree ("trip_id");--> statement-breakpoint
CREATE INDEX "trip_fixed_item_place_idx" ON "trip_fixed_item" USING btree ("place_id");--> statement-breakpoint
CREATE INDEX "trip_permit_rule_idx" ON "trip_permit" USING btree ("rule_id");--> statement-breakpoint
CREATE INDEX "trip_pin_place_idx" ON "trip_pin" USING btree ("place_id");--> statement-breakpoint
CREATE INDEX "trip_place_trip_idx" ON "trip_place" USING btree ("trip_id");--> statement-breakpoint
CREATE INDEX "trip_place_org_idx" ON "trip_place" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "trip_request_trip_idx" ON "trip_request" USING btree ("trip_id");--> statement-breakpoint
CREATE INDEX "trip_request_meeting_idx" ON "trip_request" USING btree ("meeting_id");--> statement-breakpoint
CREATE INDEX "trip_request_target_idx" ON "trip_request" USING btree ("campaign_target_id");--> statement-breakpoint
CREATE INDEX "trip_request_party_request_idx" ON "trip_request_party" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "trip_request_party_org_idx" ON "trip_request_party" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "trip_request_party_person_idx" ON "trip_request_party" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "trip_request_place_place_idx" ON "trip_request_place" USING btree ("place_id");--> statement-breakpoint
CREATE INDEX "trip_request_traveller_traveller_idx" ON "trip_request_traveller" USING btree ("traveller_id");--> statement-breakpoint
CREATE INDEX "trip_request_window_request_idx" ON "trip_request_window" USING btree ("request_id");--> statement-breakpoint
CREATE INDEX "trip_travel_extra_trip_idx" ON "trip_travel_extra" USING btree ("trip_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trip_travel_override_unique" ON "trip_travel_override" USING btree ("trip_id","from_place_id","to_place_id","mode");--> statement-breakpoint
CREATE INDEX "trip_travel_override_from_idx" ON "trip_travel_override" USING btree ("from_place_id");--> statement-breakpoint
CREATE INDEX "trip_travel_override_to_idx" ON "trip_travel_override" USING btree ("to_place_id");--> statement-breakpoint
CREATE UNIQUE INDEX "trip_traveller_unique" ON "trip_traveller" USING btree ("trip_id","user_id");--> statement-breakpoint
CREATE INDEX "trip_traveller_user_idx" ON "trip_traveller" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "trip_traveller_base_idx" ON "trip_traveller" USING btree ("base_place_id");--> statement-breakpoint
CREATE INDEX "trip_traveller_night_place_idx" ON "trip_traveller_night" USING btree ("place_id");