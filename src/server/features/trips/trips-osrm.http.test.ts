import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../../tests/setup/test-app.ts';
import { osrmRoadMinutes, type PlaceRecord } from './trips.builder.ts';

// The routing provider against a stand-in: a real local HTTP server answering OSRM's table API
// (GET /table/v1/driving/{lon,lat;lon,lat…}?annotations=duration → {code: 'Ok', durations: seconds[][]}), so that the
// request Convene sends, the answer it reads and what it does when the server fails are all exercised for real.

type Mode = 'ok' | 'error' | 'garbage' | 'slow' | 'no-route';
let mode: Mode = 'ok';
const asked: string[] = [];
/** seconds by car between two points: 2 hours between any two distinct points (far more than the straight line says) */
const ROAD_SECONDS = 7200;

const server = http.createServer((req, res) => {
  asked.push(req.url ?? '');
  const m = /^\/table\/v1\/driving\/([^?]+)\?annotations=duration$/.exec(req.url ?? '');
  if (mode === 'slow') return void setTimeout(() => res.end('{}'), 2000);
  if (mode === 'error' || !m) return void res.writeHead(500).end('{"code":"InvalidQuery"}');
  if (mode === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>not json');
  const points = m[1]!.split(';').map((p) => p.split(',').map(Number));
  const durations = points.map((_, i) => points.map((__, j) => (i === j ? 0 : mode === 'no-route' && i + j === 1 ? null : ROAD_SECONDS + 30 * (i + j))));
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'Ok', durations }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const previousUrl = process.env.TRIPS_OSRM_URL;
const t = await createTestApp();
const planner = await t.signedIn('staff', { name: 'Planner' });
afterAll(async () => {
  if (previousUrl === undefined) delete process.env.TRIPS_OSRM_URL;
  else process.env.TRIPS_OSRM_URL = previousUrl;
  await new Promise((resolve) => server.close(resolve));
});

const place = (id: string, lat: number | null, lon: number | null, kind = 'venue'): PlaceRecord => ({ id, kind, lat, lon, area: null }) as PlaceRecord;
const jerusalem = place('jlm', 31.7767, 35.2345);
const telAviv = place('tlv', 32.0853, 34.7818);
const ramallah = place('rml', 31.9038, 35.2034);

describe('the OSRM table API, against a local stand-in', () => {
  it('asks for the located places (lon,lat; online and unlocated ones left out) and reads minutes, rounded up', async () => {
    mode = 'ok';
    asked.length = 0;
    const out = await osrmRoadMinutes(`${base}/`, [jerusalem, place('online', null, null, 'online'), telAviv, place('nowhere', null, null), ramallah]);
    expect(asked).toEqual([`/table/v1/driving/35.2345,31.7767;34.7818,32.0853;35.2034,31.9038?annotations=duration`]);
    expect(out).toEqual({
      jlm: { jlm: 0, tlv: 121, rml: 121 },
      tlv: { jlm: 121, tlv: 0, rml: 122 },
      rml: { jlm: 121, tlv: 122, rml: 0 },
    });
  });

  it('a pair without a route is left out; an error, an answer that is not JSON, or a server too slow: no road times (never an error)', async () => {
    mode = 'no-route';
    const partial = await osrmRoadMinutes(base, [jerusalem, telAviv]);
    expect(partial).toEqual({ jlm: { jlm: 0 }, tlv: { tlv: 0 } });
    for (const m of ['error', 'garbage', 'slow'] as const) {
      mode = m;
      expect(await osrmRoadMinutes(base, [jerusalem, telAviv], 300), m).toBeUndefined();
    }
    // not asked at all: no URL, or fewer than two places to route between
    asked.length = 0;
    expect(await osrmRoadMinutes(undefined, [jerusalem, telAviv])).toBeUndefined();
    expect(await osrmRoadMinutes(base, [jerusalem])).toBeUndefined();
    expect(asked).toEqual([]);
  });

  it('a plan made through the API uses the road times when TRIPS_OSRM_URL is set, and the straight line when the server fails', async () => {
    const post = async (path: string, body: unknown) => {
      const res = await planner.post(path, body);
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { id: string }).id;
    };
    const id = await post('/api/trips', { name: 'Roads', startsOn: '2026-06-29', endsOn: '2026-06-29', timeZone: 'Asia/Jerusalem', bufferMinutes: 0 });
    const hotel = await post(`/api/trips/${id}/places`, { name: 'Hotel', lat: jerusalem.lat, lon: jerusalem.lon });
    const office = await post(`/api/trips/${id}/places`, { name: 'Office', lat: telAviv.lat, lon: telAviv.lon });
    const traveller = await post(`/api/trips/${id}/travellers`, { userId: planner.user.id, basePlaceId: hotel, weekend: 'none' });
    await planner.post(`/api/trips/${id}/requests`, { title: 'In Tel Aviv', durationMinutes: 60, travellers: [{ travellerId: traveller, must: true }], placeIds: [office] });
    const firstLeg = async () => {
      const res = await planner.post(`/api/trips/${id}/plan`);
      expect(res.status).toBe(200);
      const plan = (await res.json()) as { items: unknown[]; legs: Array<{ toPlaceId: string | null; departAt: string; arriveAt: string }> };
      expect(plan.items).toHaveLength(1);
      const leg = plan.legs.find((l) => l.toPlaceId === office)!;
      return (Date.parse(leg.arriveAt) - Date.parse(leg.departAt)) / 60_000;
    };
    process.env.TRIPS_OSRM_URL = base;
    mode = 'ok';
    asked.length = 0;
    expect(await firstLeg()).toBe(121);
    expect(asked).toHaveLength(1);
    mode = 'error';
    const straight = await firstLeg();
    // 54 km as the crow flies × 1.3 at 40 km/h
    expect(straight).toBeGreaterThan(90);
    expect(straight).toBeLessThan(121);
  });
});
