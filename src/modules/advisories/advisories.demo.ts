import type { Database } from '../../core/db.ts';
import { findIdentityOwners } from '../registry/index.ts';
import { countAllAdvisories } from './advisories.repository.ts';
import { type AdvisoryInput, createAdvisory, publishAdvisory } from './advisories.service.ts';

/**
 * Demo advisories, loaded into an empty database by `serve` (never by another command), about public facts of the
 * demo register only: Temu, SHEIN and 1688 are named by Dispatch 8598/BCT-TMDT (26 Oct 2024) among cross-border
 * platforms not registered with the Ministry (the demo register's note on each). Every one is marked sample data
 * (`sample`), which pages, feeds and check answers show.
 */

const DEMO_CONTEXT = { actor: 'system:demo-data' };

const SAMPLE_NOTE = {
  vi: 'Dữ liệu mẫu (minh họa): nội dung này do hệ thống tạo để trình diễn, không phải cảnh báo chính thức của Bộ Công Thương.',
  en: 'Sample data (illustration): this text was made for the demonstration; it is not an official advisory of the Ministry.',
};

function unregisteredWarning(name: string, domain: string): AdvisoryInput {
  return {
    kind: 'warning',
    severity: 'danger',
    title_vi: `${name} chưa đăng ký hoạt động thương mại điện tử tại Việt Nam`,
    title_en: `${name} is not registered to do e-commerce in Vietnam`,
    body_vi: `Công văn số 8598/BCT-TMĐT ngày 26/10/2024 của Bộ Công Thương nêu ${name} (${domain}) trong số các nền tảng thương mại điện tử xuyên biên giới chưa đăng ký với Bộ Công Thương.\n\nNgười tiêu dùng cần thận trọng khi giao dịch: quyền lợi có thể không được bảo vệ theo pháp luật Việt Nam. Hãy kiểm tra website, ứng dụng trước khi thanh toán.\n\n${SAMPLE_NOTE.vi}`,
    body_en: `Dispatch 8598/BCT-TMDT of 26 October 2024 of the Ministry of Industry and Trade names ${name} (${domain}) among the cross-border e-commerce platforms not registered with the Ministry.\n\nConsumers should be careful: their rights may not be protected under Vietnamese law. Check a website or app before paying.\n\n${SAMPLE_NOTE.en}`,
    platforms: [domain],
  };
}

const DEMO_ADVISORIES: ReadonlyArray<{ domain: string; name: string; publish: boolean }> = [
  { domain: 'temu.com', name: 'Temu', publish: true },
  { domain: 'shein.com', name: 'SHEIN', publish: true },
  { domain: '1688.com', name: '1688', publish: false },
];

/** Loads the demo advisories into a database without any; returns how many it made. */
export async function loadDemoAdvisories(database: Database): Promise<number> {
  if ((await countAllAdvisories(database.db)) > 0) return 0;
  let made = 0;
  for (const demo of DEMO_ADVISORIES) {
    // Only platforms the register holds (a database loaded without the demo register gets none).
    const owners = await findIdentityOwners(database.db, [{ kind: 'domain', value: demo.domain }]);
    if (owners.length === 0) continue;
    const advisory = await createAdvisory(
      database,
      { context: DEMO_CONTEXT, unitId: 'idea' },
      unregisteredWarning(demo.name, demo.domain),
      { sample: true },
    );
    if (demo.publish) await publishAdvisory(database, DEMO_CONTEXT, advisory.id);
    made += 1;
  }
  return made;
}
