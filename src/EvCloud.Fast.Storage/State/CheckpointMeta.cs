using System.Text.Json;

namespace EvCloud.Fast.Storage.State;

/// <summary>
/// The commit point of a state checkpoint: the FASTER checkpoint token of each store, the log
/// address below which every event is in them, and the transaction id counter. Written to a temp
/// file, flushed to disk and renamed over <c>state/checkpoint.json</c>, so a crash mid-checkpoint
/// leaves the previous commit point (and its checkpoints, which are purged only afterwards) intact.
/// <c>AllOffline</c> marks the final checkpoint of a clean shutdown, taken after every charger was marked offline.
/// </summary>
internal sealed record CheckpointMeta(long LogAddress, int LastTransactionId, Guid Chargers, Guid Connectors, Guid Transactions, Guid Aliases, long TakenAtMs, Guid? Documents, bool AllOffline = false)
{
    private const int FormatVersion = 3;

    public static CheckpointMeta? TryRead(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        // NOTE: version 2 had no document snapshot; its documents are rebuilt from the log replay alone.
        var version = root.GetProperty("version").GetInt32();
        if (version is not (2 or FormatVersion))
        {
            throw new InvalidDataException($"{path} has an unknown format version.");
        }

        return new CheckpointMeta(
            root.GetProperty("logAddress").GetInt64(),
            root.GetProperty("lastTransactionId").GetInt32(),
            root.GetProperty("chargers").GetGuid(),
            root.GetProperty("connectors").GetGuid(),
            root.GetProperty("transactions").GetGuid(),
            root.GetProperty("transactionAliases").GetGuid(),
            root.GetProperty("takenAtMs").GetInt64(),
            root.TryGetProperty("documents", out var documents) && documents.ValueKind == JsonValueKind.String ? documents.GetGuid() : null,
            root.TryGetProperty("allOffline", out var allOffline) && allOffline.ValueKind == JsonValueKind.True);
    }

    public void Write(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteNumber("version", FormatVersion);
                json.WriteNumber("logAddress", LogAddress);
                json.WriteNumber("lastTransactionId", LastTransactionId);
                json.WriteString("chargers", Chargers);
                json.WriteString("connectors", Connectors);
                json.WriteString("transactions", Transactions);
                json.WriteString("transactionAliases", Aliases);
                json.WriteNumber("takenAtMs", TakenAtMs);
                if (Documents is { } documents)
                {
                    json.WriteString("documents", documents);
                }

                if (AllOffline)
                {
                    json.WriteBoolean("allOffline", true);
                }

                json.WriteEndObject();
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
