import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { FTS_TOKENIZE, ftsForm, tokenize } from './search-index';

describe('the JS tokenizer', () => {
  it('folds every word exactly as FTS5 indexes it, in many scripts', () => {
    // Highlights and the per-turn check in search.ts use the JS tokens; the index uses FTS5's.
    // If the two disagreed, a found chunk would show no hit (or a hit would never be found).
    const samples = [
      'Café CRÈME naïve Ærøskøbing Straße',
      'e\u0301te\u0301 written decomposed',
      'हिन्दी भाषा क़लम',
      'ภาษาไทยเป็นภาษาที่สวยงาม',
      'Ελληνικά ΟΔΟΣ οδος',
      'Привет Ёлка',
      '模型管理太难了 東京都知事選挙 カタカナｶﾀｶﾅ',
      'İstanbul ǅemal',
      'ខ្មែរ ພາສາລາວ မြန်မာ',
      'Ｆｕｌｌｗｉｄｔｈ ½ ²',
      'العربية עברית',
    ];
    const db = new Database(':memory:');
    try {
      db.exec(`CREATE VIRTUAL TABLE f USING fts5(body, content='', tokenize="${FTS_TOKENIZE}"); CREATE VIRTUAL TABLE v USING fts5vocab(f, row);`);
      samples.forEach((s, i) => db.prepare('INSERT INTO f (rowid, body) VALUES (?, ?)').run(i + 1, ftsForm(s)));
      const fts = (db.prepare('SELECT term FROM v ORDER BY term').pluck().all() as string[]).sort();
      const js = [...new Set(samples.flatMap((s) => tokenize(s).map((t) => t.norm)))].sort();
      expect(js).toEqual(fts);
      expect(js).toContain('cafe');
      expect(js).toContain('ที่');
    } finally {
      db.close();
    }
  });
});
