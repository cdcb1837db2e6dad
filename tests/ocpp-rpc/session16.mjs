// An OCPP 1.6J charger session driven by ocpp-rpc in strict mode: every call we send and every answer the
// server gives is validated by ocpp-rpc against the official 1.6 schemas. Prints one JSON line per step and
// exits non-zero on the first failure.
//
// usage: node session16.mjs <ws://host:port/ocpp> <chargePointId>
import { RPCClient } from 'ocpp-rpc';

const [, , endpoint, identity] = process.argv;
const log = (step, value) => console.log(JSON.stringify({ step, value }));

const client = new RPCClient({ endpoint, identity, protocols: ['ocpp1.6'], strictMode: true, reconnect: false });
let resetReceived = null;
client.handle('Reset', ({ params }) => {
  resetReceived = params;
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
  // Wait (bounded) for the server's Reset CALL, which the test triggers after seeing the "stop" line.
  for (let i = 0; i < 100 && !resetReceived; i++) await new Promise((r) => setTimeout(r, 50));
  log('reset', resetReceived);
  await client.close({ code: 1000 });
  process.exit(0);
} catch (err) {
  log('error', { message: String(err && err.message), name: err && err.name, details: err && err.details });
  process.exit(1);
}
