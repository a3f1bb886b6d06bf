import { z } from 'zod';
import {
  formInteger,
  optionalDay,
  optionalInteger,
  optionalText,
  requiredDay,
  requiredParagraphs,
  requiredText,
} from '../../core/validation.ts';
import { uploadedFiles } from '../../web/multipart.ts';
import { BUCKETS, TASK_STATUSES } from './buckets.ts';
import { periodSchema, RECURRENCES, ROLES } from './directive.schemas.ts';
import { DIRECTIVE_KINDS } from './subject.ts';

/**
 * The tracker's API and forms: input and output schemas (the same ones generate the OpenAPI document), and the
 * bodies of the officers' forms.
 */

/** The longest directive text accepted (characters): the longest real dispatches are a few tens of pages. */
export const MAX_DIRECTIVE_TEXT_CHARS = 200_000;
/** Attachments of progress reports are stored in the database, each at most this big… */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** …and at most this many per report. */
export const MAX_ATTACHMENTS_PER_REPORT = 5;
/** A progress report's text, an extension's reason, a decision's note. */
export const MAX_REPORT_TEXT_CHARS = 10_000;

const day = z.iso.date().describe('A calendar day in Asia/Ho_Chi_Minh, YYYY-MM-DD');
const instant = z.string().describe('ISO 8601 instant');

export const bucketSchema = z
  .enum(BUCKETS)
  .describe('done_on_time · done_late · open_within (not done, within the deadline) · open_overdue (not done, overdue)')
  .meta({ id: 'DirectiveBucket' });

export const bucketCountsSchema = z
  .object({
    done_on_time: z.number().int(),
    done_late: z.number().int(),
    open_within: z.number().int(),
    open_overdue: z.number().int(),
    total: z.number().int(),
  })
  .meta({ id: 'DirectiveBucketCounts' });

const reportingPeriodSchema = z.object({ start: day, end: day }).meta({ id: 'ReportingPeriod' });
const unitRefSchema = z.object({ name: z.string().describe('As written in the text'), unit_id: z.string().nullable() });

export const trackedTaskSchema = z
  .object({
    id: z.uuid(),
    seq: z.number().int().describe('Order of the task in its directive, from 1'),
    assignment_id: z.uuid(),
    directive: z.object({
      id: z.uuid(),
      number: z.string(),
      title: z.string(),
      issued_on: day.nullable(),
      is_demo: z.boolean(),
    }),
    unit: z.object({
      id: z.string().nullable().describe('The unit in the units table, when the name was recognised'),
      name: z.string().describe('The unit as written in the text'),
      role: z.enum(ROLES),
    }),
    cooperating: z.array(unitRefSchema),
    text: z.string(),
    period: periodSchema,
    status: z.enum(TASK_STATUSES),
    completed_on: day.nullable(),
    bucket: bucketSchema,
    due: day
      .nullable()
      .describe('The deadline in force: extended, followed from a linked directive, or the awaited report'),
    days_overdue: z.number().int().nullable(),
    extended_due: day.nullable().describe('The new deadline of the latest approved extension'),
    depends_on: z
      .object({ directive_id: z.uuid(), number: z.string().nullable(), task_id: z.uuid().nullable() })
      .nullable(),
    rhythm: z.enum(RECURRENCES).nullable().describe('Recurring tasks: how often a report is expected'),
    awaited_period: reportingPeriodSchema.nullable(),
    missed_periods: z.array(reportingPeriodSchema),
    last_report: z.object({ percentage: z.number().int(), reported_on: day }).nullable(),
    updated_at: instant,
  })
  .meta({ id: 'TrackedDirectiveTask' });

export const directiveSummarySchema = z
  .object({
    id: z.uuid(),
    number: z.string(),
    kind: z.enum(DIRECTIVE_KINDS),
    title: z.string(),
    issued_on: day.nullable(),
    issuer: z.string().nullable(),
    issuer_unit_id: z.string().nullable(),
    language: z.enum(['vi', 'en']),
    is_demo: z.boolean(),
    unit_count: z.number().int(),
    task_count: z.number().int(),
    counts: bucketCountsSchema,
    created_at: instant,
    updated_at: instant,
  })
  .meta({ id: 'DirectiveSummary' });

export const directiveListSchema = z
  .object({ today: day, directives: z.array(directiveSummarySchema) })
  .meta({ id: 'DirectiveList' });

export const directiveDetailSchema = directiveSummarySchema
  .extend({
    today: day,
    unplaced: z.array(z.string()).describe('Text of the body that the parser could not place under a unit or task'),
    assignments: z.array(
      z.object({
        id: z.uuid(),
        position: z.number().int(),
        unit_name: z.string(),
        unit_id: z.string().nullable(),
        role: z.enum(ROLES),
        cooperating: z.array(unitRefSchema),
        tasks: z.array(trackedTaskSchema),
      }),
    ),
  })
  .meta({ id: 'DirectiveDetail' });

export const attachmentMetaSchema = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    content_type: z.string(),
    size_bytes: z.number().int(),
    sha256: z.string(),
  })
  .meta({ id: 'ReportAttachment' });

export const progressReportSchema = z
  .object({
    id: z.uuid(),
    text: z.string(),
    percentage: z.number().int().min(0).max(100),
    period_start: day.nullable().describe('Recurring tasks: the period the report is for'),
    completed_on: day.nullable(),
    reporter_name: z.string(),
    reporter_unit_id: z.string().nullable(),
    reported_on: day,
    reported_at: instant,
    attachments: z.array(attachmentMetaSchema),
  })
  .meta({ id: 'ProgressReport' });

export const extensionRequestSchema = z
  .object({
    id: z.uuid(),
    task_id: z.uuid(),
    current_due: day.nullable(),
    requested_due: day,
    reason: z.string(),
    requester_name: z.string(),
    requested_at: instant,
    decision: z.enum(['approved', 'rejected']).nullable(),
    decision_note: z.string().nullable(),
    decider_name: z.string().nullable(),
    decided_at: instant.nullable(),
  })
  .meta({ id: 'ExtensionRequest' });

export const taskDetailSchema = trackedTaskSchema
  .extend({
    today: day,
    reports: z.array(progressReportSchema),
    extensions: z.array(extensionRequestSchema),
  })
  .meta({ id: 'DirectiveTaskDetail' });

export const taskListSchema = z
  .object({
    today: day,
    unit: z.object({ id: z.string(), name_vi: z.string(), name_en: z.string() }).nullable(),
    counts: bucketCountsSchema,
    tasks: z.array(trackedTaskSchema),
  })
  .meta({ id: 'DirectiveTaskList' });

export const taskListQuerySchema = z.object({
  unit: z.string().max(100).optional().describe('Tasks of this unit (and of collective names that cover it)'),
  directive: z.uuid().optional(),
  bucket: z.enum(BUCKETS).optional(),
});

export const exportQuerySchema = z.object({
  format: z.enum(['csv', 'xlsx']).default('csv'),
  unit: z.string().max(100).optional(),
  directive: z.uuid().optional(),
});

/** The text of a directive: a JSON body `{ "text": "…" }`, or the text itself as text/plain. */
export const directiveTextBodySchema = z.union([
  z.object({ text: z.string().min(1).describe('The directive as copied from a portal or gazette') }),
  z.string().min(1),
]);

export const importBodySchema = z.union([
  z.object({
    text: z.string().min(1),
    title: z.string().max(300).optional().describe('Overrides the subject read from the text'),
    kind: z.enum(DIRECTIVE_KINDS).optional().describe('Overrides the kind read from the number'),
  }),
  z.string().min(1),
]);

export const importResultSchema = z
  .object({
    outcome: z.enum(['created', 'updated', 'unchanged']),
    directive_id: z.uuid(),
    number: z.string(),
    units: z.number().int(),
    tasks: z.number().int(),
    tasks_added: z.number().int(),
    tasks_updated: z.number().int(),
    tasks_removed: z.number().int(),
    linked: z.number().int(),
    unplaced: z.array(z.string()),
  })
  .meta({ id: 'DirectiveImportResult' });

export const reportBodySchema = z
  .object({
    text: z.string().min(1).max(MAX_REPORT_TEXT_CHARS),
    percentage: z.number().int().min(0).max(100),
    completed_on: day.optional().describe('The day the work was finished (100 % only); default today'),
    period_start: day
      .optional()
      .describe('Recurring tasks: the start of the period reported on; default the awaited one'),
    attachments: z
      .array(
        z.object({
          filename: z.string().min(1).max(200),
          content_type: z.string().max(100).default('application/octet-stream'),
          content_base64: z.base64().describe('The file, base64; at most 5 MiB decoded'),
        }),
      )
      .max(MAX_ATTACHMENTS_PER_REPORT)
      .optional(),
  })
  .meta({ id: 'NewProgressReport' });

export const extensionBodySchema = z
  .object({ requested_due: day, reason: z.string().min(1).max(MAX_REPORT_TEXT_CHARS) })
  .meta({ id: 'NewExtensionRequest' });

const DECISIONS = ['approve', 'reject'] as const;

export const decisionBodySchema = z
  .object({ decision: z.enum(DECISIONS), note: z.string().max(MAX_REPORT_TEXT_CHARS).optional() })
  .meta({ id: 'ExtensionDecisionInput' });

export const linkBodySchema = z
  .object({
    directive: z
      .string()
      .min(1)
      .max(200)
      .nullable()
      .describe('The directive followed: its id or number ("105/CĐ-TTg"); null unlinks'),
    task_seq: z.number().int().min(1).optional().describe('One task of that directive, by its order'),
  })
  .meta({ id: 'DependentTaskLinkInput' });

export const directiveFeedSchema = z
  .object({
    id: z.uuid(),
    unit: z
      .object({ id: z.string(), name_vi: z.string(), name_en: z.string() })
      .nullable()
      .describe('The unit whose tasks the feed holds (with the collectives it belongs to); null: every unit'),
    created_by: z.string().describe('The actor who made the address: user:<account id>, …'),
    created_at: instant,
    revoked_at: instant.nullable(),
    last_used_at: instant.nullable().describe('The last fetch by a calendar application (to five minutes)'),
    status: z.enum(['active', 'revoked']),
  })
  .meta({ id: 'DirectiveFeed' });

export const directiveFeedListSchema = z.object({ feeds: z.array(directiveFeedSchema) });

export const createFeedBodySchema = z
  .object({
    unit_id: z
      .string()
      .min(1)
      .max(100)
      .nullable()
      .describe('The unit (its head, or directives:manage); null: the all-units feed (directives:manage)'),
  })
  .meta({ id: 'NewDirectiveFeed' });

export const createdFeedSchema = z
  .object({
    feed: directiveFeedSchema,
    url: z.string().describe('The secret address, shown this once: only its SHA-256 is kept'),
  })
  .meta({ id: 'CreatedDirectiveFeed' });

// ---------------------------------------------------------------------------------------------------
// The officers' forms: bodies of the /workbench routes as browsers send them (strings; files streamed).

/** A directive's text pasted into the import form. */
/**
 * The import page reads the text first (`step` preview) and stores it only when the officer confirms what was shown
 * (`step` confirm with the preview's `previewed` digest; a text changed since is shown again, not stored).
 */
export const importFormSchema = z.object({
  text: requiredParagraphs(MAX_DIRECTIVE_TEXT_CHARS),
  title: optionalText(300),
  step: z.enum(['preview', 'confirm']).default('preview'),
  previewed: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .optional(),
});

/** A progress report with its files (a multipart form). */
export const reportFormSchema = z.object({
  text: requiredParagraphs(MAX_REPORT_TEXT_CHARS),
  percentage: formInteger(0, 100),
  /** Tasks with a deadline: typed dd/mm/yyyy. */
  completed_on: optionalDay(),
  /** Recurring tasks: chosen from the periods offered (YYYY-MM-DD). */
  period_start: optionalDay(),
  attachments: uploadedFiles({ max: MAX_ATTACHMENTS_PER_REPORT, maxBytes: MAX_ATTACHMENT_BYTES }),
});

export const extensionFormSchema = z.object({
  requested_due: requiredDay(),
  reason: requiredParagraphs(MAX_REPORT_TEXT_CHARS),
});

/** The button pressed is the decision. */
export const decisionFormSchema = z.object({
  decision: z.enum(DECISIONS),
  note: optionalText(MAX_REPORT_TEXT_CHARS),
});

/** No directive chosen: the link is removed. */
export const linkFormSchema = z.object({
  directive: optionalText(200),
  task_seq: optionalInteger(1, 10_000),
});

/** The unit whose calendar address is made; `all` for every unit's. */
export const feedFormSchema = z.object({ unit_id: requiredText(100) });

/** A revocation sends nothing but its CSRF token. */
export const revokeFeedFormSchema = z.object({});
