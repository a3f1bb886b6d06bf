import type { Migration } from 'kysely';
import * as createRegistry from './2026_11_29_1700_create_registry.ts';
import * as createUnits from './2026_11_29_1800_create_units.ts';
import * as createAuditEvents from './2026_11_30_0900_create_audit_events.ts';
import * as createAccounts from './2026_11_30_0910_create_accounts.ts';
import * as createApplications from './2026_11_30_1400_create_applications.ts';
import * as createDirectives from './2026_11_30_1500_create_directives.ts';
import * as applicationDomainCheckFailures from './2026_12_04_1200_application_domain_check_failures.ts';
import * as createDirectiveFeedTokens from './2026_12_04_1210_create_directive_feed_tokens.ts';
import * as indexPlatformSearch from './2026_12_04_1220_index_platform_search.ts';
import * as confirmAccountEmails from './2026_12_04_1230_confirm_account_emails.ts';
import * as createCalendarDays from './2026_12_04_1240_create_calendar_days.ts';
import * as verifyOrganisationClaims from './2026_12_04_1300_verify_organisation_claims.ts';
import * as createLegalProcedures from './2026_12_04_1400_create_legal_procedures.ts';
import * as changeInsteadOfRenewal from './2026_12_04_1401_change_instead_of_renewal.ts';
import * as registrationDecisions from './2026_12_04_1410_registration_decisions.ts';
import * as registrationRequestDeadlines from './2026_12_04_1415_registration_request_deadlines.ts';
import * as applicationLegalGrounds from './2026_12_04_1420_application_legal_grounds.ts';
import * as unitSuccessions from './2026_12_04_1430_unit_successions.ts';
import * as directivesUnderSuccessorUnits from './2026_12_04_1431_directives_under_successor_units.ts';
import * as directiveTaskCooperating from './2026_12_04_1440_directive_task_cooperating.ts';
import * as createBlocklist from './2026_12_04_1450_create_blocklist.ts';
import * as createAdvisories from './2026_12_04_1500_create_advisories.ts';
import * as createBlocks from './2026_12_04_1510_create_blocks.ts';
import * as createHashPrefixes from './2026_12_04_1520_create_hash_prefixes.ts';
import * as createEvidence from './2026_12_04_1540_create_evidence.ts';
import * as legalGroundsOneVocabulary from './2026_12_04_1600_legal_grounds_one_vocabulary.ts';
import * as advisoryKindsSourceStatus from './2026_12_04_1601_advisory_kinds_source_status.ts';
import * as createMonitorScans from './2026_12_04_1610_create_monitor_scans.ts';
import * as createMonitorFindings from './2026_12_04_1611_create_monitor_findings.ts';
import * as createMonitorSweeps from './2026_12_04_1612_create_monitor_sweeps.ts';
import * as createPromotionRules from './2026_12_04_1630_create_promotion_rules.ts';
import * as createDeclarations from './2026_12_04_1640_create_declarations.ts';
import * as createComplaints from './2026_12_04_1650_create_complaints.ts';
import * as createAnnualReports from './2026_12_04_1660_create_annual_reports.ts';
import * as createPublishedDecisions from './2026_12_04_1670_create_published_decisions.ts';
import * as createCases from './2026_12_04_1680_create_cases.ts';
import * as createCaseStepReminders from './2026_12_05_1700_create_case_step_reminders.ts';
import * as declarationRuleWindowDays from './2026_12_05_1740_declaration_rule_window_days.ts';
import * as monitorScanAttempts from './2026_12_05_1741_monitor_scan_attempts.ts';

/**
 * Every migration, by its timestamped name. Listed statically (not read from the folder) so the
 * same list works under tsx, in tests and in a bundled build. Append new ones at the end.
 */
export const migrations: Record<string, Migration> = {
  '2026_11_29_1700_create_registry': createRegistry,
  '2026_11_29_1800_create_units': createUnits,
  '2026_11_30_0900_create_audit_events': createAuditEvents,
  '2026_11_30_0910_create_accounts': createAccounts,
  '2026_11_30_1400_create_applications': createApplications,
  '2026_11_30_1500_create_directives': createDirectives,
  '2026_12_04_1200_application_domain_check_failures': applicationDomainCheckFailures,
  '2026_12_04_1210_create_directive_feed_tokens': createDirectiveFeedTokens,
  '2026_12_04_1220_index_platform_search': indexPlatformSearch,
  '2026_12_04_1230_confirm_account_emails': confirmAccountEmails,
  '2026_12_04_1240_create_calendar_days': createCalendarDays,
  '2026_12_04_1300_verify_organisation_claims': verifyOrganisationClaims,
  '2026_12_04_1400_create_legal_procedures': createLegalProcedures,
  '2026_12_04_1401_change_instead_of_renewal': changeInsteadOfRenewal,
  '2026_12_04_1410_registration_decisions': registrationDecisions,
  '2026_12_04_1415_registration_request_deadlines': registrationRequestDeadlines,
  '2026_12_04_1420_application_legal_grounds': applicationLegalGrounds,
  '2026_12_04_1430_unit_successions': unitSuccessions,
  '2026_12_04_1431_directives_under_successor_units': directivesUnderSuccessorUnits,
  '2026_12_04_1440_directive_task_cooperating': directiveTaskCooperating,
  '2026_12_04_1450_create_blocklist': createBlocklist,
  '2026_12_04_1500_create_advisories': createAdvisories,
  '2026_12_04_1510_create_blocks': createBlocks,
  '2026_12_04_1520_create_hash_prefixes': createHashPrefixes,
  '2026_12_04_1540_create_evidence': createEvidence,
  '2026_12_04_1600_legal_grounds_one_vocabulary': legalGroundsOneVocabulary,
  '2026_12_04_1601_advisory_kinds_source_status': advisoryKindsSourceStatus,
  '2026_12_04_1630_create_promotion_rules': createPromotionRules,
  '2026_12_04_1640_create_declarations': createDeclarations,
  '2026_12_04_1650_create_complaints': createComplaints,
  '2026_12_04_1610_create_monitor_scans': createMonitorScans,
  '2026_12_04_1611_create_monitor_findings': createMonitorFindings,
  '2026_12_04_1612_create_monitor_sweeps': createMonitorSweeps,
  '2026_12_04_1660_create_annual_reports': createAnnualReports,
  '2026_12_04_1670_create_published_decisions': createPublishedDecisions,
  '2026_12_04_1680_create_cases': createCases,
  '2026_12_05_1700_create_case_step_reminders': createCaseStepReminders,
  '2026_12_05_1740_declaration_rule_window_days': declarationRuleWindowDays,
  '2026_12_05_1741_monitor_scan_attempts': monitorScanAttempts,
};
