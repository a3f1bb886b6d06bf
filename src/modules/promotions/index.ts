/**
 * Promotions (issue 14, Dispatch 8598 task 6): promotion programmes checked against the promotion rules, which are
 * effective-dated data (`promotion_rules`) citing their provisions; the Lunar New Year wave computed from the
 * Vietnamese lunar calendar.
 */

export { recordOffersOfPage } from './price-history.ts';
export { registerPromotionsCli } from './promotions.cli.ts';
export { registerPromotionsRoutes } from './promotions.routes.ts';
