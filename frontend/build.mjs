// Compile the Sass entry point and copy the pinned GOV.UK Frontend script into ../static, and
// the pinned axe-core into ../tests/e2e/vendor for the browser tests.
import { compile } from "sass";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const statics = join(here, "..", "static");
const govuk = join(here, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(join(statics, "css"), { recursive: true });
mkdirSync(join(statics, "vendor", "govuk-frontend"), { recursive: true });

const css = compile(join(here, "cluster.scss"), {
  loadPaths: [join(here, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(statics, "css", "cluster.css"), css.css + "\n");
copyFileSync(join(govuk, "govuk-frontend.min.js"), join(statics, "vendor", "govuk-frontend", "govuk-frontend.min.js"));

const e2eVendor = join(here, "..", "tests", "e2e", "vendor");
mkdirSync(e2eVendor, { recursive: true });
copyFileSync(join(here, "node_modules", "axe-core", "axe.min.js"), join(e2eVendor, "axe.min.js"));
console.log(
  "built static/css/cluster.css, static/vendor/govuk-frontend/govuk-frontend.min.js and tests/e2e/vendor/axe.min.js",
);
