using System.Buffers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

public class OcppSchemaValidatorAllocationTests
{
    [Fact]
    public void ValidatingSteadyStateChargerMessages_AllocatesNothing()
    {
        CompiledSchema statusNotification = SchemaFixture.Schema(OcppVersion.Ocpp16, "StatusNotification");
        CompiledSchema meterValues = SchemaFixture.Schema(OcppVersion.Ocpp16, "MeterValues");
        CompiledSchema transactionEvent = SchemaFixture.Schema(OcppVersion.Ocpp201, "TransactionEvent");
        byte[] status = Encoding.UTF8.GetBytes(Samples.Ocpp16StatusNotification);
        byte[] meter = Encoding.UTF8.GetBytes(Samples.Ocpp16MeterValues);
        byte[] transaction = Encoding.UTF8.GetBytes(Samples.Ocpp201TransactionEvent);

        long allocated = AllocationMeter.Measure(() =>
        {
            Assert.True(Validate(statusNotification, new ReadOnlySequence<byte>(status)));
            Assert.True(Validate(meterValues, new ReadOnlySequence<byte>(meter)));
            Assert.True(Validate(transactionEvent, new ReadOnlySequence<byte>(transaction)));
        });

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void ValidatingSegmentedAndEscapedPayloads_AllocatesNothing()
    {
        CompiledSchema statusNotification = SchemaFixture.Schema(OcppVersion.Ocpp16, "StatusNotification");
        CompiledSchema transactionEvent = SchemaFixture.Schema(OcppVersion.Ocpp201, "TransactionEvent");
        CompiledSchema certificateSigned = SchemaFixture.Schema(OcppVersion.Ocpp201, "CertificateSigned");
        byte[] escaped = Encoding.UTF8.GetBytes(
            """{"\u0063onnectorId":1,"errorCode":"No\u0045rror","status":"Charging","info":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}""");
        byte[] transaction = Encoding.UTF8.GetBytes(Samples.Ocpp201TransactionEvent);
        ReadOnlySequence<byte> escapedInPieces = TestSegment.OneBytePerSegment(escaped);
        ReadOnlySequence<byte> transactionInHalves = TestSegment.SplitAt(transaction, transaction.Length / 2);
        ReadOnlySequence<byte> transactionInPieces = TestSegment.OneBytePerSegment(transaction);
        byte[] certificate = Encoding.UTF8.GetBytes($$"""{"certificateChain":"{{string.Concat(Enumerable.Repeat("\\u0041", 9000))}}"}""");

        long allocated = AllocationMeter.Measure(() =>
        {
            Assert.True(Validate(statusNotification, escapedInPieces));
            Assert.True(Validate(transactionEvent, transactionInHalves));
            Assert.True(Validate(transactionEvent, transactionInPieces));
            Assert.True(Validate(certificateSigned, new ReadOnlySequence<byte>(certificate)));
        });

        Assert.Equal(0, allocated);
    }

    private static bool Validate(CompiledSchema schema, ReadOnlySequence<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, isFinalBlock: true, state: default);
        reader.Read();
        return OcppSchemaValidator.TryValidate(schema, ref reader, out _);
    }
}
