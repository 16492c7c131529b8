/**
 * The offline schema check catches each kind of mistake a construct could make.
 */
import * as path from 'node:path';
import { ProviderSchemaIndex } from '../validation/provider-schema';

const schemas = ProviderSchemaIndex.fromDirectory(path.join(__dirname, '..', 'provider-schema'));
const record = { zone: 'example.com', fieldtype: 'A', target: '51.38.12.1' };
const check = (resource: Record<string, Record<string, unknown>>, data?: Record<string, Record<string, unknown>>) =>
  schemas.validateStack({ resource: Object.fromEntries(Object.entries(resource).map(([type, body]) => [type, { r: body }])), data });

test('a correct resource, with meta-arguments and references, passes', () => {
  expect(
    check({ ovh_domain_zone_record: { ...record, ttl: 3600, provider: 'ovh.x', depends_on: [], lifecycle: {}, subdomain: '${var.sub}' } }),
  ).toEqual([]);
});

test('an unknown argument is caught', () => {
  expect(check({ ovh_domain_zone_record: { ...record, field_type: 'A' } })).toEqual([
    { where: 'resource.ovh_domain_zone_record.r.field_type', message: 'is not an argument of this type in the provider schema' },
  ]);
});

test('a missing required argument is caught', () => {
  const { target: _omitted, ...incomplete } = record;
  expect(check({ ovh_domain_zone_record: incomplete })).toEqual([
    { where: 'resource.ovh_domain_zone_record.r.target', message: 'is required' },
  ]);
});

test('a wrong type is caught, also inside blocks and nested attributes', () => {
  expect(check({ ovh_domain_zone_record: { ...record, ttl: '3600' } })).toEqual([
    { where: 'resource.ovh_domain_zone_record.r.ttl', message: 'expected a number, got "3600"' },
  ]);
  const instance = {
    service_name: 'p',
    region: 'GRA11',
    name: 'i',
    billing_period: 'hourly',
    boot_from: { image_id: 'x' },
    flavor: { flavor_id: 'f' },
    network: { public: 'yes' },
  };
  expect(check({ ovh_cloud_project_instance: instance })).toEqual([
    { where: 'resource.ovh_cloud_project_instance.r.network.public', message: 'expected a bool, got "yes"' },
  ]);
  expect(check({ ovh_vps: { plan: [{ duration: 'P1M', plan_code: 'x', pricing_mode: 'default', quantity: 'one' }] } })).toEqual([
    { where: 'resource.ovh_vps.r.plan[0].quantity', message: 'expected a number, got "one"' },
  ]);
});

test('a missing required block and a computed-only attribute are caught', () => {
  const instance = {
    service_name: 'p',
    region: 'GRA11',
    name: 'i',
    billing_period: 'hourly',
    boot_from: { image_id: 'x' },
    network: { public: true },
    status: 'ACTIVE',
  };
  expect(check({ ovh_cloud_project_instance: instance })).toEqual([
    { where: 'resource.ovh_cloud_project_instance.r.status', message: 'is computed by the provider and cannot be set' },
    { where: 'resource.ovh_cloud_project_instance.r.flavor', message: 'is a required block' },
  ]);
});

test('an unknown resource or data source type is caught; Terraform’s built-ins are known', () => {
  expect(check({ ovh_hosting_web: {}, terraform_data: { input: {} } }, { ovh_nothing: { d: {} } })).toEqual([
    { where: 'resource.ovh_hosting_web', message: 'unknown resource type' },
    { where: 'data.ovh_nothing', message: 'unknown data source type' },
  ]);
});
