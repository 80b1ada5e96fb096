#!/usr/bin/env node
// test_front.js — self-test of test/s3/front.js, run by the test runner:
//   node test/s3/test_front.js          (S3RVER_BIN=.../node_modules/.bin/s3rver for part b)
// (a) front.js's SigV4 code reproduces AWS's published S3 examples (Amazon S3 API reference,
//     "Signature Calculations for the Authorization Header: Transferring Payload in a Single
//     Chunk", section "Examples: Signature Calculations"): canonical request, its hash, the
//     signature and the Authorization header, plus canonicalization corner cases.
// (b) end to end against s3rver behind the front, with requests signed by this file's own small
//     signer: authentication outcomes, virtual-hosted addressing, every fault kind, the log, IMDS.
// Last line: "front: N passed, N failed"; exit status 1 on any failure.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const http = require('http');
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const front = require('./front.js');

let passed = 0;
let failed = 0;

async function test(name, fn) {
	try {
		await fn();
		passed++;
		console.log(`ok   ${name}`);
	} catch (e) {
		failed++;
		console.log(`FAIL ${name}\n     ${String(e && e.stack || e).split('\n').slice(0, 6).join('\n     ')}`);
	}
}

/* ------------------------------------------------------------------ (a) AWS's examples */

const EX = {
	accessKey: 'AKIAIOSFODNN7EXAMPLE',
	secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
	amzDate: '20130524T000000Z',
	region: 'us-east-1',
	host: 'examplebucket.s3.amazonaws.com',
};
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const WELCOME = 'Welcome to Amazon S3.';
const WELCOME_SHA = '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072';

// Each: the request as sent (raw path and query), and what the AWS page publishes for it.
const AWS_EXAMPLES = [
	{
		name: 'GET Object (Range bytes=0-9)',
		method: 'GET', path: '/test.txt', query: '', payloadHash: EMPTY,
		headers: { Host: EX.host, Range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY, 'x-amz-date': EX.amzDate },
		canonical: `GET\n/test.txt\n\nhost:${EX.host}\nrange:bytes=0-9\nx-amz-content-sha256:${EMPTY}\n` +
			`x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n${EMPTY}`,
		canonicalHash: '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
		signature: 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
	},
	{
		name: 'PUT Object (test$file.text)',
		method: 'PUT', path: '/test$file.text', query: '', payloadHash: WELCOME_SHA,
		headers: {
			Host: EX.host, Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-date': EX.amzDate,
			'x-amz-storage-class': 'REDUCED_REDUNDANCY', 'x-amz-content-sha256': WELCOME_SHA,
		},
		canonical: `PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\nhost:${EX.host}\n` +
			`x-amz-content-sha256:${WELCOME_SHA}\nx-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n` +
			`date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n${WELCOME_SHA}`,
		canonicalHash: '9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d',
		signature: '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd',
	},
	{
		name: 'GET Bucket Lifecycle (?lifecycle)',
		method: 'GET', path: '/', query: 'lifecycle', payloadHash: EMPTY,
		headers: { Host: EX.host, 'x-amz-date': EX.amzDate, 'x-amz-content-sha256': EMPTY },
		canonical: `GET\n/\nlifecycle=\nhost:${EX.host}\nx-amz-content-sha256:${EMPTY}\nx-amz-date:20130524T000000Z\n\n` +
			`host;x-amz-content-sha256;x-amz-date\n${EMPTY}`,
		canonicalHash: '9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca',
		signature: 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
	},
	{
		// sent in the other order on purpose: the canonical query must sort it
		name: 'Get Bucket (List Objects) (?max-keys=2&prefix=J)',
		method: 'GET', path: '/', query: 'prefix=J&max-keys=2', payloadHash: EMPTY,
		headers: { Host: EX.host, 'x-amz-date': EX.amzDate, 'x-amz-content-sha256': EMPTY },
		canonical: `GET\n/\nmax-keys=2&prefix=J\nhost:${EX.host}\nx-amz-content-sha256:${EMPTY}\nx-amz-date:20130524T000000Z\n\n` +
			`host;x-amz-content-sha256;x-amz-date\n${EMPTY}`,
		canonicalHash: 'df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7',
		signature: '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
	},
];

async function partA() {
	await test('payload hash of "Welcome to Amazon S3." is the published one', () => {
		assert.strictEqual(front.sha256hex(WELCOME), WELCOME_SHA);
		assert.strictEqual(front.sha256hex(''), EMPTY);
	});
	for (const ex of AWS_EXAMPLES) {
		await test(`AWS example ${ex.name}: canonical request, string to sign, signature, header`, () => {
			const r = {
				method: ex.method, path: ex.path, query: ex.query, headers: ex.headers,
				signedHeaders: Object.keys(ex.headers), payloadHash: ex.payloadHash,
			};
			const canonical = front.canonicalRequest(r);
			assert.strictEqual(canonical, ex.canonical);
			assert.strictEqual(front.sha256hex(canonical), ex.canonicalHash);
			const sts = front.stringToSign(EX.amzDate, front.credentialScope('20130524', EX.region), canonical);
			assert.strictEqual(sts, `AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n${ex.canonicalHash}`);
			assert.strictEqual(front.signatureOf(EX.secret, '20130524', EX.region, sts), ex.signature);
			const signed = front.signRequest({ ...r, accessKey: EX.accessKey, secret: EX.secret, region: EX.region, amzDate: EX.amzDate });
			const names = Object.keys(ex.headers).map((h) => h.toLowerCase()).sort().join(';');
			assert.strictEqual(signed.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/' +
				`aws4_request,SignedHeaders=${names},Signature=${ex.signature}`);
		});
	}
	await test('canonical URI: segments decoded then encoded per SigV4, "/" kept', () => {
		assert.strictEqual(front.canonicalUri('/forensic/x%20y%2bz$w.txt'), '/forensic/x%20y%2Bz%24w.txt');
		assert.strictEqual(front.canonicalUri('/b/%C3%A9t%C3%A9/a~b_c-d.e'), '/b/%C3%A9t%C3%A9/a~b_c-d.e');
		assert.strictEqual(front.canonicalUri('/b/a%2Fb'), '/b/a%2Fb');
		assert.strictEqual(front.canonicalUri('/b/a+b'), '/b/a%20b', "S3 takes a raw '+' in the path as a space");
		assert.strictEqual(front.canonicalUri(''), '/');
		assert.throws(() => front.canonicalUri('/b/%zz'), URIError);
	});
	await test('canonical query: decoded, encoded, sorted by name then value, "a" = "a="', () => {
		assert.strictEqual(front.canonicalQuery('b=2&a&c=&a=1'), 'a=&a=1&b=2&c=');
		assert.strictEqual(front.canonicalQuery('continuation-token=1Ab%2Bc%2F%3D%3D&list-type=2'),
			'continuation-token=1Ab%2Bc%2F%3D%3D&list-type=2');
		assert.strictEqual(front.canonicalQuery('prefix=a+b'), 'prefix=a%20b', "'+' in a query is a space");
		assert.strictEqual(front.canonicalQuery('prefix=a/b*'), 'prefix=a%2Fb%2A');
	});
	await test('canonical headers: lower-case, trimmed, inner whitespace collapsed, repeats joined', () => {
		const block = front.canonicalHeaders([['X-Amz-Meta-A', '  a   b  '], ['Host', 'h'], ['x-amz-meta-a', 'c']], ['x-amz-meta-a', 'host']);
		assert.strictEqual(block, 'host:h\nx-amz-meta-a:a b,c\n');
	});
	await test('Authorization header parsed with and without spaces after commas', () => {
		for (const sep of [',', ', ', ' , ']) {
			const a = front.parseAuthorization(`AWS4-HMAC-SHA256 Credential=AK/20130524/us-east-1/s3/aws4_request${sep}` +
				`SignedHeaders=host;x-amz-date${sep}Signature=abc`);
			assert.deepStrictEqual([a.accessKey, a.day, a.region, a.signature, a.signedHeaders],
				['AK', '20130524', 'us-east-1', 'abc', ['host', 'x-amz-date']]);
		}
	});
	await test('fault rules: validation, order, counts, method and match filters', () => {
		assert.throws(() => front.parseRules({ kind: 'nope' }));
		assert.throws(() => front.parseRules({ kind: 'status' }));
		assert.throws(() => front.parseRules({ kind: 'delay', ms: 10, count: -1 }));
		const rules = front.parseRules([
			{ kind: 'status', status: 503, match: 'k1', count: 2 },
			{ kind: 'delay', ms: 1, method: 'HEAD' },
			{ kind: 'etag', etag: 'x', count: 0 },
		]);
		const get = { method: 'GET' };
		const t = (key, req = get) => { const r = front.takeFault(rules, req, { bucket: 'b', key, rawQuery: '' }); return r && r.kind; };
		assert.deepStrictEqual([t('k1'), t('k1'), t('k1'), t('k1')], ['status', 'status', 'etag', 'etag']);
		assert.deepStrictEqual([t('k2', { method: 'HEAD' }), t('k2', { method: 'HEAD' })], ['delay', 'etag']);
	});
}

/* ------------------------------------------------------------------ (b) end to end */

const CREDS = {
	main: { id: 'AKIAFORENSICTEST', secret: 'forensic-secret-key' },
	token: { id: 'AKIATOKENTEST', secret: 'token-secret-key', token: 'token-abc' },
	imds: { id: 'AKIAIMDSTEST', secret: 'imds-secret-key', token: 'imds-token-xyz' },
};
const env = { frontPort: 0, imdsPort: 0, children: [], dir: null, logFile: null };

function sha(data) {
	return crypto.createHash('sha256').update(data).digest('hex');
}

function enc(s) {
	return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

function amzNow(offsetMs = 0) {
	return new Date(Date.now() + offsetMs).toISOString().replace(/[-:]|\.\d{3}/g, '');
}

// This test's own signer. o: {method, bucket, key, query: [[name, value]], headers, body, cred,
// region, virtual, payload: 'signed'|'unsigned'|'none', payloadHash, amzDate, scopeDay, unsigned:
// [header names left unsigned], tokenValue, noToken, spaces, tamper, rawPath, rawQuery,
// canonicalPath, canonicalQuery (the last four to play a client that encodes wrongly)}.
function signed(o) {
	const keyPath = (k) => k.split('/').map(enc).join('/');
	const path = o.rawPath || (o.virtual ? '/' + keyPath(o.key || '')
		: '/' + enc(o.bucket) + (o.key !== undefined ? '/' + keyPath(o.key) : ''));
	const query = o.rawQuery !== undefined ? o.rawQuery : (o.query || []).map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
	const canonQuery = o.canonicalQuery !== undefined ? o.canonicalQuery
		: (o.query || []).map(([k, v]) => `${enc(k)}=${enc(v)}`).sort().join('&');
	const body = o.body || Buffer.alloc(0);
	const amzDate = o.amzDate || amzNow();
	const headers = { host: o.virtual ? `${o.bucket}.localhost:${env.frontPort}` : `127.0.0.1:${env.frontPort}`, 'x-amz-date': amzDate };
	for (const [k, v] of Object.entries(o.headers || {})) headers[k.toLowerCase()] = v;
	const payloadHash = o.payloadHash || (o.payload === 'unsigned' ? 'UNSIGNED-PAYLOAD' : sha(body));
	if (o.payload !== 'none') headers['x-amz-content-sha256'] = payloadHash;
	if (o.cred.token && !o.noToken) headers['x-amz-security-token'] = o.tokenValue || o.cred.token;
	if (o.tokenValue && !o.cred.token) headers['x-amz-security-token'] = o.tokenValue;
	const names = Object.keys(headers).filter((n) => !(o.unsigned || []).includes(n)).sort();
	const canonical = [o.method, o.canonicalPath || path, canonQuery, names.map((n) => `${n}:${String(headers[n]).trim()}\n`).join(''),
		names.join(';'), payloadHash].join('\n');
	const day = o.scopeDay || amzDate.slice(0, 8);
	const region = o.region || 'us-east-1';
	const scope = `${day}/${region}/s3/aws4_request`;
	const sts = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonical)].join('\n');
	let key = 'AWS4' + o.cred.secret;
	for (const part of [day, region, 's3', 'aws4_request']) key = crypto.createHmac('sha256', key).update(part).digest();
	let sig = crypto.createHmac('sha256', key).update(sts).digest('hex');
	if (o.tamper) sig = (sig[0] === '0' ? '1' : '0') + sig.slice(1);
	const sep = o.spaces ? ', ' : ',';
	headers.authorization = `AWS4-HMAC-SHA256 Credential=${o.cred.id}/${scope}${sep}SignedHeaders=${names.join(';')}${sep}Signature=${sig}`;
	return { method: o.method, path: path + (query ? '?' + query : ''), headers, body };
}

function plain(method, path, headers = {}, body) {
	return { method, path, headers: { host: `127.0.0.1:${env.frontPort}`, ...headers }, body };
}

// Sends a request; resolves with {status, headers, body, complete, error, ms} whatever happens.
function send(r, { port = env.frontPort, abortAfterMs = 0 } = {}) {
	return new Promise((resolve) => {
		const started = Date.now();
		const out = { status: 0, headers: {}, body: null, complete: false, error: null, ms: 0 };
		const chunks = [];
		let done = false;
		const finish = (err) => {
			if (done) return;
			done = true;
			out.error = err ? (err.code || err.message) : null;
			out.body = Buffer.concat(chunks);
			out.ms = Date.now() - started;
			resolve(out);
		};
		const req = http.request({ host: '127.0.0.1', port, method: r.method, path: r.path, headers: r.headers, agent: false });
		req.on('response', (res) => {
			out.status = res.statusCode;
			out.headers = res.headers;
			res.on('data', (c) => chunks.push(c));
			res.on('error', finish);
			res.on('close', () => { out.complete = res.complete; finish(res.complete ? null : new Error('closed early')); });
		});
		req.on('error', finish);
		if (abortAfterMs) setTimeout(() => req.destroy(new Error('client gave up')), abortAfterMs);
		req.end(r.body);
	});
}

function errorCode(res) {
	const m = /<Code>([^<]*)<\/Code>/.exec(res.body.toString());
	return m ? m[1] : null;
}

function expectError(res, status, code) {
	assert.strictEqual(res.status, status, `status ${res.status}, body ${res.body}`);
	assert.strictEqual(errorCode(res), code, String(res.body));
	assert.match(res.body.toString(), /^<\?xml version="1.0" encoding="UTF-8"\?><Error><Code>[\s\S]*<RequestId>[^<]+<\/RequestId>/);
}

async function control(method, path, json) {
	const res = await send(plain(method, path, { 'content-type': 'application/json' }, json === undefined ? undefined : JSON.stringify(json)));
	assert.strictEqual(res.status, 200, `${method} ${path}: ${res.status} ${res.body}`);
	return JSON.parse(res.body.toString());
}

function freePort() {
	return new Promise((resolve) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
	});
}

async function waitFor(what, fn, ms = 15000) {
	const until = Date.now() + ms;
	for (;;) {
		if (await fn()) return;
		if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 100));
	}
}

async function startServers() {
	env.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'front-test-'));
	const s3Port = await freePort();
	const s3log = fs.openSync(path.join(env.dir, 's3rver.log'), 'w');	// it reports each connection the front cuts on purpose
	const s3rver = spawn(process.env.S3RVER_BIN, ['-d', path.join(env.dir, 'data'), '-a', '127.0.0.1', '-p', String(s3Port),
		'--configure-bucket', 'forensic', '--configure-bucket', 'public-archive'], {
		env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' }, stdio: ['ignore', s3log, s3log],
	});
	fs.closeSync(s3log);
	env.children.push(s3rver);
	await waitFor('s3rver', async () => (await send({ method: 'GET', path: '/forensic?list-type=2', headers: {} }, { port: s3Port })).status === 200);
	env.s3Port = s3Port;
	env.logFile = path.join(env.dir, 'front-requests.log');
	const fr = spawn(process.execPath, [path.join(__dirname, 'front.js'), '--listen', '127.0.0.1:0', '--upstream', `127.0.0.1:${s3Port}`,
		'--region', 'us-east-1', '--credentials', 'AKIAFORENSICTEST:forensic-secret-key',
		'--credentials', 'AKIATOKENTEST:token-secret-key:token-abc', '--public-bucket', 'public-archive',
		'--virtual-suffix', 'localhost', '--imds-listen', '127.0.0.1:0',
		'--imds-credentials', 'AKIAIMDSTEST:imds-secret-key:imds-token-xyz', '--log', env.logFile,
		// should this test be killed outright, the front goes too and takes s3rver with it
		'--exit-with', String(process.pid), '--kill-on-exit', String(s3rver.pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
	env.children.push(fr);
	let out = '';
	fr.stdout.on('data', (d) => { out += d; });
	await waitFor('front.js ready line', () => /ready front=\d+ imds=\d+\n/.test(out));
	const m = /ready front=(\d+) imds=(\d+)/.exec(out);
	env.frontPort = Number(m[1]);
	env.imdsPort = Number(m[2]);
}

async function stopServers() {
	await Promise.all(env.children.map((c) => new Promise((resolve) => {
		if (c.exitCode !== null || c.signalCode !== null) return resolve();
		c.once('exit', resolve);
		c.kill('SIGTERM');
		setTimeout(() => c.kill('SIGKILL'), 5000).unref();
	})));
	env.children = [];
	if (env.dir) fs.rmSync(env.dir, { recursive: true, force: true });
}

const main = CREDS.main;
const OBJ = Buffer.from('forensic archive object: 0123456789abcdefghijklmnopqrstuvwxyz\n');
const BIG = crypto.randomBytes(256 * 1024);

async function put(key, body, bucket = 'forensic') {
	const res = await send(signed({ method: 'PUT', bucket, key, body, cred: main }));
	assert.strictEqual(res.status, 200, String(res.body));
	return res;
}

async function partB() {
	await test('signed PUT (signed payload): 200 and the ETag is the MD5', async () => {
		const res = await put('t/obj.txt', OBJ);
		assert.strictEqual(res.headers.etag, `"${crypto.createHash('md5').update(OBJ).digest('hex')}"`);
		await put('faults/big.bin', BIG);
	});
	await test('signed PUT with UNSIGNED-PAYLOAD: 200; PUT whose body does not match its hash: 400 XAmzContentSHA256Mismatch', async () => {
		const ok = await send(signed({ method: 'PUT', bucket: 'forensic', key: 't/unsigned.txt', body: OBJ, payload: 'unsigned', cred: main }));
		assert.strictEqual(ok.status, 200, String(ok.body));
		expectError(await send(signed({ method: 'PUT', bucket: 'forensic', key: 't/bad.txt', body: OBJ, payloadHash: sha('other'), cred: main })),
			400, 'XAmzContentSHA256Mismatch');
	});
	await test('signed GET: 200 with the object', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', cred: main }));
		assert.strictEqual(res.status, 200);
		assert.deepStrictEqual(res.body, OBJ);
	});
	await test('signed ranged GET bytes=10-19: 206 with exactly those bytes', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', headers: { range: 'bytes=10-19' }, cred: main }));
		assert.strictEqual(res.status, 206);
		assert.deepStrictEqual(res.body, OBJ.subarray(10, 20));
		assert.strictEqual(res.headers['content-range'], `bytes 10-19/${OBJ.length}`);
	});
	await test('suffix range bytes=-7 answered as S3 does (last 7 bytes), not as s3rver would', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', headers: { range: 'bytes=-7' }, cred: main }));
		assert.strictEqual(res.status, 206);
		assert.deepStrictEqual(res.body, OBJ.subarray(OBJ.length - 7));
		assert.strictEqual(res.headers['content-range'], `bytes ${OBJ.length - 7}-${OBJ.length - 1}/${OBJ.length}`);
	});
	await test('signed HEAD: 200 with the size', async () => {
		const res = await send(signed({ method: 'HEAD', bucket: 'forensic', key: 't/obj.txt', cred: main }));
		assert.strictEqual(res.status, 200);
		assert.strictEqual(Number(res.headers['content-length']), OBJ.length);
	});
	await test('signed ListObjectsV2 paged by max-keys=2 with continuation tokens lists every key once', async () => {
		for (let i = 0; i < 5; i++) await put(`list/k${i}`, Buffer.from(String(i)));
		const keys = [];
		let token = null;
		for (let page = 0; page < 10; page++) {
			const query = [['list-type', '2'], ['prefix', 'list/'], ['max-keys', '2']];
			if (token) query.push(['continuation-token', token]);
			const res = await send(signed({ method: 'GET', bucket: 'forensic', query, cred: main }));
			assert.strictEqual(res.status, 200, String(res.body));
			const xml = res.body.toString();
			keys.push(...[...xml.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]));
			const next = /<NextContinuationToken>([^<]*)</.exec(xml);
			if (!next) break;
			token = next[1];
		}
		assert.deepStrictEqual(keys, ['list/k0', 'list/k1', 'list/k2', 'list/k3', 'list/k4']);
	});
	await test('virtual-hosted style (Host forensic.localhost:PORT): GET and listing', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', virtual: true, cred: main }));
		assert.strictEqual(res.status, 200, String(res.body));
		assert.deepStrictEqual(res.body, OBJ);
		const list = await send(signed({ method: 'GET', bucket: 'forensic', virtual: true, query: [['list-type', '2'], ['prefix', 't/']], cred: main }));
		assert.strictEqual(list.status, 200, String(list.body));
		assert.match(list.body.toString(), /<Key>t\/obj.txt<\/Key>/);
	});
	await test('Authorization with spaces after the commas is accepted', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', spaces: true, cred: main }));
		assert.strictEqual(res.status, 200, String(res.body));
	});
	if (spawnSync('curl', ['--version']).status === 0) {
		await test('curl --aws-sigv4 (libcurl, as the FDW signs) virtual-hosted GET: 200', () => {
			const r = spawnSync('curl', ['-s', '--aws-sigv4', 'aws:amz:us-east-1:s3', '--user', 'AKIAFORENSICTEST:forensic-secret-key',
				'-H', 'x-amz-content-sha256: UNSIGNED-PAYLOAD', `http://forensic.localhost:${env.frontPort}/t/obj.txt`], { encoding: 'buffer' });
			assert.strictEqual(r.status, 0, String(r.stderr));
			assert.deepStrictEqual(r.stdout, OBJ);
		});
	}
	await test('wrong secret: 403 SignatureDoesNotMatch, AWS message, the secret never echoed', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', cred: { id: main.id, secret: 'not-the-secret' } }));
		expectError(res, 403, 'SignatureDoesNotMatch');
		assert.match(res.body.toString(), /<Message>The request signature we calculated does not match the signature you provided\. Check your key and signing method\.<\/Message>/);
		assert.ok(!res.body.includes('forensic-secret-key') && !res.body.includes('not-the-secret'));
	});
	await test('tampered signature: 403 SignatureDoesNotMatch', async () => {
		expectError(await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', tamper: true, cred: main })), 403, 'SignatureDoesNotMatch');
	});
	await test('unknown access key: 403 InvalidAccessKeyId', async () => {
		expectError(await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', cred: { id: 'AKIANOBODY', secret: 'x' } })), 403, 'InvalidAccessKeyId');
	});
	await test('unsigned GET: 403 AccessDenied', async () => {
		expectError(await send(plain('GET', '/forensic/t/obj.txt')), 403, 'AccessDenied');
	});
	await test('a client that encodes the path wrongly ($ and + left raw in what it signs) is caught; right encoding passes', async () => {
		await put('t/x y+z$w.txt', OBJ);
		const base = { method: 'GET', bucket: 'forensic', key: 't/x y+z$w.txt', cred: main };
		const good = await send(signed(base));
		assert.strictEqual(good.status, 200, String(good.body));
		expectError(await send(signed({ ...base, canonicalPath: '/forensic/t/x%20y+z$w.txt' })), 403, 'SignatureDoesNotMatch');
	});
	await test("a raw '+' in the path means a space, as on S3: signed as %2B it is caught, signed as %20 it gets 'x y'", async () => {
		await put('t/p q.txt', Buffer.from('space'));
		await put('t/p+q.txt', Buffer.from('plus'));
		const base = { method: 'GET', bucket: 'forensic', rawPath: '/forensic/t/p+q.txt', cred: main };
		expectError(await send(signed({ ...base, canonicalPath: '/forensic/t/p%2Bq.txt' })), 403, 'SignatureDoesNotMatch');
		const res = await send(signed({ ...base, canonicalPath: '/forensic/t/p%20q.txt' }));
		assert.strictEqual(res.status, 200, String(res.body));
		assert.strictEqual(res.body.toString(), 'space');
		const plus = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/p+q.txt', cred: main }));
		assert.strictEqual(plus.body.toString(), 'plus');
	});
	await test("a client that signs a raw '+' in the query as %2B is caught ('+' means a space)", async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', rawQuery: 'list-type=2&prefix=a+b', canonicalQuery: 'list-type=2&prefix=a%2Bb', cred: main }));
		expectError(res, 403, 'SignatureDoesNotMatch');
	});
	await test('missing x-amz-content-sha256: 400 InvalidRequest', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', payload: 'none', payloadHash: 'UNSIGNED-PAYLOAD', cred: main }));
		expectError(res, 400, 'InvalidRequest');
		assert.match(res.body.toString(), /Missing required header for this request: x-amz-content-sha256/);
	});
	await test('x-amz-date 20 minutes off: 403 RequestTimeTooSkewed; within 10 minutes: 200', async () => {
		expectError(await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', amzDate: amzNow(-20 * 60000), cred: main })),
			403, 'RequestTimeTooSkewed');
		const ok = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', amzDate: amzNow(10 * 60000), cred: main }));
		assert.strictEqual(ok.status, 200, String(ok.body));
	});
	await test('credential scope day other than the x-amz-date day: 400 AuthorizationHeaderMalformed', async () => {
		expectError(await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', scopeDay: '20200101', cred: main })),
			400, 'AuthorizationHeaderMalformed');
	});
	await test('an x-amz-* header sent but not signed: 403 AccessDenied (HeadersNotSigned)', async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', headers: { 'x-amz-request-payer': 'requester' },
			unsigned: ['x-amz-request-payer'], cred: main }));
		expectError(res, 403, 'AccessDenied');
		assert.match(res.body.toString(), /<HeadersNotSigned>x-amz-request-payer<\/HeadersNotSigned>/);
	});
	await test("wrong region: 400 AuthorizationHeaderMalformed naming it, with <Region>us-east-1</Region>", async () => {
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', region: 'eu-west-1', cred: main }));
		expectError(res, 400, 'AuthorizationHeaderMalformed');
		assert.match(res.body.toString(), /<Message>The authorization header is malformed; the region 'eu-west-1' is wrong; expecting 'us-east-1'<\/Message>/);
		assert.match(res.body.toString(), /<Region>us-east-1<\/Region>/);
	});
	await test('public-archive: unsigned GET, HEAD and listing 200; unsigned PUT 403; signed PUT 200', async () => {
		await put('pub/readme.txt', OBJ, 'public-archive');
		const get = await send(plain('GET', '/public-archive/pub/readme.txt'));
		assert.strictEqual(get.status, 200);
		assert.deepStrictEqual(get.body, OBJ);
		assert.strictEqual((await send(plain('HEAD', '/public-archive/pub/readme.txt'))).status, 200);
		const list = await send(plain('GET', '/public-archive?list-type=2&prefix=pub%2F'));
		assert.strictEqual(list.status, 200);
		assert.match(list.body.toString(), /<Key>pub\/readme.txt<\/Key>/);
		expectError(await send(plain('PUT', '/public-archive/pub/x.txt', { 'content-length': '2' }, 'hi')), 403, 'AccessDenied');
	});
	await test('session-token credential: without token 403 InvalidToken, with it 200, unsigned or wrong 403 InvalidToken', async () => {
		const base = { method: 'GET', bucket: 'forensic', key: 't/obj.txt', cred: CREDS.token };
		expectError(await send(signed({ ...base, noToken: true })), 403, 'InvalidToken');
		const ok = await send(signed(base));
		assert.strictEqual(ok.status, 200, String(ok.body));
		expectError(await send(signed({ ...base, unsigned: ['x-amz-security-token'] })), 403, 'InvalidToken');
		expectError(await send(signed({ ...base, tokenValue: 'token-other' })), 403, 'InvalidToken');
	});
	await test('a token sent with a credential that has none: 403 InvalidToken', async () => {
		expectError(await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', tokenValue: 'token-abc', cred: main })), 403, 'InvalidToken');
	});

	const getBig = (opts = {}) => send(signed({ method: 'GET', bucket: 'forensic', key: 'faults/big.bin', cred: main }), opts);
	await test('fault status 503 SlowDown once, then normal; 500 defaults to InternalError; bad rule is 400', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'status', status: 503, code: 'SlowDown' }]);
		expectError(await getBig(), 503, 'SlowDown');
		assert.strictEqual((await getBig()).status, 200);
		await control('POST', '/__front/faults', { match: 'faults/big.bin', kind: 'status', status: 500 });
		expectError(await getBig(), 500, 'InternalError');
		const bad = await send(plain('POST', '/__front/faults', {}, JSON.stringify([{ kind: 'teleport' }])));
		assert.strictEqual(bad.status, 400);
	});
	await test('fault count 2 and method filter: two HEADs get 404, the GET in between does not', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big', method: 'HEAD', kind: 'status', status: 404, count: 2 }]);
		const head = () => send(signed({ method: 'HEAD', bucket: 'forensic', key: 'faults/big.bin', cred: main }));
		assert.strictEqual((await head()).status, 404);
		assert.strictEqual((await getBig()).status, 200);
		assert.strictEqual((await head()).status, 404);
		assert.strictEqual((await head()).status, 200);
	});
	await test('fault count 0 applies until the rules are cleared (also matching the query)', async () => {
		await control('POST', '/__front/faults', [{ match: 'list-type=2', kind: 'status', status: 429, count: 0 }]);
		const list = () => send(signed({ method: 'GET', bucket: 'forensic', query: [['list-type', '2']], cred: main }));
		expectError(await list(), 429, 'SlowDown');
		expectError(await list(), 429, 'SlowDown');
		await control('DELETE', '/__front/faults');
		assert.strictEqual((await list()).status, 200);
	});
	await test('fault delay 700 ms: answered after the delay, body intact', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'delay', ms: 700 }]);
		const res = await getBig();
		assert.strictEqual(res.status, 200);
		assert.ok(res.ms >= 650, `took ${res.ms} ms`);
		assert.deepStrictEqual(res.body, BIG);
	});
	await test('fault reset after 1000 bytes: full Content-Length, at most 1000 bytes, connection error', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'reset', after_bytes: 1000 }]);
		const res = await getBig();
		assert.strictEqual(res.status, 200);
		assert.strictEqual(Number(res.headers['content-length']), BIG.length);
		assert.ok(res.error && !res.complete, `error ${res.error}`);
		assert.ok(res.body.length <= 1000, `got ${res.body.length} bytes`);
		assert.deepStrictEqual(res.body, BIG.subarray(0, res.body.length));
	});
	await test('fault truncate after 1000 bytes: full Content-Length, exactly 1000 bytes, then a clean close', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'truncate', after_bytes: 1000 }]);
		const res = await getBig();
		assert.strictEqual(res.status, 200);
		assert.strictEqual(Number(res.headers['content-length']), BIG.length);
		assert.ok(!res.complete && res.error, 'the response must be incomplete');
		assert.deepStrictEqual(res.body, BIG.subarray(0, 1000));
	});
	await test('fault hang: no answer at all; the client gives up after 1 s; the next request is fine', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'hang' }]);
		const res = await getBig({ abortAfterMs: 1000 });
		assert.strictEqual(res.status, 0);
		assert.strictEqual(res.error, 'client gave up');
		assert.ok(res.ms >= 950);
		assert.strictEqual((await getBig()).status, 200);
	});
	await test('fault throttle 40000 bytes/s: a 40000-byte range takes about a second, body intact', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'throttle', bytes_per_sec: 40000 }]);
		const res = await send(signed({ method: 'GET', bucket: 'forensic', key: 'faults/big.bin', headers: { range: 'bytes=0-39999' }, cred: main }));
		assert.strictEqual(res.status, 206);
		assert.ok(res.ms >= 900, `took ${res.ms} ms`);
		assert.deepStrictEqual(res.body, BIG.subarray(0, 40000));
	});
	await test('fault etag: the ETag header is replaced once (the object "changed"), then the real one again', async () => {
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'etag', etag: 'changed-etag' }]);
		const real = `"${crypto.createHash('md5').update(BIG).digest('hex')}"`;
		const res = await getBig();
		assert.strictEqual(res.headers.etag, '"changed-etag"');
		assert.deepStrictEqual(res.body, BIG);
		assert.strictEqual((await getBig()).headers.etag, real);
	});
	await test('If-Match (which s3rver ignores): the right ETag 206, another 412 PreconditionFailed, also after an etag fault', async () => {
		const real = `"${crypto.createHash('md5').update(BIG).digest('hex')}"`;
		const get = (etag) => send(signed({ method: 'GET', bucket: 'forensic', key: 'faults/big.bin',
			headers: { range: 'bytes=0-9', 'if-match': etag }, cred: main }));
		assert.strictEqual((await get(real)).status, 206);
		const res = await get('"0123456789abcdef0123456789abcdef"');
		expectError(res, 412, 'PreconditionFailed');
		await control('POST', '/__front/faults', [{ match: 'faults/big.bin', kind: 'etag', etag: 'changed-etag' }]);
		expectError(await get(real), 412, 'PreconditionFailed');
		assert.strictEqual((await get(real)).status, 206);
	});
	await test('wrong region on a HEAD (no body): 400 with the x-amz-bucket-region header', async () => {
		const res = await send(signed({ method: 'HEAD', bucket: 'forensic', key: 't/obj.txt', region: 'eu-west-1', cred: main }));
		assert.strictEqual(res.status, 400);
		assert.strictEqual(res.headers['x-amz-bucket-region'], 'us-east-1');
	});
	await test('GET /__front/log records requests (method, bucket, key, query, range, status, authOk, bytesSent, fault); DELETE clears', async () => {
		const log = await control('GET', '/__front/log');
		const s3 = log.filter((e) => !e.imds);
		for (const f of ['method', 'bucket', 'key', 'query', 'range', 'status', 'authOk', 'bytesSent', 'fault']) assert.ok(f in s3[0], f);
		const cut = s3.find((e) => e.fault === 'truncate');
		assert.ok(cut && cut.bytesSent === 1000 && cut.status === 200 && cut.authOk === true, JSON.stringify(cut));
		const hang = s3.find((e) => e.fault === 'hang');
		assert.ok(hang && hang.status === 0, JSON.stringify(hang));
		const denied = s3.find((e) => e.code === 'AccessDenied' && e.authOk === false);
		assert.ok(denied, 'an AccessDenied entry');
		const ranged = s3.find((e) => e.range === 'bytes=10-19');
		assert.ok(ranged && ranged.status === 206 && ranged.bytesSent === 10, JSON.stringify(ranged));
		await control('DELETE', '/__front/log');
		assert.strictEqual((await control('GET', '/__front/log')).length, 0);
		const lines = fs.readFileSync(env.logFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		assert.ok(lines.length >= s3.length - 2, `--log file has ${lines.length} lines`);
	});
	await test('IMDSv2: token, role name, credentials; the front accepts them (with their token)', async () => {
		const imds = (method, p, headers) => send({ method, path: p, headers }, { port: env.imdsPort });
		const roleList = '/latest/meta-data/iam/security-credentials/';
		assert.strictEqual((await imds('GET', roleList, {})).status, 401);
		assert.strictEqual((await imds('PUT', '/latest/api/token', {})).status, 400);
		const tok = await imds('PUT', '/latest/api/token', { 'X-aws-ec2-metadata-token-ttl-seconds': '60' });
		assert.strictEqual(tok.status, 200);
		const token = tok.body.toString();
		assert.strictEqual((await imds('GET', roleList, { 'X-aws-ec2-metadata-token': 'bogus' })).status, 401);
		const role = await imds('GET', roleList, { 'X-aws-ec2-metadata-token': token });
		assert.strictEqual(role.status, 200);
		assert.strictEqual(role.body.toString(), 'forensic-role');
		const credRes = await imds('GET', roleList + 'forensic-role', { 'X-aws-ec2-metadata-token': token });
		assert.strictEqual(credRes.status, 200);
		const c = JSON.parse(credRes.body.toString());
		assert.strictEqual(c.Code, 'Success');
		assert.strictEqual(c.Type, 'AWS-HMAC');
		assert.deepStrictEqual([c.AccessKeyId, c.SecretAccessKey, c.Token], [CREDS.imds.id, CREDS.imds.secret, CREDS.imds.token]);
		const left = Date.parse(c.Expiration) - Date.now();
		assert.ok(left > 5.9 * 3600e3 && left < 6.1 * 3600e3, c.Expiration);
		assert.ok(!Number.isNaN(Date.parse(c.LastUpdated)));
		const cred = { id: c.AccessKeyId, secret: c.SecretAccessKey, token: c.Token };
		const ok = await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', cred }));
		assert.strictEqual(ok.status, 200, String(ok.body));
		expectError(await send(signed({ method: 'GET', bucket: 'forensic', key: 't/obj.txt', cred, noToken: true })), 403, 'InvalidToken');
	});
}

async function run() {
	await partA();
	if (!process.env.S3RVER_BIN) {
		console.log('front: end-to-end part (b) skipped: S3RVER_BIN is not set (source test/s3/s3env.sh, run s3env_install DIR, '
			+ 'then S3RVER_BIN=DIR/node_modules/.bin/s3rver)');
	} else {
		try {
			await startServers();
			await partB();
		} catch (e) {
			failed++;
			console.log(`FAIL end-to-end setup: ${e.stack}`);
		} finally {
			await stopServers();
		}
	}
	console.log(`front: ${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, () => { for (const c of env.children) c.kill('SIGKILL'); process.exit(1); });
}
process.on('exit', () => { for (const c of env.children) { try { c.kill('SIGKILL'); } catch (e) { /* gone */ } } });
run();
