using EvCloud.Fast.Ocpi.ChargingProfiles;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Ocpp.Authorization;

namespace EvCloud.Fast.Ocpi.Tests;

public sealed class RealTimeAndProfileRulesTests
{
    [Theory]
    [InlineData("ALLOWED", AuthorizationStatus.Accepted)]
    [InlineData("BLOCKED", AuthorizationStatus.Blocked)]
    [InlineData("NO_CREDIT", AuthorizationStatus.Blocked)] // OCPP 1.6 has no NoCredit
    [InlineData("EXPIRED", AuthorizationStatus.Expired)]
    [InlineData("NOT_ALLOWED", AuthorizationStatus.Invalid)]
    [InlineData("SOMETHING_NEW", AuthorizationStatus.Invalid)] // an AllowedType we do not know never lets a driver charge
    public void TheEmspsAnswer_BecomesTheOcppStatus(string allowed, AuthorizationStatus expected) =>
        Assert.Equal(expected, RealTimeAuthorizer.ToOcpp(allowed));

    [Theory]
    [InlineData("ALLOWED_OFFLINE", true, AuthorizationStatus.Accepted)]
    [InlineData("NEVER", true, AuthorizationStatus.Invalid)]
    [InlineData("ALLOWED_OFFLINE", false, AuthorizationStatus.Blocked)]
    public void WithoutTheEmsp_TheWhitelistDecides(string whitelist, bool valid, AuthorizationStatus expected) =>
        Assert.Equal(expected, RealTimeAuthorizer.OfflineStatus(new OcpiToken { Whitelist = whitelist, Valid = valid }));

    [Theory]
    [InlineData(1)]
    [InlineData(99_999_999)]
    [InlineData(int.MaxValue)]
    public void EachSessionsProfileId_StaysClearOfTheApisChargingLimit_AndFitsAnInt(int transactionId)
    {
        int id = ChargingProfileReceiver.ProfileId(transactionId);
        Assert.InRange(id, ChargingProfileReceiver.ProfileIdBase, int.MaxValue);
        Assert.NotEqual(EvCloud.Fast.Commands.ChargerCommands.DefaultChargingLimitProfileId, id);
    }
}
