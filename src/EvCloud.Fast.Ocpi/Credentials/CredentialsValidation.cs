using EvCloud.Fast.Ocpi.Partners;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Credentials;

/// <summary>Checks of a received credentials object (OCPI 2.2.1 §7.3.1 / 2.1.1 §7.2.1) and its roles in our stored form.</summary>
public static class CredentialsValidation
{
    /// <summary>The roles of a 2.2.1 object, or null with <paramref name="error"/> naming the fault.</summary>
    public static List<PartnerRole>? Roles(Credentials221 credentials, out string? error)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        error = null;
        if (credentials.Roles is not { Count: > 0 } roles)
        {
            error = "roles must list at least one role.";
            return null;
        }

        var result = new List<PartnerRole>(roles.Count);
        foreach (CredentialsRole role in roles)
        {
            if (!IsRole(role.Role) || !IsParty(role.CountryCode, role.PartyId))
            {
                error = "every role needs role (CPO, EMSP, HUB, NAP, NSP, SCSP, OTHER), country_code (2 letters) and party_id (3 characters).";
                return null;
            }

            result.Add(new PartnerRole
            {
                Role = role.Role!.ToUpperInvariant(),
                CountryCode = role.CountryCode!.ToUpperInvariant(),
                PartyId = role.PartyId!.ToUpperInvariant(),
                Name = role.BusinessDetails?.Name,
            });
        }

        return result;
    }

    /// <summary>The one party of a 2.1.1 object (its role is not stated in 2.1.1).</summary>
    public static List<PartnerRole>? Roles(Credentials211 credentials, out string? error)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        error = null;
        if (!IsParty(credentials.CountryCode, credentials.PartyId))
        {
            error = "country_code (2 letters) and party_id (3 characters) are required.";
            return null;
        }

        return [new PartnerRole { CountryCode = credentials.CountryCode!.ToUpperInvariant(), PartyId = credentials.PartyId!.ToUpperInvariant(), Name = credentials.BusinessDetails?.Name }];
    }

    /// <summary>Token and url checks common to both versions.</summary>
    public static string? CheckTokenAndUrl(string? token, string? url)
    {
        if (!CredentialsTokenHeader.IsValidToken(token))
        {
            return "token must be 1-64 printable ASCII characters without whitespace.";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "url must be the absolute http(s) URL of the versions endpoint.";
        }

        return null;
    }

    /// <summary>A Role (OCPI 2.2.1 §16.4 "Role" enum).</summary>
    public static bool IsRole(string? role) =>
        role is not null && (role.Equals("CPO", StringComparison.OrdinalIgnoreCase) || role.Equals("EMSP", StringComparison.OrdinalIgnoreCase)
            || role.Equals("HUB", StringComparison.OrdinalIgnoreCase) || role.Equals("NAP", StringComparison.OrdinalIgnoreCase)
            || role.Equals("NSP", StringComparison.OrdinalIgnoreCase) || role.Equals("SCSP", StringComparison.OrdinalIgnoreCase)
            || role.Equals("OTHER", StringComparison.OrdinalIgnoreCase));

    /// <summary>CiString(2) country code and CiString(3) party id.</summary>
    public static bool IsParty(string? countryCode, string? partyId) =>
        countryCode is { Length: 2 } && partyId is { Length: 3 } && countryCode.All(char.IsAsciiLetter) && partyId.All(char.IsAsciiLetterOrDigit);
}
