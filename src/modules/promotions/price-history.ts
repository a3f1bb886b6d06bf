/**
 * Prices seen on sites over time (issue 14): the monitor records the offers of each page it captures
 * (`recordObservedOffers`, called with the evidence item's id), and offers showing a "before" price are judged against
 * the rules in force on the day they were seen — the discount cap, and the reference price against what the same
 * site charged for the product in the preceding days.
 */

import { todayInVietnam } from '../../core/dates.ts';
import type { Database, Db } from '../../core/db.ts';
import { invalidInput } from '../../core/errors.ts';
import { normalizeHost } from '../../core/hosts.ts';
import { addDays } from './lunar.ts';
import type { ExtractedOffer } from './offers.ts';
import { extractOffers } from './offers.ts';
import {
  insertPriceObservations,
  type PriceObservationRow,
  selectLatestDiscountedOffers,
  selectPriceHistory,
} from './promotions.repository.ts';
import { evaluateProgramme, type RulesInForce } from './promotions.rules.ts';
import type { Violation } from './promotions.schemas.ts';
import { promotionRulesInForce } from './promotions.service.ts';

export interface ObservedOffers {
  /** The page the offers were read from. */
  url: string;
  observedAt: Date;
  /** The evidence item holding the page, when it was captured as evidence. */
  evidenceId?: string | null;
  offers: readonly Pick<ExtractedOffer, 'product_key' | 'name' | 'price_vnd' | 'list_price_vnd'>[];
}

/**
 * Stores the offers seen on a page (one statement: all or nothing); seeing the same price of the same product at the
 * same instant again stores nothing. Returns how many observations were new.
 */
export async function recordObservedOffers(db: Db, observed: ObservedOffers): Promise<number> {
  const domain = normalizeHost(observed.url, 'url').host;
  const rows = observed.offers.map((offer, index) => {
    if (!Number.isSafeInteger(offer.price_vnd) || offer.price_vnd <= 0) {
      throw invalidInput(
        {
          vi: `offers.${index}.price_vnd phải là số nguyên dương`,
          en: `offers.${index}.price_vnd must be a positive whole number`,
        },
        `offers.${index}.price_vnd`,
      );
    }
    return {
      domain,
      url: observed.url.slice(0, 2000),
      product_key: offer.product_key.slice(0, 300),
      product_name: offer.name.slice(0, 300),
      price_vnd: offer.price_vnd,
      list_price_vnd: offer.list_price_vnd,
      observed_at: observed.observedAt,
      evidence_id: observed.evidenceId ?? null,
    };
  });
  return insertPriceObservations(db, rows);
}

export interface OffendingOffer {
  observation: PriceObservationRow;
  violations: Violation[];
}

/**
 * The latest offers that break a rule on the day they were seen: each product's latest observation with a "before"
 * price, checked as a one-day discount (its discount and, against its own history, its reference price).
 */
export async function findOffendingOffers(database: Database, limit = 200): Promise<OffendingOffer[]> {
  const db = database.db;
  const found: OffendingOffer[] = [];
  const rulesByDay = new Map<string, RulesInForce>();
  for (const observation of await selectLatestDiscountedOffers(db, limit * 5)) {
    const day = todayInVietnam(new Date(observation.observed_at));
    // Offers of one day share its rules: one query per day seen, not per offer.
    let rules = rulesByDay.get(day);
    if (!rules) {
      rules = await promotionRulesInForce(db, day);
      rulesByDay.set(day, rules);
    }
    const lookback = rules.reference_price?.params.lookback_days ?? 0;
    const history = lookback
      ? await selectPriceHistory(
          db,
          observation.domain,
          observation.product_key,
          new Date(`${addDays(day, -lookback)}T00:00:00+07:00`),
          new Date(`${day}T00:00:00+07:00`),
        )
      : [];
    const answer = evaluateProgramme(
      {
        form: 'discount',
        starts_on: day,
        ends_on: day,
        provinces: [],
        online: true,
        goods: [
          {
            name: observation.product_name || observation.product_key,
            brand: observation.domain,
            category: 'unknown',
            price_before_vnd: observation.list_price_vnd as number,
            promo_price_vnd: Math.min(observation.price_vnd, observation.list_price_vnd as number),
            price_history: history.map((point) => ({
              date: todayInVietnam(new Date(point.observed_at)),
              price_vnd: point.price_vnd,
            })),
          },
        ],
      },
      // Only what an offer seen online shows can be judged: its discount and its reference price.
      {
        discount_cap: rules.discount_cap,
        concentrated_periods: rules.concentrated_periods,
        reference_price: rules.reference_price,
      },
    );
    if (!answer.compliant) found.push({ observation, violations: answer.violations });
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * The monitor's scan hands each page it captured here (through the composition root, so that the monitor does not
 * depend on this module): the offers the page shows are read and stored with the evidence id. Returns how many.
 */
export async function recordOffersOfPage(
  db: Db,
  page: { html: string; url: string; evidenceId: string | null; observedAt: Date },
): Promise<number> {
  const { offers } = extractOffers(page.html, page.url);
  if (offers.length === 0) return 0;
  return recordObservedOffers(db, { url: page.url, observedAt: page.observedAt, evidenceId: page.evidenceId, offers });
}
