using System.Text;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Tests.Rpc;

public class OcppErrorCodesTests
{
    [Theory]
    [InlineData(OcppErrorCode.NotImplemented, "NotImplemented", "NotImplemented")]
    [InlineData(OcppErrorCode.NotSupported, "NotSupported", "NotSupported")]
    [InlineData(OcppErrorCode.InternalError, "InternalError", "InternalError")]
    [InlineData(OcppErrorCode.ProtocolError, "ProtocolError", "ProtocolError")]
    [InlineData(OcppErrorCode.SecurityError, "SecurityError", "SecurityError")]
    [InlineData(OcppErrorCode.FormatViolation, "FormationViolation", "FormatViolation")] // OCPP-J 1.6 §4.2.3's spelling
    [InlineData(OcppErrorCode.PropertyConstraintViolation, "PropertyConstraintViolation", "PropertyConstraintViolation")]
    [InlineData(OcppErrorCode.OccurrenceConstraintViolation, "OccurenceConstraintViolation", "OccurrenceConstraintViolation")] // 1.6 misspells it
    [InlineData(OcppErrorCode.TypeConstraintViolation, "TypeConstraintViolation", "TypeConstraintViolation")]
    [InlineData(OcppErrorCode.GenericError, "GenericError", "GenericError")]
    [InlineData(OcppErrorCode.MessageTypeNotSupported, "NotSupported", "MessageTypeNotSupported")] // 2.x only: 1.6's nearest code
    [InlineData(OcppErrorCode.RpcFrameworkError, "ProtocolError", "RpcFrameworkError")] // 2.x only: 1.6's nearest code
    [InlineData(OcppErrorCode.None, "GenericError", "GenericError")] // never sent, but still a valid code
    public void Utf8_SpellsEachCodeAsItsVersionDoes(OcppErrorCode code, string ocpp16, string ocpp2x)
    {
        Assert.Equal(ocpp16, Encoding.UTF8.GetString(OcppErrorCodes.Utf8(code, OcppVersion.Ocpp16)));
        Assert.Equal(ocpp2x, Encoding.UTF8.GetString(OcppErrorCodes.Utf8(code, OcppVersion.Ocpp201)));
        Assert.Equal(ocpp2x, Encoding.UTF8.GetString(OcppErrorCodes.Utf8(code, OcppVersion.Ocpp21)));
    }

    [Fact]
    public void EveryCode_HasAWireSpelling_InEveryVersion()
    {
        foreach (OcppErrorCode code in Enum.GetValues<OcppErrorCode>())
        {
            foreach (OcppVersion version in new[] { OcppVersion.Ocpp16, OcppVersion.Ocpp201, OcppVersion.Ocpp21 })
            {
                Assert.False(OcppErrorCodes.Utf8(code, version).IsEmpty, $"{code} in {version}");
            }
        }
    }
}
