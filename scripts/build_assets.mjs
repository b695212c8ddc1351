// Copies the pinned front-end packages into var/vendor, which Django serves as static/vendor/.
import { cpSync, mkdirSync } from "node:fs";

const files = {
  "node_modules/bootstrap/dist/css/bootstrap.min.css": "bootstrap.min.css",
  "node_modules/bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap.bundle.min.js",
  "node_modules/htmx.org/dist/htmx.min.js": "htmx.min.js",
  "node_modules/chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
};
mkdirSync("var/vendor", { recursive: true });
for (const [source, target] of Object.entries(files)) {
  cpSync(source, `var/vendor/${target}`);
}
console.log(`copied ${Object.keys(files).length} asset files to var/vendor`);
