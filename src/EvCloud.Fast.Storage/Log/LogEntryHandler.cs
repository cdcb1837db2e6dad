namespace EvCloud.Fast.Storage.Log;

/// <summary>Receives one log entry during replay; the span is valid only during the call.</summary>
internal delegate void LogEntryHandler(ReadOnlySpan<byte> entry, long address);
