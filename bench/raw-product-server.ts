/**
 * The reference server of the benchmarks (docs/performance.md): plain `node:http` serving the same
 * product JSON the store serves, serialised per request. Mercato's figures are reported as a
 * ratio to this one, measured in the same run on the same core.
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const [, , productsFile, portArg] = process.argv;
const products = new Map<string, unknown>(
  Object.entries(JSON.parse(readFileSync(productsFile, 'utf8')) as Record<string, unknown>),
);

const server = createServer((request, response) => {
  const id = request.url?.startsWith('/v1/products/')
    ? request.url.slice('/v1/products/'.length)
    : '';
  const product = products.get(id);
  if (!product) {
    response.writeHead(404).end();
    return;
  }
  const body = JSON.stringify(product);
  response.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
});

server.listen(Number(portArg), '127.0.0.1', () => process.send?.('ready'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
