import { describe, expect, it } from 'vitest';
import { jsonString } from './json-string.js';

describe('jsonString', () => {
  it.each([
    '',
    'req_abc_1',
    '/api/v1/site/enquiries',
    '203.0.113.9',
    '"',
    '\\',
    'a\nb',
    '\u0000',
    '\u001f',
    '\u007f',
    'caf\u00e9',
    '\u{1F600}',
    'lone \ud800',
    '</script>',
    " ~!#$%&'()*+,-./:;<=>?@[]^_`{|}",
  ])('when the value is %j, then the text is exactly JSON.stringify of it', (value) => {
    expect(jsonString(value)).toBe(JSON.stringify(value));
  });
});
