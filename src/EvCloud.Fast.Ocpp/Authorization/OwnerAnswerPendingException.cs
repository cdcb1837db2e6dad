namespace EvCloud.Fast.Ocpp.Authorization;

/// <summary>
/// Thrown by <see cref="TokenStore.AwaitOwner"/> while a CALL is handled, before it changed anything: the token's owner
/// decides online and has not answered yet. The dispatcher turns it into a deferred CALL, which the connection's
/// receive loop handles again once <see cref="Until"/> completes.
/// </summary>
internal sealed class OwnerAnswerPendingException : Exception
{
    public OwnerAnswerPendingException(Task until)
        : base("The token's owner has not answered yet.") => Until = until;

    public OwnerAnswerPendingException()
        : this(Task.CompletedTask)
    {
    }

    public OwnerAnswerPendingException(string message)
        : base(message) => Until = Task.CompletedTask;

    public OwnerAnswerPendingException(string message, Exception innerException)
        : base(message, innerException) => Until = Task.CompletedTask;

    /// <summary>Completes (never faulted) when the owner answered or could not be reached in time.</summary>
    public Task Until { get; }
}
