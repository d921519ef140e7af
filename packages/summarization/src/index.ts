// Nothing is exported yet: this package is filled by its own issue.
export {};
