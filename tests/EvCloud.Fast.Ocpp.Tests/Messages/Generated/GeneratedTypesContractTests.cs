using System.Text.Json;
using EvCloud.Fast.Ocpp.Messages.Generated.V16;
using EvCloud.Fast.Ocpp.Messages.Generated.V201;
using V16 = EvCloud.Fast.Ocpp.Messages.Generated.V16;
using V201 = EvCloud.Fast.Ocpp.Messages.Generated.V201;

namespace EvCloud.Fast.Ocpp.Tests.Messages.Generated;

/// <summary>What a caller of the generated records relies on: wire names, required and optional properties, strictness.</summary>
public class GeneratedTypesContractTests
{
    [Fact]
    public void EnumValues_AreWrittenWithTheSchemasExactWireNames()
    {
        var sampled = new SampledValue
        {
            Value = "12345.67",
            Measurand = Measurand.EnergyActiveImportRegister,
            Phase = Phase.L1N,
            Unit = Unit.KWh,
            Context = Context.SamplePeriodic,
        };

        string json = JsonSerializer.Serialize(sampled, V16JsonContext.Default.SampledValue);

        Assert.Equal("""{"value":"12345.67","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","phase":"L1-N","unit":"kWh"}""", json);
        Assert.Equal("\"cCCS1\"", JsonSerializer.Serialize(ConnectorEnumType.CCCS1, V201JsonContext.Default.ConnectorEnumType));
    }

    [Fact]
    public void OptionalPropertiesLeftNull_AreNotWritten()
    {
        var request = new V201.BootNotificationRequest
        {
            Reason = BootReasonEnumType.PowerUp,
            ChargingStation = new ChargingStationType { Model = "Wallbox", VendorName = "VendorX" },
        };

        Assert.Equal("""{"chargingStation":{"model":"Wallbox","vendorName":"VendorX"},"reason":"PowerUp"}""",
            JsonSerializer.Serialize(request, V201JsonContext.Default.BootNotificationRequest));
        Assert.Equal("""{"currentTime":"2024-03-01T08:15:27Z","interval":300,"status":"Accepted"}""",
            JsonSerializer.Serialize(new V201.BootNotificationResponse
            {
                CurrentTime = new DateTimeOffset(2024, 3, 1, 8, 15, 27, TimeSpan.Zero),
                Interval = 300,
                Status = RegistrationStatusEnumType.Accepted,
            }, V201JsonContext.Default.BootNotificationResponse));
    }

    [Theory]
    [InlineData("2024-03-01T08:15:27Z", "2024-03-01T08:15:27Z")]
    [InlineData("2024-03-01T09:15:27.5+01:00", "2024-03-01T08:15:27.5Z")] // written in UTC
    [InlineData("2024-03-01T08:15:27", "2024-03-01T08:15:27Z")] // no offset, as chargers in the field send: UTC, not local time
    [InlineData("2024-03-01 08:15:27.123Z", "2024-03-01T08:15:27.123Z")] // RFC 3339 allows a space for 'T'
    public void DateTimes_AreReadWithoutAnOffsetAsUtc_AndWrittenInUtcWithZ(string sent, string written)
    {
        V16.HeartbeatResponse response = JsonSerializer.Deserialize($$"""{"currentTime":"{{sent}}"}""", V16JsonContext.Default.HeartbeatResponse)!;

        Assert.Equal($$"""{"currentTime":"{{written}}"}""", JsonSerializer.Serialize(response, V16JsonContext.Default.HeartbeatResponse));
    }

    [Fact]
    public void VendorExtensions_InCustomData_SurviveTheRoundTrip()
    {
        const string Json = """{"vendorId":"com.vendorx","hardwareRevision":"B","limits":{"max":[1,2]}}""";

        CustomDataType custom = JsonSerializer.Deserialize(Json, V201JsonContext.Default.CustomDataType)!;

        Assert.Equal("com.vendorx", custom.VendorId);
        Assert.Equal(Json, JsonSerializer.Serialize(custom, V201JsonContext.Default.CustomDataType));
    }

    [Theory]
    [InlineData("""{"status":"Accepted","currentTime":"2024-03-01T08:15:27Z"}""")] // interval, required, is missing
    [InlineData("""{"status":"Accepted","currentTime":"2024-03-01T08:15:27Z","interval":null}""")] // null for a required integer
    [InlineData("""{"status":"Accepted","currentTime":null,"interval":300}""")] // null for a required date-time
    [InlineData("""{"status":0,"currentTime":"2024-03-01T08:15:27Z","interval":300}""")] // an enum as its number
    [InlineData("""{"status":"accepted","currentTime":"2024-03-01T08:15:27Z","interval":300}""")] // not a wire name (case)
    [InlineData("""{"status":"Accepted","currentTime":"2024-03-01T08:15:27Z","interval":300,"extra":1}""")] // additionalProperties: false
    [InlineData("""{"status":"Accepted","currentTime":"2024-03-01T08:15:27Z","interval":30.5}""")] // a fraction for an integer
    public void PayloadsTheSchemaRefuses_AreRefusedByTheRecordsToo(string json)
    {
        Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize(json, V16JsonContext.Default.BootNotificationResponse));
    }

    [Fact]
    public void NullForAnOptionalReferenceTypeProperty_WhichTheSchemaDoesNotAllow_IsRefusedByTheValidatorNotSilentlyDropped()
    {
        // The records read a JSON null for an optional property as absent; the run-time validator, which runs before any
        // record is read on the charger path, refuses it (TypeConstraintViolation), so the difference never reaches a record.
        byte[] payload = """{"idTag":"04A2B3C4D5E680","parentIdTag":null}"""u8.ToArray();
        Assert.False(SchemaFixture.Validate(SchemaFixture.Schema(OcppVersion.Ocpp16, "Authorize"), payload, out _));
    }
}
