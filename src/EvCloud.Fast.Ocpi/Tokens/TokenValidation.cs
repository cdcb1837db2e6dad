using System.Text.Json;
using System.Text.Json.Nodes;
using EvCloud.Fast.Ocpi.Protocol;

namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>Checks of Token objects (OCPI 2.2.1 §12.3.2, 2.1.1 §12.3.1) and conversions between the two versions.</summary>
public static class TokenValidation
{
    /// <summary>TokenType values of 2.2.1 (2.1.1 has OTHER and RFID only).</summary>
    public static readonly string[] Types = ["AD_HOC_USER", "APP_USER", "OTHER", "RFID"];

    /// <summary>WhitelistType values.</summary>
    public static readonly string[] Whitelists = ["ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER"];

    /// <summary>
    /// Null when <paramref name="token"/> is a valid 2.2.1 Token (the property table of §12.3.2: required fields,
    /// lengths — issuer string(64), contract_id CiString(36) — and enum values), else the fault naming the field.
    /// </summary>
    public static string? Check(OcpiToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        JsonObject json = JsonSerializer.SerializeToNode(token, OcpiJsonContext.Default.OcpiToken)!.AsObject();
        return OcpiSchemas.V221.Check("Token", json);
    }

    /// <summary>A 2.1.1 token as 2.2.1, owned by the party in the URL it was pushed to (2.1.1 tokens carry no party).</summary>
    public static OcpiToken From211(OcpiToken211 token, string countryCode, string partyId)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new OcpiToken
        {
            CountryCode = countryCode.ToUpperInvariant(),
            PartyId = partyId.ToUpperInvariant(),
            Uid = token.Uid,
            Type = token.Type,
            ContractId = token.AuthId,
            VisualNumber = token.VisualNumber,
            Issuer = token.Issuer,
            Valid = token.Valid,
            Whitelist = token.Whitelist,
            Language = token.Language,
            LastUpdated = token.LastUpdated,
        };
    }

    /// <summary>A 2.2.1 token as 2.1.1 (AD_HOC_USER and APP_USER do not exist there and become OTHER).</summary>
    public static OcpiToken211 To211(OcpiToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new OcpiToken211
        {
            Uid = token.Uid,
            Type = token.Type == "RFID" ? "RFID" : "OTHER",
            AuthId = token.ContractId,
            VisualNumber = token.VisualNumber,
            Issuer = token.Issuer,
            Valid = token.Valid,
            Whitelist = token.Whitelist,
            Language = token.Language,
            LastUpdated = token.LastUpdated,
        };
    }
}
