import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliInTempFolder } from '../../core/testing/cli';

describe('fieldbook import transcripts / participants / search', () => {
  const cli = cliInTempFolder();

  it('imports transcripts, links participants from a sheet, and searches with --json', () => {
    const project = path.join(cli.dir, 'study.fieldbook');
    expect(cli.run('new', project).status).toBe(0);
    const a = path.join(cli.dir, 'p01.txt');
    fs.writeFileSync(a, 'Interviewer: What about 模型管理?\nAna: 我们需要更好的模型管理工具。\nInterviewer: Thanks.\n');
    const b = path.join(cli.dir, 'p02.srt');
    fs.writeFileSync(b, '1\n00:00:01,000 --> 00:00:03,000\nOur model registry works.\n');
    const imported = cli.run('import', 'transcripts', a, b, '--project', project, '--participant', 'Ana', '--json');
    expect(imported.status, imported.stderr).toBe(0);
    const docs = JSON.parse(imported.stdout) as { name: string; turns: number }[];
    expect(docs.map((d) => [d.name, d.turns])).toEqual([
      ['p01', 3],
      ['p02', 1],
    ]);

    const sheet = path.join(cli.dir, 'people.csv');
    fs.writeFileSync(sheet, 'name,role\nAna,engineer\n');
    const people = cli.run('participants', project, '--import-sheet', sheet, '--json');
    expect(people.status, people.stderr).toBe(0);
    expect((JSON.parse(people.stdout) as { participants: { name: string; attributes: Record<string, unknown> }[] }).participants).toEqual([
      expect.objectContaining({ name: 'Ana', attributes: { role: 'engineer' } }),
    ]);

    const found = cli.run('search', project, '模型管理', '--json');
    expect(found.status, found.stderr).toBe(0);
    const result = JSON.parse(found.stdout) as { total: number; hits: { match: string; speaker: string }[] };
    expect(result.total).toBe(2);
    expect(result.hits.map((h) => [h.speaker, h.match])).toEqual([
      ['Interviewer', '模型管理'],
      ['Ana', '模型管理'],
    ]);
    // Only what participants with role=engineer said: Ana's answer, not the interviewer's question.
    const filtered = cli.run('search', project, '模型管理', '--where', 'role=engineer', '--json');
    expect(filtered.status, filtered.stderr).toBe(0);
    expect((JSON.parse(filtered.stdout) as { hits: { speaker: string; participantName: string }[] }).hits).toEqual([
      expect.objectContaining({ speaker: 'Ana', participantName: 'Ana' }),
    ]);
    const unknown = cli.run('search', project, '模型管理', '--where', 'team=x');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('known attribute (role)');
    const text = cli.run('search', project, '"model registry"');
    expect(text.stdout).toContain('p02 / Ana: …Our [model registry] works.…');
  });

  it('exits 1 with the file and line when a transcript is bad, and imports nothing', () => {
    const project = path.join(cli.dir, 'study.fieldbook');
    cli.run('new', project);
    const good = path.join(cli.dir, 'good.txt');
    fs.writeFileSync(good, 'A: hi\nB: hello\n');
    const bad = path.join(cli.dir, 'bad.vtt');
    fs.writeFileSync(bad, 'WEBVTT\n\n00:00:01.000 --> 00:00:xx.000\nHi\n');
    const result = cli.run('import', 'transcripts', good, bad, '--project', project);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('bad.vtt, line 3');
    expect(JSON.parse(cli.run('documents', project, '--json').stdout)).toEqual([]);
  });
});
