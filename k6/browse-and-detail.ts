/**
 * Shoppers browsing Mercato: categories → a category page → product detail, across regions.
 * For users with k6 (AGPL; not installed or run by this project):
 *   k6 run -e BASE_URL=http://127.0.0.1:3000 -e RATE=200 k6/browse-and-detail.ts
 * The project's own runner for the same path is `npm run bench`.
 */
import { check } from 'k6';
import http from 'k6/http';
import type { Options } from 'k6/options';

const BASE_URL = __ENV.BASE_URL ?? 'http://127.0.0.1:3000';
const RATE = Number(__ENV.RATE ?? 200);
const REGIONS = ['us', 'eu', 'ap'] as const;

export const options: Options = {
  scenarios: {
    shoppers: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV.DURATION ?? '1m',
      preAllocatedVUs: 50,
      maxVUs: 400,
    },
  },
  thresholds: {
    'http_req_duration{step:detail}': ['p(99)<20'],
    http_req_failed: ['rate<0.001'],
  },
};

interface CategoryNode {
  categoryId: string;
  productCount: number;
  children: CategoryNode[];
}

export function setup(): { categories: string[] } {
  const response = http.get(`${BASE_URL}/v1/categories`);
  const tree = response.json('items') as unknown as CategoryNode[];
  const categories: string[] = [];
  const walk = (nodes: CategoryNode[]) =>
    nodes.forEach((node) => {
      if (node.productCount > 0) categories.push(node.categoryId);
      walk(node.children);
    });
  walk(tree);
  return { categories };
}

export default function shopper(data: { categories: string[] }): void {
  const region = REGIONS[Math.floor(Math.random() * REGIONS.length)];
  const headers = { 'X-Region': region };
  const category = data.categories[Math.floor(Math.random() * data.categories.length)];
  const page = http.get(`${BASE_URL}/v1/products?category=${category}&sort=price_asc&limit=20`, {
    headers,
    tags: { step: 'browse' },
  });
  check(page, { 'browse is 200': (r) => r.status === 200 });
  const items = (page.json('items') ?? []) as unknown as { productId: string }[];
  if (items.length === 0) return;
  const productId = items[Math.floor(Math.random() * items.length)].productId;
  const detail = http.get(`${BASE_URL}/v1/products/${productId}`, { headers, tags: { step: 'detail' } });
  check(detail, { 'detail is 200': (r) => r.status === 200 });
}
