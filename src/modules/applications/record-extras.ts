/**
 * What the applications module adds to the public record page `/r/{registration_no}`: a warning when the
 * visitor came from a site the record does not cover (a copied badge), and for the record's owner the code
 * to embed its badge.
 */
import type { FastifyRequest } from 'fastify';
import { html, type SafeHtml } from '../../core/html.ts';
import { can, findOrganisationOfBusiness, getPrincipal } from '../accounts/index.ts';
import type { Platform } from '../registry/index.ts';
import { type ApplicationsContext, listApplicationsOfPlatform } from './applications.service.ts';
import { groundList, pageContext } from './applications.view.ts';
import { badgeSnippet, isHostCovered, refererHost } from './badge.ts';

const TEXT = {
  copied: {
    vi: 'Cảnh báo: bạn đến từ {host}, một tên miền KHÔNG thuộc hồ sơ này. Biểu tượng trên trang đó là biểu tượng sao chép, không có giá trị.',
    en: 'Warning: you came from {host}, a domain this record does NOT cover. The badge on that site is copied and proves nothing.',
  },
  ownerTitle: { vi: 'Biểu tượng cho website của bạn', en: 'The badge for your site' },
  grounds: {
    vi: 'Căn cứ nền tảng nước ngoài thuộc diện điều chỉnh',
    en: 'Why the rules apply to this foreign platform',
  },
  ownerLead: {
    vi: 'Chép đoạn mã này vào các trang thuộc tên miền của hồ sơ. Trên tên miền khác, biểu tượng không hợp lệ.',
    en: 'Paste this code into pages on this record’s domains. On any other domain the badge is invalid.',
  },
};

export function createRecordPageExtras(context: ApplicationsContext) {
  return async (request: FastifyRequest, platform: Platform): Promise<SafeHtml | undefined> => {
    const { t } = pageContext(request);
    const parts: SafeHtml[] = [];
    const from = refererHost(request.headers.referer, [new URL(context.portalUrl).host, request.headers.host]);
    if (from && !isHostCovered(from, platform.domains)) {
      parts.push(
        html`<div class="verdict verdict-bad" role="alert" data-badge-warning="domain_not_covered"><p>${t(TEXT.copied).replace('{host}', from)}</p></div>`,
      );
    }
    if (platform.cross_border) {
      // The grounds recorded on the approved filing (Decree 52/2013 Art. 67a cl. 1), each with its provision.
      const approved = (await listApplicationsOfPlatform(context, platform.id)).find(
        (application) => application.status === 'approved' && application.foreign_grounds.length > 0,
      );
      if (approved) {
        parts.push(html`<section aria-labelledby="foreign-grounds" data-section="foreign-grounds">
<h2 id="foreign-grounds">${t(TEXT.grounds)}</h2>
${groundList(t, approved.foreign_grounds)}
</section>`);
      }
    }
    const principal = getPrincipal(request);
    // Only a business that acts for its organisation (verified: the permission's one check) is shown its badge.
    if (can(principal, 'applications:file') && principal?.organisationId && platform.registration_no) {
      const organisation = await findOrganisationOfBusiness(context.database.db, principal.organisationId);
      const owns =
        organisation !== undefined &&
        platform.organisation?.tax_code !== undefined &&
        platform.organisation?.tax_code?.slice(0, 10) === organisation.tax_code.slice(0, 10);
      if (owns) {
        parts.push(html`<section aria-labelledby="owner-badge">
<h2 id="owner-badge">${t(TEXT.ownerTitle)}</h2>
<p>${t(TEXT.ownerLead)}</p>
<textarea class="snippet" rows="4" readonly aria-labelledby="owner-badge">${badgeSnippet(context.portalUrl, platform.registration_no, platform.status)}</textarea>
</section>`);
      }
    }
    return parts.length ? html`${parts}` : undefined;
  };
}
