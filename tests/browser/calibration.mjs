// The calibration page in a real browser (Debian's chromium through playwright-core): the
// facilitator E002 reads the demo's closed session from the link on Reviews (agenda order,
// a changed rating's original struck through and its change log, the rater effects, the
// 9-box with a list per box in the accessibility tree, and the distribution charts, no change
// form), then changes a rating in an open session: without a reason it is refused on the page,
// beside the reason field, and nothing is logged; with a reason and evidence the browser is
// sent back to the page, which shows the change.
// Usage: node calibration.mjs BASE_URL PASSWORD SCREENSHOT_DIR
// (user E002 and sessions 2026-annual-calibration and obs-calibration of
// tests/cli/cases/server-browser-calibration.sh).
// Prints "ok ..." lines; on a failed check prints "FAIL: ..." and exits 1.
import { chromium } from 'playwright-core';

const [base, password, shots] = process.argv.slice(2);
if (!shots) {
  console.error('usage: node calibration.mjs BASE_URL PASSWORD SCREENSHOT_DIR');
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

const h1 = (page) => page.getByRole('heading', { level: 1 }).textContent();
const shot = (page, name) => page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });

// Click and wait for the page the click loads; its response.
async function submit(page, button) {
  const [resp] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
  return resp;
}

let failed = false;
try {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${base}/reviews`);
  await page.getByLabel('User (employee id)').fill('E002');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/reviews`);

  // ---- the demo's closed session, from its link on Reviews.
  {
    const sessions = page.getByRole('table', { name: 'Calibration sessions you may read' });
    check((await sessions.getByRole('row', { name: /2026-annual-calibration/ }).innerText()).includes('closed'),
          'Reviews lists the demo session as closed');
    await sessions.getByRole('link', { name: '2026-annual-calibration' }).click();
    await page.waitForURL(`${base}/calibration/2026-annual-calibration`);
    check(await h1(page) === 'Calibration 2026-annual-calibration', 'the session page opens from the link');
    const head = await page.locator('main dl').innerText();
    check(/Cycle\s+2026-annual \(closed phase\)/.test(head) && /Facilitator\s+E002/.test(head) && /Participants\s+E002, E003/.test(head),
          'the header names the cycle, the facilitator and the participants');

    const agenda = page.getByRole('table', { name: /^Agenda/ });
    const heads = await agenda.locator('thead th').allInnerTexts();
    const qcol = heads.indexOf('Question');
    check(qcol > 0 && heads.includes('performance') && heads.includes('potential'), 'the agenda has the axes and the marks');
    const rows = agenda.locator('tbody tr');
    const n = await rows.count();
    check(n === 119, `the agenda lists the 120 people of the population but E002, who reads it (${n})`);
    const questions = [];
    for (let i = 0; i < n; i++) questions.push(Number(await rows.nth(i).locator('th, td').nth(qcol).innerText()));
    check(questions[0] > 0 && questions.every((q, i) => i === 0 || q <= questions[i - 1]),
          `questioned people come first (${questions.slice(0, 5).join(', ')} ...)`);
    const changed = agenda.locator('tbody tr', { has: page.locator('s') });
    check(await changed.count() >= 2, 'changed ratings show in the agenda');
    const first = changed.first();
    const struck = await first.locator('s').first().innerText();
    const cell = await first.locator('td', { has: page.locator('s') }).innerText();
    check(/^Delivery \d\.\d\d \d\.\d\d$/.test(cell.trim()) && cell.includes(struck), `with the original struck through ("${cell.trim()}")`);
    check((await agenda.innerText()).includes('rater-flagged: rated by E014'), 'flags carry their why');

    const log = page.getByRole('table', { name: 'Change log, oldest first' });
    const logRows = await log.locator('tbody tr').allInnerTexts();
    check(logRows.length >= 2 && logRows.every((r) => r.includes('E002') && r.includes('document:https://wiki.example.com/calibration/')),
          'the change log says who, and the evidence');
    check(await log.locator('tbody tr s').count() === logRows.length, 'each logged change strikes its original through');

    const raters = page.getByRole('table', { name: /^Rater effects/ });
    const e014 = (await raters.getByRole('row', { name: /^E014/ }).innerText()).replace(/\s+/g, ' ');
    check(/^E014 \d+ \+0\.\d\d lenient flagged$/.test(e014), `E014 is lenient and flagged (${e014})`);
    const raterIds = (await raters.locator('tbody th').allInnerTexts());
    check(raterIds.every((r) => /^E0(0\d|1[0-6])$/.test(r)), 'only managers who wrote evaluations are named');

    const box = page.locator('svg.ninebox');
    check(await box.count() === 1 && await box.locator('g.box').count() === 9, 'the 9-box has nine boxes');
    let placed = 0;
    for (const t of await box.locator('g.box > title').allTextContents()) placed += Number(t.match(/: (\d+)/)[1]);
    check(placed > 100 && (await box.locator('title').first().textContent()).includes(`${placed} people placed`),
          `its counts add up to the people placed (${placed})`);
    const tooltip = await box.locator('g[data-performance="high"][data-potential="high"] > title').textContent();
    check(tooltip.includes(' - '), 'and its tooltips name the people');
    // The picture is one image to assistive technology: who is in each box is a list per box,
    // in chromium's own accessibility tree (found hunting: the names were only in the
    // image's tooltips, which a screen reader does not reach).
    const cdp = await context.newCDPSession(page);
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const byId = new Map(nodes.map((x) => [x.nodeId, x]));
    const texts = (x) => (x.role?.value === 'StaticText' ? [x.name?.value || ''] : [])
      .concat(...(x.childIds || []).map((c) => byId.get(c)).filter(Boolean).map(texts));
    const image = nodes.find((x) => x.role?.value === 'image' && (x.name?.value || '').startsWith('9-box:'));
    check(image && image.name.value.includes(`${placed} people placed`), 'the 9-box picture is an image named by its title');
    const boxList = /^performance (low|moderate|high), potential (low|moderate|high): (\d+) (person|people)$/;
    const lists = nodes.filter((x) => x.role?.value === 'list' && boxList.test(x.name?.value || ''));
    let listed = 0;
    for (const l of lists) {
      const items = (l.childIds || []).map((c) => byId.get(c)).filter((x) => x?.role?.value === 'listitem');
      check(items.length === Number(l.name.value.match(boxList)[3]) && items.every((x) => /\(E\d{3}\)$/.test(texts(x).join('').trim())),
            `the list "${l.name.value}" has an item naming each of its people`);
      listed += items.length;
    }
    check(lists.length > 1 && listed === placed, `every placed person is in a box's list (${listed} of ${placed})`);
    const highHigh = lists.find((l) => l.name.value.startsWith('performance high, potential high:'));
    const ids = (highHigh.childIds || []).map((c) => texts(byId.get(c)).join('').match(/\((E\d{3})\)$/)[1]);
    check(ids.length > 0 && ids.every((id) => tooltip.includes(id)), 'the high/high list holds the people of its box');
    const boxCell = nodes.find((x) => x.role?.value === 'columnheader' && x.name?.value === 'performance high');
    check(boxCell, 'the boxes are laid out under performance column headers');
    const dist = page.locator('svg.distribution[data-by="manager"]');
    check(await dist.count() === 1 && (await dist.locator('rect > title').first().textContent()).startsWith('Everyone:'),
          'the distribution chart by manager starts with everyone');
    check((await dist.locator('g > text').allTextContents()).some((t) => t.startsWith('E014 (')),
          'and has a row for the lenient manager E014');
    const byTeam = page.locator('svg.distribution[data-by="team"]');
    check(await byTeam.count() === 1 && (await byTeam.locator('g > text').allTextContents()).some((t) => t.startsWith('web (')),
          'the distribution chart by team has a row for the web team');
    check(await page.getByRole('button', { name: 'Change the rating' }).count() === 0, 'a closed session offers no change form');
    await shot(page, 'c1-closed-session');
  }

  // ---- an open session: a change refused, then saved.
  {
    await page.goto(`${base}/calibration/obs-calibration`);
    check((await page.locator('main dl').innerText()).includes('open'), 'the observability session is open');
    check((await page.locator('main').innerText()).includes('No rating has been changed in this session.'), 'with no change yet');
    await page.getByLabel('Person', { exact: true }).selectOption('E051');
    await page.getByLabel('Dimension').selectOption('delivery');
    await page.getByLabel('New rating').selectOption('3');
    await page.getByLabel('Evidence (KIND:REF, one a line)').fill('document:https://wiki.example.com/calibration/obs/E051');
    let resp = await submit(page, 'Change the rating');
    check(resp.status() >= 400 && resp.status() < 500, `a change without a reason is refused (${resp.status()})`);
    const alert = await page.getByRole('alert').innerText();
    check(/reason/i.test(alert), `with the message on the page ("${alert.split('\n')[0]}")`);
    check((await page.locator('main').innerText()).includes('No rating has been changed in this session.'), 'and nothing logged');
    check(await page.getByLabel('Evidence (KIND:REF, one a line)').inputValue() === 'document:https://wiki.example.com/calibration/obs/E051',
          'the entered evidence is kept');
    check(!/--[a-z]/.test(alert) && alert.startsWith('the form: reason:'), 'the message names the form\'s field, not a CLI option');
    // Beside the field too, as a screen reader announces it on reaching the field.
    {
      const cdp = await context.newCDPSession(page);
      const { nodes } = await cdp.send('Accessibility.getFullAXTree');
      const reason = nodes.find((x) => x.role?.value === 'textbox' && x.name?.value === 'Reason (one line)');
      check(reason && (reason.description?.value || '') === 'a rating change in calibration needs a reason' &&
            reason.properties?.some((x) => x.name === 'invalid' && x.value.value !== 'false'),
            'the reason is marked invalid and described by the refusal');
      const evidence = nodes.find((x) => x.role?.value === 'textbox' && x.name?.value === 'Evidence (KIND:REF, one a line)');
      check(evidence && !evidence.description?.value, 'the evidence, which the refusal is not about, is not described by it');
    }
    await shot(page, 'c2-change-refused');

    // One line, as the service takes a reason: a text area invited line breaks it refused.
    check(await page.getByLabel('Reason').evaluate((e) => e.tagName) === 'INPUT',
          'the reason is a one-line field');
    await page.getByLabel('Reason').fill('Dashboards shipped late; delivery met, not exceeded, expectations');
    resp = await submit(page, 'Change the rating');
    check(resp.status() === 200 && page.url() === `${base}/calibration/obs-calibration`, 'with a reason it is saved and back to the page');
    const row = page.getByRole('table', { name: /^Agenda/ }).getByRole('row', { name: /E051/ });
    check((await row.locator('td', { has: page.locator('s') }).innerText()).trim() === 'Delivery 4.00 3.00'
          && await row.locator('s').innerText() === '4.00', 'the agenda shows Delivery with 4.00 struck through and 3.00');
    const log = (await page.getByRole('table', { name: 'Change log, oldest first' }).locator('tbody tr').allInnerTexts());
    check(log.length === 1 && log[0].includes('E051') && log[0].includes('delivery') && log[0].includes('E002')
          && log[0].includes('Dashboards shipped late'), 'the change log has the change, who and why');
    await shot(page, 'c3-change-saved');
  }
  await context.close();
} catch (e) {
  console.log(`FAIL: ${e.message}`);
  failed = true;
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
