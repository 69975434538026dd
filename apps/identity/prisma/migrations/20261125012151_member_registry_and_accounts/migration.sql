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
CREATE TABLE "insurers" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "logo_url" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "insurers_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "announcements" (
    "id" TEXT NOT NULL,
    "insurer_code" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3),

    CONSTRAINT "announcements_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "national_code" TEXT NOT NULL,
    "membership_type" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "mobile" TEXT NOT NULL,
    "email" TEXT,
    "address" TEXT,
    "iban" TEXT,
    "activated_at" TIMESTAMPTZ(3) NOT NULL,
    "password_changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_throttle" (
    "national_code" TEXT NOT NULL,
    "membership_type" TEXT NOT NULL,
    "failures" INTEGER NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "locked_until" TIMESTAMPTZ(3),
    "lock_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("national_code","membership_type")
);

-- CreateTable
CREATE TABLE "captchas" (
    "id" UUID NOT NULL,
    "answer_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "captchas_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "one_time_codes" (
    "id" UUID NOT NULL,
    "national_code" TEXT NOT NULL,
    "membership_type" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "mobile" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "consumed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "one_time_codes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_families" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "remember_me" BOOLEAN NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,

    CONSTRAINT "refresh_families_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_tokens" (
    "token_hash" TEXT NOT NULL,
    "family_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "spent_at" TIMESTAMPTZ(3),

    CONSTRAINT "refresh_tokens_pkey" PRIMARY KEY ("token_hash")
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "kid" TEXT NOT NULL,
    "private_key_pem" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_keys_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE INDEX "registry_enrollments_contract_number_main_member_national_c_idx" ON "registry_enrollments"("contract_number", "main_member_national_code");

-- CreateIndex
CREATE INDEX "registry_enrollments_national_code_membership_type_idx" ON "registry_enrollments"("national_code", "membership_type");

-- CreateIndex
CREATE INDEX "announcements_insurer_code_published_at_idx" ON "announcements"("insurer_code", "published_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_national_code_membership_type_key" ON "accounts"("national_code", "membership_type");

-- CreateIndex
CREATE INDEX "captchas_expires_at_idx" ON "captchas"("expires_at");

-- CreateIndex
CREATE INDEX "one_time_codes_national_code_membership_type_purpose_create_idx" ON "one_time_codes"("national_code", "membership_type", "purpose", "created_at" DESC);

-- CreateIndex
CREATE INDEX "refresh_families_account_id_idx" ON "refresh_families"("account_id");

-- CreateIndex
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens"("family_id");
