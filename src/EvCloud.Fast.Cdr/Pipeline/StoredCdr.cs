using MessagePack;

namespace EvCloud.Fast.Cdr.Pipeline;

// OCPI and storage field records: each type is documented with its specification reference; the members carry the spec's own names.
#pragma warning disable CS1591

/// <summary>A meter point of the usage a CDR was priced from (kept so a CDR can be explained and re-priced).</summary>
[MessagePackObject]
public sealed record StoredPoint([property: Key(0)] long TimeMs, [property: Key(1)] long EnergyMilliWh, [property: Key(2)] bool Charging);

/// <summary>
/// The searchable fields of a CDR store entry (keys 0–14): what the index needs, read at start-up without the CDR's
/// JSON, breakdown and usage (the MessagePack reader skips the keys it does not map).
/// </summary>
[MessagePackObject]
public class StoredCdrHeader
{
    [Key(0)]
    public string Id { get; set; } = "";

    [Key(1)]
    public int TransactionId { get; set; }

    [Key(2)]
    public string ChargerId { get; set; } = "";

    [Key(3)]
    public int ConnectorId { get; set; }

    [Key(4)]
    public string? IdTag { get; set; }

    [Key(5)]
    public long StartMs { get; set; }

    [Key(6)]
    public long EndMs { get; set; }

    [Key(7)]
    public long CreatedMs { get; set; }

    [Key(8)]
    public string Currency { get; set; } = "";

    /// <summary>Invariant decimal string.</summary>
    [Key(9)]
    public string TotalExclVat { get; set; } = "0";

    [Key(10)]
    public string? TotalInclVat { get; set; }

    [Key(11)]
    public string TotalEnergyKwh { get; set; } = "0";

    [Key(12)]
    public bool Credit { get; set; }

    [Key(13)]
    public string? CreditReferenceId { get; set; }

    [Key(14)]
    public string? TariffId { get; set; }

    /// <summary>The summary kept in memory for queries.</summary>
    public CdrSummary Summary(long address) => new(
        Id, address, TransactionId, ChargerId, ConnectorId, IdTag, StartMs, EndMs, CreatedMs, Currency,
        decimal.Parse(TotalExclVat, System.Globalization.CultureInfo.InvariantCulture),
        TotalInclVat is null ? null : decimal.Parse(TotalInclVat, System.Globalization.CultureInfo.InvariantCulture),
        decimal.Parse(TotalEnergyKwh, System.Globalization.CultureInfo.InvariantCulture),
        Credit, CreditReferenceId, TariffId);
}

/// <summary>
/// One entry of the CDR store (MessagePack; keys never renumbered): the searchable fields, the OCPI CDR JSON, the
/// price breakdown and the usage it was priced from.
/// </summary>
[MessagePackObject]
public sealed class StoredCdr : StoredCdrHeader
{
    /// <summary>The OCPI 2.2.1 CDR, UTF-8 JSON.</summary>
    [Key(15)]
    public byte[] CdrJson { get; set; } = [];

    /// <summary>The breakdown lines, UTF-8 JSON (absent when no tariff applied).</summary>
    [Key(16)]
    public byte[]? BreakdownJson { get; set; }

    /// <summary>Unused: the text is rendered from <see cref="BreakdownJson"/> when asked.</summary>
    [Key(17)]
    public string? BreakdownText { get; set; }

    [Key(18)]
    public StoredPoint[] Points { get; set; } = [];

    [Key(19)]
    public string TimeZone { get; set; } = "UTC";

    [Key(20)]
    public bool MinPriceApplied { get; set; }

    [Key(21)]
    public bool MaxPriceApplied { get; set; }
}

/// <summary>What the in-memory index holds per CDR (~200 bytes): enough to filter and page without reading the store.</summary>
public sealed record CdrSummary(
    string Id,
    long Address,
    int TransactionId,
    string ChargerId,
    int ConnectorId,
    string? IdTag,
    long StartMs,
    long EndMs,
    long CreatedMs,
    string Currency,
    decimal TotalExclVat,
    decimal? TotalInclVat,
    decimal TotalEnergyKwh,
    bool Credit,
    string? CreditReferenceId,
    string? TariffId);
