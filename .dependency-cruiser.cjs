/**
 * The layering rules (`npm run lint`; ARCHITECTURE.md, "The rules of the layout"): platform is shared plumbing,
 * integrations talk to the outside world, features hold the rules and reach each
 * other only through their public entry (index.ts); simulators never reach src/; shared/ (pure code
 * the server, the simulator and the portal share) imports nothing else.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Circular imports hide the real dependency direction; break the cycle.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-imports-no-feature',
      severity: 'error',
      comment: 'src/platform is shared plumbing: it may not know any feature or integration.',
      from: { path: '^src/platform/' },
      to: { path: '^src/(features|integrations)/' },
    },
    {
      name: 'integrations-import-no-feature',
      severity: 'error',
      comment: 'src/integrations speaks to the outside world; the rules that use it live in features.',
      from: { path: '^src/integrations/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'feature-through-public-entry',
      severity: 'error',
      comment: 'A feature is reached from outside only through its index.ts.',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/[^/]+/', pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-through-public-entry',
      severity: 'error',
      comment: 'The composition root, workers, tests, scripts and benchmarks use a feature through its index.ts too.',
      from: { pathNot: '^src/features/' },
      to: { path: '^src/features/[^/]+/', pathNot: '^src/features/[^/]+/index\\.ts$' },
    },
    {
      name: 'sales-core-knows-no-sales-feature',
      severity: 'error',
      comment: 'transacciones is the core of a sale (model, store, state machine, outcomes): checkout, webhooks and ventas build on it, never the reverse.',
      from: { path: '^src/features/transacciones/' },
      to: { path: '^src/features/(checkout|webhooks|ventas)/' },
    },
    {
      name: 'sales-features-side-by-side',
      severity: 'error',
      comment: 'checkout (selling), webhooks (gateway notices) and ventas (the admin\'s sales) share only the transacciones core, not each other.',
      from: { path: '^src/features/(checkout|webhooks|ventas)/' },
      to: { path: '^src/features/(checkout|webhooks|ventas)/', pathNot: '^src/features/$1/' },
    },
    {
      name: 'production-imports-no-simulator',
      severity: 'error',
      comment: 'The RouterOS simulator and the gateway sandboxes are for the demo and tests only.',
      from: { path: '^(src|workers)/' },
      to: { path: '^sim/' },
    },
    {
      name: 'shared-is-pure',
      severity: 'error',
      comment: 'shared/ holds pure modules the server, the simulator and the portal bundle all import: it imports nothing outside shared/.',
      from: { path: '^shared/' },
      to: { pathNot: '^shared/' },
    },
    {
      name: 'portal-stays-in-the-browser',
      severity: 'error',
      comment: 'The captive portal (portal/src, bundled for old phones) imports only its own modules and shared/.',
      from: { path: '^portal/src/' },
      to: { pathNot: '^(portal/src|shared)/' },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^node_modules|^panel/dist|^coverage)' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js', '.json', '.d.ts'] },
  },
};
