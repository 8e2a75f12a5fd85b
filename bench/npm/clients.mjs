// Runs tasks through a provider's own npm client against the simulator, as a user of that client would: the
// client's defaults, its documented entry point, the image fetched once the client hands back its URL. The benchmark
// (PerfRun) starts the simulator, runs this, and reads the simulator's ledger for what it measures.
//
//   node clients.mjs --client fal|replicate --base URL --key KEY --tasks N --prompt TEXT
//
// Prints one JSON line: {"client", "version", "tasks", "succeeded", "failed", "errors"}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

function option(name) {
  const at = process.argv.indexOf(`--${name}`);
  if (at < 0 || at + 1 >= process.argv.length) {
    throw new Error(`missing --${name}`);
  }
  return process.argv[at + 1];
}

const client = option("client");
const base = option("base").replace(/\/$/, "");
const key = option("key");
const tasks = Number(option("tasks"));
const prompt = option("prompt");

async function fetchImage(url) {
  const response = await fetch(url);
  if (!response.ok) {
    throw new Error(`image answered HTTP ${response.status}`);
  }
  return (await response.arrayBuffer()).byteLength;
}

// @fal-ai/client: fal.subscribe() submits to the queue, polls the status (every 500 ms unless told otherwise), then
// fetches the result. Its requests go to https://queue.fal.run; a request middleware points them at the simulator.
async function falTask() {
  const { createFalClient } = await import("@fal-ai/client");
  const fal = createFalClient({
    credentials: key,
    requestMiddleware: async (request) => ({
      ...request,
      url: request.url.replace("https://queue.fal.run", base),
    }),
  });
  const result = await fal.subscribe("fal-ai/flux-pro/kontext/max/text-to-image", {
    input: { prompt, output_format: "png", num_images: 1 },
  });
  return fetchImage(result.data.images[0].url);
}

// replicate: replicate.run() creates the prediction with "Prefer: wait" (held up to 60 s) and polls only if it is
// still starting when the hold ends.
async function replicateTask() {
  const Replicate = require("replicate");
  const replicate = new Replicate({ auth: key, baseUrl: `${base}/v1`, useFileOutput: false });
  const output = await replicate.run("black-forest-labs/flux-kontext-max", {
    input: { prompt, output_format: "png" },
  });
  return fetchImage(Array.isArray(output) ? output[0] : output);
}

const packages = { fal: "@fal-ai/client", replicate: "replicate" };
const run = { fal: falTask, replicate: replicateTask }[client];
if (!run) {
  throw new Error(`unknown client ${client}; use fal or replicate`);
}
const version = JSON.parse(
  readFileSync(new URL(`node_modules/${packages[client]}/package.json`, import.meta.url), "utf8"),
).version;
const outcomes = await Promise.allSettled(Array.from({ length: tasks }, () => run()));
const errors = outcomes.filter((o) => o.status === "rejected").map((o) => String(o.reason?.message ?? o.reason));
console.log(
  JSON.stringify({
    client: packages[client],
    version,
    tasks,
    succeeded: tasks - errors.length,
    failed: errors.length,
    errors: errors.slice(0, 5),
  }),
);
