import { CHECKOUT_TEST_ENV } from './support/checkout.specs';
import { startEmbeddedStore } from './support/embedded-store';
import { storeApiSuite } from './support/store-api.suite';

/** The embedded store exactly as `npm start` runs it: in-process bus, in-process dynalite. */
storeApiSuite('embedded store (npm start)', () => startEmbeddedStore(CHECKOUT_TEST_ENV));
