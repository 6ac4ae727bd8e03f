import { build } from 'esbuild';

/** Where `npm run build:gateway` writes the self-contained gateway (no node_modules needed). */
export const GATEWAY_BUNDLE_DIR = '.output/gateway';

/**
 * Bundles the gateway's entry points (`main.mjs` for Node and containers, `lambda.mjs` for AWS
 * Lambda) with every dependency, so a deployment copies one folder and runs `node`.
 */
export async function bundleGateway(outdir = GATEWAY_BUNDLE_DIR): Promise<void> {
  await build({
    entryPoints: { main: 'gateway/main.ts', lambda: 'gateway/lambda.ts' },
    outdir,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outExtension: { '.js': '.mjs' },
    // Some dependencies are CommonJS and call require() for Node built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  bundleGateway().then(
    () => console.log(`Gateway bundled into ${GATEWAY_BUNDLE_DIR}/ (main.mjs, lambda.mjs)`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
