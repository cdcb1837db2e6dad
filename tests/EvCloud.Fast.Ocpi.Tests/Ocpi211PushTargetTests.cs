using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tests;

/// <summary>Which partners get location pushes: 2.1.1 endpoints and roles carry no role (2.1.1 version details, credentials).</summary>
public sealed class Ocpi211PushTargetTests
{
    [Fact]
    public void A211Partner_WithALocationsEndpoint_IsAPushTarget_ItsRolelessEndpointServingAsReceiver()
    {
        OcpiPartner partner = Partner(OcpiVersionNumber.V211, role: null, endpointRole: null);

        Assert.True(LocationPush.IsTarget(partner));
        Assert.Equal("http://emsp/locations", partner.EndpointUrl("locations", "RECEIVER"));
    }

    [Theory]
    [InlineData(OcpiVersionNumber.V211, false, true)] // not registered
    [InlineData(OcpiVersionNumber.V211, true, false)] // no locations endpoint
    [InlineData(OcpiVersionNumber.None, true, true)] // no version agreed
    public void OtherPartners_AreNotPushTargets(OcpiVersionNumber version, bool registered, bool withLocations)
    {
        OcpiPartner partner = Partner(version, role: null, endpointRole: null);
        partner.Registered = registered;
        if (!withLocations)
        {
            partner.Endpoints.Clear();
        }

        Assert.False(LocationPush.IsTarget(partner));
    }

    [Fact]
    public void A221Cpo_OrA221SenderEndpoint_IsNotAPushTarget()
    {
        Assert.False(LocationPush.IsTarget(Partner(OcpiVersionNumber.V221, role: "CPO", endpointRole: "RECEIVER")));
        Assert.False(LocationPush.IsTarget(Partner(OcpiVersionNumber.V221, role: "EMSP", endpointRole: "SENDER")));
        Assert.True(LocationPush.IsTarget(Partner(OcpiVersionNumber.V221, role: "EMSP", endpointRole: "RECEIVER")));
    }

    private static OcpiPartner Partner(OcpiVersionNumber version, string? role, string? endpointRole) => new()
    {
        Id = "p",
        Version = version,
        Registered = true,
        Roles = [new PartnerRole { Role = role, CountryCode = "DE", PartyId = "FAK" }],
        Endpoints = [new PartnerEndpoint { Identifier = "locations", Role = endpointRole, Url = "http://emsp/locations" }],
    };
}
