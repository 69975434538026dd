-- DropIndex
DROP INDEX "claims_contract_number_status_idx";

-- Room on each page for the next version of a row: an event's update of a claim then stays on its
-- page as a HOT update, with no index writes (no indexed column changes after registration).
ALTER TABLE "claims" SET (fillfactor = 80);
