using EvCloud.Fast.Storage.State;

namespace EvCloud.Fast.Cdr.Sessions;

// OCPI and storage field records: each type is documented with its specification reference; the members carry the spec's own names.
#pragma warning disable CS1591

/// <summary>A register reading of a transaction: when, and the cumulative energy in mWh.</summary>
public readonly record struct EnergyReading(long TimeMs, long EnergyMilliWh);

/// <summary>A change of charging state reported by the connector: charging or not (idle / parking).</summary>
public readonly record struct ChargingStateChange(long TimeMs, bool Charging);

/// <summary>
/// One charging session as the session tracker knows it, built only from domain events: identity, token, the
/// register readings and the connector's charging-state changes. Times are Unix ms as the charger reported them.
/// </summary>
public sealed class TrackedSession
{
    private readonly List<EnergyReading> _readings = [];
    private readonly List<ChargingStateChange> _states = [];

    /// <summary>Creates a session from its TransactionStarted event.</summary>
    public TrackedSession(int transactionId, string chargerId, int connectorId, string? externalId, string? idTag, byte authStatus, long startMs, long meterStartMilliWh, long startAddress)
    {
        TransactionId = transactionId;
        ChargerId = chargerId;
        ConnectorId = connectorId;
        ExternalId = externalId;
        IdTag = idTag;
        AuthStatus = authStatus;
        StartMs = startMs;
        MeterStartMilliWh = meterStartMilliWh;
        StartAddress = startAddress;
        HighestEnergyMilliWh = meterStartMilliWh;
        _readings.Add(new EnergyReading(startMs, meterStartMilliWh));
    }

    /// <summary>A copy with its own readings and states, for readers outside the pipeline's lock (the live session views).</summary>
    public TrackedSession Snapshot()
    {
        var copy = new TrackedSession(TransactionId, ChargerId, ConnectorId, ExternalId, IdTag, AuthStatus, StartMs, MeterStartMilliWh, StartAddress);
        copy._readings.Clear();
        copy._readings.AddRange(_readings);
        copy._states.AddRange(_states);
        copy.MeterStartMilliWh = MeterStartMilliWh;
        copy.HighestEnergyMilliWh = HighestEnergyMilliWh;
        copy.EndMs = EndMs;
        copy.MeterStopMilliWh = MeterStopMilliWh;
        copy.StopReason = StopReason;
        return copy;
    }

    public int TransactionId { get; }

    public string ChargerId { get; }

    /// <summary>1.6 connectorId / 2.x evseId.</summary>
    public int ConnectorId { get; }

    /// <summary>2.x: the station's transactionId.</summary>
    public string? ExternalId { get; }

    public string? IdTag { get; }

    /// <summary>How the token was authorized at start (AuthorizationStatus byte).</summary>
    public byte AuthStatus { get; }

    public long StartMs { get; }

    /// <summary>The register at the start; for a 2.x transaction started without a reading, the first reading (-1 until then).</summary>
    public long MeterStartMilliWh { get; private set; }

    /// <summary>The highest register reported for the transaction while open, whether or not it became a reading (see <see cref="TransactionEnergy"/>).</summary>
    public long HighestEnergyMilliWh { get; private set; }

    /// <summary>Log address of the TransactionStarted event: replaying from here rebuilds this session.</summary>
    public long StartAddress { get; }

    /// <summary>When it ended (0 while open).</summary>
    public long EndMs { get; private set; }

    public long MeterStopMilliWh { get; private set; }

    public string? StopReason { get; private set; }

    public bool Ended => EndMs != 0;

    /// <summary>Readings in time order, energy never decreasing.</summary>
    public IReadOnlyList<EnergyReading> Readings => _readings;

    /// <summary>Charging-state changes in time order.</summary>
    public IReadOnlyList<ChargingStateChange> States => _states;

    /// <summary>The latest register reading.</summary>
    public long LastEnergyMilliWh => _readings[^1].EnergyMilliWh;

    /// <summary>Adds a reading; out-of-order readings are placed by time, and a reading that would make the energy go backwards is ignored.</summary>
    public void AddReading(long timeMs, long energyMilliWh)
    {
        if (Ended || energyMilliWh < 0)
        {
            return;
        }

        // The same rule as the state store (TransactionEnergy): the first reading of a transaction started without one
        // is its start, and every reading, in any order, can raise the register the session ends at.
        if (MeterStartMilliWh < 0)
        {
            MeterStartMilliWh = energyMilliWh;
            _readings[0] = new EnergyReading(StartMs, energyMilliWh);
        }

        HighestEnergyMilliWh = TransactionEnergy.Highest(HighestEnergyMilliWh, energyMilliWh);
        if (timeMs < StartMs)
        {
            return;
        }

        int index = _readings.Count;
        while (index > 0 && _readings[index - 1].TimeMs > timeMs)
        {
            index--;
        }

        long before = index > 0 ? _readings[index - 1].EnergyMilliWh : long.MinValue;
        long after = index < _readings.Count ? _readings[index].EnergyMilliWh : long.MaxValue;
        if (energyMilliWh < before || energyMilliWh > after)
        {
            return;
        }

        // NOTE: the first reading is the start and stays; the energy is always counted from it.
        if (index > 1 && _readings[index - 1].TimeMs == timeMs)
        {
            _readings[index - 1] = new EnergyReading(timeMs, Math.Max(before, energyMilliWh));
            return;
        }

        _readings.Insert(index, new EnergyReading(timeMs, energyMilliWh));
    }

    /// <summary>Records a charging-state change reported by the connector.</summary>
    public void AddState(long timeMs, bool charging)
    {
        if (Ended || timeMs < StartMs)
        {
            return;
        }

        if (_states.Count > 0 && _states[^1].TimeMs > timeMs)
        {
            return; // an older status arriving late says nothing about now
        }

        if (_states.Count == 0 || _states[^1].Charging != charging)
        {
            _states.Add(new ChargingStateChange(timeMs, charging));
        }
    }

    /// <summary>Closes the session with its final register reading.</summary>
    public void End(long endMs, long meterStopMilliWh, string? reason)
    {
        if (Ended)
        {
            return;
        }

        endMs = Math.Max(endMs, StartMs);
        if (MeterStartMilliWh < 0 && meterStopMilliWh >= 0)
        {
            AddReading(endMs, meterStopMilliWh); // a 2.x transaction with no reading before its end: the stop is also its start
        }

        long stop = TransactionEnergy.EndRegister(HighestEnergyMilliWh, meterStopMilliWh);
        AddReading(endMs, stop);
        EndMs = endMs;
        MeterStopMilliWh = stop;
        StopReason = reason;
    }
}
