// An OCPP 1.6J charger session driven by ocpp-rpc in strict mode: every call we send and every answer the
// server gives is validated by ocpp-rpc against the official 1.6 schemas. Prints one JSON line per step and
// exits non-zero on the first failure.
//
// usage: node session16.mjs <ws://host:port/ocpp> <chargePointId> [--wait-for-reset | --stay]
// --wait-for-reset: stay connected (at most 5 s) until the server sends a Reset CALL (the integration test sends one).
// --stay: after the session, stay connected (until Ctrl+C) as a charger the application API can command: a
//   RemoteStartTransaction is accepted and followed by a StartTransaction, a RemoteStopTransaction by the
//   StopTransaction 1 kWh later, and every CALL received is printed.
import { RPCClient } from 'ocpp-rpc';

const [, , endpoint, identity, ...flags] = process.argv;
const waitForReset = flags.includes('--wait-for-reset');
const stay = flags.includes('--stay');
const log = (step, value) => console.log(JSON.stringify({ step, value }));

const client = new RPCClient({ endpoint, identity, protocols: ['ocpp1.6'], strictMode: true, reconnect: false });
let resetReceived = null;
client.handle('Reset', ({ params }) => {
  resetReceived = params;
  if (stay) log('received Reset', params);
  return { status: 'Accepted' };
});

// --stay: the charger's side of remote start and stop. Its answer goes first; the transaction message follows it.
let meterWh = 2500;
const open = new Map(); // transactionId -> connectorId
const later = (fn) => setTimeout(() => fn().catch((err) => log('error', { message: String(err && err.message) })), 0);
client.handle('RemoteStartTransaction', ({ params }) => {
  log('received RemoteStartTransaction', params);
  later(async () => {
    const connectorId = params.connectorId ?? 1;
    const start = await client.call('StartTransaction', { connectorId, idTag: params.idTag, meterStart: meterWh, timestamp: new Date().toISOString() });
    if (start.idTagInfo.status === 'Accepted') open.set(start.transactionId, connectorId);
    log('start', start);
  });
  return { status: 'Accepted' };
});
client.handle('RemoteStopTransaction', ({ params }) => {
  log('received RemoteStopTransaction', params);
  if (!open.has(params.transactionId)) return { status: 'Rejected' };
  later(async () => {
    open.delete(params.transactionId);
    meterWh += 1000;
    log('stop', await client.call('StopTransaction', { transactionId: params.transactionId, meterStop: meterWh, timestamp: new Date().toISOString(), reason: 'Remote' }));
  });
  return { status: 'Accepted' };
});

try {
  await client.connect();
  const now = () => new Date().toISOString();
  log('boot', await client.call('BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'strict' }));
  log('heartbeat', await client.call('Heartbeat', {}));
  log('status0', await client.call('StatusNotification', { connectorId: 0, errorCode: 'NoError', status: 'Available', timestamp: now() }));
  log('status1', await client.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() }));
  log('authorize', await client.call('Authorize', { idTag: 'RPC-TAG' }));
  const start = await client.call('StartTransaction', { connectorId: 1, idTag: 'RPC-TAG', meterStart: 100, timestamp: now() });
  log('start', start);
  log('meter', await client.call('MeterValues', {
    connectorId: 1,
    transactionId: start.transactionId,
    meterValue: [{
      timestamp: now(),
      sampledValue: [
        { value: '2100', measurand: 'Energy.Active.Import.Register', unit: 'Wh', context: 'Sample.Periodic' },
        { value: '7.2', measurand: 'Power.Active.Import', unit: 'kW' },
        { value: '230.1', measurand: 'Voltage', phase: 'L1-N', unit: 'V' },
      ],
    }],
  }));
  log('stop', await client.call('StopTransaction', {
    transactionId: start.transactionId, meterStop: 2500, timestamp: now(), idTag: 'RPC-TAG', reason: 'Local',
    transactionData: [{ timestamp: now(), sampledValue: [{ value: '2500', context: 'Transaction.End' }] }],
  }));
  log('dataTransfer', await client.call('DataTransfer', { vendorId: 'org.example', messageId: 'hello', data: 'x' }));
  if (waitForReset) {
    for (let i = 0; i < 100 && !resetReceived; i++) await new Promise((r) => setTimeout(r, 50));
    log('reset', resetReceived);
  }
  if (stay) {
    log('connected', 'waiting for commands (Ctrl+C ends)');
    process.on('SIGINT', async () => {
      await client.close({ code: 1000 });
      process.exit(0);
    });
    client.on('close', () => process.exit(0));
    await new Promise(() => {});
  }
  await client.close({ code: 1000 });
  process.exit(0);
} catch (err) {
  log('error', { message: String(err && err.message), name: err && err.name, details: err && err.details });
  process.exit(1);
}
