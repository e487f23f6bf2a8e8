CREATE TABLE "checkin_device" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"gate" text NOT NULL,
	"label" text NOT NULL,
	"pairing_code_hash" text,
	"pairing_expires_at" timestamp with time zone,
	"token_hash" text,
	"paired_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "checkin_device_pairing_code_hash_unique" UNIQUE("pairing_code_hash"),
	CONSTRAINT "checkin_device_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "checkin_scan" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"nonce" text NOT NULL,
	"event_id" uuid NOT NULL,
	"ticket_id" uuid,
	"device_id" uuid,
	"gate" text NOT NULL,
	"scanned_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"offline" boolean DEFAULT false NOT NULL,
	"manual" boolean DEFAULT false NOT NULL,
	"result" text NOT NULL,
	CONSTRAINT "checkin_scan_nonce_unique" UNIQUE("nonce"),
	CONSTRAINT "checkin_scan_result_check" CHECK ("checkin_scan"."result" IN ('admitted', 'already_admitted', 'invalid', 'wrong_event', 'cancelled', 'conflict'))
);
--> statement-breakpoint
CREATE TABLE "event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"title" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"practical_info" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"accessibility" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"venue_name" text,
	"venue_address" text,
	"map_url" text,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"time_zone" text NOT NULL,
	"languages" text[] DEFAULT '{}'::text[] NOT NULL,
	"gates" text[] DEFAULT '{}'::text[] NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"waitlist_offer_hours" integer DEFAULT 24 NOT NULL,
	"retention_days" integer DEFAULT 90 NOT NULL,
	"personal_data_erased_at" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_slug_unique" UNIQUE("slug"),
	CONSTRAINT "event_status_check" CHECK ("event"."status" IN ('draft', 'published', 'closed')),
	CONSTRAINT "event_times_check" CHECK ("event"."ends_at" > "event"."starts_at"),
	CONSTRAINT "event_offer_hours_check" CHECK ("event"."waitlist_offer_hours" BETWEEN 1 AND 720),
	CONSTRAINT "event_retention_check" CHECK ("event"."retention_days" BETWEEN 0 AND 3650)
);
--> statement-breakpoint
CREATE TABLE "event_cohost" (
	"event_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"role" text DEFAULT 'cohost' NOT NULL,
	"sharing_mode" text DEFAULT 'aggregate' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "event_cohost_event_id_organisation_id_pk" PRIMARY KEY("event_id","organisation_id"),
	CONSTRAINT "event_cohost_role_check" CHECK ("event_cohost"."role" IN ('lead', 'cohost', 'supporter')),
	CONSTRAINT "event_cohost_sharing_check" CHECK ("event_cohost"."sharing_mode" IN ('aggregate', 'contacts'))
);
--> statement-breakpoint
CREATE TABLE "event_signing_key" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"private_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_link" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"organisation_id" uuid NOT NULL,
	"code" text NOT NULL,
	"channel" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "referral_link_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "registration" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"language" text NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"consents" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"referral_link_id" uuid,
	"referrer_organisation_id" uuid,
	"manage_token_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"erased_at" timestamp with time zone,
	CONSTRAINT "registration_manage_token_hash_unique" UNIQUE("manage_token_hash")
);
--> statement-breakpoint
CREATE TABLE "registration_question" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"consent_purpose" text,
	"label" jsonb NOT NULL,
	"help" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"required" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registration_question_kind_check" CHECK ("registration_question"."kind" IN ('text', 'single', 'multiple', 'yes_no', 'consent')),
	CONSTRAINT "registration_question_consent_check" CHECK (("registration_question"."kind" = 'consent') = ("registration_question"."consent_purpose" IS NOT NULL) AND ("registration_question"."consent_purpose" IS NULL OR "registration_question"."consent_purpose" IN ('terms', 'share_with_cohost', 'hear_again')))
);
--> statement-breakpoint
CREATE TABLE "ticket" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"status" text DEFAULT 'valid' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"code" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "ticket_code_unique" UNIQUE("code"),
	CONSTRAINT "ticket_status_check" CHECK ("ticket"."status" IN ('valid', 'cancelled'))
);
--> statement-breakpoint
CREATE TABLE "ticket_type" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"name" jsonb NOT NULL,
	"description" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"capacity" integer NOT NULL,
	"taken" integer DEFAULT 0 NOT NULL,
	"price_cents" integer DEFAULT 0 NOT NULL,
	"sales_start_at" timestamp with time zone,
	"sales_end_at" timestamp with time zone,
	"per_person_limit" integer DEFAULT 1 NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ticket_type_capacity_check" CHECK ("ticket_type"."capacity" >= 0 AND "ticket_type"."taken" >= 0 AND "ticket_type"."taken" <= "ticket_type"."capacity"),
	CONSTRAINT "ticket_type_price_check" CHECK ("ticket_type"."price_cents" = 0),
	CONSTRAINT "ticket_type_limit_check" CHECK ("ticket_type"."per_person_limit" BETWEEN 1 AND 20)
);
--> statement-breakpoint
CREATE TABLE "waitlist_entry" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"ticket_type_id" uuid NOT NULL,
	"registration_id" uuid NOT NULL,
	"position" bigserial NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"offered_at" timestamp with time zone,
	"offer_expires_at" timestamp with time zone,
	"ticket_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "waitlist_entry_status_check" CHECK ("waitlist_entry"."status" IN ('waiting', 'offered', 'accepted', 'expired', 'left')),
	CONSTRAINT "waitlist_entry_offer_check" CHECK ("waitlist_entry"."status" <> 'offered' OR "waitlist_entry"."offer_expires_at" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "checkin_device" ADD CONSTRAINT "checkin_device_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_device" ADD CONSTRAINT "checkin_device_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_scan" ADD CONSTRAINT "checkin_scan_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_scan" ADD CONSTRAINT "checkin_scan_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checkin_scan" ADD CONSTRAINT "checkin_scan_device_id_checkin_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."checkin_device"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event" ADD CONSTRAINT "event_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_cohost" ADD CONSTRAINT "event_cohost_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_cohost" ADD CONSTRAINT "event_cohost_organisation_id_organisation_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisation"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "event_signing_key" ADD CONSTRAINT "event_signing_key_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_link" ADD CONSTRAINT "referral_link_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_link" ADD CONSTRAINT "referral_link_cohost_fk" FOREIGN KEY ("event_id","organisation_id") REFERENCES "public"."event_cohost"("event_id","organisation_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration" ADD CONSTRAINT "registration_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration" ADD CONSTRAINT "registration_referral_link_id_referral_link_id_fk" FOREIGN KEY ("referral_link_id") REFERENCES "public"."referral_link"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration" ADD CONSTRAINT "registration_referrer_organisation_id_organisation_id_fk" FOREIGN KEY ("referrer_organisation_id") REFERENCES "public"."organisation"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registration_question" ADD CONSTRAINT "registration_question_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_registration_id_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_ticket_type_id_ticket_type_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_type"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ticket_type" ADD CONSTRAINT "ticket_type_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entry" ADD CONSTRAINT "waitlist_entry_event_id_event_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."event"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entry" ADD CONSTRAINT "waitlist_entry_ticket_type_id_ticket_type_id_fk" FOREIGN KEY ("ticket_type_id") REFERENCES "public"."ticket_type"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entry" ADD CONSTRAINT "waitlist_entry_registration_id_registration_id_fk" FOREIGN KEY ("registration_id") REFERENCES "public"."registration"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "waitlist_entry" ADD CONSTRAINT "waitlist_entry_ticket_id_ticket_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."ticket"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkin_device_event_idx" ON "checkin_device" USING btree ("event_id");--> statement-breakpoint
CREATE UNIQUE INDEX "checkin_scan_one_admission_idx" ON "checkin_scan" USING btree ("ticket_id") WHERE "checkin_scan"."result" = 'admitted';--> statement-breakpoint
CREATE INDEX "checkin_scan_ticket_idx" ON "checkin_scan" USING btree ("ticket_id","scanned_at");--> statement-breakpoint
CREATE INDEX "checkin_scan_event_idx" ON "checkin_scan" USING btree ("event_id","gate","result");--> statement-breakpoint
CREATE INDEX "checkin_scan_device_idx" ON "checkin_scan" USING btree ("device_id");--> statement-breakpoint
CREATE INDEX "event_starts_at_idx" ON "event" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "event_cohost_org_idx" ON "event_cohost" USING btree ("organisation_id");--> statement-breakpoint
CREATE INDEX "referral_link_cohost_idx" ON "referral_link" USING btree ("event_id","organisation_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registration_event_email_idx" ON "registration" USING btree ("event_id","email");--> statement-breakpoint
CREATE INDEX "registration_event_created_idx" ON "registration" USING btree ("event_id","created_at");--> statement-breakpoint
CREATE INDEX "registration_referrer_idx" ON "registration" USING btree ("event_id","referrer_organisation_id");--> statement-breakpoint
CREATE INDEX "registration_referral_link_idx" ON "registration" USING btree ("referral_link_id");--> statement-breakpoint
CREATE INDEX "registration_referrer_org_idx" ON "registration" USING btree ("referrer_organisation_id");--> statement-breakpoint
CREATE INDEX "registration_question_event_idx" ON "registration_question" USING btree ("event_id","position");--> statement-breakpoint
CREATE INDEX "ticket_event_idx" ON "ticket" USING btree ("event_id","status");--> statement-breakpoint
CREATE INDEX "ticket_registration_idx" ON "ticket" USING btree ("registration_id");--> statement-breakpoint
CREATE INDEX "ticket_type_idx" ON "ticket" USING btree ("ticket_type_id","status");--> statement-breakpoint
CREATE INDEX "ticket_type_event_idx" ON "ticket_type" USING btree ("event_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "waitlist_entry_registration_idx" ON "waitlist_entry" USING btree ("ticket_type_id","registration_id");--> statement-breakpoint
CREATE INDEX "waitlist_entry_queue_idx" ON "waitlist_entry" USING btree ("ticket_type_id","status","position");--> statement-breakpoint
CREATE INDEX "waitlist_entry_event_idx" ON "waitlist_entry" USING btree ("event_id");--> statement-breakpoint
CREATE INDEX "waitlist_entry_reg_idx" ON "waitlist_entry" USING btree ("registration_id");