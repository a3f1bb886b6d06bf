/** Bodies and answers of decisions on registrations: cancellation grounds, termination requests, proposals. */
import { z } from 'zod';
import { formList, optionalParagraphs, optionalText, requiredParagraphs } from '../../core/validation.ts';
import { PLATFORM_STATUSES } from '../registry/index.ts';

const groundCodes = formList(z.string().max(60)).describe(
  'Codes of cancellation grounds (GET /api/v1/cancellation-grounds)',
);

/** Cancellation: one or more grounds of Circular 47/2014/TT-BCT Art. 18 (checked by the service), and a note. */
export const cancelBodySchema = z.object({
  grounds: groundCodes,
  reason: requiredParagraphs(4000),
});

export const proposalBodySchema = z.object({
  kind: z.enum(['cancellation', 'suspension']),
  grounds: groundCodes,
  note: requiredParagraphs(4000),
  evidence: optionalParagraphs(4000),
});

export const terminationBodySchema = z.object({ note: requiredParagraphs(4000) });

export const acceptBodySchema = z.object({
  reason: optionalParagraphs(4000),
  legal_basis: optionalText(500).describe('Required when accepting a proposal to suspend'),
});

export const declineBodySchema = z.object({ reason: requiredParagraphs(4000) });

export const decisionBodySchema = z.object({
  decision: z.enum(['accept', 'decline']),
  reason: optionalParagraphs(4000),
  legal_basis: optionalText(500),
});

export const requestQuerySchema = z.object({
  status: z.enum(['pending', 'accepted', 'declined']).default('pending'),
  lang: z.string().optional(),
  done: z.string().max(40).optional(),
});

export const registrationRequestSchema = z
  .object({
    id: z.string(),
    platform_id: z.string(),
    platform_name: z.string(),
    registration_no: z.string().nullable(),
    platform_status: z.enum(PLATFORM_STATUSES),
    kind: z.enum(['termination', 'cancellation', 'suspension']),
    status: z.enum(['pending', 'accepted', 'declined']),
    grounds: z.array(z.string()),
    note: z.string(),
    evidence: z.string().nullable(),
    requested_by: z.string(),
    requester_unit: z.string().nullable(),
    created_at: z.string(),
    /** A termination request's due day (YYYY-MM-DD, table of procedures); null for proposals. */
    due_on: z.string().nullable(),
    deadline_status: z.enum(['on_time', 'due_today', 'overdue']).nullable(),
    decided_by: z.string().nullable(),
    decided_at: z.string().nullable(),
    decision_reason: z.string().nullable(),
  })
  .describe('A business’s request to terminate, or a unit’s proposal to cancel or suspend, and its decision');

export const registrationRequestListSchema = z.object({ requests: z.array(registrationRequestSchema) });
