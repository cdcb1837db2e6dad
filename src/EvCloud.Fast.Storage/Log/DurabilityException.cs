namespace EvCloud.Fast.Storage.Log;

/// <summary>
/// An appended event could not be made durable: the event log's commit (or the device write under it) failed.
/// Whatever waited for it must not be acknowledged; the event may still reach the disk once writes succeed again.
/// </summary>
public sealed class DurabilityException : Exception
{
    public DurabilityException()
        : base("The event log could not make the event durable.")
    {
    }

    public DurabilityException(string message)
        : base(message)
    {
    }

    public DurabilityException(Exception innerException)
        : base("The event log could not make the event durable: " + innerException?.Message, innerException)
    {
    }

    public DurabilityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
