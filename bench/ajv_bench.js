// Baseline for bench/validator_bench.cpp: ajv 6 (Debian's node-ajv, draft-07), compiled once,
// timed over many validate() calls. Reads a JSON file of cases [{name, schema, valid, invalid}]
// and prints one line per case: "name valid_us invalid_us first_failure_us" (medians of 15
// batches, CPU time; invalid: every error, first failure: the yes/no answer on the invalid dossier).
// V8 sometimes settles on slower code for a whole round (the same case then takes up to 2.5x as
// long), so each figure is the best of the rounds' medians (argument 2: how many, 3 unless given):
// motcua is compared with ajv at its best.
// Formats are asserted ("full" mode), as motcua asserts them in this benchmark.
// Run with NODE_PATH=/usr/share/nodejs (where Debian installs ajv).
'use strict';
const fs = require('fs');
const Ajv = require('ajv');

function medianUs(f, batches = 15, perBatch = 2000) {
  for (let i = 0; i < perBatch; ++i) f();  // let the JIT settle first
  const us = [];
  for (let b = 0; b < batches; ++b) {
    const t0 = process.cpuUsage();  // CPU time, as validator_bench.cpp counts it
    for (let i = 0; i < perBatch; ++i) f();
    const spent = process.cpuUsage(t0);
    us.push((spent.user + spent.system) / perBatch);
  }
  us.sort((a, b) => a - b);
  return us[Math.floor(us.length / 2)];
}

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const rounds = Number(process.argv[3] || 3);
let sink = 0;
for (const c of cases) {
  // Stop at the first failure for the yes/no answer; every error for the invalid instance,
  // as motcua's validate() reports every failing keyword.
  const first = new Ajv({format: 'full'}).compile(c.schema);
  const every = new Ajv({format: 'full', allErrors: true}).compile(c.schema);
  if (!first(c.valid) || first(c.invalid) || every(c.invalid)) {
    console.error(`ajv disagrees with the expected results on ${c.name}: ${JSON.stringify(first.errors)}`);
    process.exit(1);
  }
  const best = (f) => Math.min(...Array.from({length: rounds}, () => medianUs(f)));
  const valid = best(() => { sink += first(c.valid) ? 1 : 0; });
  const invalid = best(() => { sink += every(c.invalid) ? 0 : every.errors.length; });
  const firstFailure = best(() => { sink += first(c.invalid) ? 1 : 0; });
  console.log(`${c.name} ${valid.toFixed(3)} ${invalid.toFixed(3)} ${firstFailure.toFixed(3)}`);
}
if (sink < 0) console.log(sink);
