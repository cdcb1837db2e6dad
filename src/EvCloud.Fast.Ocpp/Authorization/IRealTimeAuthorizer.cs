namespace EvCloud.Fast.Ocpp.Authorization;

/// <summary>
/// Asks a token's owner (an eMSP, through the OCPI bridge) whether it may charge, for tokens the local store does not
/// decide alone (<see cref="TokenRecord.AskOwner"/>, and unknown tokens when <see cref="AsksForUnknownTokens"/>).
/// </summary>
/// <remarks>
/// The answer is written back into the <see cref="TokenStore"/> (as a roaming token with
/// <see cref="TokenRecord.AskOwner"/>), where Authorize and transaction starts read it. Called from the OCPP receive
/// loop: <see cref="Ask"/> only starts the request and returns. An Authorize or a transaction start that has to wait
/// for the owner is answered by the receive loop once the returned task completes (see
/// <see cref="TokenStore.AwaitOwner"/>); other uses (the idTagInfo of a stop) read what the store holds.
/// </remarks>
public interface IRealTimeAuthorizer
{
    /// <summary>Whether unknown tokens are asked about too (a new string per unknown id tag; off by default).</summary>
    bool AsksForUnknownTokens { get; }

    /// <summary>
    /// Asks the owner of <paramref name="idTag"/>, used at <paramref name="chargerId"/> (null when not known), unless
    /// it was asked a moment ago or a request for it is running. Returns null when the store already holds the current
    /// answer; otherwise a task that completes, never faulted, once the owner's answer is in the store or the owner
    /// could not be reached, at the latest after the authorizer's wait limit (the request may go on and serve the
    /// next use).
    /// </summary>
    Task? Ask(string idTag, string? chargerId);
}
