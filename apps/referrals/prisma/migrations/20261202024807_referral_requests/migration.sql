-- CreateTable
CREATE TABLE "referral_providers" (
    "provider_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "contracted" BOOLEAN NOT NULL,
    "issues_referral" BOOLEAN NOT NULL,
    "online_referral" BOOLEAN NOT NULL,
    "removed" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_providers_pkey" PRIMARY KEY ("provider_id")
);

-- CreateTable
CREATE TABLE "referrals" (
    "tracking_code" TEXT NOT NULL,
    "patient_national_code" TEXT NOT NULL,
    "main_member_national_code" TEXT NOT NULL,
    "contract_number" TEXT NOT NULL,
    "provider_id" TEXT NOT NULL,
    "provider_name" TEXT NOT NULL,
    "admission_date" DATE NOT NULL,
    "doctor_name" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "service_category" TEXT NOT NULL,
    "exam_required" BOOLEAN NOT NULL,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "requested_documents" JSONB NOT NULL DEFAULT '[]',
    "documents_due_by" DATE,
    "exam_at" TIMESTAMPTZ(3),
    "exam_place" TEXT,
    "letter_number" TEXT,
    "valid_from" DATE,
    "valid_until" DATE,
    "approved_provider_id" TEXT,
    "approved_provider_name" TEXT,
    "decision_note" TEXT,
    "rejection_reason" TEXT,
    "rejection_code" TEXT,
    "cancel_reason" TEXT,
    "last_decision_sequence" BIGINT,
    "last_decision_at" TIMESTAMPTZ(3),
    "timeline" JSONB NOT NULL DEFAULT '[]',
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referrals_pkey" PRIMARY KEY ("tracking_code")
);

-- CreateTable
CREATE TABLE "referral_attachments" (
    "id" UUID NOT NULL,
    "tracking_code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "content" BYTEA NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "referral_attachments_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "projection_versions" (
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rebuilt_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "projection_versions_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "registry_contracts" (
    "contract_number" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "policyholder_name" TEXT NOT NULL,
    "insurer_code" TEXT NOT NULL,
    "insurer_name" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "end_date" DATE NOT NULL,
    "status" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registry_contracts_pkey" PRIMARY KEY ("contract_number")
);

-- CreateTable
CREATE TABLE "registry_enrollments" (
    "national_code" TEXT NOT NULL,
    "contract_number" TEXT NOT NULL,
    "first_name" TEXT NOT NULL,
    "last_name" TEXT NOT NULL,
    "birth_date" DATE NOT NULL,
    "mobile" TEXT NOT NULL,
    "membership_type" TEXT NOT NULL,
    "relation" TEXT NOT NULL,
    "main_member_national_code" TEXT NOT NULL,
    "coverage_start" DATE NOT NULL,
    "coverage_end" DATE NOT NULL,
    "left_on" DATE,
    "search_text" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registry_enrollments_pkey" PRIMARY KEY ("national_code","contract_number")
);

-- CreateIndex
CREATE INDEX "referrals_patient_national_code_requested_at_idx" ON "referrals"("patient_national_code", "requested_at" DESC);

-- CreateIndex
CREATE INDEX "referrals_status_valid_until_idx" ON "referrals"("status", "valid_until");

-- CreateIndex
CREATE INDEX "referral_attachments_tracking_code_added_at_idx" ON "referral_attachments"("tracking_code", "added_at");

-- CreateIndex
CREATE INDEX "registry_enrollments_contract_number_main_member_national_c_idx" ON "registry_enrollments"("contract_number", "main_member_national_code");

-- CreateIndex
CREATE INDEX "registry_enrollments_national_code_membership_type_idx" ON "registry_enrollments"("national_code", "membership_type");

-- AddForeignKey
ALTER TABLE "referral_attachments" ADD CONSTRAINT "referral_attachments_tracking_code_fkey" FOREIGN KEY ("tracking_code") REFERENCES "referrals"("tracking_code") ON DELETE CASCADE ON UPDATE CASCADE;
