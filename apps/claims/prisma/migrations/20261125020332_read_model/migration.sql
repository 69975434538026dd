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

-- CreateTable
CREATE TABLE "projection_versions" (
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rebuilt_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "projection_versions_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "claims" (
    "claim_id" TEXT NOT NULL,
    "contract_number" TEXT NOT NULL,
    "patient_national_code" TEXT NOT NULL,
    "main_member_national_code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "service_category" TEXT,
    "admission_date" DATE NOT NULL,
    "registered_at" DATE NOT NULL,
    "requested_amount" BIGINT NOT NULL,
    "provider_id" TEXT,
    "referral_tracking_code" TEXT,
    "status" TEXT NOT NULL,
    "deductions_amount" BIGINT,
    "covered_amount" BIGINT,
    "franchise_amount" BIGINT,
    "payable_amount" BIGINT,
    "issued_at" DATE,
    "return_letter_number" TEXT,
    "deduction_lines" JSONB,
    "sent_to_bank_at" TIMESTAMPTZ(3),
    "sent_amount" BIGINT,
    "bank_reference" TEXT,
    "payee_iban_masked" TEXT,
    "rejected_at" DATE,
    "rejection_reason" TEXT,
    "paid_at" TIMESTAMPTZ(3),
    "trace_number" TEXT,
    "timeline" JSONB NOT NULL,
    "search_text" TEXT NOT NULL,
    "first_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claims_pkey" PRIMARY KEY ("claim_id")
);

-- CreateIndex
CREATE INDEX "registry_enrollments_contract_number_main_member_national_c_idx" ON "registry_enrollments"("contract_number", "main_member_national_code");

-- CreateIndex
CREATE INDEX "registry_enrollments_national_code_membership_type_idx" ON "registry_enrollments"("national_code", "membership_type");

-- CreateIndex
CREATE INDEX "claims_patient_national_code_contract_number_admission_date_idx" ON "claims"("patient_national_code", "contract_number", "admission_date" DESC);

-- CreateIndex
CREATE INDEX "claims_contract_number_status_idx" ON "claims"("contract_number", "status");
