// Drives the npm CloudStack client `csclient` (not ours) against a simulator given by the
// CLOUDSTACK_ENDPOINT/KEY/SECRET variables, and prints one JSON object with what came back.
// Single-executor mode: the client asks listApis which commands are async, then `execute`
// polls queryAsyncJobResult for those itself.
'use strict';

const CloudStackClient = require('csclient');

const client = new CloudStackClient({
  baseUrl: process.env.CLOUDSTACK_ENDPOINT + '?',
  apiKey: process.env.CLOUDSTACK_KEY,
  secretKey: process.env.CLOUDSTACK_SECRET,
  pollingTime: 50,
  pollingNumber: 200,
  singleExecutor: true,
});

const call = (cmd, params) => new Promise((resolve, reject) => {
  client.execute(cmd, params, (err, res) => (err ? reject(err) : resolve(res)));
});

const fail = (err) => {
  process.stdout.write(JSON.stringify({ error: { name: err.name, code: err.code, message: err.message } }));
  process.exit(1);
};

client.on('error', fail);
client.on('ready', async () => {
  try {
    const out = {};
    out.zonesBefore = await call('listZones', {});
    const zone = await call('createZone', {
      name: 'csclient zone',
      dns1: '8.8.8.8',
      internaldns1: '10.0.0.1',
      networktype: 'Advanced',
    });
    out.zone = zone;
    const zoneId = zone.createzoneresponse.zone.id;
    out.physicalNetworkJob = await call('createPhysicalNetwork', {
      zoneid: zoneId,
      name: 'csclient-pnet',
      isolationmethods: 'VLAN',
      vlan: '100-199',
    });
    out.physicalNetworks = await call('listPhysicalNetworks', { zoneid: zoneId });
    out.zonesAfter = await call('listZones', { keyword: 'csclient' });
    try {
      await call('createZone', { name: 'no dns' });
    } catch (err) {
      out.missingParam = { name: err.name, code: err.code, message: err.message };
    }
    process.stdout.write(JSON.stringify(out));
  } catch (err) {
    fail(err);
  }
});
