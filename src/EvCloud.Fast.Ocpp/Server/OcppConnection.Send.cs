using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Server;

public sealed partial class OcppConnection
{
    /// <summary>
    /// Sends a CALL to the charger and completes with its answer. Calls are sent one at a time in the order
    /// they were made; the payload is validated against the charger's version's schema before it is queued.
    /// </summary>
    public Task<OcppCallResult> CallAsync(string action, byte[] payloadJson)
    {
        if (!_dispatcher.ValidateRequest(this, action, payloadJson, out OcppErrorCode code, out string? error))
        {
            return Task.FromResult(new OcppCallResult(OcppCallStatus.Rejected, ErrorCode: code.ToString(), ErrorDescription: error));
        }

        ConcurrentQueue<PendingCall> queue = LazyInitializer.EnsureInitialized(ref _callQueue);
        if (queue.Count >= _options.MaxQueuedCalls)
        {
            return Task.FromResult(new OcppCallResult(OcppCallStatus.Rejected, ErrorCode: "QueueFull", ErrorDescription: "Too many calls queued for this charger"));
        }

        string messageId = Interlocked.Increment(ref _nextCallId).ToString(CultureInfo.InvariantCulture) + "-" + Epoch.ToString(CultureInfo.InvariantCulture);
        var call = new PendingCall(messageId, action, payloadJson);
        queue.Enqueue(call);
        Wake(WakeCall);
        return call.Completion.Task;
    }

    /// <summary>Work other threads asked for: eviction, pings, call timeouts and the next queued CALL.</summary>
    private void DoHousekeeping()
    {
        int flags = Interlocked.Exchange(ref _wakeFlags, 0);
        if ((flags & WakeEvict) != 0)
        {
            SendClose(WebSocketCloseCodes.GoingAway, "Replaced by a newer connection"u8);
        }

        if ((flags & WakeShutdown) != 0)
        {
            SendClose(WebSocketCloseCodes.GoingAway, "Server shutting down"u8);
        }

        if ((flags & WakeRelinquish) != 0)
        {
            SendClose(WebSocketCloseCodes.GoingAway, "Connected to another gateway"u8);
        }

        if ((flags & WakePing) != 0 && !_closeSent)
        {
            WriteFrame(WebSocketOpcode.Ping, default);
        }

        PendingCall? outstanding = _outstanding;
        if (outstanding is not null && Environment.TickCount64 > outstanding.DeadlineTicks)
        {
            CompleteOutstanding(new OcppCallResult(OcppCallStatus.Timeout, ErrorDescription: "No answer within " + _options.CallTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s"));
        }

        if (_closeSent)
        {
            FailCalls(OcppCallStatus.Offline, "The connection is closing");
            return;
        }

        if (_outstanding is null && _callQueue is { } queue && queue.TryDequeue(out PendingCall? next))
        {
            OcppMessageWriter writer = OcppMessageWriter.Rent();
            writer.WriteCall(next.MessageIdUtf8, next.Action, next.PayloadJson);
            writer.CopyFramedTo(_output);
            _outputPending = true;
            next.DeadlineTicks = Environment.TickCount64 + (long)_options.CallTimeout.TotalMilliseconds;
            Volatile.Write(ref _outstanding, next);
        }
    }

    private void OnCallResult(scoped ReadOnlySpan<byte> messageId, ref Utf8JsonReader reader, in ReadOnlySequence<byte> message)
    {
        PendingCall? call = _outstanding;
        if (call is null || !messageId.SequenceEqual(call.MessageIdUtf8))
        {
            return; // late answer to a timed-out call, or an unknown id: nothing waits for it
        }

        long start = reader.TokenStartIndex;
        Utf8JsonReader validating = reader;
        bool valid = _dispatcher.ValidateResponse(this, call.Action, ref validating, out string? error);
        reader.Skip();
        byte[] payload = message.Slice(start, reader.BytesConsumed - start).ToArray();
        if (!valid && Version == OcppVersion.Ocpp21)
        {
            // 2.1 Part 4: a CALLRESULT that cannot be used is answered with CALLRESULTERROR.
            OcppMessageWriter writer = OcppMessageWriter.Rent();
            writer.WriteCallResultError(messageId, OcppErrorCode.FormatViolation, error);
            writer.CopyFramedTo(_output);
            _outputPending = true;
        }

        CompleteOutstanding(valid
            ? new OcppCallResult(OcppCallStatus.Completed, payload)
            : new OcppCallResult(OcppCallStatus.InvalidResponse, payload, "FormatViolation", error));
    }

    private void OnCallError(ReadOnlySpan<byte> messageId, ReadOnlySpan<byte> errorCode, ReadOnlySpan<byte> description)
    {
        PendingCall? call = _outstanding;
        if (call is null || !messageId.SequenceEqual(call.MessageIdUtf8))
        {
            return;
        }

        CompleteOutstanding(new OcppCallResult(OcppCallStatus.CallError, null, Encoding.UTF8.GetString(errorCode), Encoding.UTF8.GetString(description)));
    }

    private void CompleteOutstanding(OcppCallResult result)
    {
        PendingCall? call = Interlocked.Exchange(ref _outstanding, null);
        call?.Completion.TrySetResult(result);
        if (_callQueue is { IsEmpty: false })
        {
            Interlocked.Or(ref _wakeFlags, WakeCall);
            _input.CancelPendingRead();
        }
    }

    private void FailCalls(OcppCallStatus status, string reason)
    {
        Interlocked.Exchange(ref _outstanding, null)?.Completion.TrySetResult(new OcppCallResult(status, ErrorDescription: reason));
        if (_callQueue is { } queue)
        {
            while (queue.TryDequeue(out PendingCall? call))
            {
                call.Completion.TrySetResult(new OcppCallResult(status, ErrorDescription: reason));
            }
        }
    }
}
