// Exports of src/use-cases (owned by the helper that builds use-cases).
export {};
