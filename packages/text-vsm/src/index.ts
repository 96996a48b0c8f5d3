// Filled by the package's own issue; the entry point exists so the exports map resolves.
export {};
