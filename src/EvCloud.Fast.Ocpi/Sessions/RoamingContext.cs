using EvCloud.Fast.Cdr.Cdrs;
using EvCloud.Fast.Ocpi.Locations;
using EvCloud.Fast.Ocpi.Tokens;
using EvCloud.Fast.Storage;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Sessions;

/// <summary>Whose token a transaction used, and how it was authorized.</summary>
/// <param name="PartnerId">The eMSP partner the session and CDR go to.</param>
/// <param name="CountryCode">Token owner's country code.</param>
/// <param name="PartyId">Token owner's party id.</param>
/// <param name="Type">TokenType.</param>
/// <param name="ContractId">contract_id.</param>
/// <param name="AuthMethod">COMMAND (START_SESSION), AUTH_REQUEST (real-time authorization) or WHITELIST.</param>
/// <param name="AuthorizationReference">From START_SESSION or the real-time answer.</param>
public sealed record SessionOwner(string PartnerId, string CountryCode, string PartyId, string Type, string ContractId, string AuthMethod, string? AuthorizationReference);

/// <summary>
/// What the CPO modules know about a transaction beyond OCPP: the eMSP that owns its token (from an accepted
/// START_SESSION, else from the Tokens receiver) and the OCPI location/EVSE/connector its charger is configured as.
/// Also the <see cref="ICdrRoamingResolver"/> of the CDR pipeline, so a roaming CDR carries the eMSP's token and our
/// OCPI location ids (OCPI 2.2.1 §10.4.3 CdrToken, §10.4.5 CdrLocation).
/// </summary>
public sealed class RoamingContext : ICdrRoamingResolver
{
    /// <summary>START_SESSION records.</summary>
    public const string StartCollection = "ocpi-cpo-session-starts";

    /// <summary>Roaming sessions.</summary>
    public const string SessionCollection = "ocpi-cpo-sessions";

    private readonly StorageEngine _storage;
    private readonly RoamingTokenStore _tokens;
    private readonly LocationCatalog _locations;
    private readonly RealTimeAuthorizer? _realTime;

    /// <summary>Creates the context.</summary>
    public RoamingContext(StorageEngine storage, RoamingTokenStore tokens, LocationCatalog locations, RealTimeAuthorizer? realTime = null)
    {
        _realTime = realTime;
        _storage = storage;
        _tokens = tokens;
        _locations = locations;
    }

    /// <summary>The stored roaming session of a transaction.</summary>
    public RoamingSession? Session(int transactionId) =>
        _storage.Documents.TryGet(SessionCollection, SessionKey(transactionId), out byte[]? value) ? MessagePackSerializer.Deserialize<RoamingSession>(value) : null;

    /// <summary>Document key of a session: the transaction id, zero-padded so keys sort numerically.</summary>
    public static string SessionKey(int transactionId) => transactionId.ToString("D10", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The owner of a transaction started at <paramref name="startMs"/> with <paramref name="idTag"/> at
    /// <paramref name="chargerId"/>: a START_SESSION for that token and charger still in force makes it COMMAND;
    /// otherwise a token an eMSP pushed makes it WHITELIST; otherwise it is not a roaming session.
    /// </summary>
    public SessionOwner? OwnerOf(string? idTag, string chargerId, long startMs, bool requireFreshStart = true)
    {
        if (string.IsNullOrEmpty(idTag))
        {
            return null;
        }

        if (_storage.Documents.TryGet(StartCollection, idTag.ToUpperInvariant(), out byte[]? value))
        {
            SessionStart start = MessagePackSerializer.Deserialize<SessionStart>(value);
            if (string.Equals(start.ChargerId, chargerId, StringComparison.Ordinal) && (!requireFreshStart || start.ExpiresMs >= startMs))
            {
                return new SessionOwner(start.PartnerId, start.CountryCode, start.PartyId, start.Type, start.ContractId, "COMMAND", start.AuthorizationReference);
            }
        }

        // §12.2.1.2: an ALLOWED real-time answer makes the session AUTH_REQUEST and carries its authorization_reference.
        RealTimeAnswer? answer = _realTime?.Answer(idTag) is { Info.Allowed: "ALLOWED" } allowed ? allowed : null;
        if (_tokens.FindByUid(idTag) is { } found)
        {
            OcpiToken token = found.Token;
            return answer is not null && answer.PartnerId == found.PartnerId
                ? new SessionOwner(found.PartnerId, token.CountryCode!, token.PartyId!, token.Type ?? "RFID", token.ContractId ?? token.Uid!, "AUTH_REQUEST", answer.Info.AuthorizationReference)
                : new SessionOwner(found.PartnerId, token.CountryCode!, token.PartyId!, token.Type ?? "RFID", token.ContractId ?? token.Uid!, "WHITELIST", null);
        }

        if (answer is { Info.Token: { CountryCode: not null, PartyId: not null } answered })
        {
            return new SessionOwner(answer.PartnerId, answered.CountryCode, answered.PartyId, answered.Type ?? "RFID", answered.ContractId ?? idTag, "AUTH_REQUEST", answer.Info.AuthorizationReference);
        }

        return null;
    }

    /// <summary>The OCPI location, EVSE and connector a charger connector is configured as.</summary>
    public (LocationConfiguration Location, EvseConfiguration Evse)? Place(string chargerId, int connectorId) => _locations.FindByCharger(chargerId, connectorId);

    /// <inheritdoc />
    public CdrRoaming? Resolve(int transactionId, string chargerId, int connectorId, string? idTag)
    {
        CdrToken? token = null;
        string? authMethod = null, reference = null;
        if (Session(transactionId) is { } session)
        {
            token = new CdrToken(session.TokenCountryCode, session.TokenPartyId, session.IdTag, session.TokenType, session.ContractId);
            authMethod = session.AuthMethod;
            reference = session.AuthorizationReference;
        }
        else if (OwnerOf(idTag, chargerId, 0, requireFreshStart: false) is { } owner)
        {
            token = new CdrToken(owner.CountryCode, owner.PartyId, idTag!, owner.Type, owner.ContractId);
            authMethod = owner.AuthMethod;
            reference = owner.AuthorizationReference;
        }

        CdrLocation? location = Place(chargerId, connectorId) is { } place ? ToCdrLocation(place.Location, place.Evse) : null;
        return token is null && location is null ? null : new CdrRoaming(token, authMethod, reference, location);
    }

    /// <summary>CdrLocation (§10.4.5) of a configured EVSE: its first connector is the one a session uses.</summary>
    public static CdrLocation ToCdrLocation(LocationConfiguration location, EvseConfiguration evse)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(evse);
        ConnectorConfiguration connector = evse.Connectors[0];
        return new CdrLocation
        {
            Id = location.Id,
            Name = location.Name,
            Address = location.Address,
            City = location.City,
            PostalCode = location.PostalCode,
            Country = location.Country,
            Coordinates = new EvCloud.Fast.Cdr.Cdrs.GeoLocation(location.Latitude, location.Longitude),
            EvseUid = evse.Uid,
            EvseId = evse.EvseId ?? evse.Uid,
            ConnectorId = connector.Id,
            ConnectorStandard = connector.Standard,
            ConnectorFormat = connector.Format,
            ConnectorPowerType = connector.PowerType,
        };
    }
}
