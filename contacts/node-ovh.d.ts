/**
 * The part of `@ovhcloud/node-ovh` 3.0.0 the contacts tool uses; the package ships no typings.
 * Checked against its lib/ovh.js: it always speaks HTTPS (`https.request`, no protocol option), signs
 * `https://<host><basePath><path>`, without the port, and signs nothing whose path contains "/auth".
 */
declare module '@ovhcloud/node-ovh' {
  function ovh(options: ovh.Options): ovh.Client;

  namespace ovh {
    interface Options {
      /** A preconfigured endpoint (`ovh-eu`, `ovh-ca`, `ovh-us`); it sets `host`. */
      endpoint?: string;
      host?: string;
      port?: number;
      /** `/1.0` by default. */
      basePath?: string;
      appKey: string;
      appSecret: string;
      consumerKey: string;
    }

    /**
     * What a failed request rejects with: `error` is the HTTP status of an API error, a negative libuv errno
     * or an `Error` for a connection failure, or a string for the client's own failures (e.g. when
     * `/auth/time` cannot be read); `message` is the API's error message, if any.
     */
    interface Rejection {
      error: number | string | (Error & { code?: string });
      message?: string | null;
    }

    interface Client {
      /** Where it sends: `host`, `port` and `basePath` as given or as the endpoint sets them. */
      readonly host: string;
      readonly port: number;
      readonly basePath: string;
      /** OVH's clock minus ours, in seconds; null until `/auth/time` was read, before the first signed call. */
      apiTimeDiff: number | null;
      requestPromised(method: 'GET' | 'POST', path: string, params?: Record<string, unknown>): PromiseLike<unknown>;
      /** `$1$` + SHA1 of secret+consumerKey+method+url+body+timestamp joined by "+"; `url` as node-ovh builds it. */
      signRequest(method: string, url: string, body: string | null, timestamp: number): string;
    }
  }

  export = ovh;
}
