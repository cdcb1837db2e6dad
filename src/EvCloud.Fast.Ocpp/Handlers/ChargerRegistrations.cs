using System.Collections.Concurrent;
using EvCloud.Fast.Storage;
using MessagePack;

namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>What an operator decided about a charge point id, whatever the boot policy.</summary>
public enum RegistrationDecision : byte
{
    /// <summary>No decision: the boot policy applies (configured <see cref="ChargerOptions.Known"/> ids count as Allowed).</summary>
    None = 0,

    /// <summary>Accepted at its next BootNotification, also under KnownOnly and PendingUnknown.</summary>
    Allowed = 1,

    /// <summary>Rejected at every BootNotification, also under AutoAccept (a stolen or decommissioned unit).</summary>
    Blocked = 2,
}

/// <summary>An operator's registration of a charge point id.</summary>
[MessagePackObject]
public sealed class ChargerRegistration
{
    [Key(0)]
    public string ChargePointId { get; set; } = "";

    [Key(1)]
    public RegistrationDecision Decision { get; set; }

    /// <summary>Free text for the operator (site, owner, ticket).</summary>
    [Key(2)]
    public string? Note { get; set; }

    [Key(3)]
    public long UpdatedUnixMs { get; set; }
}

/// <summary>
/// Operator registrations of charge point ids, kept in the <c>charger-registrations</c> document collection so
/// they survive restarts. BootNotification asks <see cref="Decide"/>: an explicit decision wins over the
/// boot policy.
/// </summary>
public sealed class ChargerRegistrations
{
    /// <summary>Document collection of registrations.</summary>
    public const string Collection = "charger-registrations";

    private readonly ConcurrentDictionary<string, ChargerRegistration> _registrations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _configured;
    private readonly ChargerOptions _options;
    private readonly StorageEngine _storage;

    /// <summary>Loads the registrations written so far.</summary>
    public ChargerRegistrations(ChargerOptions options, StorageEngine storage)
    {
        _options = options;
        _storage = storage;
        _configured = new HashSet<string>(options.Known, StringComparer.Ordinal);
        foreach ((string id, byte[] value) in storage.Documents.List(Collection))
        {
            _registrations[id] = MessagePackSerializer.Deserialize<ChargerRegistration>(value);
        }
    }

    /// <summary>The boot policy in force.</summary>
    public BootPolicy Policy => _options.BootPolicy;

    /// <summary>The operator's registration of this id, if any.</summary>
    public ChargerRegistration? Get(string chargePointId) =>
        _registrations.TryGetValue(chargePointId, out ChargerRegistration? registration) ? registration : null;

    /// <summary>Whether the id is listed in configuration (<c>Ocpp:Chargers:Known</c>).</summary>
    public bool IsConfigured(string chargePointId) => _configured.Contains(chargePointId);

    /// <summary>Every registration, ordered by id.</summary>
    public IReadOnlyList<ChargerRegistration> All =>
        [.. _registrations.Values.OrderBy(r => r.ChargePointId, StringComparer.Ordinal)];

    /// <summary>Writes a registration durably, then applies it to the next BootNotification.</summary>
    public async ValueTask SaveAsync(ChargerRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.UpdatedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await _storage.PutDocumentAsync(Collection, registration.ChargePointId, MessagePackSerializer.Serialize(registration), cancellationToken).ConfigureAwait(false);
        _registrations[registration.ChargePointId] = registration;
    }

    /// <summary>Removes a registration durably: the boot policy applies again.</summary>
    public async ValueTask<bool> DeleteAsync(string chargePointId, CancellationToken cancellationToken = default)
    {
        if (!_registrations.ContainsKey(chargePointId))
        {
            return false;
        }

        await _storage.DeleteDocumentAsync(Collection, chargePointId, cancellationToken).ConfigureAwait(false);
        return _registrations.TryRemove(chargePointId, out _);
    }

    /// <summary>The registration status a BootNotification from <paramref name="chargePointId"/> gets.</summary>
    public RegistrationStatus Decide(string chargePointId)
    {
        RegistrationDecision decision = Get(chargePointId)?.Decision ?? RegistrationDecision.None;
        if (decision == RegistrationDecision.Blocked)
        {
            return RegistrationStatus.Rejected;
        }

        if (decision == RegistrationDecision.Allowed || _options.BootPolicy == BootPolicy.AutoAccept || _configured.Contains(chargePointId))
        {
            return RegistrationStatus.Accepted;
        }

        return _options.BootPolicy == BootPolicy.PendingUnknown ? RegistrationStatus.Pending : RegistrationStatus.Rejected;
    }
}
