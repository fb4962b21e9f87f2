import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from './paths';
import { run } from './process-utils';
import { requireMaven } from './engine';

/**
 * The OpenSearch modules that the integ-test-zip leaves out (it has transport-netty4 only) and the
 * search adapter needs: analysis-common (the `english` analyzer and the other built-in analyzers)
 * and lang-painless (scripting). Maven Central has their jars (org.opensearch.plugin:<name>) but not
 * the module folders of the full distribution, so this resolves the jars with their runtime
 * dependencies and lays each out as modules/<name>/ with a plugin-descriptor.properties modelled on
 * the shipped modules/transport-netty4 one (and the security policy the real module ships).
 */
interface ModuleSpec {
  /** Plugin name, folder under modules/ and artifactId under org.opensearch.plugin. */
  name: string;
  description: string;
  /** Plugin class candidates, first found in the jar wins (2.x name, then the 3.x one). */
  classnames: string[];
  extendedPlugins: string[];
  securityPolicy?: string;
}

const MODULES: readonly ModuleSpec[] = [
  {
    name: 'lang-painless',
    description: 'An easy, safe and fast scripting language for OpenSearch',
    classnames: [
      'org.opensearch.painless.PainlessPlugin',
      'org.opensearch.painless.PainlessModulePlugin',
    ],
    extendedPlugins: [],
    // As in OpenSearch's modules/lang-painless/src/main/plugin-metadata/plugin-security.policy.
    securityPolicy: [
      'grant {',
      '  // needed to generate runtime classes',
      '  permission java.lang.RuntimePermission "createClassLoader";',
      '',
      '  // needed to find the classloader to load whitelisted classes from',
      '  permission java.lang.RuntimePermission "getClassLoader";',
      '};',
      '',
    ].join('\n'),
  },
  {
    name: 'analysis-common',
    description: 'Adds "built in" analyzers to OpenSearch.',
    classnames: [
      'org.opensearch.analysis.common.CommonAnalysisPlugin',
      'org.opensearch.analysis.common.CommonAnalysisModulePlugin',
    ],
    // Its painless whitelist extension (AnalysisPainlessExtension) loads through lang-painless.
    extendedPlugins: ['lang-painless'],
  },
];

/** Written in the distribution once every module is in place; its content says which. */
const markerOf = (home: string): string => join(home, '.mercato-modules');

/**
 * Resolves org.opensearch.plugin:<module>:<version> and its runtime dependencies, one folder a
 * module, into the user cache, once. One Maven run over a small reactor (a child pom a module).
 * org.opensearch:* is excluded: the core jars are already in the distribution's lib/.
 */
function resolveModuleJars(version: string): Map<string, string> {
  const root = join(cacheDir(), `opensearch-modules-${version}`);
  const jarsOf = (name: string): string => join(root, name, 'target', 'dependency');
  const result = new Map(MODULES.map((m) => [m.name, jarsOf(m.name)]));
  if (existsSync(join(root, '.complete'))) return result;
  requireMaven('OpenSearch modules');
  rmSync(root, { recursive: true, force: true });
  const header = (artifactId: string, packaging: string): string =>
    `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>mercato.infra</groupId><artifactId>${artifactId}</artifactId><version>1</version>
  <packaging>${packaging}</packaging>`;
  for (const { name } of MODULES) {
    mkdirSync(join(root, name), { recursive: true });
    writeFileSync(
      join(root, name, 'pom.xml'),
      `${header(`opensearch-module-${name}`, 'pom')}
  <dependencies>
    <dependency>
      <groupId>org.opensearch.plugin</groupId><artifactId>${name}</artifactId><version>${version}</version>
      <exclusions><exclusion><groupId>org.opensearch</groupId><artifactId>*</artifactId></exclusion></exclusions>
    </dependency>
  </dependencies>
</project>
`,
    );
  }
  writeFileSync(
    join(root, 'pom.xml'),
    `${header('opensearch-modules', 'pom')}
  <modules>${MODULES.map((m) => `<module>${m.name}</module>`).join('')}</modules>
</project>
`,
  );
  run('mvn', ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime'], {
    cwd: root,
    what: `Resolving OpenSearch modules ${MODULES.map((m) => m.name).join(', ')} ${version} with Maven`,
  });
  for (const { name } of MODULES) {
    if (!existsSync(join(jarsOf(name), `${name}-${version}.jar`))) {
      throw new Error(`Maven finished but ${jarsOf(name)} has no ${name}-${version}.jar`);
    }
  }
  writeFileSync(join(root, '.complete'), new Date().toISOString());
  return result;
}

/** The plugin class among the candidates that the jar holds (a zip lists entry names in clear). */
function pluginClass(spec: ModuleSpec, jar: string): string {
  const bytes = readFileSync(jar);
  const found = spec.classnames.find((c) => bytes.includes(`${c.replaceAll('.', '/')}.class`));
  if (!found) {
    throw new Error(`${jar} holds none of the plugin classes ${spec.classnames.join(', ')}`);
  }
  return found;
}

/**
 * plugin-descriptor.properties for `spec`, from the distribution's transport-netty4 descriptor:
 * same keys (so whatever this OpenSearch version requires), java.version, opensearch.version and
 * has.native.controller kept, the module's own values put in.
 */
function descriptor(home: string, spec: ModuleSpec, classname: string, version: string): string {
  const template = readFileSync(
    join(home, 'modules', 'transport-netty4', 'plugin-descriptor.properties'),
    'utf8',
  );
  const values: Record<string, string> = {
    description: spec.description,
    version,
    name: spec.name,
    classname,
    'custom.foldername': '',
    'extended.plugins': spec.extendedPlugins.join(','),
  };
  const seen = new Set<string>();
  const lines = template.split('\n').map((line) => {
    const match = /^([A-Za-z][\w.]*)=/.exec(line);
    if (!match || !(match[1] in values)) return line;
    seen.add(match[1]);
    return `${match[1]}=${values[match[1]]}`;
  });
  for (const [key, value] of Object.entries(values)) {
    if (!seen.has(key)) lines.push(`${key}=${value}`);
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/**
 * Puts analysis-common and lang-painless into `home`/modules (idempotent: a marker in `home` makes
 * re-runs a file read). Each folder is built aside and renamed in, so OpenSearch never sees half a
 * module; `chownTo` (user:group) owns them when given.
 */
export function provisionOpenSearchModules(home: string, version: string, chownTo?: string): void {
  const marker = markerOf(home);
  const wanted = `${MODULES.map((m) => m.name).join(',')} ${version}\n`;
  if (existsSync(marker) && readFileSync(marker, 'utf8') === wanted) return;
  const jars = resolveModuleJars(version);
  // Not under modules/: OpenSearch takes every entry there for a module.
  const staging = join(home, '.mercato-modules-staging');
  rmSync(staging, { recursive: true, force: true });
  for (const spec of MODULES) {
    const from = jars.get(spec.name)!;
    const to = join(staging, spec.name);
    mkdirSync(to, { recursive: true });
    for (const jar of readdirSync(from).filter((f) => f.endsWith('.jar'))) {
      copyFileSync(join(from, jar), join(to, jar));
    }
    const classname = pluginClass(spec, join(to, `${spec.name}-${version}.jar`));
    writeFileSync(
      join(to, 'plugin-descriptor.properties'),
      descriptor(home, spec, classname, version),
    );
    if (spec.securityPolicy) writeFileSync(join(to, 'plugin-security.policy'), spec.securityPolicy);
  }
  run('chmod', ['-R', 'a+rX', staging], { what: 'chmod OpenSearch modules' });
  if (chownTo) run('chown', ['-R', chownTo, staging], { what: 'chown OpenSearch modules' });
  for (const spec of MODULES) {
    const target = join(home, 'modules', spec.name);
    rmSync(target, { recursive: true, force: true });
    renameSync(join(staging, spec.name), target);
  }
  rmSync(staging, { recursive: true, force: true });
  writeFileSync(marker, wanted);
}
