/**
 * OpenVidu Pro's participant `location`: its GeoIP lookup (MaxMind GeoLite2-City) formatted by `GeoLocation.toString`
 * (openvidu-server v2.20.0+, utils/GeoLocation.java): `"<city>, <country>"`, or `"<country>"` alone when the
 * database knows no city for the address. Names are GeoLite2's English names of real cities; the weights (where the
 * users of OpenVidu deployments are: Spain and Latin America weigh more than in the world's population) and the share
 * of addresses without a city are ovsim's estimate.
 */
import type { Rng } from './rng.js';

/** `[city, country, weight]`. */
const CITIES: ReadonlyArray<readonly [string, string, number]> = [
  ['Madrid', 'Spain', 40],
  ['Barcelona', 'Spain', 26],
  ['Valencia', 'Spain', 9],
  ['Seville', 'Spain', 7],
  ['Bilbao', 'Spain', 4],
  ['Málaga', 'Spain', 4],
  ['Zaragoza', 'Spain', 3],
  ['Mexico City', 'Mexico', 22],
  ['Guadalajara', 'Mexico', 7],
  ['Monterrey', 'Mexico', 6],
  ['Bogotá', 'Colombia', 12],
  ['Medellín', 'Colombia', 6],
  ['Buenos Aires', 'Argentina', 14],
  ['Córdoba', 'Argentina', 4],
  ['Santiago', 'Chile', 9],
  ['Lima', 'Peru', 9],
  ['Quito', 'Ecuador', 4],
  ['Montevideo', 'Uruguay', 3],
  ['São Paulo', 'Brazil', 14],
  ['Rio de Janeiro', 'Brazil', 6],
  ['Lisbon', 'Portugal', 5],
  ['Porto', 'Portugal', 3],
  ['New York', 'United States', 12],
  ['Los Angeles', 'United States', 7],
  ['Chicago', 'United States', 5],
  ['Miami', 'United States', 5],
  ['Houston', 'United States', 4],
  ['Ashburn', 'United States', 4],
  ['Seattle', 'United States', 3],
  ['Toronto', 'Canada', 5],
  ['Montreal', 'Canada', 3],
  ['London', 'United Kingdom', 10],
  ['Manchester', 'United Kingdom', 3],
  ['Dublin', 'Ireland', 3],
  ['Paris', 'France', 8],
  ['Lyon', 'France', 2],
  ['Berlin', 'Germany', 6],
  ['Munich', 'Germany', 4],
  ['Frankfurt am Main', 'Germany', 4],
  ['Hamburg', 'Germany', 3],
  ['Amsterdam', 'Netherlands', 5],
  ['Brussels', 'Belgium', 3],
  ['Zurich', 'Switzerland', 3],
  ['Vienna', 'Austria', 3],
  ['Milan', 'Italy', 5],
  ['Rome', 'Italy', 5],
  ['Warsaw', 'Poland', 4],
  ['Prague', 'Czechia', 2],
  ['Stockholm', 'Sweden', 2],
  ['Istanbul', 'Turkey', 4],
  ['Mumbai', 'India', 6],
  ['Bengaluru', 'India', 5],
  ['New Delhi', 'India', 4],
  ['Singapore', 'Singapore', 4],
  ['Tokyo', 'Japan', 4],
  ['Seoul', 'South Korea', 3],
  ['Sydney', 'Australia', 4],
  ['Melbourne', 'Australia', 2],
  ['Johannesburg', 'South Africa', 2],
  ['Lagos', 'Nigeria', 2],
  ['Cairo', 'Egypt', 2],
  ['Dubai', 'United Arab Emirates', 3],
];

/** Addresses GeoLite2 places in a country only. */
const CITYLESS_SHARE = 0.12;

const WEIGHTED: ReadonlyArray<readonly [readonly [string, string], number]> = CITIES.map(
  ([city, country, weight]) => [[city, country] as const, weight] as const,
);

/** A `location` as OpenVidu Pro writes it. */
export function pickGeoLocation(rng: Rng): string {
  const [city, country] = rng.weighted(WEIGHTED);
  return rng.chance(CITYLESS_SHARE) ? country : `${city}, ${country}`;
}
