namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>DataTransfer.conf status (1.6 DataTransferStatus, 2.x DataTransferStatusEnumType).</summary>
public enum DataTransferStatus
{
    /// <summary>Accepted.</summary>
    Accepted,
    /// <summary>Rejected.</summary>
    Rejected,
    /// <summary>The vendor is known but the message id is not.</summary>
    UnknownMessageId,
    /// <summary>No handler for the vendor.</summary>
    UnknownVendorId,
}

/// <summary>
/// A vendor-specific DataTransfer handler, registered in DI. A charger's DataTransfer for a vendor id with no
/// handler is answered <see cref="DataTransferStatus.UnknownVendorId"/>.
/// </summary>
public interface IDataTransferHandler
{
    /// <summary>The vendor id this handler serves (compared ordinally, as the spec requires an exact match).</summary>
    string VendorId { get; }

    /// <summary>Handles one DataTransfer. <paramref name="data"/> is the raw <c>data</c> field, if any.</summary>
    (DataTransferStatus Status, string? Data) Handle(string chargePointId, string? messageId, string? data);
}
