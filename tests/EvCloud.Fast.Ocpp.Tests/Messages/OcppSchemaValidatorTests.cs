using System.Buffers;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Messages;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Tests.TestSupport;

namespace EvCloud.Fast.Ocpp.Tests.Messages;

public class OcppSchemaValidatorTests
{
    private const string Status16 = """ "connectorId":1,"errorCode":"NoError","status":"Available" """;
    private const string Time = "2024-03-01T08:30:00Z";

    public static TheoryData<OcppVersion, string, bool, string> ValidSamples => Samples.Valid;

    [Theory]
    [MemberData(nameof(ValidSamples))]
    public void RealWorldPayload_IsAccepted_HoweverTheBytesAreSegmented(OcppVersion version, string action, bool response, string json)
    {
        CompiledSchema schema = SchemaFixture.Schema(version, action, response);

        foreach ((string shape, ReadOnlySequence<byte> payload) in SchemaFixture.Shapes(Encoding.UTF8.GetBytes(json)))
        {
            bool valid = SchemaFixture.Validate(schema, payload, out OcppValidationError error);
            Assert.True(valid, $"{shape}: {error}");
            Assert.Equal(OcppErrorCode.None, error.Code);
        }
    }

    [Theory]
    // 1.6 StatusNotification
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":"1","errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // connectorId is a string, not an integer
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1.5,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // an integer with a fractional part
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":true,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // a boolean for an integer
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":null}""", OcppErrorCode.TypeConstraintViolation)] // null is not a string
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":["Available"]}""", OcppErrorCode.TypeConstraintViolation)] // an array for a string
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """[1,"NoError","Available"]""", OcppErrorCode.TypeConstraintViolation)] // the payload must be an object
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "\"Available\"", OcppErrorCode.TypeConstraintViolation)] // the payload must be an object
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError"}""", OcppErrorCode.OccurrenceConstraintViolation)] // status is required
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{}", OcppErrorCode.OccurrenceConstraintViolation)] // all three required properties missing
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Busy"}""", OcppErrorCode.PropertyConstraintViolation)] // Busy is not a ChargePointStatus
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"available"}""", OcppErrorCode.PropertyConstraintViolation)] // enum members are case-sensitive
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available "}""", OcppErrorCode.PropertyConstraintViolation)] // trailing space is not trimmed
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"AvailableAvailableAvailableAvailable"}""", OcppErrorCode.PropertyConstraintViolation)] // longer than any member: rejected unread
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"\u0042usy"}""", OcppErrorCode.PropertyConstraintViolation)] // escaped "Busy" is still not a member
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","info":"123456789012345678901234567890123456789012345678901"}""", OcppErrorCode.PropertyConstraintViolation)] // info is limited to 50 characters
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","timestamp":"2024-13-01T08:30:00Z"}""", OcppErrorCode.PropertyConstraintViolation)] // month 13
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","timestamp":"2023-02-29T08:30:00Z"}""", OcppErrorCode.PropertyConstraintViolation)] // 2023 is not a leap year
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","timestamp":"yesterday"}""", OcppErrorCode.PropertyConstraintViolation)] // not a date-time
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","timestamp":"2024-03-01"}""", OcppErrorCode.PropertyConstraintViolation)] // a date without a time
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","timestamp":1709281800}""", OcppErrorCode.TypeConstraintViolation)] // epoch seconds instead of a string
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","colour":"red"}""", OcppErrorCode.FormatViolation)] // colour is not a StatusNotification property
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","Status":"Available"}""", OcppErrorCode.FormatViolation)] // property names are case-sensitive
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ",}", OcppErrorCode.FormatViolation)] // trailing comma is not JSON
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":01,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.FormatViolation)] // leading zero is not JSON
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError","status":"Available" """, OcppErrorCode.FormatViolation)] // truncated before the closing brace
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":'NoError',"status":"Available"}""", OcppErrorCode.FormatViolation)] // single quotes are not JSON
    // 1.6 nested objects and arrays
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"1","unit":"kW"},{"value":"2","unit":"Kwh"}]}]}""", OcppErrorCode.PropertyConstraintViolation)] // Kwh is not a UnitOfMeasure
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"sampledValue":[{"value":"1"}]}]}""", OcppErrorCode.OccurrenceConstraintViolation)] // meterValue[0].timestamp is required
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"unit":"Wh"}]}]}""", OcppErrorCode.OccurrenceConstraintViolation)] // sampledValue[0].value is required
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":1}]}]}""", OcppErrorCode.TypeConstraintViolation)] // 1.6 sends value as a string
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[]}}""", OcppErrorCode.TypeConstraintViolation)] // meterValue must be an array
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":["2024-03-01T08:30:00Z"]}""", OcppErrorCode.TypeConstraintViolation)] // array items must be objects
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"1","signature":"x"}]}]}""", OcppErrorCode.FormatViolation)] // signature is not a SampledValue property
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTag":"123456789012345678901"}""", OcppErrorCode.PropertyConstraintViolation)] // idTag is limited to 20 characters
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTag":"1234567890123456789\u00e9\u00e9"}""", OcppErrorCode.PropertyConstraintViolation)] // 21 characters once unescaped
    [InlineData(OcppVersion.Ocpp16, "SetChargingProfile", """{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.55}]}}}""", OcppErrorCode.PropertyConstraintViolation)] // limit must be a multiple of 0.1
    [InlineData(OcppVersion.Ocpp16, "SetChargingProfile", """{"connectorId":1,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":"16"}]}}}""", OcppErrorCode.TypeConstraintViolation)] // limit is a number, not a string
    [InlineData(OcppVersion.Ocpp16, "UpdateFirmware", """{"location":"firmware.bin","retrieveDate":"2024-03-02T02:00:00Z"}""", OcppErrorCode.PropertyConstraintViolation)] // a uri needs a scheme
    [InlineData(OcppVersion.Ocpp16, "UpdateFirmware", """{"location":"https://example.com/a b.bin","retrieveDate":"2024-03-02T02:00:00Z"}""", OcppErrorCode.PropertyConstraintViolation)] // a space is not a URI character
    [InlineData(OcppVersion.Ocpp16, "UpdateFirmware", """{"location":"https://example.com/%zz","retrieveDate":"2024-03-02T02:00:00Z"}""", OcppErrorCode.PropertyConstraintViolation)] // %zz is not a percent-escape
    // 2.0.1
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"T1"},"meterValue":[]}""", OcppErrorCode.OccurrenceConstraintViolation)] // meterValue needs at least one item
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"T1"},"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"12.3"}]}]}""", OcppErrorCode.TypeConstraintViolation)] // 2.x sends value as a number
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"T1"},"idToken":{"idToken":"04A2","type":"RFID"}}""", OcppErrorCode.PropertyConstraintViolation)] // RFID is not an IdTokenEnumType
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"T1"},"evse":{"connectorId":1}}""", OcppErrorCode.OccurrenceConstraintViolation)] // evse.id is required
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"0123456789012345678901234567890123456"}}""", OcppErrorCode.PropertyConstraintViolation)] // transactionId is limited to 36 characters
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3}""", OcppErrorCode.OccurrenceConstraintViolation)] // transactionInfo is required
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"T1"},"connectorId":1}""", OcppErrorCode.ProtocolError)] // connectorId is a 1.6 field, not a TransactionEvent property
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3.0e-1,"transactionInfo":{"transactionId":"T1"}}""", OcppErrorCode.TypeConstraintViolation)] // 0.3 is not an integer
    [InlineData(OcppVersion.Ocpp201, "NotifyReport", """{"requestId":1,"generatedAt":"2024-03-01T08:40:00Z","seqNo":0,"reportData":[{"component":{"name":"C"},"variable":{"name":"V"},"variableAttribute":[{},{},{},{},{}]}]}""", OcppErrorCode.OccurrenceConstraintViolation)] // variableAttribute allows at most 4 items
    [InlineData(OcppVersion.Ocpp201, "BootNotification", """{"chargingStation":{"model":"M","vendorName":"V"}}""", OcppErrorCode.OccurrenceConstraintViolation)] // reason is required
    [InlineData(OcppVersion.Ocpp201, "BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V","modem":{"iccid":12}}}""", OcppErrorCode.TypeConstraintViolation)] // a deeply nested number for a string
    [InlineData(OcppVersion.Ocpp201, "BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"},"customData":{"extension":1}}""", OcppErrorCode.OccurrenceConstraintViolation)] // customData.vendorId is required
    // 2.1
    [InlineData(OcppVersion.Ocpp21, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"numberOfPhasesUsed":4,"transactionInfo":{"transactionId":"T1"}}""", OcppErrorCode.PropertyConstraintViolation)] // numberOfPhasesUsed is at most 3
    [InlineData(OcppVersion.Ocpp21, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"evse":{"id":-1},"transactionInfo":{"transactionId":"T1"}}""", OcppErrorCode.PropertyConstraintViolation)] // evse.id is at least 0
    [InlineData(OcppVersion.Ocpp21, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":-1,"transactionInfo":{"transactionId":"T1"}}""", OcppErrorCode.PropertyConstraintViolation)] // seqNo is at least 0
    [InlineData(OcppVersion.Ocpp21, "NotifyPeriodicEventStream", """{"id":3,"pending":0,"basetime":"2024-03-01T08:30:00Z","data":[]}""", OcppErrorCode.OccurrenceConstraintViolation)] // data needs at least one item
    [InlineData(OcppVersion.Ocpp21, "NotifyPeriodicEventStream", """{"id":3,"pending":0,"basetime":"2024-03-01T08:30:00Z","data":[{"t":0,"v":"1"}],"seq":1}""", OcppErrorCode.ProtocolError)] // seq is not a NotifyPeriodicEventStream property
    [InlineData(OcppVersion.Ocpp21, "BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"M","vendorName":"V"},"customData":{"vendorId":"com.x"} """, OcppErrorCode.FormatViolation)] // truncated
    public void InvalidPayload_IsRejected_WithTheMatchingErrorCode(OcppVersion version, string action, string json, OcppErrorCode expected)
    {
        CompiledSchema schema = SchemaFixture.Schema(version, action);

        foreach ((string shape, ReadOnlySequence<byte> payload) in SchemaFixture.Shapes(Encoding.UTF8.GetBytes(json)))
        {
            Assert.False(SchemaFixture.Validate(schema, payload, out OcppValidationError error), shape);
            Assert.True(expected == error.Code, $"{shape}: expected {expected}, got {error}");
            Assert.NotEmpty(error.Description);
            Assert.InRange(error.Description.Length, 1, OcppValidationError.MaxDescriptionLength);
        }
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{}""", "OccurenceConstraintViolation")] // 1.6 keeps its misspelling
    [InlineData(OcppVersion.Ocpp201, "Authorize", """{}""", "OccurrenceConstraintViolation")]
    [InlineData(OcppVersion.Ocpp21, "Authorize", """{}""", "OccurrenceConstraintViolation")]
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTag":"A","x":1}""", "FormationViolation")] // 1.6: "not conform the PDU structure" is FormationViolation
    [InlineData(OcppVersion.Ocpp201, "Authorize", """{"idToken":{"idToken":"A","type":"Local"},"x":1}""", "ProtocolError")] // 2.x: "not conform the PDU structure" is ProtocolError
    [InlineData(OcppVersion.Ocpp21, "Authorize", """{"idToken":{"idToken":"A","type":"Local"},"x":1}""", "ProtocolError")]
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTag":}""", "FormationViolation")] // not JSON
    [InlineData(OcppVersion.Ocpp201, "Authorize", """{"idToken":}""", "FormatViolation")] // not JSON
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTag":7}""", "TypeConstraintViolation")]
    [InlineData(OcppVersion.Ocpp201, "Authorize", """{"idToken":{"idToken":"A","type":"Badge"}}""", "PropertyConstraintViolation")]
    public void ErrorCode_IsSpelledForTheConnectionsVersion(OcppVersion version, string action, string json, string wireCode)
    {
        Assert.False(SchemaFixture.Validate(SchemaFixture.Schema(version, action), Encoding.UTF8.GetBytes(json), out OcppValidationError error));

        Assert.Equal(wireCode, Encoding.UTF8.GetString(OcppErrorCodes.Utf8(error.Code, version)));
    }

    [Theory]
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":"1","errorCode":"NoError","status":"Available"}""", "connectorId: expected integer, got string")]
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", """{"connectorId":1,"errorCode":"NoError"}""", "missing required property 'status'")]
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","colour":"red"}""", "property 'colour' is not allowed")]
    [InlineData(OcppVersion.Ocpp16, "StatusNotification", "{" + Status16 + ""","info":"123456789012345678901234567890123456789012345678901"}""", "info: expected at most 50 characters, got 51")]
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"1"},{"value":"2","unit":"Kwh"}]}]}""", "meterValue[0].sampledValue[1].unit: value is not one of Wh, kWh,")]
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01T08:30:00Z","sampledValue":[{"value":"1"},{"unit":"Wh"}]}]}""", "meterValue[0].sampledValue[1]: missing required property 'value'")]
    [InlineData(OcppVersion.Ocpp16, "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2024-03-01 08:30","sampledValue":[]}]}""", "meterValue[0].timestamp: expected an RFC 3339 date-time")]
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTagInfo":{}}""", "property 'idTagInfo' is not allowed")]
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"transactionInfo":{"transactionId":"T1"},"meterValue":[]}""", "meterValue: expected at least 1 item(s), got 0")]
    [InlineData(OcppVersion.Ocpp201, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":1.5,"transactionInfo":{"transactionId":"T1"}}""", "seqNo: expected integer, got a number with a fraction or an exponent")]
    [InlineData(OcppVersion.Ocpp21, "TransactionEvent", """{"eventType":"Updated","timestamp":"2024-03-01T08:30:00Z","triggerReason":"MeterValuePeriodic","seqNo":3,"numberOfPhasesUsed":4,"transactionInfo":{"transactionId":"T1"}}""", "numberOfPhasesUsed: must be at most 3")]
    [InlineData(OcppVersion.Ocpp16, "Authorize", """{"idTag":"A""", "payload is not valid JSON")]
    public void Description_NamesThePathAndTheRule(OcppVersion version, string action, string json, string expectedStart)
    {
        Assert.False(SchemaFixture.Validate(SchemaFixture.Schema(version, action), Encoding.UTF8.GetBytes(json), out OcppValidationError error));

        Assert.StartsWith(expectedStart, error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void NestedResponseObject_ReportsItsPath()
    {
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp16, "Authorize", response: true);

        Assert.False(SchemaFixture.Validate(schema, """{"idTagInfo":{"expiryDate":"2024-03-02T00:00:00Z"}}"""u8.ToArray(), out OcppValidationError error));

        Assert.Equal(OcppErrorCode.OccurrenceConstraintViolation, error.Code);
        Assert.Equal("idTagInfo: missing required property 'status'", error.Description);
    }

    [Fact]
    public void Description_StaysWithinACallErrorsLimit_ForALongUnknownPropertyDeepInside()
    {
        string name = new('x', 1000);
        string json = $$"""{"connectorId":1,"meterValue":[{"timestamp":"{{Time}}","sampledValue":[{"value":"1","{{name}}":1}]}]}""";

        Assert.False(SchemaFixture.Validate(SchemaFixture.Schema(OcppVersion.Ocpp16, "MeterValues"), Encoding.UTF8.GetBytes(json), out OcppValidationError error));

        Assert.InRange(error.Description.Length, 1, 255);
        Assert.StartsWith("meterValue[0].sampledValue[0]: property 'xxx", error.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"\u0073tatus":"Available","connectorId":1,"errorCode":"NoError"}""")] // escaped property name
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"\u0041vailable"}""")] // escaped enum member
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"}""")] // 50 escaped characters in 300 raw bytes
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"ééééééééééééééééééééééééééééééééééééééééééééééééé"}""")] // 50 two-byte characters
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌"}""")] // 50 code points, 200 bytes
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c\ud83d\udd0c"}""")] // escaped surrogate pairs count as one code point each
    [InlineData("""{"connectorId":-0,"errorCode":"NoError","status":"Available"}""")] // -0 is an integer
    [InlineData("""{"connectorId":2147483647,"errorCode":"NoError","status":"Available"}""")] // int32 maximum
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\\ud800"}""")] // an escaped backslash, then the letters "ud800": no surrogate
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\"\ud83d\udd0c\n"}""")] // a surrogate pair between other escapes
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2024-03-01T08:30:00"}""")] // no offset: accepted leniently, read as UTC
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2024-03-01T08:30:00.123456789+05:30"}""")] // nine fractional digits and an offset
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2016-12-31T23:59:60Z"}""")] // a leap second
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2024-03-01T08:30:00\u002B01:00"}""")] // escaped '+'
    public void Edge_IsAccepted(string json)
    {
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp16, "StatusNotification");

        foreach ((string shape, ReadOnlySequence<byte> payload) in SchemaFixture.Shapes(Encoding.UTF8.GetBytes(json)))
        {
            Assert.True(SchemaFixture.Validate(schema, payload, out OcppValidationError error), $"{shape}: {error}");
        }
    }

    [Theory]
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌🔌"}""", OcppErrorCode.PropertyConstraintViolation)] // 51 code points
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9a"}""", OcppErrorCode.PropertyConstraintViolation)] // 51 escaped characters
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"\ud800vailable"}""", OcppErrorCode.FormatViolation)] // a lone surrogate escape is not Unicode
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"\x41vailable"}""", OcppErrorCode.FormatViolation)] // \x is not a JSON escape
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2024-03-01T08:30:60Z"}""", OcppErrorCode.PropertyConstraintViolation)] // second 60 outside a leap second
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2024-03-01T08:30:00.Z"}""", OcppErrorCode.PropertyConstraintViolation)] // a fraction needs digits
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","timestamp":"2024-03-01T08:30:00+25:00"}""", OcppErrorCode.PropertyConstraintViolation)] // offset hour 25
    [InlineData("""{"connectorId":1e400,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // beyond double, and an exponent is not an OCPP integer
    [InlineData("""{"connectorId":1e-40,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // tiny but not an integer
    [InlineData("""{"connectorId":1.0,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // OCPP integers are digits: 1.0 is a decimal
    [InlineData("""{"connectorId":1e0,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.TypeConstraintViolation)] // an exponent is not an OCPP integer
    [InlineData("""{"connectorId":2147483648,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.PropertyConstraintViolation)] // int32 maximum + 1
    [InlineData("""{"connectorId":-2147483649,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.PropertyConstraintViolation)] // int32 minimum - 1
    [InlineData("""{"connectorId":99999999999999999999999999999999,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.PropertyConstraintViolation)] // beyond long and decimal
    [InlineData("""{"connectorId":1,"status":"Available","errorCode":"NoError","connectorId":2}""", OcppErrorCode.FormatViolation)] // a repeated property: which value counts is undecidable
    [InlineData("""{"connectorId":1,"status":"Available","errorCode":"NoError","\u0073tatus":"Faulted"}""", OcppErrorCode.FormatViolation)] // repeated, the second time escaped
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\ud800"}""", OcppErrorCode.FormatViolation)] // a lone high surrogate in a string that is not otherwise read
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\udc00x"}""", OcppErrorCode.FormatViolation)] // a lone low surrogate
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"\ud83d\u0041"}""", OcppErrorCode.FormatViolation)] // a high surrogate followed by a letter, not a low surrogate
    [InlineData("""{"connectorId":1,"errorCode":"NoError","status":"Available","info":"ab\ud83d"}""", OcppErrorCode.FormatViolation)] // a high surrogate at the very end
    [InlineData("""{"\ud800":1,"connectorId":1,"errorCode":"NoError","status":"Available"}""", OcppErrorCode.FormatViolation)] // a lone surrogate in a property name
    public void Edge_IsRejected(string json, OcppErrorCode expected)
    {
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp16, "StatusNotification");

        foreach ((string shape, ReadOnlySequence<byte> payload) in SchemaFixture.Shapes(Encoding.UTF8.GetBytes(json)))
        {
            Assert.False(SchemaFixture.Validate(schema, payload, out OcppValidationError error), shape);
            Assert.True(expected == error.Code, $"{shape}: expected {expected}, got {error}");
        }
    }

    [Fact]
    public void LongCertificateChain_IsCheckedAgainstItsMaxLength_WhenEscapedOrSegmented()
    {
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp201, "CertificateSigned");
        string fits = new('A', 10000);
        string tooLong = new('A', 10001);
        string escapedFits = string.Concat(Enumerable.Repeat("\\u0041", 10000));

        Assert.True(SchemaFixture.Validate(schema, Encoding.UTF8.GetBytes($$"""{"certificateChain":"{{fits}}"}"""), out _));
        Assert.True(SchemaFixture.Validate(schema, TestSegment.Split(Encoding.UTF8.GetBytes($$"""{"certificateChain":"{{escapedFits}}"}"""), 100, 20000), out OcppValidationError e1), e1.ToString());
        Assert.False(SchemaFixture.Validate(schema, TestSegment.Split(Encoding.UTF8.GetBytes($$"""{"certificateChain":"{{tooLong}}"}"""), 3000), out OcppValidationError e2));
        Assert.Equal(OcppErrorCode.PropertyConstraintViolation, e2.Code);
    }

    [Fact]
    public void TryValidate_ThrowsForAReaderOnAPropertyName()
    {
        byte[] json = """{"a":{}}"""u8.ToArray();
        CompiledSchema schema = SchemaFixture.Schema(OcppVersion.Ocpp16, "Heartbeat");

        Assert.Throws<ArgumentException>(() =>
        {
            var reader = new Utf8JsonReader(json);
            reader.Read();
            reader.Read();
            OcppSchemaValidator.TryValidate(schema, ref reader, out _);
        });
    }
}
