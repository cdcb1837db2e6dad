using System.Collections.Concurrent;
using EvCloud.Fast.Ocpi.Protocol;
using EvCloud.Fast.Storage;
using MessagePack;

namespace EvCloud.Fast.Ocpi.Partners;

/// <summary>What a credentials token in a request identified.</summary>
/// <param name="Partner">The partner.</param>
/// <param name="IsTokenA">
/// True when the token is the partner's pending CREDENTIALS_TOKEN_A, which only the credentials and versions modules
/// accept (OCPI 2.2.1 §4.1.3: any other module answers 401).
/// </param>
/// <param name="Encoding">How the partner wrote it (Base64 or plain), a hint for our own requests to it.</param>
public readonly record struct PartnerIdentity(OcpiPartner Partner, bool IsTokenA, TokenEncoding Encoding);

/// <summary>A save refused because a claimed party is held by another partner (each party belongs to one partner).</summary>
public sealed class PartyConflictException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public PartyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PartyConflictException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public PartyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// The partners, durable in the <c>ocpi-partners</c> collection and held in memory with an index from token hash to
/// partner, so authenticating a request is one SHA-256 and one dictionary lookup.
/// </summary>
/// <remarks>
/// Push outbox seam: a per-partner durable outbox belongs next to this registry, keyed by <see cref="OcpiPartner.Id"/>
/// (collection <c>ocpi-outbox-{partnerId}</c>); <see cref="Removed"/> tells it when to drop a partner's queue.
/// </remarks>
public sealed class PartnerRegistry
{
    /// <summary>Document collection of partners.</summary>
    public const string Collection = "ocpi-partners";

    private readonly ConcurrentDictionary<string, OcpiPartner> _partners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string PartnerId, bool IsTokenA)> _byTokenHash = new(StringComparer.Ordinal);
    private readonly StorageEngine _storage;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    /// <summary>Loads the stored partners, then seeds configured ones that are not stored yet.</summary>
    public PartnerRegistry(StorageEngine storage, OcpiOptions options)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(options);
        _storage = storage;
        foreach ((string _, byte[] value) in storage.Documents.List(Collection))
        {
            Index(MessagePackSerializer.Deserialize<OcpiPartner>(value));
        }

        foreach (ConfiguredPartner configured in options.Partners)
        {
            if (string.IsNullOrEmpty(configured.Id) || !CredentialsTokenHeader.IsValidToken(configured.TokenA))
            {
                throw new InvalidOperationException($"Ocpi:Partners needs an Id and a TokenA of 1-64 printable ASCII characters (partner '{configured.Id}').");
            }

            if (configured.Parties.Exists(p => !Credentials.CredentialsValidation.IsParty(p.CountryCode, p.PartyId)
                || (!string.IsNullOrEmpty(p.Role) && !Credentials.CredentialsValidation.IsRole(p.Role))))
            {
                throw new InvalidOperationException($"Ocpi:Partners:Parties needs a CountryCode of 2 letters, a PartyId of 3 letters or digits and an optional Role (partner '{configured.Id}').");
            }

            if (!_partners.ContainsKey(configured.Id))
            {
                // Configuration seeds memory only: once the partner registers, the stored record takes over and the
                // configured token A is spent (§7.1.1 "CREDENTIALS_TOKEN_A … MAY no longer be used").
                long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                Index(new OcpiPartner
                {
                    Id = configured.Id,
                    AllowedParties = [.. configured.Parties.Select(p => new PartnerRole
                    {
                        Role = string.IsNullOrEmpty(p.Role) ? null : p.Role.ToUpperInvariant(),
                        CountryCode = p.CountryCode.ToUpperInvariant(),
                        PartyId = p.PartyId.ToUpperInvariant(),
                    })],
                    TokenAHash = CredentialsTokenHeader.Hash(configured.TokenA),
                    TokenEncoding = configured.TokenEncoding ?? TokenEncoding.Base64,
                    TokenEncodingFixed = configured.TokenEncoding is not null,
                    CreatedMs = now,
                    UpdatedMs = now,
                });
            }
        }
    }

    /// <summary>Raised after a partner is deleted (the outbox seam drops its queue here).</summary>
    public event Action<string>? Removed;

    /// <summary>
    /// Raised after a save that registered a partner, or moved a registered one to another version (a credentials
    /// handshake or update, §7.2.2/§7.2.3): the Locations push sends the initial sync here.
    /// </summary>
    public event Action<OcpiPartner>? PartnerRegistered;

    /// <summary>Every partner, by id.</summary>
    public IReadOnlyList<OcpiPartner> All => [.. _partners.Values.OrderBy(p => p.Id, StringComparer.Ordinal)];

    /// <summary>Registered partners.</summary>
    public IEnumerable<OcpiPartner> Registered => _partners.Values.Where(p => p.Registered);

    /// <summary>The partner with this id.</summary>
    public OcpiPartner? Get(string id) => _partners.TryGetValue(id, out OcpiPartner? partner) ? partner : null;

    /// <summary>
    /// Identifies the sender of a request from its Authorization header (OCPI 2.2.1 §4.1.3): the literal token first,
    /// then its Base64 decoding, so both 2.2.1 and 2.1.1-style partners are recognised.
    /// </summary>
    public PartnerIdentity? Authenticate(string? authorizationHeader)
    {
        (string? literal, string? decoded) = CredentialsTokenHeader.Candidates(authorizationHeader);
        if (literal is not null && Find(literal, TokenEncoding.Plain) is { } plain)
        {
            return plain;
        }

        return decoded is not null ? Find(decoded, TokenEncoding.Base64) : null;
    }

    /// <summary>The registered partner that owns party <paramref name="countryCode"/>/<paramref name="partyId"/> in <paramref name="role"/>.</summary>
    public OcpiPartner? FindByParty(string countryCode, string partyId, string? role) =>
        _partners.Values.FirstOrDefault(p => p.Registered && p.HasParty(countryCode, partyId, role));

    /// <summary>
    /// The first of <paramref name="claimed"/> that another partner than <paramref name="partnerId"/> holds (its
    /// registered roles or its token-A binding), with that partner; null when all are free.
    /// </summary>
    public (PartnerRole Claimed, OcpiPartner Holder)? HeldByOther(string partnerId, IEnumerable<PartnerRole> claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        foreach (PartnerRole role in claimed)
        {
            foreach (OcpiPartner other in _partners.Values)
            {
                if (!string.Equals(other.Id, partnerId, StringComparison.Ordinal) && other.HeldParties.Any(held => held.Covers(role)))
                {
                    return (role, other);
                }
            }
        }

        return null;
    }

    /// <summary>Whether another partner already uses this token (issued tokens must identify one party, §4.1.3).</summary>
    public bool IsTokenInUse(string token) => _byTokenHash.ContainsKey(CredentialsTokenHeader.Hash(token));

    /// <summary>
    /// Saves a partner durably, then serves it (replacing the previous record and its token index entries). Throws
    /// <see cref="PartyConflictException"/> when the partner would hold a party another partner holds.
    /// </summary>
    public async ValueTask SaveAsync(OcpiPartner partner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(partner);
        bool registered;
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // NOTE: checked under the write lock, so two handshakes racing for one party cannot both win; the callers
            // check earlier too, to refuse before calling the partner back.
            if (HeldByOther(partner.Id, partner.HeldParties) is { } conflict)
            {
                throw new PartyConflictException($"Party {conflict.Claimed} belongs to another partner.");
            }

            partner.UpdatedMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await _storage.PutDocumentAsync(Collection, partner.Id, MessagePackSerializer.Serialize(partner), cancellationToken).ConfigureAwait(false);
            _partners.TryGetValue(partner.Id, out OcpiPartner? previous);
            registered = partner.Registered && (previous is not { Registered: true } || previous.Version != partner.Version);
            if (previous is not null)
            {
                Unindex(previous);
            }

            Index(partner);
        }
        finally
        {
            _writeLock.Release();
        }

        if (registered)
        {
            PartnerRegistered?.Invoke(partner);
        }
    }

    /// <summary>Deletes a partner durably.</summary>
    public async ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_partners.TryGetValue(id, out OcpiPartner? previous))
            {
                return false;
            }

            await _storage.DeleteDocumentAsync(Collection, id, cancellationToken).ConfigureAwait(false);
            Unindex(previous);
            _partners.TryRemove(id, out _);
        }
        finally
        {
            _writeLock.Release();
        }

        Removed?.Invoke(id);
        return true;
    }

    private PartnerIdentity? Find(string token, TokenEncoding encoding)
    {
        if (_byTokenHash.TryGetValue(CredentialsTokenHeader.Hash(token), out var entry) && _partners.TryGetValue(entry.PartnerId, out OcpiPartner? partner))
        {
            return new PartnerIdentity(partner, entry.IsTokenA, encoding);
        }

        return null;
    }

    private void Index(OcpiPartner partner)
    {
        _partners[partner.Id] = partner;
        if (partner.TokenAHash is not null)
        {
            _byTokenHash[partner.TokenAHash] = (partner.Id, true);
        }

        if (partner.TokenHash is not null)
        {
            _byTokenHash[partner.TokenHash] = (partner.Id, false);
        }
    }

    private void Unindex(OcpiPartner partner)
    {
        if (partner.TokenAHash is not null)
        {
            _byTokenHash.TryRemove(partner.TokenAHash, out _);
        }

        if (partner.TokenHash is not null)
        {
            _byTokenHash.TryRemove(partner.TokenHash, out _);
        }
    }
}
