/** Every route of the OVH API stand-in beyond contact management: the caller's account, orders and each product. */
import { Routes } from '../routes';
import { accountRoutes } from './account';
import { cloudInstanceRoutes } from './cloud-instances';
import { cloudProjectProduct, cloudProjectRoutes, createProject } from './cloud-project';
import { cloudStorageRoutes } from './cloud-storage';
import { cloudUserRoutes } from './cloud-users';
import { createDomain, createZone, domainProduct, domainRoutes, zoneProduct } from './domains';
import { emailRoutes } from './email';
import { orderRoutes, type OrderableProduct } from './orders';
import { createPrivateDatabase, privateDatabaseProduct, privateDatabaseRoutes } from './private-database';
import { createVps, vpsProduct, vpsRoutes } from './vps';
import type { World } from '../world';

/** What can be ordered, by the product name of `POST /order/cart/{cartId}/{product}`. */
const PRODUCTS: OrderableProduct[] = [domainProduct, zoneProduct, vpsProduct, privateDatabaseProduct, cloudProjectProduct];

export function productRoutes(): Routes {
  const routes = new Routes();
  accountRoutes(routes);
  orderRoutes(routes, new Map(PRODUCTS.map((product) => [product.product, product])));
  domainRoutes(routes);
  emailRoutes(routes);
  vpsRoutes(routes);
  privateDatabaseRoutes(routes);
  cloudProjectRoutes(routes);
  cloudInstanceRoutes(routes);
  cloudStorageRoutes(routes);
  cloudUserRoutes(routes);
  return routes;
}

/** What OVH has of a service of each family, by its route's prefix (most specific first); e-mail and web hostings have no object here. */
const SERVICE_OBJECTS: [string, (world: World, name: string) => void][] = [
  ['/domain/zone/', createZone],
  ['/domain/', createDomain],
  ['/vps/', (world, name) => createVps(world, name)],
  ['/hosting/privateDatabase/', (world, name) => createPrivateDatabase(world, name)],
  ['/cloud/project/', (world, name) => createProject(world, name)],
];

/** Makes the object of a service that exists at OVH (onboarding, tests), unless there is one. */
export function createServiceObject(world: World, route: string): void {
  const family = SERVICE_OBJECTS.find(([prefix]) => route.startsWith(prefix));
  if (family && !world.object(route)) family[1](world, route.slice(family[0].length));
}
