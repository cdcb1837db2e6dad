using EvCloud.Fast.Api.Contracts;
using EvCloud.Fast.Ocpp.Authorization;
using EvCloud.Fast.Ocpp.Handlers;
using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Api.Endpoints;

/// <summary>Maps stored state to the API's views (names instead of the one-byte codes of the state records).</summary>
internal static class Views
{
    public static string Protocol(byte protocol) => protocol switch
    {
        16 => "ocpp1.6",
        201 => "ocpp2.0.1",
        210 => "ocpp2.1",
        _ => "unknown",
    };

    public static string Registration(byte status) => ((RegistrationStatus)status).ToString();

    public static DateTimeOffset? Time(long unixMs) => unixMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(unixMs) : null;

    public static decimal Wh(long milliWh) => milliWh / 1000m;

    public static ConnectorView Connector(ConnectorSnapshot c) => new(
        c.ConnectorId,
        ((ConnectorStatus)c.Status).ToString(),
        ((ChargePointErrorCode)c.ErrorCode).ToString(),
        c.Info,
        c.VendorId,
        c.VendorErrorCode,
        Time(c.StatusTimestampMs),
        c.OpenTransactionId > 0 ? c.OpenTransactionId : null,
        c.LastMeterMs > 0 || c.LastEnergyMilliWh > 0 ? Wh(c.LastEnergyMilliWh) : null,
        Time(c.LastMeterMs));

    public static ChargerSummary Summary(ChargerSnapshot c) => new(
        c.ChargerId,
        Protocol(c.Protocol),
        c.Online,
        Registration(c.RegistrationStatus),
        Time(c.LastSeenMs),
        c.Identity.Vendor,
        c.Identity.Model,
        c.Identity.FirmwareVersion,
        [.. c.Connectors.Select(Connector)],
        c.OpenTransactions.Count);

    public static BootInfo Boot(ChargerSnapshot c) => new(Time(c.LastBootMs), c.BootCount, c.HeartbeatIntervalSeconds, c.Identity);

    public static TransactionView Transaction(TransactionSnapshot t)
    {
        long last = Math.Max(t.LastEnergyMilliWh, t.MeterStartMilliWh);
        long lastAt = t.Status == TransactionStatus.Ended ? t.StopMs : t.LastMeterMs;
        return new TransactionView(
            t.TransactionId,
            t.ChargerId,
            t.ConnectorId,
            t.Status.ToString(),
            t.IdTag,
            t.ExternalId,
            DateTimeOffset.FromUnixTimeMilliseconds(t.StartMs),
            t.Status == TransactionStatus.Ended ? Time(t.StopMs) : null,
            t.StopReason,
            t.ReservationId > 0 ? t.ReservationId : null,
            new MeterView(Wh(t.MeterStartMilliWh), Wh(last), Time(lastAt), Wh(t.EnergyMilliWh),
                t.Status == TransactionStatus.Ended ? Wh(t.MeterStopMilliWh) : null));
    }

    public static TokenView Token(TokenRecord t, int openTransactions) => new(
        t.IdTag, t.Status.ToString(), t.ExpiryDate, t.ParentIdTag, t.AllowConcurrentTransactions, t.Source.ToString(), t.LastUpdated, openTransactions);
}
