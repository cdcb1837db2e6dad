namespace EvCloud.Fast.Ocpp.Authorization;

/// <summary>
/// Asks a token's owner (an eMSP, through the OCPI bridge) whether it may charge, for tokens the local store does not
/// decide alone (<see cref="TokenRecord.AskOwner"/>, and unknown tokens when <see cref="AsksForUnknownTokens"/>).
/// </summary>
/// <remarks>
/// Called from the OCPP receive loop, which answers synchronously: implementations must only start the request and
/// return. The answer is written back into the <see cref="TokenStore"/> (as a roaming token with
/// <see cref="TokenRecord.AskOwner"/>), where the next Authorize or transaction start of that token finds it.
/// </remarks>
public interface IRealTimeAuthorizer
{
    /// <summary>Whether unknown tokens are asked about too (a new string per unknown id tag; off by default).</summary>
    bool AsksForUnknownTokens { get; }

    /// <summary>A token with <see cref="TokenRecord.AskOwner"/> was used at <paramref name="chargerId"/> (null when not known).</summary>
    void Requested(TokenRecord token, string? chargerId);

    /// <summary>A token the store does not know was used at <paramref name="chargerId"/>.</summary>
    void RequestedUnknown(string idTag, string? chargerId);
}
