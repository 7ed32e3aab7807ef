import { describe, expect, it } from 'vitest';
import { reliability } from './evaluate';
import { capScore, Suggester, supportedCeiling, UNSUPPORTED_CEILING } from './model';
import { tokenize } from './tokenize';

describe('calibration', () => {
  it('computes the reliability table and expected calibration error as worked by hand', () => {
    // Bin 0.1–0.2: scores 0.1, 0.15, one hit of two → mean 0.125, observed 0.5, gap 0.375.
    // Bin 0.9–1.0: scores 0.9, 1.0, both hits → mean 0.95, observed 1, gap 0.05.
    // ECE = 2/4 × 0.375 + 2/4 × 0.05 = 0.2125.
    const c = reliability([0.1, 0.15, 0.9, 1], [1, 0, 1, 1]);
    expect(c.bins).toHaveLength(10);
    expect(c.bins[1]).toEqual({ from: 0.1, to: 0.2, count: 2, meanScore: 0.125, observed: 0.5 });
    expect(c.bins[9]).toEqual({ from: 0.9, to: 1, count: 2, meanScore: 0.95, observed: 1 });
    expect(c.bins[5]).toEqual({ from: 0.5, to: 0.6, count: 0, meanScore: 0, observed: null });
    expect(c.ece).toBeCloseTo(0.213, 3);
    expect(c.maxScore).toBe(1);
  });

  it('bounds scores by the hit rate of the held-out top bin, keeping their order', () => {
    // Held-out rows scored ≥ 0.8: four, three hits → (3 + 1) / (4 + 2).
    expect(supportedCeiling([0.85, 0.9, 0.95, 0.99, 0.2], [1, 1, 0, 1, 0])).toBeCloseTo(4 / 6, 10);
    // Nothing that sure held out: the best held-out score, at most the unsupported ceiling.
    expect(supportedCeiling([0.3, 0.6], [1, 0])).toBe(0.6);
    expect(capScore(1, 0.9)).toBeCloseTo(0.9, 12);
    expect(capScore(0.5, 0.9)).toBe(0.5);
    const xs = Array.from({ length: 101 }, (_, i) => capScore(i / 100, 0.7));
    for (let i = 1; i < xs.length; i++) expect(xs[i]!).toBeGreaterThan(xs[i - 1]!);
  });

  it('never lets keywords alone take a score past the unsupported ceiling', () => {
    const codes = [{ key: 'cost', name: 'Cost', keywords: ['price', 'money', 'expensive', 'bill', 'fees'] }];
    const model = Suggester.train([], codes);
    const text = 'The price, the money, the bill, the fees: expensive, expensive, expensive.';
    const [score] = model.score(text, tokenize(text));
    expect(score!.evidence.keywords.length).toBeGreaterThanOrEqual(4);
    expect(score!.score).toBeLessThanOrEqual(UNSUPPORTED_CEILING);
    expect(score!.score).toBeGreaterThan(0.5);
  });
});
