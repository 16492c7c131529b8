/**
 * The OVH API stand-in as OVH's definitions say, seen from a client: a signature covers the URL the request went to,
 * port included; an order is delivered only once paid, after status reads, and names a service OVH names itself
 * only once delivered. (The real provider walks every route in the scenario tests.)
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as https from 'node:https';
import type { ApiCredentials } from '../core/credentials';
import { CERTIFICATE_FILE, OvhStandin } from '../standins/ovh-api/server';

let standin: OvhStandin;
let credentials: ApiCredentials;
beforeAll(async () => {
  standin = await OvhStandin.start();
  credentials = standin.addAccount('cf10001-ovh');
});
afterAll(() => standin.close());

/** A signed call, as go-ovh makes it, with the URL signed as `signedUrl` says. */
function call(method: string, path: string, body?: object, signedUrl = (url: string) => url): Promise<{ status: number; body: unknown }> {
  const url = `${standin.url}${path}`;
  const text = body ? JSON.stringify(body) : '';
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHash('sha1')
    .update([credentials.applicationSecret, credentials.consumerKey, method, signedUrl(url), text, timestamp].join('+'))
    .digest('hex');
  return new Promise((resolve, reject) => {
    const request = https.request(
      url,
      {
        method,
        ca: fs.readFileSync(CERTIFICATE_FILE),
        headers: {
          'X-Ovh-Application': credentials.applicationKey,
          'X-Ovh-Consumer': credentials.consumerKey,
          'X-Ovh-Timestamp': timestamp,
          'X-Ovh-Signature': `$1$${signature}`,
          ...(text ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (response) => {
        let answer = '';
        response.on('data', (chunk: Buffer) => (answer += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode!, body: answer ? JSON.parse(answer) : null }));
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

test('a signature covers the URL the request was sent to, port included, as OVH checks it', async () => {
  expect(await call('GET', '/me')).toMatchObject({ status: 200, body: { nichandle: 'cf10001-ovh', ovhSubsidiary: 'FR' } });
  const withoutPort = await call('GET', '/me', undefined, (url) => url.replace(/:\d+\//, '/'));
  expect(withoutPort).toEqual({ status: 400, body: expect.objectContaining({ errorCode: 'INVALID_SIGNATURE' }) });
});

test('an order is delivered once paid, after status reads; OVH names its VPS only then', async () => {
  const cart = (await call('POST', '/order/cart', { ovhSubsidiary: 'FR' })).body as { cartId: string };
  expect((await call('POST', `/order/cart/${cart.cartId}/assign`)).status).toBe(200);
  const item = (
    await call('POST', `/order/cart/${cart.cartId}/vps`, {
      planCode: 'vps-2025-model1',
      duration: 'P1M',
      pricingMode: 'default',
      quantity: 1,
    })
  ).body as { itemId: number };
  // OVH refuses the checkout of a VPS without its datacenter and system.
  expect((await call('POST', `/order/cart/${cart.cartId}/checkout`)).status).toBe(400);
  for (const [label, value] of [
    ['vps_datacenter', 'GRA'],
    ['vps_os', 'Debian 12'],
  ])
    expect((await call('POST', `/order/cart/${cart.cartId}/item/${item.itemId}/configuration`, { label, value })).status).toBe(200);
  const { orderId } = (await call('POST', `/order/cart/${cart.cartId}/checkout`)).body as { orderId: number };
  const status = async () => (await call('GET', `/me/order/${orderId}/status`)).body;
  const [detail] = (await call('GET', `/me/order/${orderId}/details`)).body as number[];
  const named = async () => ((await call('GET', `/me/order/${orderId}/details/${detail}`)).body as { domain: string }).domain;

  expect(await status()).toBe('notPaid');
  const [method] = (await call('GET', '/me/payment/method?default=true')).body as number[];
  expect((await call('POST', `/me/order/${orderId}/pay`, { paymentMethod: { id: method } })).status).toBe(200);
  expect(await named()).toBe('*');
  expect(await status()).toBe('delivering');
  expect(await status()).toBe('delivered');
  const name = await named();
  expect(name).toMatch(/^vps-[0-9a-f]{8}\.vps\.ovh\.net$/);
  expect(standin.contactsOf(`/vps/${name}`)).toEqual({ admin: 'cf10001-ovh', tech: 'cf10001-ovh', billing: 'cf10001-ovh' });
});
