/**
 * The plugin side of go-plugin, as Terraform's client expects it (hashicorp/go-plugin: client.go, mtls.go,
 * grpc_client.go): Terraform starts the provider with its magic cookie and a one-time client certificate in
 * `PLUGIN_CLIENT_CERT`; the provider serves gRPC with mutual TLS on a socket, then prints one line on standard output,
 * `1|6|unix|<socket>|grpc|<server certificate, DER, unpadded base64>`, and Terraform connects as `localhost`.
 * `plugin.GRPCController/Shutdown` ends the process at once (otherwise Terraform waits 2 s before killing it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

/** go-plugin's handshake values for Terraform providers (hashicorp/terraform, internal/plugin6/serve.go). */
const MAGIC_COOKIE = { key: 'TF_PLUGIN_MAGIC_COOKIE', value: 'd602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2' };
const CORE_PROTOCOL_VERSION = 1;
const PROVIDER_PROTOCOL_VERSION = 6;

export type Handlers = Record<string, (request: Record<string, unknown>) => Promise<unknown> | unknown>;

function loadProto(protoDir: string, file: string) {
  const definition = protoLoader.loadSync(path.join(protoDir, file), {
    keepCase: true,
    longs: Number,
    enums: String,
    defaults: true,
    oneofs: true,
  });
  return grpc.loadPackageDefinition(definition);
}

/** `[service]` of a loaded package, e.g. `service(pkg, 'tfplugin6.Provider')`. */
function service(loaded: grpc.GrpcObject, name: string): grpc.ServiceDefinition {
  const found = name
    .split('.')
    .reduce<unknown>((scope, part) => (scope as Record<string, unknown>)[part], loaded) as grpc.ServiceClientConstructor;
  return found.service;
}

function unary(
  handle: (request: Record<string, unknown>) => Promise<unknown> | unknown,
): grpc.handleUnaryCall<Record<string, unknown>, unknown> {
  return (call, callback) => {
    Promise.resolve()
      .then(() => handle(call.request))
      .then(
        (response) => callback(null, response),
        (error: Error) => {
          process.stderr.write(`provider stand-in: ${error.stack ?? error.message}\n`);
          callback({ code: grpc.status.INTERNAL, details: error.message });
        },
      );
  };
}

/** The server certificate as go-plugin prints it: DER, base64 without padding. */
function handshakeCertificate(pem: string): string {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return der.toString('base64').replace(/=+$/, '');
}

export interface ServeOptions {
  protoDir: string;
  /** The server's certificate and key (PEM). */
  certificate: string;
  key: string;
  provider: Handlers;
}

export async function serve({ protoDir, certificate, key, provider }: ServeOptions): Promise<void> {
  if (process.env[MAGIC_COOKIE.key] !== MAGIC_COOKIE.value) {
    process.stderr.write('This is a Terraform provider plugin (a local stand-in): Terraform starts it, it is not run by hand.\n');
    process.exit(1);
  }
  const server = new grpc.Server();
  const handlers = (definitions: Handlers) =>
    Object.fromEntries(Object.entries(definitions).map(([name, handle]) => [name, unary(handle)]));
  server.addService(service(loadProto(protoDir, 'tfplugin6.proto'), 'tfplugin6.Provider'), handlers(provider));
  server.addService(
    service(loadProto(protoDir, 'health.proto'), 'grpc.health.v1.Health'),
    handlers({ Check: () => ({ status: 'SERVING' }) }),
  );
  const socketDir = fs.mkdtempSync(path.join(process.env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), 'ovh-iac-plugin-'));
  const socket = path.join(socketDir, 'plugin.sock');
  const exit = (code: number) => {
    fs.rmSync(socketDir, { recursive: true, force: true });
    process.exit(code);
  };
  server.addService(service(loadProto(protoDir, 'go-plugin.proto'), 'plugin.GRPCController'), {
    Shutdown: unary(() => {
      setImmediate(() => exit(0));
      return {};
    }),
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => exit(0));

  const clientCertificate = process.env.PLUGIN_CLIENT_CERT;
  const credentials = clientCertificate
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(clientCertificate),
        [{ cert_chain: Buffer.from(certificate), private_key: Buffer.from(key) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socket}`, credentials, (error) => (error ? reject(error) : resolve())),
  );
  const line = [
    CORE_PROTOCOL_VERSION,
    PROVIDER_PROTOCOL_VERSION,
    'unix',
    socket,
    'grpc',
    ...(clientCertificate ? [handshakeCertificate(certificate)] : []),
  ];
  process.stdout.write(`${line.join('|')}\n`);
}
