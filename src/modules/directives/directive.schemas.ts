import { z } from 'zod';

/** The Directive JSON contract of DESIGN.md ("directive parse --json"). */

export const PERIOD_KINDS = ['deadline', 'range', 'recurring', 'dependent', 'none'] as const;
export const RECURRENCES = ['daily', 'weekly', 'monthly', 'quarterly', 'semiannual', 'annual'] as const;
export const ROLES = ['preside', 'implement'] as const;

export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type Recurrence = (typeof RECURRENCES)[number];
export type Role = (typeof ROLES)[number];

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
  .object({ text: z.string().min(1), period: periodSchema })
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

export const parsedDirectiveSchema = directiveSchema
  .extend({
    unplaced: z.array(z.string()).describe('Text of the body that could not be placed under a unit or a task'),
  })
  .meta({ id: 'ParsedDirective' });

export type Period = z.infer<typeof periodSchema>;
export type DirectiveTask = z.infer<typeof directiveTaskSchema>;
export type Assignment = z.infer<typeof assignmentSchema>;
export type Directive = z.infer<typeof directiveSchema>;
export type ParsedDirective = z.infer<typeof parsedDirectiveSchema>;
