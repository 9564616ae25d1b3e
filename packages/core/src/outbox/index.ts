// Exports of src/outbox (owned by the helper that builds outbox).
export {};
