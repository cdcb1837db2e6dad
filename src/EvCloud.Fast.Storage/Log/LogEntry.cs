namespace EvCloud.Fast.Storage.Log;

/// <summary>
/// One entry read by <see cref="EventLog.ReadAsync"/>: where it is, where the scan goes next, and its bytes, which
/// are the reader's buffer and valid only until the reader moves on.
/// </summary>
/// <param name="Address">The entry's address (resume a scan here and skip this entry).</param>
/// <param name="NextAddress">FASTER's predicted next address (may point at a commit record; not for resuming).</param>
/// <param name="Payload">The entry, valid until the enumerator's next MoveNextAsync.</param>
public readonly record struct LogEntry(long Address, long NextAddress, ReadOnlyMemory<byte> Payload);
