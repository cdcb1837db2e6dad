// An OCPP 2.0.1 or 2.1 charging-station session driven by ocpp-rpc in strict mode: every call we send and
// every answer the server gives is validated against the official schemas of the negotiated version.
// ocpp-rpc 2.2.1 ships its 2.1 schemas under ids its strict mode never looks up, so for 2.1 the repository's
// copy of the official schemas is registered under the ids it does use (urn:<Action>.req / .conf). The official 2.1
// schemas put "additionalProperties": false on string enum types too, where it means nothing (it constrains objects
// only) and Ajv warns about it on every message; that keyword is dropped from the non-object types of the copy.
//
// usage: node session2.mjs <ws://host:port/ocpp> <chargePointId> <ocpp2.0.1|ocpp2.1> [--wait-for-reset]
// --wait-for-reset: stay connected (at most 5 s) until the server sends a Reset CALL (the integration test sends one).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RPCClient, createValidator } from 'ocpp-rpc';

const [, , endpoint, identity, protocol, ...flags] = process.argv;
const waitForReset = flags.includes('--wait-for-reset');
const log = (step, value) => console.log(JSON.stringify({ step, value }));

function withoutObjectKeywordsOnScalars(node) {
  if (Array.isArray(node)) return node.map(withoutObjectKeywordsOnScalars);
  if (node === null || typeof node !== 'object') return node;
  const copy = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && typeof node.type === 'string' && node.type !== 'object') continue;
    copy[key] = withoutObjectKeywordsOnScalars(value);
  }
  return copy;
}

const strictModeValidators = [];
if (protocol === 'ocpp2.1') {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'EvCloud.Fast.Ocpp', 'Schemas', 'ocpp2.1');
  const schemas = readdirSync(dir).filter((f) => f.endsWith('.json')).map((file) => {
    const schema = withoutObjectKeywordsOnScalars(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const name = file.replace(/\.json$/, '');
    schema.$id = name.endsWith('Response') ? `urn:${name.slice(0, -8)}.conf` : `urn:${name.replace(/Request$/, '')}.req`;
    return schema;
  });
  strictModeValidators.push(createValidator('ocpp2.1', schemas));
}

const client = new RPCClient({ endpoint, identity, protocols: [protocol], strictMode: true, strictModeValidators, reconnect: false });
let resetReceived = null;
client.handle('Reset', ({ params }) => {
  resetReceived = params;
  return { status: 'Accepted' };
});

const now = () => new Date().toISOString();
const energy = (wh, context) => [{ timestamp: now(), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' }, context }] }];
const idToken = { idToken: 'RPC-TOKEN-2', type: 'ISO14443' };
const txInfo = (extra) => ({ transactionId: 'tx-rpc-1', ...extra });

try {
  await client.connect();
  log('boot', await client.call('BootNotification', { reason: 'PowerUp', chargingStation: { model: 'strict-2', vendorName: 'ocpp-rpc', firmwareVersion: '2.0' } }));
  log('heartbeat', await client.call('Heartbeat', {}));
  log('status', await client.call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 }));
  log('authorize', await client.call('Authorize', { idToken }));
  log('started', await client.call('TransactionEvent', {
    eventType: 'Started', timestamp: now(), triggerReason: 'Authorized', seqNo: 0,
    transactionInfo: txInfo({ chargingState: 'EVConnected' }), idToken, evse: { id: 1, connectorId: 1 },
    meterValue: energy(1000, 'Transaction.Begin'),
  }));
  log('updated', await client.call('TransactionEvent', {
    eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1,
    transactionInfo: txInfo({ chargingState: 'Charging' }), meterValue: energy(2500, 'Sample.Periodic'),
  }));
  log('ended', await client.call('TransactionEvent', {
    eventType: 'Ended', timestamp: now(), triggerReason: 'EVCommunicationLost', seqNo: 2,
    transactionInfo: txInfo({ chargingState: 'Idle', stoppedReason: 'EVDisconnected' }), meterValue: energy(4000, 'Transaction.End'),
  }));
  log('report', await client.call('NotifyReport', {
    requestId: 1, generatedAt: now(), seqNo: 0, tbc: false,
    reportData: [{ component: { name: 'EVSE', evse: { id: 1 } }, variable: { name: 'AvailabilityState' }, variableAttribute: [{ type: 'Actual', value: 'Available' }] }],
  }));
  log('security', await client.call('SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: now() }));
  if (waitForReset) {
    for (let i = 0; i < 100 && !resetReceived; i++) await new Promise((r) => setTimeout(r, 50));
    log('reset', resetReceived);
  }
  await client.close({ code: 1000 });
  process.exit(0);
} catch (err) {
  log('error', { message: String(err && err.message), name: err && err.name, details: err && err.details });
  process.exit(1);
}
