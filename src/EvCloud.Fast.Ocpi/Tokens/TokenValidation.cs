namespace EvCloud.Fast.Ocpi.Tokens;

/// <summary>Checks of Token objects (OCPI 2.2.1 §12.3.2, 2.1.1 §12.3.1) and conversions between the two versions.</summary>
public static class TokenValidation
{
    /// <summary>TokenType values of 2.2.1 (2.1.1 has OTHER and RFID only).</summary>
    public static readonly string[] Types = ["AD_HOC_USER", "APP_USER", "OTHER", "RFID"];

    /// <summary>WhitelistType values.</summary>
    public static readonly string[] Whitelists = ["ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER"];

    /// <summary>
    /// Null when <paramref name="token"/> is a complete 2.2.1 Token, else what is wrong. Ids are checked strictly (they
    /// key storage and become OCPP idTags); free text (visual_number, issuer) is accepted whatever its length.
    /// </summary>
    public static string? Check(OcpiToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.CountryCode is not { Length: 2 } || token.PartyId is not { Length: 3 })
        {
            return "country_code (2) and party_id (3) are required.";
        }

        if (token.Uid is not { Length: > 0 and <= 36 })
        {
            return "uid is required, at most 36 characters.";
        }

        if (token.Type is null || !Types.Contains(token.Type))
        {
            return "type must be one of " + string.Join(", ", Types) + ".";
        }

        if (string.IsNullOrEmpty(token.ContractId) || string.IsNullOrEmpty(token.Issuer) || token.Valid is null)
        {
            return "contract_id, issuer and valid are required.";
        }

        if (token.Whitelist is null || !Whitelists.Contains(token.Whitelist))
        {
            return "whitelist must be one of " + string.Join(", ", Whitelists) + ".";
        }

        return token.LastUpdated is null ? "last_updated is required." : null;
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
