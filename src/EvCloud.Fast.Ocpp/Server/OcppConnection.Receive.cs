using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Text.Json;
using System.Text.Unicode;
using EvCloud.Fast.Ocpp.Rpc;
using EvCloud.Fast.Ocpp.Transport;

namespace EvCloud.Fast.Ocpp.Server;

public sealed partial class OcppConnection
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 32 };

    /// <summary>
    /// The receive loop: read a batch, handle every complete frame in it, wait once for durability of
    /// whatever the batch made money-relevant, then flush every reply of the batch at once.
    /// </summary>
    internal async Task RunAsync()
    {
        Exception? discard = null;
        try
        {
            while (true)
            {
                ReadResult result = await _input.ReadAsync().ConfigureAwait(false);
                ReadOnlySequence<byte> buffer = result.Buffer;
                long durableAddress = 0;
                if (!buffer.IsEmpty)
                {
                    Volatile.Write(ref _lastReceiveTicks, Environment.TickCount64);
                    SequencePosition consumed = ProcessFrames(buffer, ref durableAddress);

                    // A deferred CALL stops the batch: what follows it is unread but examined only up to it, so the
                    // next read returns it at once.
                    _input.AdvanceTo(consumed, _deferred is null ? buffer.End : consumed);
                }
                else
                {
                    _input.AdvanceTo(buffer.Start);
                }

                if (durableAddress > 0)
                {
                    // Durable before acknowledged: the replies of this batch are in the pipe but not flushed.
                    try
                    {
                        await _dispatcher.WaitDurableAsync(this, durableAddress).ConfigureAwait(false);
                    }
                    catch (Exception error)
                    {
                        discard = error;
                        break;
                    }
                }

                DoHousekeeping();
                if (!await FlushOutputAsync().ConfigureAwait(false))
                {
                    break;
                }

                if (_deferred is not null)
                {
                    // Rare (a roaming token's first use): the replies before it are out; now its own.
                    long address = await RunDeferredAsync().ConfigureAwait(false);
                    if (address > 0)
                    {
                        try
                        {
                            await _dispatcher.WaitDurableAsync(this, address).ConfigureAwait(false);
                        }
                        catch (Exception error)
                        {
                            discard = error;
                            break;
                        }
                    }

                    if (!await FlushOutputAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }

                if (result.IsCompleted || (_closeSent && _closeReceived))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or Microsoft.AspNetCore.Connections.ConnectionAbortedException or Microsoft.AspNetCore.Connections.ConnectionResetException)
        {
            // The socket went away; cleanup below.
        }
        catch (Exception ex)
        {
            // A handler failed mid-batch (e.g. the event log refused an append): earlier replies of the batch are in
            // the pipe, and nobody waited for their events.
            discard = ex;
            throw;
        }
        finally
        {
            if (discard is not null)
            {
                DiscardUnflushedOutput(discard);
            }

            ReturnFragment();
            FailCalls(OcppCallStatus.Offline, "The charger disconnected");
            _registry.Unregister(this);
            _dispatcher.OnDisconnected(this, _closeCode);
            await _input.CompleteAsync().ConfigureAwait(false);
            await _output.CompleteAsync(discard).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Why the connection was dropped with replies it had written but not sent (a commit failed), or null. The
    /// connection handler counts and logs it.
    /// </summary>
    internal Exception? DiscardReason { get; private set; }

    /// <summary>
    /// Drops the connection so that what the loop wrote and did not flush never leaves: completing the pipe would
    /// hand those bytes to the socket, and they may acknowledge events that are not durable.
    /// </summary>
    /// <remarks>
    /// NOTE: the socket is shut down (Abort) before the pipe is completed, and the pipe is completed with the error,
    /// whose reader then gets the error instead of the buffered bytes. The charger sees the connection drop without
    /// an answer and sends the CALL again once reconnected (OCPP-J: an unanswered CALL is retried).
    /// </remarks>
    private void DiscardUnflushedOutput(Exception reason)
    {
        EndingBecause(DisconnectReason.StorageFailure);
        DiscardReason = reason;
        _outputPending = false;
        _context.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("Replies discarded: their events are not durable", reason));
    }

    private bool _closeReceived;

    /// <summary>Sends what the loop wrote (replies, pongs, pings, a close) in one flush; false once the peer's side is gone.</summary>
    private async ValueTask<bool> FlushOutputAsync()
    {
        if (!_outputPending)
        {
            return true;
        }

        _outputPending = false;
        FlushResult flush = await _output.FlushAsync().ConfigureAwait(false);
        return !flush.IsCompleted;
    }

    private SequencePosition ProcessFrames(ReadOnlySequence<byte> buffer, ref long durableAddress)
    {
        while (!_closeReceived)
        {
            FrameReadStatus status = WebSocketFrameReader.TryReadHeader(buffer, out WebSocketFrameHeader header, out ushort closeCode);
            if (status == FrameReadStatus.NeedMoreData)
            {
                break;
            }

            if (status == FrameReadStatus.Invalid)
            {
                ProtocolFailure(closeCode, "Invalid frame header"u8);
                return buffer.End;
            }

            if (!header.Masked)
            {
                // §5.1: "a server MUST close the connection upon receiving a frame that is not masked".
                ProtocolFailure(WebSocketCloseCodes.ProtocolError, "Client frames must be masked"u8);
                return buffer.End;
            }

            if (!header.IsControl && header.PayloadLength + _fragmentLength > _options.MaxMessageBytes)
            {
                ProtocolFailure(WebSocketCloseCodes.MessageTooBig, "Message exceeds the maximum size"u8);
                return buffer.End;
            }

            long frameLength = header.HeaderLength + header.PayloadLength;
            if (buffer.Length < frameLength)
            {
                break; // never consume a partial frame
            }

            ReadOnlySequence<byte> payload = buffer.Slice(header.HeaderLength, header.PayloadLength);
            WebSocketFrameReader.Unmask(payload, header.MaskKey);
            buffer = buffer.Slice(frameLength);

            if (_closeSent && header.Opcode != WebSocketOpcode.Close)
            {
                continue; // §7.1.1: after our Close, only the peer's Close matters.
            }

            switch (header.Opcode)
            {
                case WebSocketOpcode.Text:
                    if (_fragment is not null)
                    {
                        // §5.4: a new data frame while a fragmented message is open.
                        ProtocolFailure(WebSocketCloseCodes.ProtocolError, "Expected a continuation frame"u8);
                        return buffer.End;
                    }

                    if (header.Fin)
                    {
                        OnTextMessage(payload, ref durableAddress);
                    }
                    else
                    {
                        _fragment = ArrayPool<byte>.Shared.Rent(Math.Max(4096, (int)payload.Length));
                        AppendFragment(payload);
                    }

                    break;
                case WebSocketOpcode.Continuation:
                    if (_fragment is null)
                    {
                        ProtocolFailure(WebSocketCloseCodes.ProtocolError, "Continuation without a message"u8);
                        return buffer.End;
                    }

                    AppendFragment(payload);
                    if (header.Fin)
                    {
                        OnTextMessage(new ReadOnlySequence<byte>(_fragment, 0, _fragmentLength), ref durableAddress);
                        ReturnFragment();
                    }

                    break;
                case WebSocketOpcode.Binary:
                    ProtocolFailure(WebSocketCloseCodes.UnsupportedData, "OCPP-J uses text frames only"u8);
                    return buffer.End;
                case WebSocketOpcode.Ping:
                    WritePong(payload);
                    break;
                case WebSocketOpcode.Pong:
                    break;
                case WebSocketOpcode.Close:
                    OnClose(payload);
                    return buffer.End;
            }

            if (_deferred is not null)
            {
                return buffer.Start; // the rest waits for the deferred CALL's answer
            }
        }

        return buffer.Start;
    }

    private void WritePong(in ReadOnlySequence<byte> pingPayload)
    {
        Span<byte> pong = stackalloc byte[125];
        pingPayload.CopyTo(pong);
        WriteFrame(WebSocketOpcode.Pong, pong[..(int)pingPayload.Length]);
    }

    private void AppendFragment(in ReadOnlySequence<byte> payload)
    {
        int needed = _fragmentLength + (int)payload.Length;
        if (needed > _fragment!.Length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(Math.Max(needed, _fragment.Length * 2), Math.Max(needed, _options.MaxMessageBytes)));
            _fragment.AsSpan(0, _fragmentLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_fragment);
            _fragment = larger;
        }

        payload.CopyTo(_fragment.AsSpan(_fragmentLength));
        _fragmentLength = needed;
    }

    // RFC 6455 §5.5.1: Close payload = 2-byte status code (optional) + UTF-8 reason.
    private void OnClose(in ReadOnlySequence<byte> payload)
    {
        _closeReceived = true;
        EndingBecause(DisconnectReason.PeerClosed);
        if (_closeSent)
        {
            return;
        }

        ushort code = WebSocketCloseCodes.NormalClosure;
        if (payload.Length >= 2)
        {
            Span<byte> bytes = stackalloc byte[125];
            payload.CopyTo(bytes);
            ushort received = BinaryPrimitives.ReadUInt16BigEndian(bytes);
            PeerCloseCode = received;
            if (!WebSocketCloseCodes.IsValidOnWire(received))
            {
                code = WebSocketCloseCodes.ProtocolError;
            }
            else if (!Utf8.IsValid(bytes[2..(int)payload.Length]))
            {
                code = WebSocketCloseCodes.InvalidPayloadData;
            }
            else
            {
                code = received;
            }
        }

        SendClose(code, default);
    }

    private void ProtocolFailure(ushort code, ReadOnlySpan<byte> reason)
    {
        EndingBecause(DisconnectReason.ProtocolError);
        ReturnFragment();
        SendClose(code, reason);
        _closeReceived = true; // stop reading: the stream can no longer be framed
    }

    private void OnTextMessage(in ReadOnlySequence<byte> message, ref long durableAddress)
    {
        // §8.1: text frames carry UTF-8; invalid data fails the connection with 1007.
        if (!IsValidUtf8(message))
        {
            ProtocolFailure(WebSocketCloseCodes.InvalidPayloadData, "Text frame is not valid UTF-8"u8);
            return;
        }

        RpcScratch scratch = RpcScratch.Current;
        var reader = new Utf8JsonReader(message, ReaderOptions);
        OcppMessageWriter writer = OcppMessageWriter.Rent();
        ReadOnlySpan<byte> messageId = "-1"u8;
        try
        {
            OcppFrameError error = OcppJFrameReader.TryReadHeader(ref reader, scratch.MessageId, scratch.Action, scratch.Description, out OcppFrameHeader header, out ReadOnlySpan<byte> description);
            if (!header.MessageId.IsEmpty)
            {
                messageId = header.MessageId;
            }

            if (error == OcppFrameError.None && header.Type is OcppMessageType.CallResultError or OcppMessageType.Send && Version != OcppVersion.Ocpp21)
            {
                error = OcppFrameError.UnknownMessageType; // CALLRESULTERROR (5) and SEND (6) exist from 2.1 on
                header = new OcppFrameHeader(OcppMessageType.Unknown, header.MessageId, header.Action);
            }

            if (error != OcppFrameError.None)
            {
                OnFrameError(error, header, messageId, writer);
                return;
            }

            switch (header.Type)
            {
                case OcppMessageType.Call:
                case OcppMessageType.Send:
                    long address = _dispatcher.OnCall(this, header, ref reader, message, writer);
                    if (_deferred is { Message: null })
                    {
                        KeepDeferred(message); // answered later; nothing was written
                        break;
                    }

                    if (header.Type == OcppMessageType.Call)
                    {
                        writer.CopyFramedTo(_output);
                        _outputPending = true;
                    }

                    if (address > durableAddress)
                    {
                        durableAddress = address;
                    }

                    break;
                case OcppMessageType.CallResult:
                    OnCallResult(header.MessageId, ref reader, message);
                    break;
                case OcppMessageType.CallError:
                    OnCallError(header.MessageId, header.Action, description);
                    break;
                case OcppMessageType.CallResultError:
                    // 2.1: the charger could not use one of our CALLRESULTs. Nothing to answer; it is logged by the dispatcher's metrics.
                    break;
            }
        }
        catch (JsonException ex)
        {
            writer.WriteCallError(messageId, Version == OcppVersion.Ocpp16 ? OcppErrorCode.FormatViolation : OcppErrorCode.RpcFrameworkError, Version, "Not valid JSON: " + ex.Message);
            writer.CopyFramedTo(_output);
            _outputPending = true;
        }
    }

    private void OnFrameError(OcppFrameError error, in OcppFrameHeader header, ReadOnlySpan<byte> messageId, OcppMessageWriter writer)
    {
        if (header.Type is OcppMessageType.CallResult or OcppMessageType.CallError or OcppMessageType.CallResultError or OcppMessageType.Send)
        {
            if (header.Type == OcppMessageType.CallResult && Volatile.Read(ref _outstanding) is { } call && header.MessageId.SequenceEqual(call.MessageIdUtf8))
            {
                CompleteOutstanding(new OcppCallResult(OcppCallStatus.InvalidResponse, ErrorCode: "FormatViolation", ErrorDescription: "CALLRESULT without an object payload"));
            }

            return; // never answer an answer (OCPP-J: CALLRESULT/CALLERROR are not confirmed)
        }

        (OcppErrorCode code, string description) = error switch
        {
            OcppFrameError.UnknownMessageType => (OcppErrorCode.MessageTypeNotSupported, "Unknown MessageTypeNumber"),
            OcppFrameError.BadMessageId => (Version == OcppVersion.Ocpp16 ? OcppErrorCode.FormatViolation : OcppErrorCode.RpcFrameworkError, "MessageId missing, not a string or longer than 64 bytes"),
            OcppFrameError.BadAction => (OcppErrorCode.FormatViolation, "Action missing or not a string"),
            OcppFrameError.BadPayload => (OcppErrorCode.FormatViolation, "Payload missing or not a JSON object"),
            _ => (Version == OcppVersion.Ocpp16 ? OcppErrorCode.FormatViolation : OcppErrorCode.RpcFrameworkError, "Not an OCPP-J RPC frame (expected a JSON array)"),
        };
        writer.WriteCallError(messageId, code, Version, description);
        writer.CopyFramedTo(_output);
        _outputPending = true;
    }

    private static bool IsValidUtf8(in ReadOnlySequence<byte> message)
    {
        if (message.IsSingleSegment)
        {
            return Utf8.IsValid(message.FirstSpan);
        }

        // Multi-segment: a code point may straddle segments, so validate a contiguous copy (rare path:
        // messages larger than one pipe segment, 4 KB).
        byte[] copy = ArrayPool<byte>.Shared.Rent((int)message.Length);
        try
        {
            message.CopyTo(copy);
            return Utf8.IsValid(copy.AsSpan(0, (int)message.Length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }
}
