/**
 * The promotion check's input and answer (issue 14), the same schemas for the API, the CLI and OpenAPI. Unknown
 * fields are refused so a misspelt field is named, not ignored.
 */
import { z } from 'zod';
import { isoDay, localizedRule, requiredParagraphs } from '../../core/validation.ts';
import { daysBetween } from './lunar.ts';

/** The forms of Law on Commerce 2005 Art. 92 (clauses 1–9). */
export const PROMOTION_FORMS = [
  'sample',
  'gift',
  'discount',
  'voucher',
  'contest',
  'lucky_draw',
  'loyalty',
  'event',
  'other',
] as const;
export type PromotionForm = (typeof PROMOTION_FORMS)[number];

/** Who registered a lucky draw: the provincial Department of Industry and Trade, or the Ministry. */
export const REGISTRATION_AUTHORITIES = ['provincial_dot', 'moit'] as const;

const vnd = z.number().int().min(0).max(1e15);

export const goodsSchema = z.strictObject({
  name: z.string().trim().min(1).max(300),
  brand: z.string().trim().min(1).max(200),
  /**
   * Free text; these values carry a rule: fresh_food, price_stabilised, closing_down (goods sold off in a
   * bankruptcy, dissolution or move), alcohol, tobacco, lottery, breast_milk_substitute, medicine,
   * public_medical_service, public_education_service.
   */
  category: z.string().trim().min(1).max(100),
  price_before_vnd: vnd.min(1),
  promo_price_vnd: vnd.optional(),
  gift_value_vnd: vnd.optional(),
  /**
   * The category of the item given away with these goods (a gift, a prize), in the words of `category`: an extension
   * of the issue's shape, since the law also bars some goods from being used as promotional items.
   */
  gift_category: z.string().trim().min(1).max(100).optional(),
  alcohol_percent: z.number().min(0).max(100).optional(),
  price_history: z
    .array(z.strictObject({ date: isoDay, price_vnd: vnd.min(1) }))
    .max(10_000)
    .optional(),
});

export const programmeSchema = z
  .strictObject({
    form: z.enum(PROMOTION_FORMS),
    starts_on: isoDay,
    ends_on: isoDay,
    provinces: z.array(z.string().trim().min(1).max(100)).max(100),
    online: z.boolean(),
    registered_with: z.enum(REGISTRATION_AUTHORITIES).optional(),
    prize_value_vnd: vnd.optional(),
    concentrated_programme: z.boolean().optional(),
    prior_discount_days_this_year: z.record(z.string().min(1).max(200), z.number().int().min(0).max(366)).optional(),
    goods: z.array(goodsSchema).min(1).max(1000),
  })
  .refine((programme) => programme.ends_on >= programme.starts_on, {
    ...localizedRule({ vi: 'Ngày kết thúc trước ngày bắt đầu.', en: 'ends_on is before starts_on.' }),
    path: ['ends_on'],
  })
  .refine((programme) => daysBetween(programme.starts_on, programme.ends_on) < 3660, {
    ...localizedRule({ vi: 'Chương trình dài quá 10 năm.', en: 'The programme lasts more than 10 years.' }),
    path: ['ends_on'],
  })
  .superRefine((programme, context) => {
    programme.goods.forEach((goods, index) => {
      if (goods.promo_price_vnd !== undefined && goods.promo_price_vnd > goods.price_before_vnd) {
        context.addIssue({
          code: 'custom',
          path: ['goods', index, 'promo_price_vnd'],
          ...localizedRule({
            vi: 'Giá khuyến mại cao hơn giá trước khuyến mại.',
            en: 'promo_price_vnd is above price_before_vnd.',
          }),
        });
      }
    });
  });

export type Programme = z.infer<typeof programmeSchema>;
export type ProgrammeGoods = z.infer<typeof goodsSchema>;

export const RULE_CODES = [
  'discount_cap',
  'gift_value_cap',
  'annual_days_cap',
  'prohibited_goods',
  'lucky_draw_registration',
  'notification',
  'reference_price',
  'concentrated_periods',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

const localizedSchema = z.object({ vi: z.string(), en: z.string() });

export const violationSchema = z.object({
  rule: z.enum(RULE_CODES),
  citation: z.string(),
  message: localizedSchema,
  /** The names of the goods concerned; empty when the violation is the programme's. */
  goods: z.array(z.string()),
});
export type Violation = z.infer<typeof violationSchema>;

export const checkAnswerSchema = z.object({
  compliant: z.boolean(),
  violations: z.array(violationSchema),
});
export type CheckAnswer = z.infer<typeof checkAnswerSchema>;

/** The workbench form: a programme pasted as JSON. */
export const checkFormSchema = z.object({
  programme: requiredParagraphs(200_000),
  _csrf: z.string().optional(),
});
