using System.Diagnostics.CodeAnalysis;

namespace EvCloud.Fast.Storage.State;

/// <summary>A copy of a connector's live state; span accessors do not allocate.</summary>
public readonly struct ConnectorState
{
    private readonly ConnectorRecord _record;

    internal ConnectorState(int connectorId, in ConnectorRecord record)
    {
        ConnectorId = connectorId;
        _record = record;
    }

    public int ConnectorId { get; }

    /// <summary>The gateway's status enum byte from the last StatusNotification.</summary>
    public byte Status => _record.Status;

    public byte ErrorCode => _record.ErrorCode;

    public long StatusTimestampMs => _record.StatusTimestampMs;

    /// <summary>Transaction running on this connector, or -1.</summary>
    public int OpenTransactionId => _record.OpenTransactionId;

    /// <summary>Last energy register sampled outside a transaction, mWh, or -1.</summary>
    public long LastEnergyMilliWh => _record.LastEnergyMilliWh;

    public long LastMeterMs => _record.LastMeterMs;

    /// <summary>Log address of the last event applied to this connector (its status, a reading or a transaction).</summary>
    public long LastEventAddress => _record.LastEventAddress;

    [UnscopedRef]
    public ReadOnlySpan<byte> InfoUtf8 => ((ReadOnlySpan<byte>)_record.Info)[.._record.InfoLength];

    /// <summary>First 64 bytes of the vendorId (CiString255 in OCPP 1.6).</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> VendorIdUtf8 => ((ReadOnlySpan<byte>)_record.VendorId)[.._record.VendorIdLength];

    [UnscopedRef]
    public ReadOnlySpan<byte> VendorErrorCodeUtf8 => ((ReadOnlySpan<byte>)_record.VendorErrorCode)[.._record.VendorErrorCodeLength];

    public string? Info => Utf8Field.ToStringOrNull(InfoUtf8);

    public string? VendorId => Utf8Field.ToStringOrNull(VendorIdUtf8);

    public string? VendorErrorCode => Utf8Field.ToStringOrNull(VendorErrorCodeUtf8);
}
