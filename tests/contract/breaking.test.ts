/**
 * The breaking gate's rules, as a table: for every rule one breaking edit and one compatible edit,
 * in each direction it applies to (HTTP request and response, WebSocket inbound and outbound, our
 * guard extensions and the envelope). The breaking edits are made together on one copy of the
 * fixture and the compatible ones on another, so Redocly runs four times instead of a hundred; the
 * fixture gives each edit its own operation, schema or message so no edit hides another.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compareContracts } from '../../codegen/breaking/gate.js';
import type { Break, ContractDocs } from '../../codegen/breaking/policy.js';
import { httpCases, type Case } from './breaking.cases-http.js';
import { wsCases } from './breaking.cases-ws.js';
import { released } from './breaking.fixture.js';

const cases: Case[] = [...httpCases, ...wsCases];

const claims = (c: Case, b: Break) =>
  b.rule === c.rule && b.subject === c.subject && (!c.pointer || b.pointer.includes(c.pointer));

describe('the breaking gate, rule by rule', () => {
  let breaking: Break[] = [];
  let compatible: Break[] = [];
  beforeAll(async () => {
    const apply = (which: 'breaking' | 'compatible') => {
      const d = released();
      for (const c of cases) c[which]?.[1](d);
      return compareContracts(released() as ContractDocs, d as ContractDocs);
    };
    const [b, c] = await Promise.all([apply('breaking'), apply('compatible')]);
    [breaking, compatible] = [b.breaks, c.breaks];
  });

  it('when nothing changed, then there is no break', async () => {
    const r = await compareContracts(released() as ContractDocs, released() as ContractDocs);
    expect(r.breaks).toEqual([]);
  });

  for (const c of cases) {
    const name = `${c.rule} (${c.where}, ${c.subject})`;
    const [breakingEdit, compatibleEdit] = [c.breaking, c.compatible];
    if (breakingEdit)
      it(`${name}: when ${breakingEdit[0]}, then it fires`, () => {
        expect(
          breaking.filter((b) => claims(c, b)),
          JSON.stringify(breaking, null, 1),
        ).not.toEqual([]);
      });
    if (compatibleEdit)
      it(`${name}: when ${compatibleEdit[0]}, then it stays silent`, () => {
        expect(compatible.filter((b) => b.rule === c.rule)).toEqual([]);
      });
  }

  it('when every compatible edit is made at once, then nothing breaks at all', () => {
    expect(compatible).toEqual([]);
  });

  it('when every breaking edit is made at once, then each break belongs to one of the edits and reads as a line', () => {
    expect(breaking.filter((b) => !cases.some((c) => claims(c, b)))).toEqual([]);
    for (const b of breaking) {
      expect(b.message.length).toBeGreaterThan(0);
      expect(b.at.length).toBeGreaterThan(0);
    }
  });
});
