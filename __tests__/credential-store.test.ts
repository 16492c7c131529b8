/**
 * The credential store through its command, as engineers and CI run it: accounts added with the public recipients
 * only, a job given exactly the accounts its stacks declare (masked first), never another client's, and no value
 * ever printed except in the masking commands and the job's environment file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { credentialsCommand } from '../ci/credentials';
import { runForTest } from './command';

/** The command as its entry script runs it, with only the given environment; its standard error as one string. */
async function credentials(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { code, out, err } = await runForTest(credentialsCommand, args, { env });
  return { code, out, err: err.join('\n') };
}

/** An age identity and its recipient, made by the same library. */
async function keyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
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

/** An account's values, shaped as OVH gives them: 16 letters and digits for the key, 32 for the secret and consumer key. */
const values = (n: number) => ({
  OVH_APPLICATION_KEY: `Ak${n}q7Lm2Zp9Rt4Wb`,
  OVH_APPLICATION_SECRET: `As${n}Hd8Kv3Nf6Qj1Xc5Gm9Pr2Tz7Bw4Ly`,
  OVH_CONSUMER_KEY: `Ck${n}Vn5Jr8Df2Sh6Mq9Wk3Ya7Ep1Ug4Zo`,
});

test("a job gets only the accounts its stacks declare, masked before they are exported; another client's is refused", async () => {
  const ci = await keyPair();
  const engineer = await keyPair();
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'read.json');
  expect((await credentials(['init', '--store', store, '--recipient', ci.recipient, '--recipient', engineer.recipient])).code).toBe(0);
  expect((await credentials(['set', '--store', store, '--account', 'cedricfrancoys', '--scope', 'agency'], values(1))).code).toBe(0);
  expect((await credentials(['set', '--store', store, '--account', 'alpha_be', '--scope', 'alpha.be'], values(2))).code).toBe(0);
  expect((await credentials(['set', '--store', store, '--account', 'beta_be', '--scope', 'beta.be'], values(3))).code).toBe(0);
  // The file holds no value in clear: only what the recipients can open.
  const text = fs.readFileSync(store, 'utf8');
  for (const n of [1, 2, 3]) for (const value of Object.values(values(n))) expect(text).not.toContain(value);

  const dir = stacks({ 'alpha.be': ['alpha_be', 'cedricfrancoys'], 'beta.be': ['beta_be'], 'thief.be': ['alpha_be'] });
  const envFile = path.join(path.dirname(store), 'github-env');
  fs.writeFileSync(envFile, '');
  const exported = await credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'alpha.be', '--github-env', envFile], {
    OVH_IAC_AGE_IDENTITY: ci.identity,
  });
  expect(exported.code).toBe(0);
  expect(exported.out.slice(0, 6)).toEqual([...Object.values(values(2)), ...Object.values(values(1))].map((v) => `::add-mask::${v}`));
  expect(exported.out[6]).toBe('Exported the credentials of 2 account(s) for 1 stack(s): alpha_be, cedricfrancoys.');
  expect(fs.readFileSync(envFile, 'utf8')).toBe(
    [
      `TF_VAR_ovh_alpha_be_application_key=${values(2).OVH_APPLICATION_KEY}`,
      `TF_VAR_ovh_alpha_be_application_secret=${values(2).OVH_APPLICATION_SECRET}`,
      `TF_VAR_ovh_alpha_be_consumer_key=${values(2).OVH_CONSUMER_KEY}`,
      `TF_VAR_ovh_cedricfrancoys_application_key=${values(1).OVH_APPLICATION_KEY}`,
      `TF_VAR_ovh_cedricfrancoys_application_secret=${values(1).OVH_APPLICATION_SECRET}`,
      `TF_VAR_ovh_cedricfrancoys_consumer_key=${values(1).OVH_CONSUMER_KEY}`,
      '',
    ].join('\n'),
  );

  const stolen = await credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'thief.be', '--github-env', envFile], {
    OVH_IAC_AGE_IDENTITY: ci.identity,
  });
  expect(stolen).toMatchObject({
    code: 1,
    err: 'credentials: stack "thief.be" declares account "alpha_be", which belongs to "alpha.be": refused',
  });
  const wrongKey = await credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'beta.be', '--github-env', envFile], {
    OVH_IAC_AGE_IDENTITY: (await keyPair()).identity,
  });
  expect(wrongKey).toMatchObject({ code: 1, err: expect.stringContaining('account "beta_be": cannot be decrypted with this identity') });
  for (const value of [1, 2, 3].flatMap((n) => Object.values(values(n)))) expect(`${stolen.err}${wrongKey.err}`).not.toContain(value);
});

test('rotation: a new CI key is added and every account encrypted again; the old key then reads nothing', async () => {
  const old = await keyPair();
  const next = await keyPair();
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'read.json');
  await credentials(['init', '--store', store, '--recipient', old.recipient]);
  await credentials(['set', '--store', store, '--account', 'cedricfrancoys', '--scope', 'agency'], values(1));
  expect((await credentials(['recipients', '--store', store, '--add', next.recipient, '--remove', old.recipient])).code).toBe(0);
  expect(await credentials(['rekey', '--store', store], { OVH_IAC_AGE_IDENTITY: old.identity })).toMatchObject({
    code: 0,
    out: ['1 account(s) encrypted again to 1 recipient(s).'],
  });
  const dir = stacks({ agency: ['cedricfrancoys'] });
  const envFile = path.join(path.dirname(store), 'env');
  expect(
    (
      await credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'agency', '--github-env', envFile], {
        OVH_IAC_AGE_IDENTITY: next.identity,
      })
    ).code,
  ).toBe(0);
  expect(
    (
      await credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'agency', '--github-env', envFile], {
        OVH_IAC_AGE_IDENTITY: old.identity,
      })
    ).code,
  ).toBe(1);
  // A moved ciphertext is refused: beta's entry copied under alpha's name.
  await credentials(['set', '--store', store, '--account', 'alpha_be', '--scope', 'alpha.be'], values(2));
  const json = JSON.parse(fs.readFileSync(store, 'utf8'));
  json.accounts.cedricfrancoys = { scope: 'agency', ciphertext: json.accounts.alpha_be.ciphertext };
  fs.writeFileSync(store, JSON.stringify(json));
  expect(
    (
      await credentials(['export', '--store', store, '--stacks-dir', dir, '--stacks', 'agency', '--github-env', envFile], {
        OVH_IAC_AGE_IDENTITY: next.identity,
      })
    ).err,
  ).toContain("its ciphertext is not this account's");
});

test('set says what is wrong with each value and option, and which is expected, never repeating a value; the store is left as it was', async () => {
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'store-')), 'read.json');
  await credentials(['init', '--store', store, '--recipient', (await keyPair()).recipient]);
  const before = fs.readFileSync(store, 'utf8');
  const set = (account: string, scope: string, env: Record<string, string>) =>
    credentials(['set', '--store', store, '--account', account, '--scope', scope], { ...values(1), ...env });
  const mistakes = await set('alpha_be', 'alpha.be', {
    OVH_APPLICATION_KEY: 'Ak1q7Lm2',
    OVH_APPLICATION_SECRET: 'As1Hd8Kv3Nf6 Qj1Xc5Gm9Pr2Tz7Bw4Ly',
    OVH_CONSUMER_KEY: '<consumer_key>',
  });
  expect(mistakes.code).toBe(1);
  expect(mistakes.err.split('\n').slice(0, 3)).toEqual([
    'credentials: OVH_APPLICATION_KEY is 8 characters long: OVH gives 16 letters and digits (cut while copying?)',
    'credentials: OVH_APPLICATION_SECRET holds a space: paste the value alone, as OVH shows it',
    'credentials: OVH_CONSUMER_KEY holds characters other than letters and digits (quotes, "<...>", "..."): paste the value OVH gave, alone',
  ]);
  expect(mistakes.err).not.toMatch(/^credentials: \[/m);
  expect((await set('alpha_be', 'alpha.be', { OVH_CONSUMER_KEY: 'x'.repeat(32) })).err.split('\n')[0]).toBe(
    'credentials: OVH_CONSUMER_KEY looks like a placeholder, not a value OVH gave: paste the real one',
  );
  expect((await set('alpha_be', 'alpha.be', { OVH_CONSUMER_KEY: values(1).OVH_APPLICATION_SECRET })).err.split('\n')[0]).toBe(
    'credentials: OVH_CONSUMER_KEY is the same as OVH_APPLICATION_SECRET: each is a value of its own',
  );
  expect((await set('betterfinance.eu', 'betterfinance.eu', {})).err.split('\n')[0]).toBe(
    'credentials: --account: expected an account key, as in TF_VAR_ovh_<key>_application_key: lower-case letters, digits and "_" (here "betterfinance_eu")',
  );
  expect((await set('betterfinance_eu', 'betterfinance_eu', {})).err.split('\n')[0]).toMatch(
    /^credentials: --scope: expected "agency" or a client id, as its file is named in clients\/ \(like "betterfinance\.eu"/,
  );
  expect((await set('cedricfrancoys', 'betterfinance.eu', {})).err.split('\n')[0]).toBe(
    'credentials: --account: is not an account of client "betterfinance.eu": expected "betterfinance_eu" (the client\'s) or "<product>_betterfinance_eu" (one of its isolated products\')',
  );
  for (const result of [mistakes]) for (const value of ['Ak1q7Lm2', 'Qj1Xc5Gm9Pr2Tz7Bw4Ly']) expect(result.err).not.toContain(value);
  expect(fs.readFileSync(store, 'utf8')).toBe(before);
  expect((await set('eshop_betterfinance_eu', 'betterfinance.eu', {})).code).toBe(0);
});
