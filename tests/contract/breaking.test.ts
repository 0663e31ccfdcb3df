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

const claims = (caseItem: Case, breakItem: Break) =>
  breakItem.rule === caseItem.rule &&
  breakItem.subject === caseItem.subject &&
  (!caseItem.pointer || breakItem.pointer.includes(caseItem.pointer));

describe('the breaking gate, rule by rule', () => {
  let breaking: Break[] = [];
  let compatible: Break[] = [];
  beforeAll(async () => {
    const apply = (which: 'breaking' | 'compatible') => {
      const data = released();
      for (const caseItem of cases) caseItem[which]?.[1](data);
      return compareContracts(released() as ContractDocs, data as ContractDocs);
    };
    const [diffResult, item] = await Promise.all([apply('breaking'), apply('compatible')]);
    [breaking, compatible] = [diffResult.breaks, item.breaks];
  });

  it('when nothing changed, then there is no break', async () => {
    const diffResult = await compareContracts(
      released() as ContractDocs,
      released() as ContractDocs,
    );
    expect(diffResult.breaks).toEqual([]);
  });

  for (const caseItem of cases) {
    const name = `${caseItem.rule} (${caseItem.where}, ${caseItem.subject})`;
    const [breakingEdit, compatibleEdit] = [caseItem.breaking, caseItem.compatible];
    if (breakingEdit)
      it(`${name}: when ${breakingEdit[0]}, then it fires`, () => {
        expect(
          breaking.filter((breakItem) => claims(caseItem, breakItem)),
          JSON.stringify(breaking, null, 1),
        ).not.toEqual([]);
      });
    if (compatibleEdit)
      it(`${name}: when ${compatibleEdit[0]}, then it stays silent`, () => {
        expect(compatible.filter((breakItem) => breakItem.rule === caseItem.rule)).toEqual([]);
      });
  }

  it('when every compatible edit is made at once, then nothing breaks at all', () => {
    expect(compatible).toEqual([]);
  });

  it('when every breaking edit is made at once, then each break belongs to one of the edits and reads as a line', () => {
    expect(
      breaking.filter((breakItem) => !cases.some((caseItem) => claims(caseItem, breakItem))),
    ).toEqual([]);
    for (const breakItem of breaking) {
      expect(breakItem.message.length).toBeGreaterThan(0);
      expect(breakItem.at.length).toBeGreaterThan(0);
    }
  });
});
