import { defineConfig } from 'wxt';
import { sidebarMatches } from './extension/frame/crm-platforms';

// The extension's fixed ID is derived from this public key (see README): admins force-install
// it and push policy for `3rdparty.extensions.<id>`, so the ID must never change.
const PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsPnQsFJQOvyFTYIq/rtsHik6jZ+1adVbng2wQ6HL+xiyGSFNWqFRjGJfizYbpCmSV/yq91E8E4asdfaz1fLfOQRLB8c3sbTcgCdlKI6sFIjE9rXHr+b58yUnfGBQJqzxULzEerGUKo/atS9XouFHrVpOHg89gz20ddgJ3Flqldcf8f7F56rXbOyMh6jcUClGhxSCevZdPVMOC7BX0NXzuEznVXyK7aRWfMzm48SLOcLS4GxJJd3j9LhFzBhXcs+3mQnjbqZ66JKz925MMeKTBld5hksJyegq6hkUdByxF5b8jzXEWbaW6tuFeaxiWbimG+gko7rF55JhyRT48+N0QwIDAQAB';

/** `wxt build|zip --mode enterprise`: the package for admins who name CRMs of their own. */
const ENTERPRISE = process.argv.includes('enterprise');

/** Host access to every site: optional in the default package, declared in the enterprise one. */
const ANY_SITE = ['https://*/*', 'http://*/*'];

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'extension',
  publicDir: 'extension/public',
  // A second build beside the default one (see demo/chromium.ts).
  outDir: process.env.WXT_OUT_DIR ?? '.output',
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  webExt: { disabled: true },
  zip: {
    artifactTemplate: ENTERPRISE
      ? '{{name}}-{{version}}-{{browser}}-enterprise.zip'
      : '{{name}}-{{version}}-{{browser}}.zip',
  },
  hooks: {
    // Content scripts use only synchronous `runtime.id`/`getURL`, which need no promise
    // polyfill; bundling webextension-polyfill into them cost ~10 KB per script. Extension pages
    // and the worker keep it. (The module aliases `wxt/browser` to the polyfill for every build.)
    'vite:build:extendConfig': (entrypoints, viteConfig) => {
      if (!entrypoints.every((e) => e.type === 'content-script')) return;
      viteConfig.resolve ??= {};
      const alias = viteConfig.resolve.alias;
      const plain = { find: /^wxt\/browser$/, replacement: '@wxt-dev/browser' };
      viteConfig.resolve.alias = Array.isArray(alias)
        ? [plain, ...alias]
        : [
            plain,
            ...Object.entries(alias ?? {}).map(([find, replacement]) => ({
              find,
              replacement: String(replacement),
            })),
          ];
    },
  },
  // `--mode enterprise` (npm run build:enterprise): the package an admin force-installs to show
  // the sidebar and read admin rules on any origin their policy names, with no agent granting
  // access. It declares host access to every site, which the default package asks for per origin
  // (docs/deploy.md, "Which package").
  manifest: ({ browser, mode }) => ({
    name: 'Caller Context',
    description:
      "The caller's profile and live web activity beside your CRM, before you say hello.",
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            gecko: {
              id: 'caller-context@callercontext.example.com',
              // It reads callers' numbers and addresses from the agent's tabs and sends them to
              // the organisation's own gateway to look the caller up.
              data_collection_permissions: { required: ['personallyIdentifyingInfo'] },
            },
          },
        }
      : {
          key: PUBLIC_KEY,
          // The sidebar's light and dark colours are light-dark() pairs (Chrome and Edge 123).
          minimum_chrome_version: '123',
        }),
    // scripting + optional hosts: admin-rule pages get the detector script once granted.
    permissions: [
      'storage',
      'identity',
      'scripting',
      'alarms',
      'unlimitedStorage',
      ...(browser === 'firefox' ? [] : ['sidePanel']),
    ],
    ...(mode === 'enterprise'
      ? { host_permissions: ANY_SITE }
      : { optional_host_permissions: ANY_SITE }),
    ...(browser === 'firefox'
      ? {}
      : {
          // sidebarPlacement "sidePanel": the same sidebar page in Chrome's side panel.
          side_panel: { default_path: 'sidebar.html' },
          action: { default_title: 'Caller Context' },
        }),
    storage: { managed_schema: 'managed-schema.json' },
    // The sidebar page is framed in CRM pages. A page that frames a copy of its own gets no caller
    // (the frame secret, background/sidebar-frames.ts); the matches only limit who can load it.
    web_accessible_resources: [
      {
        resources: ['sidebar.html'],
        matches: mode === 'enterprise' ? ANY_SITE : [...sidebarMatches],
      },
    ],
  }),
});
