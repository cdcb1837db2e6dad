using BenchmarkDotNet.Attributes;
using EvCloud.Fast.Benchmarks.Embedded;

namespace EvCloud.Fast.Benchmarks;

/// <summary>
/// The parse half of the receive loop over real charger frames: RFC 6455 header and unmasking, UTF-8 check,
/// OCPP-J envelope, action lookup and schema validation. Each operation first copies the masked frame back
/// into its segments (unmasking works in place), as a new receive would.
/// </summary>
[MemoryDiagnoser]
public class FrameParsingBenchmarks
{
    private readonly FrameParsingPath _path = new();
    private SegmentedFrame _single = null!;
    private SegmentedFrame _twoSegments = null!;
    private SegmentedFrame _smallSegments = null!;

    [ParamsAllValues]
    public HotMessage Message { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ClientFrame frame = Ocpp16Samples.Frame(Message);
        _single = new SegmentedFrame(frame);
        _twoSegments = new SegmentedFrame(frame, (frame.Bytes.Length + 1) / 2);
        _smallSegments = new SegmentedFrame(frame, 32);
        foreach (SegmentedFrame f in new[] { _single, _twoSegments, _smallSegments })
        {
            if (!_path.TryParseCall(f.Refill()))
            {
                throw new InvalidOperationException(f + " does not parse as a valid CALL");
            }
        }
    }

    /// <summary>Only the WebSocket layer: header and unmasking.</summary>
    [Benchmark(Baseline = true)]
    public long WebSocketOnly() => FrameParsingPath.ReadWebSocketFrame(_single.Refill());

    /// <summary>The whole path over one segment: the usual case, a message inside one pipe segment.</summary>
    [Benchmark]
    public bool OneSegment() => _path.TryParseCall(_single.Refill());

    /// <summary>The message straddles two segments (a pipe segment boundary).</summary>
    [Benchmark]
    public bool TwoSegments() => _path.TryParseCall(_twoSegments.Refill());

    /// <summary>32-byte segments: tokens split everywhere; the worst case for the readers.</summary>
    [Benchmark]
    public bool Segments32Bytes() => _path.TryParseCall(_smallSegments.Refill());
}
