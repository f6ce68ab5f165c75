/** What a person is shown of an input value: no invisible or reordering characters, no live link. */
import { defangLinks, displayText, formatCharacters } from '../../shared/display-text';

const RLO = '\u202e';
const ZWSP = '\u200b';
const ZWJ = '\u200d';

describe('formatCharacters', () => {
  it('strips or shows every bidi control and zero-width character', () => {
    const all = [
      '\u200b', // zero-width space
      '\u200c', // zero-width non-joiner
      '\u200d', // zero-width joiner
      '\u200e', // left-to-right mark
      '\u200f', // right-to-left mark
      '\u202a', // LRE
      '\u202b', // RLE
      '\u202c', // PDF
      '\u202d', // LRO
      '\u202e', // RLO
      '\u2060', // word joiner
      '\u2066', // LRI
      '\u2067', // RLI
      '\u2068', // FSI
      '\u2069', // PDI
      '\ufeff', // BOM
      '\u00ad', // soft hyphen
      '\u061c', // Arabic letter mark
    ];
    for (const c of all) {
      expect(formatCharacters(`a${c}b`, 'strip')).toBe('ab');
      expect(formatCharacters(`a${c}b`, 'show')).toBe(
        `a\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}b`,
      );
    }
  });

  it('keeps letters of every script, spaces and punctuation', () => {
    const fine = 'Zoë Ångström-Łukasz 李雷 مريم (it) 1.5';
    expect(formatCharacters(fine, 'strip')).toBe(fine);
    expect(formatCharacters(fine, 'show')).toBe(fine);
  });
});

describe('defangLinks', () => {
  it.each([
    ['https://evil.example', 'hxxps[:]//evil[.]example'],
    ['http://evil.example/login?x=1', 'hxxp[:]//evil[.]example/login?x=1'],
    ['HTTPS://EVIL.EXAMPLE', 'hxxps[:]//EVIL[.]EXAMPLE'],
    ['ftp://files.example', 'ftp[:]//files[.]example'],
    ['see www.evil.example today', 'see www[.]evil[.]example today'],
    ['evil.example/x', 'evil[.]example/x'],
    ['mx.evil.example:25', 'mx[.]evil[.]example:25'],
    ['[x](http://e)', '[x](hxxp[:]//e)'],
    ['évil.exämple/x', 'évil[.]exämple/x'],
  ])('%s -> %s', (value, expected) => {
    expect(defangLinks(value)).toBe(expected);
  });

  it.each([
    'alice.martin',
    'Alice Martin',
    'bo@example.com',
    'example.com: 550 user unknown',
    'version 1.5/2',
    '',
  ])('leaves %j as it is', (value) => {
    expect(defangLinks(value)).toBe(value);
  });
});

describe('displayText', () => {
  it('removes format characters before looking for links, so none hides one', () => {
    expect(displayText(`ht${ZWSP}tps://evil${ZWJ}.example`, 'strip')).toBe(
      'hxxps[:]//evil[.]example',
    );
    expect(displayText(`www${ZWSP}.evil.example`, 'strip')).toBe('www[.]evil[.]example');
  });

  it('shows what it does not strip', () => {
    expect(displayText(`Alice${RLO}nitraM`, 'show')).toBe('Alice\\u202enitraM');
    expect(displayText(`Jo${ZWJ}hn`, 'strip')).toBe('John');
  });
});
