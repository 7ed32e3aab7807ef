// @vitest-environment jsdom
/**
 * Every page of the app, rendered under jsdom against a real core (the sample study in a real
 * project file, through the real dispatch), checked with axe: no serious or critical violation.
 * The e2e specs drive the same pages in Chromium; this catches a page that breaks or loses its
 * labels in seconds, without a browser.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreBridge, type CoreBridge } from '../../core/testing/bridge';
import { App } from './shell/App';
import { navigate } from './shell/navigation';
import { routes } from './shell/routes';
import { ToastProvider } from './ui/toast';

let bridge: CoreBridge;

/** Something of the sample study (or of the page's own work) each page shows once it has loaded. */
const SAMPLE_ON_PAGE: Record<string, string> = {
  data: '455 respondents',
  transcripts: 'Q10: What is your biggest challenge',
  participants: 'Kubernetes and AI survey',
  codebook: 'GPU scheduling',
  suggestions: 'Model management',
  tables: 'Saved tables',
  exports: 'Quote pack',
  findings: 'Findings',
};

beforeAll(async () => {
  bridge = createCoreBridge();
  window.fieldbook = bridge;
  await bridge.call('project.openSample', {});
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false } } });
  render(
    <QueryClientProvider client={client}>
      <ToastProvider>
        <App />
      </ToastProvider>
    </QueryClientProvider>,
  );
  await screen.findByRole('navigation', { name: 'Sections' }, { timeout: 20_000 });
}, 120_000);

afterAll(() => {
  cleanup();
  bridge.test.cleanup();
});

/** axe's serious and critical findings, as lines a reader can act on. */
async function seriousViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, {
    // jsdom lays nothing out and paints nothing: contrast is checked by the e2e scan in Chromium.
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

describe('every page against the sample study', () => {
  it.each(routes.map((route) => [route.id, route] as const))('%s renders its content and passes axe', async (_label, route) => {
    await act(async () => {
      navigate(route.id);
      await Promise.resolve();
    });
    const nav = screen.getByRole('navigation', { name: 'Sections' });
    // jsdom fires hashchange on a later task: wait for the shell to follow it.
    await waitFor(() => expect(within(nav).getByRole('link', { current: 'page' }).getAttribute('href')).toBe(`#/${route.id}`), { timeout: 10_000 });
    const main = screen.getByRole('main');
    // The page has finished loading when its first heading is there and no spinner is left.
    await within(main).findAllByRole('heading', {}, { timeout: 20_000 });
    await expect.poll(() => main.querySelectorAll('[role="progressbar"], .spinner').length, { timeout: 20_000 }).toBe(0);
    expect(main.textContent).not.toMatch(/Something went wrong/);
    await within(main).findAllByText(new RegExp(SAMPLE_ON_PAGE[route.id] ?? 'no anchor for this page: add one'), {}, { timeout: 20_000 });
    expect(await seriousViolations(document.body)).toEqual([]);
  });
});

describe('the axe check itself', () => {
  it('finds what it is there to find: an unnamed button and an image without alt text', async () => {
    const probe = document.createElement('div');
    probe.innerHTML = '<button type="button"></button><img src="chart.png">';
    document.body.append(probe);
    try {
      const found = await seriousViolations(probe);
      expect(found.map((line) => line.split(' ')[0])).toEqual(expect.arrayContaining(['button-name', 'image-alt']));
    } finally {
      probe.remove();
    }
  });
});
