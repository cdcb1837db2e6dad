namespace EvCloud.Fast.Load.Profiles;

/// <summary>The CALLs a simulated charger sends; latencies are kept per action.</summary>
internal enum ChargerAction : byte
{
    BootNotification,
    StatusNotification,
    Heartbeat,
    Authorize,
    StartTransaction,
    MeterValues,
    StopTransaction,
    TransactionEvent,
}

/// <summary>The OCPP version a simulated charger speaks.</summary>
internal enum ChargerVersion : byte
{
    Ocpp16,
    Ocpp201,
    Ocpp21,
}

internal static class ChargerActions
{
    public static readonly string[] Names = Enum.GetNames<ChargerAction>();

    public static readonly int Count = Names.Length;

    /// <summary>The subprotocol a charger of <paramref name="version"/> asks for.</summary>
    public static string Subprotocol(ChargerVersion version) => version switch
    {
        ChargerVersion.Ocpp16 => "ocpp1.6",
        ChargerVersion.Ocpp201 => "ocpp2.0.1",
        _ => "ocpp2.1",
    };

    /// <summary>
    /// The fleet's version mix, by charger number: half 1.6 (most of the installed base), a quarter each 2.0.1
    /// and 2.1.
    /// </summary>
    public static ChargerVersion VersionOf(int number) => (number & 3) switch
    {
        0 or 1 => ChargerVersion.Ocpp16,
        2 => ChargerVersion.Ocpp201,
        _ => ChargerVersion.Ocpp21,
    };

    /// <summary>A number in [0, 1) fixed per charger and independent of the version mix (Fibonacci hashing).</summary>
    public static double Spread(int number) => (uint)(number * 2654435761u) / 4294967296.0;
}
