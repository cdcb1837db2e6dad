using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvCloud.Fast.Ocpp.DeviceModel;

/// <summary>
/// Device models reported by OCPP 2.x stations through NotifyReport. A report arrives in parts (same
/// <c>requestId</c>, increasing <c>seqNo</c>, <c>tbc</c> true until the last); parts are assembled per
/// (station, requestId) and merged into the station's model when the last one arrives, whatever order the
/// parts came in. Each station's model is kept as one JSON file under <c>{DataDirectory}/device-model</c>,
/// replaced atomically, so it survives restarts; NotifyReport is rare, so this path favours simplicity.
/// </summary>
public sealed class DeviceModelStore
{
    private static readonly JsonSerializerOptions FileOptions = new() { WriteIndented = false };

    private readonly string _directory;
    private readonly ConcurrentDictionary<string, StationDeviceModel> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Charger, int RequestId), PendingReport> _pending = new();

    /// <summary>Opens the store in <paramref name="dataDirectory"/>, loading the models saved there.</summary>
    public DeviceModelStore(string dataDirectory)
    {
        _directory = Path.Combine(Path.GetFullPath(dataDirectory), "device-model");
        Directory.CreateDirectory(_directory);
        foreach (string file in Directory.EnumerateFiles(_directory, "*.json"))
        {
            StationDeviceModel? model = Load(file);
            if (model is not null)
            {
                _models[model.ChargerId] = model;
            }
        }
    }

    /// <summary>The last complete device model of a station, or null when it never reported one.</summary>
    public StationDeviceModel? Get(string chargerId) => _models.TryGetValue(chargerId, out StationDeviceModel? model) ? model : null;

    /// <summary>
    /// Takes one NotifyReport part (the schema-valid payload). Returns true when it completed its report and
    /// the station's model was updated.
    /// </summary>
    public bool Accept(string chargerId, ReadOnlySpan<byte> notifyReportJson)
    {
        JsonObject report = JsonNode.Parse(notifyReportJson)!.AsObject();
        int requestId = report["requestId"]!.GetValue<int>();
        int seqNo = report["seqNo"]!.GetValue<int>();
        bool tbc = report["tbc"]?.GetValue<bool>() ?? false;
        DateTimeOffset generatedAt = DateTimeOffset.Parse(report["generatedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);

        PendingReport pending = _pending.GetOrAdd((chargerId, requestId), _ => new PendingReport());
        lock (pending)
        {
            pending.Parts[seqNo] = report["reportData"] as JsonArray ?? [];
            if (!tbc)
            {
                pending.LastSeqNo = seqNo;
            }

            // Complete once the last part and every part before it are in (parts may arrive out of order).
            if (pending.LastSeqNo < 0 || pending.Parts.Count != pending.LastSeqNo + 1)
            {
                return false;
            }

            _pending.TryRemove((chargerId, requestId), out _);
            Dictionary<string, DeviceModelEntry> entries = _models.TryGetValue(chargerId, out StationDeviceModel? existing)
                ? new Dictionary<string, DeviceModelEntry>(existing.Entries, StringComparer.Ordinal)
                : new Dictionary<string, DeviceModelEntry>(StringComparer.Ordinal);
            foreach ((int _, JsonArray part) in pending.Parts.OrderBy(p => p.Key))
            {
                foreach (JsonNode? item in part)
                {
                    DeviceModelEntry entry = ToEntry(item!.AsObject());
                    entries[entry.Key] = entry;
                }
            }

            var model = new StationDeviceModel(chargerId, generatedAt, entries);
            Save(model);
            _models[chargerId] = model;
            return true;
        }
    }

    private static DeviceModelEntry ToEntry(JsonObject reportData)
    {
        JsonObject component = reportData["component"]!.AsObject();
        JsonObject variable = reportData["variable"]!.AsObject();
        JsonObject? evse = component["evse"] as JsonObject;
        return new DeviceModelEntry(
            component["name"]!.GetValue<string>(),
            component["instance"]?.GetValue<string>(),
            evse?["id"]?.GetValue<int>(),
            evse?["connectorId"]?.GetValue<int>(),
            variable["name"]!.GetValue<string>(),
            variable["instance"]?.GetValue<string>(),
            (JsonArray)reportData["variableAttribute"]!.DeepClone(),
            reportData["variableCharacteristics"]?.DeepClone() as JsonObject);
    }

    private string PathOf(string chargerId) =>
        Path.Combine(_directory, Convert.ToHexString(Encoding.UTF8.GetBytes(chargerId)) + ".json");

    private void Save(StationDeviceModel model)
    {
        var file = new JsonObject
        {
            ["chargerId"] = model.ChargerId,
            ["reportedAt"] = model.ReportedAt,
            ["entries"] = new JsonArray(model.Entries.Values.Select(e => (JsonNode)new JsonObject
            {
                ["component"] = e.Component,
                ["componentInstance"] = e.ComponentInstance,
                ["evseId"] = e.EvseId,
                ["connectorId"] = e.ConnectorId,
                ["variable"] = e.Variable,
                ["variableInstance"] = e.VariableInstance,
                ["attributes"] = e.Attributes.DeepClone(),
                ["characteristics"] = e.Characteristics?.DeepClone(),
            }).ToArray()),
        };
        string path = PathOf(model.ChargerId);
        string temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            using (var writer = new Utf8JsonWriter(stream))
            {
                file.WriteTo(writer, FileOptions);
            }

            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }

    private static StationDeviceModel? Load(string path)
    {
        try
        {
            JsonObject file = JsonNode.Parse(File.ReadAllBytes(path))!.AsObject();
            var entries = new Dictionary<string, DeviceModelEntry>(StringComparer.Ordinal);
            foreach (JsonNode? node in file["entries"]!.AsArray())
            {
                JsonObject e = node!.AsObject();
                var entry = new DeviceModelEntry(
                    e["component"]!.GetValue<string>(),
                    e["componentInstance"]?.GetValue<string>(),
                    e["evseId"]?.GetValue<int>(),
                    e["connectorId"]?.GetValue<int>(),
                    e["variable"]!.GetValue<string>(),
                    e["variableInstance"]?.GetValue<string>(),
                    (JsonArray)e["attributes"]!.DeepClone(),
                    e["characteristics"]?.DeepClone() as JsonObject);
                entries[entry.Key] = entry;
            }

            return new StationDeviceModel(file["chargerId"]!.GetValue<string>(), file["reportedAt"]!.GetValue<DateTimeOffset>(), entries);
        }
        catch (Exception ex) when (ex is JsonException or IOException or InvalidOperationException or NullReferenceException)
        {
            return null; // a torn or foreign file: the next report rebuilds it
        }
    }

    private sealed class PendingReport
    {
        public SortedDictionary<int, JsonArray> Parts { get; } = [];

        public int LastSeqNo { get; set; } = -1;
    }
}
