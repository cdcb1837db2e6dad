using FASTER.core;

namespace EvCloud.Fast.Tests.Shared;

/// <summary>
/// The event log's disk, under the test's control: writes pass, wait at the gate until it opens, or fail with
/// ENOSPC. Give <see cref="Create"/> to <c>EventLogOptions.CreateDevice</c>; every device it creates obeys the gate.
/// </summary>
public sealed class LogDeviceGate
{
    /// <summary>errno ENOSPC: what a full disk reports.</summary>
    public const uint NoSpaceErrorCode = 28;

    private readonly Lock _lock = new();
    private readonly List<Action> _held = [];
    private Mode _mode;
    private TaskCompletionSource _writeHeld = NewSignal();
    private TaskCompletionSource _writeFailed = NewSignal();
    private int _failedWrites;

    private enum Mode
    {
        Pass,
        Hold,
        Fail,
    }

    /// <summary>Completes when a write arrives at the gate after <see cref="Hold"/>: a commit is waiting for the disk.</summary>
    public Task WriteHeld => _writeHeld.Task;

    /// <summary>Completes when a write fails after <see cref="Fail"/>.</summary>
    public Task WriteFailed => _writeFailed.Task;

    /// <summary>Writes failed so far.</summary>
    public int FailedWrites => Volatile.Read(ref _failedWrites);

    /// <summary>A device over a local file at <paramref name="path"/>, whose writes obey this gate.</summary>
    public IDevice Create(string path) => new GatedDevice(Devices.CreateLogDevice(path, recoverDevice: true), this);

    /// <summary>From now on writes wait at the gate (none is lost: <see cref="Open"/> issues them in order).</summary>
    public void Hold()
    {
        lock (_lock)
        {
            _mode = Mode.Hold;
            _writeHeld = NewSignal();
        }
    }

    /// <summary>From now on writes fail as on a full disk.</summary>
    public void Fail()
    {
        lock (_lock)
        {
            _mode = Mode.Fail;
            _writeFailed = NewSignal();
        }
    }

    /// <summary>Writes pass again; the held ones are issued now.</summary>
    public void Open()
    {
        Action[] held;
        lock (_lock)
        {
            _mode = Mode.Pass;
            held = [.. _held];
            _held.Clear();
        }

        foreach (Action write in held)
        {
            write();
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>True when the write may go to the disk now; otherwise the gate took care of it.</summary>
    private bool Admit(Action write, DeviceIOCompletionCallback callback, object context)
    {
        lock (_lock)
        {
            switch (_mode)
            {
                case Mode.Hold:
                    _held.Add(write);
                    _writeHeld.TrySetResult();
                    return false;
                case Mode.Fail:
                    Interlocked.Increment(ref _failedWrites);
                    _writeFailed.TrySetResult();
                    ThreadPool.QueueUserWorkItem(_ => callback(NoSpaceErrorCode, 0, context));
                    return false;
                default:
                    return true;
            }
        }
    }

    private sealed class GatedDevice(IDevice inner, LogDeviceGate gate) : IDevice
    {
        public uint SectorSize => inner.SectorSize;

        public string FileName => inner.FileName;

        public long Capacity => inner.Capacity;

        public long SegmentSize => inner.SegmentSize;

        public int StartSegment => inner.StartSegment;

        public int EndSegment => inner.EndSegment;

        public int ThrottleLimit
        {
            get => inner.ThrottleLimit;
            set => inner.ThrottleLimit = value;
        }

        public void Initialize(long segmentSize, LightEpoch? epoch = null, bool omitSegmentIdFromFilename = false) =>
            inner.Initialize(segmentSize, epoch, omitSegmentIdFromFilename);

        public bool TryComplete() => inner.TryComplete();

        public bool Throttle() => inner.Throttle();

        public void WriteAsync(IntPtr sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
        {
            void Write() => inner.WriteAsync(sourceAddress, segmentId, destinationAddress, numBytesToWrite, callback, context);
            if (gate.Admit(Write, callback, context))
            {
                Write();
            }
        }

        public void WriteAsync(IntPtr alignedSourceAddress, ulong alignedDestinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
        {
            void Write() => inner.WriteAsync(alignedSourceAddress, alignedDestinationAddress, numBytesToWrite, callback, context);
            if (gate.Admit(Write, callback, context))
            {
                Write();
            }
        }

        public void ReadAsync(int segmentId, ulong sourceAddress, IntPtr destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context) =>
            inner.ReadAsync(segmentId, sourceAddress, destinationAddress, readLength, callback, context);

        public void ReadAsync(ulong alignedSourceAddress, IntPtr alignedDestinationAddress, uint aligned_read_length, DeviceIOCompletionCallback callback, object context) =>
            inner.ReadAsync(alignedSourceAddress, alignedDestinationAddress, aligned_read_length, callback, context);

        public void TruncateUntilAddressAsync(long toAddress, AsyncCallback callback, IAsyncResult result) => inner.TruncateUntilAddressAsync(toAddress, callback, result);

        public void TruncateUntilAddress(long toAddress) => inner.TruncateUntilAddress(toAddress);

        public void TruncateUntilSegmentAsync(int toSegment, AsyncCallback callback, IAsyncResult result) => inner.TruncateUntilSegmentAsync(toSegment, callback, result);

        public void TruncateUntilSegment(int toSegment) => inner.TruncateUntilSegment(toSegment);

        public void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result) => inner.RemoveSegmentAsync(segment, callback, result);

        public void RemoveSegment(int segment) => inner.RemoveSegment(segment);

        public long GetFileSize(int segment) => inner.GetFileSize(segment);

        public void Reset() => inner.Reset();

        public void Dispose() => inner.Dispose();
    }
}
