namespace EvCloud.Fast.Ocpp;

/// <summary>The OCPP-J protocol versions the gateway speaks, as negotiated by <c>Sec-WebSocket-Protocol</c>.</summary>
public enum OcppVersion : byte
{
    /// <summary>No protocol negotiated.</summary>
    None = 0,

    /// <summary>OCPP 1.6J (<c>ocpp1.6</c>), with the 1.6 security extension.</summary>
    Ocpp16 = 16,

    /// <summary>OCPP 2.0.1 (<c>ocpp2.0.1</c>).</summary>
    Ocpp201 = 201,

    /// <summary>OCPP 2.1 (<c>ocpp2.1</c>).</summary>
    Ocpp21 = 210,
}
