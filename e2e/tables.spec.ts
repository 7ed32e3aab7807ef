import fs from 'node:fs';
import path from 'node:path';
import { createProjectThroughUi, expect, screenshotPath, test } from './fixtures';

const INDUSTRIES = ['Retail', 'Health', 'Telecom'];
const CHANGE = ['Decrease significantly', 'Decrease somewhat', 'Stay the same', 'Increase somewhat', 'Increase significantly'];

/** 90 respondents with answers that follow a fixed rule, so the test can count them itself. */
function survey(): { csv: string; rows: { industry: string; edge: string; change: string }[] } {
  const rows = Array.from({ length: 90 }, (_, i) => ({
    industry: INDUSTRIES[i % 3]!,
    // Telecom runs at the edge far more often than the others.
    edge: i % 3 === 2 ? (i % 5 === 0 ? 'No' : 'Yes') : i % 4 === 0 ? 'Yes' : 'No',
    change: CHANGE[(i * 7) % 5]!,
  }));
  const csv = ['respondent,industry,edge,change', ...rows.map((r, i) => `R${i + 1},${r.industry},${r.edge},${r.change}`)].join('\n');
  return { csv, rows };
}

test('build a table in the Tables page: numbers, letters, a net, drill-down, chart, saved and re-opened', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Edge study');
  const { csv, rows } = survey();
  const file = path.join(app.dir, 'edge-survey.csv');
  fs.writeFileSync(file, csv);
  await app.call('survey.import', { path: file, wave: '2025' });

  const variables = await app.call('tables.variables', {});
  const refOf = (name: string) => {
    const v = variables.variables.find((x) => x.ref === name || x.label === name);
    if (!v) throw new Error(`no variable ${name}: ${variables.variables.map((x) => x.ref).join(', ')}`);
    return v.ref;
  };

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tables' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tables' })).toBeVisible();
  await page.getByTestId('new-table').click();
  await page.getByTestId('add-row').selectOption(refOf('edge'));
  await page.getByTestId('add-banner').selectOption(refOf('industry'));

  const view = page.getByTestId('table-view');
  await expect(view).toBeVisible();
  const group = view.getByTestId('table-group').first();
  const cell = async (rowLabel: string, column: string) => {
    const key = await group.locator('th.tv-col', { hasText: new RegExp(`^${column}`) }).first().getAttribute('data-column');
    return group.getByTestId('table-row').filter({ has: page.locator('th', { hasText: new RegExp(`^${rowLabel}`) }) }).locator(`td[data-column="${key}"]`);
  };
  for (const industry of INDUSTRIES) {
    const members = rows.filter((r) => r.industry === industry);
    const yes = members.filter((r) => r.edge === 'Yes').length;
    const c = await cell('Yes', industry);
    await expect(c.locator('[data-content="count"]')).toHaveText(String(yes));
    await expect(c.locator('[data-content="colPct"]')).toHaveText(`${((100 * yes) / members.length).toFixed(1)}%`);
  }
  const totalYes = rows.filter((r) => r.edge === 'Yes').length;
  await expect((await cell('Yes', 'Total')).locator('[data-content="count"]')).toHaveText(String(totalYes));
  await expect(group.getByTestId('base-row')).toContainText('90');
  // Telecom (column C) is significantly more often at the edge than Retail (A) and Health (B).
  await expect((await cell('Yes', 'Telecom')).getByTestId('letters')).toHaveText('AB');
  await expect(group.getByTestId('chi-square')).toContainText('df = 2');
  await expect(view.getByTestId('table-method')).toContainText('two-proportion z tests');

  // A filter: only Telecom and Health; the base becomes those respondents.
  // Added one answer at a time, the answers widen the one condition ("is A or B").
  const newFilter = page.getByTestId('new-filter');
  await page.getByTestId('filter-ref').selectOption(refOf('industry'));
  await newFilter.getByLabel('Telecom').check();
  await page.getByTestId('filter-add').click();
  await page.getByTestId('filter-ref').selectOption(refOf('industry'));
  await newFilter.getByLabel('Health').check();
  await page.getByTestId('filter-add').click();
  await expect(page.getByTestId('filter-chip')).toHaveCount(1);
  await expect(page.getByTestId('filter-chip')).toHaveText(/Telecom or Health/);
  await expect(group.getByTestId('base-row').locator('td[data-column="total"]')).toHaveText('60');
  const kept = rows.filter((r) => r.industry === 'Telecom' || r.industry === 'Health');
  await expect((await cell('Yes', 'Total')).locator('[data-content="count"]')).toHaveText(String(kept.filter((r) => r.edge === 'Yes').length));
  await page.getByTestId('filter-chip').getByTestId('filter-remove').click();
  await expect(group.getByTestId('base-row').locator('td[data-column="total"]')).toHaveText('90');

  // A second row question with a net.
  await page.getByTestId('add-row').selectOption(refOf('change'));
  const changeChip = page.getByTestId('row-chip').filter({ hasText: refOf('change') });
  await changeChip.getByTestId('edit-nets').click();
  await changeChip.getByTestId('net-label').fill('Increase (net)');
  await changeChip.getByLabel('Increase somewhat').check();
  await changeChip.getByLabel('Increase significantly').check();
  await changeChip.getByTestId('net-add').click();
  const changeGroup = view.getByTestId('table-group').nth(1);
  const netRow = changeGroup.getByTestId('table-row').filter({ hasText: 'Increase (net)' });
  await expect(netRow).toContainText('Increase somewhat + Increase significantly');
  const increase = rows.filter((r) => r.change.startsWith('Increase')).length;
  await expect(netRow.locator('td').first().locator('[data-content="count"]')).toHaveText(String(increase));
  await page.screenshot({ path: screenshotPath('tables.png'), fullPage: true });

  // What is behind a number: click it.
  await (await cell('Yes', 'Telecom')).getByRole('button').click();
  const drill = page.getByTestId('drill');
  await expect(drill.getByTestId('drill-total')).toHaveText(String(rows.filter((r) => r.industry === 'Telecom' && r.edge === 'Yes').length));
  await expect(drill.getByTestId('drill-respondents')).toContainText('R3');
  await page.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(drill).toBeHidden();

  // Chart of the table.
  await page.getByTestId('chart-tab').click();
  await expect(page.getByTestId('chart-svg').locator('svg')).toBeVisible();
  await expect(page.getByTestId('chart-svg')).toContainText('Telecom');
  await page.screenshot({ path: screenshotPath('tables-chart.png') });

  // Save, then re-open it from the list: the same numbers come back.
  await page.getByTestId('table-name').fill('Edge by industry');
  await page.getByTestId('save-table').click();
  await expect(page.getByTestId('saved-tables')).toContainText('Edge by industry');
  const [saved] = await app.call('tables.list', {});
  expect(saved?.spec.rows.map((r) => r.nets.length)).toEqual([0, 1]);
  await page.getByTestId('new-table').click();
  await page.getByTestId('saved-table').filter({ hasText: 'Edge by industry' }).click();
  await expect(page.getByTestId('table-view')).toBeVisible();
  await expect((await cell('Yes', 'Total')).locator('[data-content="count"]')).toHaveText(String(totalYes));
});

test('compare two waves side by side: change in points, marked when significant', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Edge waves');
  // Edge in production: 30 of 80 (37.5%) last year, 54 of 90 (60%) this year.
  const wave = (yes: number, total: number) =>
    ['respondent,edge', ...Array.from({ length: total }, (_, i) => `R${i + 1},${i < yes ? 'Yes' : 'No'}`)].join('\n');
  for (const [label, yes, total] of [['2024', 30, 80], ['2025', 54, 90]] as const) {
    const file = path.join(app.dir, `edge-${label}.csv`);
    fs.writeFileSync(file, wave(yes, total));
    await app.call('survey.import', { path: file, wave: label });
  }
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tables' }).click();
  await page.getByTestId('new-table').click();
  await page.getByTestId('table-source').selectOption('waves');
  await expect(page.getByTestId('wave-picker')).toContainText('2024');
  await page.getByTestId('add-row').selectOption('edge');
  const group = page.getByTestId('table-group').first();
  const yesRow = group.getByTestId('table-row').filter({ has: page.locator('th', { hasText: /^Yes/ }) });
  await expect(yesRow.locator('td[data-column="wave=2024"] [data-content="colPct"]')).toHaveText('37.5%');
  await expect(yesRow.locator('td[data-column="wave=2025"] [data-content="colPct"]')).toHaveText('60.0%');
  // 22.5 points up; z ≈ 2.9, so it is marked significant at 95%.
  await expect(yesRow.locator('td[data-column="wave=2025"]').getByTestId('change')).toHaveText('+22.5 pts ▲');
  await expect(yesRow.locator('td[data-column="wave=2025"]').getByTestId('letters')).toHaveText('A');
  await page.screenshot({ path: screenshotPath('tables-waves.png') });
});

test('codes against participant attributes in the sample study, with the quotes behind a cell and a filter', async ({ page, app }) => {
  await page.getByTestId('open-sample').click();
  await page.getByTestId('statusbar').waitFor();
  // Who was coded "GPU scheduling", read straight from the sample's source files.
  const sample = path.join(import.meta.dirname, '..', 'resources', 'sample');
  const Papa = (await import('papaparse')).default;
  const codings = Papa.parse<Record<string, string>>(fs.readFileSync(path.join(sample, 'starter-codings.csv'), 'utf8'), { header: true, skipEmptyLines: true }).data;
  const gpu = codings.filter((c) => c.code === 'GPU scheduling');
  // Interview files are named after their participant: P03-sre-telco-edge.vtt is P03.
  const coded = new Set(gpu.map((c) => c.document!.split('-')[0]!));

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tables' }).click();
  await page.getByTestId('new-table').click();
  await page.getByTestId('table-source').selectOption('participants');
  await page.getByTestId('add-row').selectOption('codes:*');
  await page.getByTestId('add-banner').selectOption('attr:industry');
  const group = page.getByTestId('table-group').first();
  const row = group.getByTestId('table-row').filter({ has: page.locator('th', { hasText: /^GPU scheduling/ }) });
  const total = row.locator('td[data-column="total"]');
  await expect(total.locator('[data-content="count"]')).toHaveText(String(coded.size));
  await total.getByRole('button').click();
  const drill = page.getByTestId('drill');
  await expect(drill.getByTestId('drill-total')).toHaveText(String(coded.size));
  await expect(drill.getByTestId('drill-quote').first()).toBeVisible();
  await expect(drill).toContainText(gpu[0]!.quote!.slice(0, 40));
  await expect(drill.getByTestId('drill-participants')).toContainText([...coded][0]!);
  await page.screenshot({ path: screenshotPath('tables-codes.png') });
  await page.getByRole('button', { name: 'Close', exact: true }).click();

  // A "none of" filter on a participant attribute: the base is the participants left, as the API counts them.
  await page.getByTestId('filter-ref').selectOption('attr:industry');
  const newFilter = page.getByTestId('new-filter');
  await newFilter.getByTestId('filter-op').selectOption({ label: 'is none of' });
  await expect(newFilter.getByTestId('filter-values')).toContainText('Leave out participants whose');
  await newFilter.getByLabel('Technology / software').check();
  await newFilter.getByLabel('Telecommunications').check();
  await page.getByTestId('filter-add').click();
  const filtered = await app.call('tables.run', {
    spec: {
      source: { kind: 'participants' },
      rows: [{ ref: 'codes:*' }],
      banner: ['attr:industry'],
      filter: [{ ref: 'attr:industry', op: 'notIn', values: ['Technology / software', 'Telecommunications'] }],
    },
  });
  await expect(page.getByText(/^Filter: /)).toHaveText(`Filter: ${filtered.filterText}`);
  await expect(page.getByTestId('filter-chip')).toContainText('is neither Technology / software nor Telecommunications');
  // Under 30 participants, so the base carries the low-base flag.
  await expect(group.getByTestId('base-row').locator('td[data-column="total"]')).toHaveText(`${filtered.groups[0]!.bases[0]!.unweighted}*`);
  const all = await app.call('tables.run', { spec: { source: { kind: 'participants' }, rows: [{ ref: 'codes:*' }], banner: ['attr:industry'] } });
  expect(filtered.groups[0]!.bases[0]!.unweighted).toBeLessThan(all.groups[0]!.bases[0]!.unweighted);
});

test('sample study: "none of" and numeric-range filters, edited in place, rows and banner reordered, kept when saved', async ({ page, app }) => {
  await page.getByTestId('open-sample').click();
  await page.getByTestId('statusbar').waitFor();
  const { datasets } = await app.call('tables.variables', {});
  const wave2025 = datasets.find((d) => d.wave === '2025')!;
  const source = { kind: 'dataset' as const, datasetIds: [wave2025.id] };
  const { variables } = await app.call('tables.variables', { source });
  const weight = variables.find((v) => v.kind === 'weight')!;
  const roles = variables.find((v) => v.ref === 'Q1')!;
  const keyOf = (label: string) => roles.categories.find((c) => c.label === label)!.key;
  /** The same table through the API, to hold the page's numbers against. */
  const runApi = (rows: string[], banner: string[], filter: { ref: string; op: 'in' | 'notIn' | 'between'; values?: string[]; min?: number; max?: number }[]) =>
    app.call('tables.run', { spec: { source, rows: rows.map((ref) => ({ ref })), banner, filter } });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tables' }).click();
  await page.getByTestId('new-table').click();
  await expect(page.getByTestId('table-source')).toHaveValue(`d:${wave2025.id}`);
  await page.getByTestId('add-row').selectOption('Q6');
  await page.getByTestId('add-row').selectOption('Q5');
  await page.getByTestId('add-banner').selectOption('Q2');
  await page.getByTestId('add-banner').selectOption('Q4');
  const view = page.getByTestId('table-view');
  const totalBase = (group: number) => view.getByTestId('table-group').nth(group).getByTestId('base-row').locator('td[data-column="total"]');
  await expect(totalBase(0)).toHaveText(String((await runApi(['Q6', 'Q5'], ['Q2', 'Q4'], [])).groups[0]!.bases[0]!.unweighted));

  // "Is none of": every role but two, chosen with the keyboard-reachable checkboxes.
  const newFilter = page.getByTestId('new-filter');
  await page.getByTestId('filter-ref').selectOption('Q1');
  await newFilter.getByTestId('filter-op').selectOption({ label: 'is none of' });
  await page.getByTestId('filter-add').click();
  await expect(newFilter.getByTestId('filter-error')).toHaveText('Choose at least one answer to leave out.');
  await newFilter.getByLabel('Data scientist').check();
  await newFilter.getByLabel('Security engineer').check();
  await page.getByTestId('filter-add').click();
  await expect(newFilter.getByTestId('filter-op')).toBeHidden();
  const noneOf = { ref: 'Q1', op: 'notIn' as const, values: [keyOf('Data scientist'), keyOf('Security engineer')] };
  const withNoneOf = await runApi(['Q6', 'Q5'], ['Q2', 'Q4'], [noneOf]);
  const everyone = (await runApi(['Q6', 'Q5'], ['Q2', 'Q4'], [])).groups[0]!.bases[0]!.unweighted;
  expect(withNoneOf.groups[0]!.bases[0]!.unweighted).toBeLessThan(everyone);
  await expect(page.getByTestId('filter-chip')).toHaveText(/Only Q1 is neither Data scientist nor Security engineer/);
  await expect(totalBase(0)).toHaveText(String(withNoneOf.groups[0]!.bases[0]!.unweighted));
  await expect(totalBase(1)).toHaveText(String(withNoneOf.groups[1]!.bases[0]!.unweighted));
  await expect(view.getByText(/^Filter: /)).toHaveText(`Filter: ${withNoneOf.filterText}`);

  // A numeric range on the weight: an inverted range and an empty end are refused in plain words.
  await page.getByTestId('filter-ref').selectOption(weight.ref);
  await expect(newFilter.getByTestId('filter-op')).toHaveValue('between');
  // "1e" is what a number field holds half-typed: the browser gives no value, and we say why.
  await newFilter.getByTestId('filter-min').pressSequentially('1e');
  await expect(newFilter.getByTestId('filter-error')).toHaveText('The lowest value is not a number. Use digits and a point for decimals, e.g. 0.8.');
  await newFilter.getByTestId('filter-op').selectOption({ label: 'is one of' });
  await newFilter.getByTestId('filter-numbers').fill('1, x');
  await expect(newFilter.getByTestId('filter-error')).toHaveText('“x” is not a number. Separate numbers with commas, e.g. 1, 2, 9.');
  await newFilter.getByTestId('filter-op').selectOption({ label: 'is between' });
  await newFilter.getByTestId('filter-min').fill('1.2');
  await newFilter.getByTestId('filter-max').fill('0.8');
  await expect(newFilter.getByTestId('filter-error')).toHaveText('The range is the wrong way round: 1.2 is more than 0.8. Put the lower number first.');
  await expect(newFilter.getByTestId('filter-max')).toHaveAttribute('aria-invalid', 'true');
  await page.getByTestId('filter-add').click();
  await expect(page.getByTestId('filter-chip')).toHaveCount(1);
  await newFilter.getByTestId('filter-min').fill('0.8');
  await newFilter.getByTestId('filter-max').fill('');
  await page.getByTestId('filter-add').click();
  await expect(newFilter.getByTestId('filter-error')).toHaveText('Enter the highest value.');
  await newFilter.getByTestId('filter-max').fill('1.2');
  await newFilter.getByTestId('filter-max').press('Enter');
  await expect(page.getByTestId('filter-chip')).toHaveCount(2);
  const range = { ref: weight.ref, op: 'between' as const, min: 0.8, max: 1.2 };
  const withRange = await runApi(['Q6', 'Q5'], ['Q2', 'Q4'], [noneOf, range]);
  expect(withRange.groups[0]!.bases[0]!.unweighted).toBeLessThan(withNoneOf.groups[0]!.bases[0]!.unweighted);
  await expect(page.getByTestId('filter-chip').nth(1)).toHaveText(new RegExp(`Only ${weight.ref} between 0.8 and 1.2`));
  await expect(totalBase(0)).toHaveText(String(withRange.groups[0]!.bases[0]!.unweighted));
  await expect(view.getByText(/^Filter: /)).toHaveText(`Filter: ${withRange.filterText}`);

  // Edited in its chip: "at least" reruns the table at once; an inverted range keeps the last good one.
  const rangeChip = page.getByTestId('filter-chip').nth(1);
  await rangeChip.getByTestId('filter-edit').click();
  await rangeChip.getByTestId('filter-op').selectOption({ label: 'is at least' });
  const atLeast = await runApi(['Q6', 'Q5'], ['Q2', 'Q4'], [noneOf, { ref: weight.ref, op: 'between', min: 0.8 }]);
  await expect(totalBase(0)).toHaveText(String(atLeast.groups[0]!.bases[0]!.unweighted));
  await expect(view.getByText(/^Filter: /)).toHaveText(`Filter: Q1 is neither Data scientist nor Security engineer and ${weight.ref} at least 0.8`);
  // Back to "between": the upper end typed before is still there.
  await rangeChip.getByTestId('filter-op').selectOption({ label: 'is between' });
  await expect(rangeChip.getByTestId('filter-max')).toHaveValue('1.2');
  await expect(totalBase(0)).toHaveText(String(withRange.groups[0]!.bases[0]!.unweighted));
  await rangeChip.getByTestId('filter-max').fill('0.5');
  await expect(rangeChip.getByTestId('filter-error')).toHaveText('The range is the wrong way round: 0.8 is more than 0.5. Put the lower number first.');
  await expect(rangeChip).toContainText(`the table keeps the filter “${weight.ref} between 0.8 and 1.2”`);
  await page.screenshot({ path: screenshotPath('tables-filter-edit.png') });
  await expect(totalBase(0)).toHaveText(String(withRange.groups[0]!.bases[0]!.unweighted));
  await rangeChip.getByTestId('filter-max').fill('');
  await expect(rangeChip.getByTestId('filter-error')).toHaveText('Enter the highest value.');
  await rangeChip.getByTestId('filter-max').fill('1');
  const narrower = await runApi(['Q6', 'Q5'], ['Q2', 'Q4'], [noneOf, { ref: weight.ref, op: 'between', min: 0.8, max: 1 }]);
  expect(narrower.groups[0]!.bases[0]!.unweighted).toBeLessThan(withRange.groups[0]!.bases[0]!.unweighted);
  await expect(totalBase(0)).toHaveText(String(narrower.groups[0]!.bases[0]!.unweighted));
  await expect(rangeChip.getByTestId('filter-text')).toHaveText(`Only ${weight.ref} between 0.8 and 1`);
  await rangeChip.getByTestId('filter-max').fill('1.2');
  await expect(totalBase(0)).toHaveText(String(withRange.groups[0]!.bases[0]!.unweighted));
  await rangeChip.getByTestId('filter-max').press('Escape');
  await expect(rangeChip.getByTestId('filter-editor')).toBeHidden();
  await expect(rangeChip.getByTestId('filter-edit')).toBeFocused();

  // Reordering: a button moves Q5 above Q6; the keys move the banner's Q4 before Q2.
  const corners = view.locator('th.tv-corner');
  await expect(corners).toHaveText(withRange.groups.map((g) => g.label));
  await page.getByRole('button', { name: 'Move Q5 up' }).click();
  const reordered = await runApi(['Q5', 'Q6'], ['Q4', 'Q2'], [noneOf, range]);
  await expect(page.getByTestId('row-chip-name')).toHaveText(['Q5', 'Q6']);
  await expect(corners).toHaveText(reordered.groups.map((g) => g.label));
  // The button is disabled now Q5 is first, so focus goes back to its chip.
  await expect(page.getByTestId('row-chip').first()).toBeFocused();
  await page.keyboard.press('Alt+ArrowDown');
  await expect(page.getByTestId('row-chip-name')).toHaveText(['Q6', 'Q5']);
  await page.keyboard.press('Alt+ArrowUp');
  await expect(page.getByTestId('row-chip-name')).toHaveText(['Q5', 'Q6']);
  await expect(page.getByTestId('move-announcement')).toHaveText('Q5 moved to row 1 of 2.');
  // With the mouse: Q6 dragged onto Q5 takes its place; the button puts Q5 first again.
  await page.getByTestId('row-chip-name').filter({ hasText: 'Q6' }).dragTo(page.getByTestId('row-chip').first());
  await expect(page.getByTestId('row-chip-name')).toHaveText(['Q6', 'Q5']);
  await expect(corners).toHaveText(withRange.groups.map((g) => g.label));
  await page.getByRole('button', { name: 'Move Q5 up' }).click();
  await expect(page.getByTestId('row-chip-name')).toHaveText(['Q5', 'Q6']);
  await page.getByTestId('banner-chip').filter({ hasText: 'Q4' }).focus();
  await page.keyboard.press('Alt+ArrowLeft');
  await expect(page.getByTestId('banner-chip')).toHaveText([/^Q4/, /^Q2/]);
  const blocks = view.getByTestId('table-group').first().locator('th.tv-block');
  await expect(blocks).toHaveText(reordered.blocks.filter((b) => b.key !== 'total').map((b) => b.label));
  expect(reordered.blocks.map((b) => b.key)).toEqual(['total', 'Q4', 'Q2']);
  await expect(totalBase(0)).toHaveText(String(reordered.groups[0]!.bases[0]!.unweighted));
  await page.screenshot({ path: screenshotPath('tables-filters.png'), fullPage: true });

  // Saved and re-opened: the order and both filters come back, and so does the table.
  await page.getByTestId('table-name').fill('Edge, roles without data scientists');
  await page.getByTestId('save-table').click();
  await expect(page.getByTestId('saved-tables')).toContainText('Edge, roles without data scientists');
  const saved = (await app.call('tables.list', {})).find((t) => t.name === 'Edge, roles without data scientists')!;
  expect(saved.spec.rows.map((r) => r.ref)).toEqual(['Q5', 'Q6']);
  expect(saved.spec.banner).toEqual(['Q4', 'Q2']);
  expect(saved.spec.filter).toEqual([noneOf, { ...range, values: [] }]);
  await page.getByTestId('new-table').click();
  await expect(page.getByTestId('row-chip')).toHaveCount(0);
  await page.getByTestId('saved-table').filter({ hasText: 'Edge, roles without data scientists' }).click();
  await expect(page.getByTestId('row-chip-name')).toHaveText(['Q5', 'Q6']);
  await expect(page.getByTestId('banner-chip')).toHaveText([/^Q4/, /^Q2/]);
  await expect(corners).toHaveText(reordered.groups.map((g) => g.label));
  await expect(blocks).toHaveText(reordered.blocks.filter((b) => b.key !== 'total').map((b) => b.label));
  await expect(totalBase(0)).toHaveText(String(reordered.groups[0]!.bases[0]!.unweighted));
  await expect(view.getByText(/^Filter: /)).toHaveText(`Filter: ${reordered.filterText}`);
  // The saved numeric filter opens in its editor as the range it is.
  await page.getByTestId('filter-chip').nth(1).getByTestId('filter-edit').click();
  await expect(page.getByTestId('filter-chip').nth(1).getByTestId('filter-op')).toHaveValue('between');
  await expect(page.getByTestId('filter-chip').nth(1).getByTestId('filter-min')).toHaveValue('0.8');
});

test('a date question is filtered by days, picked in date fields', async ({ page, app }) => {
  await createProjectThroughUi(page, 'Dated study');
  // 60 answers, one a day from 1 January 2024 (a leap year), each at 18:30.
  const rows = Array.from({ length: 60 }, (_, i) => ({ day: new Date(Date.UTC(2024, 0, 1 + i, 18, 30)), channel: ['Web', 'Phone', 'Store'][i % 3]! }));
  const csv = ['respondent,answered,channel', ...rows.map((r, i) => `R${i + 1},${r.day.toISOString().slice(0, 19).replace('T', ' ')},${r.channel}`)].join('\n');
  const file = path.join(app.dir, 'dated.csv');
  fs.writeFileSync(file, csv);
  await app.call('survey.import', { path: file, wave: '2024' });

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Tables' }).click();
  await page.getByTestId('new-table').click();
  await page.getByTestId('add-row').selectOption('channel');
  const view = page.getByTestId('table-view');
  const base = view.getByTestId('table-group').first().getByTestId('base-row').locator('td[data-column="total"]');
  await expect(base).toHaveText('60');

  const newFilter = page.getByTestId('new-filter');
  await page.getByTestId('filter-ref').selectOption('answered');
  await expect(newFilter.getByTestId('filter-op').locator('option')).toHaveText(['is between', 'is on or after', 'is on or before', 'is answered']);
  await expect(newFilter.getByTestId('filter-min')).toHaveAttribute('type', 'date');
  await newFilter.getByTestId('filter-min').fill('2024-02-29');
  await newFilter.getByTestId('filter-max').fill('2024-02-01');
  await expect(newFilter.getByTestId('filter-error')).toHaveText('The days are the wrong way round: 2024-02-29 is after 2024-02-01. Put the earlier day first.');
  await newFilter.getByTestId('filter-min').fill('2024-02-01');
  await newFilter.getByTestId('filter-max').fill('2024-02-29');
  await page.getByTestId('filter-add').click();
  // The whole of both days: 29 answers, the last at 18:30 on the 29th (marked as a small base).
  await expect(page.getByTestId('filter-chip')).toHaveText(/answered from 2024-02-01 to 2024-02-29/);
  await expect(base).toHaveText(/^29\b/);
  await expect(view.getByText(/^Filter: /)).toHaveText('Filter: answered from 2024-02-01 to 2024-02-29');
});
