import { expect, ring, sidebarFrame, test } from './fixtures';

test('a failing source is a small notice with Retry, which looks the caller up again', async ({
  extension,
  stack,
}) => {
  // The gateway's first answer reports one source down (as it does when a platform times out);
  // later answers are the gateway's own.
  let contextRequests = 0;
  await extension.context.route(`${stack.gateway.url}/v1/context**`, async (route) => {
    contextRequests += 1;
    if (contextRequests > 1) return route.continue();
    const response = await route.fetch();
    const body = (await response.json()) as { errors: { source: string; message: string }[] };
    body.errors.push({
      source: 'aep',
      message: 'Adobe Experience Platform did not answer in time',
    });
    return route.fulfill({ response, json: body });
  });

  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  // The sources that answered still show.
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  const notice = sidebar
    .getByRole('status')
    .filter({ hasText: 'aep: Adobe Experience Platform did not answer in time' });
  await expect(notice).toBeVisible();

  await notice.getByRole('button', { name: 'Retry' }).click();
  await expect(notice).toHaveCount(0);
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  expect(contextRequests).toBe(2);
});

test('a lookup that failed whole offers Retry too', async ({ extension, stack }) => {
  let contextRequests = 0;
  await extension.context.route(`${stack.gateway.url}/v1/context**`, async (route) => {
    contextRequests += 1;
    if (contextRequests > 1) return route.continue();
    return route.fulfill({
      status: 503,
      json: { error: { code: 'unavailable', message: 'every source is down' } },
    });
  });
  const crm = await extension.context.newPage();
  await crm.goto(`${stack.demo.url}/crm`);
  const sidebar = await sidebarFrame(crm);
  await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
  const alert = sidebar.getByRole('alert');
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: 'Retry' }).click();
  await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
  await expect(sidebar.getByRole('alert')).toHaveCount(0);
});
