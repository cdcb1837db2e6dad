using EvCloud.Fast.Cdr.Sessions;
using MessagePack;

namespace EvCloud.Fast.Cdr.Pipeline;

/// <summary>
/// An ended session the pipeline could not price (document collection <c>cdr-held</c>, key: the CDR id it will get):
/// everything needed to price it again, and why it failed. MessagePack; keys are never renumbered.
/// </summary>
[MessagePackObject]
public sealed class HeldSession
{
    /// <summary>Document collection of held sessions.</summary>
    public const string Collection = "cdr-held";

    /// <summary>The id its CDR gets once priced (<see cref="CdrOptions.CdrIdOf"/>).</summary>
    [Key(0)]
    public string CdrId { get; set; } = "";

    /// <summary>Our transaction id.</summary>
    [Key(1)]
    public int TransactionId { get; set; }

    /// <summary>The charger.</summary>
    [Key(2)]
    public string ChargerId { get; set; } = "";

    /// <summary>1.6 connectorId / 2.x evseId.</summary>
    [Key(3)]
    public int ConnectorId { get; set; }

    /// <summary>2.x: the station's transactionId.</summary>
    [Key(4)]
    public string? ExternalId { get; set; }

    /// <summary>The token.</summary>
    [Key(5)]
    public string? IdTag { get; set; }

    /// <summary>AuthorizationStatus at start.</summary>
    [Key(6)]
    public byte AuthStatus { get; set; }

    /// <summary>Start (Unix ms).</summary>
    [Key(7)]
    public long StartMs { get; set; }

    /// <summary>Register at start (mWh).</summary>
    [Key(8)]
    public long MeterStartMilliWh { get; set; }

    /// <summary>End (Unix ms).</summary>
    [Key(9)]
    public long EndMs { get; set; }

    /// <summary>Register at stop (mWh).</summary>
    [Key(10)]
    public long MeterStopMilliWh { get; set; }

    /// <summary>The charger's stop reason.</summary>
    [Key(11)]
    public string? StopReason { get; set; }

    /// <summary>Register readings: time (Unix ms) and energy (mWh), alternating.</summary>
    [Key(12)]
    public long[] Readings { get; set; } = [];

    /// <summary>Charging-state changes: time (Unix ms), alternating with 1 (charging) or 0 (idle).</summary>
    [Key(13)]
    public long[] States { get; set; } = [];

    /// <summary>Why it could not be priced (the last attempt's error).</summary>
    [Key(14)]
    public string Reason { get; set; } = "";

    /// <summary>The tariff that failed, when one was resolved.</summary>
    [Key(15)]
    public string? TariffId { get; set; }

    /// <summary>When it was first held (Unix ms).</summary>
    [Key(16)]
    public long HeldMs { get; set; }

    /// <summary>Pricing attempts so far.</summary>
    [Key(17)]
    public int Attempts { get; set; }

    /// <summary>When it was last tried (Unix ms).</summary>
    [Key(18)]
    public long LastAttemptMs { get; set; }

    /// <summary>Captures an ended session.</summary>
    public static HeldSession Of(TrackedSession session, string cdrId)
    {
        ArgumentNullException.ThrowIfNull(session);
        var readings = new long[session.Readings.Count * 2];
        for (int i = 0; i < session.Readings.Count; i++)
        {
            readings[2 * i] = session.Readings[i].TimeMs;
            readings[(2 * i) + 1] = session.Readings[i].EnergyMilliWh;
        }

        var states = new long[session.States.Count * 2];
        for (int i = 0; i < session.States.Count; i++)
        {
            states[2 * i] = session.States[i].TimeMs;
            states[(2 * i) + 1] = session.States[i].Charging ? 1 : 0;
        }

        return new HeldSession
        {
            CdrId = cdrId,
            TransactionId = session.TransactionId,
            ChargerId = session.ChargerId,
            ConnectorId = session.ConnectorId,
            ExternalId = session.ExternalId,
            IdTag = session.IdTag,
            AuthStatus = session.AuthStatus,
            StartMs = session.StartMs,
            MeterStartMilliWh = session.MeterStartMilliWh,
            EndMs = session.EndMs,
            MeterStopMilliWh = session.MeterStopMilliWh,
            StopReason = session.StopReason,
            Readings = readings,
            States = states,
        };
    }

    /// <summary>The ended session again, as the tracker had it.</summary>
    public TrackedSession ToSession()
    {
        var session = new TrackedSession(TransactionId, ChargerId, ConnectorId, ExternalId, IdTag, AuthStatus, StartMs, MeterStartMilliWh, -1);
        for (int i = 0; i + 1 < Readings.Length; i += 2)
        {
            session.AddReading(Readings[i], Readings[i + 1]);
        }

        for (int i = 0; i + 1 < States.Length; i += 2)
        {
            session.AddState(States[i], States[i + 1] != 0);
        }

        session.End(EndMs, MeterStopMilliWh, StopReason);
        return session;
    }
}

/// <summary>The outcome of pricing one held session again.</summary>
/// <param name="CdrId">The CDR id.</param>
/// <param name="TransactionId">The transaction.</param>
/// <param name="Priced">True when its CDR is now written (the session is no longer held).</param>
/// <param name="Reason">Why it is still held.</param>
public sealed record HeldRetryResult(string CdrId, int TransactionId, bool Priced, string? Reason);
