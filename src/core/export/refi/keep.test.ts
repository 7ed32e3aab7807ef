import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestCore, sharedData, sharedDataAvailable, type TestCore } from '../../testing/index';

let t: TestCore;
beforeEach(() => {
  t = createTestCore();
});
afterEach(() => t.cleanup());

const XSD = sharedData('qda/refi/refi_project_schema_from_requal.xsd');
// Lower-case GUIDs, as some tools write them: they must come back spelled the same.
const g = (n: number) => `0000000${n % 10}-aaaa-4bbb-8ccc-${String(n).padStart(12, '0')}`;
const DESCRIPTION = '  First line, indented.\n\n\tA tabbed paragraph   \nwith a trailing break.\n';

const QDE = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Kept study" origin="MAXQDA 2022 (Release 22.0.1)" creationDateTime="2021-03-04T05:06:07Z">
  <Users><User guid="${g(9)}" name="ana"/></Users>
  <CodeBook><Codes>
    <Code guid="${g(1)}" name="Themes" isCodable="false">
      <Description>${DESCRIPTION}</Description>
      <Code guid="${g(2)}" name="Cost" isCodable="true" color="#FF0000"/>
      <Code guid="${g(3)}" name="Colourless" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="${g(4)}" name="Diary" creatingUser="${g(9)}" creationDateTime="2021-03-05T10:00:00Z" modifyingUser="${g(9)}" modifiedDateTime="2021-04-01T12:30:00Z">
      <PlainTextContent>The bus costs too much. Trains are fine.</PlainTextContent>
      <PlainTextSelection guid="${g(5)}" startPosition="4" endPosition="22" creatingUser="${g(9)}">
        <Coding guid="${g(6)}" creatingUser="${g(9)}"><CodeRef targetGUID="${g(2)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="${g(7)}" startPosition="4" endPosition="22" creatingUser="${g(9)}">
        <Coding guid="${g(8)}" creatingUser="${g(9)}"><CodeRef targetGUID="${g(3)}"/></Coding>
      </PlainTextSelection>
    </TextSource>
  </Sources>
  <Sets>
    <Set guid="${g(10)}" name="Money codes"><Description>Codes about money</Description><MemberCode targetGUID="${g(2)}"/></Set>
    <Set guid="${g(11)}" name="Diaries"><MemberSource targetGUID="${g(4)}"/></Set>
  </Sets>
</Project>`;

async function roundTrip(): Promise<string> {
  const file = path.join(t.dir, 'kept.qde');
  fs.writeFileSync(file, QDE);
  await t.newProject('kept');
  const result = await t.call('import.qdpx', { path: file });
  expect(result.notImported).toEqual([]);
  const out = await t.call('export.qdpx', { path: path.join(t.dir, 'back.qdpx') });
  return new TextDecoder().decode(unzipSync(fs.readFileSync(out.path))['project.qde']);
}

/** The start tag of the element with this guid. */
function tagOf(xml: string, guid: string): string {
  const match = new RegExp(`<\\w+ guid="${guid}"[^>]*>`).exec(xml);
  expect(match, guid).not.toBeNull();
  return match![0];
}

describe('REFI-QDA: what another tool wrote survives import → export', () => {
  it("a code's isCodable=\"false\"", async () => {
    const xml = await roundTrip();
    expect(tagOf(xml, g(1))).toMatch(/isCodable="false"/);
    expect(tagOf(xml, g(2))).toMatch(/isCodable="true"/);
  });

  it('no colour invented for a code that had none; a colour given stays', async () => {
    const xml = await roundTrip();
    expect(tagOf(xml, g(3))).not.toMatch(/color=/);
    expect(tagOf(xml, g(2))).toMatch(/color="#ff0000"/i);
    // Once the user gives it a colour, that colour is exported.
    const id = t.core.currentProject()!.db.prepare("SELECT id FROM code WHERE name = 'Colourless'").pluck().get() as number;
    await t.call('codes.update', { id, color: '#123456' });
    const again = new TextDecoder().decode(unzipSync(fs.readFileSync((await t.call('export.qdpx', { path: path.join(t.dir, 'c.qdpx') })).path))['project.qde']);
    expect(tagOf(again, g(3))).toMatch(/color="#123456"/);
  });

  it("a description's whitespace", async () => {
    const xml = await roundTrip();
    const description = /<Code guid="[^"]+" name="Themes"[^>]*>\s*<Description>([\s\S]*?)<\/Description>/.exec(xml);
    expect(description?.[1]).toBe(DESCRIPTION);
  });

  it('GUIDs keep their case', async () => {
    const xml = await roundTrip();
    for (const n of [1, 2, 3, 4, 5, 7, 9, 10, 11]) expect(xml).toContain(`guid="${g(n)}"`);
    expect(xml).not.toContain(g(1).toUpperCase());
  });

  it("each selection's own GUID, with its own codings, though both cover the same span", async () => {
    const xml = await roundTrip();
    // One quote here (one span), two selections there, each with the coding it had.
    expect(t.core.currentProject()!.db.prepare('SELECT count(*) FROM segment').pluck().get()).toBe(1);
    const first = new RegExp(`<PlainTextSelection guid="${g(5)}"[\\s\\S]*?</PlainTextSelection>`).exec(xml)?.[0] ?? '';
    const second = new RegExp(`<PlainTextSelection guid="${g(7)}"[\\s\\S]*?</PlainTextSelection>`).exec(xml)?.[0] ?? '';
    expect(first).toContain(`<CodeRef targetGUID="${g(2)}"/>`);
    expect(first).not.toContain(g(3));
    expect(second).toContain(`<CodeRef targetGUID="${g(3)}"/>`);
  });

  it("a source's creator and dates", async () => {
    const xml = await roundTrip();
    const source = tagOf(xml, g(4));
    expect(source).toContain(`creatingUser="${g(9)}"`);
    expect(source).toContain('creationDateTime="2021-03-05T10:00:00Z"');
    expect(source).toContain(`modifyingUser="${g(9)}"`);
    expect(source).toContain('modifiedDateTime="2021-04-01T12:30:00Z"');
  });

  it("the project's name, origin and creation date", async () => {
    const xml = await roundTrip();
    const project = /<Project [^>]*>/.exec(xml)?.[0] ?? '';
    expect(project).toContain('name="Kept study"');
    expect(project).toContain('origin="MAXQDA 2022 (Release 22.0.1)"');
    expect(project).toContain('creationDateTime="2021-03-04T05:06:07Z"');
  });

  it('sets of codes and of sources, as groups, written back', async () => {
    const xml = await roundTrip();
    const sets = t.core.currentProject()!.db.prepare('SELECT name, description FROM exchange_set ORDER BY id').all();
    expect(sets).toEqual([
      { name: 'Money codes', description: 'Codes about money' },
      { name: 'Diaries', description: '' },
    ]);
    expect(xml).toMatch(new RegExp(`<Set guid="${g(10)}" name="Money codes">\\s*<Description>Codes about money</Description>\\s*<MemberCode targetGUID="${g(2)}"/>\\s*</Set>`));
    expect(xml).toMatch(new RegExp(`<Set guid="${g(11)}" name="Diaries">\\s*<MemberSource targetGUID="${g(4)}"/>\\s*</Set>`));
  });

  it.skipIf(!sharedDataAvailable)('the written file still validates against the REFI schema (xmllint)', async () => {
    const qde = path.join(t.dir, 'back.qde');
    fs.writeFileSync(qde, await roundTrip());
    expect(execFileSync('xmllint', ['--noout', '--schema', XSD, qde], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
  });
});

describe.skipIf(!sharedDataAvailable)("../shared/data's REFI files after import → export", () => {
  for (const name of ['atlasti8_standard_project.qde', 'atlasti8_standard_project_nosources.qdpx']) {
    it(`${name} still passes the schema check`, async () => {
      await t.newProject(name.replace(/\W/g, '_'));
      await t.call('import.qdpx', { path: sharedData(`qda/refi/${name}`) });
      const out = await t.call('export.qdpx', { path: path.join(t.dir, `${name}.qdpx`) });
      const qde = path.join(t.dir, `${name}.out.qde`);
      const xml = new TextDecoder().decode(unzipSync(fs.readFileSync(out.path))['project.qde']);
      fs.writeFileSync(qde, xml);
      expect(execFileSync('xmllint', ['--noout', '--schema', XSD, qde], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })).toBe('');
      // Its sets and non-codable codes come back too.
      expect((xml.match(/<Set /g) ?? []).length).toBe(16);
    });
  }
});
