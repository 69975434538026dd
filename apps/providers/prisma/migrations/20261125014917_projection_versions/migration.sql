-- CreateExtension
CREATE EXTENSION IF NOT EXISTS "pg_trgm";

-- CreateTable
CREATE TABLE "projection_versions" (
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rebuilt_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "projection_versions_pkey" PRIMARY KEY ("name")
);
