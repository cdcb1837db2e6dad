using FASTER.core;

namespace EvCloud.Fast.Storage.Log;

/// <summary>
/// The event log's device: every call goes to the real device, except that a failed write is reported
/// (<see cref="EventLog"/> then fails the waiters of the commit it belongs to) and issued again, with backoff,
/// until it succeeds. FASTER is told of a write only once it is on disk.
/// </summary>
/// <remarks>
/// <para>Why retry below FASTER rather than let it see the error: FasterLog either stops for good at its first
/// failed write (every later append and commit throws, so a full disk that is freed again would still need a
/// restart), or, with <c>TolerateDeviceFailure</c>, marks the failed range as flushed and goes on, which leaves a
/// hole in the file while the state built from those events lives on in memory. Retrying the same write keeps the
/// log gap-free and in order: once the disk is back, every appended event becomes durable, and commits resume.</para>
/// <para>Writes are not acknowledged meanwhile: their waiters fail (the connections waiting on them are dropped
/// unanswered and their chargers retry later). The page buffers stay valid while a write is retried: FASTER frees a
/// page only after its flush callback. Once <see cref="StopRetrying"/> is called (closing), a failure goes to FASTER
/// as it is, so closing never waits for a dead disk.</para>
/// <para>Pending writes are pooled: a commit issues one or two writes, and the hot path budgets commits too.</para>
/// </remarks>
internal sealed class RetryingLogDevice : IDevice
{
    /// <summary>First retry delay; doubled per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(10);

    /// <summary>At most one attempt per second per write while the disk stays down.</summary>
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(1);

    private readonly IDevice _inner;
    private readonly Action<Exception> _onWriteFailed;
    private readonly DeviceIOCompletionCallback _completed;
    private readonly Stack<PendingWrite> _pool = new();
    private volatile bool _stopRetrying;

    public RetryingLogDevice(IDevice inner, Action<Exception> onWriteFailed)
    {
        _inner = inner;
        _onWriteFailed = onWriteFailed;
        _completed = OnWriteCompleted;
    }

    public uint SectorSize => _inner.SectorSize;

    public string FileName => _inner.FileName;

    public long Capacity => _inner.Capacity;

    public long SegmentSize => _inner.SegmentSize;

    public int StartSegment => _inner.StartSegment;

    public int EndSegment => _inner.EndSegment;

    public int ThrottleLimit
    {
        get => _inner.ThrottleLimit;
        set => _inner.ThrottleLimit = value;
    }

    /// <summary>From now on a failed write is handed to FASTER instead of retried (the log is closing).</summary>
    public void StopRetrying() => _stopRetrying = true;

    public void Initialize(long segmentSize, LightEpoch? epoch = null, bool omitSegmentIdFromFilename = false) =>
        _inner.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);

    public bool TryComplete() => _inner.TryComplete();

    public bool Throttle() => _inner.Throttle();

    public void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context) =>
        Issue(Rent(sourceAddress, segmentId, destinationAddress, numBytesToWrite, callback, context));

    public void WriteAsync(IntPtr alignedSourceAddress, ulong alignedDestinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context) =>
        Issue(Rent(alignedSourceAddress, PendingWrite.DirectAddress, alignedDestinationAddress, numBytesToWrite, callback, context));

    public void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context) =>
        _inner.ReadAsync(segmentId, sourceAddress, destinationAddress, readLength, callback, context);

    public void ReadAsync(ulong alignedSourceAddress, IntPtr alignedDestinationAddress, uint aligned_read_length, DeviceIOCompletionCallback callback, object context) =>
        _inner.ReadAsync(alignedSourceAddress, alignedDestinationAddress, aligned_read_length, callback, context);

    public void TruncateUntilAddressAsync(long toAddress, AsyncCallback callback, IAsyncResult result) =>
        _inner.TruncateUntilAddressAsync(toAddress, callback, result);

    public void TruncateUntilAddress(long toAddress) => _inner.TruncateUntilAddress(toAddress);

    public void TruncateUntilSegmentAsync(int toSegment, AsyncCallback callback, IAsyncResult result) =>
        _inner.TruncateUntilSegmentAsync(toSegment, callback, result);

    public void TruncateUntilSegment(int toSegment) => _inner.TruncateUntilSegment(toSegment);

    public void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) => _inner.RemoveSegmentAsync(segment, callback, result);

    public void RemoveSegment(int segment) => _inner.RemoveSegment(segment);

    public long GetFileSize(int segment) => _inner.GetFileSize(segment);

    public void Reset() => _inner.Reset();

    public void Dispose()
    {
        _stopRetrying = true;
        _inner.Dispose();
    }

    private void Issue(PendingWrite write)
    {
        try
        {
            if (write.SegmentId == PendingWrite.DirectAddress)
            {
                _inner.WriteAsync(write.Source, write.Destination, write.Length, _completed, write);
            }
            else
            {
                _inner.WriteAsync(write.Source, write.SegmentId, write.Destination, write.Length, _completed, write);
            }
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            // Some devices throw instead of completing with an error code (e.g. a segment file that cannot be created).
            Failed(write, uint.MaxValue, error);
        }
    }

    private void OnWriteCompleted(uint errorCode, uint numBytes, object context)
    {
        var write = (PendingWrite)context;
        if (errorCode == 0)
        {
            Complete(write, 0, numBytes);
            return;
        }

        Failed(write, errorCode, new IOException(
            $"Event log write of {write.Length} bytes at offset {write.Destination} (segment {write.SegmentId}) failed with error code {errorCode}."));
    }

    private void Failed(PendingWrite write, uint errorCode, Exception error)
    {
        _onWriteFailed(error);
        if (_stopRetrying)
        {
            Complete(write, errorCode, 0);
            return;
        }

        write.Attempts++;
        var delay = TimeSpan.FromTicks(Math.Min(MaxRetryDelay.Ticks, FirstRetryDelay.Ticks << Math.Min(write.Attempts - 1, 16)));
        _ = RetryAsync(write, errorCode, delay);
    }

    private async Task RetryAsync(PendingWrite write, uint errorCode, TimeSpan delay)
    {
        await Task.Delay(delay).ConfigureAwait(false);
        if (_stopRetrying)
        {
            Complete(write, errorCode, 0);
            return;
        }

        Issue(write);
    }

    private void Complete(PendingWrite write, uint errorCode, uint numBytes)
    {
        var callback = write.Callback!;
        var context = write.Context!;
        write.Clear();
        lock (_pool)
        {
            _pool.Push(write);
        }

        callback(errorCode, numBytes, context);
    }

    private PendingWrite Rent(IntPtr source, int segmentId, ulong destination, uint length, DeviceIOCompletionCallback callback, object context)
    {
        PendingWrite? write;
        lock (_pool)
        {
            _pool.TryPop(out write);
        }

        write ??= new PendingWrite();
        write.Source = source;
        write.SegmentId = segmentId;
        write.Destination = destination;
        write.Length = length;
        write.Callback = callback;
        write.Context = context;
        return write;
    }

    /// <summary>One write FASTER asked for, kept until it is on disk so that it can be issued again.</summary>
    private sealed class PendingWrite
    {
        /// <summary>Segment id of a write made through the direct-addressing overload.</summary>
        public const int DirectAddress = -1;

        public IntPtr Source { get; set; }

        public int SegmentId { get; set; }

        public ulong Destination { get; set; }

        public uint Length { get; set; }

        public DeviceIOCompletionCallback? Callback { get; set; }

        public object? Context { get; set; }

        public int Attempts { get; set; }

        public void Clear()
        {
            Callback = null;
            Context = null;
            Attempts = 0;
        }
    }
}
