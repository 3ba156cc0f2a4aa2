/**
 * The V8 flags Faultline runs with: in bin/faultline.js's first line, in the npm scripts that start
 * it, and in the benchmarks that stand in for it (a test keeps them the same).
 *
 * --max-semi-space-size=4: V8 lets the young generation grow to 64 MiB by default, and ingest's
 * short-lived objects (a line, its event, its JSON) fill it between collections; with 4 MiB
 * semi-spaces the writer of a million events peaks near 290 MB instead of 410 MB, and runs no slower.
 * A TCP syslog input at full load gains little from more: its queued messages are runs of byte
 * offsets (ingest/sources/syslog/runs.ts), not objects that outlive collections (16 MiB: about 2%
 * more messages per second, 20-50 MB more memory; README).
 * The flag can only be given when Node.js starts: V8 sizes the heap before any code runs.
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
