// The web pages in a real browser (Debian's chromium through playwright-core): sign in,
// read the dashboard, follow a metric value to its explain view, try a page the role may
// not see, read what plumb holds about the user (/me), check the pages work with
// JavaScript off and from the keyboard, sign out.
// Usage: node pages.mjs BASE_URL USER PASSWORD SCREENSHOT_DIR
// Prints "ok ..." lines; on a failed check prints "FAIL: ..." and exits 1.
import { chromium } from 'playwright-core';

const [base, user, password, shots] = process.argv.slice(2);
if (!shots) {
  console.error('usage: node pages.mjs BASE_URL USER PASSWORD SCREENSHOT_DIR');
  process.exit(2);
}

function check(cond, what) {
  if (!cond) throw new Error(what);
  console.log(`ok   ${what}`);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
         '--disable-component-update', '--no-first-run'],
});
let failed = false;
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  const shot = (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
  // Every page is served under a content security policy; none may need more than it allows.
  const blocked = [];
  // What a page loads beside itself (its icon) must load: a refused page is the only error.
  const unloaded = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) blocked.push(m.text());
    if (m.type() === 'error' && /Failed to load resource/.test(m.text()) &&
        new URL(m.location().url).pathname !== new URL(page.url()).pathname)
      unloaded.push(m.location().url);
  });

  // An unsigned visit lands on the sign-in form, which names its fields with labels.
  let resp = await page.goto(`${base}/`);
  check(page.url().startsWith(`${base}/signin`), 'an unsigned visit is sent to the sign-in page');
  check(await page.getByLabel('User (employee id)').count() === 1, 'the user field has a label');
  check(await page.getByLabel('Password').count() === 1, 'the password field has a label');
  await shot('1-signin');

  // A wrong password: the form again, with a message.
  await page.getByLabel('User (employee id)').fill(user);
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
  await shot('1b-wrong-password');
  check((await page.getByRole('alert').textContent()).includes('wrong user name or password'),
        'a wrong password is refused with a message');

  await page.getByLabel('User (employee id)').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  check(await page.getByRole('heading', { level: 1 }).textContent() === 'Engineering dashboard',
        'signed in, the dashboard opens');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'plumb_session');
  check(session && session.httpOnly && session.sameSite === 'Strict',
        'the session cookie is HttpOnly and SameSite=Strict');
  const rows = await page.locator('table tbody tr').count();
  check(rows > 0, `the dashboard shows ${rows} rows`);
  check(await page.locator('svg').count() > 0, 'the dashboard draws trend charts as inline SVG');
  await shot('2-dashboard');

  // Follow a value to its explanation, down to the source records.
  const link = page.locator('a[href^="/metric-values/"]').first();
  await link.click();
  await page.waitForURL(/\/metric-values\/\d+$/);
  const text = await page.locator('main').textContent();
  check(text.includes('Raw payload') && /[0-9a-f]{64}/.test(text),
        'the explain view lists the records behind the value, with their raw payloads\' SHA-256');
  await shot('3-explain');

  // A page the role may not see: 403, with an explanation, inside the site's layout.
  resp = await page.goto(`${base}/audit`);
  check(resp.status() === 403, `the audit page is refused to ${user} (403)`);
  check((await page.locator('main').textContent()).includes('admin'),
        'the refusal says which role it needs');
  await shot('4-forbidden');

  // My data: what plumb holds about the signed-in person, and the export behind its link.
  resp = await page.goto(`${base}/me`);
  check(resp.status() === 200 &&
        await page.getByRole('heading', { level: 1 }).textContent() === 'What plumb holds about you',
        'the My data page opens from the navigation');
  check(await page.getByRole('table', { name: /Every data category held about you/ }).count() === 1,
        'it lists the data categories held, with sources, mechanisms and retention');
  const exported = await page.request.get(`${base}/api/v1/me/export`);
  check(exported.status() === 200 && (await exported.json()).report.employee_id === user,
        'its download link gives the subject access export as JSON');
  await shot('4b-my-data');

  // No other site may frame the pages, and nothing on them was blocked by their policy.
  resp = await page.goto(`${base}/`);
  const csp = resp.headers()['content-security-policy'] || '';
  check(csp.includes("frame-ancestors 'none'") && resp.headers()['x-frame-options'] === 'DENY',
        'pages may not be framed by another site (CSP frame-ancestors, X-Frame-Options)');
  check(blocked.length === 0, `no page needed what its content security policy blocks${blocked.length ? ': ' + blocked[0] : ''}`);
  check(unloaded.length === 0, `every page's icon and the like loaded${unloaded.length ? ': not ' + unloaded[0] : ''}`);

  // Keyboard: the first Tab reaches the skip link, which leads to the content.
  await page.goto(`${base}/`);
  await page.keyboard.press('Tab');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.textContent);
  check(/skip/i.test(focused || ''), 'the first Tab focuses the skip link');

  // With JavaScript off the pages read the same.
  const nojs = await browser.newContext({ javaScriptEnabled: false });
  await nojs.addCookies([session]);
  const p2 = await nojs.newPage();
  await p2.goto(`${base}/`);
  check(await p2.locator('table tbody tr').count() === rows, 'the dashboard reads the same with JavaScript off');
  await nojs.close();

  // Sign out: the form posts the CSRF token; afterwards the session is gone.
  await page.getByRole('button', { name: /sign out/i }).click();
  await page.waitForURL(/\/signin/);
  resp = await page.goto(`${base}/`);
  check(page.url().startsWith(`${base}/signin`), 'after signing out the pages ask to sign in again');
  await shot('5-signed-out');
} catch (e) {
  console.log(`FAIL: ${e.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
