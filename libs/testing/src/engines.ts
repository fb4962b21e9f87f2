/**
 * Real-engine suites take their endpoints from the environment (the integration project's
 * global setup fills it from scripts/infra). The policy (CONTRIBUTING.md, Tests): outside CI a
 * missing engine skips the suite with a loud message; with CI=true the suite fails.
 */
export function describeWithEngines(
  title: string,
  variables: readonly string[],
  body: (endpoints: Record<string, string>) => void,
): void {
  const missing = variables.filter((name) => !process.env[name]);
  if (missing.length === 0) {
    const endpoints = Object.fromEntries(variables.map((name) => [name, process.env[name]!]));
    describe(title, () => body(endpoints));
    return;
  }
  const advice = `start the engines with \`bash scripts/infra/engines.sh start\` or set ${missing.join(', ')}`;
  if (process.env.CI === 'true') {
    describe(title, () => {
      it(`has its engines under CI (${missing.join(', ')})`, () => {
        throw new Error(`CI=true but ${missing.join(', ')} is not set: ${advice}`);
      });
    });
    return;
  }
  console.warn(`\n*** SKIPPED: ${title} needs ${missing.join(', ')}; ${advice}. ***\n`);
  describe.skip(title, () => it('needs real engines', () => undefined));
}
