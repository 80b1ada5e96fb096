#!/usr/bin/env node
// upload.js — for tests only: copies a directory tree into a bucket of s3rver, directly (not
// through front.js), with unsigned PUTs, which s3rver accepts.
//
//   node test/s3/upload.js --endpoint http://127.0.0.1:PORT --bucket B [--prefix P/] DIR
//
// Every regular file under DIR becomes the object P + its path relative to DIR ('/'-separated).
// Prints "uploaded N objects, M bytes"; exits non-zero on any failure.
'use strict';

const http = require('http');
const fs = require('fs');
const path = require('path');
const { URL } = require('url');

const CONCURRENCY = 4;

function usage(msg) {
	process.stderr.write(`upload.js: ${msg}\nusage: node upload.js --endpoint http://HOST:PORT --bucket B [--prefix P/] DIR\n`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = { prefix: '' };
	const rest = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--endpoint' || a === '--bucket' || a === '--prefix') {
			if (argv[i + 1] === undefined) usage(`${a} needs a value`);
			opts[a.slice(2)] = argv[++i];
		} else if (a.startsWith('--')) {
			usage(`unknown option ${a}`);
		} else {
			rest.push(a);
		}
	}
	if (!opts.endpoint || !opts.bucket || rest.length !== 1) usage('--endpoint, --bucket and one DIR are required');
	opts.dir = rest[0];
	return opts;
}

// Regular files under dir (symbolic links and other special files are left out), sorted.
function listFiles(dir, rel = '') {
	const out = [];
	for (const ent of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
		const child = rel ? `${rel}/${ent.name}` : ent.name;
		if (ent.isDirectory()) out.push(...listFiles(dir, child));
		else if (ent.isFile()) out.push(child);
	}
	return out.sort();
}

// Path-style URL path for a key: each segment percent-encoded (RFC 3986 unreserved kept).
function objectPath(bucket, key) {
	const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
	return '/' + enc(bucket) + '/' + key.split('/').map(enc).join('/');
}

function putFile(endpoint, bucket, key, file) {
	return new Promise((resolve, reject) => {
		const size = fs.statSync(file).size;
		const req = http.request({
			host: endpoint.hostname, port: endpoint.port || 80, method: 'PUT', path: objectPath(bucket, key),
			headers: { 'Content-Length': size, 'Content-Type': 'application/octet-stream' },
		}, (res) => {
			const chunks = [];
			res.on('data', (c) => chunks.push(c));
			res.on('end', () => {
				if (res.statusCode === 200) resolve(size);
				else reject(new Error(`PUT ${key}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
			});
		});
		req.on('error', (e) => reject(new Error(`PUT ${key}: ${e.message}`)));
		fs.createReadStream(file).on('error', (e) => req.destroy(e)).pipe(req);
	});
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const endpoint = new URL(opts.endpoint);
	if (endpoint.protocol !== 'http:') usage('only http:// endpoints');
	const files = listFiles(opts.dir);
	let next = 0;
	let bytes = 0;
	const worker = async () => {
		while (next < files.length) {
			const rel = files[next++];
			const size = await putFile(endpoint, opts.bucket, opts.prefix + rel, path.join(opts.dir, rel));
			bytes += size;	// not `bytes += await ...`: that would read bytes before the wait
		}
	};
	await Promise.all(Array.from({ length: CONCURRENCY }, worker));
	console.log(`uploaded ${files.length} objects, ${bytes} bytes`);
}

main().catch((e) => {
	process.stderr.write(`upload.js: ${e.message}\n`);
	process.exit(1);
});
