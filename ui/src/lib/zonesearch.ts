// Finding a time zone by what people know: a city ("Lisbon", "sao paulo"),
// a country ("India") or the zone's own name. Zone → country data comes
// from the countries-and-timezones package (IANA's zone.tab, kept up to
// date there) so nothing is hand-kept here.
import { getCountry, getTimezone } from "countries-and-timezones";

/** Lower case, accents dropped, "_" and "/" as spaces: "São_Paulo" and
 *  "sao paulo" compare equal. */
export function fold(s: string): string {
  return s
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[_/]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The zone's city: the last part of its name ("America/Argentina/Buenos_Aires" → "Buenos Aires"). */
export function zoneCity(zone: string): string {
  const parts = zone.split("/");
  return (parts[parts.length - 1] ?? zone).replaceAll("_", " ");
}

/** The countries that use `zone`, by name ("Europe/Lisbon" → ["Portugal"]);
 *  none for zones such as "UTC" or "Etc/GMT+5". */
export function zoneCountries(zone: string): string[] {
  const tz = getTimezone(zone);
  if (!tz) return [];
  return tz.countries.map((c) => getCountry(c)?.name ?? c);
}

/** How a zone reads in the list: "Europe/Lisbon (Portugal)". */
export function zoneLabel(zone: string): string {
  const countries = zoneCountries(zone);
  const name = zone.replaceAll("_", " ");
  if (countries.length === 0) return name;
  const shown = countries.length > 2 ? `${countries.slice(0, 2).join(", ")} …` : countries.join(", ");
  return `${name} (${shown})`;
}

/** How well `zone` matches the folded query `q`; 0 is no match, higher is better. */
function score(zone: string, q: string): number {
  const city = fold(zoneCity(zone));
  const countries = zoneCountries(zone).map(fold);
  const tz = getTimezone(zone);
  // Current names before their deprecated aliases (Asia/Kolkata before Asia/Calcutta).
  const current = tz?.deprecated ? 0 : 1;
  let s = 0;
  if (city === q) s = 60;
  else if (countries.includes(q)) s = 50;
  else if (city.startsWith(q)) s = 40;
  else if (countries.some((c) => c.startsWith(q))) s = 30;
  else if (fold(zone).includes(q)) s = 20;
  else if (countries.some((c) => c.includes(q))) s = 10;
  return s === 0 ? 0 : s + current;
}

/** The zones matching `query`, best first (ties keep the given order);
 *  all of them for an empty query. */
export function findZones(zones: readonly string[], query: string): string[] {
  const q = fold(query);
  if (q === "") return [...zones];
  return zones
    .map((zone, i) => ({ zone, i, s: score(zone, q) }))
    .filter((m) => m.s > 0)
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((m) => m.zone);
}
