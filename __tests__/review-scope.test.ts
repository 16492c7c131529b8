/**
 * What a change review synthesizes: only the changed clients when nothing else that the synthesis reads differs,
 * else everything, saying why.
 */
import { comparisonScope } from '../review/scope';

const scope = (changed: string[], clientsPath = 'clients', projectPath = '.') => comparisonScope({ changed, projectPath, clientsPath });

test('client files only, with documentation, tests and CI definitions beside them: those clients', () => {
  expect(
    scope(['clients/alpha.be.yaml', 'clients/beta.be.yaml', 'README.md', '__tests__/x.test.ts', '.github/workflows/plan.yml']),
  ).toEqual({
    mode: 'selective',
    clients: ['alpha.be', 'beta.be'],
    reason: expect.stringContaining('only those 2 clients are synthesized, on both sides'),
  });
  expect(scope([])).toEqual({ mode: 'selective', clients: [], reason: expect.stringContaining('no stack can change') });
});

test('code, lock file, provider schemas, agency.yaml or an odd file in the clients folder: everything, saying why', () => {
  expect(scope(['clients/alpha.be.yaml', 'main.ts'])).toEqual({
    mode: 'full',
    reason: 'the code differs (`main.ts`), so any stack may change',
  });
  expect(scope(['package-lock.json']).mode).toBe('full');
  expect(scope(['provider-schema/ovh.json']).mode).toBe('full');
  expect(scope(['clients/agency.yaml'])).toEqual({ mode: 'full', reason: '`clients/agency.yaml` differs, which may change every stack' });
  expect(scope(['clients/alpha.be.yml']).mode).toBe('full');
  expect(scope(['clients/Bad,Name.yaml']).mode).toBe('full');
  const many = scope(['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts', 'f.ts', 'g.ts']);
  expect(many).toEqual({
    mode: 'full',
    reason: 'the code differs (`a.ts`, `b.ts`, `c.ts`, `d.ts`, `e.ts` and 2 more), so any stack may change',
  });
});

test('a project in a folder of a larger repository: what lies outside it is no input', () => {
  expect(scope(['infra/clients/alpha.be.yaml', 'website/index.ts'], 'infra/clients', 'infra')).toEqual(
    expect.objectContaining({ mode: 'selective', clients: ['alpha.be'] }),
  );
  expect(scope(['infra/main.ts'], 'infra/clients', 'infra').mode).toBe('full');
});
