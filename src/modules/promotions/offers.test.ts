import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractOffers } from './offers.ts';

const URL = 'https://shop.example/p/ao-khoac?utm=x';

describe('offers read from a product page', () => {
  it('reads schema.org Product/Offer in JSON-LD, with a strikethrough "before" price', () => {
    const html = `<html><head><script type="application/ld+json">${JSON.stringify({
      '@context': 'https://schema.org',
      '@graph': [
        {
          '@type': 'Product',
          name: 'Áo khoác gió',
          sku: 'AK-01',
          offers: {
            '@type': 'Offer',
            price: '259000',
            priceCurrency: 'VND',
            priceSpecification: [
              {
                '@type': 'UnitPriceSpecification',
                priceType: 'https://schema.org/StrikethroughPrice',
                price: 899000,
                priceCurrency: 'VND',
              },
            ],
          },
        },
        { '@type': 'Product', name: 'Gadget', offers: { price: 12.99, priceCurrency: 'USD' } },
      ],
    })}</script></head><body></body></html>`;
    const result = extractOffers(html, URL);
    assert.deepEqual(result.offers, [
      { product_key: 'AK-01', name: 'Áo khoác gió', price_vnd: 259000, list_price_vnd: 899000, source: 'json_ld' },
    ]);
    assert.match(result.notes.join('\n'), /Gadget.*USD, not VND/);
  });

  it('reads microdata', () => {
    const html = `<div itemscope itemtype="https://schema.org/Product"><h2 itemprop="name">Nồi cơm điện</h2>
      <meta itemprop="sku" content="NC-7"><div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
      <span itemprop="price" content="1290000">1.290.000₫</span><meta itemprop="priceCurrency" content="VND"></div></div>`;
    assert.deepEqual(extractOffers(html, URL).offers, [
      { product_key: 'NC-7', name: 'Nồi cơm điện', price_vnd: 1290000, list_price_vnd: null, source: 'microdata' },
    ]);
  });

  it('falls back on the visible VND prices, the struck-through one being the "before" price', () => {
    const html = '<title>Shop</title><h1>Giày chạy bộ</h1><p>Giá: <del>1.500.000 đ</del> <b>490.000₫</b></p>';
    assert.deepEqual(extractOffers(html, URL).offers, [
      {
        product_key: 'https://shop.example/p/ao-khoac',
        name: 'Giày chạy bộ',
        price_vnd: 490000,
        list_price_vnd: 1500000,
        source: 'visible',
      },
    ]);
  });

  it('says what it could not place and stays bounded on hostile input', () => {
    const broken = extractOffers('<script type="application/ld+json">{ nope</script>', URL);
    assert.deepEqual(broken.offers, []);
    assert.match(broken.notes.join(), /not valid JSON/);
    const started = performance.now();
    const deep = extractOffers(`${'<div>'.repeat(200_000)}259.000₫`, URL);
    assert.equal(deep.truncated, true);
    assert.ok(performance.now() - started < 2000);
  });
});
