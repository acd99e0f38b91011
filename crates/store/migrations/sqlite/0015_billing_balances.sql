-- Balances: the low-balance worker finds the WABAs charged since its last pass by the time
-- their ledger entries were written (`at`, stamped when a message is delivered), not by their
-- ids, which rating assigns when a message is sent. Keys grow at the end of this index, and it
-- covers the worker's query (WABA ids of recent entries) without reading the table.
CREATE INDEX billing_ledger_at ON billing_ledger (at, waba_id);
