/**
 * The permission matrix: which kind of principal, of which unit and role, may do what. This file is
 * the one place it is written down (the contract with the other modules); routes name a permission in
 * `config.permission` and the accounts plugin checks it with `can`.
 */

export const ACCOUNT_KINDS = ['officer', 'business', 'admin'] as const;
export type AccountKind = (typeof ACCOUNT_KINDS)[number];

export const OFFICER_ROLES = ['viewer', 'officer', 'head'] as const;
export type OfficerRole = (typeof OFFICER_ROLES)[number];

/** What a partner system's API token may be granted. */
export const TOKEN_SCOPES = [
  'check:read',
  'declarations:write',
  'blocklist:read',
  'platforms:read',
  'monitor:scan',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** Who is making a request: a signed-in account, or a partner system by its API token. */
export interface Principal {
  /** The account's id; for a partner, the API token's id. */
  accountId: string;
  kind: AccountKind | 'partner';
  unitId: string | null;
  role: OfficerRole | null;
  organisationId: string | null;
  /**
   * A business account's organisation is verified: an officer checked its enterprise registration certificate (or it
   * predates the rule). Until then the account holds only what the `claimant` grant gives: its account and its claim.
   */
  organisationVerified: boolean;
  /** A partner token's scopes; empty for accounts. */
  scopes: string[];
  displayName: string;
  email: string | null;
  /** Two-step verification is on (always false for a partner token). */
  hasTotp: boolean;
  /** The policy (REQUIRE_TOTP) requires it of this account: until it is on, a session can only turn it on. */
  needsTotp: boolean;
}

/** One way of holding a permission. */
type Grant =
  | { kind: 'officer'; units: '*' | readonly string[]; roles: readonly OfficerRole[] }
  | { kind: 'business'; verified: boolean }
  | { kind: 'admin' }
  | { kind: 'partner'; scope: TokenScope };

const ANY_ROLE: readonly OfficerRole[] = OFFICER_ROLES;
const officer = (units: '*' | readonly string[], roles: readonly OfficerRole[] = ANY_ROLE): Grant => ({
  kind: 'officer',
  units,
  roles,
});
/** A business account acting for its organisation: only once an officer verified it (issue 9). */
const business: Grant = { kind: 'business', verified: true };
/** Any business account, verified or not: its own account and its claim to an organisation. */
const claimant: Grant = { kind: 'business', verified: false };
const admin: Grant = { kind: 'admin' };
const partner = (scope: TokenScope): Grant => ({ kind: 'partner', scope });

export const PERMISSION_MATRIX = {
  /** The register with its non-public detail. */
  'platforms:read': [officer('*'), admin, partner('platforms:read')],
  /** File a notification or an application for registration. */
  'applications:file': [business],
  /** Request supplements, verify a domain, approve, reject. */
  'applications:review': [officer(['idea'], ['officer', 'head'])],
  /** File the enterprise registration certificate of one's organisation and follow the claim. */
  'organisations:claim': [claimant],
  /** Verify, reject or ask supplements of a business's claim to an organisation (Circular 47/2014/TT-BCT). */
  'organisations:verify': [officer(['idea'], ['officer', 'head'])],
  /**
   * Cancel (hủy bỏ), suspend, reinstate a registration, and decide the units' proposals to: the E-Commerce Agency's
   * heads (Decree 52/2013/NĐ-CP as amended by Decree 85/2021/NĐ-CP; Circular 47/2014/TT-BCT).
   */
  'registrations:decide': [officer(['idea'], ['head'])],
  /** Confirm (or decline) a business's request to terminate its notification or registration (chấm dứt). */
  'registrations:confirm': [officer(['idea'], ['officer', 'head'])],
  /**
   * Propose to the Agency that it cancel or suspend a registration, with grounds and evidence: inspection and
   * market-surveillance units propose and sanction, they do not cancel.
   */
  'registrations:propose': [officer(['market_management', 'inspectorate'], ['officer', 'head'])],
  'audit:read': [officer('*', ['head']), officer(['idea', 'inspectorate'], ['officer']), admin],
  'accounts:manage': [admin],
  'tokens:manage': [admin],
  'directives:read': [officer('*'), admin],
  /** Import directives, link dependent ones. */
  'directives:manage': [officer(['ministry_office', 'idea'], ['officer', 'head']), admin],
  /** Report progress on a task; the route also checks the task is assigned to the principal's unit. */
  'directives:report': [officer('*', ['officer', 'head'])],
  'directives:approve_extension': [officer(['ministry_office', 'idea'], ['head'])],
  /** The public check with a partner's quota; officers and administrators use it too. */
  'check:read': [officer('*'), admin, partner('check:read')],
  /** Customs declaration batches. */
  'declarations:write': [officer(['import_export'], ['officer', 'head']), admin, partner('declarations:write')],
  /**
   * The screening of customs declarations and its gathering points (issue 13): the units Dispatch 8598 tasks with
   * them (Import-Export, Market Management, Science and Technology, the E-Commerce Agency).
   */
  'declarations:read': [officer(['import_export', 'market_management', 'innovation', 'idea']), admin],
  /**
   * Confirm or dismiss a suspected gathering point of unregistered cross-border platforms: Market Management (Dispatch
   * 8598 task 2 gives it, with Customs, the finding of warehouses and gathering points).
   */
  'gathering_points:review': [officer(['market_management'], ['officer', 'head'])],
  /** Blocklist feeds for ISPs and DNS operators. */
  'blocklist:read': [officer('*'), admin, partner('blocklist:read')],
  /** An ISP or DNS operator reports which blocklist serial it loaded: only the partner's own token. */
  'blocklist:report': [partner('blocklist:read')],
  /** Which serial each ISP loaded, and how far behind it is. */
  'blocklist:compliance': [officer('*'), admin],
  /**
   * Write, publish and withdraw warnings to consumers (issue 11): the E-Commerce Agency and the Ministry's media units
   * (the members of 'media_units' in the units catalogue: newspaper, magazine, television).
   */
  'advisories:publish': [officer(['idea', 'newspaper', 'magazine', 'television'], ['officer', 'head'])],
  /**
   * The blocking workflow (issue 11): the block requests and their history, for the units that take its steps
   * (the E-Commerce Agency proposes and decides; the Legal Affairs Department, "Vụ Pháp chế", reviews).
   */
  'blocks:read': [officer(['idea', 'legal']), admin],
  /** Propose a block of a platform, amend a returned request and propose it again: the E-Commerce Agency. */
  'blocks:propose': [officer(['idea'], ['officer', 'head'])],
  /** Legal review of a proposed block: approve it or return it with a reason (Legal Affairs Department). */
  'blocks:review': [officer(['legal'], ['officer', 'head'])],
  /** Record the decision (number, date, effective dates), activate and lift a block: the Agency's heads. */
  'blocks:decide': [officer(['idea'], ['head'])],
  /**
   * Handle appeals against blocks (Law on Complaints 2011): accept, grant (which lifts the block), reject. The
   * Agency's heads, whose decision is appealed, and the Legal Affairs Department, which advises on complaints.
   */
  'appeals:handle': [officer(['idea'], ['head']), officer(['legal'], ['officer', 'head'])],
  /**
   * Evidence of web pages (issue 12): see an item, its hashes and custody log, download its package. Officers of the
   * units that detect and act on violations online: the E-Commerce Agency, the inspectorate and market management
   * (Dispatch 8598, tasks 1 and 9). Every view and download is a custody event.
   */
  'evidence:read': [officer(['idea', 'inspectorate', 'market_management'], ['officer', 'head'])],
  /**
   * Ask the monitor to scan URLs (issue 12) and read the scans' answers: the units that find violations online
   * (the E-Commerce Agency, the inspectorate, market management; Dispatch 8598, tasks 1 and 9).
   */
  // A token: the regulator's own schedulers and the provincial Departments' tools queue scans and read their answers.
  'monitor:scan': [
    officer(['idea', 'inspectorate', 'market_management'], ['officer', 'head']),
    partner('monitor:scan'),
  ],
  /** Act on the monitor's findings: dismiss one with a reason, turn it into a warning or a block request. */
  'monitor:act': [officer(['idea', 'inspectorate', 'market_management'], ['officer', 'head'])],
  /**
   * Inspection cases and their steps (issue 15): the units that inspect and act on violations online (the E-Commerce
   * Agency, the inspectorate, market management) and the Legal Affairs Department, which advises on sanctions.
   */
  'cases:read': [officer(['idea', 'inspectorate', 'market_management', 'legal']), admin],
  /** Open a case, link what it rests on, record its steps. */
  'cases:write': [officer(['idea', 'inspectorate', 'market_management'], ['officer', 'head'])],
  /**
   * Record a sanction decision: inspection and market-surveillance units sanction (issue 10, "Who decides"); their
   * heads sign.
   */
  'cases:sanction': [officer(['inspectorate', 'market_management'], ['head'])],
  /**
   * Check a promotion programme against the promotion rules (issue 14, Dispatch 8598 task 6): the Trade Promotion
   * Agency, which proposes how to handle unlawful promotional forms, the E-Commerce Agency, and the units that inspect
   * and sanction (inspectorate, market management).
   */
  'promotions:check': [
    officer(['trade_promotion', 'idea', 'inspectorate', 'market_management'], ['officer', 'head']),
    admin,
  ],
  /**
   * Consumer complaints (issue 15): the targets, their counts and clocks. The Competition and Consumer Protection
   * Commission (which holds consumer protection), the E-Commerce Agency, the inspectorate and market management.
   */
  'complaints:read': [officer(['competition', 'idea', 'inspectorate', 'market_management']), admin],
  /** Record a business's explanation and judge it adequate or not: the units that handle consumer complaints. */
  'complaints:judge': [officer(['competition', 'idea'], ['officer', 'head'])],
  /** One's own account (profile, two-step verification, sessions): any signed-in person, no partner token. */
  'account:self': [officer('*'), claimant, admin],
} as const satisfies Record<string, readonly Grant[]>;

export type Permission = keyof typeof PERMISSION_MATRIX;

export const PERMISSIONS = Object.keys(PERMISSION_MATRIX) as Permission[];

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && Object.hasOwn(PERMISSION_MATRIX, value);
}

function grants(grant: Grant, principal: Principal): boolean {
  switch (grant.kind) {
    case 'officer':
      return (
        principal.kind === 'officer' &&
        principal.role !== null &&
        principal.unitId !== null &&
        grant.roles.includes(principal.role) &&
        (grant.units === '*' || grant.units.includes(principal.unitId))
      );
    case 'business':
      return (
        principal.kind === 'business' &&
        principal.organisationId !== null &&
        (!grant.verified || principal.organisationVerified)
      );
    case 'admin':
      return principal.kind === 'admin';
    case 'partner':
      return principal.kind === 'partner' && principal.scopes.includes(grant.scope);
    default: {
      const unknownGrant: never = grant;
      throw new Error(`unknown grant ${JSON.stringify(unknownGrant)}`);
    }
  }
}

/**
 * The principal is a business account that would hold the permission once its organisation is verified: the gate
 * then sends it to its claim rather than merely refusing.
 */
export function awaitsOrganisationVerification(principal: Principal, permission: Permission): boolean {
  return (
    principal.kind === 'business' &&
    !principal.organisationVerified &&
    can({ ...principal, organisationVerified: true }, permission)
  );
}

/** Whether the principal holds the permission (the matrix above, nothing else). */
export function can(principal: Principal | undefined, permission: Permission): boolean {
  if (!principal) return false;
  const matrix: Record<Permission, readonly Grant[]> = PERMISSION_MATRIX;
  return matrix[permission].some((grant) => grants(grant, principal));
}
