using System.Text;
using EvCloud.Fast.Ocpp.Rpc;

namespace EvCloud.Fast.Ocpp.Server;

/// <summary>A server-initiated CALL, queued or outstanding on one connection.</summary>
internal sealed class PendingCall
{
    public PendingCall(string messageId, string action, byte[] payloadJson)
    {
        MessageId = messageId;
        MessageIdUtf8 = Encoding.UTF8.GetBytes(messageId);
        Action = action;
        PayloadJson = payloadJson;
    }

    public string MessageId { get; }

    public byte[] MessageIdUtf8 { get; }

    public string Action { get; }

    public byte[] PayloadJson { get; }

    /// <summary>Environment.TickCount64 after which the call times out; set when it is sent.</summary>
    public long DeadlineTicks { get; set; }

    public TaskCompletionSource<OcppCallResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
