import { z } from 'zod';

/** The Directive JSON contract of DESIGN.md ("directive parse --json"). */

export const PERIOD_KINDS = ['deadline', 'range', 'recurring', 'dependent', 'none'] as const;
export const RECURRENCES = ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const;
export const ROLES = ['preside', 'implement'] as const;
export const UNPLACED_REASONS = ['no_task', 'unknown_unit', 'unknown_period'] as const;

export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Recurrence = (typeof RECURRENCES)[number];
export type Role = (typeof ROLES)[number];
export type UnplacedReason = (typeof UNPLACED_REASONS)[number];

const calendarDay = z.iso.date().describe('A calendar day in Asia/Ho_Chi_Minh, YYYY-MM-DD');

export const periodSchema = z
  .object({
    text: z.string().nullable().describe('The period as written in the text; null when none is given'),
    kind: z.enum(PERIOD_KINDS),
    start: calendarDay.nullable(),
    due: calendarDay.nullable(),
    recurrence: z
      .enum(RECURRENCES)
      .optional()
      .describe('For recurring periods that name their rhythm ("monthly", "hằng quý"); absent for "regularly"'),
  })
  .meta({ id: 'DirectivePeriod' });

export const directiveTaskSchema = z
  .object({
    text: z.string().min(1),
    period: periodSchema,
    cooperating: z
      .array(z.string().min(1))
      .optional()
      .describe('Units the task itself names to cooperate with ("phối hợp với Tổng cục Hải quan …"), as written'),
  })
  .meta({ id: 'DirectiveTask' });

export const assignmentSchema = z
  .object({
    unit: z.string().min(1).describe('The unit as named in the text'),
    role: z.enum(ROLES),
    cooperating: z.array(z.string().min(1)).optional().describe('Units named to cooperate (generic ones left out)'),
    tasks: z.array(directiveTaskSchema),
  })
  .meta({ id: 'DirectiveAssignment' });

export const directiveSchema = z
  .object({
    number: z.string().nullable(),
    issued_on: calendarDay.nullable(),
    issuer: z.string().nullable(),
    assignments: z.array(assignmentSchema),
  })
  .meta({ id: 'Directive' });

export const unplacedSchema = z
  .object({
    line: z.number().int().min(1).describe('The line of the text (from 1) it starts on'),
    text: z.string().min(1).describe('The text as written: a paragraph, a unit name or a period phrase'),
    reason: z
      .enum(UNPLACED_REASONS)
      .describe(
        '`no_task`: text of the assignment sections placed in no task (or a unit given none); `unknown_unit`: a unit ' +
          'name the catalogue does not know (its assignment is kept as named); `unknown_period`: a labelled period ' +
          'not understood (its task keeps it as written, kind `none`)',
      ),
  })
  .meta({ id: 'DirectiveUnplaced' });

export const parsedDirectiveSchema = directiveSchema
  .extend({
    unplaced: z
      .array(unplacedSchema)
      .describe(
        'What an officer should look at before storing: text not placed in a task, units not recognised, periods not understood',
      ),
  })
  .meta({ id: 'ParsedDirective' });

export type Period = z.infer<typeof periodSchema>;
export type DirectiveTask = z.infer<typeof directiveTaskSchema>;
export type Assignment = z.infer<typeof assignmentSchema>;
export type Directive = z.infer<typeof directiveSchema>;
export type Unplaced = z.infer<typeof unplacedSchema>;
export type ParsedDirective = z.infer<typeof parsedDirectiveSchema>;
