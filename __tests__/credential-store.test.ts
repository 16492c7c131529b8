/**
 * The credential store through its command, as engineers and CI run it: accounts added with the public recipients
 * only, a job given exactly the accounts its stacks declare (masked first), never another client's, and no value
 * ever printed except in the masking commands and the job's environment file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

function credentials(args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'ci', 'credentials-cli.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...env },
  });
  return { code: result.status, out: result.stdout.trim().split('\n').filter(Boolean), err: result.stderr.trim() };
}

/** An age identity and its recipient, made by the same library. */
function keyPair(): { identity: string; recipient: string } {
  const script =
    "import('age-encryption').then(async (age) => { const identity = await age.generateIdentity(); console.log(JSON.stringify({ identity, recipient: await age.identityToRecipient(identity) })); })";
  return JSON.parse(spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8' }).stdout);
}

function stacks(declared: Record<string, string[]>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'store-stacks-'));
  for (const [stack, accounts] of Object.entries(declared)) {
    fs.mkdirSync(path.join(outdir, 'stacks', stack), { recursive: true });
    const variable = Object.fromEntries(
      accounts.flatMap((a) =>
        ['application_key', 'application_secret', 'consumer_key'].map((c) => [`ovh_${a}_${c}`, { type: 'string', sensitive: true }]),
      ),
    );
    fs.writeFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify({ variable }));
  }
  return outdir;
}

const values = (n: number) => ({
  OVH_APPLICATION_KEY: `appkey${n}xxxx`,
  OVH_APPLICATION_SECRET: `appsecret${n}yyyy`,
  OVH_CONSUMER_KEY: `consumer${n}zzzz`,
});

jest.setTimeout(120_000);

test("a job gets only the accounts its stacks declare, masked before they are exported; another client's is refused", () => {
  const ci = keyPair();
  const engineer = keyPair();
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'read.json');
  expect(credentials(['init', '--store', store, '--recipient', ci.recipient, '--recipient', engineer.recipient]).code).toBe(0);
  expect(credentials(['set', '--store', store, '--account', 'cedricfrancoys', '--scope', 'agency'], values(1)).code).toBe(0);
  expect(credentials(['set', '--store', store, '--account', 'alpha_be', '--scope', 'alpha.be'], values(2)).code).toBe(0);
  expect(credentials(['set', '--store', store, '--account', 'beta_be', '--scope', 'beta.be'], values(3)).code).toBe(0);
  // The file holds no value in clear: only what the recipients can open.
  const text = fs.readFileSync(store, 'utf8');
  for (const n of [1, 2, 3]) for (const value of Object.values(values(n))) expect(text).not.toContain(value);

  const dir = stacks({ 'alpha.be': ['alpha_be', 'cedricfrancoys'], 'beta.be': ['beta_be'], 'thief.be': ['alpha_be'] });
  const envFile = path.join(path.dirname(store), 'github-env');
  fs.writeFileSync(envFile, '');
  const exported = credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'alpha.be', '--github-env', envFile], {
    OVH_IAC_AGE_IDENTITY: ci.identity,
  });
  expect(exported.code).toBe(0);
  expect(exported.out.slice(0, 6)).toEqual([...Object.values(values(2)), ...Object.values(values(1))].map((v) => `::add-mask::${v}`));
  expect(exported.out[6]).toBe('Exported the credentials of 2 account(s) for 1 stack(s): alpha_be, cedricfrancoys.');
  expect(fs.readFileSync(envFile, 'utf8')).toBe(
    [
      'TF_VAR_ovh_alpha_be_application_key=appkey2xxxx',
      'TF_VAR_ovh_alpha_be_application_secret=appsecret2yyyy',
      'TF_VAR_ovh_alpha_be_consumer_key=consumer2zzzz',
      'TF_VAR_ovh_cedricfrancoys_application_key=appkey1xxxx',
      'TF_VAR_ovh_cedricfrancoys_application_secret=appsecret1yyyy',
      'TF_VAR_ovh_cedricfrancoys_consumer_key=consumer1zzzz',
      '',
    ].join('\n'),
  );

  const stolen = credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'thief.be', '--github-env', envFile], {
    OVH_IAC_AGE_IDENTITY: ci.identity,
  });
  expect(stolen).toMatchObject({
    code: 1,
    err: 'credentials: stack "thief.be" declares account "alpha_be", which belongs to "alpha.be": refused',
  });
  const wrongKey = credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'beta.be', '--github-env', envFile], {
    OVH_IAC_AGE_IDENTITY: keyPair().identity,
  });
  expect(wrongKey).toMatchObject({ code: 1, err: expect.stringContaining('account "beta_be": cannot be decrypted with this identity') });
  expect(`${stolen.err}${wrongKey.err}`).not.toMatch(/appkey|appsecret|consumer\d/);
});

test('rotation: a new CI key is added and every account encrypted again; the old key then reads nothing', () => {
  const old = keyPair();
  const next = keyPair();
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'read.json');
  credentials(['init', '--store', store, '--recipient', old.recipient]);
  credentials(['set', '--store', store, '--account', 'cedricfrancoys', '--scope', 'agency'], values(1));
  expect(credentials(['recipients', '--store', store, '--add', next.recipient, '--remove', old.recipient]).code).toBe(0);
  expect(credentials(['rekey', '--store', store], { OVH_IAC_AGE_IDENTITY: old.identity })).toMatchObject({
    code: 0,
    out: ['1 account(s) encrypted again to 1 recipient(s).'],
  });
  const dir = stacks({ agency: ['cedricfrancoys'] });
  const envFile = path.join(path.dirname(store), 'env');
  expect(
    credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'agency', '--github-env', envFile], {
      OVH_IAC_AGE_IDENTITY: next.identity,
    }).code,
  ).toBe(0);
  expect(
    credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'agency', '--github-env', envFile], {
      OVH_IAC_AGE_IDENTITY: old.identity,
    }).code,
  ).toBe(1);
  // A moved ciphertext is refused: beta's entry copied under alpha's name.
  credentials(['set', '--store', store, '--account', 'alpha_be', '--scope', 'alpha.be'], values(2));
  const json = JSON.parse(fs.readFileSync(store, 'utf8'));
  json.accounts.cedricfrancoys = { scope: 'agency', ciphertext: json.accounts.alpha_be.ciphertext };
  fs.writeFileSync(store, JSON.stringify(json));
  expect(
    credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'agency', '--github-env', envFile], {
      OVH_IAC_AGE_IDENTITY: next.identity,
    }).err,
  ).toContain("its ciphertext is not this account's");
});
