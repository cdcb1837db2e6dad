using System.Text.Json.Nodes;

namespace EvCloud.Fast.Ocpp.Codegen;

/// <summary>One schema file: the payload schema of one message (the request or the response of an action).</summary>
/// <param name="FileName">The file name (<c>BootNotificationRequest.json</c>, 1.6: <c>BootNotification.json</c>).</param>
/// <param name="Action">The action (<c>BootNotification</c>).</param>
/// <param name="IsResponse">True for a CALLRESULT payload.</param>
/// <param name="Root">The parsed schema.</param>
internal sealed record SchemaFile(string FileName, string Action, bool IsResponse, JsonObject Root)
{
    /// <summary>
    /// The record's name: <c>&lt;Action&gt;Request</c> or <c>&lt;Action&gt;Response</c> in every version, also for the
    /// 1.6 files whose request schema is named after the bare action.
    /// </summary>
    public string MessageName => Action + (IsResponse ? "Response" : "Request");

    /// <summary>The schema's <c>definitions</c> (2.x), empty for 1.6.</summary>
    public JsonObject Definitions => Root["definitions"] as JsonObject ?? [];

    public static SchemaFile Load(string path, ProtocolVersionSpec version)
    {
        string fileName = Path.GetFileName(path);
        string stem = Path.GetFileNameWithoutExtension(path);
        bool isResponse = stem.EndsWith("Response", StringComparison.Ordinal);
        string action = isResponse ? stem[..^"Response".Length]
            : version.RequestFilesHaveSuffix && stem.EndsWith("Request", StringComparison.Ordinal) ? stem[..^"Request".Length]
            : stem;
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject
            ?? throw new InvalidOperationException($"{path}: the schema is not a JSON object.");
        return new SchemaFile(fileName, action, isResponse, root);
    }
}
