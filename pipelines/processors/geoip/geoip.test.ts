import { describe, expect, it } from 'vitest';
import { optionErrorOf, pipelineOf, runProcessor, stored } from '../../testing/harness.ts';

describe('geoip (DB-IP City Lite, offline)', () => {
  it('adds ECS geo fields for IPv4 and IPv6 (source.ip -> source.geo)', () => {
    const v4 = runProcessor('geoip', {}, { source: { ip: '8.8.8.8' } });
    expect(stored(v4)).toMatchObject({ source: { ip: '8.8.8.8', geo: { country_iso_code: 'US', country_name: 'United States' } } });
    const geo = (v4?.['source'] as { geo: { location: { lat: number; lon: number } } }).geo;
    expect(typeof geo.location.lat).toBe('number');
    const v6 = runProcessor('geoip', { field: 'client.ip' }, { client: { ip: '2001:4860:4860::8888' } });
    expect((v6?.['client'] as { geo: { country_iso_code: string } }).geo.country_iso_code).toMatch(/^[A-Z]{2}$/);
  });

  it('adds nothing for private addresses, keeps only the chosen properties', () => {
    expect(stored(runProcessor('geoip', { field: 'ip' }, { ip: '192.168.1.1' }))).toEqual({ ip: '192.168.1.1' });
    expect(stored(runProcessor('geoip', { field: 'ip', target_field: 'g', properties: ['country_iso_code'] }, { ip: '8.8.8.8' }))).toEqual({ ip: '8.8.8.8', g: { country_iso_code: 'US' } });
  });

  it('copies cached results per event', () => {
    const pipeline = pipelineOf([{ geoip: { field: 'ip' } }]);
    const a = pipeline.run({ ip: '8.8.8.8' });
    const b = pipeline.run({ ip: '8.8.8.8' });
    expect(a?.['geo']).toEqual(b?.['geo']);
    expect(a?.['geo']).not.toBe(b?.['geo']);
  });

  it('refuses a database file that cannot be read', () => {
    expect(optionErrorOf('geoip', { database_file: '/nonexistent/db.mmdb' })).toContain('processors[0].geoip.database_file: cannot open the GeoIP database: ');
  });
});
