import { describe, expect, it } from 'vitest';
import { csvCell, csvEventRow, csvRow } from './csv.ts';

describe('csv', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['=HYPERLINK("http://evil","x")', `"'=HYPERLINK(""http://evil"",""x"")"`],
    ['+1+1', "'+1+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    [' padded ', '" padded "'],
  ])('%j -> %s', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });

  it('writes numbers, booleans, nulls, arrays and objects', () => {
    expect(csvRow([1, true, null, undefined, ['a', 'b'], { k: 'v' }])).toBe('1,true,,,"[""a"",""b""]","{""k"":""v""}"\r\n');
  });

  it('takes columns from nested fields', () => {
    expect(csvEventRow({ host: { name: 'web-1' }, message: 'x' }, ['host.name', 'message', 'missing'])).toBe('web-1,x,\r\n');
  });
});
