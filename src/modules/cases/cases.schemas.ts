import { z } from 'zod';
import {
  formCheckbox,
  optionalParagraphs,
  optionalText,
  requiredDay,
  requiredParagraphs,
  requiredText,
} from '../../core/validation.ts';
import { CASE_LINK_KINDS } from './cases.table.ts';

/** Bodies of the case forms and API: the same schemas validate both. */
const csrf = { _csrf: z.string().optional() };

export const idParamsSchema = z.object({ id: z.string().max(100) });
export const createCaseBodySchema = z.object({
  title: requiredText(300),
  summary: optionalParagraphs(10_000),
  ...csrf,
});
export const linkBodySchema = z.object({
  kind: z.enum(CASE_LINK_KINDS),
  ref: requiredText(200),
  note: optionalText(2000),
  ...csrf,
});
export const advanceBodySchema = z.object({
  on: requiredDay(),
  document_no: optionalText(100),
  note: optionalParagraphs(4000),
  close: formCheckbox(),
  ...csrf,
});
export const extendBodySchema = z.object({ reason: requiredParagraphs(2000), ...csrf });
export const sanctionBodySchema = z.object({
  rule_code: requiredText(60),
  offender_kind: z.enum(['individual', 'organisation']),
  offender_name: requiredText(300),
  platform: optionalText(300),
  amount_vnd: z.union([z.number(), requiredText(30)]),
  decision_no: requiredText(60),
  decision_date: requiredDay(),
  facts: requiredParagraphs(10_000),
  ...csrf,
});
