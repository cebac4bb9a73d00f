// SPDX-License-Identifier: GPL-2.0-only
// node_work.js FILELIST - a V8 heap of objects, strings, Maps and JSON built
// from fixed input files, with a seeded PRNG (run with --random-seed=42
// --hash-seed=42 --single-threaded).  Prints READY when warm, then idles.
'use strict';
const fs = require('fs');

let s = 42;
function rand() { /* mulberry32 */
	s = (s + 0x6d2b79f5) | 0;
	let t = Math.imul(s ^ (s >>> 15), 1 | s);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const paths = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const words = new Map();
const lines = [];
for (const p of paths) {
	for (const line of fs.readFileSync(p, 'utf8').split('\n')) {
		lines.push(line.trim());
		for (const w of line.split(/\s+/)) if (w) words.set(w, (words.get(w) || 0) + 1);
	}
}
const vocab = [...words.keys()].sort();
const pick = (a) => a[Math.floor(rand() * a.length)];
const records = [];
for (let i = 0; i < 150000; i++)
	records.push({ id: i, name: pick(vocab), tags: [pick(vocab), pick(vocab), pick(vocab)],
		       score: Math.round(rand() * 1e6) / 1e3, line: pick(lines), ok: rand() < 0.5 });
const index = new Map();
for (const r of records) {
	const k = r.name.slice(0, 3);
	if (!index.has(k)) index.set(k, []);
	index.get(k).push(r.id);
}
const blob = JSON.stringify(records.slice(0, 60000));
const parsed = JSON.parse(blob);
globalThis.keep = { words, lines, records, index, blob, parsed };
console.log('READY');
setInterval(() => {}, 1 << 30);
