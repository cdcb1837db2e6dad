namespace EvCloud.Fast.Fuzz;

/// <summary>
/// One fuzz target: runs one input through a parser or the message path and returns normally for every outcome
/// the server handles (a rejection, a CALLERROR, a close code). Anything else escapes as an exception, which AFL++
/// records as a crash: an unexpected exception type, or a <see cref="FuzzInvariantException"/> for a wrong answer.
/// </summary>
public interface IFuzzTarget
{
    /// <summary>The name given on the command line and the corpus folder's name.</summary>
    string Name { get; }

    /// <summary>Runs one input. Must not keep <paramref name="input"/>.</summary>
    void Run(ReadOnlySpan<byte> input);
}

/// <summary>A target's answer broke a rule it promises (not an exception the code under test threw).</summary>
public sealed class FuzzInvariantException : Exception
{
    public FuzzInvariantException(string message)
        : base(message)
    {
    }

    public FuzzInvariantException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public FuzzInvariantException()
    {
    }
}
