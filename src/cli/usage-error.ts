/** A user-facing failure: printed as one line, no stack, exit status 2. */
export class UsageError extends Error {}
