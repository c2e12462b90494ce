// The globals @web/test-runner's mocha provides (its own types are not installed).
declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: () => unknown): void;
declare function beforeEach(body: () => unknown): void;
declare function afterEach(body: () => unknown): void;
