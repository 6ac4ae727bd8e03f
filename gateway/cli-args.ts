import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const DEMO_CONFIG_FILE = fileURLToPath(
  new URL('../demo/gateway.config.json', import.meta.url),
);

export interface CliArgs {
  configFile: string;
  positionals: string[];
  help: boolean;
}

/** `--config FILE` (the demo config when left out), `--help`, and positional arguments. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
    strict: true,
  });
  return {
    configFile: values.config ?? DEMO_CONFIG_FILE,
    positionals,
    help: values.help ?? false,
  };
}

/** The message of an error a CLI shows to an admin (config problems, bad arguments). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
