// Exports of src/memory (owned by the helper that builds memory).
export {};
