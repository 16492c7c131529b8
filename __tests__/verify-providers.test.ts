/**
 * `npm run providers`: the real providers are kept where they are, and what stops a build is said plainly, with where
 * a binary may be put instead; nothing half-built is left in the mirror. (`.ci/run` runs the real `go install`.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { providerBinary, providersCommand, requireProviders } from '../verify/providers';
import { runForTest } from './command';

const folder = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

/** A PATH holding only `go`, as the script given (none when undefined). */
function pathWithGo(script?: string): string {
  const bin = folder('bin-');
  if (script) fs.writeFileSync(path.join(bin, 'go'), `#!/bin/sh\n${script}\n`, { mode: 0o755 });
  return bin;
}

const providers = (dir: string, PATH: string) => runForTest(providersCommand, [], { env: { OVH_IAC_PROVIDERS_DIR: dir, PATH } });

test('providers already in the folder are kept, without Go', async () => {
  const dir = folder('providers-');
  for (const name of ['ovh', 'random'] as const) {
    fs.mkdirSync(path.dirname(providerBinary(dir, name)), { recursive: true });
    fs.writeFileSync(providerBinary(dir, name), '#!/bin/sh\n', { mode: 0o755 });
  }
  const run = await providers(dir, pathWithGo());
  expect(run.code).toBe(0);
  expect(run.out).toEqual([
    expect.stringMatching(/^ovh\/ovh 2\.19\.0: present/),
    expect.stringMatching(/^hashicorp\/random 3\.7\.2: present/),
  ]);
  expect(requireProviders(dir)).toBe(dir);
});

test('without Go, says what builds them and where a binary may be put instead', async () => {
  const dir = folder('providers-');
  const run = await providers(dir, pathWithGo());
  expect(run.code).toBe(1);
  expect(run.err[0]).toBe(
    `providers: ovh/ovh 2.19.0: building it needs Go (1.25 or later) on the PATH. A machine with registry access needs no build ` +
      `(terraform downloads the providers itself); elsewhere, put its binary at ${providerBinary(dir, 'ovh')}.`,
  );
  expect(() => requireProviders(dir)).toThrow(/run `npm run providers`/);
});

test("a module the Go proxy refuses is named with go's own words, and nothing is left half-built", async () => {
  const dir = folder('providers-');
  const refusing = pathWithGo(
    [
      'if [ "$1" = version ]; then echo "go version go1.26.8 linux/amd64"; exit 0; fi',
      'for arg; do module=$arg; done',
      'echo "go: $module: reading https://proxy.golang.org/x/@v/v.info: 403 Forbidden" >&2',
      'echo "	server response: This module version is not available." >&2',
      'exit 1',
    ].join('\n'),
  );
  const run = await providers(dir, refusing);
  expect(run.code).toBe(1);
  expect(run.err).toEqual(
    expect.arrayContaining([
      expect.stringContaining(
        'providers: ovh/ovh 2.19.0: the Go module proxy (GOPROXY) did not serve github.com/ovh/terraform-provider-ovh/v2@v2.19.0.',
      ),
      expect.stringContaining('go: go: github.com/ovh/terraform-provider-ovh/v2@v2.19.0: reading https://proxy.golang.org'),
    ]),
  );
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('each provider is built as its releases are: no cgo, -trimpath, no symbols, the variables they set at link time', async () => {
  const dir = folder('providers-');
  const calls = path.join(folder('go-calls-'), 'calls');
  // Records its environment's CGO_ENABLED and its arguments, one a line, and "builds" the command go names after the
  // module's path (its last element, less a major version's).
  const building = pathWithGo(
    [
      'if [ "$1" = version ]; then echo "go version go1.26.8 linux/amd64"; exit 0; fi',
      `{ echo "CGO_ENABLED=$CGO_ENABLED"; for arg; do echo "$arg"; done; echo; } >> ${JSON.stringify(calls)}`,
      'for arg; do module=${arg%@*}; done',
      'module=${module%/v[0-9]}',
      'printf "#!/bin/sh\\n" > "$GOBIN/${module##*/}" && /bin/chmod +x "$GOBIN/${module##*/}"',
    ].join('\n'),
  );
  expect((await providers(dir, building)).code).toBe(0);
  const [ovh, random] = fs
    .readFileSync(calls, 'utf8')
    .trim()
    .split('\n\n')
    .map((call) => call.split('\n'));
  expect(ovh).toEqual([
    'CGO_ENABLED=0',
    'install',
    '-trimpath',
    '-ldflags=-s -w -X github.com/ovh/terraform-provider-ovh/v2/ovh.providerVersion=2.19.0 ' +
      '-X github.com/ovh/terraform-provider-ovh/v2/ovh.providerCommit=913f92cb66a9a396ff7bb6cbf8f7f1c5cc0a7c21',
    'github.com/ovh/terraform-provider-ovh/v2@v2.19.0',
  ]);
  expect(random).toEqual([
    'CGO_ENABLED=0',
    'install',
    '-trimpath',
    '-ldflags=-s -w',
    'github.com/terraform-providers/terraform-provider-random@v1.3.2-0.20250422105519-bc2ddb552b46',
  ]);
  expect(requireProviders(dir)).toBe(dir);
});
