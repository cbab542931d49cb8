// The review pages in a real browser (Debian's chromium through playwright-core): an
// employee fills in and submits their self review with JavaScript off; a peer saves a
// draft, finds it again and submits; the manager's review is refused with its message and
// the entered values kept, then submitted with ratings, an evidence row, reasons for no
// evidence and the case; the score shows its arithmetic and the packet its sections.
// Usage: node reviews.mjs BASE_URL PASSWORD SCREENSHOT_DIR
// (users E101, E102 and M001 of tests/cli/cases/server-browser-reviews.sh, cycle a26).
// Prints "ok ..." lines; on a failed check prints "FAIL: ..." and exits 1.
import { chromium } from 'playwright-core';

const [base, password, shots] = process.argv.slice(2);
if (!shots) {
  console.error('usage: node reviews.mjs BASE_URL PASSWORD SCREENSHOT_DIR');
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

// A new browser for user, signed in from the Reviews page's own redirect.
async function signIn(user, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  await page.goto(`${base}/reviews`);
  await page.getByLabel('User (employee id)').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/reviews`);
  return { context, page, shot: (name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true }) };
}

// Click and wait for the page the click loads; its response.
async function submit(page, button) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
  return resp;
}

const h1 = (page) => page.getByRole('heading', { level: 1 }).textContent();
const mainText = (page) => page.locator('main').textContent();

let failed = false;
try {
  // ---- the employee's self review, with JavaScript off: plain HTML forms.
  {
    const { context, page, shot } = await signIn('E101', { javaScriptEnabled: false });
    check(await h1(page) === 'Reviews', 'E101 lands on the Reviews page');
    check(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Reviews' }).count() === 1,
          'the navigation links to Reviews');
    await page.getByRole('link', { name: 'Write your self review' }).click();
    await page.waitForURL(`${base}/cycles/a26/feedback/E101?relation=self`);
    check(await h1(page) === 'Self review', 'the self review form opens from the work list');
    await page.getByLabel('What should they keep doing?').fill('Shipped the ledger migration <without> downtime');
    await page.getByLabel('What should they do differently?').fill('Write the design down before building');
    await page.getByLabel('Delivery', { exact: true }).selectOption({ label: '4 - Exceeds expectations' });
    await page.getByLabel('Comments (optional)').fill('A good year.');
    await shot('r1-self-review');
    const resp = await submit(page, 'Submit');
    check(resp.status() === 200 && page.url().startsWith(`${base}/reviews?saved=submitted`),
          'submitting goes back to Reviews');
    check((await page.getByRole('status').textContent()).includes('Your self review in cycle a26: submitted (version 1)'),
          'with a confirmation');
    const row = page.getByRole('table', { name: /Cycle a26/ }).getByRole('row', { name: /Self review/ });
    check((await row.textContent()).includes('done'), 'the self review is done on /reviews');
    await page.getByRole('link', { name: 'a26', exact: true }).click();
    await page.waitForURL(`${base}/cycles/a26`);
    const people = page.getByRole('table', { name: /Reviewees you may see/ });
    check(await people.getByRole('row').count() === 2, 'the employee sees only their own row on the progress page');
    check((await people.getByRole('row', { name: /Lukas Schmidt/ }).textContent()).includes('done'),
          'and their self review is done there');
    const progress = page.getByRole('table', { name: /Active assignments done/ }).getByRole('row', { name: /self_review/ });
    check((await progress.innerText()).replace(/\s+/g, ' ').includes('self_review payments 1 1 0 100%'),
          'the completion table counts it');
    await shot('r2-progress-employee');
    await context.close();
  }

  // ---- a peer: a draft, found again, then submitted.
  {
    const { context, page, shot } = await signIn('E102');
    await page.getByRole('link', { name: 'Peer feedback for Lukas Schmidt' }).click();
    check(await h1(page) === 'Peer feedback for Lukas Schmidt', 'E102 opens the peer feedback form');
    // Pasted with a blank line first: HTML drops a newline right after <textarea>, so the
    // form must write one more for the draft to come back as it was (found hunting).
    const draft = '\nKeeps the refunds design doc current';
    await page.getByLabel('What should they keep doing?').fill(draft);
    let resp = await submit(page, 'Save draft');
    check(resp.status() === 200 && (await page.getByRole('status').textContent()).includes('draft saved (version 1)'),
          'a draft is saved');
    const row = page.getByRole('row', { name: /Lukas Schmidt/ });
    check((await row.textContent()).includes('draft saved'), 'and listed as a draft');
    await page.getByRole('link', { name: 'Peer feedback for Lukas Schmidt' }).click();
    check(await page.getByLabel('What should they keep doing?').inputValue() === draft,
          'the form opens again with the draft, its leading blank line kept');
    await page.getByLabel('What should they do differently?').fill('Hand the on-call runbook to others');
    await page.getByLabel('Collaboration', { exact: true }).selectOption('4');
    await shot('r3-peer-feedback');
    resp = await submit(page, 'Submit');
    check((await page.getByRole('status').textContent()).includes('submitted (version 2)'), 'then submitted');
    check((await page.getByRole('row', { name: /Lukas Schmidt/ }).textContent()).includes('done'),
          'and listed as done');
    await context.close();
  }

  // ---- the manager's review, the score and the packet.
  {
    const { context, page, shot } = await signIn('M001');
    await page.getByRole('link', { name: 'Manager review of Lukas Schmidt' }).click();
    check(await h1(page) === 'Manager review of Lukas Schmidt', 'M001 opens the manager review form');
    await page.getByLabel('Technical skill: rating').selectOption('4');
    await page.getByLabel('Delivery: rating').selectOption('4');
    await page.getByLabel('Collaboration: rating').selectOption('3');
    const manager_case = 'Lukas led the refunds rewrite end to end and is ready for L5.';
    await page.getByLabel('Your case').fill(manager_case);
    // A rating without evidence nor a reason: refused, said where, nothing lost.
    let resp = await submit(page, 'Submit review');
    check(resp.status() === 400, 'a rating without evidence nor a reason is refused (400)');
    check((await page.getByRole('alert').textContent()).includes('ratings.technical_skill: the rating cites no evidence'),
          'the message names the rating');
    // Beside its field too: the rating is invalid and described by the reason, as a screen
    // reader announces it on reaching the field (the browser's own accessibility tree).
    const cdp = await context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const rated = nodes.find((n) => n.role?.value === 'combobox' && n.name?.value === 'Technical skill: rating');
    check(rated && (rated.description?.value || '').startsWith('the rating cites no evidence') &&
          rated.properties?.some((x) => x.name === 'invalid' && x.value.value !== 'false'),
          'the rating is marked invalid and described by the reason');
    const other = nodes.find((n) => n.role?.value === 'combobox' && n.name?.value === 'Delivery: rating');
    check(other && !other.description?.value, 'a rating the refusal is not about is not described by it');
    check(await page.getByLabel('Technical skill: rating').inputValue() === '4' &&
          await page.getByLabel('Your case').inputValue() === manager_case,
          'the entered values are kept');
    await shot('r4-review-error');
    await page.getByLabel('Technical skill evidence 1: kind').selectOption('pull_request');
    await page.getByLabel('Technical skill evidence 1: reference').fill('https://github.com/acme/pay/pull/12');
    await page.getByLabel('Technical skill evidence 1: date').fill('2026-03-02');
    await page.getByLabel('Technical skill evidence 1: title').fill('Idempotent refunds');
    await page.getByLabel('Delivery: no evidence because').fill('shipped every sprint; nothing written down');
    await page.getByLabel('Collaboration: no evidence because').fill('seen in every planning meeting');
    resp = await submit(page, 'Submit review');
    check(resp.status() === 200 &&
          (await page.getByRole('status').textContent()).includes('Your review of E101 in cycle a26 is saved as version 1'),
          'the review is saved as version 1');

    await page.getByRole('link', { name: 'See the score' }).click();
    check(await h1(page) === 'Score of E101 in cycle a26', 'the score opens from the confirmation');
    // 0.4 x 4 + 0.4 x 4 + 0.2 x 3 = 3.8; 0.4 x 4 + 0.3 x 4 + 0.3 x 3 = 3.7; 0.4 x 3 + 0.3 x 4 + 0.3 x 4 = 3.6
    for (const axis of ['Performance: 3.8', 'Impact: 3.7', 'Potential: 3.6']) {
      check(await page.getByRole('heading', { name: axis }).count() === 1, `the score shows ${axis}`);
    }
    let text = await mainText(page);
    check(text.includes('performance = 0.4 x 4 + 0.4 x 4 + 0.2 x 3 = 3.8'), 'with its arithmetic');
    check(text.includes('0.5 x performance 3.8 + 0.3 x impact 3.7 + 0.2 x potential 3.6 = 3.73'),
          'and the composite beside the axes');
    await shot('r5-score');

    await page.getByRole('link', { name: 'Back to the cycle' }).click();
    const row = page.getByRole('table', { name: /Reviewees you may see/ }).getByRole('row', { name: /Lukas Schmidt/ });
    check((await row.innerText()).replace(/\s+/g, ' ').includes('payments done'),
          'the progress page has the self review done');
    await row.getByRole('link', { name: 'Promotion packet for Lukas Schmidt' }).click();
    // A level at or below the person's is refused beside the select, as a form's field is.
    await page.getByLabel('Target level').selectOption('L3');
    resp = await submit(page, 'Show the packet');
    check(resp.status() === 400 && (await page.getByRole('alert').textContent()).includes('E101 is at L4 already'),
          'a level below the person\'s is refused (400), said above the form');
    const levels = (await (await context.newCDPSession(page)).send('Accessibility.getFullAXTree')).nodes
      .find((n) => n.role?.value === 'combobox' && n.name?.value === 'Target level');
    check(levels && (levels.description?.value || '').startsWith('E101 is at L4 already') &&
          levels.properties?.some((x) => x.name === 'invalid' && x.value.value !== 'false'),
          'the level select is marked invalid and described by the refusal');
    await page.getByLabel('Target level').selectOption('L5');
    await page.getByRole('button', { name: 'Show the packet' }).click();
    await page.waitForURL(/target-level=L5$/);
    const packet = page.getByRole('article', { name: 'Promotion packet' });
    check(await packet.getByRole('heading', { level: 2 }).textContent() ===
          'Promotion packet: Lukas Schmidt (E101), L4 Engineer 4 to L5 Engineer 5',
          'the packet opens for the target level');
    for (const section of ['The three axes', 'Expectations at L5 Engineer 5 and the evidence', 'Feedback themes',
                           'Metrics cited', "The manager's case"]) {
      check(await packet.getByRole('heading', { level: 3, name: section }).count() === 1, `the packet has "${section}"`);
    }
    text = await packet.textContent();
    check(text.includes(manager_case), "it carries the manager's case");
    check(text.includes('peer feedback is shown once the feedback phase closes') &&
          !text.includes('Keeps the refunds design doc current') && !text.includes('1 peer response'),
          'the peer response is withheld while the feedback phase is open, uncounted, as the anonymity rules say');
    await shot('r6-packet');
    await context.close();
  }
} catch (e) {
  console.log(`FAIL: ${e.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
