namespace EvCloud.Fast.Ocpp.Handlers;

/// <summary>
/// Connector status, version-neutral, as stored in state and events (one byte). 1.6 ChargePointStatus
/// values keep their names; 2.x ConnectorStatusEnumType adds <see cref="Occupied"/>.
/// </summary>
public enum ConnectorStatus : byte
{
    /// <summary>Never reported.</summary>
    Unknown = 0,
    /// <summary>Available.</summary>
    Available = 1,
    /// <summary>1.6: a user presented a token, plugged in, or similar; no transaction yet.</summary>
    Preparing = 2,
    /// <summary>1.6: energy is being transferred.</summary>
    Charging = 3,
    /// <summary>1.6: the EVSE does not offer energy.</summary>
    SuspendedEVSE = 4,
    /// <summary>1.6: the EV does not take energy.</summary>
    SuspendedEV = 5,
    /// <summary>1.6: the transaction stopped, the connector is not yet available.</summary>
    Finishing = 6,
    /// <summary>Reserved.</summary>
    Reserved = 7,
    /// <summary>Unavailable.</summary>
    Unavailable = 8,
    /// <summary>Faulted.</summary>
    Faulted = 9,
    /// <summary>2.x: a cable is connected or a transaction is ongoing.</summary>
    Occupied = 10,
}

/// <summary>1.6 ChargePointErrorCode, as one byte (0 = NoError).</summary>
public enum ChargePointErrorCode : byte
{
    /// <summary>No error.</summary>
    NoError = 0,
    /// <summary>ConnectorLockFailure.</summary>
    ConnectorLockFailure,
    /// <summary>EVCommunicationError.</summary>
    EVCommunicationError,
    /// <summary>GroundFailure.</summary>
    GroundFailure,
    /// <summary>HighTemperature.</summary>
    HighTemperature,
    /// <summary>InternalError.</summary>
    InternalError,
    /// <summary>LocalListConflict.</summary>
    LocalListConflict,
    /// <summary>OtherError.</summary>
    OtherError,
    /// <summary>OverCurrentFailure.</summary>
    OverCurrentFailure,
    /// <summary>PowerMeterFailure.</summary>
    PowerMeterFailure,
    /// <summary>PowerSwitchFailure.</summary>
    PowerSwitchFailure,
    /// <summary>ReaderFailure.</summary>
    ReaderFailure,
    /// <summary>ResetFailure.</summary>
    ResetFailure,
    /// <summary>UnderVoltage.</summary>
    UnderVoltage,
    /// <summary>OverVoltage.</summary>
    OverVoltage,
    /// <summary>WeakSignal.</summary>
    WeakSignal,
}

/// <summary>Byte-level mapping of the enums above, for the zero-allocation readers.</summary>
public static class OcppEnumBytes
{
    /// <summary>Parses a ChargePointStatus / ConnectorStatusEnumType value.</summary>
    public static ConnectorStatus ParseStatus(ReadOnlySpan<byte> value) => value.Length switch
    {
        7 when value.SequenceEqual("Faulted"u8) => ConnectorStatus.Faulted,
        8 when value.SequenceEqual("Charging"u8) => ConnectorStatus.Charging,
        8 when value.SequenceEqual("Reserved"u8) => ConnectorStatus.Reserved,
        8 when value.SequenceEqual("Occupied"u8) => ConnectorStatus.Occupied,
        9 when value.SequenceEqual("Available"u8) => ConnectorStatus.Available,
        9 when value.SequenceEqual("Preparing"u8) => ConnectorStatus.Preparing,
        9 when value.SequenceEqual("Finishing"u8) => ConnectorStatus.Finishing,
        11 when value.SequenceEqual("SuspendedEV"u8) => ConnectorStatus.SuspendedEV,
        11 when value.SequenceEqual("Unavailable"u8) => ConnectorStatus.Unavailable,
        13 when value.SequenceEqual("SuspendedEVSE"u8) => ConnectorStatus.SuspendedEVSE,
        _ => ConnectorStatus.Unknown,
    };

    private static readonly byte[][] ErrorCodeNames = Enum.GetNames<ChargePointErrorCode>().Select(System.Text.Encoding.ASCII.GetBytes).ToArray();

    /// <summary>Parses a 1.6 ChargePointErrorCode (the schema has already restricted it to the enum).</summary>
    public static ChargePointErrorCode ParseErrorCode(ReadOnlySpan<byte> value)
    {
        for (int i = 0; i < ErrorCodeNames.Length; i++)
        {
            if (value.SequenceEqual(ErrorCodeNames[i]))
            {
                return (ChargePointErrorCode)i;
            }
        }

        return ChargePointErrorCode.OtherError;
    }
}
