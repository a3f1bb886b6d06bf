/**
 * The promotion rules applied to a programme (pure: the rules in force are handed in). Each rule's parameters come
 * from its row of `promotion_rules`; this file knows only what each code means, never a number of the law.
 */
import { z } from 'zod';
import type { Localized } from '../../core/i18n.ts';
import { addDays, daysBetween, lunarDayInYear, lunarNewYear } from './lunar.ts';
import type { CheckAnswer, Programme, ProgrammeGoods, RuleCode, Violation } from './promotions.schemas.ts';
import { PROMOTION_FORMS, RULE_CODES } from './promotions.schemas.ts';

const percent = z.number().min(0).max(100);
const categoryList = z.array(z.string().min(1).max(100)).max(100);
const formList = z.array(z.enum(PROMOTION_FORMS));
const holiday = z.strictObject({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  days: z.number().int().min(1).max(31),
  name: z.string().max(200).optional(),
});

/** The shape of each code's parameters: checked when a row is loaded and when an administrator sets one. */
export const RULE_PARAMS = {
  discount_cap: z.strictObject({
    cap_percent: percent,
    concentrated_cap_percent: percent,
    exempt_categories: categoryList,
  }),
  gift_value_cap: z.strictObject({ cap_percent: percent, concentrated_cap_percent: percent, exempt_forms: formList }),
  annual_days_cap: z.strictObject({ max_days: z.number().int().min(1).max(366) }),
  prohibited_goods: z.strictObject({
    not_promoted: categoryList,
    not_used_as_prize: categoryList,
    alcohol_percent_from: percent,
  }),
  lucky_draw_registration: z.strictObject({
    one_province: z.enum(['provincial_dot', 'moit']),
    multi_province: z.enum(['provincial_dot', 'moit']),
    exempt_below_vnd: z.number().int().min(0).nullable(),
  }),
  notification: z.strictObject({ forms: formList, exempt_below_vnd: z.number().int().min(0).nullable() }),
  reference_price: z.strictObject({ lookback_days: z.number().int().min(1).max(366) }),
  concentrated_periods: z.strictObject({
    lunar_new_year_days_before: z.number().int().min(0).max(120),
    solar_holidays: z.array(holiday).max(50),
    lunar_holidays: z.array(holiday).max(50),
  }),
} satisfies Record<RuleCode, z.ZodType>;

export type RuleParams<C extends RuleCode> = z.infer<(typeof RULE_PARAMS)[C]>;

/** A rule row as the engine sees it. */
export interface PromotionRule<C extends RuleCode = RuleCode> {
  code: C;
  params: RuleParams<C>;
  citation: string;
}

/** The rules in force on the programme's first day, by code (a code with no row in force is not applied). */
export type RulesInForce = { [C in RuleCode]?: PromotionRule<C> };

export function isRuleCode(value: string): value is RuleCode {
  return (RULE_CODES as readonly string[]).includes(value);
}

/** Every day of the programme, first to last, YYYY-MM-DD. */
function daysOf(programme: Programme): string[] {
  const count = daysBetween(programme.starts_on, programme.ends_on) + 1;
  return Array.from({ length: count }, (_, index) => addDays(programme.starts_on, index));
}

/**
 * The concentrated-promotion days between two dates: the Lunar New Year wave (the N days immediately before the first
 * day of each lunar year, computed) and the holidays of the rule, solar and lunar.
 */
export function concentratedDays(params: RuleParams<'concentrated_periods'>, from: string, to: string): Set<string> {
  const days = new Set<string>();
  const addRun = (start: string, length: number): void => {
    for (let index = 0; index < length; index++) days.add(addDays(start, index));
  };
  const firstYear = Number(from.slice(0, 4));
  // A December programme can fall in the next year's wave (Tết 2025 was 29 January: the wave began 30/12/2024).
  const lastYear = Number(to.slice(0, 4)) + 1;
  for (let year = firstYear; year <= lastYear; year++) {
    const tet = lunarNewYear(year);
    addRun(addDays(tet, -params.lunar_new_year_days_before), params.lunar_new_year_days_before);
    for (const holiday of params.solar_holidays) {
      addRun(`${year}-${String(holiday.month).padStart(2, '0')}-${String(holiday.day).padStart(2, '0')}`, holiday.days);
    }
    for (const holiday of params.lunar_holidays) addRun(lunarDayInYear(year, holiday.month, holiday.day), holiday.days);
  }
  return days;
}

const vndFormat = new Intl.NumberFormat('vi-VN');
const money = (value: number): string => `${vndFormat.format(value)} ₫`;
const pct = (value: number): string => `${Math.round(value * 100) / 100}%`;

function violation(rule: PromotionRule, message: Localized, goods: ProgrammeGoods[] = []): Violation {
  return { rule: rule.code, citation: rule.citation, message, goods: goods.map((item) => item.name) };
}

function promotionValueOf(programme: Programme): number {
  if (programme.prize_value_vnd !== undefined) return programme.prize_value_vnd;
  return programme.goods.reduce(
    (sum, goods) =>
      sum +
      (goods.gift_value_vnd ??
        (goods.promo_price_vnd !== undefined ? goods.price_before_vnd - goods.promo_price_vnd : 0)),
    0,
  );
}

const AUTHORITY_NAMES: Record<'provincial_dot' | 'moit', Localized> = {
  provincial_dot: { vi: 'Sở Công Thương', en: 'the provincial Department of Industry and Trade' },
  moit: { vi: 'Bộ Công Thương', en: 'the Ministry of Industry and Trade' },
};

/** Checks a programme against the rules in force on its first day. */
export function evaluateProgramme(programme: Programme, rules: RulesInForce): CheckAnswer {
  const violations: Violation[] = [];
  const days = daysOf(programme);
  const concentratedSet = rules.concentrated_periods
    ? concentratedDays(rules.concentrated_periods.params, programme.starts_on, programme.ends_on)
    : new Set<string>();
  const ordinaryDays = programme.concentrated_programme ? [] : days.filter((day) => !concentratedSet.has(day));
  const concentrated = ordinaryDays.length === 0;

  const prohibited = rules.prohibited_goods;
  if (prohibited) {
    const { not_promoted, not_used_as_prize, alcohol_percent_from } = prohibited.params;
    const banned = programme.goods.filter((goods) => {
      if (goods.alcohol_percent !== undefined) {
        if (goods.alcohol_percent >= alcohol_percent_from) return true;
        if (goods.category === 'alcohol') return false;
      }
      return not_promoted.includes(goods.category);
    });
    if (banned.length) {
      violations.push(
        violation(
          prohibited,
          {
            vi: `Hàng hóa, dịch vụ không được khuyến mại: ${banned.map((goods) => `${goods.name} (${goods.category})`).join(', ')}.`,
            en: `Goods or services that may not be promoted: ${banned.map((goods) => `${goods.name} (${goods.category})`).join(', ')}.`,
          },
          banned,
        ),
      );
    }
    const prizes = programme.goods.filter(
      (goods) => goods.gift_category !== undefined && not_used_as_prize.includes(goods.gift_category),
    );
    if (prizes.length) {
      violations.push(
        violation(
          prohibited,
          {
            vi: `Hàng hóa không được dùng làm hàng khuyến mại: ${prizes.map((goods) => `${goods.gift_category} (kèm ${goods.name})`).join(', ')}.`,
            en: `Goods that may not be used as promotional items: ${prizes.map((goods) => `${goods.gift_category} (with ${goods.name})`).join(', ')}.`,
          },
          prizes,
        ),
      );
    }
  }

  const discount = rules.discount_cap;
  if (discount && programme.form === 'discount') {
    const cap = concentrated ? discount.params.concentrated_cap_percent : discount.params.cap_percent;
    for (const goods of programme.goods) {
      if (goods.promo_price_vnd === undefined || discount.params.exempt_categories.includes(goods.category)) continue;
      const rate = ((goods.price_before_vnd - goods.promo_price_vnd) / goods.price_before_vnd) * 100;
      if (rate > cap) {
        violations.push(
          violation(
            discount,
            {
              vi: `Giảm ${pct(rate)} (${money(goods.price_before_vnd)} → ${money(goods.promo_price_vnd)}), vượt mức tối đa ${pct(cap)}${concentrated ? '' : ' ngoài đợt khuyến mại tập trung'}.`,
              en: `Discount of ${pct(rate)} (${money(goods.price_before_vnd)} → ${money(goods.promo_price_vnd)}) exceeds the ${pct(cap)} cap${concentrated ? '' : ' outside a concentrated promotion'}.`,
            },
            [goods],
          ),
        );
      }
    }
  }

  const gift = rules.gift_value_cap;
  if (gift && !gift.params.exempt_forms.includes(programme.form)) {
    const cap = concentrated ? gift.params.concentrated_cap_percent : gift.params.cap_percent;
    for (const goods of programme.goods) {
      if (goods.gift_value_vnd === undefined) continue;
      const rate = (goods.gift_value_vnd / goods.price_before_vnd) * 100;
      if (rate > cap) {
        violations.push(
          violation(
            gift,
            {
              vi: `Giá trị khuyến mại ${money(goods.gift_value_vnd)} bằng ${pct(rate)} giá ${money(goods.price_before_vnd)}, vượt hạn mức ${pct(cap)}.`,
              en: `Promotional item worth ${money(goods.gift_value_vnd)} is ${pct(rate)} of the ${money(goods.price_before_vnd)} price, above the ${pct(cap)} cap.`,
            },
            [goods],
          ),
        );
      }
    }
  }

  const daysCap = rules.annual_days_cap;
  if (daysCap && programme.form === 'discount') {
    const firstYear = programme.starts_on.slice(0, 4);
    const byYear = new Map<string, number>();
    for (const day of ordinaryDays) byYear.set(day.slice(0, 4), (byYear.get(day.slice(0, 4)) ?? 0) + 1);
    const brands = [...new Set(programme.goods.map((goods) => goods.brand))];
    for (const brand of brands) {
      for (const [year, count] of byYear) {
        const prior = year === firstYear ? (programme.prior_discount_days_this_year?.[brand] ?? 0) : 0;
        const total = prior + count;
        if (total > daysCap.params.max_days) {
          violations.push(
            violation(
              daysCap,
              {
                vi: `Nhãn hiệu ${brand}: ${total} ngày giảm giá trong năm ${year} (${prior} ngày trước đó + ${count} ngày của chương trình, không tính ngày khuyến mại tập trung), vượt ${daysCap.params.max_days} ngày.`,
                en: `Brand ${brand}: ${total} discount days in ${year} (${prior} before + ${count} in this programme, concentrated days not counted), above ${daysCap.params.max_days}.`,
              },
              programme.goods.filter((goods) => goods.brand === brand),
            ),
          );
        }
      }
    }
  }

  const lucky = rules.lucky_draw_registration;
  if (lucky && programme.form === 'lucky_draw') {
    const { exempt_below_vnd } = lucky.params;
    const exempt =
      exempt_below_vnd !== null &&
      programme.prize_value_vnd !== undefined &&
      programme.prize_value_vnd < exempt_below_vnd;
    if (!exempt) {
      // An online programme naming no province reaches the whole country.
      const multi = programme.provinces.length >= 2 || (programme.online && programme.provinces.length === 0);
      const required = multi ? lucky.params.multi_province : lucky.params.one_province;
      const where = multi
        ? { vi: 'từ hai tỉnh, thành phố trở lên', en: 'two or more provinces' }
        : { vi: 'một tỉnh, thành phố', en: 'one province' };
      if (programme.registered_with === undefined) {
        violations.push(
          violation(lucky, {
            vi: `Chương trình khuyến mại mang tính may rủi trên địa bàn ${where.vi} phải đăng ký với ${AUTHORITY_NAMES[required].vi} trước khi thực hiện.`,
            en: `A lucky draw in ${where.en} must be registered with ${AUTHORITY_NAMES[required].en} before it runs.`,
          }),
        );
      } else if (required === 'moit' && programme.registered_with !== 'moit') {
        violations.push(
          violation(lucky, {
            vi: `Chương trình trên địa bàn ${where.vi} phải đăng ký với ${AUTHORITY_NAMES.moit.vi}, không phải ${AUTHORITY_NAMES[programme.registered_with].vi}.`,
            en: `A lucky draw in ${where.en} is registered with ${AUTHORITY_NAMES.moit.en}, not ${AUTHORITY_NAMES[programme.registered_with].en}.`,
          }),
        );
      }
    }
  }

  const notification = rules.notification;
  if (notification?.params.forms.includes(programme.form) && programme.registered_with === undefined) {
    const value = promotionValueOf(programme);
    const threshold = notification.params.exempt_below_vnd;
    if (threshold === null || value >= threshold) {
      violations.push(
        violation(notification, {
          vi: `Hình thức khuyến mại này (giá trị ${money(value)}) phải được thông báo trước khi thực hiện; chương trình không ghi cơ quan đã nhận thông báo (registered_with).`,
          en: `This form of promotion (worth ${money(value)}) must be notified before it runs; the programme names no authority notified (registered_with).`,
        }),
      );
    }
  }

  const reference = rules.reference_price;
  if (reference) {
    const windowStart = addDays(programme.starts_on, -reference.params.lookback_days);
    for (const goods of programme.goods) {
      const charged = (goods.price_history ?? [])
        .filter((point) => point.date >= windowStart && point.date < programme.starts_on)
        .map((point) => point.price_vnd);
      if (!charged.length) continue;
      const highest = Math.max(...charged);
      if (goods.price_before_vnd > highest) {
        violations.push(
          violation(
            reference,
            {
              vi: `Giá trước khuyến mại ${money(goods.price_before_vnd)} cao hơn mọi giá đã bán trong ${reference.params.lookback_days} ngày trước (cao nhất ${money(highest)}).`,
              en: `The "before" price ${money(goods.price_before_vnd)} is above every price charged in the ${reference.params.lookback_days} days before (highest ${money(highest)}).`,
            },
            [goods],
          ),
        );
      }
    }
  }

  return { compliant: violations.length === 0, violations };
}
