/**
 * Architecture rules (DESIGN §2), checked by `npm run lint:deps` and proven able to fail, one
 * fixture per rule, by tests/architecture/dependency-rules.test.ts. Rule names are stable: the test
 * asserts on them.
 *
 * Paths are relative to the project root. `$1` in a `to` pattern is the group the `from` pattern
 * captured (the module's name), so "its own module" can be expressed.
 */
const { SHARED_IMPURE, SHARED_LAYERS } = require('./.dependency-cruiser.shared.cjs');

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One alternation of server/shared paths: a folder (`db/`) stands for what is under it. */
const sharedPaths = (names) =>
  `(${names.map((name) => escape(name) + (name.endsWith('/') ? '' : '$')).join('|')})`;

/** One rule per layer of server/shared but the top one: nothing in it imports from above. */
const sharedLayerRules = SHARED_LAYERS.slice(0, -1).map((layer, index) => ({
  name: 'shared-layers-point-down',
  severity: 'error',
  comment: `server/shared/{${layer.join(',')}} imports its own layer and those below it, never one above (.dependency-cruiser.shared.cjs).`,
  from: { path: `^server/shared/(${layer.join('|')})/` },
  to: {
    path: '^server/shared/',
    pathNot: `^server/shared/(${SHARED_LAYERS.slice(0, index + 1)
      .flat()
      .join('|')})/`,
  },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports hide layering mistakes and break module initialisation order.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-stays-pure',
      severity: 'error',
      comment:
        "A module's domain imports only its own domain and server/shared pure helpers (no npm packages, no I/O, no other layer). Its unit tests may import the test runner.",
      from: { path: '^server/modules/([^/]+)/domain/', pathNot: '\\.test\\.ts$' },
      to: {
        dependencyTypesNot: ['core'],
        pathNot: ['^server/modules/$1/domain/', `^server/shared/(?!${sharedPaths(SHARED_IMPURE)})`],
      },
    },
    {
      name: 'application-not-to-transport-or-infrastructure',
      severity: 'error',
      comment:
        'Use-cases depend on ports (interfaces in application/ or domain/), never on adapters or transport.',
      from: { path: '^server/modules/([^/]+)/application/' },
      to: { path: '^server/modules/[^/]+/(transport|infrastructure)/' },
    },
    {
      name: 'infrastructure-only-domain-and-ports',
      severity: 'error',
      comment:
        'An adapter implements application ports (application/<name>.port.ts, one port a file) with domain types; it never calls transport, use-cases or a deps file.',
      from: { path: '^server/modules/([^/]+)/infrastructure/' },
      to: { path: '^server/modules/$1/(transport/|application/(?![^/]*\\.port\\.ts$))' },
    },
    {
      name: 'transport-not-to-infrastructure',
      severity: 'error',
      comment:
        'transport -> application -> domain: handlers call use-cases, never repositories or adapters.',
      from: { path: '^server/modules/([^/]+)/transport/' },
      to: { path: '^server/modules/$1/infrastructure/' },
    },
    {
      name: 'modules-only-through-index',
      severity: 'error',
      comment:
        'A module reaches another only through its public index.ts (use-cases and event types), never its internals.',
      from: { path: '^server/modules/([^/]+)/' },
      to: {
        path: '^server/modules/[^/]+/',
        pathNot: ['^server/modules/$1/', '^server/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'outside-modules-only-through-index',
      severity: 'error',
      comment:
        'The composition root and everything outside server/modules reach a module only through its index.ts.',
      from: { path: '^(server|frontends|codegen|generated)/', pathNot: '^server/modules/' },
      to: { path: '^server/modules/[^/]+/', pathNot: '^server/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'shared-not-to-modules',
      severity: 'error',
      comment: 'server/shared is cross-cutting: modules depend on it, never the reverse.',
      from: { path: '^server/shared/' },
      to: { path: '^server/modules/' },
    },
    ...sharedLayerRules,
    {
      name: 'production-not-to-dev',
      severity: 'error',
      comment:
        'server/dev is the `npm start` launcher and its demo data: production code (the rest of server/) never imports it.',
      from: { path: '^server/', pathNot: '^server/dev/' },
      to: { path: '^server/dev/' },
    },
    {
      name: 'server-not-to-frontends',
      severity: 'error',
      comment:
        'The server ships no frontend code; only the development launcher (server/dev) starts the frontends beside it.',
      from: { path: '^server/', pathNot: '^server/dev/' },
      to: { path: '^frontends/' },
    },
    {
      name: 'frontends-not-to-server',
      severity: 'error',
      comment: 'The frontends talk to the server over HTTP/WS through generated clients only.',
      from: { path: '^frontends/' },
      to: { path: '^server/' },
    },
    {
      name: 'nothing-imports-tests',
      severity: 'error',
      comment: 'Production code and tooling never depend on test code or fixtures.',
      from: { pathNot: '^tests/' },
      to: { path: '^tests/' },
    },
    {
      name: 'generated-self-contained',
      severity: 'error',
      comment:
        'generated/ is derived from the contracts alone; it imports npm packages and itself, nothing hand-written.',
      from: { path: '^generated/' },
      to: { path: '^(server|frontends|codegen|tests)/' },
    },
  ],
  options: {
    // Packages are leaves (not followed) but not excluded: an excluded package drops out of the
    // graph, and domain-stays-pure could not see a domain import one.
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)tests/(architecture|codegen)/fixtures/' },
    // Type-only imports are dependencies too: a domain importing a transport type is still coupled to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
