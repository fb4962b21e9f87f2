import type { ApiDocumentInfo } from '@mercato/runtime';

export const API_DOCS: ApiDocumentInfo = {
  title: 'Mercato API',
  version: 'v1',
  description:
    'The public REST API of Mercato, an open-source e-commerce backend. Money is integer minor ' +
    'units with an ISO currency; `X-Region` (us, eu, ap) selects prices and warehouses. Errors are ' +
    'RFC 9457 problem+json. Every response carries `X-Correlation-Id`.',
};
