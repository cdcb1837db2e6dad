namespace EvCloud.Fast.Cdr.Cdrs;

/// <summary>What roaming knows about a session that the CDR must carry (OCPI 2.2.1 mod_cdrs CDR object).</summary>
/// <param name="Token">The eMSP's token: its country_code, party_id, uid, type and contract_id (CdrToken); null keeps the default.</param>
/// <param name="AuthMethod">AUTH_REQUEST, COMMAND or WHITELIST; null keeps WHITELIST.</param>
/// <param name="AuthorizationReference">The reference the eMSP gave in START_SESSION or real-time authorization.</param>
/// <param name="Location">The OCPI location, EVSE and connector ids the eMSP knows the charger by; null keeps the <see cref="CdrOptions"/> location.</param>
public sealed record CdrRoaming(CdrToken? Token, string? AuthMethod, string? AuthorizationReference, CdrLocation? Location);

/// <summary>
/// Seam for the roaming bridge: supplies the token owner and the OCPI location of a session when its CDR is built.
/// Without one (the default) a CDR names our own party as token owner and the <see cref="CdrOptions"/> location,
/// which is right for sessions of our own customers. Called on the pipeline's thread, once per CDR; must not block on I/O.
/// </summary>
public interface ICdrRoamingResolver
{
    /// <summary>Roaming data of the session of <paramref name="transactionId"/>, or null when it is not a roaming session.</summary>
    CdrRoaming? Resolve(int transactionId, string chargerId, int connectorId, string? idTag);
}
