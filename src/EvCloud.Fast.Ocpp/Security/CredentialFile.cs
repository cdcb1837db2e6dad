using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvCloud.Fast.Ocpp.Security;

/// <summary>
/// The run-time credential changes on disk: one JSON document of hashes (never passwords), rewritten whole through
/// a temporary file and a rename so a crash leaves either the old or the new file. Changes are operator actions
/// (a few a day), so rewriting ~100 bytes per charger is cheaper than any incremental format would be to maintain.
/// </summary>
internal static class CredentialFile
{
    public static IEnumerable<(string Id, ChargerCredential Record)> Load(string? path)
    {
        if (path is null || !File.Exists(path))
        {
            yield break;
        }

        CredentialDocument? document;
        using (FileStream stream = File.OpenRead(path))
        {
            document = JsonSerializer.Deserialize(stream, CredentialJsonContext.Default.CredentialDocument);
        }

        foreach ((string id, CredentialEntry entry) in document?.Chargers ?? [])
        {
            PasswordHash? current = null, previous = null;
            if (entry.PasswordHash is not null && !PasswordHash.TryParse(entry.PasswordHash, out current))
            {
                throw new InvalidDataException($"{path}: the password hash of {id} is malformed");
            }

            if (entry.PreviousPasswordHash is not null && !PasswordHash.TryParse(entry.PreviousPasswordHash, out previous))
            {
                throw new InvalidDataException($"{path}: the previous password hash of {id} is malformed");
            }

            long until = entry.PreviousValidUntil?.ToUnixTimeMilliseconds() ?? 0;
            yield return (id, new ChargerCredential(entry.Profile, current, previous, until, entry.Revoked, RunTime: true));
        }
    }

    public static void Save(string? path, IEnumerable<KeyValuePair<string, ChargerCredential>> records)
    {
        if (path is null)
        {
            return;
        }

        var document = new CredentialDocument();
        foreach ((string id, ChargerCredential r) in records)
        {
            if (r.RunTime)
            {
                document.Chargers[id] = new CredentialEntry
                {
                    Profile = r.Profile,
                    PasswordHash = r.Current?.ToString(),
                    PreviousPasswordHash = r.Previous?.ToString(),
                    PreviousValidUntil = r.Previous is null ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.PreviousValidUntil),
                    Revoked = r.Revoked,
                };
            }
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        string temp = path + ".tmp";
        using (FileStream stream = new(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, document, CredentialJsonContext.Default.CredentialDocument);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}

internal sealed class CredentialDocument
{
    public Dictionary<string, CredentialEntry> Chargers { get; set; } = new(StringComparer.Ordinal);
}

internal sealed class CredentialEntry
{
    public SecurityProfile? Profile { get; set; }

    public string? PasswordHash { get; set; }

    public string? PreviousPasswordHash { get; set; }

    public DateTimeOffset? PreviousValidUntil { get; set; }

    public bool Revoked { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CredentialDocument))]
internal sealed partial class CredentialJsonContext : JsonSerializerContext;
