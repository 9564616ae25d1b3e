// Exports of src/crypto (owned by the helper that builds crypto).
export {};
