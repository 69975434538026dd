-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateTable
CREATE TABLE "providers" (
    "provider_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "province" TEXT,
    "city" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "phone" TEXT,
    "fax" TEXT,
    "website" TEXT,
    "issues_referral" BOOLEAN NOT NULL,
    "online_referral" BOOLEAN NOT NULL,
    "contracted" BOOLEAN NOT NULL,
    "lat" DOUBLE PRECISION,
    "lng" DOUBLE PRECISION,
    "name_norm" TEXT NOT NULL,
    "search_text" TEXT NOT NULL,
    "province_norm" TEXT,
    "city_norm" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "providers_pkey" PRIMARY KEY ("provider_id")
);

-- CreateIndex
CREATE INDEX "providers_search_text_trgm" ON "providers" USING GIN ("search_text" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "providers_name_norm_trgm" ON "providers" USING GIN ("name_norm" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "providers_contracted_province_norm_city_norm_type_idx" ON "providers"("contracted", "province_norm", "city_norm", "type");
