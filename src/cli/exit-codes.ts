/** Exit codes shared by every command. */
export const EXIT_OK = 0;
/** Findings: validation errors, a tree that differs from its spec. */
export const EXIT_FINDINGS = 1;
/** Bad usage or bad input: nothing was done. */
export const EXIT_USAGE = 2;
