import { describe, expect, it } from 'vitest';
import { mustClass, mustClasses } from '../../frontends/lib/css-modules.js';

describe('mustClass', () => {
  const styles = { card: 'card_x1', button: 'button_y2', empty: '' };
  it('when the class exists, then its hashed name is returned', () => {
    expect(mustClass(styles, 'card')).toBe('card_x1');
    expect(mustClasses(styles, 'card', false, 'button')).toBe('card_x1 button_y2');
  });
  it('when the class is missing or empty, then it throws naming the class', () => {
    expect(() => mustClass(styles, 'crad')).toThrow(/no class "crad"/);
    expect(() => mustClass(styles, 'empty')).toThrow(/"empty"/);
    expect(() => mustClass(styles, 'toString')).toThrow();
  });
});
