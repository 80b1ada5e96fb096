#!/usr/bin/env node
// ctl.js — what the SQL suites use (through psql's \!) to drive the S3 front: set faults,
// clear them, and count the requests it saw. The front's port comes from S3_FRONT_PORT.
//   node ctl.js fault '{"kind":"status","status":503,"count":2}'   append a rule
//   node ctl.js clear                                             drop rules and the log
//   node ctl.js count SUBSTRING [METHOD]    requests whose bucket/key?query contains it
//   node ctl.js bytes SUBSTRING             body bytes sent for those requests
// Prints one line (the number, or "ok"); exits non-zero when the front does not answer.
'use strict';
const http = require('http');

const port = process.env.S3_FRONT_PORT;
if (!port) { console.error('ctl.js: S3_FRONT_PORT is not set'); process.exit(2); }

function call(method, path, body) {
	return new Promise((resolve, reject) => {
		const req = http.request({ host: '127.0.0.1', port, method, path,
			headers: body ? { 'content-type': 'application/json' } : {} }, (res) => {
			let data = '';
			res.on('data', (c) => { data += c; });
			res.on('end', () => (res.statusCode < 300 ? resolve(data) : reject(new Error(`${res.statusCode} ${data}`))));
		});
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

function matching(log, sub, method) {
	return log.filter((r) => `${r.bucket}/${r.key || ''}?${r.query || ''}`.includes(sub) &&
		(!method || r.method === method));
}

async function main() {
	const [cmd, arg, arg2] = process.argv.slice(2);
	switch (cmd) {
		case 'fault':
			JSON.parse(arg);	// fail here, not in the front, on a typo
			await call('POST', '/__front/faults', arg);
			console.log('ok');
			break;
		case 'clear':
			await call('DELETE', '/__front/faults');
			await call('DELETE', '/__front/log');
			console.log('ok');
			break;
		case 'count':
			console.log(matching(JSON.parse(await call('GET', '/__front/log')), arg || '', arg2).length);
			break;
		case 'bytes':
			console.log(matching(JSON.parse(await call('GET', '/__front/log')), arg || '', arg2)
				.reduce((a, r) => a + (r.bytesSent || 0), 0));
			break;
		default:
			console.error('usage: ctl.js fault JSON | clear | count SUBSTRING [METHOD] | bytes SUBSTRING');
			process.exit(2);
	}
}

main().catch((e) => { console.error(`ctl.js: ${e.message}`); process.exit(1); });
