import { defineConfig } from 'wxt';

// The extension's fixed ID is derived from this public key (see README): admins force-install
// it and push policy for `3rdparty.extensions.<id>`, so the ID must never change.
const PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsPnQsFJQOvyFTYIq/rtsHik6jZ+1adVbng2wQ6HL+xiyGSFNWqFRjGJfizYbpCmSV/yq91E8E4asdfaz1fLfOQRLB8c3sbTcgCdlKI6sFIjE9rXHr+b58yUnfGBQJqzxULzEerGUKo/atS9XouFHrVpOHg89gz20ddgJ3Flqldcf8f7F56rXbOyMh6jcUClGhxSCevZdPVMOC7BX0NXzuEznVXyK7aRWfMzm48SLOcLS4GxJJd3j9LhFzBhXcs+3mQnjbqZ66JKz925MMeKTBld5hksJyegq6hkUdByxF5b8jzXEWbaW6tuFeaxiWbimG+gko7rF55JhyRT48+N0QwIDAQAB';

export default defineConfig({
  srcDir: '.',
  entrypointsDir: 'extension',
  publicDir: 'extension/public',
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  webExt: { disabled: true },
  manifest: ({ browser }) => ({
    name: 'Caller Context',
    description:
      "The caller's profile and live web activity beside your CRM, before you say hello.",
    ...(browser === 'firefox'
      ? { browser_specific_settings: { gecko: { id: 'caller-context@callercontext.example.com' } } }
      : { key: PUBLIC_KEY }),
    permissions: ['storage', 'alarms', 'unlimitedStorage'],
    storage: { managed_schema: 'managed-schema.json' },
    web_accessible_resources: [
      {
        resources: ['sidebar.html'],
        matches: ['http://127.0.0.1/*', 'http://localhost/*'],
      },
    ],
  }),
});
