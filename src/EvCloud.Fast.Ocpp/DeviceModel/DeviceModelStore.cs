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
/// <remarks>
/// Parts waiting for the rest of their report are held in memory, so a station can make the server hold only so much
/// (the specification sets no limit; these fit a full base report of the largest stations with room to spare):
/// <list type="bullet">
/// <item>at most <see cref="MaxPendingReports"/> reports in progress per station (a new one pushes out the oldest);</item>
/// <item>at most <see cref="MaxPendingParts"/> parts and <see cref="MaxPendingBytes"/> bytes of parts (as received)
/// per station: past either, the oldest reports in progress are dropped, and a report that alone exceeds them is
/// abandoned;</item>
/// <item>a report whose last part came more than <see cref="PendingTimeout"/> ago is dropped (checked whenever the
/// station sends a part, so an idle station holds at most the bounds above);</item>
/// <item>everything in progress is dropped when the station disconnects (<see cref="ForgetPending"/>): a station
/// that reconnects asks for, and sends, its report again.</item>
/// </list>
/// A dropped report never reaches the device model; its parts stay in the event log as received. A part whose
/// <c>seqNo</c> is negative or at least <see cref="MaxPendingParts"/> cannot complete a report and is not held.
/// </remarks>
public sealed class DeviceModelStore
{
    /// <summary>Reports in progress per station.</summary>
    public const int MaxPendingReports = 4;

    /// <summary>Parts held per station (all its reports in progress together).</summary>
    public const int MaxPendingParts = 1024;

    /// <summary>Bytes of parts held per station, as received: a 2.0.1 base report of ~3,000 variables is about 1 MB.</summary>
    public const long MaxPendingBytes = 4L * 1024 * 1024;

    /// <summary>How long a report in progress waits for its next part.</summary>
    public static readonly TimeSpan PendingTimeout = TimeSpan.FromMinutes(10);

    private static readonly JsonSerializerOptions FileOptions = new() { WriteIndented = false };

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, StationDeviceModel> _models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StationReports> _pending = new(StringComparer.Ordinal);

    /// <summary>Opens the store in <paramref name="dataDirectory"/>, loading the models saved there.</summary>
    public DeviceModelStore(string dataDirectory, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
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

    /// <summary>Reports in progress of a station and the bytes they hold (diagnostics and tests).</summary>
    public (int Reports, int Parts, long Bytes) PendingOf(string chargerId)
    {
        if (!_pending.TryGetValue(chargerId, out StationReports? station))
        {
            return default;
        }

        lock (station)
        {
            return (station.Reports.Count, station.Parts, station.Bytes);
        }
    }

    /// <summary>Drops the reports in progress of a station (it disconnected, or connected again).</summary>
    public void ForgetPending(string chargerId) => _pending.TryRemove(chargerId, out _);

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
        if (seqNo is < 0 or >= MaxPendingParts)
        {
            return false;
        }

        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        StationReports station = _pending.GetOrAdd(chargerId, _ => new StationReports());
        SortedDictionary<int, JsonArray> parts;
        lock (station)
        {
            station.Expire(now - (long)PendingTimeout.TotalMilliseconds);
            if (!station.Reports.TryGetValue(requestId, out PendingReport? pending))
            {
                if (station.Reports.Count >= MaxPendingReports)
                {
                    station.DropOldestExcept(requestId);
                }

                pending = new PendingReport(now);
                station.Reports[requestId] = pending;
            }

            station.Put(pending, seqNo, report["reportData"] as JsonArray ?? [], notifyReportJson.Length, now);
            if (!tbc)
            {
                pending.LastSeqNo = seqNo;
            }

            // Over a bound: the oldest other reports go first; a report too large on its own is abandoned.
            while (station.Parts > MaxPendingParts || station.Bytes > MaxPendingBytes)
            {
                if (!station.DropOldestExcept(requestId))
                {
                    station.Drop(requestId);
                    return false;
                }
            }

            // Complete once the last part and every part before it are in (parts may arrive out of order).
            if (pending.LastSeqNo < 0 || pending.Parts.Count != pending.LastSeqNo + 1)
            {
                return false;
            }

            station.Drop(requestId);
            parts = pending.Parts;
        }

        lock (_models)
        {
            Dictionary<string, DeviceModelEntry> entries = _models.TryGetValue(chargerId, out StationDeviceModel? existing)
                ? new Dictionary<string, DeviceModelEntry>(existing.Entries, StringComparer.Ordinal)
                : new Dictionary<string, DeviceModelEntry>(StringComparer.Ordinal);
            foreach ((int _, JsonArray part) in parts)
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

    private sealed class PendingReport(long startedMs)
    {
        public SortedDictionary<int, JsonArray> Parts { get; } = [];

        public Dictionary<int, int> PartBytes { get; } = [];

        public long StartedMs { get; } = startedMs;

        public long LastPartMs { get; set; } = startedMs;

        public long Bytes { get; set; }

        public int LastSeqNo { get; set; } = -1;
    }

    /// <summary>A station's reports in progress, by requestId, with their totals. Guarded by its own lock.</summary>
    private sealed class StationReports
    {
        public Dictionary<int, PendingReport> Reports { get; } = [];

        public int Parts { get; private set; }

        public long Bytes { get; private set; }

        public void Put(PendingReport report, int seqNo, JsonArray data, int bytes, long now)
        {
            if (report.PartBytes.Remove(seqNo, out int replaced))
            {
                // A repeated part replaces the earlier copy.
                report.Bytes -= replaced;
                Bytes -= replaced;
                Parts--;
            }

            report.Parts[seqNo] = data;
            report.PartBytes[seqNo] = bytes;
            report.Bytes += bytes;
            report.LastPartMs = now;
            Bytes += bytes;
            Parts++;
        }

        public void Drop(int requestId)
        {
            if (Reports.Remove(requestId, out PendingReport? report))
            {
                Parts -= report.Parts.Count;
                Bytes -= report.Bytes;
            }
        }

        /// <summary>Drops the report started first, other than <paramref name="keep"/>; false when there is none.</summary>
        public bool DropOldestExcept(int keep)
        {
            int oldest = 0;
            long oldestMs = long.MaxValue;
            bool found = false;
            foreach ((int requestId, PendingReport report) in Reports)
            {
                if (requestId != keep && report.StartedMs < oldestMs)
                {
                    (oldest, oldestMs, found) = (requestId, report.StartedMs, true);
                }
            }

            if (found)
            {
                Drop(oldest);
            }

            return found;
        }

        public void Expire(long before)
        {
            List<int>? expired = null;
            foreach ((int requestId, PendingReport report) in Reports)
            {
                if (report.LastPartMs < before)
                {
                    (expired ??= []).Add(requestId);
                }
            }

            if (expired is not null)
            {
                foreach (int requestId in expired)
                {
                    Drop(requestId);
                }
            }
        }
    }
}
