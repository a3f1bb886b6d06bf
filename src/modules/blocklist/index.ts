/**
 * The blocklist feeds (issue 11, "Feeds"; Dispatch 8598 task 1): platforms whose register status is `blocked`, as an
 * RPZ zone, a hosts file, CSV and JSON, versioned by a serial, with diffs, signed (Ed25519), and what each ISP
 * loaded. Other modules use it only through what this file exports.
 */
export { registerBlocklistCli } from './blocklist.cli.ts';
export { registerBlocklistRoutes } from './blocklist.routes.ts';
export { loadOrCreateSigningKey } from './blocklist.signing.ts';
export { startBlocklistFollower } from './blocklist.sync.ts';
