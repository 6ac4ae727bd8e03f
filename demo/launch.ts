import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { EXTENSION_ID, type ExtensionBrowser, launchWithExtension } from './chromium';
import { openDemoTabs, playScriptedCall } from './scripted-call';
import { DEMO_MARCO_TOKEN } from './server';
import { type DemoStack, startDemoStack } from './stack';

const ROOT = resolve(import.meta.dirname, '..');
const USAGE = `Usage: npm run demo [-- --headless [--screenshot FILE]] [--dark] [--team]

  (no options)          opens Chromium with Caller Context, the softphone, the CRM and the shop
                        (without a display: plays the scripted call, as --headless)
  --headless            plays a scripted call without a window; exits 0 only if the sidebar
                        showed the caller and their shop activity
  --screenshot FILE     with --headless: saves a PNG of the CRM tab with the sidebar
  --dark                the CRM in its dark look (the sidebar follows it)
  --team                two more browsers: Alex Agent's (softphone and CRM) for a transfer,
                        and supervisor Sofia Bianchi's Live calls page (README, "Conversations")
  --no-build            use the extension already built in .output/chrome-mv3`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      headless: { type: 'boolean', default: false },
      screenshot: { type: 'string' },
      dark: { type: 'boolean', default: false },
      team: { type: 'boolean', default: false },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.team && values.headless) {
    console.error(`--team opens browser windows: it does not go with --headless.\n\n${USAGE}`);
    return 2;
  }
  if (values.screenshot && !values.headless) {
    console.error(`--screenshot needs --headless.\n\n${USAGE}`);
    return 2;
  }
  if (
    !values.headless &&
    process.platform === 'linux' &&
    !process.env.DISPLAY &&
    !process.env.WAYLAND_DISPLAY
  ) {
    // No window can open here (a server, a container): show the flow the scripted way instead.
    values.headless = true;
    values.screenshot ??= 'caller-context-demo.png';
    console.log(
      'No display to open a browser window on, so this plays the scripted call instead and\n' +
        `saves a picture of the CRM tab to ${values.screenshot}. (With a display, or under\n` +
        'xvfb-run -a, npm run demo opens Chromium for you to click through.)',
    );
  }

  if (!values['no-build']) {
    console.log('Building the extension…');
    const build = spawnSync(resolve(ROOT, 'node_modules', '.bin', 'wxt'), ['build'], {
      cwd: ROOT,
      stdio: values.headless ? 'pipe' : 'inherit',
      encoding: 'utf8',
    });
    if (build.status !== 0) {
      console.error(`The extension did not build.\n${build.stdout ?? ''}${build.stderr ?? ''}`);
      return 1;
    }
  }

  const stack = await startStack();
  console.log(`Gateway (demo source): ${stack.gateway.url}`);
  console.log(`Demo pages:            ${stack.demo.url}`);
  const browser = await launchWithExtension({
    headless: values.headless,
    viewport: values.headless ? { width: 1400, height: 900 } : null,
  });
  const team: ExtensionBrowser[] = [];
  try {
    // The demo CRM's own URL scheme: search by number, open a contact or a case. Cases get their
    // link from this template rather than a `url` in the seed: the seed is the customer-data
    // platform's view, which knows case ids but not where this CRM runs (its port is picked at
    // start), as a real deployment knows its CRM's ids and the admin sets the CRM's address.
    const crmActions = {
      search: `${stack.demo.url}/crm#/search?q={phone}`,
      createContact: `${stack.demo.url}/crm?phone={phone}`,
      createCase: `${stack.demo.url}/crm#/new-case?phone={phone}`,
      openContact: `${stack.demo.url}/crm#/contact/{id}`,
      openCase: `${stack.demo.url}/crm#/case/{id}`,
    };
    // The demo agent is Marco Rossi, Jane Doe's own manager: the IVR routes her calls to him.
    await browser.setAgentSettings({
      gatewayUrl: stack.gateway.url,
      gatewayToken: DEMO_MARCO_TOKEN,
      crmActions,
    });
    const tabs = await openDemoTabs(browser, stack.demo.url);
    if (values.dark) await tabs.crm.page.getByRole('button', { name: 'Dark mode' }).click();
    if (values.team) team.push(...(await openTeam(stack, crmActions)));

    if (!values.headless) {
      console.log(
        '\nChromium is open with Caller Context. In "La Boutique", sign in as a customer and\n' +
          'browse; then ring from the softphone tab and watch the sidebar in the CRM tab.\n' +
          'Close the browser or press Ctrl+C to stop.',
      );
      await new Promise<void>((done) => {
        browser.context.on('close', () => done());
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
      return 0;
    }

    let failure: string | null = null;
    try {
      await playScriptedCall(tabs);
      // In the activity list the agent reads (the insights' evidence holds the same lines, folded).
      const activity = tabs.sidebar.getByRole('list', { name: 'Recent web activity' });
      await activity.getByText('Drip tray for Espresso Pro').first().waitFor({ timeout: 10_000 });
      await activity.getByText('Added to cart').first().waitFor({ timeout: 10_000 });
    } catch (error) {
      failure = error instanceof Error ? (error.message.split('\n')[0] ?? 'failed') : String(error);
    }
    if (values.screenshot) {
      const file = resolve(process.cwd(), values.screenshot);
      await tabs.crm.page.screenshot({ path: file });
      console.log(`Screenshot of the CRM tab: ${file}`);
    }
    if (failure) {
      console.error(`The sidebar did not show the caller and their activity: ${failure}`);
      return 1;
    }
    console.log('The sidebar showed Jane Doe and her shop activity.');
    return 0;
  } finally {
    await Promise.all(team.map((other) => other.close().catch(() => {})));
    await browser.close().catch(() => {});
    await stack.close();
  }
}

/**
 * `--team`: Alex Agent's browser (softphone and CRM, for Marco to hand a call over to) and
 * supervisor Sofia Bianchi's, on the Live calls page. Their tokens are theirs in
 * demo/gateway.config.json (`auth.agents`; Sofia's is marked `supervisor`).
 */
async function openTeam(stack: DemoStack, crmActions: Record<string, string>) {
  const opened: ExtensionBrowser[] = [];
  for (const gatewayToken of ['demo-alex-token', 'demo-sofia-token']) {
    const other = await launchWithExtension({ headless: false, viewport: null });
    opened.push(other);
    await other.setAgentSettings({ gatewayUrl: stack.gateway.url, gatewayToken, crmActions });
  }
  const [alex, sofia] = opened as [ExtensionBrowser, ExtensionBrowser];
  await openDemoTabs(alex, stack.demo.url);
  const liveCalls = await sofia.context.newPage();
  await liveCalls.goto(`chrome-extension://${EXTENSION_ID}/live-calls.html`);
  console.log(
    '\nTwo more browsers: Alex Agent (softphone and CRM) and supervisor Sofia Bianchi (Live\n' +
      'calls). Ring as Jane Doe in Marco\'s softphone, answer, press "Hand over" in his sidebar\n' +
      "and write a note; then ring as Jane Doe in Alex's softphone: his sidebar opens with\n" +
      'Marco\'s note. Sofia\'s page lists both agents and the call; "Listen in" joins it.',
  );
  return opened;
}

/** The demo's usual ports (those the extension's defaults name), or free ones if taken. */
async function startStack(): Promise<DemoStack> {
  try {
    return await startDemoStack({ gatewayPort: 8787, demoPort: 8788 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    console.log('Ports 8787/8788 are taken; using free ports instead.');
    return startDemoStack({ gatewayPort: 0, demoPort: 0 });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
