export { describeEachBackend, TEST_BACKENDS } from './describe-each-backend.js';
export { expectNoLeaks } from './expect-no-leaks.js';
