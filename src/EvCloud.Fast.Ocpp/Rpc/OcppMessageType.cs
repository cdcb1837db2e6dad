namespace EvCloud.Fast.Ocpp.Rpc;

/// <summary>OCPP-J MessageTypeNumber (OCPP-J 1.6 §4.1.3; OCPP 2.0.1 Part 4 §4.1.3; OCPP 2.1 Part 4 adds 5 and 6).</summary>
public enum OcppMessageType : byte
{
    /// <summary>Not a known message type.</summary>
    Unknown = 0,
    /// <summary>CALL: <c>[2,"id","Action",{payload}]</c>.</summary>
    Call = 2,
    /// <summary>CALLRESULT: <c>[3,"id",{payload}]</c>.</summary>
    CallResult = 3,
    /// <summary>CALLERROR: <c>[4,"id","code","description",{details}]</c>.</summary>
    CallError = 4,
    /// <summary>2.1 CALLRESULTERROR: <c>[5,"id","code","description",{details}]</c>, an error about a received CALLRESULT.</summary>
    CallResultError = 5,
    /// <summary>2.1 SEND: <c>[6,"id","Action",{payload}]</c>, unconfirmed, never answered.</summary>
    Send = 6,
}
