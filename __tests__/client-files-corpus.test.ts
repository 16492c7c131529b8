/**
 * The corpus of bad, hostile and odd files (`client-files-corpus.ts`): each refused case gets exactly the problems it
 * lists, with file, line and field, in plain words; the legitimate ones load, alone and all together.
 */
import { acceptedFiles, corpusFolder, problemsIn, refusedCases } from './client-files-corpus';

describe('refused', () => {
  test.each(refusedCases().map((c) => [c.name, c] as const))('%s', (_name, corpusCase) => {
    expect(corpusCase.expected.length).toBeGreaterThan(0);
    expect(problemsIn(corpusFolder([corpusCase]))).toEqual(corpusCase.expected);
  });

  test('no message shows a regular expression or zod’s and the YAML parser’s own wording', () => {
    const messages = refusedCases().flatMap((c) => problemsIn(corpusFolder([c])));
    for (const message of messages) {
      expect(message).not.toMatch(
        /\/\^|\[a-z|\\d|Invalid input|Too (big|small)|Unrecognized key|received|Map keys must|Implicit|at line \d+, column/,
      );
    }
  });
});

describe('accepted', () => {
  const files = acceptedFiles();

  test.each(Object.keys(files))('%s', (name) => {
    expect(problemsIn(corpusFolder([{ files: { [name]: files[name] } }]))).toEqual([]);
  });

  test('all together, as one folder', () => {
    expect(problemsIn(corpusFolder([{ files }]))).toEqual([]);
  });
});
