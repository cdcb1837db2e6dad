using System.Text;
using EvCloud.Fast.Ocpp.Security;

namespace EvCloud.Fast.Ocpp.Tests.Security;

public sealed class BasicAuthorizationTests
{
    [Fact]
    public void TheUserNameMustBeTheChargePointId_AndThePasswordIsEverythingAfterIt()
    {
        string header = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("CP:7:pass:word-0001"));
        Assert.True(ChargerAuthenticator.TryReadBasic(header, "CP:7", out byte[] password));
        Assert.Equal("pass:word-0001", Encoding.UTF8.GetString(password));
    }

    [Theory]
    [InlineData(null)] // no header
    [InlineData("Bearer Q1AtMTpwYXNzd29yZA==")] // another scheme
    [InlineData("Basic ***")] // not base64
    [InlineData("Basic Q1AtMjpwYXNzd29yZA==")] // CP-2:password, another charger's user name
    [InlineData("Basic Q1AtMTE6cGFzc3dvcmQ=")] // CP-11:password, the id is only a prefix of the user name
    [InlineData("Basic Q1AtMQ==")] // CP-1, no colon
    [InlineData("Basic Q1AtMTo=")] // CP-1:, empty password
    public void AnythingElse_IsNotACredentialForTheCharger(string? header)
    {
        Assert.False(ChargerAuthenticator.TryReadBasic(header, "CP-1", out _));
    }

    [Fact]
    public void TheSchemeIsCaseInsensitive()
    {
        Assert.True(ChargerAuthenticator.TryReadBasic("bAsIc Q1AtMTpwYXNzd29yZA==", "CP-1", out byte[] password));
        Assert.Equal("password", Encoding.UTF8.GetString(password));
    }
}
