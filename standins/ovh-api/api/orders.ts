/**
 * Ordering, as the provider's order flow walks it (github:ovh/terraform-provider-ovh v2.19.0, ovh/order.go
 * `orderCreate`): a cart (`POST /order/cart`, assigned to the caller), an item of the product with its plan, the item's
 * configurations, the default payment method, the checkout (free of charge, or paid with that method), then the
 * order's status polled until `delivered`, and its details read to find the new service's name.
 *
 * Sources: [order.json] OVH's API definition of `/order` (`order.Cart`, `order.cart.Item`,
 * `order.cart.ConfigurationItem`, `order.Order`, `order.Price`), [me.json] of `/me` (`billing.Order`,
 * `billing.OrderDetail`, `order.OrderStatusEnum` via `GET /me/order/{orderId}/status`,
 * `billing.order.PayWithPaymentMethod`), as mirrored in github:UrielCh/api-ovh-node.
 */
import { serviceError } from '../contacts-model';
import { Answer, type ApiRequest, type Routes } from '../routes';
import type { Cart, CartItem, Order, OrderDetail, World } from '../world';

/** What OVH does when it delivers an order of a product. */
export interface OrderableProduct {
  /** The product's name in `POST /order/cart/{cartId}/{product}`. */
  readonly product: string;
  /** The price of one item, without tax, in euros. */
  readonly price: (item: CartItem) => number;
  /** A refusal of the item as configured, checked at checkout (a configuration the product needs and lacks). */
  readonly check?: (item: CartItem) => string | undefined;
  /**
   * The service's name: the item's domain, known from the order on; or one OVH makes up (`namedAtDelivery`), which an
   * order's detail shows as `*` until the order is delivered.
   */
  readonly serviceName: (world: World, item: CartItem) => string;
  readonly namedAtDelivery?: boolean;
  /** Creates the service for `nichandle` once the order is delivered. */
  readonly deliver: (world: World, detail: OrderDetail, nichandle: string) => void;
}

/** [order.json] `order.Price`. */
function price(value: number) {
  return { currencyCode: 'EUR', priceInUcents: Math.round(value * 1e8), text: `${value.toFixed(2)} €`, value };
}

const notFound = (what: string, id: string | number) => serviceError(404, `The requested object (${what} = ${id}) does not exist`);

function cartOf({ world, caller, params }: ApiRequest): Cart | ReturnType<typeof serviceError> {
  const cart = world.state.carts[params.cartId];
  // A cart assigned to an account is that account's only.
  if (!cart || (cart.nichandle && cart.nichandle !== caller.nichandle)) return notFound('cartId', params.cartId);
  return cart;
}

function orderOf({ world, caller, params }: ApiRequest): Order | ReturnType<typeof serviceError> {
  const order = world.state.orders[Number(params.orderId)];
  return order && order.nichandle === caller.nichandle ? order : notFound('orderId', params.orderId);
}

/** [order.json] `order.cart.Item`. */
function itemView(item: CartItem) {
  return {
    cartId: item.cartId,
    itemId: item.itemId,
    configurations: item.configurations.map((c) => c.id),
    duration: item.duration,
    offerId: null,
    options: [],
    parentItemId: null,
    productId: item.product,
    settings: { planCode: item.planCode, pricingMode: item.pricingMode, quantity: item.quantity, domain: item.domain ?? null },
  };
}

/** [order.json] `order.Order`: what a checkout answers (`GET` a summary, `POST` the order itself). */
function checkoutView(world: World, cart: Cart, products: Map<string, OrderableProduct>, orderId: number | null) {
  const total = cart.items.reduce((sum, id) => sum + products.get(world.state.items[id].product)!.price(world.state.items[id]), 0);
  return {
    orderId,
    url: orderId === null ? null : `https://www.ovh.com/cgi-bin/order/displayOrder.cgi?orderId=${orderId}`,
    contracts: [],
    details: cart.items.map((id) => {
      const item = world.state.items[id];
      const value = products.get(item.product)!.price(item);
      return {
        description: `${item.product} ${item.planCode}`,
        detailType: 'DURATION',
        domain: item.domain ?? '*',
        quantity: '1',
        totalPrice: price(value),
        unitPrice: price(value),
      };
    }),
    prices: {
      originalWithoutTax: price(total),
      reduction: price(0),
      tax: price(total * 0.2),
      withTax: price(total * 1.2),
      withoutTax: price(total),
    },
  };
}

export function orderRoutes(routes: Routes, products: Map<string, OrderableProduct>): void {
  const productOf = (request: ApiRequest) => products.get(request.params.product);

  routes
    // [order.json] POST /order/cart {ovhSubsidiary, description?, expire?} → order.Cart
    .add('POST', '/order/cart', ({ world, body }) => {
      if (typeof body.ovhSubsidiary !== 'string' || !/^[A-Z]{2}$/.test(body.ovhSubsidiary))
        return serviceError(400, 'Invalid value for ovhSubsidiary');
      const cart: Cart = {
        cartId: world.uuid(),
        ovhSubsidiary: body.ovhSubsidiary,
        description: typeof body.description === 'string' ? body.description : undefined,
        expire: new Date(world.now().getTime() + 24 * 3600_000).toISOString(),
        readOnly: false,
        items: [],
      };
      world.state.carts[cart.cartId] = cart;
      return { cartId: cart.cartId, description: cart.description ?? null, expire: cart.expire, items: [], readOnly: false };
    })
    .add('GET', '/order/cart/{cartId}', (request) => {
      const cart = cartOf(request);
      if (!('cartId' in cart)) return cart;
      return {
        cartId: cart.cartId,
        description: cart.description ?? null,
        expire: cart.expire,
        items: cart.items,
        readOnly: cart.readOnly,
      };
    })
    // [order.json] POST /order/cart/{cartId}/assign → void: the cart becomes the caller's.
    .add('POST', '/order/cart/{cartId}/assign', (request) => {
      const cart = cartOf(request);
      if (!('cartId' in cart)) return cart;
      cart.nichandle = request.caller.nichandle;
      return null;
    })
    // [order.json] POST /order/cart/{cartId}/{product} {planCode, duration, pricingMode, quantity, ...} → order.cart.Item
    .add('POST', '/order/cart/{cartId}/{product}', (request) => {
      const cart = cartOf(request);
      if (!('cartId' in cart)) return cart;
      const product = productOf(request);
      if (!product) return serviceError(404, `Got an invalid (or empty) URL`);
      if (cart.readOnly) return serviceError(403, 'This cart is read-only: it has been checked out');
      const { world, body } = request;
      for (const field of ['planCode', 'duration', 'pricingMode'] as const)
        if (typeof body[field] !== 'string' || !body[field]) return serviceError(400, `Missing parameter: ${field}`);
      const planCode = String(body.planCode);
      if (world.state.withdrawnPlans.includes(planCode))
        return serviceError(400, `Offer ${planCode} is not available (it is no longer sold)`);
      const item: CartItem = {
        itemId: world.nextId('item', 200001),
        cartId: cart.cartId,
        product: product.product,
        planCode,
        duration: String(body.duration),
        pricingMode: String(body.pricingMode),
        quantity: typeof body.quantity === 'number' ? body.quantity : 1,
        domain: typeof body.domain === 'string' && body.domain ? body.domain : undefined,
        configurations: [],
      };
      world.state.items[item.itemId] = item;
      cart.items.push(item.itemId);
      return itemView(item);
    })
    // [order.json] POST /order/cart/{cartId}/item/{itemId}/configuration {label, value} → order.cart.ConfigurationItem
    .add('POST', '/order/cart/{cartId}/item/{itemId}/configuration', (request) => {
      const cart = cartOf(request);
      if (!('cartId' in cart)) return cart;
      const item = request.world.state.items[Number(request.params.itemId)];
      if (!item || item.cartId !== cart.cartId) return notFound('itemId', request.params.itemId);
      const { label, value } = request.body;
      if (typeof label !== 'string' || typeof value !== 'string') return serviceError(400, 'Missing parameter: label or value');
      const configuration = { id: request.world.nextId('configuration', 300001), label, value };
      item.configurations.push(configuration);
      return configuration;
    })
    // [order.json] GET /order/cart/{cartId}/checkout → order.Order, a summary; POST → the order (`orderId`).
    .add('GET', '/order/cart/{cartId}/checkout', (request) => {
      const cart = cartOf(request);
      return 'cartId' in cart ? checkoutView(request.world, cart, products, null) : cart;
    })
    .add('POST', '/order/cart/{cartId}/checkout', (request) => {
      const cart = cartOf(request);
      if (!('cartId' in cart)) return cart;
      const { world, caller } = request;
      if (!cart.nichandle) return serviceError(403, 'The cart must be assigned to an account before checkout');
      if (cart.readOnly) return serviceError(403, 'This cart has already been checked out');
      if (cart.items.length === 0) return serviceError(400, 'The cart is empty');
      for (const id of cart.items) {
        const item = world.state.items[id];
        const refusal = products.get(item.product)!.check?.(item);
        if (refusal) return serviceError(400, refusal);
      }
      const orderId = world.nextId('order', 90000001);
      const summary = checkoutView(world, cart, products, orderId);
      const fault = world.orderFaults.findIndex((f) => cart.items.some((id) => world.state.items[id].product === f.product));
      const [taken] = fault >= 0 ? world.orderFaults.splice(fault, 1) : [];
      const details: OrderDetail[] = cart.items.map((id) => {
        const item = world.state.items[id];
        return {
          orderDetailId: world.nextId('orderDetail', 70000001),
          description: `${item.product} ${item.planCode}`,
          domain: products.get(item.product)!.serviceName(world, item),
          quantity: String(item.quantity),
          product: item.product,
          planCode: item.planCode,
          configurations: item.configurations.map(({ label, value }) => ({ label, value })),
        };
      });
      world.state.orders[orderId] = {
        orderId,
        nichandle: caller.nichandle,
        date: world.now().toISOString(),
        expirationDate: new Date(world.now().getTime() + 7 * 24 * 3600_000).toISOString(),
        paid: false,
        status: 'notPaid',
        pollsLeft: taken?.polls ?? world.deliveryPolls,
        failure: taken?.cancel,
        unnamedReads: taken?.unnamedReads ?? 0,
        priceWithoutTax: summary.prices.withoutTax.value,
        details,
      };
      cart.readOnly = true;
      return summary;
    })
    // [me.json] POST /me/order/{orderId}/pay {paymentMethod: {id}} → void
    .add('POST', '/me/order/{orderId}/pay', (request) => {
      const order = orderOf(request);
      if (!('orderId' in order)) return order;
      const id = (request.body.paymentMethod as { id?: unknown } | undefined)?.id;
      const method = request.world.account(request.caller.nichandle).paymentMethods.find((m) => m.paymentMethodId === id);
      if (!method) return serviceError(400, 'Invalid payment method');
      return pay(order);
    })
    // [me.json] POST /me/order/{orderId}/payWithRegisteredPaymentMean {paymentMean} → void: a free order, with the fidelity account.
    .add('POST', '/me/order/{orderId}/payWithRegisteredPaymentMean', (request) => {
      const order = orderOf(request);
      if (!('orderId' in order)) return order;
      if (order.priceWithoutTax > 0 && request.body.paymentMean === 'fidelityAccount')
        return serviceError(403, 'Your fidelity account does not hold enough to pay this order');
      return pay(order);
    })
    // [me.json] GET /me/order/{orderId} → billing.Order
    .add('GET', '/me/order/{orderId}', (request) => {
      const order = orderOf(request);
      if (!('orderId' in order)) return order;
      return {
        orderId: order.orderId,
        date: order.date,
        expirationDate: order.expirationDate,
        password: '',
        pdfUrl: `https://www.ovh.com/cgi-bin/order/bill.cgi?reference=${order.orderId}`,
        url: `https://www.ovh.com/cgi-bin/order/displayOrder.cgi?orderId=${order.orderId}`,
        retractionDate: null,
        orderType: 'order',
        priceWithTax: price(order.priceWithoutTax * 1.2),
        priceWithoutTax: price(order.priceWithoutTax),
        tax: price(order.priceWithoutTax * 0.2),
      };
    })
    // [me.json] GET /me/order/{orderId}/status → order.OrderStatusEnum; OVH delivers a paid order after some reads.
    .add('GET', '/me/order/{orderId}/status', (request) => {
      const order = orderOf(request);
      if (!('orderId' in order)) return order;
      if (order.paid && (order.status === 'checking' || order.status === 'delivering')) {
        order.pollsLeft--;
        if (order.failure) order.status = 'cancelled';
        else if (order.pollsLeft <= 0) deliver(request.world, order, products);
        else order.status = 'delivering';
      }
      return order.status;
    })
    // [me.json] GET /me/order/{orderId}/details → long[]; /{orderDetailId} → billing.OrderDetail
    .add('GET', '/me/order/{orderId}/details', (request) => {
      const order = orderOf(request);
      return 'orderId' in order ? order.details.map((detail) => detail.orderDetailId) : order;
    })
    .add('GET', '/me/order/{orderId}/details/{orderDetailId}', (request) => {
      const detail = detailOf(request);
      if (!('orderDetailId' in detail)) return detail;
      const { orderDetailId, description, quantity } = detail;
      const order = request.world.state.orders[Number(request.params.orderId)];
      const named = order.status === 'delivered' && order.unnamedReads-- <= 0;
      const domain = named || !products.get(detail.product)!.namedAtDelivery ? detail.domain : '*';
      return {
        orderDetailId,
        description,
        domain,
        quantity,
        detailType: 'DURATION',
        totalPrice: price(0),
        unitPrice: price(0),
        cancelled: false,
      };
    })
    // [me.json] GET /me/order/{orderId}/details/{orderDetailId}/extension → billing.ItemDetail: the plan and configurations ordered.
    .add('GET', '/me/order/{orderId}/details/{orderDetailId}/extension', (request) => {
      const detail = detailOf(request);
      if (!('orderDetailId' in detail)) return detail;
      return {
        order: {
          action: 'create',
          configurations: detail.configurations,
          plan: { code: detail.planCode, duration: 'P1M', pricingMode: 'default', quantity: Number(detail.quantity) },
          product: { name: detail.product },
        },
      };
    })
    // [me.json] GET /me/order/{orderId}/details/{orderDetailId}/operations → long[] (empty until delivery).
    .add('GET', '/me/order/{orderId}/details/{orderDetailId}/operations', (request) => {
      const detail = detailOf(request);
      return 'orderDetailId' in detail ? [] : detail;
    });

  function detailOf(request: ApiRequest): OrderDetail | ReturnType<typeof serviceError> {
    const order = orderOf(request);
    if (!('orderId' in order)) return order;
    return (
      order.details.find((d) => String(d.orderDetailId) === request.params.orderDetailId) ??
      notFound('orderDetailId', request.params.orderDetailId)
    );
  }
}

function pay(order: Order): Answer | ReturnType<typeof serviceError> {
  if (order.paid) return serviceError(403, 'This order has already been paid');
  order.paid = true;
  order.status = 'checking';
  return new Answer(200, null);
}

/** Delivers every item of the order: OVH creates each service, for the account that ordered it. */
function deliver(world: World, order: Order, products: Map<string, OrderableProduct>): void {
  order.status = 'delivered';
  for (const detail of order.details) products.get(detail.product)!.deliver(world, detail, order.nichandle);
}
